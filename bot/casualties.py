"""A count of the dead comes from a sentence about deaths.

"brp org yg tewas gara2 bom bunuh diri isis-k di bandara kabul" asked of stories that never give
that toll was answered "124.000 orang", a count from the sentence about the evacuation in the
passage that matched the question best; "brp tentara amrik yg tewas di bom bandara kabul" was
answered "ribuan pasukan". A wrong death toll is the worst confident answer a news bot can give.
So a question that asks how many died is answered only by a span whose sentence, or the one
before it, speaks of deaths or victims. In FacQA, IDK-MRC and TyDi QA-ID (all splits) 16 such
count questions have a gold answer, and 15 of them have a death word there; the other is a
labelling slip ("Berapa orang yang tewas …?" answered "152 orang" of "152 orang adalah warga
Perancis").
A question that asks how many victims ("korbannya brp org") without saying they died is
answered only from a sentence about deaths, victims or harm (the injured, the infected, a
massacre): of the 18 such questions with a gold answer in FacQA, IDK-MRC, TyDi QA-ID and three
files of `../shared/data/extra`, that rules out one ("Berapakah korban manusia yang terkena
penyebaran parasit malaria …?" answered "550 juta manusia"). "bom bunuh diri isis-k di bandara
kabul korbannya brp org", a question no seed answers, had been answered with the 124,000 people
evacuated.
"""

from __future__ import annotations

import re

from bot.answerability import span_neighbourhood

_ASKS_DEATHS = re.compile(
    r"\b(tewas|meninggal|terbunuh|dibunuh|wafat|gugur|menewaskan|korban\s+(?:jiwa|tewas|meninggal))\b", re.IGNORECASE)
_HOW_MANY = re.compile(r"\bberapa(?:kah)?\b", re.IGNORECASE)
# "tahun berapa … meninggal", "umur berapa …": a time or an age, not a toll.
_NOT_A_COUNT = re.compile(r"\b(tahun|tanggal|tgl|bulan|hari|pukul|jam|umur|usia|abad|nomor)\s+berapa", re.IGNORECASE)
# Whole words (with "-nya"): "meninggalkan" is leaving, not dying.
_DEATHS = re.compile(
    r"\b(tewas|meninggal|korban|terbunuh|dibunuh|membunuh|menewaskan|wafat|gugur|mati|kematian|jiwa|nyawa|jenazah"
    r"|mayat)(?:nya)?\b", re.IGNORECASE)


_VICTIMS = re.compile(r"\bkorban(?:nya)?\b", re.IGNORECASE)
_HARM = re.compile(
    rf"{_DEATHS.pattern}|\b(?:luka|terluka|luka-luka|cedera|terkena|terinfeksi|pembantaian|dibantai|membantai)(?:nya)?\b",
    re.IGNORECASE)


def asks_death_toll(question: str) -> bool:
    """Whether the question (as the pipeline reads it, in formal words) asks how many died
    ("Berapa orang yang tewas …?", "Korban jiwa ada berapa?")."""
    return bool(_HOW_MANY.search(question) and _ASKS_DEATHS.search(question) and not _NOT_A_COUNT.search(question))


def asks_victims(question: str) -> bool:
    """Whether the question asks how many victims there were without saying they died ("Korbannya
    berapa orang?", "Berapa korban banjir itu?")."""
    return bool(_HOW_MANY.search(question) and _VICTIMS.search(question) and not _NOT_A_COUNT.search(question))


def toll_elsewhere(question: str, text: str, start: int, end: int) -> bool:
    """Whether the question asks how many died (or how many victims there were) and the span
    [start, end) of `text` stands in a sentence that, with the one before it, says nothing of
    deaths or victims (or of harm: the injured, the infected, a massacre)."""
    if asks_death_toll(question):
        return not _DEATHS.search(span_neighbourhood(text, start, end))
    return asks_victims(question) and not _HARM.search(span_neighbourhood(text, start, end))

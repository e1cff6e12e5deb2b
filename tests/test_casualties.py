"""A count of the dead comes from a sentence about deaths (`bot/casualties.py`)."""

from __future__ import annotations

import pytest

from bot.casualties import asks_death_toll, asks_victims, toll_elsewhere


@pytest.mark.parametrize("question, asks", [
    ("Berapa orang yang tewas dalam gempa Cianjur?", True),
    ("Berapa korban jiwa banjir bandang itu?", True),
    ("Tentara yang terbunuh ada berapa?", True),
    ("Pada tahun berapa Teguh Karya meninggal dunia?", False),  # a year
    ("Umur berapa ia meninggal?", False),  # an age
    ("Berapa orang yang dievakuasi dari Kabul?", False),
    ("Siapa yang tewas dalam serangan itu?", False),  # not a count
])
def test_which_questions_ask_a_death_toll(question, asks):
    assert asks_death_toll(question) is asks


TEXT = ("Serangan bom di bandara menewaskan 13 tentara. Sebanyak 170 warga sipil juga tewas. "
        "AS mengevakuasi lebih dari 124.000 orang yang ingin meninggalkan negaranya. Inggris mengirim 600 pasukan.")


def _span(text: str, needle: str) -> tuple[int, int]:
    start = text.index(needle)
    return start, start + len(needle)


def test_a_toll_is_taken_only_from_a_sentence_about_deaths():
    question = "Berapa orang yang tewas dalam serangan bom di bandara?"
    assert not toll_elsewhere(question, TEXT, *_span(TEXT, "13 tentara"))
    assert not toll_elsewhere(question, TEXT, *_span(TEXT, "170 warga sipil"))
    # "meninggalkan" is leaving; the sentence before speaks of deaths, so "124.000" is still possible there
    assert not toll_elsewhere(question, TEXT, *_span(TEXT, "124.000 orang"))
    assert toll_elsewhere(question, TEXT, *_span(TEXT, "600 pasukan"))


def test_leaving_is_not_dying():
    text = "Pasukan tiba pekan lalu. AS mengevakuasi 124.000 orang yang ingin meninggalkan negaranya."
    assert toll_elsewhere("Berapa orang yang tewas di Kabul?", text, *_span(text, "124.000 orang"))


def test_other_questions_are_never_ruled_out_here():
    assert not toll_elsewhere("Berapa pasukan yang dikirim Inggris?", TEXT, *_span(TEXT, "600 pasukan"))


def test_a_count_of_victims_is_taken_only_from_a_sentence_about_deaths_victims_or_harm():
    question = "Berapa orang korbannya bom bunuh diri di bandara Kabul?"  # "… korbannya brp org"
    assert asks_victims(question) and not asks_death_toll(question)
    assert not asks_victims("Berapa orang yang dievakuasi?") and not asks_victims("Siapa korbannya?")
    text = ("AS mengevakuasi lebih dari 124.000 orang dari Kabul dalam tiga pekan. Inggris mengirim 600 pasukan. "
            "Gempa itu membuat 40 orang terluka.")
    assert toll_elsewhere(question, text, *_span(text, "124.000 orang"))
    assert not toll_elsewhere(question, text, *_span(text, "40 orang"))  # the injured are victims too

"""Put a question word typed at the end of a question at its front, where the reader expects it.

People in chat ask with the question word last: "kota ghazni letaknya dmn", "csto itu apaan",
"pemerintah afghanistan yg runtuh itu didukung siapa". The reader was trained on questions that
mostly open with it, and reads the same question worse with it at the end: moving the question
word of the validation questions that open with one to their end ("Kepanjangan dari GPS apa?")
lowers the reader's F1 by 4-5 points on FacQA valid, IDK-MRC valid and TyDi QA-ID valid alike,
and moving it back recovers most of that (`python -m bot.language.word_order`). So "Biden ke
Kabul kapan?" is read as "Kapan Biden ke Kabul?". What the question asks of its topic, typed
after it with "-nya", goes right after the question word, where formal questions have it: "Kota
Ghazni itu letaknya di mana?" is read as "Di mana letak kota Ghazni?" (the "itu" that marked the
topic is left out).

Only a question word at the very end moves, with the words that belong to it: a preposition
("dengan siapa", "di mana"), "ada" ("ada berapa") and "saja". Left as typed: a question with a
second question word, with a clause set off by a comma ("kata Ned Price, pengiriman itu bentuk
dari apa"), with nothing but one ordinary word before the question word ("Dia siapa?"), and a
question word after a word of time ("hari apa", "tahun berapa": see `_STAYS_AFTER`).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.language.informal_words import OFFICE_WORDS, RANKS

_QUESTION_WORDS = r"siapa|apa|kapan|berapa|mana|bagaimana|mengapa"
# with the preposition that asks for it ("bentuk dari apa" stays: "dari" belongs to the noun there)
_WITH_PREPOSITION = (r"(?:di|ke|dari)\s+mana|(?:dengan|oleh|untuk|kepada|pada|soal|tentang|terhadap|bersama|melawan|dari)\s+siapa"
                     r"|(?:dengan|oleh|untuk|kepada|soal|tentang|terhadap)\s+apa")
# "hari apa", "tahun berapa" stay at the end: read at the front ("Hari apa Ashraf Ghani menelepon
# Rakhmon?") the reader missed the day it found with them at the end, and validation questions
# that open with such a phrase read the same with it at the end.
# So does "berapa" after a word it makes an ordinal of ("finis di urutan berapa": which place).
_STAYS_AFTER = {"yang", "atau", "hari", "tanggal", "tahun", "bulan", "pukul", "jam", "abad", "ke", "urutan", "posisi",
                "peringkat", "nomor", "ranking", "juara", "lantai", "km", "kilometer", "pasal", "babak", "ronde", "kelas",
                "tingkat", "tahap", "putaran", "edisi", "jilid", "gelombang", "angka"}
# What may end a question and move to its front, with the words that belong to it. A bare "apa"
# or "siapa" moves only after a word that makes it the predicate ("CSTO itu apa", "ibu kota
# Badakhshan apa", "juru bicaranya siapa"): after a common noun it may pick that noun out
# ("dari kantor berita apa": which agency), and a bare "mana" always does ("kota mana").
_PHRASE = re.compile(
    rf"\b(?:(?:{_WITH_PREPOSITION})(?:\s+saja)?"
    rf"|(?:(?:sejak|hingga|sampai)\s+)?kapan|(?:ada\s+)?berapa|bagaimana|mengapa"
    rf"|(?P<bare>(?:siapa|apa)(?:\s+saja)?))\?$",
    re.IGNORECASE,
)
_PREDICATE_BEFORE = {"itu", "ini", "tersebut", "adalah", "ialah", "yaitu", "yakni"}
# words that, opening the question, make a bare question word at its end their predicate
# ("nama latin harimau sumatera apa", "yang dimaksud dengan fusi nuklir apa"); so does a
# relative clause before "siapa" ("tokoh yang tidak punya kesaktian siapa")
_PREDICATE_NOUNS = {"nama", "kepanjangan", "singkatan", "arti", "makna", "julukan", "sebutan", "judul", "ibu", "ibukota",
                    "gelar", "jabatan", "pekerjaan", "profesi", "tugas", "isi", "tujuan", "alasan", "penyebab", "sebab",
                    "akibat", "dampak", "fungsi", "maksud", "lambang", "semboyan", "pendiri", "penemu", "pencipta",
                    "pemimpin", "ketua", "presiden", "menteri", "juru", "pelatih", "pemilik", "penulis", "kepala", "pengertian",
                    "definisi", "bapak", "yang", "itu"}
_OFFICES = OFFICE_WORDS | RANKS  # "Menteri apa": of what
_ANY_QUESTION_WORD = re.compile(rf"\b(?:{_QUESTION_WORDS}|apakah|siapakah|kapankah|berapakah)\b", re.IGNORECASE)


def question_word_first(question: str, ordinary: Callable[[str], bool]) -> str:
    """`question` (formal, ending in "?") with a trailing question word moved to its front.

    ordinary(lower_word): whether the body's first word is an ordinary word, lower-cased when it
    stops being the first ("Kota Ghazni ... di mana?" -> "Di mana kota Ghazni ...?"); other first
    words (names, "AS") keep their capitals.
    """
    question = question.strip()
    found = _PHRASE.search(question)
    if not found or found.start() == 0 or not question[found.start() - 1].isspace():
        return question
    phrase, body = found.group()[:-1], question[: found.start()].rstrip(" ,")
    words = body.split()
    attribute = _attribute(words)
    if attribute:  # "Ghazni letaknya di mana?" -> "Di mana letak Ghazni?"
        words = words[:-1]
        if len(words) > 1 and words[-1].lower() in _TOPIC_MARKERS:
            words = words[:-1]  # "Milley itu jabatannya apa?" -> "Apa jabatan Milley?"
        body = " ".join(words)
    elif _keeps_its_order(words, found.group("bare"), ordinary):
        return question
    first = words[0]
    if first[:1].isupper() and first[1:] == first[1:].lower() and ordinary(first.lower()):
        body = first.lower() + body[len(first):]
    return f"{phrase[0].upper()}{phrase[1:].lower()} {attribute + ' ' if attribute else ''}{body}?"


# What a question asks of its topic, said after it with "-nya" ("Ghazni letaknya di mana", "Mark
# Milley jabatannya apa", "Putin dukung Tajikistan caranya bagaimana"): read as the formal
# question does, the attribute right after the question word ("Di mana letak Ghazni?").
_ATTRIBUTES = frozenset("""nama letak lokasi alamat jabatan pekerjaan profesi tugas peran cara umur usia jumlah
    arti maksud kepanjangan singkatan tujuan alasan penyebab sebab akibat dampak isi julukan judul harga biaya nilai
    luas tinggi panjang berat jarak ibukota bentuk jenis fungsi hasil status""".split())

_TOPIC_MARKERS = frozenset({"itu", "ini", "tersebut", "tuh", "nih"})  # "Milley itu jabatannya apa"


def _attribute(words: list[str]) -> str | None:
    """The attribute the last of `words` asks for ("letaknya" -> "letak") when a topic without a
    comma or another question word comes before it."""
    if len(words) < 2 or not words[-1].lower().endswith("nya") or words[-1].lower()[:-3] not in _ATTRIBUTES:
        return None
    topic = " ".join(words[:-1])
    return None if "," in topic or _ANY_QUESTION_WORD.search(topic) else words[-1].lower()[:-3]


def _keeps_its_order(body: list[str], bare: str | None, ordinary: Callable[[str], bool]) -> bool:
    """Whether a question whose words before its trailing question word are `body` stays as typed
    (`bare`: that question word when it is a bare "apa"/"siapa")."""
    if (not body or _ANY_QUESTION_WORD.search(" ".join(body)) or body[-1].lower() in _STAYS_AFTER
            or any("," in word for word in body)):
        return True
    if len(body) == 1 and not (bare and body[0][0].isupper() and not ordinary(body[0].lower())):
        return True  # "Dia siapa?" stays, "Milley siapa?" moves
    return bare is not None and not _bare_word_is_predicate(bare.lower(), body)


def _bare_word_is_predicate(bare: str, body: list[str]) -> bool:
    """Whether a bare "apa"/"siapa" after these words asks what or who they are: after a name
    ("Kepanjangan dari GPS apa"), not after an office written with a capital ("Shoigu itu Menteri
    apa": minister of what)."""
    first, last = body[0].lower(), body[-1]
    name_last = last[0].isupper() and last.lower() not in _OFFICES
    return (last.lower() in _PREDICATE_BEFORE or last.lower().endswith("nya") or name_last
            or first in _PREDICATE_NOUNS or (bare.startswith("siapa") and "yang" in map(str.lower, body)))


# "Siapa nama presiden AS?", "Presiden Tajikistan siapa namanya?": asking for someone's name is
# asking who they are, and the reader and the question's vector read the shorter question better
# ("siapa nama presiden amerika" was declined where "siapa presiden amerika" is answered). Not
# "nama lengkap", "nama asli", ...: a particular name.
_NAME_FILLER = re.compile(
    r"^(Siapa(?:kah)?)\s+nama(?:nya)?\s+(?!lengkap|asli|panggilan|kecil|julukan|samaran|depan|belakang)(?=\S)",
    re.IGNORECASE)
_NAME_AFTER = re.compile(r"\s+(?:siapa\s+namanya|namanya\s+siapa|namanya)\?$", re.IGNORECASE)


def without_name_filler(question: str) -> str:
    """"Siapa nama presiden AS?" -> "Siapa presiden AS?"; "Siapa presiden Tajikistan namanya?" ->
    "Siapa presiden Tajikistan?"."""
    shorter = _NAME_FILLER.sub(r"\1 ", question)
    if shorter.lower().startswith("siapa"):
        shorter = _NAME_AFTER.sub("?", shorter)
    return shorter if len(shorter.split()) > 1 else question


def main() -> None:
    """The reader's F1 on validation questions that open with a question word, as written,
    with that word moved to the end, and moved back by `question_word_first`."""
    import json
    import sys
    from pathlib import Path

    from bot.config import REPO_ROOT
    from bot.language.informal import is_indonesian_word
    from bot.metrics import token_f1
    from bot.reader.answer_types import typed_span
    from bot.reader.qa_data import load_qa_file
    from bot.reader.store import load_reader

    data = Path(sys.argv[1] if len(sys.argv) > 1 else REPO_ROOT.parent / "shared" / "data")
    reader = load_reader(REPO_ROOT / "data")
    opening = re.compile(r"^(siapa|apa|kapan|berapa|di mana|dimana)(?:kah)?\s+(.+?)\s*\?*$", re.IGNORECASE)
    out = {}
    for name in ("facqa/valid_preprocess.csv", "idk_mrc/valid.json", "tydiqa_id/valid.json"):
        asked = {}
        for example in load_qa_file(data / name):
            found = opening.match(example.question.strip())
            if example.answers and found and not _ANY_QUESTION_WORD.search(found.group(2)):
                word = found.group(1).lower().replace("dimana", "di mana")
                rest = found.group(2)
                asked[example] = f"{rest[0].upper()}{rest[1:]} {word}?"
        examples = list(asked)
        scores = {}
        for label, questions in (("as written", [e.question for e in examples]),
                                 ("question word last", [asked[e] for e in examples]),
                                 ("moved back", [question_word_first(asked[e], is_indonesian_word) for e in examples])):
            readings = reader.read(questions, [e.context for e in examples])
            f1 = [token_f1(e.context[slice(*typed_span(q, e.context, r))], e.answers)
                  for e, q, r in zip(examples, questions, readings)]
            scores[label] = round(100 * sum(f1) / len(f1), 2)
        out[name] = {"questions": len(examples), **scores}
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()

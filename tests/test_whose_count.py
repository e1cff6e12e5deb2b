"""A count of one country's soldiers is no answer for another's (`bot/whose_count.py`)."""

from __future__ import annotations

import pytest

from bot.whose_count import counted_for_another_country, owners

PASSAGE = ("Pada hari Senin, pusat pers Pasukan Perbatasan Tajikistan mengatakan lebih dari 1.000 tentara "
           "Afghanistan mundur ke Tajikistan. AS mengirim 3.000 tentara ke Kabul.")


def _span(text: str, answer: str) -> tuple[int, int]:
    start = text.index(answer)
    return start, start + len(answer)


@pytest.mark.parametrize("question, answer, other", [
    ("Berapa tentara Rusia yang ikut latihan di perbatasan Afghanistan?", "lebih dari 1.000", True),
    ("Berapa tentara Afghanistan yang mundur ke Tajikistan?", "lebih dari 1.000", False),
    ("Berapa tentara yang mundur ke Tajikistan?", "lebih dari 1.000", False),  # the question names no owner
    ("Berapa tentara Amerika Serikat (AS) yang dikirim ke Kabul?", "3.000", False),  # "ke Kabul": a destination
    ("Kapan tentara Rusia berlatih?", "lebih dari 1.000", False),  # not a count
])
def test_a_count_answers_for_the_country_the_question_names(question, answer, other):
    assert counted_for_another_country(question, PASSAGE, *_span(PASSAGE, answer)) is other


def test_owners_are_countries_written_right_after_a_counted_noun():
    assert owners("berapa warga negara Jepang dan pasukan AS") == {"JP", "US"}
    assert owners("pasukan di Amerika Latin") == frozenset()

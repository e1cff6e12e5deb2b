"""Countries a question names: an article that never mentions one gives no answer."""

from __future__ import annotations

import pytest

from bot.language.countries import countries_named, is_country, mentions_country, names_another_country
from bot.pipeline import answer_candidates, as_read


@pytest.mark.parametrize("text, codes", [
    ("Jepang mengirim berapa pasukan ke Kabul?", {"JP"}),
    ("jerman kirim brp tentara", {"DE"}),  # typed in lower case
    ("Amerika Serikat (AS) mengirim pasukan ke Afghanistan", {"US", "AF"}),
    ("Berapa pasukan yang dikirim Tiongkok?", {"CN"}),
    ("Korea Selatan dan Korea Utara", {"KR", "KP"}),
    ("Kapan VOC masuk ke Indonesia?", set()),  # the home country: domestic news rarely names it
    ("Negara mana saja di Amerika Latin?", set()),  # a region, not the United States
    ("warga as di sana", set()),  # "as" in lower case is an ordinary word
    ("Siapa pemain yang memakai jersey nomor 10?", set()),  # names that are ordinary words are left out
    ("Berapa poin Michael Jordan?", set()),
])
def test_countries_a_text_names(text, codes):
    assert countries_named(text) == codes


def test_an_article_mentions_a_country_in_any_form_news_writes():
    assert mentions_country("Pasukan AS tiba di Kabul.", "US")
    assert mentions_country("Presiden Amerika Joe Biden", "US")
    assert mentions_country("Produk China membanjiri pasar.", "CN")  # the CLDR name is Tiongkok
    assert not mentions_country("Pasukan as tiba.", "US")
    assert names_another_country("Jepang mengirim berapa pasukan ke Kabul?", "AS mengirim 3.000 pasukan ke Kabul.")
    assert not names_another_country("Amerika Serikat mengirim berapa pasukan?", "AS mengirim 3.000 pasukan ke Kabul.")
    assert not names_another_country("Berapa pasukan yang dikirim ke Kabul?", "AS mengirim 3.000 pasukan ke Kabul.")


def test_passages_of_articles_that_never_mention_the_asked_country_are_not_read(answerer):
    index = answerer.index
    question = as_read(index, "jepang ngirim brp pasukan ke kabul")
    hits = answerer.retrieve(index, [question])[0]
    assert hits and answer_candidates(index, question, hits) == []  # no seed article mentions Japan
    answer = answerer.answer("jepang ngirim brp pasukan ke kabul")
    assert answer.abstained and answer.related  # still pointed to the closest articles
    asked = as_read(index, "amrik ngirim brp pasukan ke kabul")
    found = answerer.retrieve(index, [asked])[0]
    assert answer_candidates(index, asked, found) == found


@pytest.mark.parametrize("text, country", [
    ("Rusia", True), ("AS", True), ("Amerika Serikat", True), ("Korsel.", True),
    ("Presiden Rusia", False), ("Olak Mali", False), ("as", False), ("Indonesia", False),
])
def test_a_country_name_and_nothing_else(text, country):
    assert is_country(text) is country

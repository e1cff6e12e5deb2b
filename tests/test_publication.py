"""Questions about where and when a story was published are answered from the article's record."""

from __future__ import annotations

import pytest

from bot.corpus.publication import DATE, OUTLET, publication_question
from bot.telegram.replies import answer_html


@pytest.mark.parametrize(("question", "kind"), [
    ("Situs apa yang memuat berita tentang tawaran pangkalan Putin kepada Biden?", OUTLET),
    ("media mana yg nerbitin artikel soal mobilisasi tentara tajikistan", OUTLET),
    ("Berita evakuasi staf kedutaan AS di Kabul dimuat di mana?", OUTLET),
    ("artikel latihan militer rusia di perbatasan afghanistan dr portal apa", OUTLET),
    ("Kapan berita tentang tawaran pangkalan Putin diterbitkan?", DATE),
    ("berita kerja sama AS dan taliban lawan ISIS tayang tgl brp", DATE),
])
def test_questions_about_the_publication(question, kind):
    from bot.language.informal import is_indonesian_word, normalize_question
    from bot.language.word_order import question_word_first

    formal = normalize_question(question)
    assert publication_question(formal) == kind
    assert publication_question(question_word_first(formal, is_indonesian_word)) == kind  # as the pipeline reads it


@pytest.mark.parametrize("question", [
    "Kantor berita apa yang melaporkan konsulat Rusia tutup?",  # an agency the story quotes
    "Media apa yang melaporkan tawaran Putin?",  # Kommersant, in the story
    "Kapan Taliban digulingkan dari pemerintahan Afghanistan?",
    "Siapa yang menerbitkan aturan evakuasi itu?",
    "Kapan situs berita itu diblokir?",
    "Di mana pesawat itu jatuh menurut berita yang dimuat Kompas?",
])
def test_questions_about_the_story(question):
    assert publication_question(question) is None


def test_the_outlet_and_date_come_from_the_cited_article(answerer):
    outlet = answerer.answer("situs apa yg muat berita putin nawarin negara asia tengah jadi pangkalan militer AS")
    assert (outlet.mode, outlet.text, outlet.article.id[:3]) == ("publication", "JITUNEWS.COM", "002")
    assert outlet.sentence == "JITUNEWS.COM · 18 Juli 2021"
    reply = answer_html(outlet)
    assert "<b>JITUNEWS.COM</b>" in reply and "<u>JITUNEWS.COM</u> · 18 Juli 2021" in reply
    date = answerer.answer("Kapan berita tentang Amerika yang menjajaki kerja sama dengan Taliban melawan ISIS diterbitkan?")
    assert (date.mode, date.text, date.article.id[:3]) == ("publication", "1 September 2021", "001")


def test_a_story_the_corpus_lacks_gets_no_outlet(answerer):
    answer = answerer.answer("Situs apa yang memuat berita banjir bandang di Kalimantan Selatan?")
    assert answer.abstained and answer.related  # the closest articles are still offered

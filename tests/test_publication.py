"""Questions about where and when a story was published are answered from the article's record."""

from __future__ import annotations

import pytest

from bot.corpus.publication import DATE, DATELINE, OUTLET, publication_line, publication_question
from bot.telegram.replies import answer_html


@pytest.mark.parametrize(("question", "kind"), [
    ("Situs apa yang memuat berita tentang tawaran pangkalan Putin kepada Biden?", OUTLET),
    ("media mana yg nerbitin artikel soal mobilisasi tentara tajikistan", OUTLET),
    ("Berita evakuasi staf kedutaan AS di Kabul dimuat di mana?", OUTLET),
    ("artikel latihan militer rusia di perbatasan afghanistan dr portal apa", OUTLET),
    ("Kapan berita tentang tawaran pangkalan Putin diterbitkan?", DATE),
    ("berita kerja sama AS dan taliban lawan ISIS tayang tgl brp", DATE),
    ("berita milley jajakin kerja sama sm taliban ditulis dr kota mana", DATELINE),
    ("Dari kota mana berita tentang harga LNG itu dilaporkan?", DATELINE),
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
    "Di mana Milley mengadakan konferensi pers?",
    "Dari mana surat yang ditulis Kabulov dikirim?",  # no story asked about
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


@pytest.mark.parametrize(("opening", "place"), [
    ("JAKARTA, KOMPAS.com - PT Pertamina berencana mengakuisisi Rekind.", "JAKARTA"),
    ("MEDAN, KOMPAS.com Ketua tim identifikasi mengatakan korban dikenali.", "MEDAN"),  # no dash
    ("NEW YORK, AFP - Harga minyak turun.", "NEW YORK"),
    ("BANDUNG - Hujan deras mengguyur kota.", "BANDUNG"),
    ("Amerika Serikat, Kampartrapost.com – Pemerintah AS mengirim pasukan.", "Amerika Serikat"),
    ("VIVA.co.id - Suasana duka menyelimuti rumah korban.", None),  # the outlet, no place
    ("DPR (Dewan Perwakilan Rakyat) menolak usul itu.", None),  # capitals, but no dateline
])
def test_a_dateline_is_read_from_the_story_opening(opening, place):
    from bot.records import Article

    found = publication_line(Article("a", "Judul", "Contoh", None, None, f"{opening}\nParagraf kedua."), DATELINE)
    assert (found and found[0][found[1].start : found[1].end]) == place


def test_where_a_story_was_written_comes_from_its_dateline(answerer):
    from bot.pipeline import QuestionAnswerer
    from bot.records import Article
    from bot.retrieval.index import PassageIndex

    story = Article("lng", "Harga LNG ikut melemah", "KOMPAS.com", "2015-06-30", None,
                    "BONTANG, KOMPAS.com - Di tengah anjloknya harga minyak dunia, harga gas alam cair atau Liquid "
                    "Natural Gas (LNG) pun ikut melemah.\nProduksi kilang di Bontang tetap berjalan seperti biasa.")
    index = PassageIndex.build([story], embedder=answerer.embedder)
    over_it = QuestionAnswerer(index, answerer.reader, answerer.calibration, answerer.top_k, embedder=answerer.embedder)
    answer = over_it.answer("berita harga lng anjlok ditulis di kota apa")
    assert (answer.mode, answer.text) == ("publication", "BONTANG")
    assert "<u>BONTANG</u>, KOMPAS.com - Di tengah anjloknya" in answer_html(answer)
    # the seeds' cleaning cuts the dateline from the body and records it beside it
    answer = answerer.answer("berita milley jajakin kerja sama sm taliban ditulis dr kota mana")
    assert (answer.mode, answer.text, answer.article.id[:3]) == ("publication", "WASHINGTON", "001")
    assert "<u>WASHINGTON</u>, iNews.id -" in answer_html(answer)


@pytest.mark.parametrize(("dateline", "place"), [
    ("WASHINGTON, iNews.id -", "WASHINGTON"),
    ("jpnn.com, MOSKOW -", "MOSKOW"),  # the outlet first
    ("MOSKOW, JITUNEWS.COM -", "MOSKOW"),
    ("Moskow -", "Moskow"),
    ("Amerika Serikat, Kampartrapost.com –", "Amerika Serikat"),
    ("VIVA.co.id -", None),  # the outlet, no place
])
def test_a_recorded_dateline_gives_the_place(dateline, place):
    from bot.records import Article

    article = Article("a", "Judul", "Contoh", None, None, "Paragraf tanpa dateline.", dateline=dateline)
    found = publication_line(article, DATELINE)
    assert (found and found[0][found[1].start : found[1].end]) == place

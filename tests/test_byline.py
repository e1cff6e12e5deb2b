"""Questions about who wrote an article are answered from its byline."""

from __future__ import annotations

import json

import pytest

from bot.corpus.byline import asks_for_author, byline_line, find_byline
from bot.corpus.loading import load_articles


@pytest.mark.parametrize("question", [
    "Siapa penulis berita tentang tawaran Putin kepada Biden?",
    "Siapakah wartawan yang menulis berita soal evakuasi Kabul?",
    "Berita tentang pangkalan militer AS di Asia Tengah ditulis oleh siapa?",
    "siapa reporter artikel mobilisasi tentara Tajikistan",
    "Oleh siapa berita tentang pangkalan militer AS di Asia Tengah ditulis?",  # as the pipeline reads the one above
])
def test_questions_about_the_writer(question):
    assert asks_for_author(question)


@pytest.mark.parametrize("question", [
    "Siapa wartawan yang ditahan Taliban di Kandahar?",  # a journalist in the story
    "Siapa penulis buku tentang perang Afghanistan?",
    "Siapa Sekretaris Jenderal CSTO?",
    "Kapan Kommersant melaporkan tawaran Putin?",
    "Siapa yang menulis laporan intelijen tentang Taliban?",
    "Oleh siapa surat dalam berita itu ditulis?",  # a letter in the story
])
def test_questions_about_the_story(question):
    assert not asks_for_author(question)


def test_the_byline_is_found_at_the_end_of_the_body():
    body = "Paragraf pertama.\nPenulis: ditulis ulang.\nParagraf kedua.\n" + byline_line(" Tino Aditia. ")
    span = find_byline(body)
    assert body[span.start : span.end] == "Tino Aditia"
    assert find_byline("Tanpa nama penulis.") is None


def test_jsonl_author_and_byline_lines_become_the_byline(tmp_path):
    path = tmp_path / "articles.jsonl"
    records = [
        {"id": "a", "title": "Satu", "text": "Isi berita yang cukup panjang untuk satu kalimat.", "author": "Rina Sari"},
        {"id": "b", "title": "Dua", "text": "Isi berita kedua yang juga cukup panjang.\nPenulis : Budi Santoso"},
    ]
    path.write_text("\n".join(json.dumps(r) for r in records))
    articles = {a.id: a for a in load_articles([path]).articles}
    for article_id, name in (("a", "Rina Sari"), ("b", "Budi Santoso")):
        body = articles[article_id].body
        span = find_byline(body)
        assert body[span.start : span.end] == name
        assert body.count("Penulis") == 1


def test_editor_credits_are_kept_and_answer_for_a_missing_writer():
    """iNews credits only its editor ("Editor : Anton Suhartono"): that line is kept, and it is
    who a reader asking who wrote the story gets; a question for the editor of a story that
    credits only its writer gets no name."""
    from bot.corpus.byline import EDITOR, WRITER, asked_role, without_credits
    from bot.corpus.cleaning import clean_supplied

    edited = clean_supplied("a", "Judul", "Paragraf pertama berita.\nEditor : Anton Suhartono", "iNews.id", None, None)
    assert edited.body.endswith("Editor: Anton Suhartono.")
    span = find_byline(edited.body, WRITER)
    assert edited.body[span.start : span.end] == "Anton Suhartono"
    assert without_credits(edited.body) == "Paragraf pertama berita."

    both = clean_supplied("b", "Judul", "Isi.\nReporter: Tino Aditia\nRedaktur: Budi", "JITUNEWS.COM", None, None)
    assert both.body.endswith("Penulis: Tino Aditia.\nEditor: Budi.")
    assert both.body[find_byline(both.body, EDITOR).start : find_byline(both.body, EDITOR).end] == "Budi"
    written = clean_supplied("c", "Judul", "Isi.\nPenulis: Tino Aditia", "JITUNEWS.COM", None, None)
    assert find_byline(written.body, EDITOR) is None

    assert asks_for_author("siapa editor berita milley soal taliban")
    assert asked_role("Siapa editor berita Milley soal Taliban?") == EDITOR
    assert asked_role("Siapa yang menulis berita Milley?") == WRITER

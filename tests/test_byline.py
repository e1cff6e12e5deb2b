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

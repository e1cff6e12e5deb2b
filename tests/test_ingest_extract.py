"""Extraction of the fixture news pages: metadata right, body boundaries right, no site furniture."""

from __future__ import annotations

import json

import pytest

from bot.corpus.sentences import passages
from bot.ingest.extract import Hints, article_id, extract_article, normalise_url
from bot.ingest.fetch import SourceError
from tests.support.news_server import PAGES

EXPECTED = json.loads((PAGES / "expected.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_page_metadata_and_body_boundaries(name: str):
    want = EXPECTED[name]
    article = extract_article((PAGES / name).read_bytes(), f"http://127.0.0.1:8000/artikel/{name}?utm_source=x")
    assert (article.title, article.source, article.date) == (want["title"], want["source"], want["date"])
    assert article.dateline == want["dateline"]  # cut from the body, recorded for "ditulis dari kota mana"
    assert article.url == f"http://127.0.0.1:8000/artikel/{name}"
    story = article.body.split("\nPenulis: ")[0]
    assert story.startswith(want["first"]), story[:120]
    assert story.endswith(want["last"]), story[-120:]
    assert len(story.split("\n")) == want["paragraphs"]
    assert article.title not in story  # the headline is metadata, not a passage
    if want["author"]:
        assert article.body.endswith(f"\nPenulis: {want['author']}.")
    else:
        assert "Penulis:" not in article.body
    for text in want.get("contains", []):
        assert text in story


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_no_navigation_related_share_or_comment_text_in_any_passage(name: str):
    article = extract_article((PAGES / name).read_bytes(), f"http://127.0.0.1/artikel/{name}")
    found = list(passages(article, 0, 60, 1))
    assert found
    for passage in found:
        for furniture in EXPECTED[name]["furniture"]:
            assert furniture.lower() not in passage.text.lower(), (furniture, passage.text)


def test_non_utf8_page_is_decoded_from_its_meta_charset():
    raw = (PAGES / "banjir.html").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    article = extract_article(raw, "http://127.0.0.1/artikel/banjir.html")
    assert "31 °C" in article.body and "\ufffd" not in article.body


def test_a_page_without_an_article_is_refused():
    with pytest.raises(SourceError) as error:
        extract_article((PAGES / "beranda.html").read_bytes(), "http://127.0.0.1/")
    assert error.value.reason == "no_article"


def test_feed_hints_fill_in_what_the_page_lacks():
    html = ("<html><body><article><p>" + "Warga desa menanam seribu pohon mangrove di pesisir utara pada hari Minggu. " * 4
            + "</p></article></body></html>")
    article = extract_article(html, "http://127.0.0.1/x", hints=Hints(title="Seribu Mangrove", date="2026-11-27"))
    assert (article.title, article.date) == ("Seribu Mangrove", "2026-11-27")


def test_one_id_per_article_address():
    assert normalise_url("HTTP://Example.COM/a/b/?utm_medium=rss&id=3#top") == "http://example.com/a/b?id=3"
    assert article_id("http://example.com/a?utm_source=feed") == article_id("http://example.com/a/")
    assert article_id("http://example.com/a") != article_id("http://example.com/b")

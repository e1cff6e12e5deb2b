"""Bad article files are reported and skipped; the rest is indexed."""

from __future__ import annotations

import json

from bot.config import SEEDS_DIR
from bot.corpus.loading import MAX_FILE_BYTES, load_articles

GOOD = "Judul Berita\nJAKARTA, contoh.com - Ini adalah isi berita yang cukup panjang untuk diindeks dengan baik.\n"


def test_bad_files_are_reported_and_the_rest_loaded(tmp_path):
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02PNG\x00")
    (tmp_path / "latin1.txt").write_bytes("Judul\nBerita tentang Café à Paris yang sangat menarik.".encode("latin-1"))
    (tmp_path / "huge.txt").write_text("kata " * (MAX_FILE_BYTES // 5 + 10), encoding="utf-8")
    (tmp_path / "copy.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "furniture.txt").write_text("Baca juga: sesuatu\nArtikel Terkait\n", encoding="utf-8")
    (tmp_path / "bad.jsonl").write_text('{"id": "x"}\nnot json\n[1, 2]\n', encoding="utf-8")
    result = load_articles([tmp_path])
    assert [a.id for a in result.articles] == ["copy"] or [a.id for a in result.articles] == ["good"]
    reasons = {p.source.split("/")[-1]: p.reason for p in result.problems}
    assert reasons["empty.txt"] == "empty file"
    assert "binary" in reasons["binary.txt"]
    assert "not UTF-8" in reasons["latin1.txt"]
    assert "too large" in reasons["huge.txt"]
    assert any("same text as article" in r for r in reasons.values())
    assert "no article text" in reasons["furniture.txt (furniture)"]
    assert sum("bad JSONL record" in p.reason for p in result.problems) == 3


def test_duplicate_ids_keep_the_first(tmp_path):
    (tmp_path / "a.jsonl").write_text(
        '{"id": "x", "text": "Isi berita pertama yang cukup panjang untuk diindeks."}\n'
        '{"id": "x", "text": "Isi berita kedua yang juga cukup panjang untuk diindeks."}\n', encoding="utf-8")
    result = load_articles([tmp_path])
    assert len(result.articles) == 1 and "pertama" in result.articles[0].body
    assert "duplicate id" in result.problems[0].reason


def test_seeds_load_without_problems():
    result = load_articles([SEEDS_DIR])
    assert len(result.articles) == 5 and not result.problems


def test_jsonl_from_other_news_dumps_loads_under_their_field_names(tmp_path):
    records = [
        {"headline": "Banjir di Semarang", "content": "Hujan deras merendam ratusan rumah di Semarang Utara sejak pagi.",
         "link": "https://contoh.id/banjir", "published_at": "2021-08-01", "publisher": "Suara Pantura",
         "authors": ["Ani", "Budi"]},
        {"id": "g1", "body": "Gempa bermagnitudo 5,4 mengguncang Pangandaran pada Selasa dini hari.", "date": 1627776000},
    ]
    (tmp_path / "dump.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    result = load_articles([tmp_path])
    assert not result.problems
    banjir, gempa = sorted(result.articles, key=lambda a: a.id == "g1")
    assert (banjir.title, banjir.source, banjir.date, banjir.url) == (
        "Banjir di Semarang", "Suara Pantura", "2021-08-01", "https://contoh.id/banjir")
    assert banjir.body.endswith("Penulis: Ani, Budi.") and len(banjir.id) == 16
    assert load_articles([tmp_path]).articles[0].id == result.articles[0].id  # the same id when indexed again
    assert gempa.id == "g1" and gempa.date is None  # a number is no date the bot can read

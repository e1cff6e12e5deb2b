"""Bad article files are reported and skipped; the rest is indexed."""

from __future__ import annotations

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

"""Cleaning the seed captures: metadata, boilerplate that must never be citable, text repair."""

from __future__ import annotations

import json

import pytest

from bot.config import SEEDS_DIR
from bot.corpus.cleaning import clean_capture, clean_supplied, split_dateline
from bot.corpus.dates import day_meant, find_weekday_date, parse_date_line
from bot.corpus.loading import load_articles
from bot.corpus.sentences import passages

BOILERPLATE = [
    "Baca juga",
    "Mengejutkan! Exxon dan Chevron",
    "Parlemen Polandia Sahkan RUU",
    "Artikel Terkait",
    "Editor : Anton Suhartono",
    "Hubungan AS-Venezuela Memanas",
    "Kemenko Perekonomian Buka Suara",
    "Berita Terkini",
    "pebisnis media melalui program iNews.id Network",
    "Personalize Your News",
    "Login to enjoy more features",
    "(Foto: Reuters)",
    "Joe Biden (kiri) dan Vladimir Putin (kanan)",
    "Hanya Turis Asing yang Sudah Divaksin",
    "AS Jatuhkan Sanksi bagi Pemerintah China",
    "Halaman:",
    "Rusia Nilai Indonesia Sangat Klop dengan BRICS",
    "Menjamu Bu Mega",
    "©Sergei Ilyin",
    "Handout via REUTERS",
    "No comments:",
    "Â",
]


@pytest.fixture(scope="module")
def seeds():
    return {a.id[:3]: a for a in load_articles([SEEDS_DIR]).articles}


@pytest.mark.parametrize(
    "key, title, source, date",
    [
        ("000", "Permerintah Amerika Serikat mengirimkan tiga ribu pasukannya ke bandara Kabul", "Kampartrapost.com", "2021-08-12"),
        ("001", "Dulu Berperang, Kini Amerika Jajaki Kerja Sama dengan Taliban Lawan ISIS di Afghanistan", "iNews.id", "2021-09-01"),
        ("002", "Putin Tawari Joe Biden untuk Gunakan Negara Asia Tengah sebagai Pangkalan Militer AS", "JITUNEWS.COM", "2021-07-18"),
        ("003", "Kirim Senjata Andalan, Militer Rusia Pamer Kekuatan di Perbatasan Afghanistan", "jpnn.com", None),
        ("004", "Kremlin - Putin dan Rahmon fokus pada situasi di perbatasan Tajik-Afghanistan", "TASS", "2021-07-06"),
    ],
)
def test_seed_metadata(seeds, key, title, source, date):
    article = seeds[key]
    assert article.title.startswith(title)
    assert article.source == source
    assert article.date == date


def test_all_five_seeds_load_with_their_file_stems(seeds):
    assert sorted(a.id for a in seeds.values()) == sorted(p.stem for p in SEEDS_DIR.glob("*.txt"))


@pytest.mark.parametrize("fragment", BOILERPLATE)
def test_no_boilerplate_can_be_a_passage(seeds, fragment):
    for article in seeds.values():
        for passage in passages(article, 0):
            assert fragment not in passage.text, f"{fragment!r} is citable in {article.id}"


def test_article_text_survives_cleaning(seeds):
    assert "mobilisasi 20.000 tentara cadangan" in seeds["004"].body
    assert "Taliban digulingkan dari pemerintahan Afghanistan pada 2001" in seeds["001"].body
    assert "Penulis: Tino Aditia." in seeds["002"].body  # the author credit is kept, normalised
    assert seeds["001"].body.startswith("Amerika Serikat (AS) kemungkinan")  # dateline stripped


@pytest.mark.parametrize(("key", "dateline"), [
    ("000", "Amerika Serikat, Kampartrapost.com –"),
    ("001", "WASHINGTON, iNews.id -"),
    ("002", "MOSKOW, JITUNEWS.COM -"),
    ("003", "jpnn.com, MOSKOW -"),
    ("004", "Moskow -"),
])
def test_the_dateline_cut_from_the_body_is_recorded(seeds, key, dateline):
    assert seeds[key].dateline == dateline
    assert dateline not in seeds[key].body


def test_mojibake_is_repaired():
    article = clean_capture("x", "Judul Berita Ini\nBaca juga:Â Lain\nHarga naik 5â€“10 persen menurut laporan resmi pemerintah hari ini.")
    assert "Â" not in article.body and "â€“" not in article.body
    assert "5–10 persen" in article.body


@pytest.mark.parametrize(
    "line, iso",
    [("18 Juli 2021 15:15 WIB", "2021-07-18"), ("Tuesday, 6 July 2021", "2021-07-06"), ("2021-08-12", "2021-08-12"),
     ("July 6, 2021", "2021-07-06"), ("31 Februari 2021", None)],
)
def test_date_lines(line, iso):
    assert parse_date_line(line) == iso


@pytest.mark.parametrize(
    "text, iso",
    [("pada Kamis *12/8/2021). AS", "2021-08-12"), ("Rabu (1/9/2021), mengatakan", "2021-09-01"), ("Selasa (31/8)", None)],
)
def test_weekday_dates(text, iso):
    assert find_weekday_date(text) == iso


@pytest.mark.parametrize("expression, day", [
    ("Kamis lalu", "26 Agustus 2021"),  # the article is of Wednesday 1 September 2021
    ("pada Kamis pagi", "26 Agustus 2021"),
    ("Rabu", "1 September 2021"),  # the day it was published
    ("Rabu lalu", "25 Agustus 2021"),
    ("Senin depan", "6 September 2021"),
    ("kemarin", "31 Agustus 2021"),
    ("15/7", "15 Juli 2021"),
    ("28/12", "28 Desember 2020"),  # well after the story: last year's
    ("1/9/2021", "1 September 2021"),
    ("minggu lalu", None),  # "minggu" in lower case is a week
    ("11 September", None),  # names its month already
    ("akhir bulan ini", None),
    ("2001", None),
])
def test_the_day_a_time_answer_means(expression, day):
    assert day_meant(expression, "2021-09-01") == day
    assert day_meant(expression, None) is None  # undated article: no day


def test_dateline_names_the_outlet():
    assert split_dateline("WASHINGTON, iNews.id - Amerika Serikat (AS) akan")[0] == "iNews.id"
    assert split_dateline("jpnn.com, MOSKOW - Kedutaan Besar Rusia")[0] == "jpnn.com"
    assert split_dateline("Menurut dia, harga naik - dan itu biasa.") == (None, "Menurut dia, harga naik - dan itu biasa.")


def test_jsonl_articles_keep_their_metadata(tmp_path):
    record = {"id": "a1", "title": "Judul", "text": "Paragraf pertama yang cukup panjang untuk sebuah berita.\nBaca juga: Lain",
              "source": "Kompas", "date": "2021-08-01", "url": "https://example.com/a1"}
    path = tmp_path / "corpus.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    (article,) = load_articles([path]).articles
    assert (article.id, article.title, article.source, article.date, article.url) == (
        "a1", "Judul", "Kompas", "2021-08-01", "https://example.com/a1")
    assert "Baca juga" not in article.body


def test_supplied_dates_in_words_become_iso():
    assert clean_supplied("a", "t", "Isi berita yang panjang sekali.", "s", "18 Juli 2021", None).date == "2021-07-18"


def test_only_web_links_are_kept():
    assert clean_supplied("a", "t", "Isi berita yang panjang sekali.", "s", None, "javascript:alert(1)").url is None
    assert clean_supplied("a", "t", "Isi berita yang panjang sekali.", "s", None, "https://x.example/a").url == "https://x.example/a"

"""The real bot over the tests' Bot API server, fed by the tests' news server: feeds and /tambah live."""

from __future__ import annotations

import asyncio
import copy
import sqlite3
import time
from collections.abc import AsyncIterator
from datetime import datetime, timedelta, timezone

import pytest_asyncio

from bot.config import Settings
from bot.ingest.extract import article_id
from tests.support.bot import bot_polling, settled
from tests.support.news_server import PAGES, NewsServer
from tests.support.telegram_server import TelegramTestServer

MODERATOR, USER = 4242, 1001
NOW = datetime.now(timezone.utc)
GEMPA_QUESTION = "Berapa rumah yang rusak ringan akibat gempa di Pangandaran?"


@pytest_asyncio.fixture
async def news() -> AsyncIterator[NewsServer]:
    async with NewsServer() as server:
        yield server


@pytest_asyncio.fixture
async def live(telegram_server: TelegramTestServer, settings: Settings, answerer, tmp_path):
    """The bot (its own copy of the answerer, so swapping its index touches no other test), polling feeds every second."""
    own = copy.copy(answerer)
    async with bot_polling(telegram_server, settings, own, tmp_path / "answers.sqlite3", data_dir=tmp_path,
                           moderator_ids=frozenset({MODERATOR}), questions_per_minute=100, feed_poll_seconds=1,
                           fetch_timeout=3):
        yield telegram_server, own


def to(chat_id: int):
    return lambda call: call.params.get("chat_id") == chat_id and call.ok


async def say(server: TelegramTestServer, user: int, text: str, timeout: float = 30):
    """Send `text` as `user` and return the bot's next reply in that chat."""
    before = len([c for c in server.calls("sendMessage") if to(user)(c)])
    server.push_message(user, user, text)
    replies = await server.wait_for("sendMessage", count=before + 1, predicate=to(user), timeout=timeout)
    return replies[before]


async def until(condition, timeout: float = 20.0) -> float:
    """Wait until `condition()` is true; returns the seconds it took."""
    started = time.monotonic()
    while not condition():
        assert time.monotonic() - started < timeout, "timed out"
        await asyncio.sleep(0.02)
    return time.monotonic() - started


async def test_feed_added_in_telegram_is_polled_and_its_new_article_answered_with_its_link(live, news: NewsServer):
    server, answerer = live
    news.publish("priangan", "Jembatan Teluk Sepinggan", "/artikel/jembatan.html", NOW - timedelta(days=1))
    reply = await say(server, MODERATOR, f"/feed tambah {news.url('/feed/priangan.xml')}")
    assert "Feed dipantau" in reply.result["text"] and "1 entri" in reply.result["text"]
    await until(lambda: article_id(news.url("/artikel/jembatan.html")) in answerer.index.articles)
    # The outlet publishes a new article while the bot runs.
    news.publish("priangan", "Gempa Pangandaran", "/artikel/gempa.html", NOW)
    took = await until(lambda: article_id(news.url("/artikel/gempa.html")) in answerer.index.articles)
    assert took < 1.0 + 5.0  # one polling interval plus indexing
    answer = await say(server, USER, GEMPA_QUESTION)
    assert "37" in answer.result["text"].split("\n")[0]
    assert f'href="{news.url("/artikel/gempa.html")}"' in answer.params["text"]
    listing = await say(server, MODERATOR, "/feed")
    assert "Feed priangan" in listing.result["text"] and "2 artikel" in listing.result["text"]
    sources = (await say(server, USER, "/sumber")).result["text"]
    assert sources.index("Gempa Magnitudo") < sources.index("Jembatan Teluk") < sources.index("Putin")
    assert "2026-11-29" in sources or NOW.date().isoformat() in sources


async def test_tambah_adds_one_article_or_says_why_not(live, news: NewsServer):
    server, answerer = live
    added = (await say(server, MODERATOR, f"/tambah {news.url('/artikel/panen.html')}")).result["text"]
    assert "Artikel ditambahkan" in added and "Panen Raya di Subang" in added and "Warta Tani" in added
    again = (await say(server, MODERATOR, f"/tambah {news.url('/artikel/panen.html?utm_source=wa')}")).result["text"]
    assert "sudah ada di indeks" in again
    corrected = (PAGES / "panen.html").read_text(encoding="utf-8").replace("Rp 6.800", "Rp 6.900")
    news.pages["/artikel/panen.html"] = (corrected.encode(), "text/html; charset=utf-8")
    updated = (await say(server, MODERATOR, f"/tambah {news.url('/artikel/panen.html')}")).result["text"]
    assert "Versi baru" in updated and "Rp 6.900" in answerer.index.articles[article_id(news.url("/artikel/panen.html"))].body
    cases = {"/dokumen.pdf": "bukan halaman web", "/foto.jpg": "bukan halaman web", "/hilang": "menolak",
             "/artikel/beranda.html": "tidak menemukan teks artikel", "/besar": "terlalu besar",
             "/putar/0": "terus dialihkan", "/lambat": "terlalu lama"}
    for path, expected in cases.items():
        assert expected in (await say(server, MODERATOR, f"/tambah {news.url(path)}")).result["text"], path
    assert "Cara pakai" in (await say(server, MODERATOR, "/tambah")).result["text"]
    assert "bukan alamat web" in (await say(server, MODERATOR, "/tambah berita-hari-ini")).result["text"]
    feed = (await say(server, MODERATOR, f"/feed tambah {news.url('/bukan-feed.xml')}")).result["text"]
    assert "bukan feed RSS/Atom" in feed
    assert sum(1 for a in answerer.index.articles.values() if a.url) == 1


async def test_non_moderators_cannot_add_articles_or_feeds(live, news: NewsServer, tmp_path):
    server, answerer = live
    before = answerer.index
    for command in (f"/tambah {news.url('/artikel/gempa.html')}", f"/feed tambah {news.url('/feed/x.xml')}", "/feed"):
        assert "khusus untuk moderator" in (await say(server, USER, command)).result["text"]
    assert news.requests == [] and answerer.index is before
    assert "/tambah" not in (await say(server, USER, "/help")).result["text"]
    assert "/tambah" in (await say(server, MODERATOR, "/help")).result["text"]
    menus = {c.params.get("scope", {}).get("chat_id"): {b["command"] for b in c.params["commands"]}
             for c in server.calls("setMyCommands")}
    assert {"tambah", "feed"} <= menus[MODERATOR] and "tambah" not in menus[None]
    refusals = sqlite3.connect(tmp_path / "answers.sqlite3").execute("SELECT count(*) FROM refusals").fetchone()[0]
    assert refusals == 3


async def test_a_failing_feed_is_shown_to_moderators(live, news: NewsServer):
    server, _ = live
    news.publish("mati", "Gempa", "/artikel/gempa.html", NOW)
    await say(server, MODERATOR, f"/feed tambah {news.url('/feed/mati.xml')}")
    news.failing.add("mati")
    await asyncio.sleep(2.5)  # the next poll (1 s later) fails; backoff then
    listing = (await say(server, MODERATOR, "/feed")).result["text"]
    assert "Gagal" in listing and "menolak permintaan" in listing and "Feed mati" in listing
    assert "hapus" in (await say(server, MODERATOR, "/feed x")).result["text"]  # usage
    assert "tidak dipantau lagi" in (await say(server, MODERATOR, f"/feed hapus {news.url('/feed/mati.xml')}")).result["text"]
    assert "Belum ada feed" in (await say(server, MODERATOR, "/feed")).result["text"]


async def test_no_question_lost_or_answered_twice_while_the_index_is_swapped(live, news: NewsServer, tmp_path):
    server, answerer = live
    swaps: list[float] = []
    first_index = answerer.index

    async def watch() -> None:
        current = answerer.index
        while True:
            if answerer.index is not current:
                current = answerer.index
                swaps.append(time.monotonic())
            await asyncio.sleep(0.005)

    watcher = asyncio.create_task(watch())
    users = [3000 + n for n in range(20)]
    started = time.monotonic()
    for n, user in enumerate(users):
        server.push_message(user, user, "Siapa Sekretaris Jenderal CSTO?" if n % 2 else
                            "Berapa tentara cadangan yang dimobilisasi Presiden Tajikistan?")
        if n % 5 == 0:  # four articles added one by one while the questions are being answered
            page = ("jembatan", "panen", "banjir", "gempa")[n // 5]
            server.push_message(MODERATOR, MODERATOR, f"/tambah {news.url(f'/artikel/{page}.html')}")
    replies = await server.wait_for("sendMessage", count=24, timeout=120)
    await asyncio.sleep(0.5)
    watcher.cancel()
    answers = [r for r in server.calls("sendMessage") if r.params["chat_id"] in users]
    assert sorted(r.params["chat_id"] for r in answers) == users  # each user exactly one answer
    assert all(("20.000" in r.result["text"]) or ("Zas" in r.result["text"]) for r in answers)
    assert len([r for r in replies if r.params["chat_id"] == MODERATOR]) == 4
    assert answerer.index is not first_index and len(answerer.index.articles) == len(first_index.articles) + 4
    assert swaps and started < swaps[0] < max(r.time for r in answers)  # swapped while answering
    log = await settled(tmp_path / "answers.sqlite3")
    rows = log.execute("SELECT q.chat_id, count(a.id) AS n, q.status FROM questions q LEFT JOIN answers a "
                       "ON a.question_id = q.id WHERE q.chat_id >= 3000 GROUP BY q.id").fetchall()
    assert sorted(r["chat_id"] for r in rows) == users
    assert all(r["n"] == 1 and r["status"] == "delivered" for r in rows)

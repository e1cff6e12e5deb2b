"""Pages and feeds from a real HTTP server on 127.0.0.1: every bad input gets its reason, nothing breaks."""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import AsyncIterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import pytest_asyncio

from bot.config import SEEDS_DIR
from bot.corpus.loading import load_articles
from bot.ingest.extract import article_id
from bot.ingest.feeds import MAX_BACKFILL, MAX_NEW_PER_POLL, FeedStore
from bot.ingest.fetch import Limits, SourceError
from bot.ingest.service import Ingestor
from bot.ingest.updater import IndexUpdater
from bot.retrieval.index import PassageIndex
from tests.support.news_server import NewsServer, archive_items

NOW = datetime(2026, 11, 29, 8, 0, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def seed_index() -> PassageIndex:
    return PassageIndex.build(list(load_articles([SEEDS_DIR]).articles))


@pytest_asyncio.fixture
async def news() -> AsyncIterator[NewsServer]:
    async with NewsServer() as server:
        yield server


@pytest_asyncio.fixture
async def ingest(seed_index: PassageIndex, tmp_path: Path) -> AsyncIterator[Ingestor]:
    swaps: list[PassageIndex] = []
    updater = IndexUpdater(seed_index, tmp_path / "index", swaps.append)
    service = Ingestor(updater, FeedStore(tmp_path / "feeds.json"), Limits(timeout=1.5, max_bytes=5_000_000),
                       poll_interval=60)
    service.swaps = swaps  # what the bot would have served, in order
    yield service
    await service.close()


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def reason(coro) -> str:
    with pytest.raises(SourceError) as error:
        await coro
    return error.value.reason


async def test_a_page_is_added_with_its_url_and_becomes_searchable(news: NewsServer, ingest: Ingestor, tmp_path):
    outcome = await ingest.add_url(news.url("/artikel/gempa.html"))
    assert outcome.status == "added"
    article = outcome.article
    assert article.url == news.url("/artikel/gempa.html") and article.source == "Kabar Priangan"
    [hit, *_] = ingest.updater.index.search("kedalaman pusat gempa Pangandaran")
    assert hit.passage.article_id == article.id
    assert ingest.swaps[-1] is ingest.updater.index
    assert article.id in PassageIndex.load(tmp_path / "index").articles  # persisted, complete
    assert news.hits("/artikel/gempa.html")[0]["User-Agent"].startswith("TanyaBeritaBot/")


@pytest.mark.parametrize("path, expected", [
    ("/hilang", "http_error"),  # 404
    ("/rusak", "http_error"),  # 500
    ("/besar", "too_large"),  # 50 MB, streamed without Content-Length
    ("/dokumen.pdf", "not_html"),
    ("/foto.jpg", "not_html"),
    ("/artikel/beranda.html", "no_article"),  # HTML without an article
    ("/putar/0", "too_many_redirects"),  # redirects forever
    ("/lambat", "timeout"),
])
async def test_bad_pages_get_a_reason_and_leave_the_index_alone(news: NewsServer, ingest: Ingestor, path, expected):
    before = ingest.updater.index
    started = time.monotonic()
    assert await reason(ingest.add_url(news.url(path))) == expected
    assert time.monotonic() - started < 5
    assert ingest.updater.index is before and not ingest.swaps


async def test_unreachable_host_and_bad_address(ingest: Ingestor):
    assert await reason(ingest.add_url(f"http://127.0.0.1:{closed_port()}/berita")) == "unreachable"
    assert await reason(ingest.add_url("ftp://example.com/berita")) == "bad_url"
    assert await reason(ingest.add_url("bukan alamat")) == "bad_url"


async def test_redirect_loop_stops_after_a_few_hops(news: NewsServer, ingest: Ingestor):
    await reason(ingest.add_url(news.url("/putar/0")))
    assert len([p for p, _ in news.requests if p.startswith("/putar/")]) == 6  # the page and 5 redirects


async def test_non_utf8_page_over_http(news: NewsServer, ingest: Ingestor):
    outcome = await ingest.add_url(news.url("/artikel/banjir.html"))
    assert "31 °C" in outcome.article.body and outcome.article.title == "Banjir Rendam 1.340 Rumah di Semarang Utara"


async def test_same_url_same_text_and_updated_version(news: NewsServer, ingest: Ingestor):
    first = await ingest.add_url(news.url("/artikel/panen.html"))
    again = await ingest.add_url(news.url("/artikel/panen.html?utm_source=wa"))
    assert (first.status, again.status) == ("added", "duplicate") and again.existing.id == first.article.id
    # The same text at another address is the same article.
    news.pages["/salinan/panen"] = ((Path(__file__).parent / "data/news_site/panen.html").read_bytes(), "text/html")
    copy = await ingest.add_url(news.url("/salinan/panen"))
    assert copy.status == "duplicate" and copy.existing.id == first.article.id
    # The outlet corrects the article: the new version replaces the old one.
    corrected = (Path(__file__).parent / "data/news_site/panen.html").read_text().replace("8,2 ton", "8,4 ton")
    news.pages["/artikel-baru/panen"] = (corrected.encode(), "text/html; charset=utf-8")
    news.pages["/artikel/panen.html"] = news.pages["/artikel-baru/panen"]
    news.requests.clear()
    updated = await ingest.add_url(news.url("/artikel/panen.html"))
    index = ingest.updater.index
    assert updated.status == "updated" and updated.existing.id == first.article.id
    assert "8,4 ton" in index.articles[first.article.id].body
    assert sum(1 for a in index.articles.values() if "Kecamatan Binong" in a.body) == 1
    assert len(ingest.swaps) == 2  # duplicates never rebuild the index


async def test_feed_is_polled_with_conditional_requests_and_new_entries_are_added(news: NewsServer, ingest: Ingestor):
    news.publish("pantura", "Banjir Semarang", "/artikel/banjir.html", NOW - timedelta(hours=5))
    feed, entries = await ingest.add_feed(news.url("/feed/pantura.xml"))
    assert (feed.title, entries) == ("Feed pantura", 1)
    report = await ingest.poll()
    assert report.count("added") == 1
    assert ingest.feeds.get(feed.url).articles == 1
    # Nothing new: the next poll is a conditional request answered 304, and nothing is fetched.
    news.requests.clear()
    await ingest.poll(force=True)
    assert news.hits("/feed/pantura.xml")[0]["If-None-Match"]
    assert [p for p, _ in news.requests] == ["/feed/pantura.xml"]
    # A new article is published: it is fetched and added; the old one is not fetched again.
    news.publish("pantura", "Gempa Pangandaran", "/artikel/gempa.html", NOW)
    news.requests.clear()
    report = await ingest.poll(force=True)
    assert report.count("added") == 1 and [p for p, _ in news.requests] == ["/feed/pantura.xml", "/artikel/gempa.html"]
    state = ingest.feeds.get(feed.url)
    assert state.articles == 2 and state.last_error is None and state.last_ok


async def test_a_feed_that_is_not_xml_is_refused(news: NewsServer, ingest: Ingestor):
    assert await reason(ingest.add_feed(news.url("/bukan-feed.xml"))) == "not_feed"
    assert await reason(ingest.add_feed(news.url("/teks.xml"))) == "not_feed"
    assert await reason(ingest.add_feed(news.url("/feed/tidak-ada.xml"))) == "http_error"
    assert ingest.feeds.all() == []


async def test_a_failing_feed_backs_off_shows_its_error_and_recovers(news: NewsServer, ingest: Ingestor):
    news.publish("priangan", "Gempa", "/artikel/gempa.html", NOW)
    feed, _ = await ingest.add_feed(news.url("/feed/priangan.xml"))
    news.failing.add("priangan")
    started = time.time()
    first = await ingest.poll()
    second = await ingest.poll(force=True)
    assert first.failed_feeds == second.failed_feeds == {feed.url: "http_error"}
    state = ingest.feeds.get(feed.url)
    assert state.last_error == "http_error" and state.failures == 2
    assert state.next_due >= started + 60 * 4  # backoff: interval * 2^failures
    assert (await ingest.poll()).feeds == 0  # not due yet: not fetched
    news.failing.clear()
    report = await ingest.poll(force=True)
    assert report.count("added") == 1
    state = ingest.feeds.get(feed.url)
    assert state.last_error is None and state.failures == 0


async def test_a_feed_with_10000_entries_fetches_only_the_newest(news: NewsServer, ingest: Ingestor):
    news.feeds["arsip"] = archive_items(10_000, NOW)
    await ingest.add_feed(news.url("/feed/arsip.xml"))
    started = time.monotonic()
    report = await ingest.poll()
    fetched = [p for p, _ in news.requests if p.startswith("/artikel/")]
    assert len(fetched) == MAX_BACKFILL and "/artikel/panen.html?arsip=0" in fetched
    assert report.skipped_old == 10_000 - MAX_BACKFILL
    assert report.count("added") == 1 and report.count("duplicate") == MAX_BACKFILL - 1  # all the same text
    assert time.monotonic() - started < 30
    news.requests.clear()
    news.publish("arsip", "Gempa", "/artikel/gempa.html", NOW + timedelta(hours=1))
    report = await ingest.poll(force=True)
    assert [p for p, _ in news.requests if p.startswith("/artikel/")] == ["/artikel/gempa.html"]
    assert report.count("added") == 1


async def test_entries_without_links_or_dates(news: NewsServer, ingest: Ingestor):
    news.publish("campur", "Tanpa tautan", None, NOW)
    news.publish("campur", None, "/artikel/gempa.html", None)  # no title, no date: the page has both
    await ingest.add_feed(news.url("/feed/campur.xml"))
    report = await ingest.poll()
    assert report.without_link == 1 and report.count("added") == 1
    article = report.outcomes[0].article
    assert (article.title, article.date) == ("Gempa Magnitudo 5,4 Guncang Pangandaran, 37 Rumah Rusak Ringan", "2026-11-29")


async def test_the_same_article_in_three_feeds_is_fetched_and_indexed_once(news: NewsServer, ingest: Ingestor):
    for name, suffix in (("satu", ""), ("dua", "?utm_source=rss"), ("tiga", "?utm_medium=feed&utm_source=x")):
        news.publish(name, "Jembatan", f"/artikel/jembatan.html{suffix}", NOW)
        await ingest.add_feed(news.url(f"/feed/{name}.xml"))
    report = await ingest.poll()
    assert report.feeds == 3 and report.count("added") == 1 and len(report.outcomes) == 1
    assert len(news.hits("/artikel/jembatan.html")) == 1
    index = ingest.updater.index
    assert sum(1 for a in index.articles.values() if "Teluk Sepinggan" in a.title) == 1
    assert article_id(news.url("/artikel/jembatan.html")) in index.articles
    assert sorted(f.articles for f in ingest.feeds.all()) == [0, 0, 1]


async def test_feed_pages_that_fail_temporarily_are_tried_again(news: NewsServer, ingest: Ingestor):
    news.publish("mati", "Halaman rusak", "/rusak", NOW)
    news.publish("mati", "PDF", "/dokumen.pdf", NOW - timedelta(hours=1))
    await ingest.add_feed(news.url("/feed/mati.xml"))
    report = await ingest.poll()
    assert sorted(e.reason for e in report.page_errors.values()) == ["http_error", "not_html"]
    news.requests.clear()
    await ingest.poll(force=True)
    assert [p for p, _ in news.requests if p != "/feed/mati.xml"] == ["/rusak"]  # the PDF is not fetched again


async def test_updates_are_serialised_and_coalesced(news: NewsServer, ingest: Ingestor):
    urls = [news.url(f"/artikel/{name}.html") for name in ("jembatan", "panen", "banjir", "gempa")]
    outcomes = await asyncio.gather(*(ingest.add_url(u) for u in urls), ingest.add_url(urls[0]))
    assert sorted(o.status for o in outcomes) == ["added"] * 4 + ["duplicate"]
    assert len(ingest.swaps) < 5  # at least two of them went into one rebuild
    assert all(article_id(u) in ingest.updater.index.articles for u in urls)


async def test_a_failed_update_keeps_the_old_index_serving(news: NewsServer, ingest: Ingestor, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    ingest.updater.index_dir = blocker / "index"  # saving is impossible
    before = ingest.updater.index
    with pytest.raises(OSError):
        await ingest.add_url(news.url("/artikel/gempa.html"))
    assert ingest.updater.index is before and not ingest.swaps


async def test_an_empty_feed_is_a_feed(news: NewsServer, ingest: Ingestor):
    news.feeds["baru"] = []
    feed, entries = await ingest.add_feed(news.url("/feed/baru.xml"))
    assert entries == 0 and (await ingest.poll()).feeds == 1
    assert ingest.feeds.get(feed.url).last_error is None


async def test_later_polls_take_every_new_entry_up_to_the_per_poll_limit(news: NewsServer, ingest: Ingestor):
    news.feeds["sibuk"] = []
    await ingest.add_feed(news.url("/feed/sibuk.xml"))
    await ingest.poll()
    for n in range(MAX_NEW_PER_POLL + 5):  # a busy outlet between two polls
        news.publish("sibuk", f"Berita {n}", f"/hilang/{n}", NOW + timedelta(minutes=n))
    report = await ingest.poll(force=True)
    assert len(report.page_errors) == MAX_NEW_PER_POLL and report.skipped_old == 5
    news.publish("sibuk", "Gempa", "/artikel/gempa.html", NOW + timedelta(days=1))
    news.requests.clear()
    await ingest.poll(force=True)
    assert [p for p, _ in news.requests] == ["/feed/sibuk.xml", "/artikel/gempa.html"]  # a 404 is not fetched again

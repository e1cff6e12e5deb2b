"""Fresh articles for a running bot: one page now (`/tambah`, `index --add URL`), or feeds on a schedule."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import httpx

from bot.config import Settings
from bot.ingest.extract import Hints, extract_article
from bot.ingest.feeds import MAX_BACKFILL, MAX_NEW_PER_POLL, Entry, FeedState, FeedStore, parse_feed
from bot.ingest.fetch import Limits, SourceError, fetch, new_client, require_html
from bot.ingest.updater import IndexUpdater, Outcome
from bot.records import Article
from bot.retrieval.index import PassageIndex

logger = logging.getLogger(__name__)

PARALLEL_FETCHES = 4


@dataclass
class PollReport:
    feeds: int = 0  # feeds fetched in this poll
    failed_feeds: dict[str, str] = field(default_factory=dict)  # url -> reason
    outcomes: list[Outcome] = field(default_factory=list)
    page_errors: dict[str, SourceError] = field(default_factory=dict)  # article url -> why it was not added
    skipped_old: int = 0  # unseen entries beyond the limit (MAX_BACKFILL, MAX_NEW_PER_POLL), recorded as seen
    without_link: int = 0

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)


def build_ingestor(settings: Settings, index: PassageIndex, on_swap: Callable[[PassageIndex], None],
                   embedder: object | None = None) -> Ingestor:
    """The ingestor of a bot (or CLI) whose current index is `index`; `on_swap` gets each new index."""
    updater = IndexUpdater(index, settings.index_dir, on_swap, embedder)
    limits = Limits(timeout=settings.fetch_timeout, max_bytes=settings.fetch_max_bytes)
    return Ingestor(updater, FeedStore(settings.feeds_path), limits, settings.feed_poll_seconds)


class Ingestor:
    """Fetch, extract, de-duplicate and index articles; keep feeds polled."""

    def __init__(self, updater: IndexUpdater | None, feeds: FeedStore, limits: Limits = Limits(),
                 poll_interval: float = 600.0, client: httpx.AsyncClient | None = None) -> None:
        self.updater = updater  # None: feeds can be listed and edited, not polled (the CLI's `feed list`)
        self.feeds = feeds
        self.limits = limits
        self.poll_interval = poll_interval
        self.client = client or new_client()
        self._polling = asyncio.Lock()
        self._fetches = asyncio.Semaphore(PARALLEL_FETCHES)

    async def fetch_article(self, url: str, hints: Hints = Hints()) -> Article:
        """The article at `url`, extracted and cleaned; SourceError says why not."""
        async with self._fetches:
            page = await fetch(self.client, url, self.limits)
        require_html(page)
        return await asyncio.to_thread(extract_article, page.content, page.url, page.charset, hints)

    async def add_url(self, url: str) -> Outcome:
        """Fetch one article and add it to the index now."""
        article = await self.fetch_article(url)
        [outcome] = await self.updater.add([article])
        return outcome

    async def add_feed(self, url: str) -> tuple[FeedState, int]:
        """Check that `url` is a feed (fetch and parse it) and add it; (feed, entries in it now)."""
        page = await fetch(self.client, url, self.limits)
        parsed = await asyncio.to_thread(parse_feed, page.content, page.url)
        return self.feeds.add(url, parsed.title), len(parsed.entries)

    def remove_feed(self, url: str) -> bool:
        return self.feeds.remove(url)

    async def poll(self, force: bool = False) -> PollReport:
        """Fetch the feeds that are due (all with `force`), then index their new entries together."""
        async with self._polling:
            now = time.time()
            due = [f for f in self.feeds.all() if force or f.due(now)]
            report = PollReport(feeds=len(due))
            if not due:
                return report
            checked = [c for c in await asyncio.gather(*(self._check_feed(f, now, report) for f in due)) if c]
            wanted: dict[str, tuple[Entry, FeedState]] = {}
            for state, entries in checked:
                for entry in entries:
                    wanted.setdefault(entry.link, (entry, state))  # the same article in several feeds: once
            pages = await asyncio.gather(*(self._fetch_entry(e) for e, _ in wanted.values()))
            articles = [a for a in pages if isinstance(a, Article)]
            report.outcomes = await self.updater.add(articles) if articles else []
            found = iter(report.outcomes)
            by_link: dict[str, Outcome] = {}
            for link, page in zip(wanted, pages):
                if isinstance(page, SourceError):
                    report.page_errors[link] = page
                else:
                    by_link[link] = next(found)
            for state, entries in checked:
                self._finish(state, entries, wanted, by_link, report)
            self._log(report)
            return report

    async def _check_feed(self, state: FeedState, now: float, report: PollReport) -> tuple[FeedState, list[Entry]] | None:
        """Fetch one feed (conditional request) and pick its new entries; None when there is nothing to do.

        A failure is stored in the feed's state (shown by /feed) and backs the feed off; it is not raised.
        """
        try:
            page = await fetch(self.client, state.url, self.limits, etag=state.etag, last_modified=state.last_modified)
            if page.status == 304:
                self.feeds.update(state.succeeded(now, self.poll_interval))
                return None
            parsed = await asyncio.to_thread(parse_feed, page.content, state.url)
        except SourceError as error:
            logger.warning("feed %s failed (%s); next try after backoff", state.url, error)
            report.failed_feeds[state.url] = error.reason
            self.feeds.update(state.failed(error.reason, now, self.poll_interval))
            return None
        seen = set(state.seen)
        unseen = [e for e in parsed.entries if e.key not in seen]
        limit = MAX_NEW_PER_POLL if state.last_ok else MAX_BACKFILL
        report.skipped_old += max(0, len(unseen) - limit)
        report.without_link += parsed.without_link
        current = replace(state.succeeded(now, self.poll_interval, etag=page.etag, last_modified=page.last_modified,
                                          title=parsed.title or state.title),
                          seen=tuple(e.key for e in parsed.entries))
        return current, unseen[:limit]

    async def _fetch_entry(self, entry: Entry) -> Article | SourceError:
        try:
            return await self.fetch_article(entry.link, Hints(title=entry.title, date=entry.date))
        except SourceError as error:
            logger.info("feed entry %s skipped: %s", entry.link, error)
            return error

    def _finish(self, state: FeedState, entries: list[Entry], wanted: dict[str, tuple[Entry, FeedState]],
                by_link: dict[str, Outcome], report: PollReport) -> None:
        """Store the feed's new state: every entry is seen, except pages to try again next time."""
        # Pages that failed for a passing reason are tried again at the next poll; 404, PDF, no article… are not.
        retry = {e.key for e in entries if (error := report.page_errors.get(e.link)) and error.transient}
        mine = [e for e in entries if wanted[e.link][1].url == state.url]
        added = sum(1 for e in mine if (o := by_link.get(e.link)) and o.status != "duplicate")
        if retry:  # no validators, or the next poll's 304 would hide the entries to try again
            state = replace(state, etag=None, last_modified=None)
        self.feeds.update(replace(state, seen=tuple(k for k in state.seen if k not in retry),
                                  articles=(self.feeds.get(state.url) or state).articles + added))

    @staticmethod
    def _log(report: PollReport) -> None:
        logger.info("polled %d feeds: %d added, %d updated, %d duplicates, %d pages failed, %d feeds failed",
                    report.feeds, report.count("added"), report.count("updated"), report.count("duplicate"),
                    len(report.page_errors), len(report.failed_feeds))

    async def close(self) -> None:
        await self.client.aclose()
        if self.updater is not None:
            self.updater.close()

"""RSS/Atom feeds: parse one with feedparser, and keep the list of feeds and their state in a JSON file.

The state of each feed (conditional-request validators, last fetch, last error, backoff, the
entries already seen, articles added) lives in `$BOT_DATA_DIR/feeds.json`, written atomically
(temporary file + rename). Every change re-reads the file first, so `python -m bot feed …` and
the running bot can both edit it.
"""

from __future__ import annotations

import calendar
import json
import os
import threading
import time
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path

import feedparser

from bot.ingest.extract import normalise_url
from bot.ingest.fetch import SourceError

MAX_BACKFILL = 20  # entries taken at a feed's first poll: an archive of 10,000 entries cannot flood the index
MAX_NEW_PER_POLL = 100  # new entries taken at each later poll (a busy outlet between two polls)
MAX_BACKOFF_S = 6 * 3600


@dataclass(frozen=True)
class Entry:
    link: str  # normalised
    title: str | None
    date: str | None  # ISO date of publication (or of the last update)
    key: str  # link + update stamp: a new key for a known link is an updated article


@dataclass(frozen=True)
class ParsedFeed:
    title: str
    entries: tuple[Entry, ...]  # newest first
    without_link: int  # entries that name no article page (skipped)


def parse_feed(content: bytes, url: str) -> ParsedFeed:
    """Entries of an RSS or Atom document; SourceError("not_feed") for anything else."""
    # Only links, titles and dates are used: skip sanitising and resolving the entries' HTML.
    parsed = feedparser.parse(content, response_headers={"content-location": url}, sanitize_html=False,
                              resolve_relative_uris=False)
    # No RSS/Atom version means not a feed; a bozo flag alone may be benign (e.g. an untyped response).
    if not parsed.get("version"):
        problem = parsed.get("bozo_exception")
        raise SourceError("not_feed", f"{url} is not an RSS/Atom feed ({problem or 'unknown format'})")
    entries, without_link, seen = [], 0, set()
    for position, raw in enumerate(parsed.entries):
        link = raw.get("link") or ""
        if not link.startswith(("http://", "https://")):
            without_link += 1
            continue
        # dict.get: feedparser's own get() warns when it maps a missing updated_parsed to published_parsed.
        stamp = dict.get(raw, "updated_parsed") or dict.get(raw, "published_parsed")
        link = normalise_url(link)
        if link in seen:
            continue
        seen.add(link)
        published = dict.get(raw, "published_parsed") or stamp
        entries.append((-(calendar.timegm(stamp) if stamp else 0), position, Entry(
            link=link, title=(raw.get("title") or "").strip() or None,
            date=time.strftime("%Y-%m-%d", published) if published else None,
            key=f"{link}|{time.strftime('%Y-%m-%dT%H:%M:%S', stamp) if stamp else ''}")))
    # Newest first; entries without dates come after the dated ones, in the feed's own order.
    ordered = [entry for *_, entry in sorted(entries, key=lambda t: (t[0], t[1]))]
    return ParsedFeed((parsed.feed.get("title") or "").strip(), tuple(ordered), without_link)


@dataclass(frozen=True)
class FeedState:
    url: str
    title: str = ""
    added_at: str = ""
    etag: str | None = None
    last_modified: str | None = None
    last_fetch: str | None = None  # ISO time of the last attempt
    last_ok: str | None = None
    last_error: str | None = None  # reason code of the last failure, None after a success
    failures: int = 0  # consecutive
    next_due: float = 0.0  # epoch seconds; later after failures (backoff)
    articles: int = 0  # articles added or updated from this feed
    seen: tuple[str, ...] = field(default=(), repr=False)  # entry keys handled already

    def due(self, now: float) -> bool:
        return now >= self.next_due

    def failed(self, reason: str, now: float, interval: float) -> FeedState:
        failures = self.failures + 1
        return replace(self, last_fetch=_iso(now), last_error=reason, failures=failures,
                       next_due=now + min(interval * 2 ** failures, MAX_BACKOFF_S))

    def succeeded(self, now: float, interval: float, **changes) -> FeedState:
        # Due again after 90% of the interval, so a poll job ticking every `interval` never skips it.
        return replace(self, last_fetch=_iso(now), last_ok=_iso(now), last_error=None, failures=0,
                       next_due=now + 0.9 * interval, **changes)


def _iso(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


class FeedStore:
    """The feeds in `path` (JSON). Methods are small read-modify-write transactions."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()

    def all(self) -> list[FeedState]:
        if not self.path.exists():
            return []
        records = json.loads(self.path.read_text(encoding="utf-8"))
        return [FeedState(**{**r, "seen": tuple(r.get("seen", ()))}) for r in records]

    def get(self, url: str) -> FeedState | None:
        url = normalise_url(url)
        return next((f for f in self.all() if f.url == url), None)

    def add(self, url: str, title: str) -> FeedState:
        """Add a feed (due at once); an existing one is returned unchanged."""
        with self._lock:
            feeds = self.all()
            url = normalise_url(url)
            existing = next((f for f in feeds if f.url == url), None)
            if existing:
                return existing
            state = FeedState(url=url, title=title, added_at=_iso(time.time()))
            self._write(feeds + [state])
            return state

    def remove(self, url: str) -> bool:
        with self._lock:
            feeds = self.all()
            kept = [f for f in feeds if f.url != normalise_url(url)]
            self._write(kept)
            return len(kept) < len(feeds)

    def update(self, state: FeedState) -> None:
        """Store a feed's new state, unless it was removed meanwhile."""
        with self._lock:
            feeds = self.all()
            if any(f.url == state.url for f in feeds):
                self._write([state if f.url == state.url else f for f in feeds])

    def _write(self, feeds: list[FeedState]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(self.path.name + ".tmp")
        tmp.write_text(json.dumps([asdict(f) for f in feeds], ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, self.path)

"""A real HTTP server on 127.0.0.1 that plays Indonesian news sites for the ingest tests.

It serves the fixture pages of tests/data/news_site, RSS feeds that a test can publish new
entries to (with ETag and Last-Modified, answering 304 to conditional requests), and every
kind of bad answer a fetcher meets: 404, 500, a slow page, a 50 MB page, a PDF, an image, a
redirect loop, a feed that is not XML, a feed of 10,000 entries, entries without links or dates.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

from aiohttp import web

PAGES = Path(__file__).resolve().parent.parent / "data" / "news_site"


@dataclass
class FeedItem:
    title: str | None
    link: str | None  # absolute, or a path on this server
    published: datetime | None


@dataclass
class NewsServer:
    feeds: dict[str, list[FeedItem]] = field(default_factory=dict)  # name -> items, newest first
    pages: dict[str, tuple[bytes, str]] = field(default_factory=dict)  # extra path -> (body, content type)
    failing: set[str] = field(default_factory=set)  # feed names answered with HTTP 500
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)  # (path, headers) of every request
    base_url: str = ""
    _runner: web.AppRunner | None = None
    _closing: asyncio.Event = field(default_factory=asyncio.Event)

    async def __aenter__(self) -> NewsServer:
        app = web.Application()
        app.router.add_get("/artikel/{name}", self._page)
        app.router.add_get("/feed/{name}.xml", self._feed)
        app.router.add_get("/lambat", self._slow)
        app.router.add_get("/besar", self._huge)
        app.router.add_get("/putar/{n}", self._loop)
        app.router.add_get("/{tail:.*}", self._other)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]
        self.base_url = f"http://127.0.0.1:{port}"
        self.pages["/dokumen.pdf"] = (b"%PDF-1.7\n" + b"0" * 2000, "application/pdf")
        self.pages["/foto.jpg"] = (b"\xff\xd8\xff\xe0" + b"0" * 2000, "image/jpeg")
        self.pages["/bukan-feed.xml"] = ((PAGES / "beranda.html").read_bytes(), "text/html; charset=utf-8")
        self.pages["/teks.xml"] = (b"ini bukan xml sama sekali { } ]]>", "application/rss+xml")
        return self

    async def __aexit__(self, *exc) -> None:
        self._closing.set()  # the slow page stops waiting
        if self._runner is not None:
            await self._runner.cleanup()

    def url(self, path: str) -> str:
        return self.base_url + path

    def publish(self, feed: str, title: str | None, link: str | None, published: datetime | None) -> None:
        """Put a new item at the top of a feed."""
        self.feeds.setdefault(feed, []).insert(0, FeedItem(title, link, published))

    def hits(self, path: str) -> list[dict[str, str]]:
        return [headers for p, headers in self.requests if p == path]

    def _record(self, request: web.Request) -> None:
        self.requests.append((request.path_qs, dict(request.headers)))

    async def _page(self, request: web.Request) -> web.Response:
        self._record(request)
        if request.path in self.pages:  # a test replaced the page (e.g. the outlet corrected it)
            return self._extra(request.path)
        path = PAGES / request.match_info["name"]
        if not path.is_file() or path.suffix != ".html":
            raise web.HTTPNotFound()
        return web.Response(body=path.read_bytes(), content_type="text/html")  # charset only in the page

    async def _feed(self, request: web.Request) -> web.Response:
        self._record(request)
        name = request.match_info["name"]
        if name in self.failing:
            raise web.HTTPInternalServerError()
        if name not in self.feeds:
            raise web.HTTPNotFound()
        body = rss(name, self.feeds[name], self.base_url).encode()
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        newest = max((i.published for i in self.feeds[name] if i.published), default=None)
        headers = {"ETag": etag}
        if newest:
            headers["Last-Modified"] = format_datetime(newest.astimezone(timezone.utc), usegmt=True)
        if request.headers.get("If-None-Match") == etag:
            return web.Response(status=304, headers=headers)
        return web.Response(body=body, content_type="application/rss+xml", charset="utf-8", headers=headers)

    async def _slow(self, request: web.Request) -> web.StreamResponse:
        self._record(request)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._closing.wait(), 30)
        return web.Response(text="<html><body>terlambat</body></html>", content_type="text/html")

    async def _huge(self, request: web.Request) -> web.StreamResponse:
        """A 50 MB page, streamed without Content-Length (the fetcher must stop reading, not trust a header)."""
        self._record(request)
        response = web.StreamResponse(headers={"Content-Type": "text/html; charset=utf-8"})
        await response.prepare(request)
        chunk = b"<p>" + b"Berita panjang sekali. " * 4000 + b"</p>\n"
        sent = 0
        try:
            while sent < 50_000_000:
                await response.write(chunk)
                sent += len(chunk)
        except (ConnectionResetError, RuntimeError):
            pass  # the client stopped reading
        return response

    async def _loop(self, request: web.Request) -> web.Response:
        self._record(request)
        raise web.HTTPFound(f"/putar/{int(request.match_info['n']) + 1}")

    async def _other(self, request: web.Request) -> web.Response:
        self._record(request)
        if request.path == "/rusak":
            raise web.HTTPInternalServerError()
        if request.path in self.pages:
            return self._extra(request.path)
        raise web.HTTPNotFound()

    def _extra(self, path: str) -> web.Response:
        body, content_type = self.pages[path]
        return web.Response(body=body, headers={"Content-Type": content_type})


def rss(name: str, items: list[FeedItem], base_url: str) -> str:
    """An RSS 2.0 document of these items (links relative to this server are made absolute)."""
    parts = []
    for item in items:
        fields = []
        if item.title:
            fields.append(f"<title>{escape(item.title)}</title>")
        if item.link:
            link = item.link if item.link.startswith("http") else base_url + item.link
            fields.append(f"<link>{escape(link)}</link><guid>{escape(link)}</guid>")
        if item.published:
            fields.append(f"<pubDate>{format_datetime(item.published.astimezone(timezone.utc), usegmt=True)}</pubDate>")
        fields.append("<description>Ringkasan berita.</description>")
        parts.append("<item>" + "".join(fields) + "</item>")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
            f"<title>Feed {escape(name)}</title><link>{base_url}/</link><description>Berita terbaru</description>"
            + "".join(parts) + "</channel></rss>")


def archive_items(count: int, start: datetime) -> list[FeedItem]:
    """A feed of `count` items (newest first) whose pages are all the same fixture article."""
    return [FeedItem(f"Arsip berita nomor {n}", f"/artikel/panen.html?arsip={n}", start - timedelta(hours=n))
            for n in range(count)]

"""Fetch one web resource politely and safely: timeout, size cap, bounded redirects, clear reasons.

Every way a fetch can go wrong becomes a `SourceError` whose `reason` is one short code that
the Telegram replies and the CLI turn into words (prompts/telegram/ingest.html).
"""

from __future__ import annotations

import asyncio
import logging
import re
from dataclasses import dataclass

import httpx

logger = logging.getLogger(__name__)

USER_AGENT = "TanyaBeritaBot/0.1 (Indonesian news question answering; fetches pages its moderators add)"
MAX_REDIRECTS = 5
HTML_TYPES = ("text/html", "application/xhtml+xml")
_BINARY_MAGIC = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"PK\x03\x04", b"RIFF")
_CHARSET = re.compile(r"charset=[\"']?([\w.:-]+)", re.IGNORECASE)


class SourceError(Exception):
    """A page or feed cannot be used; `reason` is a code, `detail` says more (for logs and the CLI)."""

    def __init__(self, reason: str, detail: str = "", status: int | None = None) -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.status = status  # the HTTP status of an http_error
        self.reason = reason  # bad_url, unreachable, timeout, http_error, too_many_redirects, too_large, not_html,
        # no_article (extract.py), not_feed (feeds.py)
        self.detail = detail

    @property
    def transient(self) -> bool:
        """Worth another try later: a timeout, a connection failure, a server error (5xx, 429)."""
        return self.reason in ("timeout", "unreachable") or (self.status or 0) >= 500 or self.status == 429


@dataclass(frozen=True)
class Limits:
    timeout: float = 15.0  # seconds for the whole fetch, body included
    max_bytes: int = 5_000_000  # a news page is well under 1 MB; a feed of 10,000 entries about 3 MB


@dataclass(frozen=True)
class Fetched:
    url: str  # after redirects
    status: int  # 200, or 304 for a conditional request with nothing new
    content: bytes
    content_type: str  # lower-case media type without parameters, "" when the server sent none
    charset: str | None  # from the Content-Type header
    etag: str | None
    last_modified: str | None


def new_client() -> httpx.AsyncClient:
    """One client per process (connection pooling); redirects are followed, at most MAX_REDIRECTS."""
    return httpx.AsyncClient(follow_redirects=True, max_redirects=MAX_REDIRECTS,
                             headers={"User-Agent": USER_AGENT}, timeout=httpx.Timeout(15.0))


def check_url(url: str) -> str:
    url = url.strip()
    parsed = httpx.URL(url) if re.match(r"https?://[^\s/]+", url, re.IGNORECASE) else None
    if parsed is None or not parsed.host:
        raise SourceError("bad_url", f"not an http(s) address: {url[:100]!r}")
    return url


async def fetch(client: httpx.AsyncClient, url: str, limits: Limits, *, etag: str | None = None,
                last_modified: str | None = None) -> Fetched:
    """GET `url`; conditional when `etag`/`last_modified` are given (a 304 comes back as status 304)."""
    url = check_url(url)
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    try:
        async with asyncio.timeout(limits.timeout):
            return await _get(client, url, headers, limits)
    except TimeoutError:
        raise SourceError("timeout", f"no complete answer from {url} within {limits.timeout:g} s") from None
    except httpx.TooManyRedirects:
        raise SourceError("too_many_redirects", f"more than {MAX_REDIRECTS} redirects from {url}") from None
    except httpx.TimeoutException:
        raise SourceError("timeout", f"{url} timed out") from None
    except (httpx.TransportError, httpx.InvalidURL) as error:
        raise SourceError("unreachable", f"{url}: {error.__class__.__name__}: {error}") from None


async def _get(client: httpx.AsyncClient, url: str, headers: dict[str, str], limits: Limits) -> Fetched:
    async with client.stream("GET", url, headers=headers, timeout=limits.timeout) as response:
        if response.status_code == 304:
            return Fetched(str(response.url), 304, b"", "", None, response.headers.get("etag"),
                           response.headers.get("last-modified"))
        if response.status_code >= 400:
            raise SourceError("http_error", f"HTTP {response.status_code} from {response.url}", response.status_code)
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limits.max_bytes:
            raise SourceError("too_large", f"{int(declared):,} bytes > {limits.max_bytes:,}")
        chunks, size = [], 0
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            if size > limits.max_bytes:
                raise SourceError("too_large", f"more than {limits.max_bytes:,} bytes")
            chunks.append(chunk)
        raw_type = response.headers.get("content-type", "")
        match = _CHARSET.search(raw_type)
        return Fetched(str(response.url), response.status_code, b"".join(chunks),
                       raw_type.split(";")[0].strip().lower(), match[1] if match else None,
                       response.headers.get("etag"), response.headers.get("last-modified"))


def require_html(page: Fetched) -> None:
    """Raise not_html unless the response is a web page (by its type, or its first bytes when untyped)."""
    head = page.content[:16].lstrip()
    if head.startswith(_BINARY_MAGIC):
        raise SourceError("not_html", f"{page.url} is a binary file ({page.content_type or 'untyped'})")
    if page.content_type and page.content_type not in HTML_TYPES:
        raise SourceError("not_html", f"{page.url} is {page.content_type}, not a web page")

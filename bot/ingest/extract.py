"""A news web page in, a clean Article out: trafilatura finds the story, bot.corpus cleans it.

trafilatura (the field's standard; chosen over newspaper4k and readability-lxml by measurement
on tests/data/news_site, see `python -m bot.ingest.compare`) extracts the main text and the
title, outlet, date and author. Containers that Indonesian outlets use for comments, share bars,
related headlines and read-also boxes are pruned first; the text then goes through the same
cleaning as the text captures (furniture lines, dateline, byline), and only prose lines stay.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import trafilatura

from bot.corpus.byline import without_credits
from bot.corpus.cleaning import clean_supplied, looks_like_prose, opening_dateline
from bot.ingest.fetch import SourceError
from bot.records import Article

MIN_ARTICLE_CHARS = 150  # less prose than this is a headline list, a cookie notice or an error page

# Boxes that are never the story: comments, share bars, related/popular lists, read-also, tags.
_BOX = ("comment", "komentar", "tanggapan", "disqus", "share", "bagikan", "sosmed", "social", "related",
        "terkait", "rekomendasi", "populer", "terpopuler", "lainnya", "baca-juga", "bacajuga", "sisip",
        "inline-related", "newsletter", "tags", "breadcrumb", "sidebar", "iklan", "breaking")
PRUNE_XPATH = [f"//*[contains(translate(@class, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz'), '{box}') "
               f"or contains(translate(@id, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz'), '{box}')]"
               for box in _BOX] + ["//nav", "//aside", "//footer", "//form", "//figcaption"]
_TRACKING = re.compile(r"^(utm_\w+|fbclid|gclid|ref|source|amp)$", re.IGNORECASE)


@dataclass(frozen=True)
class Hints:
    """What a feed entry already says about the article, used when the page does not say it."""

    title: str | None = None
    date: str | None = None  # ISO date


def normalise_url(url: str) -> str:
    """One spelling per article: lower-case host, no fragment, no tracking parameters, no trailing slash."""
    parts = urlsplit(url.strip())
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k)])
    path = parts.path.rstrip("/") or "/"
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, query, ""))


def article_id(url: str) -> str:
    """Stable id of the article at this address (its normalised URL)."""
    return "web-" + hashlib.sha1(normalise_url(url).encode()).hexdigest()[:16]


def extract_article(page: bytes | str, url: str, charset: str | None = None, hints: Hints = Hints()) -> Article:
    """The article on this page; SourceError("no_article") when there is no story on it."""
    if isinstance(page, bytes) and charset:
        try:
            page = page.decode(charset, errors="replace")
        except LookupError:  # an unknown charset name: let trafilatura detect the encoding
            pass
    doc = trafilatura.bare_extraction(page, url=url, with_metadata=True, include_comments=False,
                                      include_tables=False, prune_xpath=PRUNE_XPATH, deduplicate=False)
    if doc is None or not doc.text:
        raise SourceError("no_article", f"no main text found on {url}")
    title = (doc.title or hints.title or "").strip()
    lines = [line.strip() for line in doc.text.splitlines()]
    prose = [line for line in lines if line and line != title and looks_like_prose(line)]
    outlet = dateline = None
    if prose:
        outlet, dateline, prose[0] = opening_dateline(prose[0])
    article = clean_supplied(
        article_id(url), title, "\n".join(prose),
        source=(doc.sitename or outlet or urlsplit(url).hostname or "").strip(),
        date=doc.date if doc.date and _plausible_date(doc.date, hints.date) else hints.date,
        url=normalise_url(url), author=doc.author, dateline=dateline,
    )
    story = without_credits(article.body)
    if len(story) < MIN_ARTICLE_CHARS:
        raise SourceError("no_article", f"only {len(story)} characters of prose on {url}")
    return article


def _plausible_date(found: str, hinted: str | None) -> bool:
    """trafilatura falls back to a copyright year ("2026-01-01"); a feed's own date is better then."""
    return not (hinted and found.endswith("-01-01") and found[:4] == hinted[:4] and found != hinted)

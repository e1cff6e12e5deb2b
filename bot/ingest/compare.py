"""Compare article extractors on the fixture pages: `python -m bot.ingest.compare [FOLDER]`.

Each extractor's text goes through the same cleaning as the bot's (prose lines, dateline,
furniture lines), then is scored against FOLDER/expected.json: title, date and outlet exact,
body starting and ending at the right sentences, and no navigation/related/share/comment text.
newspaper4k and readability-lxml are optional (`pip install -e ".[compare-extractors]"`).
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from bot.config import REPO_ROOT
from bot.corpus.byline import without_credits
from bot.corpus.cleaning import clean_supplied, looks_like_prose, split_dateline
from bot.ingest.extract import extract_article
from bot.ingest.fetch import SourceError
from bot.records import Article

FIXTURES = REPO_ROOT / "tests" / "data" / "news_site"


def _cleaned(title: str, text: str, source: str, date: str | None, url: str) -> Article:
    prose = [line.strip() for line in text.splitlines() if line.strip() and line.strip() != title
             and looks_like_prose(line.strip())]
    if prose:
        _, prose[0] = split_dateline(prose[0])
    return clean_supplied("x", title, "\n".join(prose), source, date, url)


def _trafilatura_plain(raw: bytes, url: str) -> Article:
    import trafilatura

    doc = trafilatura.bare_extraction(raw, url=url, with_metadata=True, include_comments=False)
    return _cleaned(doc.title or "", doc.text or "", doc.sitename or "", doc.date, url)


def _newspaper(raw: bytes, url: str) -> Article:
    from newspaper import Article as Page

    page = Page(url)
    page.download(input_html=raw)
    page.parse()
    date = page.publish_date.date().isoformat() if page.publish_date else None
    return _cleaned(page.title or "", page.text or "", page.meta_site_name or "", date, url)


def _readability(raw: bytes, url: str) -> Article:
    import lxml.html
    from readability import Document

    doc = Document(raw)
    text = "\n".join(p.text_content() for p in lxml.html.fromstring(doc.summary()).iter("p", "div", "li")
                     if p.text and p.text.strip())
    return _cleaned(doc.short_title(), text, "", None, url)


EXTRACTORS: dict[str, Callable[[bytes, str], Article]] = {
    "trafilatura + pruning (the bot)": lambda raw, url: extract_article(raw, url),
    "trafilatura defaults": _trafilatura_plain,
    "newspaper4k": _newspaper,
    "readability-lxml": _readability,
}


def score(article: Article, want: dict) -> dict:
    story = without_credits(article.body)
    lowered = story.lower()
    return {
        "title": article.title == want["title"], "date": article.date == want["date"],
        "source": article.source == want["source"],
        "boundaries": story.startswith(want["first"]) and story.endswith(want["last"]),
        "furniture": sum(1 for f in want["furniture"] if f.lower() in lowered),
    }


def main(folder: Path = FIXTURES) -> int:
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    print(f"{len(expected)} pages; per page: title, date, outlet exact, body boundaries right, furniture strings leaked")
    for name, extractor in EXTRACTORS.items():
        totals = {"title": 0, "date": 0, "source": 0, "boundaries": 0, "furniture": 0}
        times = []
        try:
            for page, want in expected.items():
                raw = (folder / page).read_bytes()
                started = time.perf_counter()
                try:
                    article = extractor(raw, f"https://example.test/{page}")
                except SourceError:
                    article = Article("x", "", "", None, None, "")
                times.append((time.perf_counter() - started) * 1000)
                for key, value in score(article, want).items():
                    totals[key] += int(value)
        except ImportError as error:
            print(f"{name:32s} not installed ({error.name})")
            continue
        n = len(expected)
        print(f"{name:32s} title {totals['title']}/{n}  date {totals['date']}/{n}  outlet {totals['source']}/{n}  "
              f"boundaries {totals['boundaries']}/{n}  furniture leaked {totals['furniture']}  "
              f"median {statistics.median(times):.0f} ms/page")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else FIXTURES))

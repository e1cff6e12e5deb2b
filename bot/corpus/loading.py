"""Read articles from folders of .txt captures and JSONL files, reporting what cannot be read."""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from bot.corpus.cleaning import clean_capture, clean_supplied
from bot.records import Article

logger = logging.getLogger(__name__)

MAX_FILE_BYTES = 2_000_000  # a news article capture is a few kB; far larger is not an article
MIN_BODY_CHARS = 40


@dataclass(frozen=True)
class Problem:
    source: str  # file (and line) that was skipped
    reason: str


@dataclass(frozen=True)
class LoadResult:
    articles: tuple[Article, ...]
    problems: tuple[Problem, ...]


def _txt_files_and_jsonl(paths: Iterable[Path]) -> Iterator[Path]:
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.suffix in (".txt", ".jsonl") and p.is_file())
        else:
            yield path


def _read_text(path: Path) -> str:
    """The file's text; raises ValueError with a reason a user can act on."""
    size = path.stat().st_size
    if size == 0:
        raise ValueError("empty file")
    if size > MAX_FILE_BYTES and path.suffix != ".jsonl":
        raise ValueError(f"file too large for one article ({size:,} bytes > {MAX_FILE_BYTES:,})")
    data = path.read_bytes()
    if b"\x00" in data[:4096]:
        raise ValueError("binary file (NUL bytes), not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValueError(f"not UTF-8 (byte {error.start}); save it as UTF-8") from None


# JSONL field names: ours first, then what other news dumps call the same thing.
_FIELDS = {
    "text": ("text", "body", "content"),
    "title": ("title", "headline"),
    "source": ("source", "outlet", "publisher", "site_name"),
    "date": ("date", "published", "published_at", "date_published"),
    "url": ("url", "link"),
    "author": ("author", "authors"),
}


def _field(record: dict, name: str) -> object:
    return next((record[key] for key in _FIELDS[name] if record.get(key) not in (None, "")), None)


def _jsonl_articles(path: Path, text: str) -> Iterator[Article | Problem]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            record = json.loads(line)
            if not isinstance(record, dict):
                raise ValueError("not a JSON object")
            body, url, author = _field(record, "text"), _field(record, "url"), _field(record, "author")
            if not isinstance(body, str):
                raise ValueError('needs the article text as "text" (or "body", "content")')
            # no "id": one made from the address, or else the text, so that re-indexing finds the same id
            article_id = str(record.get("id") or "").strip() or hashlib.sha1(str(url or body).encode()).hexdigest()[:16]
            if isinstance(author, list):
                author = ", ".join(a for a in author if isinstance(a, str)) or None
            yield clean_supplied(
                article_id,
                str(_field(record, "title") or ""),
                body,
                str(_field(record, "source") or ""),
                date if isinstance(date := _field(record, "date"), str) else None,
                url,
                author if isinstance(author, str) else None,
            )
        except ValueError as error:  # json.JSONDecodeError is a ValueError
            yield Problem(where, f"bad JSONL record: {error}")


def load_articles(paths: Iterable[Path]) -> LoadResult:
    """All readable articles under `paths`; unreadable, empty or duplicated ones become problems."""
    articles: dict[str, Article] = {}
    seen_bodies: dict[str, str] = {}
    problems: list[Problem] = []
    for path in _txt_files_and_jsonl(paths):
        try:
            text = _read_text(path)
        except (OSError, ValueError) as error:
            problems.append(Problem(str(path), str(error)))
            continue
        if path.suffix == ".jsonl":
            items = list(_jsonl_articles(path, text))
        else:
            items = [clean_capture(path.stem, text)]
        for item in items:
            if isinstance(item, Problem):
                problems.append(item)
                continue
            where = f"{path} ({item.id})"
            digest = hashlib.sha1(" ".join(item.body.split()).lower().encode()).hexdigest()
            if len(item.body) < MIN_BODY_CHARS:
                problems.append(Problem(where, "no article text left after cleaning"))
            elif item.id in articles:
                problems.append(Problem(where, f"duplicate id {item.id!r}; the first one is kept"))
            elif digest in seen_bodies:
                problems.append(Problem(where, f"same text as article {seen_bodies[digest]!r}; skipped"))
            else:
                articles[item.id] = item
                seen_bodies[digest] = item.id
    for problem in problems:
        logger.warning("skipped %s: %s", problem.source, problem.reason)
    return LoadResult(tuple(articles.values()), tuple(problems))

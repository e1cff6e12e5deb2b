"""The command line side of bot.ingest: web pages for `python -m bot index`, and `python -m bot feed …`."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from bot.config import Settings
from bot.corpus.loading import LoadResult, Problem
from bot.ingest.extract import extract_article
from bot.ingest.fetch import Limits, SourceError, check_url, new_client
from bot.ingest.updater import text_digest
from bot.records import Article

HTML_SUFFIXES = (".html", ".htm")


def is_web_source(raw: str) -> bool:
    """An http(s) address or a saved web page (.html) goes through extraction, not capture cleaning."""
    return raw.lower().startswith(("http://", "https://")) or Path(raw).suffix.lower() in HTML_SUFFIXES


def _limits(settings: Settings) -> Limits:
    return Limits(timeout=settings.fetch_timeout, max_bytes=settings.fetch_max_bytes)


async def _load_web(settings: Settings, sources: list[str]) -> list[Article | Problem]:
    from bot.ingest.fetch import fetch, require_html

    async with new_client() as client:
        async def one(source: str) -> Article | Problem:
            try:
                if source.lower().startswith(("http://", "https://")):
                    page = await fetch(client, check_url(source), _limits(settings))
                    require_html(page)
                    return await asyncio.to_thread(extract_article, page.content, page.url, page.charset)
                path = Path(source)
                if path.stat().st_size > settings.fetch_max_bytes:
                    return Problem(source, f"file too large ({path.stat().st_size:,} bytes)")
                return await asyncio.to_thread(extract_article, path.read_bytes(), path.resolve().as_uri())
            except SourceError as error:
                return Problem(source, f"{error.reason}: {error.detail}" if error.detail else error.reason)
            except OSError as error:
                return Problem(source, f"cannot read: {error}")

        return list(await asyncio.gather(*(one(s) for s in sources)))


def load_web(settings: Settings, sources: list[str], alongside: LoadResult) -> LoadResult:
    """`alongside` plus the articles of these pages (URLs or .html files); duplicates become problems."""
    articles = {a.id: a for a in alongside.articles}
    digests = {text_digest(a.body): a.id for a in alongside.articles}
    problems = list(alongside.problems)
    for item in asyncio.run(_load_web(settings, sources)) if sources else []:
        if isinstance(item, Problem):
            problems.append(item)
        elif item.id in articles or text_digest(item.body) in digests:
            problems.append(Problem(item.url or item.id, "duplicate of an article already in this batch; skipped"))
        else:
            articles[item.id] = item
            digests[text_digest(item.body)] = item.id
    return LoadResult(tuple(articles.values()), tuple(problems))


def feed_main(settings: Settings, args: argparse.Namespace) -> int:
    """`python -m bot feed [list | add URL | remove URL | poll]`."""
    return asyncio.run(_feed(settings, args))


async def _feed(settings: Settings, args: argparse.Namespace) -> int:
    from bot.ingest.feeds import FeedStore
    from bot.ingest.service import Ingestor, build_ingestor
    from bot.retrieval.index import IndexError_, PassageIndex

    action, url = args.action, args.url
    if action in ("add", "remove") and not url:
        print(f"usage: python -m bot feed {action} URL", file=sys.stderr)
        return 2
    try:
        index = PassageIndex.load(settings.index_dir) if action == "poll" else None
    except IndexError_ as error:
        print(f"cannot poll: {error}", file=sys.stderr)
        return 2
    if index is not None:
        embedder = None
        if getattr(index, "vectors", None) is not None:  # an index with dense vectors embeds the new passages
            from bot.retrieval.dense import load_embedder

            embedder = load_embedder(settings.data_dir, precision=settings.precision)
        ingest = build_ingestor(settings, index, lambda new: None, embedder)
    else:  # listing and editing the feeds needs no index
        ingest = Ingestor(None, FeedStore(settings.feeds_path), _limits(settings), settings.feed_poll_seconds)
    try:
        if action == "add":
            try:
                feed, entries = await ingest.add_feed(url)
            except SourceError as error:
                print(f"not added: {error}", file=sys.stderr)
                return 1
            print(f"watching {feed.url} ({feed.title or 'untitled'}, {entries} entries now); "
                  "the running bot polls it within one interval")
        elif action == "remove":
            if not ingest.remove_feed(url):
                print(f"no such feed: {url}", file=sys.stderr)
                return 1
            print(f"removed {url}")
        elif action == "poll":
            report = await ingest.poll(force=args.all)
            print(f"polled {report.feeds} feeds: {report.count('added')} added, {report.count('updated')} updated, "
                  f"{report.count('duplicate')} duplicates, {len(report.page_errors)} pages and "
                  f"{len(report.failed_feeds)} feeds failed")
            for where, reason in report.failed_feeds.items():
                print(f"  feed {where}: {reason}", file=sys.stderr)
            for where, error in report.page_errors.items():
                print(f"  page {where}: {error}", file=sys.stderr)
        else:
            for feed in ingest.feeds.all():
                status = f"failing ({feed.last_error}, {feed.failures}x)" if feed.last_error else "ok"
                print(f"{feed.url}\t{feed.title or '-'}\tlast fetch {feed.last_fetch or 'never'}\t"
                      f"{feed.articles} articles\t{status}")
    finally:
        await ingest.close()
    return 0

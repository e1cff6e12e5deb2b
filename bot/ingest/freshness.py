"""How fresh is the bot? `python -m bot.ingest.freshness [--articles FILE] [--poll-seconds S] [--rounds N]`

Starts the real bot (reader, BM25 index of FILE, default the 10,000 articles of
../shared/news/articles.jsonl) against the tests' Bot API server and news server, adds a feed
in Telegram, then publishes the fixture articles to the feed one by one, each at a random
moment of the polling cycle, and measures the time from publication to (a) the article being
in the serving index and (b) the bot's answer to a question about it, cited with its link.
Expected: at most one polling interval plus the indexing time. BM25 only (BOT_DENSE_RETRIEVAL=off).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

from bot.config import REPO_ROOT, load_settings

ARTICLES = REPO_ROOT.parent / "shared" / "news" / "articles.jsonl"
MODERATOR, USER = 1, 2
# (fixture page, question, words the answer must hold)
ROUNDS = [
    ("gempa.html", "Berapa rumah yang rusak ringan akibat gempa di Pangandaran?", "37"),
    ("jembatan.html", "Berapa panjang Jembatan Teluk Sepinggan di Balikpapan?", "1.250"),
    ("panen.html", "Berapa harga gabah di tingkat petani di Subang?", "6.800"),
    ("banjir.html", "Berapa rumah yang terendam banjir di Semarang Utara?", "1.340"),
]


async def measure(articles: Path, poll_seconds: int, rounds: int, data_dir: Path) -> dict:
    from bot.corpus.loading import load_articles
    from bot.ingest.extract import article_id
    from bot.retrieval.index import PassageIndex
    from bot.service import open_answerer
    from bot.telegram.app import build_application, running
    from tests.support.news_server import NewsServer
    from tests.support.telegram_server import TelegramTestServer

    settings = replace(load_settings(), data_dir=data_dir, corpus_paths=(articles,), feed_poll_seconds=poll_seconds)
    started = time.perf_counter()
    index = PassageIndex.build(list(load_articles([articles]).articles))
    index.save(settings.index_dir)
    settings.feeds_path.unlink(missing_ok=True)
    build_s = time.perf_counter() - started
    answerer = await asyncio.to_thread(open_answerer, settings)
    results = []
    async with NewsServer() as news, TelegramTestServer() as telegram:
        news.feeds["redaksi"] = []
        bot_settings = replace(settings, telegram_token=telegram.token, telegram_api_base_url=telegram.base_url,
                               moderator_ids=frozenset({MODERATOR}), questions_per_minute=1000,
                               database_path=data_dir / "answers.sqlite3")
        app = build_application(bot_settings, answerer)
        async with running(app, poll_timeout=1):
            telegram.push_message(MODERATOR, MODERATOR, f"/feed tambah {news.url('/feed/redaksi.xml')}")
            [added] = await telegram.wait_for("sendMessage", timeout=60)
            if "Feed dipantau" not in added.params["text"]:
                raise RuntimeError(f"the feed was not added: {added.params['text']}")
            for n in range(rounds):
                page, question, expected = ROUNDS[n]
                path = f"/artikel/{page}"
                await asyncio.sleep(random.uniform(0, poll_seconds))  # a random moment of the polling cycle
                published = time.perf_counter()
                news.publish("redaksi", f"Artikel {n}", path, datetime.now(timezone.utc))
                wanted = article_id(news.url(path))
                while wanted not in answerer.index.articles:
                    await asyncio.sleep(0.05)
                indexed = time.perf_counter() - published
                before = len(telegram.calls("sendMessage"))
                telegram.push_message(USER, USER, question)
                [*_, reply] = await telegram.wait_for("sendMessage", count=before + 1, timeout=120,
                                                      predicate=lambda c: c.ok)
                answered = time.perf_counter() - published
                text = reply.params["text"]
                results.append({"page": page, "indexed_s": round(indexed, 2), "answered_s": round(answered, 2),
                                "update_s": round(app.bot_data["services"].ingest.updater.last_update_s or 0, 2),
                                "answer_right": expected in text.split("\n")[0],
                                "cited_link": f'href="{news.url(path)}"' in text})
                print(json.dumps(results[-1]), file=sys.stderr)
    return {
        "articles_in_index": len(index.articles), "passages": len(index.passages), "poll_seconds": poll_seconds,
        "initial_build_s": round(build_s, 1), "rounds": results,
        "median_indexed_s": statistics.median(r["indexed_s"] for r in results),
        "median_answered_s": statistics.median(r["answered_s"] for r in results),
        "max_answered_s": max(r["answered_s"] for r in results),
        "median_update_s": statistics.median(r["update_s"] for r in results),
        "retrieval": "BM25 only",
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=Path, default=ARTICLES)
    parser.add_argument("--poll-seconds", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--data-dir", type=Path, default=Path(tempfile.gettempdir()) / "tanya-berita-freshness")
    args = parser.parse_args()
    if not 1 <= args.rounds <= len(ROUNDS):
        parser.error(f"--rounds must be 1..{len(ROUNDS)} (one fixture article per round)")
    os.environ["BOT_DENSE_RETRIEVAL"] = "off"
    os.environ.setdefault("PTB_TIMEDELTA", "1")
    args.data_dir.mkdir(parents=True, exist_ok=True)
    print(json.dumps(asyncio.run(measure(args.articles, args.poll_seconds, args.rounds, args.data_dir)), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Add articles to the index of a running bot: de-duplicate, extend off the event loop, save, swap.

Updates run one at a time. Articles that arrive while an update runs wait and go together
into the next one (coalesced). The new index is built in a worker thread from the current one
(`PassageIndex.extended`, which leaves the serving index untouched), saved atomically
(`PassageIndex.save`), and only then swapped in: questions already being answered finish on
the old index, and the index on disk is always a complete one.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from bot.records import Article
from bot.retrieval.index import PassageIndex

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outcome:
    article: Article
    status: str  # "added", "updated" (same URL, new text) or "duplicate"
    existing: Article | None = None  # the indexed article it duplicates or replaces


def text_digest(body: str) -> str:
    """Same text (whitespace and case aside) means the same article (as in bot.corpus.loading)."""
    return hashlib.sha1(" ".join(body.split()).lower().encode()).hexdigest()


def plan(index: PassageIndex, digests: dict[str, str], articles: list[Article]) -> list[Outcome]:
    """What adding `articles` to `index` does to each: add it, replace an older version, or skip it."""
    outcomes, batch_digests = [], dict(digests)
    for article in articles:
        digest = text_digest(article.body)
        known = index.articles.get(article.id)
        if digest in batch_digests:
            twin = index.articles.get(batch_digests[digest]) or next(
                (o.article for o in outcomes if o.article.id == batch_digests[digest]), None)
            outcomes.append(Outcome(article, "duplicate", twin))
        elif known is not None:
            outcomes.append(Outcome(article, "updated", known))
        else:
            outcomes.append(Outcome(article, "added"))
        batch_digests[digest] = article.id
    # A later version of an article in the same batch wins; the earlier one is not indexed.
    latest = {o.article.id: o for o in outcomes if o.status != "duplicate"}
    return [o if o.status == "duplicate" or latest[o.article.id] is o else Outcome(o.article, "duplicate", o.article)
            for o in outcomes]


class IndexUpdater:
    """Serialised, coalesced index updates for a running bot."""

    def __init__(self, index: PassageIndex, index_dir: Path, on_swap: Callable[[PassageIndex], None],
                 embedder: object | None = None) -> None:
        self.index = index
        self.embedder = embedder  # the pipeline's passage embedder when the index has dense vectors
        self.index_dir = index_dir
        self.on_swap = on_swap  # called on the event loop with the new index
        self.digests = {text_digest(a.body): a.id for a in index.articles.values()}
        self.last_update_s: float | None = None  # build + save time of the last update
        self._pending: list[tuple[list[Article], asyncio.Future[list[Outcome]]]] = []
        self._lock = asyncio.Lock()
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="index-update")

    async def add(self, articles: list[Article]) -> list[Outcome]:
        """Add these articles (once any running update is done); one Outcome per article, in order."""
        if not articles:
            return []
        future: asyncio.Future[list[Outcome]] = asyncio.get_running_loop().create_future()
        self._pending.append((list(articles), future))
        async with self._lock:
            if not future.done():
                await self._run(self._pending)
                self._pending = [p for p in self._pending if not p[1].done()]
        return await future

    async def _run(self, waiting: list[tuple[list[Article], asyncio.Future[list[Outcome]]]]) -> None:
        batch = list(waiting)
        articles = [a for group, _ in batch for a in group]
        try:
            outcomes = plan(self.index, self.digests, articles)
            fresh = [o.article for o in outcomes if o.status != "duplicate"]
            if fresh:
                started = time.perf_counter()
                loop = asyncio.get_running_loop()
                new_index = await loop.run_in_executor(self._executor, self._build_and_save, fresh)
                self.last_update_s = time.perf_counter() - started
                self._swap(new_index, outcomes)
                logger.info("index updated: %d articles added or updated (%d in total) in %.2f s",
                            len(fresh), len(new_index.articles), self.last_update_s)
        except Exception as error:  # noqa: BLE001  (each caller gets the error; the old index keeps serving)
            logger.exception("index update failed; the current index keeps serving")
            for _, future in batch:
                if not future.done():
                    future.set_exception(error)
            return
        position = 0
        for group, future in batch:
            if not future.done():
                future.set_result(outcomes[position:position + len(group)])
            position += len(group)

    def _build_and_save(self, articles: list[Article]) -> PassageIndex:
        # Vectors of the old passages are reused; only the new passages are embedded.
        extra = {"embedder": self.embedder} if self.embedder is not None else {}
        new_index = self.index.extended(articles, **extra)
        new_index.save(self.index_dir)
        return new_index

    def _swap(self, new_index: PassageIndex, outcomes: list[Outcome]) -> None:
        for outcome in outcomes:
            if outcome.status == "updated" and outcome.existing is not None:
                self.digests.pop(text_digest(outcome.existing.body), None)
            if outcome.status != "duplicate":
                self.digests[text_digest(outcome.article.body)] = outcome.article.id
        self.index = new_index
        self.on_swap(new_index)

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)

"""Runs the blocking pipeline off the event loop, batching the questions that wait for the model."""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from concurrent.futures import ThreadPoolExecutor

from bot.pipeline import QuestionAnswerer
from bot.records import Answer
from bot.reviewed_answers import NONE as NO_REVIEWS
from bot.reviewed_answers import ReviewedAnswers

logger = logging.getLogger(__name__)

# Questions read in one model pass. While one batch is being read, new questions queue up and
# go together in the next: a lone question is answered at once; under load the passes grow,
# which keeps both cores busy with larger matrix products (see `python -m bot bench`).
MAX_BATCH = 8


class Busy(Exception):
    """Too many questions are already waiting for the model."""


class AnswerWorker:
    """One model thread (the model itself uses both cores); other chats never wait on the loop."""

    def __init__(self, answerer: QuestionAnswerer, max_pending: int, max_batch: int = MAX_BATCH) -> None:
        if max_pending < 1 or max_batch < 1:
            raise ValueError("max_pending and max_batch must be at least 1")
        self.answerer = answerer
        self.reviewed: ReviewedAnswers = NO_REVIEWS  # the answers moderators settled, replaced whole on each review
        self.max_pending = max_pending
        self.max_batch = max_batch
        self.pending = 0
        self._waiting: deque[tuple[str, asyncio.Future[Answer]]] = deque()
        self._reading: list[tuple[str, asyncio.Future[Answer]]] = []  # the batch in the model now
        self._runner: asyncio.Task | None = None
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="reader")

    async def answer(self, question: str) -> Answer:
        if self.pending >= self.max_pending:
            raise Busy()
        future: asyncio.Future[Answer] = asyncio.get_running_loop().create_future()
        self._waiting.append((question, future))
        self.pending += 1
        if self._runner is None or self._runner.done():
            self._runner = asyncio.create_task(self._drain(), name="answer-batches")
        try:
            return await future
        finally:
            self.pending -= 1

    async def _drain(self) -> None:
        while self._waiting:
            batch = [self._waiting.popleft() for _ in range(min(self.max_batch, len(self._waiting)))]
            batch = [(q, f) for q, f in batch if not f.done()]  # a caller may have given up (shutdown)
            if not batch:
                continue
            self._reading = batch
            answers = await self._answer_batch([q for q, _ in batch])
            self._reading = []
            for (_, future), answer in zip(batch, answers):
                if future.done():
                    continue
                if isinstance(answer, Exception):
                    future.set_exception(answer)
                else:
                    future.set_result(answer)

    async def _answer_batch(self, questions: list[str]) -> list[Answer | Exception]:
        """Answers, or the error each question met; one failing question does not fail the others."""
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(self._executor, self.answerer.answer_many, questions, self.reviewed)
        except Exception as error:  # noqa: BLE001  (handed to the caller, who replies with an apology)
            if len(questions) == 1:
                logger.exception("answering a question failed")
                return [error]
            logger.warning("a batch of %d questions failed (%s); answering them one by one", len(questions), error)
            return [(await self._answer_batch([q]))[0] for q in questions]

    def close(self) -> None:
        """Stop: callers still waiting get CancelledError instead of waiting forever."""
        if self._runner is not None:
            self._runner.cancel()
        for _, future in [*self._reading, *self._waiting]:
            future.cancel()
        self._waiting.clear()
        self._executor.shutdown(wait=False, cancel_futures=True)

"""Runs the blocking pipeline off the event loop, with a cap on the questions waiting for it."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

from bot.pipeline import QuestionAnswerer
from bot.records import Answer


class Busy(Exception):
    """Too many questions are already waiting for the model."""


class AnswerWorker:
    """One model thread (the model itself uses both cores); other chats never wait on the loop."""

    def __init__(self, answerer: QuestionAnswerer, max_pending: int) -> None:
        if max_pending < 1:
            raise ValueError("max_pending must be at least 1")
        self.answerer = answerer
        self.max_pending = max_pending
        self.pending = 0
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="reader")

    async def answer(self, question: str) -> Answer:
        if self.pending >= self.max_pending:
            raise Busy()
        self.pending += 1
        try:
            return await asyncio.get_running_loop().run_in_executor(self._executor, self.answerer.answer, question)
        finally:
            self.pending -= 1

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)

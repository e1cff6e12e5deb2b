"""What the handlers need, kept in `application.bot_data` under one typed key."""

from __future__ import annotations

import asyncio
import os
import socket
import uuid
from dataclasses import dataclass, field

from telegram.ext import ContextTypes

from bot.answer_log import AnswerLog
from bot.config import Settings
from bot.ingest.service import Ingestor
from bot.retrieval.index import PassageIndex
from bot.reviewed_answers import load_reviewed
from bot.telegram.limits import UserRateLimiter
from bot.telegram.worker import AnswerWorker

KEY = "services"


@dataclass
class BotServices:
    settings: Settings
    worker: AnswerWorker
    index: PassageIndex
    limiter: UserRateLimiter
    model_version: str
    log: AnswerLog | None = None  # opened in post_init, on the application's event loop
    # Names this process in the claims it holds on questions it answers (shared through the answer log).
    worker_id: str = field(default_factory=lambda: f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}")
    left_over: asyncio.Task | None = None  # answers the questions an earlier run left unanswered
    ingest: Ingestor | None = None  # adds articles from pages and feeds while the bot runs (bot.ingest)
    reviews_loaded: int | None = None  # the newest review the settled answers were loaded with

    def is_moderator(self, user_id: int | None) -> bool:
        return user_id is not None and user_id in self.settings.moderator_ids

    async def refresh_reviewed(self) -> None:
        """Reload the answers moderators settled if anyone has reviewed since the last load: at
        start, after each review in this process, and every BOT_REVIEW_REFRESH_SECONDS for the
        reviews other processes sharing the answer log take (one cheap query when none did)."""
        latest = await self.answer_log.latest_review_id()
        if latest == self.reviews_loaded:
            return
        self.worker.reviewed = await load_reviewed(self.answer_log, self.worker.answerer.index)
        self.reviews_loaded = latest

    @property
    def answer_log(self) -> AnswerLog:
        if self.log is None:
            raise RuntimeError("the answer log is not open yet")
        return self.log


def services(context: ContextTypes.DEFAULT_TYPE) -> BotServices:
    return context.application.bot_data[KEY]

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

    def is_moderator(self, user_id: int | None) -> bool:
        return user_id is not None and user_id in self.settings.moderator_ids

    async def refresh_reviewed(self) -> None:
        """Reload the answers moderators settled: at start and after each review in this process
        (another process's reviews reach this one at its next start)."""
        self.worker.reviewed = await load_reviewed(self.answer_log, self.worker.answerer.index)

    @property
    def answer_log(self) -> AnswerLog:
        if self.log is None:
            raise RuntimeError("the answer log is not open yet")
        return self.log


def services(context: ContextTypes.DEFAULT_TYPE) -> BotServices:
    return context.application.bot_data[KEY]

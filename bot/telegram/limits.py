"""Per-user question limits, counted in the answer log so that every bot process shares them."""

from __future__ import annotations

import time

from bot.answer_log import AnswerLog


class UserRateLimiter:
    """At most `per_minute` questions per user in any sliding 60-second window, across all processes."""

    def __init__(self, per_minute: int, clock=time.time) -> None:
        if per_minute < 1:
            raise ValueError("per_minute must be at least 1")
        self.per_minute = per_minute
        self._clock = clock  # wall-clock seconds: processes on several machines compare them

    async def allow(self, log: AnswerLog, user_id: int, question_id: int | None = None) -> bool:
        """Count one question of the user (once per question_id); False when it is over the limit."""
        return await log.allow_question(user_id, self.per_minute, self._clock(), question_id)

"""The answer log: questions, answers, votes, reviews and refusals in SQLite (default) or PostgreSQL
(DATABASE_URL), with stats, exports and the state several bot processes share."""

from bot.answer_log.migrations import MIGRATIONS, migrate
from bot.answer_log.store import (
    LABELS,
    SQUAD_VERSION,
    AlreadyAnswered,
    AnswerLog,
    PendingQuestion,
    ReviewItem,
    Stats,
    UnknownAnswer,
    UnknownQuestion,
    VoteResult,
)

__all__ = [
    "LABELS",
    "MIGRATIONS",
    "SQUAD_VERSION",
    "AlreadyAnswered",
    "AnswerLog",
    "PendingQuestion",
    "ReviewItem",
    "Stats",
    "UnknownAnswer",
    "UnknownQuestion",
    "VoteResult",
    "migrate",
]

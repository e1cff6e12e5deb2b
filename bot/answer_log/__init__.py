"""The answer log: questions, answers, votes, reviews and refusals in SQLite, with stats and exports."""

from bot.answer_log.migrations import MIGRATIONS, migrate
from bot.answer_log.store import (
    LABELS,
    SQUAD_VERSION,
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
    "AnswerLog",
    "PendingQuestion",
    "ReviewItem",
    "Stats",
    "UnknownAnswer",
    "UnknownQuestion",
    "VoteResult",
    "migrate",
]

"""The answer log: every question, answer, vote and review of the bot in one SQLite file."""

from __future__ import annotations

import asyncio
import csv
import json
import logging
import sqlite3
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from enum import Enum
from pathlib import Path
from typing import Any, TextIO

import aiosqlite

from bot.answer_log.migrations import migrate
from bot.records import Answer, Span

logger = logging.getLogger(__name__)

LABELS = ("correct", "wrong_answer", "wrong_article")
SQUAD_VERSION = "tanya-berita-reviews"


class UnknownAnswer(LookupError):
    """No answer with this id was logged."""


class UnknownQuestion(LookupError):
    """No question with this id was logged."""


class VoteResult(str, Enum):
    """What a vote did to the stored vote of that user on that answer."""

    NEW = "new"
    CHANGED = "changed"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class PendingQuestion:
    """A received question that has no answer yet."""

    id: int
    channel: str
    chat_id: int | None
    user_id: int | None
    message_id: int | None
    update_id: int | None
    text: str
    received_at: str


@dataclass(frozen=True)
class ReviewItem:
    """An unreviewed answer shown to a moderator, with its question, citation, scores and votes."""

    answer_id: int
    question_id: int
    question: str
    answer: str | None  # None when the bot abstained
    sentence: str | None
    article_title: str | None
    article_source: str | None
    article_date: str | None
    article_url: str | None
    score: float
    reader_score: float | None
    retrieval_score: float | None
    upvotes: int
    downvotes: int
    created_at: str


@dataclass(frozen=True)
class Stats:
    """Counts over the logged questions, their answers, votes and latest reviews."""

    questions: int
    answered: int  # answers with a text
    abstained: int  # answers without a text
    failed: int
    upvotes: int
    downvotes: int
    reviewed: int  # answers with at least one review
    labelled_correct: int  # answers whose latest review says "correct"

    @property
    def answered_rate(self) -> float:
        """Share of questions that got an answer (not an abstention)."""
        return _ratio(self.answered, self.questions)

    @property
    def abstention_rate(self) -> float:
        """Share of the bot's replies (answers + abstentions) that were abstentions."""
        return _ratio(self.abstained, self.answered + self.abstained)

    @property
    def correct_rate(self) -> float:
        """Share of reviewed answers whose current label is "correct"."""
        return _ratio(self.labelled_correct, self.reviewed)

    @property
    def upvote_share(self) -> float:
        """Share of 👍 among all votes."""
        return _ratio(self.upvotes, self.upvotes + self.downvotes)


def _ratio(part: int, whole: int) -> float:
    """part / whole, 0.0 when whole is 0."""
    return part / whole if whole else 0.0


def _iso(moment: datetime) -> str:
    """UTC ISO 8601 with microseconds, so stored times sort as strings; naive times are taken as UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).isoformat(timespec="microseconds")


def _now() -> str:
    """The current time as stored in the log."""
    return _iso(datetime.now(timezone.utc))


def _offsets(span: Span | None) -> tuple[int | None, int | None]:
    """(start, end) of a span, or two NULLs."""
    return (span.start, span.end) if span else (None, None)


async def _one(db: aiosqlite.Connection, sql: str, params: Sequence[Any] = ()) -> sqlite3.Row | None:
    """The first row of a query."""
    async with db.execute(sql, params) as cursor:
        return await cursor.fetchone()


async def _insert(db: aiosqlite.Connection, sql: str, params: Sequence[Any]) -> int:
    """Run an INSERT and return the new row id."""
    async with db.execute(sql, params) as cursor:
        return cursor.lastrowid


async def _write(db: aiosqlite.Connection, sql: str, params: Sequence[Any]) -> int:
    """Run an UPDATE (or upsert) and return the number of rows it changed."""
    async with db.execute(sql, params) as cursor:
        return cursor.rowcount


_REVIEW_QUEUE_SQL = """
SELECT a.id AS answer_id, a.question_id, q.text AS question, a.answer_text AS answer, a.sentence,
       a.article_title, a.article_source, a.article_date, a.article_url,
       a.score, a.reader_score, a.retrieval_score,
       COALESCE(v.upvotes, 0) AS upvotes, COALESCE(v.downvotes, 0) AS downvotes, a.created_at
FROM answers a
JOIN questions q ON q.id = a.question_id
LEFT JOIN vote_totals v ON v.answer_id = a.id
WHERE NOT EXISTS (SELECT 1 FROM reviews r WHERE r.answer_id = a.id)
  AND a.id NOT IN (SELECT value FROM json_each(?))
ORDER BY CASE
           WHEN COALESCE(v.downvotes, 0) > 0 THEN 0
           WHEN a.answer_text IS NULL OR a.score < ? THEN 1
           ELSE 2
         END,
         a.created_at, a.id
LIMIT 1
"""

_STATS_SQL = """
WITH q AS (SELECT id, status FROM questions WHERE ? IS NULL OR received_at >= ?),
     a AS (SELECT answers.id, answers.answer_text FROM answers JOIN q ON q.id = answers.question_id)
SELECT (SELECT COUNT(*) FROM q) AS questions,
       (SELECT COUNT(*) FROM a WHERE answer_text IS NOT NULL) AS answered,
       (SELECT COUNT(*) FROM a WHERE answer_text IS NULL) AS abstained,
       (SELECT COUNT(*) FROM q WHERE status = 'failed') AS failed,
       (SELECT COUNT(*) FROM votes WHERE value = 1 AND answer_id IN (SELECT id FROM a)) AS upvotes,
       (SELECT COUNT(*) FROM votes WHERE value = -1 AND answer_id IN (SELECT id FROM a)) AS downvotes,
       (SELECT COUNT(*) FROM latest_reviews WHERE answer_id IN (SELECT id FROM a)) AS reviewed,
       (SELECT COUNT(*) FROM latest_reviews WHERE label = 'correct' AND answer_id IN (SELECT id FROM a))
           AS labelled_correct
"""

_EXPORT_SQL = """
SELECT a.id AS answer_id, q.id AS question_id, q.channel, q.chat_id, q.user_id, q.message_id, q.update_id,
       q.text AS question, q.status AS question_status, q.received_at,
       a.answer_text AS answer, a.answer_text IS NULL AS abstained,
       a.score, a.reader_score, a.retrieval_score, a.mode, a.latency_ms, a.model_version,
       a.article_id, a.article_title, a.article_source, a.article_date, a.article_url,
       a.answer_start, a.answer_end, a.sentence, a.sentence_start, a.sentence_end,
       a.created_at AS answered_at, a.telegram_message_id, a.delivered_at,
       COALESCE(v.upvotes, 0) AS upvotes, COALESCE(v.downvotes, 0) AS downvotes,
       r.label AS review_label, r.corrected_answer, r.moderator_id AS reviewed_by, r.created_at AS reviewed_at
FROM answers a
JOIN questions q ON q.id = a.question_id
LEFT JOIN vote_totals v ON v.answer_id = a.id
LEFT JOIN latest_reviews r ON r.answer_id = a.id
ORDER BY a.id
"""

_SQUAD_SQL = """
SELECT a.id AS answer_id, q.text AS question, a.answer_text, a.article_title, a.sentence,
       a.answer_start, a.sentence_start, r.label, r.corrected_answer
FROM answers a
JOIN questions q ON q.id = a.question_id
JOIN latest_reviews r ON r.answer_id = a.id
WHERE a.sentence IS NOT NULL
ORDER BY a.id
"""


def _bot_answer_start(row: sqlite3.Row) -> int:
    """Offset of the bot's answer inside its stored sentence (from the stored offsets, else its first occurrence)."""
    text, sentence = row["answer_text"], row["sentence"]
    if row["answer_start"] is not None and row["sentence_start"] is not None:
        start = row["answer_start"] - row["sentence_start"]
        if start >= 0 and sentence[start : start + len(text)] == text:
            return start
    return sentence.find(text)


def _squad_qa(row: sqlite3.Row) -> dict | None:
    """The SQuAD v2 question for one reviewed answer, or None when the rules of export_squad give no gold."""
    label, bot, correction = row["label"], row["answer_text"], row["corrected_answer"]
    qa = {"id": f"tanya-berita-{row['answer_id']}", "question": row["question"]}
    if (label == "correct" and bot is None) or (label == "wrong_article" and not correction):
        return qa | {"is_impossible": True, "answers": []}
    if label == "correct":
        text, start = bot, _bot_answer_start(row)
    elif label == "wrong_answer" and correction:
        text, start = correction, row["sentence"].find(correction)
    else:
        return None
    if start < 0:
        return None
    return qa | {"is_impossible": False, "answers": [{"text": text, "answer_start": start}]}


class AnswerLog:
    """The answer log over one aiosqlite connection; every operation holds one lock, so writes never interleave."""

    def __init__(self, db: aiosqlite.Connection, low_confidence: float) -> None:
        self._db = db
        self._lock = asyncio.Lock()
        self.low_confidence = low_confidence

    @classmethod
    async def open(cls, path: Path, *, low_confidence: float = 0.5) -> AnswerLog:
        """Open (creating it if needed) and migrate the log at path."""
        path.parent.mkdir(parents=True, exist_ok=True)
        # isolation_level=None: no implicit transactions, every write block says BEGIN/COMMIT itself.
        db = await aiosqlite.connect(path, isolation_level=None)
        try:
            db.row_factory = sqlite3.Row
            await db.execute("PRAGMA busy_timeout = 5000")
            (journal_mode,) = await _one(db, "PRAGMA journal_mode = WAL")
            if journal_mode != "wal":
                logger.warning("answer log %s: journal mode is %s, not wal", path, journal_mode)
            await db.execute("PRAGMA foreign_keys = ON")
            version = await migrate(db)
        except BaseException:
            await db.close()
            raise
        logger.info("answer log %s opened (schema version %d)", path, version)
        return cls(db, low_confidence)

    async def close(self) -> None:
        """Close the connection."""
        async with self._lock:
            await self._db.close()

    async def __aenter__(self) -> AnswerLog:
        """Use as `async with await AnswerLog.open(path) as log`."""
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        """Close the log when the block ends."""
        await self.close()

    @asynccontextmanager
    async def _transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """Hold the lock and run the block as one IMMEDIATE transaction, rolled back on any error."""
        async with self._lock:
            await self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                await self._db.execute("ROLLBACK")
                raise
            await self._db.execute("COMMIT")

    async def _fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        """Run a read query under the lock."""
        async with self._lock:
            return list(await self._db.execute_fetchall(sql, params))

    @staticmethod
    async def _require_answer(db: aiosqlite.Connection, answer_id: int) -> sqlite3.Row:
        """The answer row (id, question_id), or UnknownAnswer."""
        row = await _one(db, "SELECT id, question_id FROM answers WHERE id = ?", (answer_id,))
        if row is None:
            raise UnknownAnswer(answer_id)
        return row

    async def log_question(
        self,
        *,
        channel: str,
        chat_id: int | None,
        user_id: int | None,
        message_id: int | None,
        update_id: int | None,
        text: str,
        update_key: str | None = None,
    ) -> int:
        """Record a received question and return its id; a known update_key returns the first id.

        update_key names the exact update that brought the question (bot/telegram/intake.py);
        the Telegram intake logs each update when it arrives and the handler asks again for the
        id, so a known key is the normal case, not only a redelivery. Questions without a key
        (console, CLI) are always new.
        """
        async with self._transaction() as db:
            if update_key is not None:
                row = await _one(db, "SELECT id FROM questions WHERE update_key = ?", (update_key,))
                if row is not None:
                    logger.debug("update %s is already logged: question %d", update_key, row["id"])
                    return row["id"]
            return await _insert(
                db,
                "INSERT INTO questions (channel, chat_id, user_id, message_id, update_id, text, received_at, update_key)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (channel, chat_id, user_id, message_id, update_id, text, _now(), update_key),
            )

    async def log_answer(self, question_id: int, answer: Answer, *, model_version: str) -> int:
        """Store the (only) answer to a question and mark it answered; call it before sending the reply."""
        article = answer.article
        answer_start, answer_end = _offsets(answer.span)
        sentence_start, sentence_end = _offsets(answer.sentence_span)
        async with self._transaction() as db:
            if await _one(db, "SELECT 1 FROM questions WHERE id = ?", (question_id,)) is None:
                raise UnknownQuestion(question_id)
            answer_id = await _insert(
                db,
                "INSERT INTO answers (question_id, answer_text, score, reader_score, retrieval_score,"
                " article_id, article_title, article_source, article_date, article_url,"
                " answer_start, answer_end, sentence, sentence_start, sentence_end,"
                " mode, latency_ms, model_version, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    question_id,
                    answer.text,
                    answer.score,
                    answer.reader_score,
                    answer.retrieval_score,
                    article.id if article else None,
                    article.title if article else None,
                    article.source if article else None,
                    article.date if article else None,
                    article.url if article else None,
                    answer_start,
                    answer_end,
                    answer.sentence,
                    sentence_start,
                    sentence_end,
                    answer.mode,
                    answer.latency_ms,
                    model_version,
                    _now(),
                ),
            )
            await _write(db, "UPDATE questions SET status = 'answered' WHERE id = ?", (question_id,))
        return answer_id

    async def mark_delivered(self, answer_id: int, telegram_message_id: int | None) -> None:
        """Record that the reply carrying this answer was sent."""
        async with self._transaction() as db:
            answer = await self._require_answer(db, answer_id)
            await _write(
                db,
                "UPDATE answers SET telegram_message_id = ?, delivered_at = ? WHERE id = ?",
                (telegram_message_id, _now(), answer_id),
            )
            await _write(db, "UPDATE questions SET status = 'delivered' WHERE id = ?", (answer["question_id"],))

    async def mark_failed(self, question_id: int, reason: str) -> None:
        """Record that a question will not be answered, and why (also logged at WARNING)."""
        async with self._transaction() as db:
            changed = await _write(
                db, "UPDATE questions SET status = 'failed', failure_reason = ? WHERE id = ?", (reason, question_id)
            )
            if not changed:
                raise UnknownQuestion(question_id)
        logger.warning("question %d is not answered: %s", question_id, reason)

    async def unanswered_questions(self) -> list[PendingQuestion]:
        """Questions still waiting for an answer (status 'received'), oldest first."""
        rows = await self._fetchall(
            "SELECT id, channel, chat_id, user_id, message_id, update_id, text, received_at"
            " FROM questions WHERE status = 'received' ORDER BY received_at, id"
        )
        return [PendingQuestion(**dict(row)) for row in rows]

    async def mark_undelivered_failed(self, reason: str) -> int:
        """Questions whose answer was logged but never sent (the process died in between) become failed."""
        async with self._transaction() as db:
            return await _write(
                db, "UPDATE questions SET status = 'failed', failure_reason = ? WHERE status = 'answered'", (reason,)
            )

    async def answer_for_question(self, question_id: int) -> int | None:
        """The id of the answer logged for a question, if any."""
        rows = await self._fetchall("SELECT id FROM answers WHERE question_id = ?", (question_id,))
        return rows[0]["id"] if rows else None

    async def vote(self, answer_id: int, user_id: int, value: int) -> VoteResult:
        """Store a user's 👍 (+1) or 👎 (-1) on an answer; a later vote replaces the earlier one."""
        if value not in (1, -1):
            raise ValueError(f"a vote is +1 or -1, not {value!r}")
        async with self._transaction() as db:
            await self._require_answer(db, answer_id)
            previous = await _one(
                db, "SELECT value FROM votes WHERE answer_id = ? AND user_id = ?", (answer_id, user_id)
            )
            if previous is not None and previous["value"] == value:
                return VoteResult.UNCHANGED
            now = _now()
            await _write(
                db,
                "INSERT INTO votes (answer_id, user_id, value, created_at, updated_at) VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT (answer_id, user_id)"
                " DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
                (answer_id, user_id, value, now, now),
            )
        return VoteResult.NEW if previous is None else VoteResult.CHANGED

    async def next_for_review(self, skip: Sequence[int] = ()) -> ReviewItem | None:
        """The next unreviewed answer not in skip: 👎 first, then low confidence, then the rest, oldest first."""
        rows = await self._fetchall(_REVIEW_QUEUE_SQL, (json.dumps(list(skip)), self.low_confidence))
        return ReviewItem(**dict(rows[0])) if rows else None

    async def review(
        self, answer_id: int, moderator_id: int, label: str, corrected_answer: str | None = None
    ) -> int:
        """Append a review to the answer's trail and return its id; the latest review is the answer's label."""
        if label not in LABELS:
            raise ValueError(f"unknown review label {label!r}; valid labels: {', '.join(LABELS)}")
        async with self._transaction() as db:
            await self._require_answer(db, answer_id)
            return await _insert(
                db,
                "INSERT INTO reviews (answer_id, moderator_id, label, corrected_answer, created_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (answer_id, moderator_id, label, corrected_answer, _now()),
            )

    async def log_refusal(self, user_id: int | None, chat_id: int | None, action: str) -> None:
        """Record that a non-moderator tried a moderator action."""
        async with self._transaction() as db:
            await _insert(
                db,
                "INSERT INTO refusals (user_id, chat_id, action, created_at) VALUES (?, ?, ?, ?)",
                (user_id, chat_id, action, _now()),
            )

    async def stats(self, since: datetime | None = None) -> Stats:
        """Figures over the questions received since `since` (all when None) and their answers, votes and reviews."""
        since_iso = _iso(since) if since is not None else None
        (row,) = await self._fetchall(_STATS_SQL, (since_iso, since_iso))
        return Stats(**dict(row))

    async def export_csv(self, out: TextIO | Path) -> int:
        """Write one row per answer (question, answer, citation, votes, latest review) as CSV; return the row count."""
        async with self._lock:
            async with self._db.execute(_EXPORT_SQL) as cursor:
                header = [column[0] for column in cursor.description]
                rows = await cursor.fetchall()
        if isinstance(out, Path):
            with out.open("w", encoding="utf-8", newline="") as handle:
                _write_csv(handle, header, rows)
        else:
            _write_csv(out, header, rows)
        return len(rows)

    async def export_squad(self) -> dict:
        """Reviewed answers as SQuAD v2 JSON, with the cited sentence stored with each answer as context.

        Only answers with a review and a stored sentence count, judged by their latest review:
        - correct: the bot's answer at its offset in the sentence; a correct abstention is impossible;
        - wrong_answer with a corrected answer that occurs in the sentence: the correction (first occurrence);
        - wrong_article without a correction: impossible (the sentence does not answer the question);
        - anything else (e.g. a correction outside the sentence) is left out.
        Paragraphs are grouped by article title, then by sentence.
        """
        articles: dict[str, dict[str, list[dict]]] = {}
        for row in await self._fetchall(_SQUAD_SQL):
            qa = _squad_qa(row)
            if qa is not None:
                articles.setdefault(row["article_title"] or "", {}).setdefault(row["sentence"], []).append(qa)
        return {
            "version": SQUAD_VERSION,
            "data": [
                {"title": title, "paragraphs": [{"context": context, "qas": qas} for context, qas in contexts.items()]}
                for title, contexts in articles.items()
            ],
        }


def _write_csv(handle: TextIO, header: list[str], rows: Sequence[sqlite3.Row]) -> None:
    """Header row, then the rows; NULL becomes an empty cell."""
    writer = csv.writer(handle)
    writer.writerow(header)
    writer.writerows(tuple(row) for row in rows)

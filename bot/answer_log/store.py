"""The answer log: every question, answer, vote and review of the bot, in SQLite or PostgreSQL."""

from __future__ import annotations

import csv
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from enum import Enum
from pathlib import Path
from typing import TextIO

from bot.answer_log.backends import Backend, PostgresBackend, Row, SQLiteBackend, is_database_url
from bot.records import Answer, Span

logger = logging.getLogger(__name__)

LABELS = ("correct", "wrong_answer", "wrong_article")
SQUAD_VERSION = "tanya-berita-reviews"
REVIEW_HOLD_SECONDS = 15 * 60  # an answer handed to a moderator stays theirs this long
RATE_LOCK_CLASS = 16  # first key of the pg_advisory_xact_lock that counts one user's questions


class UnknownAnswer(LookupError):
    """No answer with this id was logged."""


class UnknownQuestion(LookupError):
    """No question with this id was logged."""


class AlreadyAnswered(Exception):
    """The question has an answer already (another process or an earlier attempt logged it)."""


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


def _now(later: float = 0.0) -> str:
    """The current time (plus `later` seconds) as stored in the log."""
    return _iso(datetime.now(timezone.utc) + timedelta(seconds=later))


def _offsets(span: Span | None) -> tuple[int | None, int | None]:
    """(start, end) of a span, or two NULLs."""
    return (span.start, span.end) if span else (None, None)


_REVIEW_QUEUE_SQL = """
SELECT a.id AS answer_id, a.question_id, q.text AS question, a.answer_text AS answer, a.sentence,
       a.article_title, a.article_source, a.article_date, a.article_url,
       a.score, a.reader_score, a.retrieval_score,
       COALESCE(v.upvotes, 0) AS upvotes, COALESCE(v.downvotes, 0) AS downvotes, a.created_at
FROM answers a
JOIN questions q ON q.id = a.question_id
LEFT JOIN vote_totals v ON v.answer_id = a.id
WHERE NOT EXISTS (SELECT 1 FROM reviews r WHERE r.answer_id = a.id)
  AND NOT EXISTS (SELECT 1 FROM review_claims c
                  WHERE c.answer_id = a.id AND c.claimed_until > ? AND c.moderator_id <> ?)
  {skip}
ORDER BY CASE
           WHEN COALESCE(v.downvotes, 0) > 0 THEN 0
           WHEN a.answer_text IS NULL OR a.score < ? THEN 1
           ELSE 2
         END,
         a.created_at, a.id
LIMIT 1
"""

_STATS_SQL = """
WITH q AS (SELECT id, status FROM questions WHERE CAST(? AS TEXT) IS NULL OR received_at >= ?),
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
       a.answer_text AS answer, CASE WHEN a.answer_text IS NULL THEN 1 ELSE 0 END AS abstained,
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


def _bot_answer_start(row: Row) -> int:
    """Offset of the bot's answer inside its stored sentence (from the stored offsets, else its first occurrence)."""
    text, sentence = row["answer_text"], row["sentence"]
    if row["answer_start"] is not None and row["sentence_start"] is not None:
        start = row["answer_start"] - row["sentence_start"]
        if start >= 0 and sentence[start : start + len(text)] == text:
            return start
    return sentence.find(text)


def _squad_qa(row: Row) -> dict | None:
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
    """The answer log over a SQLite file or a PostgreSQL database (see backends.py)."""

    def __init__(self, backend: Backend, low_confidence: float) -> None:
        self._backend = backend
        self.low_confidence = low_confidence

    @classmethod
    async def open(cls, target: Path | str, *, low_confidence: float = 0.5) -> AnswerLog:
        """Open (creating it if needed) and migrate the log: a PostgreSQL URL, else a SQLite file path."""
        if is_database_url(target):
            return cls(await PostgresBackend.open(str(target)), low_confidence)
        return cls(await SQLiteBackend.open(Path(target)), low_confidence)

    @property
    def dialect(self) -> str:
        """"sqlite" or "postgres"."""
        return self._backend.dialect

    async def close(self) -> None:
        """Close the connection (or the pool)."""
        await self._backend.close()

    async def __aenter__(self) -> AnswerLog:
        """Use as `async with await AnswerLog.open(path) as log`."""
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        """Close the log when the block ends."""
        await self.close()

    async def _fetchall(self, sql: str, params: Sequence = ()) -> list[Row]:
        """Run a read query."""
        async with self._backend.reading() as db:
            return await db.all(sql, params)

    @staticmethod
    async def _require_answer(db, answer_id: int) -> Row:
        """The answer row (id, question_id), or UnknownAnswer."""
        row = await db.one("SELECT id, question_id FROM answers WHERE id = ?", (answer_id,))
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
        known = "SELECT id FROM questions WHERE update_key = ?"
        async with self._backend.transaction() as db:
            if update_key is not None and (question_id := await db.value(known, (update_key,))) is not None:
                logger.debug("update %s is already logged: question %d", update_key, question_id)
                return question_id
            question_id = await db.value(
                "INSERT INTO questions (channel, chat_id, user_id, message_id, update_id, text, received_at, update_key)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id",
                (channel, chat_id, user_id, message_id, update_id, text, _now(), update_key),
            )
            # None: another process logged the same update between the two statements.
            return question_id if question_id is not None else await db.value(known, (update_key,))

    async def log_answer(self, question_id: int, answer: Answer, *, model_version: str) -> int:
        """Store the (only) answer to a question and mark it answered; call it before sending the reply.

        AlreadyAnswered when the question has an answer: whoever logged it first sends it.
        """
        article = answer.article
        answer_start, answer_end = _offsets(answer.span)
        sentence_start, sentence_end = _offsets(answer.sentence_span)
        async with self._backend.transaction() as db:
            if await db.one("SELECT 1 FROM questions WHERE id = ?", (question_id,)) is None:
                raise UnknownQuestion(question_id)
            answer_id = await db.value(
                "INSERT INTO answers (question_id, answer_text, score, reader_score, retrieval_score,"
                " article_id, article_title, article_source, article_date, article_url,"
                " answer_start, answer_end, sentence, sentence_start, sentence_end,"
                " mode, latency_ms, model_version, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (question_id) DO NOTHING RETURNING id",
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
            if answer_id is None:
                raise AlreadyAnswered(question_id)
            await db.write("UPDATE questions SET status = 'answered' WHERE id = ?", (question_id,))
        return answer_id

    async def mark_delivered(self, answer_id: int, telegram_message_id: int | None) -> None:
        """Record that the reply carrying this answer was sent."""
        async with self._backend.transaction() as db:
            answer = await self._require_answer(db, answer_id)
            await db.write(
                "UPDATE answers SET telegram_message_id = ?, delivered_at = ? WHERE id = ?",
                (telegram_message_id, _now(), answer_id),
            )
            await db.write("UPDATE questions SET status = 'delivered' WHERE id = ?", (answer["question_id"],))

    async def mark_failed(self, question_id: int, reason: str) -> None:
        """Record that a question will not be answered, and why (also logged at WARNING)."""
        async with self._backend.transaction() as db:
            changed = await db.write(
                "UPDATE questions SET status = 'failed', failure_reason = ? WHERE id = ?", (reason, question_id)
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

    async def claimable_questions(self, received_before: datetime) -> list[PendingQuestion]:
        """Questions waiting for an answer that nobody is answering (no claim, or one that expired)."""
        rows = await self._fetchall(
            "SELECT id, channel, chat_id, user_id, message_id, update_id, text, received_at FROM questions"
            " WHERE status = 'received' AND received_at < ? AND (claimed_until IS NULL OR claimed_until < ?)"
            " ORDER BY received_at, id",
            (_iso(received_before), _now()),
        )
        return [PendingQuestion(**dict(row)) for row in rows]

    async def claim_question(self, question_id: int, worker: str, seconds: float) -> bool:
        """Take the question for `seconds` (renewable) if it waits for an answer and nobody holds it.

        Exactly one process wins a claim, so a redelivered update is answered once, whichever
        process gets it; a claim left by a process that died expires.
        """
        async with self._backend.transaction() as db:
            return 1 == await db.write(
                "UPDATE questions SET claimed_by = ?, claimed_until = ? WHERE id = ? AND status = 'received'"
                " AND (claimed_until IS NULL OR claimed_until < ?)",
                (worker, _now(seconds), question_id, _now()),
            )

    async def renew_claims(self, worker: str, seconds: float) -> int:
        """Extend the claims `worker` holds on questions it has not delivered yet."""
        async with self._backend.transaction() as db:
            return await db.write(
                "UPDATE questions SET claimed_until = ? WHERE claimed_by = ? AND status IN ('received', 'answered')",
                (_now(seconds), worker),
            )

    async def mark_undelivered_failed(self, reason: str) -> int:
        """Questions whose answer was logged but whose delivery was never recorded (the process that
        claimed them died: the reply may or may not have gone out) become failed."""
        async with self._backend.transaction() as db:
            return await db.write(
                "UPDATE questions SET status = 'failed', failure_reason = ?"
                " WHERE status = 'answered' AND (claimed_until IS NULL OR claimed_until < ?)",
                (reason, _now()),
            )

    async def answer_for_question(self, question_id: int) -> int | None:
        """The id of the answer logged for a question, if any."""
        rows = await self._fetchall("SELECT id FROM answers WHERE question_id = ?", (question_id,))
        return rows[0]["id"] if rows else None

    async def allow_question(self, user_id: int, per_minute: int, now: float, question_id: int | None = None) -> bool:
        """Count a question against the user's limit: at most per_minute in any 60 s (shared by all processes).

        A question counted once (question_id) stays allowed: a process that takes over a dead
        one's question does not count it twice.
        """
        async with self._backend.transaction() as db:
            if self.dialect == "postgres":  # one user's questions are counted one at a time
                await db.write("SELECT pg_advisory_xact_lock(?, ?)", (RATE_LOCK_CLASS, user_id & 0x7FFFFFFF))
            if question_id is not None and await db.one(
                    "SELECT 1 FROM question_allowances WHERE question_id = ?", (question_id,)) is not None:
                return True
            await db.write("DELETE FROM question_allowances WHERE user_id = ? AND allowed_at <= ?", (user_id, now - 60))
            if await db.value("SELECT COUNT(*) FROM question_allowances WHERE user_id = ?", (user_id,)) >= per_minute:
                return False
            await db.write(
                "INSERT INTO question_allowances (user_id, allowed_at, question_id) VALUES (?, ?, ?)",
                (user_id, now, question_id),
            )
            return True

    async def expect_correction(self, moderator_id: int, answer_id: int, label: str) -> None:
        """The moderator's next message is the corrected answer for this labelled answer."""
        async with self._backend.transaction() as db:
            await self._require_answer(db, answer_id)
            await db.write(
                "INSERT INTO pending_corrections (moderator_id, answer_id, label, created_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (moderator_id) DO UPDATE SET answer_id = excluded.answer_id, label = excluded.label,"
                " created_at = excluded.created_at",
                (moderator_id, answer_id, label, _now()),
            )

    async def pending_correction(self, moderator_id: int) -> tuple[int, str] | None:
        """(answer id, label) the moderator owes a correction for, if any."""
        rows = await self._fetchall(
            "SELECT answer_id, label FROM pending_corrections WHERE moderator_id = ?", (moderator_id,)
        )
        return (rows[0]["answer_id"], rows[0]["label"]) if rows else None

    async def take_correction(self, moderator_id: int) -> tuple[int, str] | None:
        """Remove and return the moderator's pending correction; exactly one caller gets it."""
        async with self._backend.transaction() as db:
            row = await db.one(
                "DELETE FROM pending_corrections WHERE moderator_id = ? RETURNING answer_id, label", (moderator_id,)
            )
        return (row["answer_id"], row["label"]) if row else None

    async def vote(self, answer_id: int, user_id: int, value: int) -> VoteResult:
        """Store a user's 👍 (+1) or 👎 (-1) on an answer; a later vote replaces the earlier one."""
        if value not in (1, -1):
            raise ValueError(f"a vote is +1 or -1, not {value!r}")
        async with self._backend.transaction() as db:
            await self._require_answer(db, answer_id)
            previous = await db.one(
                "SELECT value FROM votes WHERE answer_id = ? AND user_id = ?", (answer_id, user_id)
            )
            if previous is not None and previous["value"] == value:
                return VoteResult.UNCHANGED
            now = _now()
            await db.write(
                "INSERT INTO votes (answer_id, user_id, value, created_at, updated_at) VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT (answer_id, user_id)"
                " DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
                (answer_id, user_id, value, now, now),
            )
        return VoteResult.NEW if previous is None else VoteResult.CHANGED

    async def next_for_review(
        self, skip: Sequence[int] = (), moderator_id: int | None = None, *, hold_seconds: float = REVIEW_HOLD_SECONDS
    ) -> ReviewItem | None:
        """The next unreviewed answer not in skip: 👎 first, then low confidence, then the rest, oldest first.

        With a moderator_id the answer is handed to that moderator for hold_seconds: no other
        moderator gets it meanwhile, even when both ask at the same moment.
        """
        skip = [int(answer_id) for answer_id in skip]
        sql = _REVIEW_QUEUE_SQL.format(skip=f"AND a.id NOT IN ({', '.join('?' * len(skip))})" if skip else "")
        while True:
            async with self._backend.transaction() as db:
                row = await db.one(sql, (_now(), moderator_id or 0, *skip, self.low_confidence))
                if row is None or moderator_id is None:
                    return ReviewItem(**dict(row)) if row else None
                held = await db.value(
                    "INSERT INTO review_claims (answer_id, moderator_id, claimed_until) VALUES (?, ?, ?)"
                    " ON CONFLICT (answer_id) DO UPDATE SET moderator_id = excluded.moderator_id,"
                    " claimed_until = excluded.claimed_until"
                    " WHERE review_claims.claimed_until <= ? OR review_claims.moderator_id = excluded.moderator_id"
                    " RETURNING answer_id",
                    (row["answer_id"], moderator_id, _now(hold_seconds), _now()),
                )
                if held is not None:
                    return ReviewItem(**dict(row))
            # Another moderator took this answer a moment ago: look again.

    async def release_review(self, answer_id: int, moderator_id: int) -> None:
        """Give an answer handed out for review back to the queue (the moderator skipped it)."""
        async with self._backend.transaction() as db:
            await db.write(
                "DELETE FROM review_claims WHERE answer_id = ? AND moderator_id = ?", (answer_id, moderator_id)
            )

    async def review(
        self, answer_id: int, moderator_id: int, label: str, corrected_answer: str | None = None
    ) -> int:
        """Append a review to the answer's trail and return its id; the latest review is the answer's label."""
        if label not in LABELS:
            raise ValueError(f"unknown review label {label!r}; valid labels: {', '.join(LABELS)}")
        async with self._backend.transaction() as db:
            await self._require_answer(db, answer_id)
            return await db.value(
                "INSERT INTO reviews (answer_id, moderator_id, label, corrected_answer, created_at)"
                " VALUES (?, ?, ?, ?, ?) RETURNING id",
                (answer_id, moderator_id, label, corrected_answer, _now()),
            )

    async def latest_review_id(self) -> int:
        """The id of the newest review (0 when there is none): it changes whenever anyone reviews."""
        (row,) = await self._fetchall("SELECT COALESCE(MAX(id), 0) AS latest FROM reviews")
        return int(row["latest"])

    async def log_refusal(self, user_id: int | None, chat_id: int | None, action: str) -> None:
        """Record that a non-moderator tried a moderator action."""
        async with self._backend.transaction() as db:
            await db.write(
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
        async with self._backend.reading() as db:
            header = await db.header(_EXPORT_SQL)
            rows = await db.all(_EXPORT_SQL)
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


def _write_csv(handle: TextIO, header: list[str], rows: Sequence[Row]) -> None:
    """Header row, then the rows; NULL becomes an empty cell."""
    writer = csv.writer(handle)
    writer.writerow(header)
    writer.writerows(tuple(row) for row in rows)

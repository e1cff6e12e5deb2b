"""Tests of the answer log, each on both back ends: a real SQLite file and a real PostgreSQL database."""

from __future__ import annotations

import asyncio
import csv
import dataclasses
import io
import json
import sqlite3
from datetime import datetime, timezone
from pathlib import Path

import aiosqlite
import pytest

from bot.answer_log import (
    MIGRATIONS,
    AlreadyAnswered,
    SQUAD_VERSION,
    AnswerLog,
    PendingQuestion,
    UnknownAnswer,
    UnknownQuestion,
    VoteResult,
)
from bot.answer_log.migrations import m001_initial
from bot.records import Answer, Article, Span
from tests.support.postgres import Inspector

SENTENCE_1 = "Presiden Joko Widodo meresmikan Jembatan Merah di Surabaya pada Senin (3/6)."
SENTENCE_2 = "Panjang jembatan itu 2 kilometer, lebih panjang dari jembatan lama."
BODY = f"Jakarta - {SENTENCE_1} {SENTENCE_2}"
ARTICLE = Article(
    id="000_e9daff8fcb14e5bf",
    title="Jokowi resmikan Jembatan Merah",
    source="iNews.id",
    date="2024-06-03",
    url="https://example.com/jembatan",
    body=BODY,
)
SQL_QUESTION = "Siapa meresmikan jembatan?'); DROP TABLE questions; --"

QUESTION_COLUMNS = [
    "id", "channel", "chat_id", "user_id", "message_id", "update_id", "text", "status", "failure_reason",
    "received_at", "update_key", "claimed_by", "claimed_until",
]  # fmt: skip
ANSWER_COLUMNS = [
    "id", "question_id", "answer_text", "score", "reader_score", "retrieval_score", "article_id",
    "article_title", "article_source", "article_date", "article_url", "answer_start", "answer_end", "sentence",
    "sentence_start", "sentence_end", "mode", "latency_ms", "model_version", "created_at", "telegram_message_id",
    "delivered_at",
]  # fmt: skip
SCHEMA = {
    "questions": QUESTION_COLUMNS,
    "answers": ANSWER_COLUMNS,
    "votes": ["answer_id", "user_id", "value", "created_at", "updated_at"],
    "reviews": ["id", "answer_id", "moderator_id", "label", "corrected_answer", "created_at"],
    "refusals": ["id", "user_id", "chat_id", "action", "created_at"],
    "latest_reviews": ["id", "answer_id", "moderator_id", "label", "corrected_answer", "created_at"],
    "vote_totals": ["answer_id", "upvotes", "downvotes"],
    "question_allowances": ["user_id", "allowed_at", "question_id"],
    "pending_corrections": ["moderator_id", "answer_id", "label", "created_at"],
    "review_claims": ["answer_id", "moderator_id", "claimed_until"],
}


def make_answer(text: str | None, score: float = 0.9, *, sentence: str = SENTENCE_1) -> Answer:
    """An answer whose span and sentence offsets point into BODY, or an abstention when text is None."""
    if text is None:
        return Answer(
            question="Siapa juara liga?",
            text=None,
            score=score,
            reader_score=-1.5,
            retrieval_score=3.25,
            article=None,
            sentence=None,
            sentence_span=None,
            span=None,
            related=(ARTICLE,),
            latency_ms=12.5,
        )
    sentence_start = BODY.index(sentence)
    answer_start = BODY.index(text, sentence_start)
    return Answer(
        question="Apa yang diresmikan?",
        text=text,
        score=score,
        reader_score=2.5,
        retrieval_score=7.75,
        article=ARTICLE,
        sentence=sentence,
        sentence_span=Span(sentence_start, sentence_start + len(sentence)),
        span=Span(answer_start, answer_start + len(text)),
        mode="reader",
        latency_ms=42.0,
    )


def is_utc_iso(value: str) -> bool:
    """True for an ISO 8601 time in UTC."""
    return datetime.fromisoformat(value).utcoffset().total_seconds() == 0


@pytest.fixture
def db(log_target: Path | str) -> Inspector:
    """The log's database, read and written on a connection of its own."""
    return Inspector(log_target)


@pytest.fixture
def db_path(log_target: Path | str) -> Path:
    """The SQLite file (for the tests of SQLite itself)."""
    if isinstance(log_target, str):
        pytest.skip("SQLite only")
    return log_target


@pytest.fixture
async def log(log_target: Path | str):
    answer_log = await AnswerLog.open(log_target)
    yield answer_log
    await answer_log.close()


async def ask(log: AnswerLog, answer: Answer | None, text: str = "Apa yang diresmikan?", **where) -> tuple[int, int]:
    """Log a question and (unless answer is None) its answer; return (question id, answer id or 0)."""
    where = {"channel": "telegram", "chat_id": 10, "user_id": 20, "message_id": 30, "update_id": None} | where
    question_id = await log.log_question(text=text, **where)
    if answer is None:
        return question_id, 0
    return question_id, await log.log_answer(question_id, answer, model_version="reader-v1")


async def test_open_creates_wal_database(log: AnswerLog, db_path: Path, db: Inspector) -> None:
    assert db_path.exists()
    assert (await db.query("PRAGMA journal_mode"))[0]["journal_mode"] == "wal"
    assert (await db.query("PRAGMA integrity_check"))[0]["integrity_check"] == "ok"
    assert (await db.query("PRAGMA user_version"))[0]["user_version"] == len(MIGRATIONS)
    assert list((await log._backend.db.execute_fetchall("PRAGMA foreign_keys"))[0]) == [1]
    assert list((await log._backend.db.execute_fetchall("PRAGMA busy_timeout"))[0]) == [5000]


async def test_answer_logged_with_every_field(log: AnswerLog, db: Inspector) -> None:
    answer = make_answer("Jembatan Merah", score=0.83)
    question_id, answer_id = await ask(log, answer, text=SQL_QUESTION, update_id=7001)

    question = (await db.query("SELECT * FROM questions WHERE id = ?", (question_id,)))[0]
    assert is_utc_iso(question.pop("received_at"))
    assert question == {
        "id": question_id, "channel": "telegram", "chat_id": 10, "user_id": 20, "message_id": 30,
        "update_id": 7001, "text": SQL_QUESTION, "status": "answered", "failure_reason": None, "update_key": None,
        "claimed_by": None, "claimed_until": None,
    }  # fmt: skip
    row = (await db.query("SELECT * FROM answers WHERE id = ?", (answer_id,)))[0]
    assert is_utc_iso(row.pop("created_at"))
    assert row == {
        "id": answer_id,
        "question_id": question_id,
        "answer_text": "Jembatan Merah",
        "score": 0.83,
        "reader_score": 2.5,
        "retrieval_score": 7.75,
        "article_id": "000_e9daff8fcb14e5bf",
        "article_title": "Jokowi resmikan Jembatan Merah",
        "article_source": "iNews.id",
        "article_date": "2024-06-03",
        "article_url": "https://example.com/jembatan",
        "answer_start": answer.span.start,
        "answer_end": answer.span.end,
        "sentence": SENTENCE_1,
        "sentence_start": answer.sentence_span.start,
        "sentence_end": answer.sentence_span.end,
        "mode": "reader",
        "latency_ms": 42.0,
        "model_version": "reader-v1",
        "telegram_message_id": None,
        "delivered_at": None,
    }
    assert BODY[row["answer_start"] : row["answer_end"]] == "Jembatan Merah"
    assert BODY[row["sentence_start"] : row["sentence_end"]] == SENTENCE_1
    assert await log.answer_for_question(question_id) == answer_id

    await log.mark_delivered(answer_id, 555)
    row = (await db.query("SELECT telegram_message_id, delivered_at FROM answers WHERE id = ?", (answer_id,)))[0]
    assert row["telegram_message_id"] == 555 and is_utc_iso(row["delivered_at"])
    assert (await db.query("SELECT status FROM questions"))[0]["status"] == "delivered"
    with pytest.raises(UnknownAnswer):
        await log.mark_delivered(999, 1)
    with pytest.raises(UnknownQuestion):
        await log.log_answer(999, answer, model_version="reader-v1")


async def test_abstention_logged_with_null_answer(log: AnswerLog, db: Inspector) -> None:
    _, answer_id = await ask(log, make_answer(None, score=0.12))
    row = (await db.query("SELECT * FROM answers WHERE id = ?", (answer_id,)))[0]
    assert row["answer_text"] is None and row["score"] == 0.12
    assert row["reader_score"] == -1.5 and row["retrieval_score"] == 3.25
    for column in ("article_id", "article_title", "sentence", "answer_start", "sentence_start"):
        assert row[column] is None


async def test_redelivered_update_is_logged_once(log: AnswerLog, db: Inspector) -> None:
    where = {"channel": "telegram", "chat_id": 1, "user_id": 2, "message_id": 3, "update_id": 42}
    first = await log.log_question(**where, text="a?", update_key="7:42:1:3:1700000000:aa")
    again = await log.log_question(**where, text="a?", update_key="7:42:1:3:1700000000:aa")
    # The same update id (and message id) from another id sequence, bot or second is a new question.
    new_sequence = await log.log_question(**where, text="a?", update_key="7:42:1:3:1700000500:aa")
    other_bot = await log.log_question(**where, text="a?", update_key="8:42:1:3:1700000000:aa")
    no_key_1 = await log.log_question(channel="cli", chat_id=None, user_id=None, message_id=None, update_id=None, text="b?")  # fmt: skip
    no_key_2 = await log.log_question(channel="cli", chat_id=None, user_id=None, message_id=None, update_id=None, text="b?")  # fmt: skip
    assert again == first
    assert len({first, new_sequence, other_bot, no_key_1, no_key_2}) == 5
    assert (await db.query("SELECT COUNT(*) AS n FROM questions"))[0]["n"] == 5
    assert await db.query("SELECT update_key FROM questions WHERE id = ?", (first,)) == [{"update_key": "7:42:1:3:1700000000:aa"}]


async def test_not_answering_is_logged_at_warning_and_stored(log: AnswerLog, db: Inspector, caplog) -> None:
    question_id, _ = await ask(log, None)
    with caplog.at_level("WARNING", logger="bot.answer_log.store"):
        await log.mark_failed(question_id, "rate_limited")
    assert f"question {question_id} is not answered: rate_limited" in caplog.text
    assert (await db.query("SELECT failure_reason FROM questions"))[0]["failure_reason"] == "rate_limited"


async def test_unanswered_and_failed_questions(log: AnswerLog, db: Inspector) -> None:
    waiting, _ = await ask(log, None, text="Kapan pemilu?", update_id=1)
    answered, _ = await ask(log, make_answer("Jembatan Merah"), update_id=2)
    failed, _ = await ask(log, None, update_id=3)
    later, _ = await ask(log, None, text="Siapa menang?", update_id=4)
    await log.mark_failed(failed, "reader crashed")

    pending = await log.unanswered_questions()
    assert [p.id for p in pending] == [waiting, later]
    assert isinstance(pending[0], PendingQuestion) and pending[0].text == "Kapan pemilu?"
    assert pending[0].update_id == 1 and pending[0].chat_id == 10
    assert await log.answer_for_question(waiting) is None
    assert await log.answer_for_question(answered) is not None
    row = (await db.query("SELECT status, failure_reason FROM questions WHERE id = ?", (failed,)))[0]
    assert row == {"status": "failed", "failure_reason": "reader crashed"}
    with pytest.raises(UnknownQuestion):
        await log.mark_failed(999, "nope")


async def test_votes_are_stored_and_changeable(log: AnswerLog, db: Inspector) -> None:
    _, answer_id = await ask(log, make_answer("Jembatan Merah"))
    assert await log.vote(answer_id, 1, 1) is VoteResult.NEW
    assert await log.vote(answer_id, 1, 1) is VoteResult.UNCHANGED
    assert await log.vote(answer_id, 1, -1) is VoteResult.CHANGED
    assert await log.vote(answer_id, 2, 1) is VoteResult.NEW
    rows = await db.query("SELECT answer_id, user_id, value FROM votes ORDER BY user_id")
    assert rows == [
        {"answer_id": answer_id, "user_id": 1, "value": -1},
        {"answer_id": answer_id, "user_id": 2, "value": 1},
    ]
    with pytest.raises(ValueError):
        await log.vote(answer_id, 3, 0)
    with pytest.raises(UnknownAnswer):
        await log.vote(999, 1, 1)


async def test_review_trail_is_append_only_and_labels_are_validated(log: AnswerLog, db: Inspector) -> None:
    _, answer_id = await ask(log, make_answer("Jembatan Merah"))
    with pytest.raises(ValueError, match="correct, wrong_answer, wrong_article"):
        await log.review(answer_id, 99, "benar")
    with pytest.raises(UnknownAnswer):
        await log.review(999, 99, "correct")
    first = await log.review(answer_id, 99, "wrong_answer")
    second = await log.review(answer_id, 98, "wrong_answer", corrected_answer="Joko Widodo")
    assert second > first
    rows = await db.query("SELECT id, moderator_id, label, corrected_answer FROM reviews ORDER BY id")
    assert rows == [
        {"id": first, "moderator_id": 99, "label": "wrong_answer", "corrected_answer": None},
        {"id": second, "moderator_id": 98, "label": "wrong_answer", "corrected_answer": "Joko Widodo"},
    ]
    assert await db.query("SELECT id FROM latest_reviews") == [{"id": second}]
    with pytest.raises(db.error, match="append-only"):
        await db.execute("UPDATE reviews SET label = 'correct'")
    with pytest.raises(db.error, match="append-only"):
        await db.execute("DELETE FROM reviews")
    assert len(await db.query("SELECT id FROM reviews")) == 2


async def test_next_for_review_order(log: AnswerLog) -> None:
    _, plain_old = await ask(log, make_answer("Jembatan Merah", score=0.9))
    _, low = await ask(log, make_answer("Surabaya", score=0.3))
    _, abstained = await ask(log, make_answer(None, score=0.7))
    _, downvoted = await ask(log, make_answer("Senin", score=0.95))
    _, upvoted = await ask(log, make_answer("Joko Widodo", score=0.9))
    await log.vote(downvoted, 1, -1)
    await log.vote(downvoted, 2, 1)
    await log.vote(upvoted, 1, 1)

    order, skip = [], []
    while (item := await log.next_for_review(skip=skip)) is not None:
        order.append(item.answer_id)
        skip.append(item.answer_id)
    assert order == [downvoted, low, abstained, plain_old, upvoted]

    first = await log.next_for_review()
    assert first.answer_id == downvoted
    assert (first.upvotes, first.downvotes) == (1, 1)
    assert first.question == "Apa yang diresmikan?" and first.answer == "Senin"
    assert (first.sentence, first.article_title, first.article_source) == (SENTENCE_1, ARTICLE.title, "iNews.id")
    assert (first.article_date, first.article_url) == (ARTICLE.date, ARTICLE.url)
    assert (first.score, first.reader_score, first.retrieval_score) == (0.95, 2.5, 7.75)
    assert is_utc_iso(first.created_at)

    await log.review(downvoted, 99, "correct")
    assert (await log.next_for_review()).answer_id == low


async def test_stats_on_a_known_set(log: AnswerLog, db: Inspector) -> None:
    empty = await log.stats()
    assert (empty.questions, empty.answered_rate, empty.abstention_rate) == (0, 0.0, 0.0)
    assert (empty.correct_rate, empty.upvote_share) == (0.0, 0.0)

    q1, a1 = await ask(log, make_answer("Jembatan Merah"))
    _, a2 = await ask(log, make_answer("Surabaya"))
    _, a3 = await ask(log, make_answer(None))
    q4, _ = await ask(log, None)
    await ask(log, None)
    await log.mark_failed(q4, "timeout")
    await log.vote(a1, 1, 1)
    await log.vote(a1, 2, 1)
    await log.vote(a2, 1, -1)
    await log.vote(a3, 1, 1)
    await log.vote(a3, 1, -1)
    await log.review(a1, 99, "correct")
    await log.review(a2, 99, "correct")
    await log.review(a2, 99, "wrong_answer", corrected_answer="Jembatan Merah")

    stats = await log.stats()
    assert dataclasses.astuple(stats) == (5, 2, 1, 1, 2, 2, 2, 1)
    assert stats.answered_rate == pytest.approx(0.4)
    assert stats.abstention_rate == pytest.approx(1 / 3)
    assert stats.correct_rate == pytest.approx(0.5)
    assert stats.upvote_share == pytest.approx(0.5)

    await db.execute("UPDATE questions SET received_at = '2020-01-01T00:00:00.000000+00:00' WHERE id = ?", (q1,))
    recent = await log.stats(since=datetime(2021, 1, 1, tzinfo=timezone.utc))
    assert dataclasses.astuple(recent) == (4, 1, 1, 1, 0, 2, 1, 0)
    assert dataclasses.astuple(await log.stats(since=datetime(2100, 1, 1))) == (0,) * 8


CSV_HEADER = [
    "answer_id", "question_id", "channel", "chat_id", "user_id", "message_id", "update_id", "question",
    "question_status", "received_at", "answer", "abstained", "score", "reader_score", "retrieval_score", "mode",
    "latency_ms", "model_version", "article_id", "article_title", "article_source", "article_date", "article_url",
    "answer_start", "answer_end", "sentence", "sentence_start", "sentence_end", "answered_at",
    "telegram_message_id", "delivered_at", "upvotes", "downvotes", "review_label", "corrected_answer",
    "reviewed_by", "reviewed_at",
]  # fmt: skip


async def test_export_csv(log: AnswerLog, tmp_path: Path) -> None:
    tricky = 'Siapa "juara", kapan?\nBaris kedua; DROP TABLE answers;'
    _, a1 = await ask(log, make_answer("Jembatan Merah"), text=tricky)
    _, a2 = await ask(log, make_answer(None))
    await ask(log, None)  # unanswered questions have no row
    await log.vote(a1, 1, 1)
    await log.vote(a1, 2, -1)
    await log.vote(a1, 3, 1)
    await log.review(a1, 99, "correct")
    await log.review(a1, 98, "wrong_answer", corrected_answer="Jembatan Merah di Surabaya")

    out = tmp_path / "export.csv"
    assert await log.export_csv(out) == 2
    with out.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        assert next(reader) == CSV_HEADER
        rows = [dict(zip(CSV_HEADER, row)) for row in reader]
    assert [row["answer_id"] for row in rows] == [str(a1), str(a2)]
    first, second = rows
    assert first["question"] == tricky and first["answer"] == "Jembatan Merah" and first["abstained"] == "0"
    assert (first["upvotes"], first["downvotes"]) == ("2", "1")
    assert (first["review_label"], first["corrected_answer"], first["reviewed_by"]) == (
        "wrong_answer",
        "Jembatan Merah di Surabaya",
        "98",
    )
    assert first["article_title"] == ARTICLE.title and first["sentence"] == SENTENCE_1
    assert second["answer"] == "" and second["abstained"] == "1" and second["review_label"] == ""
    assert (second["upvotes"], second["downvotes"]) == ("0", "0")

    buffer = io.StringIO()
    await log.export_csv(buffer)
    assert buffer.getvalue() == out.read_bytes().decode("utf-8")


async def test_export_squad(log: AnswerLog) -> None:
    # The bot's answer "jembatan" is the second occurrence in SENTENCE_2: the stored offset must win.
    second_start = BODY.index("jembatan lama")
    twice = make_answer("jembatan", sentence=SENTENCE_2)
    twice = dataclasses.replace(twice, span=Span(second_start, second_start + len("jembatan")))
    _, correct = await ask(log, twice, text="Lebih panjang dari apa?")
    _, corrected = await ask(log, make_answer("Surabaya"), text="Siapa meresmikan?")
    _, correction_elsewhere = await ask(log, make_answer("Senin"), text="Kapan diresmikan?")
    _, impossible = await ask(log, make_answer("2 kilometer", sentence=SENTENCE_2), text="Berapa biayanya?")
    _, no_correction = await ask(log, make_answer("Surabaya"), text="Di mana?")
    _, abstention = await ask(log, make_answer(None), text="Siapa juara liga?")
    await ask(log, make_answer("Jembatan Merah"), text="Unreviewed?")
    await log.review(correct, 99, "correct")
    await log.review(corrected, 99, "wrong_answer", corrected_answer="Presiden Joko Widodo")
    await log.review(correction_elsewhere, 99, "wrong_answer", corrected_answer="Selasa (4/6)")
    await log.review(impossible, 99, "wrong_article")
    await log.review(no_correction, 99, "wrong_answer")
    await log.review(abstention, 99, "wrong_article")

    squad = await log.export_squad()
    assert json.loads(json.dumps(squad)) == squad
    assert squad["version"] == SQUAD_VERSION == "tanya-berita-reviews"
    assert [entry["title"] for entry in squad["data"]] == [ARTICLE.title]
    paragraphs = squad["data"][0]["paragraphs"]
    assert [p["context"] for p in paragraphs] == [SENTENCE_2, SENTENCE_1]
    qas = {qa["id"]: qa for p in paragraphs for qa in p["qas"]}
    assert set(qas) == {f"tanya-berita-{i}" for i in (correct, corrected, impossible)}
    for paragraph in paragraphs:
        for qa in paragraph["qas"]:
            assert set(qa) == {"id", "question", "is_impossible", "answers"}
            for gold in qa["answers"]:
                start = gold["answer_start"]
                assert paragraph["context"][start : start + len(gold["text"])] == gold["text"]

    assert qas[f"tanya-berita-{correct}"] == {
        "id": f"tanya-berita-{correct}",
        "question": "Lebih panjang dari apa?",
        "is_impossible": False,
        "answers": [{"text": "jembatan", "answer_start": SENTENCE_2.index("jembatan lama")}],
    }
    assert qas[f"tanya-berita-{corrected}"]["answers"] == [{"text": "Presiden Joko Widodo", "answer_start": 0}]
    assert qas[f"tanya-berita-{impossible}"]["is_impossible"] is True
    assert qas[f"tanya-berita-{impossible}"]["answers"] == []


async def test_migrations_on_empty_database(log: AnswerLog, db: Inspector) -> None:
    for table, expected in SCHEMA.items():
        assert await db.columns(table) == expected, table


async def test_migrations_upgrade_an_older_database(db_path: Path, db: Inspector) -> None:
    db_path.parent.mkdir(parents=True)
    async with aiosqlite.connect(db_path) as conn:
        await m001_initial(conn)
        await conn.execute("PRAGMA user_version = 1")
        await conn.execute(
            "INSERT INTO questions (channel, chat_id, user_id, message_id, update_id, text, received_at)"
            " VALUES ('telegram', 1, 2, 3, 4, 'Pertanyaan lama?', '2024-01-01T00:00:00.000000+00:00')"
        )
        await conn.commit()
    assert await db.columns("votes") == []

    async with await AnswerLog.open(db_path) as log:
        assert [q.text for q in await log.unanswered_questions()] == ["Pertanyaan lama?"]
        old_id = (await log.unanswered_questions())[0].id
        answer_id = await log.log_answer(old_id, make_answer("Jembatan Merah"), model_version="reader-v2")
        assert await log.vote(answer_id, 1, 1) is VoteResult.NEW
    assert (await db.query("PRAGMA user_version"))[0]["user_version"] == len(MIGRATIONS) == 4
    for table, expected in SCHEMA.items():
        assert await db.columns(table) == expected, table

    async with await AnswerLog.open(db_path) as log:  # running the migrations again is a no-op
        assert (await log.stats()).questions == 1
    assert (await db.query("PRAGMA integrity_check"))[0]["integrity_check"] == "ok"


async def test_update_key_migration_keeps_a_v2_log_and_drops_the_update_id_constraint(db_path: Path, db: Inspector) -> None:
    db_path.parent.mkdir(parents=True)
    async with aiosqlite.connect(db_path) as conn:
        await conn.execute("PRAGMA foreign_keys = ON")
        for migration in MIGRATIONS[:2]:
            await migration(conn)
        await conn.execute("PRAGMA user_version = 2")
        await conn.execute(
            "INSERT INTO questions (channel, chat_id, user_id, message_id, update_id, text, status, received_at)"
            " VALUES ('telegram', 1, 2, 3, 4, 'Pertanyaan lama?', 'delivered', '2024-01-01T00:00:00.000000+00:00')"
        )
        await conn.execute(
            "INSERT INTO answers (question_id, answer_text, score, mode, latency_ms, model_version, created_at)"
            " VALUES (1, 'Jembatan Merah', 0.9, 'reader', 40, 'reader-v1', '2024-01-01T00:00:01.000000+00:00')"
        )
        await conn.execute("INSERT INTO votes VALUES (1, 2, -1, '2024-01-01', '2024-01-01')")
        await conn.execute("INSERT INTO reviews (answer_id, moderator_id, label, created_at) VALUES (1, 9, 'correct', '2024-01-02')")
        await conn.commit()

    async with await AnswerLog.open(db_path) as log:
        # The same (channel, update_id) from a new id sequence is a new question now.
        new_id = await log.log_question(channel="telegram", chat_id=1, user_id=2, message_id=3, update_id=4,
                                        text="Pertanyaan baru?", update_key="7:4:1:3:1800000000:ab")
        assert new_id == 2
        assert (await log.stats()).questions == 2 and (await log.stats()).downvotes == 1
        with pytest.raises(sqlite3.IntegrityError):  # the foreign keys still hold after the rebuild
            await log._backend.db.execute("INSERT INTO answers (question_id, score, mode, latency_ms, model_version, created_at)"
                                  " VALUES (99, 0, 'reader', 1, 'v', 'x')")
    assert (await db.query("PRAGMA user_version"))[0]["user_version"] == len(MIGRATIONS)
    assert await db.columns("questions") == QUESTION_COLUMNS
    assert await db.query("SELECT id, text, status, update_key FROM questions ORDER BY id") == [
        {"id": 1, "text": "Pertanyaan lama?", "status": "delivered", "update_key": None},
        {"id": 2, "text": "Pertanyaan baru?", "status": "received", "update_key": "7:4:1:3:1800000000:ab"},
    ]
    assert await db.query("PRAGMA foreign_key_check") == []
    assert (await db.query("PRAGMA integrity_check"))[0]["integrity_check"] == "ok"
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        await db.execute("DELETE FROM reviews")


async def test_database_newer_than_the_code_is_refused(db_path: Path, db: Inspector) -> None:
    db_path.parent.mkdir(parents=True)
    await db.execute("PRAGMA user_version = 99")
    with pytest.raises(RuntimeError, match="newer"):
        await AnswerLog.open(db_path)


async def test_concurrent_questions_lose_nothing(log: AnswerLog, db: Inspector) -> None:
    async def one(n: int) -> tuple[int, int]:
        await asyncio.sleep(0)
        return await ask(log, make_answer("Jembatan Merah", score=n / 100), text=f"Pertanyaan {n}?", update_id=n)

    ids = await asyncio.gather(*(one(n) for n in range(50)))
    assert len({q for q, _ in ids}) == len({a for _, a in ids}) == 50
    rows = await db.query(
        "SELECT q.update_id, q.text, q.status, a.score FROM questions q JOIN answers a ON a.question_id = q.id",
    )
    assert len(rows) == 50
    for row in rows:
        assert row["text"] == f"Pertanyaan {row['update_id']}?"
        assert row["score"] == pytest.approx(row["update_id"] / 100)
        assert row["status"] == "answered"


async def test_refusals_are_stored(log: AnswerLog, db: Inspector) -> None:
    await log.log_refusal(7, 8, "/review")
    await log.log_refusal(None, None, "/export")
    rows = await db.query("SELECT user_id, chat_id, action, created_at FROM refusals ORDER BY id")
    assert [(r["user_id"], r["chat_id"], r["action"]) for r in rows] == [(7, 8, "/review"), (None, None, "/export")]
    assert all(is_utc_iso(r["created_at"]) for r in rows)


@pytest.fixture
async def other(log: AnswerLog, log_target: Path | str):
    """A second AnswerLog on the same database, as another bot process would open it."""
    answer_log = await AnswerLog.open(log_target)
    yield answer_log
    await answer_log.close()


async def test_open_again_and_at_once_is_safe(log_target: Path | str, db: Inspector) -> None:
    logs = await asyncio.gather(*(AnswerLog.open(log_target) for _ in range(3)))  # the migrations run once
    for answer_log in logs:
        await answer_log.close()
    if isinstance(log_target, str):
        rows = await db.query("SELECT version, name FROM schema_migrations ORDER BY version")
        assert [(r["version"], r["name"]) for r in rows] == [(n, m.__name__) for n, m in enumerate(MIGRATIONS, 1)]
        await db.execute("INSERT INTO schema_migrations (version, name) VALUES (99, 'm099_future')")
        with pytest.raises(RuntimeError, match="newer"):
            await AnswerLog.open(log_target)


async def test_same_update_from_two_processes_is_one_question(log: AnswerLog, other: AnswerLog, db: Inspector) -> None:
    where = {"channel": "telegram", "chat_id": 1, "user_id": 2, "message_id": 3, "update_id": 4, "text": "a?"}
    ids = await asyncio.gather(*(answer_log.log_question(**where, update_key="7:4:1:3:1:ab")
                                 for answer_log in (log, other, log, other)))
    assert len(set(ids)) == 1
    assert (await db.query("SELECT COUNT(*) AS n FROM questions"))[0]["n"] == 1


async def test_one_claim_wins_and_a_dead_claim_expires(log: AnswerLog, other: AnswerLog, db: Inspector) -> None:
    question_id, _ = await ask(log, None)
    won = await asyncio.gather(log.claim_question(question_id, "a", 30), other.claim_question(question_id, "b", 30),
                               other.claim_question(question_id, "c", 30))
    assert sorted(won) == [False, False, True]
    assert await log.claimable_questions(datetime.now(timezone.utc)) == []
    # The holder died: its claim runs out and someone else takes the question.
    await db.execute("UPDATE questions SET claimed_until = '2020-01-01T00:00:00.000000+00:00'")
    assert [q.id for q in await other.claimable_questions(datetime.now(timezone.utc))] == [question_id]
    assert await other.claim_question(question_id, "b", 30)
    assert await other.renew_claims("b", 60) == 1 and await other.renew_claims("a", 60) == 0
    await other.log_answer(question_id, make_answer("Jembatan Merah"), model_version="reader-v1")
    assert not await log.claim_question(question_id, "a", 30)  # answered: nothing to claim
    assert await log.mark_undelivered_failed("died") == 0  # its holder is alive (the claim runs)
    await db.execute("UPDATE questions SET claimed_until = '2020-01-01T00:00:00.000000+00:00'")
    assert await log.mark_undelivered_failed("died") == 1


async def test_a_question_is_answered_once(log: AnswerLog, other: AnswerLog) -> None:
    question_id, answer_id = await ask(log, make_answer("Jembatan Merah"))
    with pytest.raises(AlreadyAnswered):
        await other.log_answer(question_id, make_answer("Surabaya"), model_version="reader-v1")
    assert await other.answer_for_question(question_id) == answer_id


async def test_rate_limit_holds_across_processes(log: AnswerLog, other: AnswerLog) -> None:
    now = 1_800_000_000.0
    allowed = await asyncio.gather(*(answer_log.allow_question(7, 3, now + n / 10)
                                     for n, answer_log in enumerate([log, other] * 5)))
    assert sum(allowed) == 3
    assert await other.allow_question(8, 3, now)  # another user has a limit of their own
    assert not await log.allow_question(7, 3, now + 59)
    assert await log.allow_question(7, 3, now + 61)  # the first questions left the window
    question_id, _ = await ask(log, None)
    assert await log.allow_question(9, 1, now, question_id)
    assert await other.allow_question(9, 1, now + 1, question_id)  # the same question is counted once
    assert not await other.allow_question(9, 1, now + 2)


async def test_pending_correction_is_shared_and_taken_once(log: AnswerLog, other: AnswerLog) -> None:
    _, answer_id = await ask(log, make_answer("Jembatan Merah"))
    assert await other.pending_correction(99) is None
    await log.expect_correction(99, answer_id, "wrong_answer")
    assert await other.pending_correction(99) == (answer_id, "wrong_answer")
    taken = await asyncio.gather(other.take_correction(99), log.take_correction(99))
    assert taken.count(None) == 1 and (answer_id, "wrong_answer") in taken
    with pytest.raises(UnknownAnswer):
        await log.expect_correction(99, 999, "wrong_answer")


async def test_two_moderators_never_get_the_same_answer(log: AnswerLog, other: AnswerLog, db: Inspector) -> None:
    answers = [(await ask(log, make_answer("Jembatan Merah", score=0.9 - n / 100)))[1] for n in range(6)]
    handed = await asyncio.gather(*(answer_log.next_for_review(moderator_id=moderator)
                                    for answer_log, moderator in [(log, 1), (other, 2), (log, 3)]))
    assert len({item.answer_id for item in handed}) == 3
    assert (await log.next_for_review(moderator_id=1)).answer_id == handed[0].answer_id  # still theirs
    await log.release_review(handed[1].answer_id, 2)  # moderator 2 skipped it: back in the queue
    assert (await other.next_for_review(skip=[handed[0].answer_id], moderator_id=4)).answer_id == handed[1].answer_id
    await db.execute("UPDATE review_claims SET claimed_until = '2020-01-01T00:00:00.000000+00:00' WHERE moderator_id = 3")
    assert (await other.next_for_review(skip=[handed[0].answer_id, handed[1].answer_id], moderator_id=5)).answer_id == handed[2].answer_id
    assert sorted(item.answer_id for item in handed) == sorted(answers[:3])


async def test_the_newest_review_is_seen_by_another_process(log: AnswerLog, other: AnswerLog) -> None:
    assert await other.latest_review_id() == 0
    _, answer_id = await ask(log, make_answer("Jembatan Merah"))
    first = await log.review(answer_id, 99, "wrong_answer")
    assert await other.latest_review_id() == first
    second = await log.review(answer_id, 98, "correct")
    assert await other.latest_review_id() == second > first

"""The answer log's schema on PostgreSQL: the same ordered migrations as migrations.py (same
names, same tables and columns), recorded in schema_migrations and run by one process at a
time under an advisory lock, so several bot processes can start together.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

logger = logging.getLogger(__name__)

Migration = Callable[..., Awaitable[None]]  # takes an asyncpg.Connection inside a transaction
MIGRATION_LOCK = 7_306_517_000_016  # pg_advisory_lock key: "the answer log's migrations"


async def m001_initial(db) -> None:
    """Received questions and the answers logged for them (one answer per question)."""
    await db.execute(
        """
        CREATE TABLE questions (
            id BIGSERIAL PRIMARY KEY,
            channel TEXT NOT NULL,
            chat_id BIGINT,
            user_id BIGINT,
            message_id BIGINT,
            update_id BIGINT,
            text TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'received'
                CHECK (status IN ('received', 'answered', 'delivered', 'failed')),
            failure_reason TEXT,
            received_at TEXT NOT NULL,
            UNIQUE (channel, update_id)
        );
        CREATE TABLE answers (
            id BIGSERIAL PRIMARY KEY,
            question_id BIGINT NOT NULL UNIQUE REFERENCES questions (id),
            answer_text TEXT,
            score DOUBLE PRECISION NOT NULL,
            reader_score DOUBLE PRECISION,
            retrieval_score DOUBLE PRECISION,
            article_id TEXT,
            article_title TEXT,
            article_source TEXT,
            article_date TEXT,
            article_url TEXT,
            answer_start BIGINT,
            answer_end BIGINT,
            sentence TEXT,
            sentence_start BIGINT,
            sentence_end BIGINT,
            mode TEXT NOT NULL,
            latency_ms DOUBLE PRECISION NOT NULL,
            model_version TEXT NOT NULL,
            created_at TEXT NOT NULL,
            telegram_message_id BIGINT,
            delivered_at TEXT
        );
        CREATE INDEX questions_status ON questions (status);
        """
    )


async def m002_feedback(db) -> None:
    """User votes, the append-only review trail, refused moderator actions and two helper views."""
    await db.execute(
        """
        CREATE TABLE votes (
            answer_id BIGINT NOT NULL REFERENCES answers (id),
            user_id BIGINT NOT NULL,
            value INTEGER NOT NULL CHECK (value IN (-1, 1)),
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (answer_id, user_id)
        );
        CREATE TABLE reviews (
            id BIGSERIAL PRIMARY KEY,
            answer_id BIGINT NOT NULL REFERENCES answers (id),
            moderator_id BIGINT NOT NULL,
            label TEXT NOT NULL CHECK (label IN ('correct', 'wrong_answer', 'wrong_article')),
            corrected_answer TEXT,
            created_at TEXT NOT NULL
        );
        CREATE INDEX reviews_answer ON reviews (answer_id);
        CREATE FUNCTION reviews_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'reviews are append-only'; END $$;
        CREATE TRIGGER reviews_no_update BEFORE UPDATE ON reviews
            FOR EACH ROW EXECUTE FUNCTION reviews_append_only();
        CREATE TRIGGER reviews_no_delete BEFORE DELETE ON reviews
            FOR EACH ROW EXECUTE FUNCTION reviews_append_only();
        CREATE TRIGGER reviews_no_truncate BEFORE TRUNCATE ON reviews
            FOR EACH STATEMENT EXECUTE FUNCTION reviews_append_only();
        CREATE TABLE refusals (
            id BIGSERIAL PRIMARY KEY,
            user_id BIGINT,
            chat_id BIGINT,
            action TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE VIEW latest_reviews AS
        SELECT * FROM reviews WHERE id IN (SELECT MAX(id) FROM reviews GROUP BY answer_id);
        CREATE VIEW vote_totals AS
        SELECT answer_id, COUNT(*) FILTER (WHERE value = 1) AS upvotes, COUNT(*) FILTER (WHERE value = -1) AS downvotes
        FROM votes GROUP BY answer_id;
        """
    )


async def m003_update_key(db) -> None:
    """Questions are known by the exact update that brought them, not by (channel, update_id)."""
    await db.execute(
        """
        ALTER TABLE questions DROP CONSTRAINT questions_channel_update_id_key;
        ALTER TABLE questions ADD COLUMN update_key TEXT UNIQUE;
        """
    )


async def m004_shared_state(db) -> None:
    """What several bot processes share: claims on questions being answered, the per-user rate
    limit, moderators' pending corrections and answers handed to a moderator for review."""
    await db.execute(
        """
        ALTER TABLE questions ADD COLUMN claimed_by TEXT;
        ALTER TABLE questions ADD COLUMN claimed_until TEXT;
        CREATE TABLE question_allowances (
            user_id BIGINT NOT NULL,
            allowed_at DOUBLE PRECISION NOT NULL,
            question_id BIGINT UNIQUE REFERENCES questions (id)
        );
        CREATE INDEX question_allowances_user ON question_allowances (user_id, allowed_at);
        CREATE TABLE pending_corrections (
            moderator_id BIGINT PRIMARY KEY,
            answer_id BIGINT NOT NULL REFERENCES answers (id),
            label TEXT NOT NULL CHECK (label IN ('correct', 'wrong_answer', 'wrong_article')),
            created_at TEXT NOT NULL
        );
        CREATE TABLE review_claims (
            answer_id BIGINT PRIMARY KEY REFERENCES answers (id),
            moderator_id BIGINT NOT NULL,
            claimed_until TEXT NOT NULL
        );
        """
    )


MIGRATIONS: list[Migration] = [m001_initial, m002_feedback, m003_update_key, m004_shared_state]


async def migrate(connection) -> int:
    """Apply the migrations the database has not recorded yet, each in its own transaction; return the version."""
    await connection.execute("SELECT pg_advisory_lock($1)", MIGRATION_LOCK)
    try:
        await connection.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations"
            " (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())"
        )
        version = await connection.fetchval("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")
        if version > len(MIGRATIONS):
            raise RuntimeError(f"answer log schema version {version} is newer than this code ({len(MIGRATIONS)})")
        for number, migration in enumerate(MIGRATIONS[version:], start=version + 1):
            async with connection.transaction():
                await migration(connection)
                await connection.execute(
                    "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", number, migration.__name__
                )
            logger.info("answer log: applied migration %s", migration.__name__)
    finally:
        await connection.execute("SELECT pg_advisory_unlock($1)", MIGRATION_LOCK)
    return len(MIGRATIONS)

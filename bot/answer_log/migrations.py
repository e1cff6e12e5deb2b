"""Schema migrations of the answer log on SQLite, applied in order according to PRAGMA user_version.

pg_migrations.py holds the same list for PostgreSQL; a change here is made there too.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

import aiosqlite

logger = logging.getLogger(__name__)

Migration = Callable[[aiosqlite.Connection], Awaitable[None]]


async def m001_initial(db: aiosqlite.Connection) -> None:
    """Received questions and the answers logged for them (one answer per question)."""
    await db.execute(
        """
        CREATE TABLE questions (
            id INTEGER PRIMARY KEY,
            channel TEXT NOT NULL,
            chat_id INTEGER,
            user_id INTEGER,
            message_id INTEGER,
            update_id INTEGER,
            text TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'received'
                CHECK (status IN ('received', 'answered', 'delivered', 'failed')),
            failure_reason TEXT,
            received_at TEXT NOT NULL,
            UNIQUE (channel, update_id)
        )
        """
    )
    await db.execute(
        """
        CREATE TABLE answers (
            id INTEGER PRIMARY KEY,
            question_id INTEGER NOT NULL UNIQUE REFERENCES questions (id),
            answer_text TEXT,
            score REAL NOT NULL,
            reader_score REAL,
            retrieval_score REAL,
            article_id TEXT,
            article_title TEXT,
            article_source TEXT,
            article_date TEXT,
            article_url TEXT,
            answer_start INTEGER,
            answer_end INTEGER,
            sentence TEXT,
            sentence_start INTEGER,
            sentence_end INTEGER,
            mode TEXT NOT NULL,
            latency_ms REAL NOT NULL,
            model_version TEXT NOT NULL,
            created_at TEXT NOT NULL,
            telegram_message_id INTEGER,
            delivered_at TEXT
        )
        """
    )
    await db.execute("CREATE INDEX questions_status ON questions (status)")


async def m002_feedback(db: aiosqlite.Connection) -> None:
    """User votes, the append-only review trail, refused moderator actions and two helper views."""
    await db.execute(
        """
        CREATE TABLE votes (
            answer_id INTEGER NOT NULL REFERENCES answers (id),
            user_id INTEGER NOT NULL,
            value INTEGER NOT NULL CHECK (value IN (-1, 1)),
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (answer_id, user_id)
        )
        """
    )
    await db.execute(
        """
        CREATE TABLE reviews (
            id INTEGER PRIMARY KEY,
            answer_id INTEGER NOT NULL REFERENCES answers (id),
            moderator_id INTEGER NOT NULL,
            label TEXT NOT NULL CHECK (label IN ('correct', 'wrong_answer', 'wrong_article')),
            corrected_answer TEXT,
            created_at TEXT NOT NULL
        )
        """
    )
    await db.execute("CREATE INDEX reviews_answer ON reviews (answer_id)")
    # The review trail is an audit log: the database itself refuses to rewrite it.
    await db.execute(
        """
        CREATE TRIGGER reviews_no_update BEFORE UPDATE ON reviews
        BEGIN SELECT RAISE(ABORT, 'reviews are append-only'); END
        """
    )
    await db.execute(
        """
        CREATE TRIGGER reviews_no_delete BEFORE DELETE ON reviews
        BEGIN SELECT RAISE(ABORT, 'reviews are append-only'); END
        """
    )
    await db.execute(
        """
        CREATE TABLE refusals (
            id INTEGER PRIMARY KEY,
            user_id INTEGER,
            chat_id INTEGER,
            action TEXT NOT NULL,
            created_at TEXT NOT NULL
        )
        """
    )
    await db.execute(
        """
        CREATE VIEW latest_reviews AS
        SELECT * FROM reviews WHERE id IN (SELECT MAX(id) FROM reviews GROUP BY answer_id)
        """
    )
    await db.execute(
        """
        CREATE VIEW vote_totals AS
        SELECT answer_id, SUM(value = 1) AS upvotes, SUM(value = -1) AS downvotes
        FROM votes GROUP BY answer_id
        """
    )


async def m003_update_key(db: aiosqlite.Connection) -> None:
    """Questions are known by the exact update that brought them, not by (channel, update_id).

    Update ids repeat across bots, tokens and id sequences (Telegram restarts at a random id
    after a quiet week), so UNIQUE (channel, update_id) took new questions for old ones. The
    table is rebuilt without it (SQLite cannot drop a constraint); `update_key` (see
    bot/telegram/intake.py) is NULL for questions logged before, which are never matched again.
    """
    await db.execute(
        """
        CREATE TABLE questions_new (
            id INTEGER PRIMARY KEY,
            channel TEXT NOT NULL,
            chat_id INTEGER,
            user_id INTEGER,
            message_id INTEGER,
            update_id INTEGER,
            text TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'received'
                CHECK (status IN ('received', 'answered', 'delivered', 'failed')),
            failure_reason TEXT,
            received_at TEXT NOT NULL,
            update_key TEXT UNIQUE
        )
        """
    )
    columns = "id, channel, chat_id, user_id, message_id, update_id, text, status, failure_reason, received_at"
    await db.execute(f"INSERT INTO questions_new ({columns}) SELECT {columns} FROM questions")
    await db.execute("DROP TABLE questions")
    await db.execute("ALTER TABLE questions_new RENAME TO questions")
    await db.execute("CREATE INDEX questions_status ON questions (status)")


async def m004_shared_state(db: aiosqlite.Connection) -> None:
    """What several bot processes share: claims on questions being answered, the per-user rate
    limit, moderators' pending corrections and answers handed to a moderator for review."""
    await db.execute("ALTER TABLE questions ADD COLUMN claimed_by TEXT")
    await db.execute("ALTER TABLE questions ADD COLUMN claimed_until TEXT")
    await db.execute(
        "CREATE TABLE question_allowances"
        " (user_id INTEGER NOT NULL, allowed_at REAL NOT NULL, question_id INTEGER UNIQUE REFERENCES questions (id))"
    )
    await db.execute("CREATE INDEX question_allowances_user ON question_allowances (user_id, allowed_at)")
    await db.execute(
        """
        CREATE TABLE pending_corrections (
            moderator_id INTEGER PRIMARY KEY,
            answer_id INTEGER NOT NULL REFERENCES answers (id),
            label TEXT NOT NULL CHECK (label IN ('correct', 'wrong_answer', 'wrong_article')),
            created_at TEXT NOT NULL
        )
        """
    )
    await db.execute(
        """
        CREATE TABLE review_claims (
            answer_id INTEGER PRIMARY KEY REFERENCES answers (id),
            moderator_id INTEGER NOT NULL,
            claimed_until TEXT NOT NULL
        )
        """
    )


MIGRATIONS: list[Migration] = [m001_initial, m002_feedback, m003_update_key, m004_shared_state]


async def migrate(db: aiosqlite.Connection) -> int:
    """Apply the migrations the database has not seen yet, each in its own transaction; return the version.

    The version is read inside each IMMEDIATE transaction, so processes opening the log at
    the same time apply every migration once.
    """
    async with db.execute("PRAGMA foreign_keys") as cursor:
        (foreign_keys,) = await cursor.fetchone()
    # A table rebuild (m003) must not cascade into the tables that point at it; the references
    # are checked before each migration commits instead.
    await db.execute("PRAGMA foreign_keys = OFF")
    try:
        while True:
            await db.execute("BEGIN IMMEDIATE")
            try:
                async with db.execute("PRAGMA user_version") as cursor:
                    (version,) = await cursor.fetchone()
                if version > len(MIGRATIONS):
                    raise RuntimeError(f"answer log schema version {version} is newer than this code ({len(MIGRATIONS)})")
                if version == len(MIGRATIONS):
                    await db.execute("COMMIT")
                    return version
                migration = MIGRATIONS[version]
                await migration(db)
                async with db.execute("PRAGMA foreign_key_check") as cursor:
                    if await cursor.fetchone() is not None:
                        raise RuntimeError(f"migration {migration.__name__} broke a foreign key")
                # PRAGMA takes no parameters; version is an int read from the database.
                await db.execute(f"PRAGMA user_version = {version + 1:d}")
            except BaseException:
                await db.execute("ROLLBACK")
                raise
            await db.execute("COMMIT")
            logger.info("answer log: applied migration %s", migration.__name__)
    finally:
        await db.execute(f"PRAGMA foreign_keys = {int(foreign_keys):d}")

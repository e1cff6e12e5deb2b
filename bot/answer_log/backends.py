"""The databases the answer log runs on: SQLite through aiosqlite (the embedded default) and
PostgreSQL through asyncpg (when DATABASE_URL is set, for several bot processes).

The log's SQL is written once, with `?` placeholders and syntax both understand (RETURNING,
ON CONFLICT, CAST); a backend only runs it. Rows are read by column name (`row["id"]`),
`dict(row)` and `tuple(row)`, which sqlite3.Row and asyncpg.Record both support.
"""

from __future__ import annotations

import asyncio
import logging
import re
import sqlite3
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

import aiosqlite

logger = logging.getLogger(__name__)

Row = Any  # sqlite3.Row or asyncpg.Record


def is_database_url(target: object) -> bool:
    """True for a PostgreSQL URL (postgres:// or postgresql://)."""
    return isinstance(target, str) and target.startswith(("postgres://", "postgresql://"))


@lru_cache(maxsize=256)
def numbered(sql: str) -> str:
    """`?` placeholders as PostgreSQL's $1, $2, ... (the log's SQL has no `?` inside literals)."""
    count = 0

    def next_number(_: re.Match) -> str:
        nonlocal count
        count += 1
        return f"${count}"

    return re.sub(r"\?", next_number, sql)


class Session(Protocol):
    """What the log's operations do with the database, inside one transaction or one read."""

    async def one(self, sql: str, params: Sequence[Any] = ()) -> Row | None: ...

    async def all(self, sql: str, params: Sequence[Any] = ()) -> list[Row]: ...

    async def value(self, sql: str, params: Sequence[Any] = ()) -> Any: ...

    async def write(self, sql: str, params: Sequence[Any] = ()) -> int: ...

    async def header(self, sql: str) -> list[str]: ...


class SQLiteSession:
    def __init__(self, db: aiosqlite.Connection) -> None:
        self._db = db

    async def one(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Row | None:
        async with self._db.execute(sql, params) as cursor:
            return await cursor.fetchone()

    async def all(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        return list(await self._db.execute_fetchall(sql, params))

    async def value(self, sql: str, params: Sequence[Any] = ()) -> Any:
        row = await self.one(sql, params)
        return None if row is None else row[0]

    async def write(self, sql: str, params: Sequence[Any] = ()) -> int:
        async with self._db.execute(sql, params) as cursor:
            return cursor.rowcount

    async def header(self, sql: str) -> list[str]:
        async with self._db.execute(sql) as cursor:
            return [column[0] for column in cursor.description]


async def _wal(db: aiosqlite.Connection, attempts: int = 20) -> str:
    """Switch to WAL. Another connection creating the same file at that moment makes SQLite
    answer "database is locked" at once, without its busy handler, so wait and try again."""
    for attempt in range(1, attempts + 1):
        try:
            async with db.execute("PRAGMA journal_mode = WAL") as cursor:
                (journal_mode,) = await cursor.fetchone()
            return journal_mode
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or attempt == attempts:
                raise
            await asyncio.sleep(0.05 * attempt)
    raise AssertionError("unreachable")


class SQLiteBackend:
    """One aiosqlite connection; every operation holds one lock, so writes never interleave."""

    dialect = "sqlite"

    def __init__(self, db: aiosqlite.Connection) -> None:
        self.db = db
        self._lock = asyncio.Lock()

    @classmethod
    async def open(cls, path: Path) -> SQLiteBackend:
        """Open (creating it if needed) and migrate the SQLite file at path."""
        from bot.answer_log.migrations import migrate

        path.parent.mkdir(parents=True, exist_ok=True)
        # isolation_level=None: no implicit transactions, every write block says BEGIN/COMMIT itself.
        db = await aiosqlite.connect(path, isolation_level=None)
        try:
            db.row_factory = sqlite3.Row
            await db.execute("PRAGMA busy_timeout = 5000")
            journal_mode = await _wal(db)
            if journal_mode != "wal":
                logger.warning("answer log %s: journal mode is %s, not wal", path, journal_mode)
            await db.execute("PRAGMA foreign_keys = ON")
            version = await migrate(db)
        except BaseException:
            await db.close()
            raise
        logger.info("answer log %s opened (schema version %d)", path, version)
        return cls(db)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[SQLiteSession]:
        """Hold the lock and run the block as one IMMEDIATE transaction, rolled back on any error."""
        async with self._lock:
            await self.db.execute("BEGIN IMMEDIATE")
            try:
                yield SQLiteSession(self.db)
            except BaseException:
                await self.db.execute("ROLLBACK")
                raise
            await self.db.execute("COMMIT")

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[SQLiteSession]:
        """Hold the lock for reads outside a transaction."""
        async with self._lock:
            yield SQLiteSession(self.db)

    async def close(self) -> None:
        async with self._lock:
            await self.db.close()


class PostgresSession:
    def __init__(self, connection) -> None:  # asyncpg.Connection
        self._connection = connection

    async def one(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        return await self._connection.fetchrow(numbered(sql), *params)

    async def all(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        return await self._connection.fetch(numbered(sql), *params)

    async def value(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return await self._connection.fetchval(numbered(sql), *params)

    async def write(self, sql: str, params: Sequence[Any] = ()) -> int:
        status = await self._connection.execute(numbered(sql), *params)  # e.g. "UPDATE 3", "INSERT 0 1"
        return int(status.rsplit(" ", 1)[-1]) if status[-1:].isdigit() else 0

    async def header(self, sql: str) -> list[str]:
        statement = await self._connection.prepare(numbered(sql))
        return [attribute.name for attribute in statement.get_attributes()]


class PostgresBackend:
    """A small asyncpg pool; each operation takes a connection, writes run in one transaction."""

    dialect = "postgres"

    def __init__(self, pool) -> None:  # asyncpg.Pool
        self.pool = pool

    @classmethod
    async def open(cls, url: str, *, max_connections: int = 8) -> PostgresBackend:
        """Connect to the database at url and migrate it (one process at a time: an advisory lock)."""
        import asyncpg

        from bot.answer_log.pg_migrations import migrate

        pool = await asyncpg.create_pool(url, min_size=1, max_size=max_connections)
        try:
            async with pool.acquire() as connection:
                version = await migrate(connection)
        except BaseException:
            await pool.close()
            raise
        logger.info("answer log on PostgreSQL opened (schema version %d)", version)  # the URL may hold a password
        return cls(pool)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[PostgresSession]:
        async with self.pool.acquire() as connection, connection.transaction():
            yield PostgresSession(connection)

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[PostgresSession]:
        async with self.pool.acquire() as connection:
            yield PostgresSession(connection)

    async def close(self) -> None:
        await self.pool.close()


Backend = SQLiteBackend | PostgresBackend

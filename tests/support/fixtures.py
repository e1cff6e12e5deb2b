"""Pytest fixtures for end-to-end tests against the local Bot API server."""

from collections.abc import AsyncIterator

import pytest_asyncio

from tests.support.telegram_server import TelegramTestServer


@pytest_asyncio.fixture
async def telegram_server() -> AsyncIterator[TelegramTestServer]:
    """A started TelegramTestServer on 127.0.0.1 (free port), stopped after the test."""
    async with TelegramTestServer() as server:
        yield server

"""Faults injected by the Bot API server: the bot keeps running and delivers; the token never leaks."""

from __future__ import annotations

import io
import logging
from collections.abc import AsyncIterator
from dataclasses import replace

import pytest_asyncio

from bot.config import Settings
from bot.logging_setup import RedactSecrets
from tests.support.bot import bot_polling
from tests.support.telegram_server import TelegramTestServer

USER = 8001
QUESTION = "Siapa Sekretaris Jenderal CSTO?"


@pytest_asyncio.fixture
async def bot(telegram_server: TelegramTestServer, settings: Settings, answerer, tmp_path) -> AsyncIterator[TelegramTestServer]:
    """The bot polling the test server; yields the server to push updates to and read calls from."""
    async with bot_polling(telegram_server, settings, answerer, tmp_path / "answers.sqlite3"):
        yield telegram_server


def answers(server: TelegramTestServer):
    return [c for c in server.calls("sendMessage") if c.ok and "reply_markup" in c.params]


async def test_polling_faults_are_survived(bot: TelegramTestServer):
    for status in (409, 500, 502):
        bot.fail_next("getUpdates", status=status)
    bot.stall_next("getUpdates", 3)
    bot.push_message(USER, USER, QUESTION)
    await bot.wait_for("sendMessage", timeout=60, predicate=lambda c: c.ok and "reply_markup" in c.params)
    failed = [c.status for c in bot.calls("getUpdates") if c.status and c.status != 200]
    assert {409, 500, 502} <= set(failed)


async def test_dropped_connection_mid_reply_is_retried(bot: TelegramTestServer, tmp_path):
    bot.drop_next("sendMessage")
    bot.fail_next("sendMessage", status=502)
    bot.push_message(USER, USER, QUESTION)
    await bot.wait_for("sendMessage", timeout=60, predicate=lambda c: c.ok and "reply_markup" in c.params)
    statuses = [c.status for c in bot.calls("sendMessage")]
    assert statuses[:2] == [0, 502] and len(answers(bot)) == 1


async def test_a_stalled_send_does_not_block_other_chats(bot: TelegramTestServer):
    bot.stall_next("sendMessage", 5)
    bot.push_message(USER, USER, QUESTION)
    bot.push_message(USER + 1, USER + 1, QUESTION)
    await bot.wait_for("sendMessage", timeout=60, predicate=lambda c: c.ok and c.params["chat_id"] == USER + 1)
    stalled = [c for c in bot.calls("sendMessage") if c.params["chat_id"] == USER]
    assert stalled and stalled[0].status is None  # the other chat was answered while this reply hung
    await bot.wait_for("sendMessage", timeout=60, predicate=lambda c: c.ok and c.params["chat_id"] == USER)


async def test_token_never_reaches_the_log(telegram_server: TelegramTestServer, settings: Settings, answerer, tmp_path, caplog):
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactSecrets([telegram_server.token]))
    logging.getLogger().addHandler(handler)
    caplog.set_level(logging.DEBUG)
    try:
        async with bot_polling(telegram_server, settings, answerer, tmp_path / "a.sqlite3"):
            telegram_server.fail_next("getUpdates", status=500)
            telegram_server.drop_next("sendMessage")
            telegram_server.push_message(USER, USER, QUESTION)
            await telegram_server.wait_for("sendMessage", timeout=60, predicate=lambda c: c.ok)
    finally:
        logging.getLogger().removeHandler(handler)
    output = stream.getvalue()
    assert "retry 1 of 3" in output  # the fault was logged, once per attempt
    assert telegram_server.token not in output
    assert telegram_server.token.split(":")[1] not in output
    assert telegram_server.token not in repr(replace(settings, telegram_token=telegram_server.token))

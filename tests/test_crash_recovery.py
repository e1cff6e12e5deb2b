"""SIGKILL under load: nothing the bot received or sent is lost, and the database stays sound."""

from __future__ import annotations

import asyncio
import signal
import sqlite3
import time

import pytest

from tests.support.bot import start_bot_process
from tests.support.telegram_server import TelegramTestServer

QUESTIONS = [
    "Berapa tentara cadangan yang dimobilisasi Presiden Tajikistan?",
    "Siapa Sekretaris Jenderal CSTO?",
    "Kapan Taliban digulingkan dari pemerintahan Afghanistan?",
    "Siapa juara Liga Inggris musim 2020?",
]
USERS = 50
TOTAL = 200


def replied(server: TelegramTestServer) -> set[tuple[int, int]]:
    """(chat, question message id) of every answer the server accepted."""
    return {(c.params["chat_id"], c.params["reply_parameters"]["message_id"])
            for c in server.calls("sendMessage") if c.ok and "reply_parameters" in c.params}


@pytest.mark.slow
async def test_sigkill_midway_loses_no_question(telegram_server: TelegramTestServer, answerer, settings, tmp_path):
    db_path, log_path = tmp_path / "answers.sqlite3", tmp_path / "bot.log"
    bot = await start_bot_process(telegram_server, settings, db_path, log_path)
    await telegram_server.wait_for("getUpdates", timeout=120)
    pushed = []
    for n in range(TOTAL):
        user = 5000 + n % USERS
        update = telegram_server.push_message(user, user, QUESTIONS[n % len(QUESTIONS)])
        pushed.append((user, update["message"]["message_id"]))
    await telegram_server.wait_for("sendMessage", count=TOTAL // 4, timeout=300, predicate=lambda c: c.ok)
    bot.send_signal(signal.SIGKILL)
    await bot.wait()
    sent_before = replied(telegram_server)
    assert 0 < len(sent_before) < TOTAL, "the kill should land midway"

    bot = await start_bot_process(telegram_server, settings, db_path, log_path)
    deadline = time.monotonic() + 900
    try:
        while time.monotonic() < deadline:
            failed = {(r[0], r[1]) for r in sqlite3.connect(db_path).execute(
                "SELECT chat_id, message_id FROM questions WHERE status = 'failed'")}
            if set(pushed) <= replied(telegram_server) | failed:
                break
            await asyncio.sleep(0.5)
    finally:
        bot.send_signal(signal.SIGTERM)
        await asyncio.wait_for(bot.wait(), 60)

    connection = sqlite3.connect(db_path)
    assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    logged = {(r[0], r[1]) for r in connection.execute(
        "SELECT q.chat_id, q.message_id FROM questions q JOIN answers a ON a.question_id = q.id")}
    failed = {(r[0], r[1]) for r in connection.execute("SELECT chat_id, message_id FROM questions WHERE status = 'failed'")}
    answered = replied(telegram_server)
    assert answered <= logged, "every answer the server received is in the log"
    assert set(pushed) <= answered | failed, "every question was answered after the restart or logged as failed"
    duplicates = len([c for c in telegram_server.calls("sendMessage") if c.ok and "reply_parameters" in c.params]) - len(answered)
    print(f"answered {len(answered)} ({len(sent_before)} before the kill), failed {len(failed)}, duplicate replies {duplicates}")
    leaks = [line for line in log_path.read_text(errors="replace").splitlines() if telegram_server.token in line]
    assert not leaks, leaks[:3]

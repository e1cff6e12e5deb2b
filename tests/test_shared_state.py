"""Issue 16: two bot processes on one PostgreSQL answer log share the claims on questions, the
per-user rate limit and moderators' pending corrections.

Each "process" is a real PTB Application with its own Bot API server (the load balancer sends
each update to one of them); both serve the same bot and write to the same real PostgreSQL
database started by the tests.
"""

from __future__ import annotations

import asyncio
import copy
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack

import pytest_asyncio

from tests.support.bot import bot_polling
from tests.support.postgres import Inspector, drop_database, fresh_database
from tests.support.telegram_server import TelegramTestServer

USER, MODERATOR = 6001, 4343
QUESTION = "Siapa Sekretaris Jenderal CSTO?"


@pytest_asyncio.fixture
async def database(postgres_url: str) -> AsyncIterator[str]:
    url = await fresh_database(postgres_url)
    yield url
    await drop_database(url)


@pytest_asyncio.fixture
async def two_bots(database: str, settings, answerer, tmp_path) -> AsyncIterator[tuple[TelegramTestServer, TelegramTestServer]]:
    """Two bot processes (A and B) of one bot on one PostgreSQL log; yields the Bot API server of each."""
    async with AsyncExitStack() as stack:
        servers = []
        for name in "ab":
            server = await stack.enter_async_context(TelegramTestServer())
            await stack.enter_async_context(bot_polling(
                server, settings, answerer, tmp_path / f"{name}.sqlite3", database_url=database,
                moderator_ids=frozenset({MODERATOR}), questions_per_minute=3))
            servers.append(server)
        yield tuple(servers)


def answers(server: TelegramTestServer) -> list:
    return [c for c in server.calls("sendMessage") if c.ok and "reply_markup" in c.params and "vote:" in str(c.params["reply_markup"])]


async def test_an_update_redelivered_to_the_other_process_is_answered_once(two_bots, database):
    a, b = two_bots
    update = a.push_message(USER, USER, QUESTION)
    await a.wait_for("sendMessage", timeout=60, predicate=lambda c: c.ok)
    b.add_chat(USER)
    b.push_update(copy.deepcopy(update))  # Telegram retries the webhook: the balancer picks B this time
    await b.wait_for("getUpdates", count=2, timeout=30, predicate=lambda c: c.ok and (c.params.get("offset") or 0) > update["update_id"])
    await asyncio.sleep(0.5)
    assert len(answers(a)) == 1 and answers(b) == []
    rows = await Inspector(database).query("SELECT status FROM questions")
    assert rows == [{"status": "delivered"}]


async def test_rate_limit_holds_across_processes(two_bots):
    a, b = two_bots
    # Distinct texts: the two test servers number their updates alike, one Telegram would not.
    for n, server in enumerate((a, b, a, b, a)):
        server.push_message(USER, USER, f"{QUESTION[:-1]} {'sekarang ' * n}?")
        await asyncio.sleep(0.05)
    await a.wait_for("sendMessage", count=3, timeout=60, predicate=lambda c: c.ok)
    await b.wait_for("sendMessage", count=2, timeout=60, predicate=lambda c: c.ok)
    replies = [c for server in (a, b) for c in server.calls("sendMessage") if c.ok]
    assert len(replies) == 5
    assert sum("Pelan-pelan" in r.result["text"] for r in replies) == 2  # 3 a minute, whichever process asks


async def test_a_correction_started_on_one_process_is_finished_on_the_other(two_bots, database):
    a, b = two_bots
    a.push_message(USER, USER, QUESTION)
    await a.wait_for("sendMessage", timeout=60, predicate=lambda c: c.ok)
    a.push_message(MODERATOR, MODERATOR, "/review")
    [review] = await a.wait_for("sendMessage", timeout=30, predicate=lambda c: c.ok and c.params["chat_id"] == MODERATOR)
    wrong = next(row[0]["callback_data"] for row in review.params["reply_markup"]["inline_keyboard"]
                 if row[0]["callback_data"].endswith(":a"))
    a.push_callback_query(MODERATOR, MODERATOR, review.result["message_id"], wrong)
    await a.wait_for("answerCallbackQuery", timeout=30)
    b.push_message(MODERATOR, MODERATOR, "Stanislav Zas")  # the next message reaches process B
    [done] = await b.wait_for("sendMessage", timeout=30, predicate=lambda c: c.ok)
    assert "Koreksi untuk jawaban" in done.result["text"]
    db = Inspector(database)
    assert [(r["label"], r["corrected_answer"]) for r in await db.query("SELECT label, corrected_answer FROM reviews ORDER BY id")] == [
        ("wrong_answer", None), ("wrong_answer", "Stanislav Zas")]
    assert (await db.query("SELECT COUNT(*) AS n FROM questions"))[0]["n"] == 1  # the correction is no question
    assert await db.query("SELECT * FROM pending_corrections") == []

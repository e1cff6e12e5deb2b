"""Issue 17: a question is known by the exact update that brought it, so repeating update ids lose nothing.

Telegram restarts update ids (a random id after a quiet week, a new id sequence for a new bot or a
self-hosted Bot API server) and message ids are per chat and per bot; only a redelivery of the
same update may be taken for an answered question.
"""

from __future__ import annotations

import asyncio
import copy
import signal
import time

import pytest

from bot.config import Settings
from tests.support.bot import bot_polling, settled, start_bot_process
from tests.support.telegram_server import DEFAULT_TOKEN, TelegramTestServer

QUESTIONS = ["Berapa tentara cadangan yang dimobilisasi Presiden Tajikistan?", "Siapa Sekretaris Jenderal CSTO?"]
USERS = (3101, 3102, 3103)
SAME_BOT_NEW_TOKEN = DEFAULT_TOKEN.split(":")[0] + ":AAnewTokenAfterRevokingTheOldOne"
OTHER_BOT_TOKEN = "7000000002:AAanotherBotOverTheSameAnswerLog"


def answers(server: TelegramTestServer) -> list:
    """The answers the server accepted (answers and abstentions carry the vote keyboard)."""
    return [c for c in server.calls("sendMessage") if c.ok and "reply_markup" in c.params]


async def one_run(token: str, settings: Settings, answerer, db_path) -> tuple[list[dict], list]:
    """A fresh Bot API server (ids start again at the same numbers) and the bot over the same answer log."""
    async with TelegramTestServer(token=token) as server, bot_polling(server, settings, answerer, db_path):
        pushed = [server.push_message(user, user, question) for question in QUESTIONS for user in USERS]
        await server.wait_for("sendMessage", count=len(pushed), timeout=60,
                              predicate=lambda c: c.ok and "reply_markup" in c.params)
        return pushed, answers(server)


def replied_to(calls: list) -> set[tuple[int, int]]:
    return {(c.params["chat_id"], c.params["reply_parameters"]["message_id"]) for c in calls}


def asked(pushed: list[dict]) -> set[tuple[int, int]]:
    return {(u["message"]["chat"]["id"], u["message"]["message_id"]) for u in pushed}


async def next_second(pushed: list[dict]) -> None:
    """Wait until the clock is past the dates of `pushed` (Telegram dates messages to the second)."""
    while int(time.time()) <= max(u["message"]["date"] for u in pushed):
        await asyncio.sleep(0.05)


@pytest.mark.parametrize("second_token", [DEFAULT_TOKEN, SAME_BOT_NEW_TOKEN, OTHER_BOT_TOKEN],
                         ids=["same-token", "new-token-same-bot", "other-bot"])
async def test_repeated_update_and_message_ids_are_new_questions(settings, answerer, tmp_path, second_token):
    db_path = tmp_path / "answers.sqlite3"
    first, first_answers = await one_run(DEFAULT_TOKEN, settings, answerer, db_path)
    if second_token.split(":")[0] == DEFAULT_TOKEN.split(":")[0]:
        await next_second(first)  # the same bot: only the message date can tell the runs apart
    second, second_answers = await one_run(second_token, settings, answerer, db_path)

    # The second server repeated every update id and every (chat, message id) of the first.
    assert [u["update_id"] for u in second] == [u["update_id"] for u in first]
    assert asked(second) == asked(first)
    assert replied_to(first_answers) == asked(first) and len(first_answers) == len(first)
    assert replied_to(second_answers) == asked(second) and len(second_answers) == len(second)
    rows = (await settled(db_path)).execute("SELECT update_id, status, update_key FROM questions").fetchall()
    assert len(rows) == 2 * len(first) and {r["status"] for r in rows} == {"delivered"}
    assert len({r["update_key"] for r in rows}) == len(rows)
    assert len({r["update_id"] for r in rows}) == len(first)


@pytest.mark.slow
async def test_redelivered_update_is_answered_once_across_a_restart_mid_answer(
        telegram_server: TelegramTestServer, settings, tmp_path):
    db_path, log_path = tmp_path / "answers.sqlite3", tmp_path / "bot.log"
    bot = await start_bot_process(telegram_server, settings, db_path, log_path)
    try:
        await telegram_server.wait_for("getUpdates", timeout=120)
        telegram_server.stall_next("sendChatAction", 120)  # the bot is answering when it dies
        update = telegram_server.push_message(USERS[0], USERS[0], QUESTIONS[0])
        await telegram_server.wait_for("sendChatAction", timeout=60)
    finally:
        bot.send_signal(signal.SIGKILL)
        await bot.wait()
    assert not answers(telegram_server)
    # Telegram delivers the same update again (its confirmation did not get through).
    if not any(u["update_id"] == update["update_id"] for u in telegram_server.updates):
        telegram_server.push_update(copy.deepcopy(update))

    bot = await start_bot_process(telegram_server, settings, db_path, log_path)
    try:
        await telegram_server.wait_for("sendMessage", timeout=120, predicate=lambda c: c.ok and "reply_markup" in c.params)
        await telegram_server.wait_for("getUpdates", count=2, timeout=30,  # polled past the redelivered update
                                       predicate=lambda c: c.ok and (c.params.get("offset") or 0) > update["update_id"])
        await asyncio.sleep(1.0)  # room for a second answer, if the bot were to send one
    finally:
        bot.send_signal(signal.SIGTERM)
        await asyncio.wait_for(bot.wait(), 60)

    assert replied_to(answers(telegram_server)) == {(USERS[0], update["message"]["message_id"])}
    assert len(answers(telegram_server)) == 1
    rows = (await settled(db_path)).execute("SELECT update_id, status FROM questions").fetchall()
    assert [tuple(r) for r in rows] == [(update["update_id"], "delivered")]
    log = log_path.read_text(errors="replace")
    assert "answering 1 questions left unanswered (their process died before answering)" in log
    # The restarted process meets the question twice, as a left-over and as the redelivered update;
    # whichever claims it first answers, and the other is refused (which one wins is a race).
    assert (f"update {update['update_id']}: question 1 is answered or being answered already" in log
            or "a left-over question: question 1 is answered or being answered already" in log)

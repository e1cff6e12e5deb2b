"""Issue 16: two bot processes in webhook mode share one PostgreSQL answer log behind a router.

200 questions from 50 users are spread over both; one process is SIGKILLed midway and
restarted. Every question is answered exactly once (or, for an answer logged in the instant
before the kill, stored as failed with its reason), none is lost, the per-user rate limit
holds across the processes, and a moderator's correction started on one process is finished
on the other.
"""

from __future__ import annotations

import asyncio
import signal
from collections import Counter

import pytest

from tests.support.postgres import Inspector, drop_database, fresh_database
from tests.support.telegram_server import TelegramTestServer
from tests.support.webhook import Router, free_port, listening, start_webhook_bot

QUESTIONS = [
    "Berapa tentara cadangan yang dimobilisasi Presiden Tajikistan?",
    "Siapa Sekretaris Jenderal CSTO?",
    "Kapan Taliban digulingkan dari pemerintahan Afghanistan?",
    "Siapa juara Liga Inggris musim 2020?",
]
USERS, TOTAL, PER_MINUTE, MODERATOR = 50, 200, 3, 4444


def is_answer(call) -> bool:
    return call.ok and "vote:" in str(call.params.get("reply_markup"))


def is_rate_limited(call) -> bool:
    return call.ok and "Pelan-pelan" in call.result["text"]


@pytest.mark.slow
async def test_two_webhook_processes_share_one_postgres_log(telegram_server: TelegramTestServer, settings, answerer,
                                                            postgres_url, tmp_path):
    # `answerer` builds the index and the reader in the data dir once, before both processes load them.
    database = await fresh_database(postgres_url)
    ports = [free_port(), free_port()]
    env = {"BOT_QUESTIONS_PER_MINUTE": str(PER_MINUTE), "MODERATOR_IDS": str(MODERATOR)}
    logs = [tmp_path / "a.log", tmp_path / "b.log"]
    processes = [await start_webhook_bot(telegram_server, settings, port, database, log, **env)
                 for port, log in zip(ports, logs)]
    router = Router(ports)
    try:
        await asyncio.gather(*(listening(port) for port in ports))
        pushed = []
        for n in range(TOTAL):  # a user's 1st and 3rd questions go to one process, the 2nd and 4th to the other
            user = 7000 + n % USERS
            update = telegram_server.push_message(user, user, QUESTIONS[(n // USERS) % len(QUESTIONS)])
            pushed.append(update)
            await router.deliver(update, first=(n // USERS) % 2)
            if n == TOTAL // 4:  # midway: kill the first process while it answers
                await telegram_server.wait_for("sendMessage", count=TOTAL // 8, timeout=300, predicate=is_answer)
                processes[0].send_signal(signal.SIGKILL)
                await processes[0].wait()
                processes[0] = await start_webhook_bot(telegram_server, settings, ports[0], database, logs[0], **env)
        asked = {(u["message"]["chat"]["id"], u["message"]["message_id"]) for u in pushed}

        db = Inspector(database)
        deadline = asyncio.get_running_loop().time() + 600
        while asyncio.get_running_loop().time() < deadline:
            open_rows = await db.query("SELECT COUNT(*) AS n FROM questions WHERE status IN ('received', 'answered')")
            if open_rows[0]["n"] == 0 and len(await db.query("SELECT id FROM questions")) >= TOTAL:
                break
            await asyncio.sleep(0.5)
        await asyncio.sleep(1.0)  # room for a duplicate reply, were one to come

        answers = [c for c in telegram_server.calls("sendMessage") if is_answer(c)]
        answered = Counter((c.params["chat_id"], c.params["reply_parameters"]["message_id"]) for c in answers)
        limited = Counter(c.params["chat_id"] for c in telegram_server.calls("sendMessage") if is_rate_limited(c))
        rows = await db.query("SELECT chat_id, message_id, status, failure_reason FROM questions")
        failed = {(r["chat_id"], r["message_id"]): r["failure_reason"] for r in rows if r["status"] == "failed"}
        assert len(rows) == TOTAL, "every delivered update is one question"
        assert max(answered.values()) == 1, "no question is answered twice"
        assert set(answered) | set(failed) == asked, "none is lost"
        # The rate limit holds across the processes: at most 3 answers a user, the 4th question is refused.
        per_user = Counter(chat for chat, _ in answered)
        assert max(per_user.values()) <= PER_MINUTE
        assert sum(limited.values()) == sum(1 for reason in failed.values() if reason == "rate_limited")
        # The only other failures: answers the killed process logged in its last instant without
        # recording their delivery (most of them did reach the user).
        died = {key for key, reason in failed.items() if reason != "rate_limited"}
        assert all(failed[key].startswith("answer logged, delivery not recorded") for key in died), failed
        # How many of those never reached the user depends on how far sending (PTB's rate limiter, the
        # database round trips) lagged behind the reader when the process died: 0-8 in most runs,
        # 17 once on loaded cores. Each is stored as failed with its reason (asserted just above).
        assert set(answered).isdisjoint(key for key, reason in failed.items() if reason == "rate_limited")

        # A moderator labels an answer on the restarted first process and sends the correction to the second.
        await listening(ports[0])
        telegram_server.push_message(MODERATOR, MODERATOR, "/review")  # makes the chat known
        review_update = telegram_server.updates[-1]
        await router.deliver(review_update, first=0)
        [review] = await telegram_server.wait_for("sendMessage", timeout=60,
                                                  predicate=lambda c: c.ok and c.params["chat_id"] == MODERATOR)
        wrong = next(row[0]["callback_data"] for row in review.params["reply_markup"]["inline_keyboard"]
                     if row[0]["callback_data"].endswith(":a"))
        press = telegram_server.push_callback_query(MODERATOR, MODERATOR, review.result["message_id"], wrong)
        assert await router.deliver(press, first=0) == ports[0]
        await telegram_server.wait_for("answerCallbackQuery", timeout=60)
        # The label's prompt comes from the first process; wait for it, so that the second
        # process's confirmation of the correction is the last message (else their order races).
        await telegram_server.wait_for("sendMessage", count=2, timeout=60,
                                       predicate=lambda c: c.ok and c.params["chat_id"] == MODERATOR)
        correction = telegram_server.push_message(MODERATOR, MODERATOR, "20.000 tentara cadangan")
        assert await router.deliver(correction, first=1) == ports[1]
        done = await telegram_server.wait_for("sendMessage", count=3, timeout=60,
                                              predicate=lambda c: c.ok and c.params["chat_id"] == MODERATOR)
        assert "Koreksi untuk jawaban" in done[-1].result["text"]
        reviews = await db.query("SELECT label, corrected_answer FROM reviews ORDER BY id")
        assert [(r["label"], r["corrected_answer"]) for r in reviews] == [
            ("wrong_answer", None), ("wrong_answer", "20.000 tentara cadangan")]
        print(f"answered {len(answered)}, rate-limited {sum(limited.values())}, died with the process "
              f"{len(died)} ({len(died - set(answered))} of them unsent), deliveries retried {router.failed_attempts}")
    finally:
        for process in processes:
            if process.returncode is None:
                process.send_signal(signal.SIGTERM)
        for process in processes:
            await asyncio.wait_for(process.wait(), 60)
        await router.close()
        await drop_database(database)

"""Answers per second with one bot process and with two, in one run: `python -m tests.throughput`.

Two real bot processes in webhook mode share one PostgreSQL answer log (an embedded server);
the test Bot API server receives their replies. Each round sends QUESTIONS questions from as
many users through the router, first to one process only, then spread over both, and times
the first delivery to the last answer. Prints answers/s of every round and the medians.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import signal
import statistics
import tempfile
import time
from pathlib import Path

from bot.config import SEEDS_DIR, Settings
from bot.service import open_answerer
from tests.support.postgres import fresh_database, start_postgres
from tests.support.telegram_server import TelegramTestServer
from tests.support.webhook import Router, free_port, listening, start_webhook_bot
from tests.test_two_processes import QUESTIONS, is_answer


async def one_round(server: TelegramTestServer, router: Router, ports: list[int], count: int, first_user: int) -> float:
    before = len([c for c in server.calls("sendMessage") if is_answer(c)])
    started = time.perf_counter()
    for n in range(count):
        user = first_user + n
        await router.deliver(server.push_message(user, user, QUESTIONS[n % len(QUESTIONS)]), first=n % len(ports))
    await server.wait_for("sendMessage", count=before + count, timeout=600, predicate=is_answer)
    return count / (time.perf_counter() - started)


async def main(rounds: int, count: int) -> None:
    work = Path(tempfile.mkdtemp(prefix="throughput-"))
    settings = Settings(data_dir=work / "data", corpus_paths=(SEEDS_DIR,))
    open_answerer(settings)  # builds the index and the reader once, before the processes load them
    postgres = start_postgres(work)
    processes = []
    try:
        async with TelegramTestServer() as server:
            database = await fresh_database(postgres.get_uri())
            ports = [free_port(), free_port()]
            env = {"BOT_QUESTIONS_PER_MINUTE": "1000", "BOT_MAX_PENDING_QUESTIONS": "1000", "LOG_LEVEL": "WARNING"}
            for n, port in enumerate(ports):
                processes.append(await start_webhook_bot(server, settings, port, database, work / f"bot{n}.log", **env))
            await asyncio.gather(*(listening(port) for port in ports))
            one, two = Router(ports[:1]), Router(ports)
            await one_round(server, two, ports, 16, 1_000_000)  # warm both processes up
            results: dict[str, list[float]] = {"1 process": [], "2 processes": []}
            for r in range(rounds):
                results["1 process"].append(await one_round(server, one, ports[:1], count, 2_000_000 + r * count))
                results["2 processes"].append(await one_round(server, two, ports, count, 3_000_000 + r * count))
            for router in (one, two):
                await router.close()
            for name, values in results.items():
                print(f"{name}: {', '.join(f'{v:.1f}' for v in values)} answers/s; median {statistics.median(values):.1f}")
            print(f"speed-up: {statistics.median(results['2 processes']) / statistics.median(results['1 process']):.2f}x")
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
            await process.wait()
        postgres.cleanup()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--questions", type=int, default=100)
    args = parser.parse_args()
    asyncio.run(main(args.rounds, args.questions))

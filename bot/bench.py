"""`python -m bot bench`: latency, scale, throughput and memory, with a naive baseline in the same run.

Synthetic corpora (see bot/synthetic.py) are drawn from the seeds' own vocabulary and word
frequencies. Every figure is a median (and p95) over repeated runs in this one process, and
the naive baseline (rank-bm25's get_scores over every passage, the reader run on each top
passage one at a time in fp32) runs beside the optimised path so that the ratio, not a
number from another day, is what is compared.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from bot.config import REPO_ROOT, SEEDS_DIR, Settings
from bot.telegram.worker import MAX_BATCH


def summary(samples_ms: list[float]) -> dict:
    ordered = sorted(samples_ms)
    return {"median_ms": round(statistics.median(ordered), 2),
            "p95_ms": round(ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))], 2), "runs": len(ordered)}


def timed(fn, *args) -> tuple[float, object]:
    started = time.perf_counter()
    result = fn(*args)
    return (time.perf_counter() - started) * 1000, result


def dev_questions() -> list:
    from bot.evaluation import load_gold

    path = REPO_ROOT.parent / "shared" / "eval" / "seed_dev.jsonl"
    own = REPO_ROOT / "tests" / "data" / "seed_questions.jsonl"
    return (load_gold(path) if path.exists() else []) + load_gold(own)


def synthetic_corpus(passages: int, seed: int) -> list:
    """About `passages` passages of synthetic articles (they average 8.3 passages each)."""
    from bot.synthetic import seed_vocabulary, synthetic_articles

    return synthetic_articles(max(1, round(passages / 8.3)), seed_vocabulary(SEEDS_DIR), seed=seed)


def bench_retrieval(sizes: list[int], queries: list[str], repeats: int) -> dict:
    from rank_bm25 import BM25Okapi

    from bot.retrieval.index import PassageIndex

    out = {}
    for size in sizes:
        articles = synthetic_corpus(size, seed=size)
        started = time.perf_counter()
        index = PassageIndex.build(articles)
        build_s = time.perf_counter() - started
        fast = [timed(index.search, q, 5)[0] for _ in range(repeats) for q in queries]
        analysed = [index.analyzer(p.text) for p in index.passages]
        reference = BM25Okapi(analysed)
        naive = []
        for q in queries[: max(3, len(queries) // 4)]:
            terms = index.analyzer(q)
            ms, scores = timed(reference.get_scores, terms)
            naive.append(ms)
        out[f"{len(index.passages)}_passages"] = {
            "articles": len(articles), "build_s": round(build_s, 1), "sparse_bm25": summary(fast),
            "rank_bm25_get_scores": summary(naive),
        }
        print(f"retrieval at {len(index.passages)} passages: {out[f'{len(index.passages)}_passages']}", file=sys.stderr)
    return out


def naive_answer(answerer, question: str) -> str | None:
    """The baseline: rank-bm25 over every passage, then the reader on each top passage alone."""
    from bot.records import Hit

    index = answerer.index
    terms = index.analyzer(question)
    scores = answerer._reference_bm25.get_scores(terms) if terms else np.zeros(len(index.passages))
    top = [i for i in np.argsort(-scores, kind="stable")[: answerer.top_k] if scores[i] != 0]
    hits = [Hit(index.passages[i], float(scores[i])) for i in top]
    readings = [answerer.reader.read([question], [h.passage.text])[0] for h in hits]
    return answerer.decide(index, question, question, hits, readings, time.perf_counter()).text  # the pipeline's own decision


def bench_pipeline(settings: Settings, repeats: int) -> dict:
    from rank_bm25 import BM25Okapi

    from bot.metrics import token_f1
    from bot.pipeline import QuestionAnswerer
    from bot.reader.store import load_reader
    from bot.service import open_answerer

    answerer = open_answerer(settings)
    # The same pipeline reading every top passage (no early exit): what the early exit saves and costs.
    every_passage = QuestionAnswerer(answerer.index, answerer.reader,
                                     replace(answerer.calibration, early_exit=math.inf), answerer.top_k)
    questions = dev_questions()
    answerer.answer(questions[0].question)  # warm-up
    end_to_end, every_passage_ms, reader_only = [], [], []
    fast_answers, every_answers = {}, {}  # question -> its answer (the same in every pass)
    for _ in range(repeats):
        for q in questions:
            ms, fast_answers[q.question] = timed(answerer.answer, q.question)
            end_to_end.append(ms)
            ms, every_answers[q.question] = timed(every_passage.answer, q.question)
            every_passage_ms.append(ms)
            top = answerer.index.search(q.question, answerer.top_k)
            if top:
                reader_only.append(timed(answerer.reader.read, [q.question] * len(top), [h.passage.text for h in top])[0])
    hits = [answerer.index.search(q.question, answerer.top_k) for q in questions]
    readings = answerer.read_cascade([q.question for q in questions], hits)
    fast_f1 = 100 * statistics.fmean(token_f1(fast_answers[q.question].text, q.answers) for q in questions)
    every_f1 = 100 * statistics.fmean(token_f1(every_answers[q.question].text, q.answers) for q in questions)
    batched = []  # what the Telegram worker does under load: up to MAX_BATCH waiting questions in one pass
    for _ in range(repeats):
        for first in range(0, len(questions) - MAX_BATCH + 1, MAX_BATCH):
            chunk = [q.question for q in questions[first : first + MAX_BATCH]]
            batched.append(timed(answerer.answer_many, chunk)[0] / len(chunk))

    baseline = QuestionAnswerer(answerer.index, load_reader(settings.data_dir, precision="fp32"),
                                answerer.calibration, answerer.top_k)
    baseline._reference_bm25 = BM25Okapi([answerer.index.analyzer(p.text) for p in answerer.index.passages])
    naive_ms, naive_f1 = [], []
    for q in questions:
        ms, text = timed(naive_answer, baseline, q.question)
        naive_ms.append(ms)
        naive_f1.append(token_f1(text, q.answers))
    result = {
        "questions": len(questions),
        "end_to_end": summary(end_to_end),
        "stopped_at_top_passage": f"{sum(len(r) == 1 < len(h) for r, h in zip(readings, hits))} of "
                                  f"{sum(len(h) > 1 for h in hits)} with more than one passage",
        "end_to_end_reading_every_passage": {**summary(every_passage_ms), "dev_f1": round(every_f1, 2)},
        "reader_on_every_passage": summary(reader_only),
        f"per_question_in_batches_of_{MAX_BATCH}": summary(batched),
        "dev_f1": round(fast_f1, 2),
        "naive_baseline": {**summary(naive_ms), "dev_f1": round(100 * statistics.fmean(naive_f1), 2)},
    }
    result["speedup_vs_naive"] = round(result["naive_baseline"]["median_ms"] / result["end_to_end"]["median_ms"], 2)
    print(f"pipeline: {result}", file=sys.stderr)
    return result


def bench_large_end_to_end(settings: Settings, passages: int, repeats: int, index_dir: Path) -> dict:
    """End to end over the seeds plus a synthetic corpus; the index is saved for the cold start."""
    from bot.corpus.loading import load_articles
    from bot.pipeline import QuestionAnswerer
    from bot.reader.store import Calibration, load_reader
    from bot.retrieval.index import PassageIndex

    articles = list(load_articles([SEEDS_DIR]).articles) + synthetic_corpus(passages, seed=7)
    index = PassageIndex.build(articles)
    index.save(index_dir)
    answerer = QuestionAnswerer(index, load_reader(settings.data_dir), Calibration.load(), settings.top_k)
    questions = dev_questions()
    answerer.answer(questions[0].question)
    samples = [timed(answerer.answer, q.question)[0] for _ in range(repeats) for q in questions]
    result = {"passages": len(index.passages), "end_to_end": summary(samples)}
    print(f"end to end at scale: {result}", file=sys.stderr)
    return result


# `python -m bot …` that reports its own peak RSS on exit. The kernel's VmHWM of the new process
# is used, not wait4's ru_maxrss, which also counts the parent's RSS at fork time.
_REPORTING_CHILD = """
import runpy, sys
sys.argv[0] = "bot"
try:
    runpy.run_module("bot", run_name="__main__", alter_sys=True)
finally:
    print(next(line for line in open("/proc/self/status") if line.startswith("VmHWM")), file=sys.stderr)
"""


def first_answer(data_dir: Path) -> dict:
    """Start `python -m bot ask` as a new process: seconds to its answer and its own peak RSS."""
    env = {**os.environ, "BOT_DATA_DIR": str(data_dir), "LOG_LEVEL": "WARNING"}
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _REPORTING_CHILD, "ask", "--json", "Siapa Sekretaris Jenderal CSTO?"],
                          cwd=REPO_ROOT, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"python -m bot ask failed with BOT_DATA_DIR={data_dir}: {done.stderr[-500:]}")
    peak_kb = int(done.stderr.rsplit("VmHWM:", 1)[1].split()[0])
    return {"seconds": round(seconds, 2), "peak_rss_mb": round(peak_kb / 1024, 1)}


def bench_cold_start(settings: Settings, large_index_dir: Path, repeats: int) -> dict:
    """Process start to first answer: model already built, empty data dir, and a large index."""
    out = {}
    with tempfile.TemporaryDirectory() as empty, tempfile.TemporaryDirectory() as large:
        os.symlink(large_index_dir, Path(large) / "index")
        os.symlink(settings.data_dir.resolve() / "models", Path(large) / "models")
        for label, data_dir in (("built_model", settings.data_dir), ("built_model_large_index", Path(large))):
            samples = [first_answer(data_dir) for _ in range(repeats)]
            out[label] = {"seconds_median": statistics.median(s["seconds"] for s in samples),
                          "peak_rss_mb": max(s["peak_rss_mb"] for s in samples)}
        out["fresh_data_dir"] = first_answer(Path(empty))  # builds the index and the reader first
    print(f"cold start: {out}", file=sys.stderr)
    return out


async def _telegram_throughput(settings: Settings, users: int, per_user: int) -> dict:
    from bot.service import open_answerer
    from bot.telegram.app import build_application, running
    from tests.support.telegram_server import TelegramTestServer

    answerer = await asyncio.to_thread(open_answerer, settings)
    questions = [q.question for q in dev_questions() if q.answerable]
    async with TelegramTestServer() as server:
        bot_settings = replace(settings, telegram_token=server.token, telegram_api_base_url=server.base_url,
                               database_path=Path(tempfile.mkdtemp()) / "bench.sqlite3",
                               questions_per_minute=10_000, max_pending_questions=10_000)
        app = build_application(bot_settings, answerer)
        worst_stall = 0.0
        stop = asyncio.Event()

        async def watch_loop() -> None:
            nonlocal worst_stall
            while not stop.is_set():
                before = time.perf_counter()
                await asyncio.sleep(0.005)
                worst_stall = max(worst_stall, time.perf_counter() - before - 0.005)

        async with running(app, poll_timeout=1):
            watcher = asyncio.create_task(watch_loop())
            started = time.perf_counter()
            total = users * per_user
            for n in range(total):
                user = 9000 + n % users
                server.push_message(user, user, questions[n % len(questions)])
            await server.wait_for("sendMessage", count=total, timeout=600, predicate=lambda c: c.ok and "reply_markup" in c.params)
            elapsed = time.perf_counter() - started
            stop.set()
            await watcher
    return {"users": users, "questions": total, "seconds": round(elapsed, 2),
            "answered_per_second": round(total / elapsed, 2), "worst_event_loop_stall_ms": round(worst_stall * 1000, 1)}


def main(settings: Settings, args: argparse.Namespace) -> int:
    quick = getattr(args, "quick", False)
    repeats = 1 if quick else 3
    sizes = [1_000, 10_000] if quick else [1_000, 10_000, 100_000]
    queries = [q.question for q in dev_questions()]
    report = {"machine": {"cpus": os.cpu_count()}}
    report["retrieval"] = bench_retrieval(sizes, queries, repeats)
    report["pipeline_on_seeds"] = bench_pipeline(settings, repeats)
    with tempfile.TemporaryDirectory() as large_index:
        report["end_to_end_at_scale"] = bench_large_end_to_end(settings, sizes[-1], 1, Path(large_index))
        report["telegram_20_users"] = asyncio.run(_telegram_throughput(settings, users=20, per_user=2 if quick else 5))
        report["cold_start"] = bench_cold_start(settings, Path(large_index), repeats)
    print(json.dumps(report, indent=2))
    return 0

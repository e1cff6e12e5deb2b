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
from bot.reader.precision import bf16_speedup, compute_dtype, native_bf16, precision_name
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


def random_unit_vectors(count: int, dimension: int, seed: int) -> np.ndarray:
    """Stand-ins for passage vectors where only the cost of searching them is measured."""
    vectors = np.random.default_rng(seed).standard_normal((count, dimension)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def bench_retrieval(sizes: list[int], queries: list[str], repeats: int, embedder) -> dict:
    """BM25 alone, BM25 + dense + fusion (vectors: random unit rows, the cost is the same), rank-bm25."""
    from rank_bm25 import BM25Okapi

    from bot.retrieval.index import PassageIndex

    query_vectors = embedder.queries(queries)
    out = {"question_embedding": summary([timed(embedder.queries, [q])[0] for _ in range(repeats) for q in queries])}
    for size in sizes:
        articles = synthetic_corpus(size, seed=size)
        started = time.perf_counter()
        index = PassageIndex.build(articles)
        build_s = time.perf_counter() - started
        index.vectors = random_unit_vectors(len(index.passages), embedder.dimension, seed=size).astype(np.float16)
        fast = [timed(index.search, q, 5)[0] for _ in range(repeats) for q in queries]
        hybrid = [timed(index.search, q, 5, v)[0] for _ in range(repeats) for q, v in zip(queries, query_vectors)]
        analysed = [index.analyzer(p.text) for p in index.passages]
        reference = BM25Okapi(analysed)
        naive = []
        for q in queries[: max(3, len(queries) // 4)]:
            terms = index.analyzer(q)
            ms, scores = timed(reference.get_scores, terms)
            naive.append(ms)
        out[f"{len(index.passages)}_passages"] = {
            "articles": len(articles), "bm25_build_s": round(build_s, 1), "sparse_bm25": summary(fast),
            "bm25_dense_fused": summary(hybrid), "rank_bm25_get_scores": summary(naive),
        }
        print(f"retrieval at {len(index.passages)} passages: {out[f'{len(index.passages)}_passages']}", file=sys.stderr)
    return out


def bench_embedding(embedder, passages: int) -> dict:
    """Passage vectors per second (what an index build adds), on synthetic passages of the usual
    length, each with its article's title as the build embeds them."""
    from bot.retrieval.index import PassageIndex, vector_text

    index = PassageIndex.build(synthetic_corpus(passages, seed=3))
    titles = {a.id: a.title for a in index.articles.values()}
    texts = [vector_text(titles[p.article_id], p, index.settings) for p in index.passages[:passages]]
    seconds = timed(embedder.passages, texts)[0] / 1000
    rate = len(texts) / seconds
    result = {"passages": len(texts), "passages_per_second": round(rate, 1),
              "minutes_for_100k_passages": round(100_000 / rate / 60, 1)}
    print(f"embedding: {result}", file=sys.stderr)
    return result


def naive_answer(answerer, question: str) -> str | None:
    """The baseline: rank-bm25 over every passage, then the reader on each top passage alone."""
    from bot.pipeline import answer_candidates
    from bot.records import Hit

    index = answerer.index
    terms = index.analyzer(question)
    scores = answerer._reference_bm25.get_scores(terms) if terms else np.zeros(len(index.passages))
    top = [i for i in np.argsort(-scores, kind="stable")[: answerer.top_k] if scores[i] != 0]
    hits = [Hit(index.passages[i], float(scores[i])) for i in top]
    readings = [answerer.reader.read([question], [h.passage.text])[0] for h in answer_candidates(index, question, hits)]
    return answerer.decide(index, question, question, hits, readings, time.perf_counter()).text  # the pipeline's own decision


def bench_pipeline(settings: Settings, repeats: int) -> dict:
    from rank_bm25 import BM25Okapi

    from bot.metrics import token_f1
    from bot.pipeline import QuestionAnswerer
    from bot.reader.store import load_reader
    from bot.service import open_answerer

    answerer = open_answerer(settings)
    # The same pipeline reading every top passage (no early exit): what the early exit saves and costs.
    decision = answerer.calibration.answerability
    no_exit = replace(answerer.calibration, early_exit=math.inf,  # the fitted decision's early exit too
                      answerability=decision and {**decision, "early_exit": None})
    every_passage = QuestionAnswerer(answerer.index, answerer.reader, no_exit,
                                     answerer.top_k, embedder=answerer.embedder, fusion=answerer.fusion)
    bm25_only = QuestionAnswerer(answerer.index, answerer.reader, answerer.calibration, answerer.top_k)
    questions = dev_questions()
    answerer.answer(questions[0].question)  # warm-up
    end_to_end, every_passage_ms, bm25_only_ms, reader_only = [], [], [], []
    fast_answers, every_answers, bm25_answers = {}, {}, {}  # question -> its answer (the same in every pass)
    for _ in range(repeats):
        for q in questions:
            ms, fast_answers[q.question] = timed(answerer.answer, q.question)
            end_to_end.append(ms)
            ms, every_answers[q.question] = timed(every_passage.answer, q.question)
            every_passage_ms.append(ms)
            ms, bm25_answers[q.question] = timed(bm25_only.answer, q.question)
            bm25_only_ms.append(ms)
            top = answerer.retrieve(answerer.index, [q.question])[0]
            if top:
                reader_only.append(timed(answerer.reader.read, [q.question] * len(top), [h.passage.text for h in top])[0])
    hits = answerer.retrieve(answerer.index, [q.question for q in questions])
    readings = answerer.read_cascade([q.question for q in questions], hits)
    f1 = lambda answers: 100 * statistics.fmean(token_f1(answers[q.question].text, q.answers) for q in questions)  # noqa: E731
    fast_f1, every_f1 = f1(fast_answers), f1(every_answers)
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
        "end_to_end_bm25_only": {**summary(bm25_only_ms), "dev_f1": round(f1(bm25_answers), 2)},
        "reader_on_every_passage": summary(reader_only),
        f"per_question_in_batches_of_{MAX_BATCH}": summary(batched),
        "dev_f1": round(fast_f1, 2),
        "naive_baseline": {**summary(naive_ms), "dev_f1": round(100 * statistics.fmean(naive_f1), 2)},
    }
    result["speedup_vs_naive"] = round(result["naive_baseline"]["median_ms"] / result["end_to_end"]["median_ms"], 2)
    print(f"pipeline: {result}", file=sys.stderr)
    return result


def bench_large_end_to_end(settings: Settings, passages: int, repeats: int, index_dir: Path) -> dict:
    """End to end over the seeds plus a synthetic corpus; the index is saved for the cold start.

    The seed passages get their real vectors, the synthetic ones random unit vectors: embedding
    100k passages takes longer than the whole benchmark (its rate is measured on its own).
    """
    from bot.corpus.loading import load_articles
    from bot.pipeline import QuestionAnswerer
    from bot.reader.store import Calibration, load_reader
    from bot.retrieval.dense import load_embedder
    from bot.retrieval.index import PassageIndex

    reader = load_reader(settings.data_dir, precision=settings.precision)
    embedder = load_embedder(settings.data_dir, shared_word=reader.model.word.weight, shared_tokenizer=reader.tokenizer,
                             precision=settings.precision)
    seeds = list(load_articles([SEEDS_DIR]).articles)
    index = PassageIndex.build(seeds + synthetic_corpus(passages, seed=7))
    seed_index = PassageIndex.build(seeds, embedder=embedder)
    index.vectors = random_unit_vectors(len(index.passages), embedder.dimension, seed=7).astype(np.float16)
    index.vectors[: len(seed_index.passages)] = seed_index.vectors  # the seeds come first in both
    index.save(index_dir)
    answerer = QuestionAnswerer(index, reader, Calibration.load(), settings.top_k, embedder=embedder)
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


def bench_normalisation(repeats: int) -> dict:
    """Reading a casual question back into formal Indonesian (tests/data/informal_dev.jsonl), per question."""
    from bot.language.informal import indonesian_roots, normalize_question

    questions = [json.loads(line)["casual"] for line in (REPO_ROOT / "tests" / "data" / "informal_dev.jsonl").read_text().splitlines()]
    indonesian_roots()  # loaded once per process, before any question
    return summary([timed(normalize_question, q)[0] for _ in range(repeats) for q in questions])


def main(settings: Settings, args: argparse.Namespace) -> int:
    quick = getattr(args, "quick", False)
    repeats = 1 if quick else 3
    sizes = [1_000, 10_000] if quick else [1_000, 10_000, 100_000]
    queries = [q.question for q in dev_questions()]
    from bot.retrieval.dense import load_embedder

    report = {"machine": {"cpus": os.cpu_count(), "precision": precision_name(compute_dtype(settings.precision)),
                          "native_bf16": native_bf16(),
                          "bf16_speedup": round(bf16_speedup(), 2)}}
    embedder = load_embedder(settings.data_dir, precision=settings.precision)
    report["question_normalisation"] = bench_normalisation(repeats)
    report["retrieval"] = bench_retrieval(sizes, queries, repeats, embedder)
    report["passage_embedding"] = bench_embedding(embedder, 256 if quick else 2_000)
    del embedder
    report["pipeline_on_seeds"] = bench_pipeline(settings, repeats)
    with tempfile.TemporaryDirectory() as large_index:
        report["end_to_end_at_scale"] = bench_large_end_to_end(settings, sizes[-1], 1, Path(large_index))
        report["telegram_20_users"] = asyncio.run(_telegram_throughput(settings, users=20, per_user=2 if quick else 5))
        report["cold_start"] = bench_cold_start(settings, Path(large_index), repeats)
    print(json.dumps(report, indent=2))
    return 0

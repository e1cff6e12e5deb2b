"""`python -m bot …`: run the bot, chat in the console, ask, index, evaluate, train, moderate."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
import time
from pathlib import Path

from bot.config import ConfigError, Settings, load_settings
from bot.logging_setup import configure_logging

logger = logging.getLogger(__name__)


def _print_json(obj: dict) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def cmd_run(settings: Settings, args: argparse.Namespace) -> int:
    if not settings.telegram_token:
        logger.info("TELEGRAM_BOT_TOKEN is not set: starting the console chat instead")
        return cmd_chat(settings, args)
    from bot.telegram.app import run_bot

    run_bot(settings)
    return 0


def cmd_chat(settings: Settings, args: argparse.Namespace) -> int:
    from bot.console import chat

    return asyncio.run(chat(settings))


def cmd_ask(settings: Settings, args: argparse.Namespace) -> int:
    from bot.answer_json import answer_json
    from bot.prompts import render
    from bot.service import open_answerer

    answerer = open_answerer(settings)
    if args.jsonl:
        lines = Path(args.jsonl).read_text(encoding="utf-8").splitlines() if args.jsonl != "-" else sys.stdin.read().splitlines()
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                question = row["question"]
                if not isinstance(question, str):
                    raise TypeError("question must be a string")
            except (ValueError, KeyError, TypeError) as error:
                _print_json({"id": None, "line": number, "error": f"bad input line: {error}"})
                continue
            context = row.get("context")
            answer = answerer.answer_from_context(question, context) if isinstance(context, str) else answerer.answer(question)
            _print_json(answer_json(answer, row.get("id")))
        return 0
    question = " ".join(args.question).strip()
    if not question:
        print("Tulis pertanyaannya, misalnya: python -m bot ask \"Siapa Sekretaris Jenderal CSTO?\"", file=sys.stderr)
        return 2
    answer = answerer.answer(question)
    if args.json:
        _print_json(answer_json(answer))
    else:
        print(render("console/answer.txt", answer=answer))
    return 0


def cmd_index(settings: Settings, args: argparse.Namespace) -> int:
    from bot.corpus.loading import load_articles
    from bot.retrieval.dense import load_embedder
    from bot.retrieval.index import IndexError_, PassageIndex

    from bot.ingest.command import is_web_source, load_web

    web = [p for p in args.paths if is_web_source(p)]  # URLs and saved .html pages: extracted by bot.ingest
    paths = [Path(p) for p in args.paths if not is_web_source(p)] or ([] if web else list(settings.corpus_paths))
    missing = [p for p in paths if not p.exists()]
    if missing:
        print(f"not found: {', '.join(map(str, missing))}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    loaded = load_web(settings, web, load_articles(paths))
    articles = list(loaded.articles)
    progress = sys.stderr.isatty() or args.progress
    embedder = load_embedder(settings.data_dir, precision=settings.precision) if settings.dense_retrieval else None
    if args.add:
        try:
            existing = PassageIndex.load(settings.index_dir)
        except IndexError_ as error:
            print(f"cannot extend: {error}", file=sys.stderr)
            return 2
        index = existing.extended(articles, progress=progress, embedder=embedder)
    else:
        index = PassageIndex.build(articles, progress=progress, embedder=embedder)
    index.save(settings.index_dir)
    for problem in loaded.problems:
        print(f"skipped {problem.source}: {problem.reason}", file=sys.stderr)
    print(f"indexed {len(index.articles)} articles, {len(index.passages)} passages into {settings.index_dir} "
          f"in {time.perf_counter() - started:.1f} s ({len(loaded.problems)} skipped)")
    return 0


def cmd_eval(settings: Settings, args: argparse.Namespace) -> int:
    path = Path(args.file)
    if path.suffix == ".jsonl":
        from bot.evaluation import load_gold, score_pipeline
        from bot.service import open_answerer

        answerer = open_answerer(settings)
        gold = load_gold(path)
        answers = [answerer.answer(g.question) for g in gold]
        if args.verbose:
            for g, a in zip(gold, answers):
                print(f"{g.id}\t{a.text!r}\tgold={list(g.answers)}\t{a.article.id if a.article else None}\t{a.score:.2f}")
        print(json.dumps(score_pipeline(gold, answers).as_dict(), indent=2))
        return 0
    from bot.reader.qa_data import QAFileError, load_qa_file
    from bot.reader.rc_eval import compare_reports, reader_report
    from bot.reader.store import WEIGHTS, Calibration, load_reader, model_version, serving_weights

    try:
        examples = load_qa_file(path)[: args.limit]
    except QAFileError as error:
        print(f"cannot evaluate: {error}", file=sys.stderr)
        return 2
    if not examples:
        print(f"cannot evaluate: {path} holds no usable questions", file=sys.stderr)
        return 2
    names = args.reader or ["current"]
    if len(names) > 2:
        print("give at most two --reader to compare", file=sys.stderr)
        return 2
    chosen = {"current": serving_weights(settings.data_dir), "shipped": WEIGHTS}
    weights = [chosen.get(name, Path(name)) for name in names]
    missing = [str(w) for w in weights if not w.is_file()]
    if missing:
        print(f"no such reader weights: {', '.join(missing)}", file=sys.stderr)
        return 2
    rc_threshold = Calibration.load().rc_threshold
    reports = []
    for name, path_ in zip(names, weights):
        try:
            reader = load_reader(settings.data_dir, path_, precision=settings.precision)
        except ValueError as error:
            print(f"cannot load reader {name}: {error}", file=sys.stderr)
            return 2
        reports.append(reader_report(reader, examples, rc_threshold))
        del reader
    unanswerable = sum(e.is_impossible for e in examples)
    out = {"file": str(path), "questions": len(examples), "answerable": len(examples) - unanswerable,
           "unanswerable": unanswerable,
           "readers": [{"reader": name, "version": model_version(w), **{m: s.as_dict() for m, s in report.items()}}
                       for name, w, report in zip(names, weights, reports)]}
    if len(reports) == 2:
        out["difference"] = {"of": f"{names[1]} - {names[0]}", **compare_reports(*reports)}
    print(json.dumps(out, indent=2, ensure_ascii=False))
    return 0


def cmd_train(settings: Settings, args: argparse.Namespace) -> int:
    from bot.reader.training import TrainSettings, train

    out = train(TrainSettings(data_dir=Path(args.data), out_dir=Path(args.out), epochs=args.epochs,
                              learning_rate=args.lr, batch_size=args.batch_size, limit=args.limit,
                              init_from=args.init_from and Path(args.init_from), facqa_repeats=args.facqa_repeats,
                              extra=args.extra, casual_share=args.casual_share,
                              extra_offset=args.extra_offset, near_miss_share=args.near_miss_share,
                              train_word_embeddings=args.train_word_embeddings))
    print(f"weights written to {out}; copy them to bot/reader/shipped/reader.safetensors if they score better")
    return 0


def cmd_average(settings: Settings, args: argparse.Namespace) -> int:
    from bot.reader.weights import average_deltas

    average_deltas([Path(p) for p in args.weights], Path(args.out), {"command": "average-readers"})
    print(f"averaged weights written to {args.out}; evaluate them before shipping")
    return 0


def cmd_calibrate(settings: Settings, args: argparse.Namespace) -> int:
    from bot.reader.calibration import calibrate
    from bot.reader.store import load_reader

    record = calibrate(load_reader(settings.data_dir, precision=settings.precision), Path(args.data) / "idk_mrc" / "valid.json", top_k=settings.top_k)
    print(json.dumps(record, indent=2))
    return 0


def cmd_learn(settings: Settings, args: argparse.Namespace) -> int:
    from bot.learning.command import learn

    return learn(settings, args)


def cmd_fit_answerability(settings: Settings, args: argparse.Namespace) -> int:
    from bot.answerability_fit import run
    from bot.reader.store import CALIBRATION

    record = run(settings, Path(args.data), Path(args.cache_dir), Path(args.out) if args.out else CALIBRATION,
                 tuple(Path(p) for p in args.distractors))
    print(json.dumps(record, indent=2))
    return 0


def cmd_open_eval(settings: Settings, args: argparse.Namespace) -> int:
    from bot.open_domain import run_open_eval

    print(json.dumps(run_open_eval(settings, args), indent=2, ensure_ascii=False))
    return 0


def cmd_review(settings: Settings, args: argparse.Namespace) -> int:
    from bot.moderation_cli import review

    return asyncio.run(review(settings))


def cmd_export(settings: Settings, args: argparse.Namespace) -> int:
    from bot.moderation_cli import export

    return asyncio.run(export(settings, Path(args.out_dir)))


def cmd_feed(settings: Settings, args: argparse.Namespace) -> int:
    from bot.ingest.command import feed_main

    return feed_main(settings, args)


def cmd_bench(settings: Settings, args: argparse.Namespace) -> int:
    from bot.bench import main as bench_main

    return bench_main(settings, args)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m bot", description="Tanya Berita: Indonesian news QA bot")
    sub = p.add_subparsers(dest="command")
    sub.add_parser("run", help="start the Telegram bot (console chat when TELEGRAM_BOT_TOKEN is unset)")
    sub.add_parser("chat", help="console conversation with the same pipeline")
    ask = sub.add_parser("ask", help="answer one question, or a JSONL file of questions")
    ask.add_argument("question", nargs="*")
    ask.add_argument("--json", action="store_true", help="print one JSON object")
    ask.add_argument("--jsonl", metavar="FILE", help='lines {"id", "question"[, "context"]}; "-" reads stdin')
    index = sub.add_parser("index", help="build the index from seeds/ or from the given folders and JSONL files")
    index.add_argument("paths", nargs="*")
    index.add_argument("--add", action="store_true", help="add these articles to the existing index")
    index.add_argument("--progress", action="store_true", help="show the progress bar even without a terminal")
    ev = sub.add_parser("eval", help="score the pipeline (seed_dev .jsonl) or readers (SQuAD/IDK-MRC .json incl. exports, FacQA .csv)")
    ev.add_argument("file")
    ev.add_argument("--limit", type=int, default=None)
    ev.add_argument("--verbose", action="store_true")
    ev.add_argument("--reader", action="append", metavar="WEIGHTS",
                    help='reader weights (.safetensors), "current" (default) or "shipped"; twice to compare side by side')
    tr = sub.add_parser("train-reader", help="fine-tune the reader (resumable; run it in the background)")
    tr.add_argument("--data", default="../shared/data")
    tr.add_argument("--out", default="runs/reader")
    tr.add_argument("--epochs", type=int, default=3)
    tr.add_argument("--lr", type=float, default=1e-4)
    tr.add_argument("--batch-size", type=int, default=16)
    tr.add_argument("--limit", type=int, default=None, help="train on the first N examples only (smoke test)")
    tr.add_argument("--init-from", default=None, help="start from these reader weights (e.g. the shipped ones)")
    tr.add_argument("--facqa-repeats", type=int, default=1, help="show FacQA train this many times per epoch")
    tr.add_argument("--extra", type=int, default=0, help="questions from ../shared/data/extra shown first in each epoch")
    tr.add_argument("--casual-share", type=float, default=0.0, help="share of native questions rewritten casually")
    tr.add_argument("--extra-offset", type=int, default=0, help="skip this many translated extra questions (seen before)")
    tr.add_argument("--near-miss-share", type=float, default=0.0,
                    help="share of native answerable questions also paired with a retrieved passage that does not answer")
    tr.add_argument("--train-word-embeddings", action="store_true",
                    help="train the word embeddings too (experiment; their changed rows are saved beside the weights)")
    avg = sub.add_parser("average-readers", help="average reader weights of one training run (model soup)")
    avg.add_argument("weights", nargs="+", help="reader-epochN.safetensors files")
    avg.add_argument("--out", required=True)
    cal = sub.add_parser("calibrate", help="tune fusion weight and abstention thresholds on IDK-MRC valid")
    cal.add_argument("--data", default="../shared/data")
    le = sub.add_parser("learn", help="fine-tune the reader on reviewed corrections; install it only if the gate passes")
    le.add_argument("--corrections", metavar="FILE", help="a SQuAD-format export instead of the answer log's reviews")
    le.add_argument("--data", default="../shared/data", help="FacQA / IDK-MRC / TyDi QA-ID (replay and validation)")
    le.add_argument("--min-corrections", type=int, default=20)
    le.add_argument("--held-back", type=float, default=0.25, help="share of corrections held back (fixed by question)")
    le.add_argument("--replay-ratio", type=float, default=4.0, help="replayed training examples per correction")
    le.add_argument("--correction-repeats", type=int, default=2, help="times each correction is seen per epoch")
    le.add_argument("--epochs", type=int, default=3)
    le.add_argument("--lr", type=float, default=5e-5)
    le.add_argument("--blend-shares", type=float, nargs="+", default=[1.0, 0.5, 0.25],
                    help="shares of the way from the current to the fine-tuned weights, gated in turn")
    le.add_argument("--layers", type=int, default=2, help="top encoder layers to train (with the span head)")
    le.add_argument("--val-limit", type=int, default=None, help="validation questions per set (fixed stratified sample)")
    le.add_argument("--max-drop", type=float, default=0.5, help="largest validation F1 drop the gate allows")
    le.add_argument("--quiet", action="store_true", help="no progress bar")
    le.add_argument("--reset", action="store_true", help="serve the shipped reader again")
    fa = sub.add_parser("fit-answerability", help="fit the answer-or-abstain model on FacQA + IDK-MRC valid "
                        "(and gold-removed copies), check it on TyDi QA-ID valid, write it into calibration.json")
    fa.add_argument("--data", default="../shared/data")
    fa.add_argument("--cache-dir", default="data/eval-indexes")
    fa.add_argument("--out", default=None, help="calibration file to update (default: the shipped one)")
    fa.add_argument("--distractors", nargs="*", default=[], metavar="CORPUS",
                    help="also fit with each set's contexts among these articles (e.g. seeds ../shared/news/articles.jsonl)")
    oe = sub.add_parser("open-eval", help="open-domain retrieval recall (BM25, dense, fused) and answers over any corpus")
    oe.add_argument("--corpus", nargs="+", required=True,
                    help="article folders/JSONL, or SQuAD-like .json / FacQA .csv files (each context one article)")
    oe.add_argument("--questions", required=True, help="seed_dev-format .jsonl, or an RC file (gold: its own context)")
    oe.add_argument("--fusion", action="append", default=[], help="linear:W or rrf[:K]; repeatable; the first one answers")
    oe.add_argument("--answers", action="store_true", help="also run the whole pipeline: EM, F1, gold cited, abstention")
    oe.add_argument("--normalize", action="store_true", help="retrieve with informally written questions normalised")
    oe.add_argument("--limit", type=int, default=None)
    oe.add_argument("--cache-dir", default="data/eval-indexes", help="where evaluation indexes are kept between runs")
    oe.add_argument("--title-in-vectors", choices=("on", "off"), default="on",
                    help="compute passage vectors from title + passage (the index default) or the passage alone")
    oe.add_argument("--verbose", action="store_true")
    sub.add_parser("review", help="review logged answers in the terminal (moderators)")
    ex = sub.add_parser("export", help="export the answer log as CSV and reviewed corrections as SQuAD JSON")
    ex.add_argument("--out-dir", default=".")
    feed = sub.add_parser("feed", help="list, add or remove RSS/Atom feeds; poll them once (the running bot polls on its own)")
    feed.add_argument("action", nargs="?", default="list", choices=["list", "add", "remove", "poll"])
    feed.add_argument("url", nargs="?")
    feed.add_argument("--all", action="store_true", help="poll: every feed, not only those that are due")
    bench = sub.add_parser("bench", help="latency, throughput and memory benchmark")
    bench.add_argument("--quick", action="store_true", help="fewer repetitions and smaller corpora")
    return p


COMMANDS = {
    "run": cmd_run, "chat": cmd_chat, "ask": cmd_ask, "index": cmd_index, "eval": cmd_eval,
    "train-reader": cmd_train, "average-readers": cmd_average, "calibrate": cmd_calibrate, "learn": cmd_learn, "open-eval": cmd_open_eval, "fit-answerability": cmd_fit_answerability, "review": cmd_review, "export": cmd_export,
    "bench": cmd_bench, "feed": cmd_feed,
}


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        settings = load_settings()
    except ConfigError as error:
        print(f"configuration error: {error}", file=sys.stderr)
        return 2
    configure_logging(settings.log_level, [settings.telegram_token or "", settings.webhook_secret or ""])
    command = COMMANDS.get(args.command or "run")
    return command(settings, args)

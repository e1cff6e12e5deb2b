"""The learning loop end to end on the real pipeline and the real review flow.

    python -m bot.learning.demo --out runs/learn-demo [--val-limit 300]

1. A fresh data directory over the seeds; every question of tests/data/learn_demo_questions.jsonl
   is answered by the pipeline and logged like the console chat logs it.
2. A scripted moderator drives `python -m bot review` (stdin/stdout of the real command): an answer
   that matches a gold answer is labelled correct; otherwise "wrong answer" (right article) or
   "wrong article" with the first gold answer as the correction, or none where the question has no
   answer in the corpus (should have abstained).
3. `python -m bot export`, then `python -m bot learn` on the answer log.
4. The held-back corrected questions are asked again through the full pipeline (installed reader).
5. A poisoned export (every correction replaced by another span of its passage) goes to
   `python -m bot learn --corrections`, and must be refused by the gate.
The figures go to <out>/demo.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import subprocess
import sys
from pathlib import Path

from bot.answer_log import AnswerLog
from bot.config import REPO_ROOT, SEEDS_DIR, Settings
from bot.evaluation import GoldQuestion, load_gold
from bot.metrics import exact_match, normalize_answer
from bot.reader.qa_data import load_squad_like
from bot.reader.store import model_version, serving_weights

QUESTIONS = REPO_ROOT / "tests" / "data" / "learn_demo_questions.jsonl"
PROMPT = "[q]uit: "


def _env(data_dir: Path) -> dict:
    return {**os.environ, "BOT_DATA_DIR": str(data_dir), "BOT_CORPUS": str(SEEDS_DIR), "LOG_LEVEL": "WARNING"}


def _cli(data_dir: Path, *args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "bot", *args], env=_env(data_dir), cwd=REPO_ROOT,
                          capture_output=True, text=True, check=False)
    sys.stderr.write(done.stderr[-2000:])
    if done.returncode not in (0, 1):
        raise RuntimeError(f"python -m bot {' '.join(args)} failed ({done.returncode})")
    return done.stdout


async def log_answers(settings: Settings, gold: list[GoldQuestion]) -> None:
    """Answer and log every question as the console chat does."""
    from bot.service import open_answerer

    answerer = await asyncio.to_thread(open_answerer, settings)
    version = model_version(serving_weights(settings.data_dir))
    async with await AnswerLog.open(settings.db_path) as log:
        for g in gold:
            question_id = await log.log_question(channel="console", chat_id=None, user_id=None, message_id=None,
                                                 update_id=None, text=g.question)
            answer = await asyncio.to_thread(answerer.answer, g.question)
            answer_id = await log.log_answer(question_id, answer, model_version=version)
            await log.mark_delivered(answer_id, None)


def moderator_choice(g: GoldQuestion, answer: str | None, article_title: str | None, titles: dict[str, str]) -> tuple[str, str]:
    """(key, correction line) a careful moderator would type for this answer."""
    if not g.answerable:
        return ("c", "") if answer is None else ("w", "")
    if answer is not None and exact_match(answer, g.answers):
        return "c", ""
    right_article = article_title is not None and any(titles.get(a) == article_title for a in g.articles)
    return ("a" if right_article else "w"), g.answers[0]


def drive_review(data_dir: Path, gold: list[GoldQuestion], titles: dict[str, str]) -> dict[str, str]:
    """Run `python -m bot review` and answer its prompts like a moderator with the gold answers; question -> key."""
    by_question = {g.question: g for g in gold}
    process = subprocess.Popen([sys.executable, "-m", "bot", "review"], env=_env(data_dir), cwd=REPO_ROOT,
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, bufsize=1)
    keys: dict[str, str] = {}
    buffer = ""
    while True:
        char = process.stdout.read(1)
        if not char:
            break
        buffer += char
        if buffer.endswith("(empty for none): "):
            buffer = ""
            continue
        if not buffer.endswith(PROMPT):
            continue
        question = re.search(r"^Q: (.*)$", buffer, re.M)[1]
        shown = re.search(r"^A: (.*)$", buffer, re.M)[1]
        title = re.search(r"^Article: (.*) \(", buffer, re.M)
        answer = None if shown == "(abstained)" else shown
        key, correction = moderator_choice(by_question[question], answer, title[1] if title else None, titles)
        keys[question] = key
        process.stdin.write(key + "\n" + (correction + "\n" if key != "c" else ""))
        process.stdin.flush()
        buffer = ""
    process.wait()
    return keys


def poison(src: list[Path], out: Path, seed: int = 7) -> int:
    """The same corrections with every answer replaced by another span of its passage."""
    rng = random.Random(seed)
    paragraphs = []
    for path in src:
        for e in load_squad_like(path):
            words = [m for m in re.finditer(r"\S+", e.context)]
            gold = {normalize_answer(a) for a in e.answers}
            while True:
                i = rng.randrange(len(words))
                j = min(len(words), i + rng.randint(1, 3))
                start, end = words[i].start(), words[j - 1].end()
                if normalize_answer(e.context[start:end]) not in gold:
                    break
            paragraphs.append({"context": e.context, "qas": [{"id": e.id, "question": e.question, "is_impossible": False,
                                                               "answers": [{"text": e.context[start:end], "answer_start": start}]}]})
    out.write_text(json.dumps({"version": "poisoned", "data": [{"title": "", "paragraphs": paragraphs}]}, ensure_ascii=False))
    return len(paragraphs)


async def reask(settings: Settings, questions: list[GoldQuestion]) -> list[dict]:
    from bot.service import open_answerer

    answerer = await asyncio.to_thread(open_answerer, settings)
    out = []
    for g in questions:
        answer = answerer.answer(g.question)
        out.append({"question": g.question, "gold": list(g.answers), "answer": answer.text,
                    "right": bool(exact_match(answer.text, g.answers))})
    return out


def held_back_figures(corrected: list[GoldQuestion], reader_answers: list[dict], pipeline: list[dict],
                      training_answers: set[str]) -> dict:
    """How many held-back corrected questions are right (exact match) before and after, also without
    those whose gold answer is also the answer of a training correction (the same fact asked otherwise)."""
    by_question = {a["question"]: a for a in reader_answers}
    asked = {r["question"]: r for r in pipeline}
    rows = [{"question": g.question, "gold": list(g.answers),
             "shares_a_training_answer": any(normalize_answer(a) in training_answers for a in g.answers),
             "reader_before": by_question[g.question]["current"], "reader_after": by_question[g.question]["candidate"],
             "pipeline_after": asked[g.question]["answer"]} for g in corrected]
    for row in rows:
        gold = tuple(row["gold"])
        row["right"] = {k: exact_match(row[k], gold) == 1.0 for k in ("reader_before", "reader_after", "pipeline_after")}

    def count(subset: list[dict]) -> dict:
        return {"questions": len(subset), **{k: sum(r["right"][k] for r in subset)
                                             for k in ("reader_before", "reader_after", "pipeline_after")}}

    return {"all": count(rows), "not_sharing_a_training_answer": count([r for r in rows if not r["shares_a_training_answer"]]),
            "questions": rows}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bot.learning.demo")
    p.add_argument("--out", default="runs/learn-demo")
    p.add_argument("--qa-data", default=str(REPO_ROOT.parent / "shared" / "data"))
    p.add_argument("--val-limit", type=int, default=None)
    p.add_argument("--learn-args", default="", help="extra arguments for both learn runs, e.g. '--epochs 3'")
    args = p.parse_args(argv)
    out = Path(args.out).resolve()
    data_dir = out / "data"
    if data_dir.exists():
        print(f"{data_dir} exists: give a new --out", file=sys.stderr)
        return 2
    settings = Settings(data_dir=data_dir, corpus_paths=(SEEDS_DIR,))
    gold = load_gold(QUESTIONS)
    asyncio.run(log_answers(settings, gold))
    from bot.retrieval.index import PassageIndex

    index = PassageIndex.load(settings.index_dir)
    titles = {a.id[:3]: a.title for a in index.articles.values()}
    keys = drive_review(data_dir, gold, titles)
    labels = {name: sum(k == key for k in keys.values()) for key, name in (("c", "correct"), ("a", "wrong_answer"), ("w", "wrong_article"))}
    print("review:", labels, flush=True)
    _cli(data_dir, "export", "--out-dir", str(out / "export"))
    learn_args = ["--data", args.qa_data, *(["--val-limit", str(args.val_limit)] if args.val_limit else []), *args.learn_args.split()]
    print(_cli(data_dir, "learn", "--quiet", *learn_args), flush=True)
    records = sorted((data_dir / "learn-runs").glob("2*.json"))
    first = json.loads(records[-1].read_text())
    held_ids = set(first["corrections"].get("held_back_ids", []))
    held_questions = {e["question"] for e in first.get("held_back_answers", []) if e["id"] in held_ids}
    corrected = [g for g in gold if g.question in held_questions and keys.get(g.question) != "c"]
    pipeline = asyncio.run(reask(settings, [g for g in gold if g.question in held_questions]))
    run_dir = data_dir / "learn-runs" / first["run"]
    poisoned = out / "poisoned.squad.json"
    poisoned_count = poison([run_dir / "train.squad.json", run_dir / "held_back.squad.json"], poisoned)
    print(_cli(data_dir, "learn", "--quiet", "--corrections", str(poisoned), *learn_args), flush=True)
    second = json.loads(sorted((data_dir / "learn-runs").glob("2*.json"))[-1].read_text())
    training_answers = {normalize_answer(a) for e in load_squad_like(run_dir / "train.squad.json") for a in e.answers}
    summary = {
        "questions": len(gold), "review": labels,
        "learn": {"record": str(records[-1]), "decision": first["decision"], "installed": first.get("installed"),
                  "corrections": first["corrections"] | {"skipped": len(first["corrections"]["skipped"])},
                  "fine_tune": first.get("fine_tune"),
                  "validation": {n: {"current": first["current"]["validation"][n]["f1"],
                                     "candidate": first["candidate"]["validation"][n]["f1"]} for n in first["current"]["validation"]}
                  if "current" in first else None,
                  "held_back": {r: {k: first[r]["held_back"][k] for k in ("f1", "exact_match", "right", "count")}
                                for r in ("current", "candidate")} if "current" in first else None},
        "held_back_corrected": held_back_figures(corrected, first.get("held_back_answers", []), pipeline, training_answers),
        "poisoned": {"corrections": poisoned_count, "decision": second["decision"], "installed": second.get("installed"),
                     "held_back": {r: second[r]["held_back"]["f1"] for r in ("current", "candidate")} if "current" in second else None,
                     "record": str(sorted((data_dir / "learn-runs").glob("2*.json"))[-1])},
        "serving": model_version(serving_weights(data_dir)),
    }
    (out / "demo.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps({k: v for k, v in summary.items() if k != "held_back_corrected"}, indent=2, ensure_ascii=False))
    print("held-back corrected questions, right (exact match):",
          json.dumps({k: v for k, v in summary["held_back_corrected"].items() if k != "questions"}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Check gold question files: JSON per line, unique ids, known types, gold articles that exist and hold the answers.

"type" is optional (older files lack it); when present it must be one of TYPES, "ooc" exactly for unanswerable ones.

Usage: python tests/data/check_questions.py [--seeds DIR] [--news FILE] QUESTIONS.jsonl ...

An answerable question (non-empty "answers") must list gold articles; every answer string must occur
(case-insensitive, whitespace collapsed) in at least one of them, and every listed article must hold
at least one of the answers. An unanswerable question has "answers": [] and "articles": [].
Gold ids are seed prefixes ("000" for seeds/000_*.txt) or article ids of the news JSONL file.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

TYPES = {"berapa", "siapa", "kapan", "di_mana", "apa", "apa_saja", "mengapa", "bagaimana", "ooc"}
ROOT = Path(__file__).resolve().parents[2]


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def load_texts(seeds: Path, news: Path | None) -> dict[str, str]:
    texts = {path.name.split("_")[0]: normalise(path.read_text(encoding="utf-8")) for path in seeds.glob("*.txt")}
    if news is not None and news.exists():
        with news.open(encoding="utf-8") as lines:
            for line in lines:
                row = json.loads(line)
                texts[row["id"]] = normalise(row["text"])
    return texts


def check_file(path: Path, texts: dict[str, str], seen: set[str]) -> list[str]:
    problems = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        where = f"{path.name}:{number}"
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            problems.append(f"{where}: not JSON ({error})")
            continue
        missing = {"id", "question", "answers", "articles"} - row.keys()
        if missing:
            problems.append(f"{where}: missing {sorted(missing)}")
            continue
        if row["id"] in seen:
            problems.append(f"{where}: duplicate id {row['id']}")
        seen.add(row["id"])
        kind = row.get("type")
        if kind is not None and kind not in TYPES:
            problems.append(f"{where}: unknown type {kind!r}")
        answers, articles = row["answers"], row["articles"]
        if not answers:
            if articles or kind not in (None, "ooc"):
                problems.append(f"{where}: unanswerable question needs articles [] (and type 'ooc')")
            continue
        if kind == "ooc" or not articles:
            problems.append(f"{where}: answerable question needs gold articles and a question type")
            continue
        unknown = [a for a in articles if a not in texts]
        if unknown:
            problems.append(f"{where}: unknown article ids {unknown}")
            continue
        for answer in answers:
            if not any(normalise(answer) in texts[a] for a in articles):
                problems.append(f"{where}: answer {answer!r} is in none of {articles}")
        for article in articles:
            if not any(normalise(answer) in texts[article] for answer in answers):
                problems.append(f"{where}: gold article {article} holds none of the answers")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--seeds", type=Path, default=ROOT / "seeds")
    parser.add_argument("--news", type=Path, default=ROOT.parent / "shared" / "news" / "articles.jsonl")
    args = parser.parse_args(argv)
    texts = load_texts(args.seeds, args.news)
    seen: set[str] = set()
    problems = []
    for path in args.files:
        problems += check_file(path, texts, seen)
    for problem in problems:
        print(problem)
    print(f"{len(args.files)} files, {len(seen)} questions, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

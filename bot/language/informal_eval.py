"""Score the normaliser on lines {"casual", "formal"}: exact match and token F1 against the formal.

.venv/bin/python -m bot.language.informal_eval tests/data/informal_dev.jsonl [--show]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from bot.language.informal import indonesian_roots, normalize_question
from bot.metrics import exact_match, token_f1


def score(pairs: list[tuple[str, str]], rewrite: Callable[[str], str]) -> tuple[float, float]:
    """(exact match, token F1) in percent, SQuAD-normalised (case and punctuation ignored)."""
    outputs = [rewrite(casual) for casual, _ in pairs]
    em = sum(exact_match(out, [formal]) for out, (_, formal) in zip(outputs, pairs))
    f1 = sum(token_f1(out, [formal]) for out, (_, formal) in zip(outputs, pairs))
    return 100 * em / len(pairs), 100 * f1 / len(pairs)


def median_ms_per_question(questions: list[str], repeats: int = 7) -> float:
    indonesian_roots()  # loaded once, before timing
    runs = []
    for _ in range(repeats):
        start = time.perf_counter()
        for question in questions:
            normalize_question(question)
        runs.append((time.perf_counter() - start) * 1000 / len(questions))
    return statistics.median(runs)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path)
    parser.add_argument("--show", action="store_true", help="print every rewrite that differs")
    args = parser.parse_args(argv)
    rows = [json.loads(line) for line in args.file.read_text(encoding="utf-8").splitlines() if line.strip()]
    pairs = [(row["casual"], row["formal"]) for row in rows]
    systems: dict[str, Callable[[str], str]] = {
        "unchanged": lambda q: q,
        "normalize_question": normalize_question,
        "normalize_question, short forms dropped":
            lambda q: normalize_question(q, keep_short_forms=False),
    }
    print(f"{len(pairs)} questions")
    for name, rewrite in systems.items():
        em, f1 = score(pairs, rewrite)
        print(f"{name:42s} EM {em:5.1f}  F1 {f1:5.1f}")
    print(f"median {median_ms_per_question([c for c, _ in pairs]):.3f} ms per question (7 runs)")
    if args.show:
        for casual, formal in pairs:
            out = normalize_question(casual)
            if not exact_match(out, [formal]):
                print(f"{casual!r}\n  -> {out!r}\n  formal {formal!r}")


if __name__ == "__main__":
    main()

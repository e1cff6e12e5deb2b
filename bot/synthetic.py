"""A synthetic Indonesian-like corpus for scale tests and benchmarks.

Sentences are drawn from the seed articles' own vocabulary with its word frequencies (a
unigram model), 12-30 words each, 4-12 sentences per paragraph, so term statistics look like
news text; titles are 6-10 drawn words. Deterministic for a given seed.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from pathlib import Path

from bot.records import Article

_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*|\d+(?:[.,/]\d+)*")


def seed_vocabulary(seeds_dir: Path) -> Counter:
    counts: Counter = Counter()
    for path in sorted(seeds_dir.glob("*.txt")):
        counts.update(_WORD.findall(path.read_text(encoding="utf-8")))
    return counts


def synthetic_articles(count: int, vocabulary: Counter, seed: int = 0, sentences: tuple[int, int] = (8, 16)) -> list[Article]:
    rng = random.Random(seed)
    words, weights = zip(*vocabulary.most_common())
    articles = []
    for n in range(count):
        body_sentences = []
        for _ in range(rng.randint(*sentences)):
            drawn = rng.choices(words, weights, k=rng.randint(12, 30))
            body_sentences.append(" ".join(drawn).capitalize() + ".")
        paragraphs = [" ".join(body_sentences[i : i + 4]) for i in range(0, len(body_sentences), 4)]
        title = " ".join(rng.choices(words, weights, k=rng.randint(6, 10))).title()
        articles.append(Article(f"syn{n:06d}", title, "Sintetis", "2021-08-01", None, "\n".join(paragraphs)))
    return articles

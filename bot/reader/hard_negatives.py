"""Retrieved passages that do not answer: unanswerable training examples like the ones the bot meets.

In the bot, a question is read against the passages retrieval finds, and when the corpus does not
hold the answer those passages are about something close (another country's president, an
earlier year's champion). Reading-comprehension data almost never shows the reader such a
passage: its contexts hold the answer, or (IDK-MRC) are the question's own paragraph. So for a
share of the answerable training questions, the question is paired with the best BM25 passage of
another training context that holds none of its answers, labelled "no answer". The reader then
learns to lower its margin on near misses, which the answer-or-abstain decision and the passage
pick both rely on.
"""

from __future__ import annotations

import random
from dataclasses import replace

from bot.metrics import normalize_answer
from bot.reader.qa_data import QAExample
from bot.records import Article
from bot.retrieval.index import PassageIndex

CANDIDATES = 10  # BM25 hits looked at for each question
SAME_TEXT = 0.5  # a passage sharing more than this share of its words with the question's context is a copy of it


def _holds_answer(text: str, answers: tuple[str, ...]) -> bool:
    """Whether any answer occurs in the text, both compared as SQuAD scoring normalises them."""
    normalised = normalize_answer(text)
    return any(normalize_answer(a) in normalised for a in answers)


def _copies(passage: str, context: str) -> bool:
    """Whether the passage is (part of) another copy of the context: the data sets share paragraphs."""
    passage_words, context_words = set(passage.lower().split()), set(context.lower().split())
    return len(passage_words & context_words) > SAME_TEXT * max(1, len(passage_words))


def hard_negatives(examples: list[QAExample], share: float, seed: int) -> list[QAExample]:
    """For a fixed `share` of the distinct answerable examples: the question with the best-ranked
    passage of another context that holds none of its answers, as an unanswerable example."""
    if share <= 0:
        return []
    distinct = list({e.id: e for e in examples if not e.is_impossible}.values())
    rng = random.Random(seed)
    chosen = [e for e in distinct if rng.random() < share]
    contexts = {c: f"ctx{i}" for i, c in enumerate(dict.fromkeys(e.context for e in examples))}
    index = PassageIndex.build([Article(i, "", "", None, None, c) for c, i in contexts.items()])
    out = []
    for example in chosen:
        own = contexts[example.context]
        for hit in index.search(example.question, CANDIDATES):
            text = hit.passage.text
            if hit.passage.article_id != own and not _holds_answer(text, example.answers) \
                    and not _copies(text, example.context):
                out.append(replace(example, id=f"{example.id}#near-miss", context=text,
                                   answers=(), answer_starts=()))
                break
    return out

"""Moderators' reviews as reader training examples: question, article passage, gold answer or none.

The answer log's own SQuAD export keeps only the cited sentence as context and drops a
correction that is not in it; here every reviewed answer is placed in a retrieval passage of
its article (the unit the reader reads when serving), and a correction is looked up in the
corpus: the cited article first, then the passages that best match the question.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from bot.answer_log import SQUAD_VERSION, AnswerLog
from bot.metrics import normalize_answer
from bot.reader.qa_data import QAExample, load_qa_file
from bot.records import Passage
from bot.retrieval.index import PassageIndex
from bot.reviewed_answers import covering_passage, exported_rows, find_in_corpus


@dataclass(frozen=True)
class Corrections:
    examples: tuple[QAExample, ...]  # id "tanya-berita-<answer id>"; no answers = "should have abstained"
    skipped: tuple[tuple[str, str], ...]  # (id, why it cannot be learned)
    source: str
    labels: dict  # example id -> review label ("correct", "wrong_answer", "wrong_article"; "" from a file)


def _example(answer_id: str, question: str, passage: Passage, start: int | None, text: str | None) -> QAExample:
    if text is None:
        return QAExample(f"tanya-berita-{answer_id}", question, passage.text, (), ())
    return QAExample(f"tanya-berita-{answer_id}", question, passage.text, (text,), (start,))


def from_export_rows(rows: list[dict], index: PassageIndex) -> Corrections:
    """Examples from the answer log's CSV export rows (each answer with its latest review)."""
    examples, skipped, labels = [], [], {}
    for row in rows:
        label, answer_id, question = row["review_label"], row["answer_id"], row["question"]
        if not label:
            continue
        bot_answer = row["answer"] or None
        correction = " ".join((row["corrected_answer"] or "").split()) or None
        cited = None
        if bot_answer and row["article_id"] in index.articles and row["answer_start"]:
            start, end = int(row["answer_start"]), int(row["answer_end"])
            cited = covering_passage(index, row["article_id"], start, end)
        example, reason = None, None
        if row.get("mode") == "byline":
            reason = "answered from the byline, not by the reader"
        elif row.get("mode") == "publication":
            reason = "answered from the article's outlet or date, not by the reader"
        elif label == "correct" and bot_answer:
            if cited is None:
                reason = "the cited article is no longer in the index"
            else:
                example = _example(answer_id, question, cited, int(row["answer_start"]) - cited.start, bot_answer)
        elif label == "correct":  # a right abstention: its best passage does not answer the question
            hits = index.search(question, k=1)
            if hits:
                example = _example(answer_id, question, hits[0].passage, None, None)
            else:
                reason = "no passage matches the question"
        elif correction:
            found = find_in_corpus(index, question, correction, row["article_id"])
            if found is None:
                reason = "the corrected answer is in no article of the index"
            else:
                passage, at = found
                example = _example(answer_id, question, passage, at, passage.text[at : at + len(correction)])
        elif bot_answer is None:
            reason = "a wrong abstention without a corrected answer: nothing to learn"
        elif cited is None:
            reason = "the cited article is no longer in the index"
        else:  # wrong, no correction: it should have abstained on the passage it answered from
            example = _example(answer_id, question, cited, None, None)
        if example is None:
            skipped.append((f"tanya-berita-{answer_id}", reason))
        else:
            examples.append(example)
            labels[example.id] = label
    return Corrections(tuple(examples), tuple(skipped), "answer log", labels)


async def from_answer_log(log: AnswerLog, index: PassageIndex) -> Corrections:
    """The reviewed answers of the log (its CSV export, latest review per answer) as examples."""
    return from_export_rows(await exported_rows(log), index)


def from_squad_file(path: Path) -> Corrections:
    """A SQuAD-format file (e.g. a moderators' export, or one written by `write_squad`); QAFileError if unreadable."""
    examples = load_qa_file(path)
    return Corrections(tuple(examples), (), str(path), {e.id: "" for e in examples})


def to_squad(examples: list[QAExample] | tuple[QAExample, ...]) -> dict:
    """SQuAD v2 JSON of these examples (one paragraph per example)."""
    return {"version": SQUAD_VERSION, "data": [{"title": "", "paragraphs": [
        {"context": e.context, "qas": [{"id": e.id, "question": e.question, "is_impossible": e.is_impossible,
                                        "answers": [{"text": t, "answer_start": s} for t, s in zip(e.answers, e.answer_starts)]}]}
        for e in examples]}]}


def write_squad(examples: list[QAExample] | tuple[QAExample, ...], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(to_squad(examples), ensure_ascii=False, indent=1), encoding="utf-8")


def held_back(question: str, fraction: float) -> bool:
    """Whether a question is held back from training: fixed by its normalised text, so repeats stay together."""
    digest = hashlib.sha256(normalize_answer(question).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") / 2**64 < fraction


def split(examples: tuple[QAExample, ...], fraction: float) -> tuple[list[QAExample], list[QAExample]]:
    """(train, held back)."""
    train = [e for e in examples if not held_back(e.question, fraction)]
    held = [e for e in examples if held_back(e.question, fraction)]
    return train, held

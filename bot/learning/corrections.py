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
from bot.reviewed_answers import (ANSWER, CITED_NO_ANSWER, RIGHT_ABSTENTION, covering_passage, exported_rows,
                                  settled_by)


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
        if not row["review_label"]:
            continue
        example, reason = _learned(row, index)
        if example is None:
            skipped.append((f"tanya-berita-{row['answer_id']}", reason))
        else:
            examples.append(example)
            labels[example.id] = row["review_label"]
    return Corrections(tuple(examples), tuple(skipped), "answer log", labels)


def _learned(row: dict, index: PassageIndex) -> tuple[QAExample | None, str]:
    """The training example a review settles, in the passage the reader reads when serving, or why there is none."""
    settled = settled_by(row, index)
    answer_id, question = row["answer_id"], row["question"]
    if settled.kind == RIGHT_ABSTENTION:  # its best passage does not answer the question
        hits = index.search(question, k=1)
        if not hits:
            return None, "no passage matches the question"
        return _example(answer_id, question, hits[0].passage, None, None), ""
    if settled.kind not in (ANSWER, CITED_NO_ANSWER):
        return None, settled.reason
    passage = settled.article_id and covering_passage(index, settled.article_id, settled.start, settled.end)
    if not passage:
        return None, "the cited article is no longer in the index"
    if settled.kind == CITED_NO_ANSWER:  # it should have abstained on the passage it answered from
        return _example(answer_id, question, passage, None, None), ""
    return _example(answer_id, question, passage, settled.start - passage.start, settled.text), ""


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

"""Moderators' reviews, served at once: the same question asked again gets the reviewed answer.

A moderator who corrects an answer expects the bot to stop giving the wrong one. Teaching the
reader (`python -m bot learn`) takes a run, a gate and a restart, and does not promise that one
question; so the bot also keeps every reviewed answer by its question, as retrieval and the
reader see it (`as_read`, then lower-cased without punctuation: "brp pasukan yg dikirim as ke
kabul" and "Berapa pasukan yang dikirim AS ke Kabul?" are one question). Asked again, it is
answered from the review: a confirmed answer as it was, a corrected one where the corpus writes
it (the cited article first, then the passages that best match the question), and "should have
abstained" with an abstention. Only the same question is matched: a rephrasing is left to the
pipeline, because nothing here can tell a rephrasing from a different question on the same topic.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from bot.answer_log import AnswerLog
from bot.metrics import normalize_answer
from bot.records import Passage
from bot.retrieval.index import PassageIndex

SEARCH_DEPTH = 50  # passages of the question's ranking searched for a correction before any other


@dataclass(frozen=True)
class ReviewedAnswer:
    """What a moderator settled for one question; `answer` None: the articles do not answer it."""

    answer_id: str  # the logged answer that was reviewed
    answer: str | None
    article_id: str | None = None
    start: int | None = None  # offsets of the answer in the article body
    end: int | None = None


def question_key(asked: str) -> str:
    """The question as retrieval and the reader see it, without case and punctuation."""
    return normalize_answer(asked)


def covering_passage(index: PassageIndex, article_id: str, start: int, end: int) -> Passage | None:
    """The first passage of the article that holds [start, end)."""
    return next((p for p in index.passages if p.article_id == article_id and p.start <= start and end <= p.end), None)


def find_in_corpus(index: PassageIndex, question: str, text: str, article_id: str | None) -> tuple[Passage, int] | None:
    """A passage holding `text` (exactly, else ignoring case), and where: the cited article first,
    then the question's BM25 ranking, then every other passage."""
    ranked = [h.passage for h in index.search(question, k=SEARCH_DEPTH)]
    ranked_ids = {p.id for p in ranked}
    order = ([p for p in index.passages if p.article_id == article_id] + ranked
             + [p for p in index.passages if p.id not in ranked_ids])
    for fold in (False, True):
        needle = text.lower() if fold else text
        for passage in order:
            at = (passage.text.lower() if fold else passage.text).find(needle)
            if at >= 0:
                return passage, at
    return None


# What a moderator's latest review of an answer settles (`settled_by`).
ANSWER = "answer"  # the answer is `text`, at [start, end) of the article `article_id`
CITED_NO_ANSWER = "cited no answer"  # it should have abstained: what it cited (if still indexed) does not answer
RIGHT_ABSTENTION = "right abstention"  # it abstained, rightly
NOTHING = "nothing"  # nothing the bot can repeat or learn; `reason` says why


@dataclass(frozen=True)
class Settled:
    kind: str
    article_id: str | None = None
    start: int | None = None
    end: int | None = None
    text: str | None = None
    reason: str = ""


def settled_by(row: dict, index: PassageIndex) -> Settled:
    """What one answer-log export row's latest review settles: the same reading for serving
    (`reviewed_answer`) and for learning (`bot.learning.corrections`)."""
    label = row["review_label"]
    answered = row["answer"] or None
    correction = " ".join((row["corrected_answer"] or "").split()) or None
    cited = None
    if answered and row["article_id"] in index.articles and row["answer_start"]:
        cited = (row["article_id"], int(row["answer_start"]), int(row["answer_end"]))
    if not label:
        return Settled(NOTHING, reason="not reviewed")
    if row.get("mode") == "byline":
        return Settled(NOTHING, reason="answered from the byline, not by the reader")
    if row.get("mode") == "publication":
        return Settled(NOTHING, reason="answered from the article's outlet or date, not by the reader")
    if label == "correct" and answered:
        if cited is None:
            return Settled(NOTHING, reason="the cited article is no longer in the index")
        return Settled(ANSWER, *cited, text=answered)
    if label == "correct":
        return Settled(RIGHT_ABSTENTION)
    if correction:
        found = find_in_corpus(index, row["question"], correction, row["article_id"])
        if found is None:
            return Settled(NOTHING, reason="the corrected answer is in no article of the index")
        passage, at = found
        start = passage.start + at
        return Settled(ANSWER, passage.article_id, start, start + len(correction),
                       index.articles[passage.article_id].body[start : start + len(correction)])
    if not answered:
        return Settled(NOTHING, reason="a wrong abstention without a corrected answer: nothing to learn")
    return Settled(CITED_NO_ANSWER, *(cited or (None, None, None)))


def reviewed_answer(row: dict, index: PassageIndex) -> ReviewedAnswer | None:
    """The settled answer of one answer-log export row (with its latest review), or None when the
    review settles nothing the bot can repeat (no review, a byline or publication answer, a
    wrong abstention without a correction, a correction no article holds)."""
    settled = settled_by(row, index)
    if settled.kind == ANSWER:
        return ReviewedAnswer(row["answer_id"], settled.text, settled.article_id, settled.start, settled.end)
    if settled.kind in (CITED_NO_ANSWER, RIGHT_ABSTENTION):
        return ReviewedAnswer(row["answer_id"], None)
    return None


@dataclass(frozen=True)
class ReviewedAnswers:
    """Every settled answer by question key; the latest review of the latest answer wins."""

    by_question: dict[str, ReviewedAnswer]

    @classmethod
    def from_rows(cls, rows: list[dict], index: PassageIndex, asked) -> ReviewedAnswers:
        """`asked(question)`: the question as the pipeline reads it (`pipeline.as_read` on `index`)."""
        found = {}
        for row in rows:
            settled = reviewed_answer(row, index)
            if settled is not None:
                found[question_key(asked(row["question"]))] = settled
        return cls(found)

    def find(self, asked: str, index: PassageIndex) -> ReviewedAnswer | None:
        """The settled answer to this question (as read), if its article is still in the index."""
        settled = self.by_question.get(question_key(asked))
        if settled is None or (settled.article_id is not None and settled.article_id not in index.articles):
            return None
        return settled


NONE = ReviewedAnswers({})


async def exported_rows(log: AnswerLog) -> list[dict]:
    """The answer log's CSV export as rows: every answer with its latest review (values as text)."""
    buffer = io.StringIO()
    await log.export_csv(buffer)
    buffer.seek(0)
    return list(csv.DictReader(buffer))


async def load_reviewed(log: AnswerLog, index: PassageIndex) -> ReviewedAnswers:
    """The settled answers of the answer log."""
    from bot.pipeline import as_read

    rows = [row for row in await exported_rows(log) if row["review_label"]]
    return ReviewedAnswers.from_rows(rows, index, lambda question: as_read(index, question))

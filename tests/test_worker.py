"""The answer worker: questions waiting for the model are read together, one failure stays local."""

from __future__ import annotations

import asyncio
import json

import pytest

from bot.reviewed_answers import NONE as NO_REVIEWS
from bot.reviewed_answers import ReviewedAnswers
from bot.telegram.worker import MAX_BATCH, AnswerWorker, Busy

from tests.conftest import OWN_QUESTIONS

QUESTIONS = [json.loads(line)["question"] for line in OWN_QUESTIONS.read_text().splitlines()[:6]]


class Recording:
    """The real answerer, with a record of the batches it was given; `poison` makes a batch fail."""

    def __init__(self, answerer, poison: str | None = None) -> None:
        self.answerer = answerer
        self.poison = poison
        self.batches: list[list[str]] = []

    def answer_many(self, questions: list[str], reviewed: ReviewedAnswers = NO_REVIEWS):
        self.batches.append(list(questions))
        if self.poison and any(self.poison in q for q in questions):
            raise RuntimeError("the reader choked")
        return self.answerer.answer_many(questions, reviewed)


def test_answer_many_gives_the_answers_of_one_by_one(answerer):
    together = answerer.answer_many(QUESTIONS)
    alone = [answerer.answer(q) for q in QUESTIONS]
    assert [a.text for a in together] == [a.text for a in alone]
    assert [a.article and a.article.id for a in together] == [a.article and a.article.id for a in alone]
    assert [a.score for a in together] == pytest.approx([a.score for a in alone], abs=0.25)


async def test_questions_that_wait_are_read_in_one_pass(answerer):
    recording = Recording(answerer)
    worker = AnswerWorker(recording, max_pending=64)
    try:
        first = asyncio.create_task(worker.answer(QUESTIONS[0]))
        while not recording.batches:  # the model has started on the first question
            await asyncio.sleep(0.001)
        answers = [await first] + await asyncio.gather(*(worker.answer(q) for q in QUESTIONS[1:]))
    finally:
        worker.close()
    assert [a.question for a in answers] == QUESTIONS
    assert recording.batches[0] == QUESTIONS[:1]  # a lone question does not wait for company
    assert recording.batches[1] == QUESTIONS[1:]  # the rest queued behind it and went together
    assert all(len(b) <= MAX_BATCH for b in recording.batches)
    assert answers[0].text == answerer.answer(QUESTIONS[0]).text


async def test_one_failing_question_does_not_fail_its_batch(answerer):
    recording = Recording(answerer, poison="meledak")
    worker = AnswerWorker(recording, max_pending=64)
    questions = [QUESTIONS[0], QUESTIONS[1], "meledak?", QUESTIONS[2]]
    try:
        results = await asyncio.gather(*(worker.answer(q) for q in questions), return_exceptions=True)
    finally:
        worker.close()
    assert isinstance(results[2], RuntimeError)
    assert [r.question for i, r in enumerate(results) if i != 2] == [questions[0], questions[1], questions[3]]
    assert ["meledak?"] in recording.batches  # retried alone after its batch failed


async def test_beyond_the_cap_questions_are_refused_not_queued(answerer):
    worker = AnswerWorker(Recording(answerer), max_pending=2)
    try:
        results = await asyncio.gather(*(worker.answer(q) for q in QUESTIONS[:3]), return_exceptions=True)
    finally:
        worker.close()
    assert isinstance(results[2], Busy)
    assert [r.question for r in results[:2]] == QUESTIONS[:2]
    assert worker.pending == 0


async def test_closing_releases_every_waiting_caller(answerer):
    recording = Recording(answerer)
    worker = AnswerWorker(recording, max_pending=64)
    tasks = [asyncio.create_task(worker.answer(q)) for q in QUESTIONS[:3]]
    while not recording.batches:
        await asyncio.sleep(0.001)
    worker.close()
    results = await asyncio.wait_for(asyncio.gather(*tasks, return_exceptions=True), timeout=30)
    assert all(isinstance(r, asyncio.CancelledError) for r in results)
    assert worker.pending == 0

"""A question a moderator has settled is answered as they settled it, through the real pipeline
and a real SQLite answer log."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

from bot.answer_log import AnswerLog
from bot.pipeline import as_read
from bot.reviewed_answers import ReviewedAnswers, load_reviewed, question_key

TAJIK = "Berapa tentara cadangan yang dimobilisasi Presiden Tajikistan?"
CSTO = "Siapa Sekretaris Jenderal CSTO?"


async def _logged(log: AnswerLog, answerer, question: str) -> int:
    question_id = await log.log_question(channel="console", chat_id=None, user_id=None, message_id=None,
                                         update_id=None, text=question)
    return await log.log_answer(question_id, answerer.answer(question), model_version="test")


def _reviewed(answerer, tmp_path, reviews: list[tuple[str, str, str | None]]) -> ReviewedAnswers:
    """Log each question's answer, review it (label, correction), and load what the log settles."""

    async def run() -> ReviewedAnswers:
        async with await AnswerLog.open(tmp_path / "answers.sqlite3") as log:
            for question, label, correction in reviews:
                answer_id = await _logged(log, answerer, question)
                await log.review(answer_id, 7, label, corrected_answer=correction)
            return await load_reviewed(log, answerer.index)

    return asyncio.run(run())


def test_the_same_question_typed_another_way_is_one_question(answerer):
    index = answerer.index
    assert question_key(as_read(index, "brp tentara cadangan yg dimobilisasi presiden tajikistan")) == \
        question_key(as_read(index, TAJIK))
    assert question_key(as_read(index, "Berapa tentara yang dimobilisasi Presiden Tajikistan?")) != \
        question_key(as_read(index, TAJIK))


def test_a_corrected_answer_is_given_where_the_corpus_writes_it(answerer, tmp_path):
    reviewed = _reviewed(answerer, tmp_path, [(TAJIK, "wrong_answer", "20.000 tentara cadangan")])
    again = answerer.answer_many(["brp tentara cadangan yg dimobilisasi presiden tajikistan"], reviewed)[0]
    assert again.mode == "reviewed" and again.text == "20.000 tentara cadangan"
    assert again.article.id.startswith("004") and again.text in again.sentence
    assert again.article.body[again.span.start : again.span.end] == again.text
    # Another question is still the pipeline's.
    other = answerer.answer_many([CSTO], reviewed)[0]
    assert other.mode == "reader" and "Zas" in other.text


def test_should_have_abstained_and_confirmed_answers(answerer, tmp_path):
    before = answerer.answer(CSTO)
    reviewed = _reviewed(answerer, tmp_path, [(CSTO, "correct", None), (TAJIK, "wrong_answer", None)])
    confirmed, declined = answerer.answer_many([CSTO, TAJIK], reviewed)
    assert confirmed.mode == "reviewed" and confirmed.text == before.text and confirmed.article.id == before.article.id
    assert declined.abstained and declined.mode == "reviewed" and declined.related  # still points to articles


def test_the_latest_review_wins_and_unusable_reviews_settle_nothing(answerer, tmp_path):
    reviewed = _reviewed(answerer, tmp_path, [
        (TAJIK, "wrong_answer", "20.000 tentara cadangan"),
        (TAJIK, "correct", None),  # a second user asked it, and a moderator confirmed the bot's answer
        (CSTO, "wrong_article", "jawaban yang tidak ada di artikel mana pun"),
    ])
    assert len(reviewed.by_question) == 1
    tajik = answerer.answer_many([TAJIK], reviewed)[0]
    assert tajik.mode == "reviewed" and tajik.text == answerer.answer(TAJIK).text
    assert answerer.answer_many([CSTO], reviewed)[0].mode == "reader"


def test_an_answer_from_an_article_no_longer_indexed_is_not_given(answerer, tmp_path):
    reviewed = _reviewed(answerer, tmp_path, [(TAJIK, "wrong_answer", "20.000 tentara cadangan")])
    (settled,) = reviewed.by_question.values()
    asked = as_read(answerer.index, TAJIK)
    assert reviewed.find(asked, answerer.index) == settled
    without = SimpleNamespace(articles={k: v for k, v in answerer.index.articles.items() if k != settled.article_id})
    assert reviewed.find(asked, without) is None


def test_a_review_taken_in_another_process_reaches_this_one_at_its_next_refresh(answerer, tmp_path):
    from bot.config import load_settings
    from bot.telegram.services import BotServices

    path = tmp_path / "answers.sqlite3"

    async def run() -> None:
        async with await AnswerLog.open(path) as theirs, await AnswerLog.open(path) as ours:
            mine = BotServices(load_settings({}), SimpleNamespace(answerer=answerer, reviewed=None), answerer.index,
                               limiter=None, model_version="test", log=ours)
            await mine.refresh_reviewed()
            assert not mine.worker.reviewed.find(as_read(answerer.index, TAJIK), answerer.index)
            loaded = mine.worker.reviewed
            await mine.refresh_reviewed()
            assert mine.worker.reviewed is loaded  # nobody reviewed: nothing reloaded
            answer_id = await _logged(theirs, answerer, TAJIK)  # another process answers and a moderator reviews
            await theirs.review(answer_id, 7, "wrong_answer", corrected_answer="20.000 tentara cadangan")
            await mine.refresh_reviewed()
            settled = mine.worker.reviewed.find(as_read(answerer.index, TAJIK), answerer.index)
            assert settled is not None and settled.answer == "20.000 tentara cadangan"

    asyncio.run(run())

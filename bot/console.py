"""The console chat: the same pipeline and answer log as the Telegram bot, in a terminal."""

from __future__ import annotations

import asyncio
import sys

from bot.answer_log import AnswerLog
from bot.config import Settings
from bot.prompts import render
from bot.question_input import MAX_QUESTION_CHARS, check_question, normalise_question
from bot.reader.store import model_version, serving_weights
from bot.reviewed_answers import load_reviewed
from bot.telegram.replies import EXAMPLES

QUIT_WORDS = {"keluar", "exit", "quit", "/keluar"}


async def chat(settings: Settings) -> int:
    from bot.service import open_answerer

    answerer = await asyncio.to_thread(open_answerer, settings)
    version = model_version(serving_weights(settings.data_dir))
    log = await AnswerLog.open(settings.answer_log)
    reviewed = await load_reviewed(log, answerer.index)  # questions moderators settled get their answer
    print(render("console/welcome.txt", articles=len(answerer.index.articles), example=EXAMPLES[0]))
    try:
        while True:
            try:
                line = await asyncio.to_thread(input, "\nAnda> ")
            except (EOFError, KeyboardInterrupt):
                print()
                break
            question = normalise_question(line)
            if question.lower() in QUIT_WORDS:
                break
            if not question:
                continue
            question_id = await log.log_question(channel="console", chat_id=None, user_id=None, message_id=None,
                                                 update_id=None, text=question)
            problem = check_question(question)
            if problem is not None:
                await log.mark_failed(question_id, problem.value)
                print(render("console/problem.txt", problem=problem.value, limit=MAX_QUESTION_CHARS, example=EXAMPLES[0]))
                continue
            answer = (await asyncio.to_thread(answerer.answer_many, [question], reviewed))[0]
            answer_id = await log.log_answer(question_id, answer, model_version=version)
            print(render("console/answer.txt", answer=answer))
            sys.stdout.flush()
            await log.mark_delivered(answer_id, None)
    finally:
        await log.close()
    return 0

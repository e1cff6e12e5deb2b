"""Handlers for users: commands, questions, votes, and replies to input the bot cannot use."""

from __future__ import annotations

import asyncio
import logging
import re

from telegram import LinkPreviewOptions, ReplyParameters, Update
from telegram.constants import ChatAction, ChatType
from telegram.error import BadRequest, NetworkError, TelegramError
from telegram.ext import ContextTypes

from bot.answer_log import AlreadyAnswered, UnknownAnswer
from bot.prompts import render
from bot.question_input import MAX_QUESTION_CHARS, check_question, normalise_question
from bot.telegram.intake import addressed_question, log_incoming
from bot.telegram.replies import EXAMPLES, VOTE_DOWN, VOTE_UP, answer_html, problem_html, vote_keyboard
from bot.telegram.services import BotServices, services
from bot.telegram.worker import Busy

logger = logging.getLogger(__name__)
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
SOURCES_SHOWN = 30


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/start: who the bot is, what it knows, example questions."""
    user = update.effective_user
    await update.effective_message.reply_html(render(
        "telegram/start.html", name=user.first_name if user else "", examples=EXAMPLES,
        articles=len(services(context).index.articles)))


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/help: how to ask, in private and in groups; moderator commands for moderators."""
    user = update.effective_user
    await update.effective_message.reply_html(render(
        "telegram/help.html", username=context.bot.username, examples=EXAMPLES,
        moderator=services(context).is_moderator(user.id if user else None)))


async def sources(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/sumber: the articles the bot answers from, newest first (undated ones last, newest added first)."""
    articles = list(reversed(services(context).index.articles.values()))
    articles.sort(key=lambda a: a.date or "", reverse=True)
    await update.effective_message.reply_html(
        render("telegram/sources.html", articles=articles[:SOURCES_SHOWN], total=len(articles)),
        link_preview_options=NO_PREVIEW)


async def ask_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/tanya pertanyaan: ask explicitly (the way to ask in groups)."""
    await answer_question(update, context, " ".join(context.args or []))


async def private_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Any text in a private chat is a question (or a moderator's pending correction)."""
    from bot.telegram.moderation import take_correction

    if await take_correction(update, context):
        return
    await answer_question(update, context, update.effective_message.text or "")


async def group_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """In groups, answer only messages that mention the bot or reply to it."""
    question = addressed_question(update.effective_message, context.bot.username, context.bot.id)
    if question is not None:
        await answer_question(update, context, question)


async def answer_question(update: Update, context: ContextTypes.DEFAULT_TYPE, raw: str) -> None:
    """Log the question, check it, answer it off the event loop, log the answer, then send it."""
    svc = services(context)
    message, user = update.effective_message, update.effective_user
    user_id = user.id if user else None
    question = normalise_question(raw)
    question_id = await log_incoming(svc.answer_log, update, raw)  # usually logged already by the intake
    if not await claim(svc, question_id, f"update {update.update_id}"):
        return
    problem = check_question(question)
    if problem is not None:
        await svc.answer_log.mark_failed(question_id, problem.value)
        await message.reply_html(problem_html(problem.value, length=len(question), limit=MAX_QUESTION_CHARS))
        return
    if user_id is not None and not await svc.limiter.allow(svc.answer_log, user_id, question_id):
        await svc.answer_log.mark_failed(question_id, "rate_limited")
        await message.reply_html(problem_html("rate_limited", limit=svc.limiter.per_minute))
        return
    await answer_claimed(context, question_id, question, message.chat_id, message.message_id)


async def claim(svc: BotServices, question_id: int, what: str) -> bool:
    """Take the question for this process; False (logged at WARNING) when it is answered or being answered."""
    if await svc.answer_log.claim_question(question_id, svc.worker_id, svc.settings.claim_seconds):
        return True
    logger.warning("%s: question %d is answered or being answered already (a redelivery?); not answered twice",
                   what, question_id)
    return False


async def answer_claimed(context: ContextTypes.DEFAULT_TYPE, question_id: int, question: str,
                         chat_id: int, reply_to: int | None) -> None:
    """Answer a question this process claimed and deliver the answer; it is logged before it is sent."""
    svc = services(context)
    try:
        await context.bot.send_chat_action(chat_id, ChatAction.TYPING)
    except TelegramError as error:
        logger.info("typing action failed: %s", error)
    try:
        answer = await svc.worker.answer(question)
    except Busy:
        await svc.answer_log.mark_failed(question_id, "busy")
        await context.bot.send_message(chat_id, problem_html("busy"), parse_mode="HTML",
                                       reply_parameters=_reply_to(reply_to))
        return
    except Exception as error:  # the error handler logs it and apologises to the user
        await svc.answer_log.mark_failed(question_id, f"error: {error.__class__.__name__}")
        raise
    try:
        answer_id = await svc.answer_log.log_answer(question_id, answer, model_version=svc.model_version)
    except AlreadyAnswered:  # this process's claim ran out while it waited and another process answered
        logger.warning("question %d was answered by another process meanwhile: not sent twice", question_id)
        return
    try:
        sent = await with_retries(lambda: context.bot.send_message(
            chat_id, answer_html(answer), parse_mode="HTML", reply_markup=vote_keyboard(answer_id),
            link_preview_options=NO_PREVIEW, reply_parameters=_reply_to(reply_to)), what=f"answer {answer_id}")
    except TelegramError as error:
        await svc.answer_log.mark_failed(question_id, f"undeliverable: {error.__class__.__name__}")
        raise
    await svc.answer_log.mark_delivered(answer_id, sent.message_id)


async def with_retries(send, what: str, attempts: int = 4, delay: float = 1.0):
    """Retry a Bot API call over network faults (dropped connections, timeouts, 5xx).

    AIORateLimiter already retries 429s; a 400 (BadRequest) is a bug and is not retried.
    """
    for attempt in range(1, attempts + 1):
        try:
            return await send()
        except NetworkError as error:
            if isinstance(error, BadRequest) or attempt == attempts:
                raise
            logger.warning("sending %s failed (%s: %s); retry %d of %d", what, error.__class__.__name__,
                           error, attempt, attempts - 1)
            await asyncio.sleep(delay * attempt)
    raise AssertionError("unreachable")


def _reply_to(message_id: int | None) -> ReplyParameters | None:
    return ReplyParameters(message_id, allow_sending_without_reply=True) if message_id else None


async def vote(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """👍/👎 under an answer: store the user's vote (one per user, changeable) and acknowledge it."""
    query = update.callback_query
    match = re.fullmatch(rf"vote:(\d{{1,12}}):({VOTE_UP}|{VOTE_DOWN})", query.data or "")
    if match is None:
        await query.answer(render("telegram/vote.html", result="invalid", value=0))
        return
    value = 1 if match[2] == VOTE_UP else -1
    try:
        result = await services(context).answer_log.vote(int(match[1]), query.from_user.id, value)
    except UnknownAnswer:
        await query.answer(render("telegram/vote.html", result="unknown", value=value))
        return
    await query.answer(render("telegram/vote.html", result=result.value, value=value))


async def unknown_callback(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A button press with data the bot never made."""
    logger.warning("unknown callback data from user %s", update.callback_query.from_user.id)
    await update.callback_query.answer(render("telegram/vote.html", result="invalid", value=0))


async def not_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Stickers, photos, voice and other non-text messages in a private chat."""
    await update.effective_message.reply_html(problem_html("not_text"))


async def edited(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Edited messages are not re-answered; say so in private chats."""
    if update.effective_chat and update.effective_chat.type == ChatType.PRIVATE:
        await context.bot.send_message(update.effective_chat.id, problem_html("edited"), parse_mode="HTML")


async def unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A command the bot does not have."""
    await update.effective_message.reply_html(problem_html("unknown_command"))


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the exception with its traceback and tell the user something went wrong."""
    logger.error("error while handling an update", exc_info=context.error)
    if isinstance(update, Update) and update.effective_chat is not None:
        try:
            await context.bot.send_message(update.effective_chat.id, problem_html("error"), parse_mode="HTML")
        except TelegramError as error:
            logger.warning("could not tell the user about the error: %s", error)

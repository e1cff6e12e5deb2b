"""Wire the python-telegram-bot Application: handlers, rate limiting, start-up and shutdown."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import datetime, timedelta, timezone
from functools import partial
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from telegram import BotCommand, BotCommandScopeChat, Update
from telegram.error import TelegramError
from telegram.ext import (AIORateLimiter, Application, ApplicationBuilder, CallbackContext, CallbackQueryHandler,
                          CommandHandler, MessageHandler, filters)

from bot.answer_log import AnswerLog, PendingQuestion
from bot.question_input import check_question
from bot.config import Settings
from bot.pipeline import QuestionAnswerer
from bot.reader.store import model_version, serving_weights
from bot.ingest.service import build_ingestor
from bot.telegram import handlers, moderation, sources_admin
from bot.telegram.intake import LoggedUpdateQueue, log_incoming, question_of
from bot.telegram.limits import UserRateLimiter
from bot.telegram.replies import problem_html
from bot.telegram.services import KEY, BotServices
from bot.telegram.worker import AnswerWorker

logger = logging.getLogger(__name__)

USER_COMMANDS = [
    BotCommand("start", "Perkenalan"),
    BotCommand("help", "Cara bertanya"),
    BotCommand("tanya", "Ajukan pertanyaan (di grup)"),
    BotCommand("sumber", "Daftar artikel"),
]
MODERATOR_COMMANDS = USER_COMMANDS + [
    BotCommand("review", "Tinjau jawaban berikutnya"),
    BotCommand("stats", "Statistik jawaban"),
    BotCommand("export", "Unduh log jawaban"),
    BotCommand("tambah", "Tambah artikel dari tautan"),
    BotCommand("feed", "Kelola feed RSS/Atom"),
]


def build_application(settings: Settings, answerer: QuestionAnswerer) -> Application:
    intake = LoggedUpdateQueue()
    builder = (
        ApplicationBuilder()
        .token(settings.telegram_token)
        .update_queue(intake)
        .rate_limiter(AIORateLimiter(max_retries=3))
        .concurrent_updates(True)
        .post_init(on_startup)
        .post_shutdown(on_shutdown)
    )
    if settings.telegram_api_base_url:
        base = settings.telegram_api_base_url.rstrip("/")
        builder = builder.base_url(base).base_file_url(base.removesuffix("/bot") + "/file/bot")
    app = builder.build()
    intake.record = partial(record_question, app)
    app.bot_data[KEY] = BotServices(
        settings=settings,
        worker=AnswerWorker(answerer, settings.max_pending_questions),
        index=answerer.index,
        limiter=UserRateLimiter(settings.questions_per_minute),
        model_version=model_version(serving_weights(settings.data_dir)),
    )
    svc = app.bot_data[KEY]
    svc.ingest = build_ingestor(settings, answerer.index, partial(sources_admin.swap_index, svc, answerer),
                                getattr(answerer, "embedder", None))

    private, groups = filters.ChatType.PRIVATE, filters.ChatType.GROUPS
    new_message = filters.UpdateType.MESSAGE
    # Commands.
    app.add_handler(CommandHandler("start", handlers.start))
    app.add_handler(CommandHandler("help", handlers.help_command))
    app.add_handler(CommandHandler("sumber", handlers.sources))
    app.add_handler(CommandHandler("tanya", handlers.ask_command))
    app.add_handler(CommandHandler("review", moderation.review))
    app.add_handler(CommandHandler("stats", moderation.stats))
    app.add_handler(CommandHandler("export", moderation.export))
    app.add_handler(CommandHandler("lewati", moderation.skip_correction))
    app.add_handler(CommandHandler("tambah", sources_admin.add_article))
    app.add_handler(CommandHandler("feed", sources_admin.feed_command))
    # Questions.
    app.add_handler(MessageHandler(new_message & private & filters.TEXT & ~filters.COMMAND, handlers.private_text))
    app.add_handler(MessageHandler(new_message & groups & filters.TEXT & ~filters.COMMAND, handlers.group_text))
    # Buttons.
    app.add_handler(CallbackQueryHandler(handlers.vote, pattern=r"^vote:"))
    app.add_handler(CallbackQueryHandler(moderation.review_button, pattern=r"^rev:"))
    app.add_handler(CallbackQueryHandler(handlers.unknown_callback))
    # Everything else a user may send.
    app.add_handler(MessageHandler(filters.UpdateType.EDITED_MESSAGE, handlers.edited))
    app.add_handler(MessageHandler(new_message & private & filters.COMMAND, handlers.unknown_command))
    app.add_handler(MessageHandler(new_message & private & ~filters.TEXT, handlers.not_text))
    app.add_error_handler(handlers.on_error)
    return app


async def record_question(app: Application, update: Update) -> None:
    """Log an incoming question before PTB confirms its update to Telegram (see intake.py)."""
    question = question_of(update, app.bot)
    user, svc = update.effective_user, app.bot_data[KEY]
    if question is None:
        return
    if user and svc.is_moderator(user.id) and await svc.answer_log.pending_correction(user.id):
        return  # a moderator's correction, not a question
    await log_incoming(svc.answer_log, update, question)


async def on_startup(app: Application) -> None:
    """Open the answer log and load the answers moderators settled, publish the command menus,
    answer questions a crash left unanswered."""
    svc: BotServices = app.bot_data[KEY]
    svc.log = await AnswerLog.open(svc.settings.answer_log)
    await svc.refresh_reviewed()
    await app.bot.set_my_commands(USER_COMMANDS)
    for moderator in svc.settings.moderator_ids:
        try:
            await app.bot.set_my_commands(MODERATOR_COMMANDS, scope=BotCommandScopeChat(moderator))
        except TelegramError as error:  # the moderator has not opened a chat with the bot yet
            logger.info("moderator menu not set for %s: %s", moderator, error)
    # A plain task (PTB's create_task warns before the application runs); on_shutdown ends it.
    svc.left_over = asyncio.create_task(keep_answering_left_overs(app, datetime.now(timezone.utc)),
                                        name="answer-left-overs")
    app.job_queue.run_repeating(sources_admin.poll_feeds, interval=svc.settings.feed_poll_seconds, first=1,
                                name="poll-feeds")
    app.job_queue.run_repeating(refresh_reviewed, interval=svc.settings.review_refresh_seconds,
                                first=svc.settings.review_refresh_seconds, name="refresh-reviewed")


async def refresh_reviewed(context: CallbackContext) -> None:
    """The JobQueue job: pick up the reviews other bot processes sharing the answer log have
    taken; a failure is logged, the next run tries again."""
    try:
        await context.application.bot_data[KEY].refresh_reviewed()
    except Exception:
        logger.exception("could not reload the reviewed answers; trying again in %d s",
                         context.application.bot_data[KEY].settings.review_refresh_seconds)


async def on_shutdown(app: Application) -> None:
    svc: BotServices = app.bot_data[KEY]
    if svc.left_over is not None and not svc.left_over.done():
        svc.left_over.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await svc.left_over
    svc.worker.close()
    if svc.ingest is not None:
        await svc.ingest.close()
    if svc.log is not None:
        await svc.log.close()
        svc.log = None


async def keep_answering_left_overs(app: Application, started: datetime) -> None:
    """Answer the questions nobody is answering, and keep this process's claims alive.

    First those an earlier run logged before this one started (it died), then, every third of
    a claim period, those whose claim ran out: the process holding them died (with several
    processes it is another one, see docs/scaling.md).
    """
    svc: BotServices = app.bot_data[KEY]
    context, lease = CallbackContext(app), svc.settings.claim_seconds
    received_before = started
    while True:
        try:
            await answer_left_overs(context, svc, received_before)
        except Exception:  # noqa: BLE001  (a database hiccup must not end the loop; the next pass retries)
            logger.exception("answering left-over questions failed; retrying in %.0f s", lease / 3)
        await asyncio.sleep(lease / 3)
        received_before = datetime.now(timezone.utc) - timedelta(seconds=lease)


async def answer_left_overs(context: CallbackContext, svc: BotServices, received_before: datetime) -> None:
    """One pass: renew this process's claims, fail the answers a dead process never recorded as
    delivered, answer the unclaimed questions received before `received_before`."""
    await svc.answer_log.renew_claims(svc.worker_id, svc.settings.claim_seconds)
    undelivered = await svc.answer_log.mark_undelivered_failed(
        "answer logged, delivery not recorded: its process died (the reply may have gone out)")
    if undelivered:
        logger.warning("%d answers were logged by a process that died before recording their delivery; "
                       "marked failed", undelivered)
    pending = [q for q in await svc.answer_log.claimable_questions(received_before)
               if q.channel == "telegram" and q.chat_id]
    if pending:
        logger.info("answering %d questions left unanswered (their process died before answering)", len(pending))
    for question in pending:
        await answer_left_over(context, svc, question)


async def answer_left_over(context: CallbackContext, svc: BotServices, question: PendingQuestion) -> None:
    """Claim, check and answer one question an earlier or another process left unanswered."""
    if not await handlers.claim(svc, question.id, "a left-over question"):
        return
    problem = check_question(question.text)
    if problem is not None:
        await svc.answer_log.mark_failed(question.id, problem.value)
        return
    try:
        if question.user_id is not None and not await svc.limiter.allow(svc.answer_log, question.user_id, question.id):
            await svc.answer_log.mark_failed(question.id, "rate_limited")
            await context.bot.send_message(question.chat_id, problem_html("rate_limited", limit=svc.limiter.per_minute),
                                           parse_mode="HTML")
            return
        await handlers.answer_claimed(context, question.id, question.text, question.chat_id, question.message_id)
    except TelegramError as error:
        logger.warning("could not answer left-over question %s: %s", question.id, error)
        await svc.answer_log.mark_failed(question.id, f"undeliverable after restart: {error.__class__.__name__}")


@asynccontextmanager
async def running(app: Application, poll_timeout: int = 10) -> AsyncIterator[Application]:
    """Run the application with long polling inside the current event loop (tests, benchmarks)."""
    await app.initialize()
    await on_startup(app)
    await app.start()
    await app.updater.start_polling(poll_interval=0, timeout=poll_timeout, allowed_updates=Update.ALL_TYPES)
    try:
        yield app
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()
        await on_shutdown(app)


def run_bot(settings: Settings) -> None:
    """Start the bot: webhook when TELEGRAM_WEBHOOK_URL is set, long polling otherwise."""
    from bot.service import open_answerer

    answerer = open_answerer(settings)
    app = build_application(settings, answerer)
    if settings.webhook_url:
        logger.info("starting the webhook on port %d", settings.port)
        app.run_webhook(listen="0.0.0.0", port=settings.port, url_path="telegram",
                        webhook_url=settings.webhook_url.rstrip("/") + "/telegram",
                        secret_token=settings.webhook_secret, allowed_updates=Update.ALL_TYPES)
    else:
        logger.info("starting long polling")
        app.run_polling(allowed_updates=Update.ALL_TYPES)

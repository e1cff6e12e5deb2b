"""Moderator commands that feed the bot new articles: /tambah URL and /feed [tambah|hapus URL],
and the scheduled job that polls the feeds.
"""

from __future__ import annotations

import logging

from telegram import LinkPreviewOptions, Update
from telegram.ext import ContextTypes

from bot.ingest.fetch import SourceError
from bot.ingest.service import Ingestor
from bot.prompts import render
from bot.telegram.moderation import _allowed, _refuse
from bot.pipeline import QuestionAnswerer
from bot.retrieval.index import PassageIndex
from bot.telegram.services import BotServices, services

logger = logging.getLogger(__name__)
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


def swap_index(svc: BotServices, answerer: QuestionAnswerer, index: PassageIndex) -> None:
    """Serve the new index: questions from now on use it; those being answered finish on the old one."""
    answerer.index = index
    svc.index = index


def _ingestor(context: ContextTypes.DEFAULT_TYPE) -> Ingestor:
    ingest = services(context).ingest
    if ingest is None:
        raise RuntimeError("the ingestor is not running")
    return ingest


def problem_text(error: SourceError, ingest: Ingestor) -> str:
    """Why a page or feed could not be used, in Indonesian."""
    return render("telegram/source_problem.html", reason=error.reason, detail=error.detail,
                  timeout=f"{ingest.limits.timeout:g}", max_mb=f"{ingest.limits.max_bytes / 1e6:g}")


async def add_article(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/tambah URL: fetch one article and make it answerable now."""
    if not _allowed(update, context):
        await _refuse(update, context, "/tambah")
        return
    message, ingest = update.effective_message, _ingestor(context)
    if len(context.args or []) != 1:
        await message.reply_html(render("telegram/ingest.html", state="usage_tambah"))
        return
    try:
        outcome = await ingest.add_url(context.args[0])
    except SourceError as error:
        logger.info("/tambah %s refused: %s", context.args[0][:200], error)
        await message.reply_html(problem_text(error, ingest), link_preview_options=NO_PREVIEW)
        return
    await message.reply_html(render("telegram/ingest.html", state=outcome.status, article=outcome.article,
                                    existing=outcome.existing), link_preview_options=NO_PREVIEW)


async def feed_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/feed lists the feeds; /feed tambah URL and /feed hapus URL change the list."""
    if not _allowed(update, context):
        await _refuse(update, context, "/feed")
        return
    message, ingest, args = update.effective_message, _ingestor(context), context.args or []
    if not args:
        feeds = ingest.feeds.all()
        problems = {f.url: problem_text(SourceError(f.last_error), ingest) for f in feeds if f.last_error}
        await message.reply_html(render("telegram/feeds.html", state="list", feeds=feeds, problems=problems),
                                 link_preview_options=NO_PREVIEW)
    elif len(args) == 2 and args[0].lower() in ("tambah", "add"):
        try:
            feed, entries = await ingest.add_feed(args[1])
        except SourceError as error:
            await message.reply_html(problem_text(error, ingest), link_preview_options=NO_PREVIEW)
            return
        await message.reply_html(render("telegram/feeds.html", state="added", feed=feed, entries=entries,
                                        every=_every(ingest.poll_interval)), link_preview_options=NO_PREVIEW)
        context.application.create_task(poll_now(ingest), name="poll-new-feed")
    elif len(args) == 2 and args[0].lower() in ("hapus", "remove"):
        state = "removed" if ingest.remove_feed(args[1]) else "unknown"
        await message.reply_html(render("telegram/feeds.html", state=state, url=args[1]),
                                 link_preview_options=NO_PREVIEW)
    else:
        await message.reply_html(render("telegram/ingest.html", state="usage_feed"))


async def poll_feeds(context: ContextTypes.DEFAULT_TYPE) -> None:
    """The JobQueue job: poll the feeds that are due; a failure is logged, the next run tries again."""
    await poll_now(_ingestor(context))


async def poll_now(ingest: Ingestor) -> None:
    try:
        await ingest.poll()
    except Exception:  # noqa: BLE001  (a failed index update must not stop the schedule)
        logger.exception("polling the feeds failed; the current index keeps serving")


def _every(seconds: float) -> str:
    return f"{seconds / 60:g} menit" if seconds >= 60 else f"{seconds:g} detik"

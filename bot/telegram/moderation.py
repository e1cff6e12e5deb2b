"""Moderator commands and buttons: /review with labels and corrections, /stats, /export.

Every command and every button press checks the allow-list (anyone can press a button in a
group); refusals are answered, logged and stored.
"""

from __future__ import annotations

import io
import json
import logging
import re
from datetime import datetime, timedelta, timezone

from telegram import InputFile, Update
from telegram.ext import ContextTypes

from bot.answer_log import UnknownAnswer
from bot.prompts import render
from bot.telegram.replies import REVIEW_LABELS, review_keyboard
from bot.telegram.services import services

logger = logging.getLogger(__name__)


async def _refuse(update: Update, context: ContextTypes.DEFAULT_TYPE, action: str) -> None:
    user, chat = update.effective_user, update.effective_chat
    logger.warning("refused %s to non-moderator user %s in chat %s", action, user.id if user else None,
                   chat.id if chat else None)
    await services(context).answer_log.log_refusal(user.id if user else None, chat.id if chat else None, action)
    text = render("telegram/review_done.html", state="refused")
    if update.callback_query:
        await update.callback_query.answer(text, show_alert=True)
    else:
        await update.effective_message.reply_html(text)


def _allowed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    user = update.effective_user
    return services(context).is_moderator(user.id if user else None)


async def review(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/review: the next unreviewed answer (👎 first, then low confidence) with label buttons."""
    if not _allowed(update, context):
        await _refuse(update, context, "/review")
        return
    skipped = context.user_data.setdefault("skipped", [])
    item = await services(context).answer_log.next_for_review(skip=skipped, moderator_id=update.effective_user.id)
    if item is None:
        await update.effective_message.reply_html(render("telegram/review_done.html", state="empty"))
        return
    await update.effective_message.reply_html(render("telegram/review.html", item=item),
                                              reply_markup=review_keyboard(item.answer_id))


async def review_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A label button under a review: store the label; "wrong" labels may take a correction next."""
    query = update.callback_query
    if not _allowed(update, context):
        await _refuse(update, context, f"button {query.data!r}")
        return
    match = re.fullmatch(r"rev:(\d{1,12}):([caws])", query.data or "")
    if match is None:
        await query.answer("Tombol tidak dikenal.")
        return
    answer_id, key = int(match[1]), match[2]
    if key == "s":
        context.user_data.setdefault("skipped", []).append(answer_id)
        await services(context).answer_log.release_review(answer_id, query.from_user.id)
        await query.answer()
        await query.edit_message_reply_markup(None)
        await query.message.reply_html(render("telegram/review_done.html", state="skipped"))
        return
    label = REVIEW_LABELS[key][0]
    try:
        await services(context).answer_log.review(answer_id, query.from_user.id, label)
    except UnknownAnswer:
        await query.answer("Jawaban ini tidak ditemukan.", show_alert=True)
        return
    await services(context).refresh_reviewed()
    ask_correction = label != "correct"
    if ask_correction:  # kept in the answer log: the next message may reach another bot process
        await services(context).answer_log.expect_correction(query.from_user.id, answer_id, label)
    await query.answer("Tersimpan.")
    await query.edit_message_reply_markup(None)
    await query.message.reply_html(render("telegram/review_done.html", state="labelled", answer_id=answer_id,
                                          label=REVIEW_LABELS[key][1], ask_correction=ask_correction))


async def take_correction(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """A moderator's message right after a "wrong" label is the corrected answer."""
    if not _allowed(update, context):
        return False
    pending = await services(context).answer_log.take_correction(update.effective_user.id)
    if pending is None:
        return False
    answer_id, label = pending
    correction = " ".join((update.effective_message.text or "").split())[:500]
    await services(context).answer_log.review(answer_id, update.effective_user.id, label, corrected_answer=correction)
    await services(context).refresh_reviewed()
    await update.effective_message.reply_html(render("telegram/review_done.html", state="corrected", answer_id=answer_id))
    return True


async def skip_correction(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/lewati: no correction for the answer just labelled."""
    if _allowed(update, context):
        await services(context).answer_log.take_correction(update.effective_user.id)
    await update.effective_message.reply_html(render("telegram/review_done.html", state="skipped"))


async def stats(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/stats [days]: counts and rates for the last N days (all time without N)."""
    if not _allowed(update, context):
        await _refuse(update, context, "/stats")
        return
    days = None
    if context.args:
        if not context.args[0].isdigit() or not 0 < int(context.args[0]) <= 3650:
            await update.effective_message.reply_html("Pakai <code>/stats</code> atau <code>/stats 7</code> (jumlah hari).")
            return
        days = int(context.args[0])
    since = datetime.now(timezone.utc) - timedelta(days=days) if days else None
    figures = await services(context).answer_log.stats(since)
    period = f"{days} hari terakhir" if days else "sejak awal"
    await update.effective_message.reply_html(render("telegram/stats.html", s=figures, period=period,
                                                                     reader=services(context).model_version))


async def export(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/export: the answer log as CSV and reviewed corrections as SQuAD JSON, as documents."""
    if not _allowed(update, context):
        await _refuse(update, context, "/export")
        return
    await send_export(context, update.effective_chat.id)


async def send_export(context: ContextTypes.DEFAULT_TYPE, chat_id: int) -> None:
    log = services(context).answer_log
    csv_text = io.StringIO()
    rows = await log.export_csv(csv_text)
    squad = await log.export_squad()
    corrections = sum(len(p["qas"]) for a in squad["data"] for p in a["paragraphs"])
    stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M")
    await context.bot.send_document(chat_id, InputFile(io.BytesIO(csv_text.getvalue().encode("utf-8")),
                                                       filename=f"tanya-berita-log-{stamp}.csv"))
    await context.bot.send_document(
        chat_id, InputFile(io.BytesIO(json.dumps(squad, ensure_ascii=False, indent=1).encode("utf-8")),
                           filename=f"tanya-berita-koreksi-{stamp}.json"),
        caption=render("telegram/export.html", rows=rows, corrections=corrections), parse_mode="HTML")

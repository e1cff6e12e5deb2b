"""Telegram reply texts (from prompts/telegram) and inline keyboards."""

from __future__ import annotations

from datetime import date

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.prompts import TELEGRAM_LIMIT, render, shorten
from bot.records import Answer

MONTHS_ID = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
             "Oktober", "November", "Desember")
EXAMPLES = (
    "Berapa tentara cadangan yang dimobilisasi Presiden Tajikistan?",
    "Siapa Sekretaris Jenderal CSTO?",
    "Kapan Taliban digulingkan dari pemerintahan Afghanistan?",
)
VOTE_UP, VOTE_DOWN = "up", "down"


def indonesian_date(iso: str | None) -> str:
    if not iso:
        return ""
    try:
        d = date.fromisoformat(iso)
    except ValueError:
        return iso
    return f"{d.day} {MONTHS_ID[d.month - 1]} {d.year}"


def answer_html(answer: Answer, context_chars: int = 280) -> str:
    """The answer in bold, its sentence with the span underlined, and the citation."""
    if answer.abstained or answer.article is None or answer.span is None or answer.sentence_span is None:
        return render("telegram/abstain.html", related=answer.related)
    body, span, sentence = answer.article.body, answer.span, answer.sentence_span
    for limit in (context_chars, 80, 0):
        before = body[sentence.start : span.start]
        after = body[span.end : sentence.end]
        text = render(
            "telegram/answer.html",
            answer_text=answer.text,
            mode=answer.mode,
            before=("…" + before[-limit:].lstrip()) if len(before) > limit else before,
            marked=shorten(body[span.start : span.end], 600),
            after=(after[:limit].rstrip() + "…") if len(after) > limit else after,
            article=answer.article,
            date=indonesian_date(answer.article.date),
        )
        if len(text) <= TELEGRAM_LIMIT:
            return text
    return text[:TELEGRAM_LIMIT]


def vote_keyboard(answer_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[
        InlineKeyboardButton("👍", callback_data=f"vote:{answer_id}:{VOTE_UP}"),
        InlineKeyboardButton("👎", callback_data=f"vote:{answer_id}:{VOTE_DOWN}"),
    ]])


REVIEW_LABELS = {
    "c": ("correct", "✅ Benar"),
    "a": ("wrong_answer", "✏️ Jawaban salah, artikel benar"),
    "w": ("wrong_article", "❌ Artikel salah / seharusnya (tidak) menjawab"),
}


def review_keyboard(answer_id: int) -> InlineKeyboardMarkup:
    rows = [[InlineKeyboardButton(text, callback_data=f"rev:{answer_id}:{key}")] for key, (_, text) in REVIEW_LABELS.items()]
    rows.append([InlineKeyboardButton("⏭ Lewati", callback_data=f"rev:{answer_id}:s")])
    return InlineKeyboardMarkup(rows)


def problem_html(problem: str, **context) -> str:
    return render("telegram/problem.html", problem=problem, example=EXAMPLES[0], **context)

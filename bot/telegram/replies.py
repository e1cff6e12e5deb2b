"""Telegram reply texts (from prompts/telegram) and inline keyboards."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.corpus.dates import indonesian_date
from bot.prompts import TELEGRAM_LIMIT, render, shorten
from bot.records import Answer

EXAMPLES = (
    "Berapa tentara cadangan yang dimobilisasi Presiden Tajikistan?",
    "Siapa Sekretaris Jenderal CSTO?",
    "Kapan Taliban digulingkan dari pemerintahan Afghanistan?",
    "kedubes rusia di kabul msh beroperasi gak stlh taliban masuk",
    "apa kata ned price soal kedutaan as di kabul",
)
VOTE_UP, VOTE_DOWN = "up", "down"


def answer_html(answer: Answer, context_chars: int = 280) -> str:
    """The answer in bold, its sentence with the span underlined, and the citation."""
    if answer.abstained or answer.article is None or answer.span is None or answer.sentence_span is None:
        return render("telegram/abstain.html", related=answer.related)
    # Offsets of the span within its sentence (the sentence is body text, or for a publication
    # answer the article's "outlet · date" line).
    sentence = answer.sentence
    start, end = answer.span.start - answer.sentence_span.start, answer.span.end - answer.sentence_span.start
    for limit in (context_chars, 80, 0):
        before = sentence[:start]
        after = sentence[end:]
        text = render(
            "telegram/answer.html",
            answer_text=answer.text,
            mode=answer.mode,
            before=("…" + before[-limit:].lstrip()) if len(before) > limit else before,
            marked=shorten(sentence[start:end], 600),
            after=(after[:limit].rstrip() + "…") if len(after) > limit else after,
            article=answer.article,
            date=indonesian_date(answer.article.date),
            day=answer.day,
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

"""Check a user's question before it reaches the pipeline: empty, too long, junk, not Indonesian, or no
question at all ("halo min", "makasih")."""

from __future__ import annotations

import html
import re
import unicodedata
from enum import Enum

from bot.language.small_talk import small_talk

MAX_QUESTION_CHARS = 500

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_ENGLISH = frozenset(
    "the what who whom whose when where why how which is are was were did does do of in on at to for "
    "with from about many much and or this that these those has have had been will would can could".split()
)
_INDONESIAN = frozenset(
    "yang apa siapa kapan dimana di mana mengapa kenapa bagaimana berapa apakah dan atau ini itu dari ke "
    "pada untuk dengan tentang adalah ada tidak akan sudah telah oleh dalam saja".split()
)


class QuestionProblem(str, Enum):
    EMPTY = "empty"
    TOO_LONG = "too_long"
    NO_WORDS = "no_words"  # only emoji, symbols or numbers
    NOT_INDONESIAN = "not_indonesian"
    GREETING = "greeting"  # a greeting or "mau tanya" with no question yet
    THANKS = "thanks"


def normalise_question(text: str) -> str:
    """Drop control and format characters and lone surrogates; collapse white space."""
    kept = "".join(
        ch if unicodedata.category(ch)[0] != "C" else " "
        for ch in text
    )
    return " ".join(kept.split())


_SCRIPT = re.compile(r"<(script|style)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^<>]{1,200}>")
_URL = re.compile(r"\bhttps?://[^\s)\]]+|\bwww\.[^\s)\]]+", re.IGNORECASE)
_MARKDOWN = re.compile(r"[*_`~\[\]]|\]\(|\(\s*\)")


def without_markup(text: str) -> str:
    """The words of a question pasted with HTML, Markdown or links: what retrieval and the reader see."""
    text = _URL.sub(" ", _TAG.sub(" ", _SCRIPT.sub(" ", html.unescape(text))))
    return " ".join(_MARKDOWN.sub(" ", text).split())


def looks_english(text: str) -> bool:
    words = [w.lower() for w in _WORD.findall(text)]
    english = sum(w in _ENGLISH for w in words)
    indonesian = sum(w in _INDONESIAN for w in words)
    return english >= 2 and english > indonesian


def check_question(text: str) -> QuestionProblem | None:
    """What is wrong with the (normalised) question, or None when it can be answered."""
    if not text:
        return QuestionProblem.EMPTY
    if len(text) > MAX_QUESTION_CHARS:
        return QuestionProblem.TOO_LONG
    if not _WORD.search(text):
        return QuestionProblem.NO_WORDS
    if talk := small_talk(text):
        return QuestionProblem(talk)
    if looks_english(text):
        return QuestionProblem.NOT_INDONESIAN
    return None

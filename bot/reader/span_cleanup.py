"""Make extracted spans read well: no dangling punctuation, whole lists when lists are asked for."""

from __future__ import annotations

import re

from bot.records import Span

_EDGE = " \t\n,.;:!?-–—\"'“”‘’"
_LIST_TAIL = re.compile(r"^(?:\s*,\s*[^,.;:!?\n]{1,40}?)*\s*,?\s+(?:dan|serta|atau)\s+[^,.;:!?\n]{1,40}?(?=[,.;:!?\n]|$)")
_PLURAL_QUESTION = re.compile(r"\b(saja|siapa-siapa|apa-apa)\b", re.IGNORECASE)


def trim(text: str, span: Span) -> Span:
    """Strip spaces, quotes and punctuation from the edges; keep brackets that are balanced."""
    start, end = span.start, span.end
    while start < end and (text[start] in _EDGE or (text[start] in ")]" )):
        start += 1
    while end > start and (text[end - 1] in _EDGE or (text[end - 1] in "([")):
        end -= 1
    inner = text[start:end]
    if end < len(text) and inner.count("(") > inner.count(")") and text[end] == ")":
        end += 1
    elif inner.count(")") > inner.count("(") and inner.endswith(")"):
        end -= 1
    return Span(start, end) if end > start else span


def extend_to_list(question: str, text: str, span: Span, limit: int) -> Span:
    """For "... apa saja?" questions, extend an item of an enumeration to the whole list."""
    if not _PLURAL_QUESTION.search(question):
        return span
    match = _LIST_TAIL.match(text[span.end : limit])
    if not match:
        return span
    return Span(span.start, span.end + len(match.group().rstrip()))


def clean_span(question: str, text: str, span: Span, sentence_end: int) -> Span:
    return trim(text, extend_to_list(question, text, trim(text, span), sentence_end))

"""Sentence boundaries and sentence-aware passages with offsets into the article body."""

from __future__ import annotations

import re
from collections.abc import Iterator

from bot.records import Article, Passage, Span

# Abbreviations after which a period does not end a sentence.
_ABBREVIATIONS = {
    "dr", "drs", "dra", "prof", "ir", "h", "hj", "kh", "st", "no", "jl", "jln", "tgl", "bpk", "sdr",
    "mr", "mrs", "ms", "jr", "sr", "vs", "dll", "dsb", "dst", "a.n", "u.p", "kab", "kec", "kel", "gen",
    "kol", "let", "mayjen", "brigjen", "kapt", "lt", "sgt", "rp", "inc", "ltd", "co", "corp", "pt",
}
_BOUNDARY = re.compile(r"[.!?…]+[\"”’')\]]*(?=\s+[\"“‘'(\[]?[A-Z0-9])|\n+")


def sentence_spans(text: str) -> list[Span]:
    """Offsets of the sentences of `text`; newlines always end a sentence."""
    spans, start = [], 0
    for match in _BOUNDARY.finditer(text):
        end = match.end() if match.group().strip() else match.start()
        if match.group().startswith("."):
            word = re.search(r"(\S+)$", text[start : match.start()])
            token = word.group(1).lower().lstrip("(\"“") if word else ""
            if token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha()):
                continue
        if text[start:end].strip():
            spans.append(_trimmed(text, start, end))
        start = match.end()
    if text[start:].strip():
        spans.append(_trimmed(text, start, len(text)))
    return spans


def _trimmed(text: str, start: int, end: int) -> Span:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end)


def sentence_at(text: str, position: int) -> Span:
    """The sentence of `text` that holds character `position`."""
    spans = sentence_spans(text)
    for span in spans:
        if span.start <= position < span.end:
            return span
    return min(spans, key=lambda s: abs(s.start - position)) if spans else Span(0, len(text))


def passages(article: Article, first_id: int, max_words: int = 90, overlap: int = 1) -> Iterator[Passage]:
    """Windows of whole sentences of at most `max_words` words, sharing `overlap` sentences."""
    spans = sentence_spans(article.body)
    words = [len(article.body[s.start : s.end].split()) for s in spans]
    i, n = 0, first_id
    while i < len(spans):
        j, total = i, 0
        while j < len(spans) and (j == i or total + words[j] <= max_words):
            total += words[j]
            j += 1
        start, end = spans[i].start, spans[j - 1].end
        yield Passage(n, article.id, start, end, article.body[start:end])
        n += 1
        if j >= len(spans):
            break
        i = max(i + 1, j - overlap)

"""Make extracted spans read well: no dangling punctuation, whole lists when lists are asked for."""

from __future__ import annotations

import re

from bot.records import Span

_EDGE = " \t\n,.;:!?-–—\"'“”‘’"
_LIST_TAIL = re.compile(r"^(?:\s*,\s*[^,.;:!?\n]{1,40}?)*\s*,?\s+(?:dan|serta|atau)\s+[^,.;:!?\n]{1,40}?(?=[,.;:!?\n]|$)")
_PLURAL_QUESTION = re.compile(r"\b(saja|siapa-siapa|apa-apa)\b", re.IGNORECASE)
_REASON_QUESTION = re.compile(r"\b(mengapa|kenapa|bagaimana|(apa|untuk apa) (alasan|sebab|tujuan|penyebab)|alasan(nya)?|"
                              r"untuk apa|apa yang menyebabkan)\b", re.IGNORECASE)
# A yes/no question as people chat it, read back by the normaliser ("gak" -> "tidak"): a tag at the
# end ("tetap buka tidak?", "sudah atau belum?", "bukan anggota NATO kan?"), or before what only
# sets the scene ("masih beroperasi tidak setelah Taliban masuk?"); "benar tidak"/"apa benar"
# before the claim; or "apa(kah)" before a claim with "sudah", "masih", ... ("apa taliban udh masuk
# kabul"). A bare "Apakah ..." asks "what" in FacQA, IDK-MRC and TyDi QA-ID (2,373 in their train sets).
_YES_NO_TAG = re.compile(r"\b(tidak|bukan|belum)\b(?=\s*(\?|$|,|(setelah|sebelum|sejak|saat|ketika|waktu|pas|"
                         r"sampai|hingga|selama|di|ke|dari|pada|dalam|untuk|soal|terkait|kata|menurut)\b))|\bkan\s*\??\s*$",
                         re.IGNORECASE)
_YES_NO_OPENING = re.compile(r"^\s*(?:(?:benar|betul|apa benar|apakah benar|apa iya|apa betul)\b"
                             r"|apa(?:kah)?\s+(?:(?!yang\b)\S+\s+){0,3}?(?:sudah|masih|akan|pernah|sempat|telah|"
                             r"sedang|tetap|jadi)\b)", re.IGNORECASE)
_WH_WORD = re.compile(r"\b((siapa|kapan|berapa|di ?mana|ke ?mana|dari ?mana|mengapa|kenapa|bagaimana)(kah)?|apa saja|"
                      r"untuk apa|apa yang|melakukan apa|yang mana)\b", re.IGNORECASE)
_CLAUSE_BREAK = re.compile(r"[,;:()\"“”]")
_REASON_MARKER = re.compile(r"\b(karena|sebab|akibat|lantaran|untuk|agar|supaya|guna|demi|dengan cara|sehingga)\b",
                            re.IGNORECASE)


def trim(text: str, span: Span) -> Span:
    """Strip spaces, quotes and punctuation from the edges; keep brackets that are balanced, but
    not a pair that holds the whole span."""
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
    inner = text[start:end]
    if len(inner) > 2 and inner[0] == "(" and inner[-1] == ")" and not set("()") & set(inner[1:-1]):
        start, end = start + 1, end - 1  # a span that is all one bracket: "(1/9/2021)" -> "1/9/2021"
    return Span(start, end) if end > start else span


def extend_to_list(question: str, text: str, span: Span, limit: int) -> Span:
    """For "... apa saja?" questions, extend an item of an enumeration to the whole list."""
    if not _PLURAL_QUESTION.search(question):
        return span
    match = _LIST_TAIL.match(text[span.end : limit])
    if not match:
        return span
    return Span(span.start, span.end + len(match.group().rstrip()))


def asks_why_or_how(question: str) -> bool:
    return bool(_REASON_QUESTION.search(question))


def asks_yes_or_no(question: str) -> bool:
    """Whether the question asks "yes or no?" ("kedubes rusia msh buka gak", "bener gak as kirim
    pasukan") rather than for a name, time, number, reason or manner."""
    if _WH_WORD.search(question):
        return False
    if _YES_NO_OPENING.search(question):
        return True
    return bool(_YES_NO_TAG.search(question)) and not re.search(r"\bapa(kah)?\b", question, re.IGNORECASE)


def answers_with_clause(question: str) -> bool:
    """Why, how and yes/no questions are answered with the clause of the article that says it."""
    return asks_why_or_how(question) or asks_yes_or_no(question)


def extend_to_clause(question: str, text: str, span: Span, sentence: Span) -> Span:
    """For why/how and yes/no questions, the whole clause of the sentence that holds the span.

    A reason or a manner is rarely a short phrase, and the answer to "yes or no?" is what the
    article says; the clause (between the commas or other breaks around the span, within its
    sentence; for why/how from "karena", "untuk", … when one comes before the span) reads as an
    answer where a fragment does not.
    """
    if not answers_with_clause(question):
        return span
    before = [m.end() for m in _CLAUSE_BREAK.finditer(text, sentence.start, span.start)]
    start = before[-1] if before else sentence.start
    markers = [m.start() for m in _REASON_MARKER.finditer(text, start, span.start + 1)] if asks_why_or_how(question) else []
    after = _CLAUSE_BREAK.search(text, span.end, sentence.end)
    return Span(markers[-1] if markers else start, after.start() if after else sentence.end)


def clean_span(question: str, text: str, span: Span, sentence: Span) -> Span:
    span = extend_to_list(question, text, trim(text, span), sentence.end)
    return trim(text, extend_to_clause(question, text, span, sentence))

"""Who wrote an article: the credit lines that cleaning puts at the end of its body, and the
questions that ask for them ("Siapa penulis berita tentang …?", "siapa editor berita …").

The reader was trained on questions about what articles say, not about who wrote them, and a
byline shares no words with the story, so these questions are answered from the credits of the
top-ranked article when that article holds the story the question names.

Outlets credit a writer ("Penulis: …", "Reporter: …", "Oleh: …") and often an editor ("Editor:
…"; iNews credits only its editor). Cleaning keeps one normalised line per role, the writer's
first: "Penulis: Tino Aditia." / "Editor: Anton Suhartono.".
"""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.records import Span

WRITER, EDITOR = "Penulis", "Editor"
# How outlets label each role in a credit line.
ROLE_LABELS = {"penulis": WRITER, "ditulis oleh": WRITER, "oleh": WRITER, "reporter": WRITER, "wartawan": WRITER,
               "editor": EDITOR, "redaktur": EDITOR, "penyunting": EDITOR}
_CREDIT = re.compile(rf"^(?P<role>{WRITER}|{EDITOR}): (?P<name>[^\n]+?)\.?$", re.MULTILINE)
_ARTICLE = r"(berita|artikel|tulisan)"  # not "laporan": stories quote reports and their writers
_EDITOR_WORDS = r"(editor|redaktur|penyunting)"
# About the article's writer or editor, not a journalist in the story ("Siapa wartawan yang ditahan?").
_AUTHOR_QUESTION = re.compile(
    rf"\b(penulis|wartawan|reporter|jurnalis|pewarta|{_EDITOR_WORDS})\s+{_ARTICLE}\b"
    rf"|\byang\s+(menulis|mengedit|menyunting)\s+{_ARTICLE}\b"
    rf"|\b{_ARTICLE}\b.*\b(ditulis|diedit|disunting)\s+oleh\s+siapa\b"
    rf"|^oleh\s+siapa\s+{_ARTICLE}\b.*\b(ditulis|diedit|disunting)\s*\?*$",  # as the bot reads "… ditulis oleh siapa"
    re.IGNORECASE,
)


def byline_line(name: str, role: str = WRITER) -> str:
    """The line cleaning appends to an article body that credits `name` in `role` (WRITER or EDITOR)."""
    return f"{role}: {name.strip().rstrip('.')}."


def credit_lines(credits: dict[str, str]) -> list[str]:
    """The body's closing lines for the credits found (label as the outlet wrote it -> name), one
    per role, the writer first."""
    by_role: dict[str, str] = {}
    for label, name in credits.items():
        role = ROLE_LABELS[label.lower()]
        if name.strip() and role not in by_role:
            by_role[role] = name
    return [byline_line(by_role[role], role) for role in (WRITER, EDITOR) if role in by_role]


def find_byline(body: str, role: str = WRITER) -> Span | None:
    """Where the name credited in `role` is in the body (the last such line). Asked for the writer
    of an article that credits only its editor (iNews), the editor; asked for the editor of one
    that credits only its writer, none."""
    matches = list(_CREDIT.finditer(body))
    for wanted in (role, EDITOR) if role == WRITER else (role,):
        found = [m for m in matches if m["role"] == wanted]
        if found:
            return Span(found[-1].start("name"), found[-1].end("name"))
    return None


def without_credits(body: str) -> str:
    """The body without its closing credit lines: the story alone."""
    return _CREDIT.sub("", body).rstrip("\n")


def asked_role(question: str) -> str:
    """EDITOR when an author question asks for the editor, else WRITER."""
    return EDITOR if re.search(rf"\b{_EDITOR_WORDS}\b|\b(mengedit|menyunting|diedit|disunting)\b", question, re.IGNORECASE) else WRITER


def asks_for_author(question: str) -> bool:
    return bool(_AUTHOR_QUESTION.search(question))


# Words of an author question that say nothing about which article it means.
_ASKING = ("siapa siapakah penulis wartawan reporter jurnalis pewarta editor redaktur penyunting menulis ditulis "
           "mengedit diedit menyunting disunting oleh berita artikel tulisan")
MIN_TOPIC_COVERAGE = 2 / 3  # one word in three may appear in another form (tawaran / menawarkan)


def covers_topic(question: str, body: str, analyzer: Callable[[str], list[str]], asking: str = _ASKING) -> bool:
    """Whether the article holds most of the words the question uses to say which story it means.

    An author question gives the reader nothing to be confident about, so this, not the
    reader's margin, decides whether the article is the one asked about. `asking`: the words
    that only say what is asked (who wrote it, where it was published).
    """
    topic = set(analyzer(question)) - set(analyzer(asking))
    return bool(topic) and len(topic & set(analyzer(body))) >= MIN_TOPIC_COVERAGE * len(topic)

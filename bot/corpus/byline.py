"""Who wrote an article: the byline line that cleaning puts at the end of its body, and the
questions that ask for it ("Siapa penulis berita tentang …?").

The reader was trained on questions about what articles say, not about who wrote them, and a
byline shares no words with the story, so these questions are answered from the byline of the
top-ranked article when that article holds the story the question names.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.records import Span

_PREFIX = "Penulis: "
_BYLINE = re.compile(rf"^{_PREFIX}(?P<name>[^\n]+?)\.?$", re.MULTILINE)
_ARTICLE = r"(berita|artikel|tulisan)"  # not "laporan": stories quote reports and their writers
# About the article's writer, not a journalist in the story ("Siapa wartawan yang ditahan?").
_AUTHOR_QUESTION = re.compile(
    rf"\b(penulis|wartawan|reporter|jurnalis|pewarta)\s+{_ARTICLE}\b"
    rf"|\byang\s+menulis\s+{_ARTICLE}\b"
    rf"|\b{_ARTICLE}\b.*\bditulis\s+oleh\s+siapa\b"
    rf"|^oleh\s+siapa\s+{_ARTICLE}\b.*\bditulis\s*\?*$",  # as the bot reads "… ditulis oleh siapa"
    re.IGNORECASE,
)


def byline_line(author: str) -> str:
    """The line cleaning appends to an article body that names its author."""
    return f"{_PREFIX}{author.strip().rstrip('.')}."


def find_byline(body: str) -> Span | None:
    """Where the author's name is in the body (its last byline), if the article names one."""
    matches = list(_BYLINE.finditer(body))
    return Span(matches[-1].start("name"), matches[-1].end("name")) if matches else None


def asks_for_author(question: str) -> bool:
    return bool(_AUTHOR_QUESTION.search(question))


# Words of an author question that say nothing about which article it means.
_ASKING = "siapa siapakah penulis wartawan reporter jurnalis pewarta menulis ditulis oleh berita artikel tulisan"
MIN_TOPIC_COVERAGE = 2 / 3  # one word in three may appear in another form (tawaran / menawarkan)


def covers_topic(question: str, body: str, analyzer: Callable[[str], list[str]], asking: str = _ASKING) -> bool:
    """Whether the article holds most of the words the question uses to say which story it means.

    An author question gives the reader nothing to be confident about, so this, not the
    reader's margin, decides whether the article is the one asked about. `asking`: the words
    that only say what is asked (who wrote it, where it was published).
    """
    topic = set(analyzer(question)) - set(analyzer(asking))
    return bool(topic) and len(topic & set(analyzer(body))) >= MIN_TOPIC_COVERAGE * len(topic)

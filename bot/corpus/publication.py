"""Where and when a story was published: questions about the article itself, not its content.

"situs apa yang memuat berita putin menawarkan pangkalan?" or "berita itu tayang tanggal
berapa?" ask for the outlet or the date the bot cites with every answer; no sentence of the
story says it, so the reader cannot find it. These questions are answered from the article's
record (`Article.source`, `Article.date`) of the top-ranked article, when that article holds the
story the question names (`covers_topic`, as for author questions). "berita itu ditulis dari kota
mana?" asks for the dateline the story opens with ("WASHINGTON, iNews.id - ...", "JAKARTA,
KOMPAS.com - ..."), which the reader, trained on undated paragraphs, does not know to look for:
`Article.dateline` where cleaning cut it from the body, else the body's opening.

Questions about a news agency the story quotes ("kantor berita apa yang melaporkan …") are
content questions and stay with the reader.
"""

from __future__ import annotations

import re

from bot.corpus.dates import indonesian_date
from bot.records import Article, Span

OUTLET, DATE, DATELINE = "outlet", "date", "dateline"

_STORY = r"(?:berita|artikel|tulisan)"
_OUTLET_WORD = r"(?:situs|media|portal|koran|surat kabar|website|web|outlet|laman)"
_PUBLISHED = (r"(?:memuat|muat|dimuat|menerbitkan|terbitkan|diterbitkan|memberitakan|menayangkan|ditayangkan|"
              r"mempublikasikan|dipublikasikan|merilis|dirilis|mengunggah|diunggah|tayang|terbit|keluar)")
_OUTLET_QUESTION = re.compile(
    rf"\b{_OUTLET_WORD}\b[^?]*?\b{_PUBLISHED}\s+{_STORY}\b"  # situs apa yang memuat berita …
    rf"|\b{_STORY}\b.*\b(?:dari|di|oleh)\s+{_OUTLET_WORD}\s+(?:apa|mana)\b"  # berita … dari situs apa
    rf"|\b{_STORY}\b.*\b{_PUBLISHED}\s+(?:di|oleh)\s+(?:mana|siapa|{_OUTLET_WORD}\s+apa)\b"  # berita … dimuat di mana
    rf"|^(?:di|oleh)\s+(?:mana|siapa)\b.*\b{_STORY}\b.*\b{_PUBLISHED}\s*\?*$",  # as the bot reads it: di mana berita … dimuat
    re.IGNORECASE,
)
_DATE_QUESTION = re.compile(
    rf"\b{_STORY}\b.*\b{_PUBLISHED}\b.*\b(?:kapan|tanggal|hari apa)\b"  # berita … tayang tanggal berapa
    rf"|\b(?:kapan|tanggal berapa)\b.*\b{_STORY}\b.*\b{_PUBLISHED}\b",  # kapan berita … diterbitkan
    re.IGNORECASE,
)
_WRITTEN = r"(?:ditulis|dilaporkan|dikirim|diliput|dibuat)"
_DATELINE_QUESTION = re.compile(
    rf"\b{_STORY}\b.*\b{_WRITTEN}\s+(?:dari|di)\s+(?:kota\s+)?(?:mana|apa)\b"  # berita … ditulis dari kota mana
    rf"|^(?:dari|di)\s+(?:kota\s+)?mana\b.*\b{_STORY}\b.*\b{_WRITTEN}\b",  # as the bot reads it: dari mana berita … ditulis
    re.IGNORECASE,
)
# A dateline: the place in capitals a story opens with, before the outlet ("JAKARTA, KOMPAS.com -",
# "WASHINGTON, iNews.id -", "MEDAN, KOMPAS.com Ketua ...") or a dash ("BANDUNG - ..."), or a place
# in any case before the outlet's web address ("Amerika Serikat, Kampartrapost.com –").
_PLACE_IN_CAPITALS = r"[A-Z][A-Z'.-]{2,}(?:\s+[A-Z][A-Z'.-]{2,}){0,2}"
_OUTLET_ADDRESS = r"[\w.-]+\.(?:com|id|net|co\.id)\b"
_DATELINE = re.compile(
    rf"^(?P<capitals>{_PLACE_IN_CAPITALS})(?:\s*,\s*(?:{_OUTLET_ADDRESS}|[A-Z]{{2,}}\b)|\s+[-–—]\s)"
    rf"|^(?P<place>[A-Z][\w'.-]+(?:\s+[A-Z][\w'.-]+){{0,2}}),\s*{_OUTLET_ADDRESS}\s*[-–—]",
    re.MULTILINE,
)
DATELINE_REACH = 600  # characters of the body a dateline may start in (after a headline, byline and caption)

# Words of such a question that say nothing about which story it means (for covers_topic).
ASKING = ("apa mana nama siapa kapan tanggal berapa hari situs media portal koran surat kabar website web outlet "
          "laman berita artikel tulisan memuat muat dimuat menerbitkan terbitkan diterbitkan memberitakan "
          "menayangkan ditayangkan mempublikasikan dipublikasikan merilis dirilis mengunggah diunggah tayang terbit "
          "keluar dari oleh ditulis dilaporkan dikirim diliput dibuat kota")


def publication_question(question: str) -> str | None:
    """OUTLET, DATE or DATELINE when the question asks where or when a story was published or
    where it was written, else None."""
    if _DATELINE_QUESTION.search(question):
        return DATELINE
    if _OUTLET_QUESTION.search(question):
        return OUTLET
    if _DATE_QUESTION.search(question):
        return DATE
    return None


def publication_line(article: Article, kind: str) -> tuple[str, Span] | None:
    """The line the answer is read from ("Kampartrapost.com · 12 Agustus 2021", or for a dateline
    the recorded dateline, else the article's body) and where in it the asked fact is; None when
    the article lacks it."""
    if kind == DATELINE:
        if article.dateline:  # cut from the body by cleaning
            place = _place_in(article.dateline)
            return (article.dateline, place) if place else None
        found = _DATELINE.search(article.body, 0, DATELINE_REACH)
        if found is None:
            return None
        group = "capitals" if found.group("capitals") else "place"
        return article.body, Span(found.start(group), found.end(group))
    source, published = article.source.strip(), indonesian_date(article.date)
    if kind == OUTLET and source:
        line = f"{source} · {published}" if published else source
        return line, Span(0, len(source))
    if kind == DATE and published:
        line = f"{source} · {published}" if source else published
        return line, Span(len(line) - len(published), len(line))
    return None


def _place_in(dateline: str) -> Span | None:
    """The first part of a recorded dateline that is no web address: "MOSKOW" of "jpnn.com, MOSKOW -"."""
    for part in re.finditer(r"[^,]+", dateline.rstrip(" -–—")):
        words = part[0].strip()
        if words and not re.search(_OUTLET_ADDRESS, words, re.IGNORECASE):
            start = part.start() + part[0].index(words)
            return Span(start, start + len(words))
    return None

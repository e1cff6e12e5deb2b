"""Turn a raw web capture of a news article into a clean Article.

A capture is the page's text: a title line, perhaps a date line, captions and photo
credits, a dateline ("WASHINGTON, iNews.id - ..."), the body, and site furniture (read-also
links, related headlines, menus, credits). The body keeps prose only, so that furniture
can never be retrieved or cited as an answer.
"""

from __future__ import annotations

import re

import ftfy

from bot.corpus.byline import ROLE_LABELS, credit_lines
from bot.corpus.dates import find_weekday_date, is_date_line, parse_date_line
from bot.records import Article

# Raised whenever cleaning changes what an article's text says or records (2: editor credits kept;
# 3: the dateline cut from the body recorded as Article.dateline), so that
# cached evaluation indexes are rebuilt (`bot/open_domain.py`). A served index keeps the articles
# as they were cleaned when added; `python -m bot index` re-cleans them.
CLEANING_VERSION = 3

# Lines that start the site furniture after the article: everything from here on is dropped.
_TAIL_MARKERS = re.compile(
    r"^(artikel terkait|berita terkait|berita terkini|berita lainnya|baca selanjutnya|"
    r"no comments?:?|tags?\s*:|topik\s*:|halaman\s*:|komentar|share this|bagikan|network|kanal)\b",
    re.IGNORECASE,
)
# Single lines of furniture inside the article.
_FURNITURE = re.compile(
    r"^(baca( juga)?\s*:|lihat juga\s*:|simak( juga)?\s*:|editor\s*:|reporter\s*:|redaktur\s*:|"  # credits _AUTHOR cannot read
    r"sumber\s*:|foto\s*:|logo$|advertisement$|iklan$|scroll to continue)|"
    r"^[-•·▪]\s|^©|\((foto|photo)\s*:|\b(foto|photo)\s*:\s*\w+\)?$|"
    r"\bvia (reuters|afp|antara|ap)\b|\b(reuters|afp|antara foto|ap photo)/|\bgambar diambil\b",
    re.IGNORECASE,
)
# "Penulis : Tino Aditia", "Editor : Anton Suhartono" — credits are kept, as normalised lines.
_AUTHOR = re.compile(rf"^(?P<label>{'|'.join(sorted(ROLE_LABELS, key=len, reverse=True))})\s*:\s*"
                     r"(?P<name>[^\n]{2,60})$", re.IGNORECASE)
# "WASHINGTON, iNews.id - ", "jpnn.com, MOSKOW - ", "Amerika Serikat, Kampartrapost.com – "
_DATELINE = re.compile(
    r"^(?P<head>[^\n!?]{2,60}?)\s[-–—]\s(?=\S)"
)
_OUTLET_TOKEN = re.compile(r"\b([A-Za-z][\w-]*\.(?:com|id|co\.id|net|org|co)(?:\.\w{2})?)\b", re.IGNORECASE)
_KNOWN_AGENCIES = ("TASS", "Reuters", "Antara", "AFP", "Associated Press", "AP", "Xinhua", "Bernama", "Sputnik")
_SENTENCE_END = re.compile(r"[.!?…\"”’']\s*$")


def _lines(text: str) -> list[str]:
    return [re.sub(r"\s+", " ", line).strip() for line in text.splitlines()]


def looks_like_prose(line: str) -> bool:
    """Prose ends like a sentence or runs long in sentence case; headlines and captions do not."""
    words = line.split()
    if _SENTENCE_END.search(line) and len(words) >= 5:
        return True
    if len(words) < 12:
        return False
    capitalised = sum(1 for w in words if w[:1].isupper())
    return capitalised / len(words) < 0.5


def split_dateline(paragraph: str) -> tuple[str | None, str]:
    """("iNews.id", rest) for "WASHINGTON, iNews.id - rest"; (None, paragraph) when there is none."""
    match = _DATELINE.match(paragraph)
    if not match:
        return None, paragraph
    head = match["head"]
    parts = [p.strip() for p in head.split(",")]
    if not (1 <= len(parts) <= 3) or any(len(p.split()) > 4 for p in parts):
        return None, paragraph
    outlet = next((m[1] for p in parts if (m := _OUTLET_TOKEN.search(p))), None)
    is_place = all(p.isupper() or p.istitle() or _OUTLET_TOKEN.search(p) for p in parts)
    if not is_place:
        return None, paragraph
    return outlet, paragraph[match.end():]


def opening_dateline(paragraph: str) -> tuple[str | None, str | None, str]:
    """(outlet, dateline, rest) for "WASHINGTON, iNews.id - rest": ("iNews.id", "WASHINGTON, iNews.id -",
    "rest"); (None, None, paragraph) when it opens with none."""
    outlet, rest = split_dateline(paragraph)
    return outlet, (paragraph[: len(paragraph) - len(rest)].strip() or None), rest


def find_agency(lines: list[str]) -> str | None:
    """An agency named in a photo credit ("©Sergei Ilyin/.../TASS")."""
    for line in lines:
        if line.startswith("©") or "foto:" in line.lower():
            for agency in _KNOWN_AGENCIES:
                if re.search(rf"\b{re.escape(agency)}\b", line):
                    return agency
    return None


def _title_from_lede(text: str, limit: int = 110) -> str:
    sentence = re.split(r"(?<=[.!?])\s", text, maxsplit=1)[0]
    return sentence if len(sentence) <= limit else sentence[: limit - 1].rsplit(" ", 1)[0] + "…"


def clean_capture(article_id: str, raw: str, url: str | None = None) -> Article:
    """Parse a raw page capture into an Article with title, outlet, ISO date and clean body."""
    lines = [line for line in _lines(ftfy.fix_text(raw))]
    lines = [line for line in lines if line]
    date = None
    title = None
    header_end = 0
    # Header: title, date lines, captions — everything before the first prose paragraph.
    for i, line in enumerate(lines):
        if looks_like_prose(line) and not _FURNITURE.search(line):
            header_end = i
            break
        if is_date_line(line):
            date = date or parse_date_line(line)
        elif title is None and not _FURNITURE.search(line) and len(line.split()) >= 3:
            title = line
    else:
        header_end = len(lines)
    header, rest = lines[:header_end], lines[header_end:]
    outlet, body_lines, credits, dateline = None, [], {}, None
    for line in rest:
        if _TAIL_MARKERS.match(line):
            break
        if match := _AUTHOR.match(line):
            credits[match["label"].lower()] = match["name"].strip()
            continue
        if is_date_line(line):
            date = date or parse_date_line(line)
            continue
        if _FURNITURE.search(line) or line == title or not looks_like_prose(line):
            continue
        if dateline is None and len(body_lines) < 3:
            outlet, dateline, line = opening_dateline(line)
        body_lines.append(line)
    body_lines = list(dict.fromkeys(body_lines))  # repeated paragraphs (page echoes) once
    body_lines += credit_lines(credits)
    body = "\n".join(body_lines)
    if date is None:
        date = find_weekday_date(body)
    return Article(
        id=article_id,
        title=title or _title_from_lede(body),
        source=outlet or find_agency(header + rest) or "",
        date=date,
        url=url,
        body=body,
        dateline=dateline,
    )


def clean_supplied(article_id: str, title: str, text: str, source: str, date: str | None, url: str | None,
                   author: str | None = None, dateline: str | None = None) -> Article:
    """An article whose metadata came with it (JSONL): repair the text and drop furniture lines."""
    kept: list[str] = []
    credits = {"penulis": author} if author and author.strip() else {}
    for line in _lines(ftfy.fix_text(text)):
        if match := _AUTHOR.match(line):
            credits.setdefault(match["label"].lower(), match["name"])
        elif line and not _FURNITURE.search(line) and not _TAIL_MARKERS.match(line):
            kept.append(line)
    kept += credit_lines(credits)
    iso = (parse_date_line(date) if date else None) or (date if date and re.fullmatch(r"\d{4}-\d{2}-\d{2}", date) else None)
    body = "\n".join(dict.fromkeys(kept))
    return Article(
        id=article_id,
        title=ftfy.fix_text(title).strip() or _title_from_lede(body),
        source=(source or "").strip(),
        date=iso,
        url=url if isinstance(url, str) and re.match(r"https?://\S+$", url.strip()) else None,
        body=body,
        dateline=dateline,
    )

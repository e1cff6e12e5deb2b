"""Find publication dates written the ways Indonesian news pages write them, as ISO dates."""

from __future__ import annotations

import re
from datetime import date, timedelta

MONTHS_ID = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
             "Oktober", "November", "Desember")


def indonesian_date(iso: str | None) -> str:
    """2021-08-12 -> "12 Agustus 2021" ("" when there is no date)."""
    if not iso:
        return ""
    try:
        d = date.fromisoformat(iso)
    except ValueError:
        return iso
    return f"{d.day} {MONTHS_ID[d.month - 1]} {d.year}"


MONTHS = {
    # Indonesian
    "januari": 1, "februari": 2, "maret": 3, "april": 4, "mei": 5, "juni": 6, "juli": 7,
    "agustus": 8, "september": 9, "oktober": 10, "november": 11, "desember": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "agu": 8, "agt": 8, "ags": 8,
    "sep": 9, "okt": 10, "nov": 11, "des": 12,
    # English
    "january": 1, "february": 2, "march": 3, "may": 5, "june": 6, "july": 7, "august": 8,
    "october": 10, "december": 12, "aug": 8, "oct": 10, "dec": 12,
}
WEEKDAYS_ID = "senin|selasa|rabu|kamis|jumat|jum'at|sabtu|minggu|ahad"
WEEKDAYS = WEEKDAYS_ID + "|monday|tuesday|wednesday|thursday|friday|saturday|sunday"

# "18 Juli 2021 15:15 WIB", "Tuesday, 6 July 2021", "6 July 2021"
_DAY_MONTH_YEAR = re.compile(r"\b(\d{1,2})\s+([A-Za-z]{3,9})\.?\s+(\d{4})\b")
# "July 6, 2021"
_MONTH_DAY_YEAR = re.compile(r"\b([A-Za-z]{3,9})\.?\s+(\d{1,2}),\s*(\d{4})\b")
# "Rabu (1/9/2021)", "Kamis *12/8/2021)" (a typo'd bracket), "Kamis, 12/08/2021"
_WEEKDAY_NUMERIC = re.compile(
    rf"\b(?:{WEEKDAYS})\s*[,(*]?\s*\(?\*?\s*(\d{{1,2}})[/.-](\d{{1,2}})[/.-](\d{{4}})\)?", re.IGNORECASE
)
# "2021-08-12"
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def _make(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def parse_date_line(line: str) -> str | None:
    """The ISO date of a line that states a date in words or ISO form, else None."""
    if match := _ISO.search(line):
        return _make(int(match[1]), int(match[2]), int(match[3]))
    if match := _DAY_MONTH_YEAR.search(line):
        month = MONTHS.get(match[2].lower())
        if month:
            return _make(int(match[3]), month, int(match[1]))
    if match := _MONTH_DAY_YEAR.search(line):
        month = MONTHS.get(match[1].lower())
        if month:
            return _make(int(match[3]), month, int(match[2]))
    return None


def find_weekday_date(text: str) -> str | None:
    """The first "Weekday (d/m/yyyy)" date in running text, as news datelines write it."""
    for match in _WEEKDAY_NUMERIC.finditer(text):
        if iso := _make(int(match[3]), int(match[2]), int(match[1])):
            return iso
    return None


def is_date_line(line: str) -> bool:
    """A line that is only a date (with weekday, time and zone): page furniture, not prose."""
    if parse_date_line(line) is None:
        return False
    rest = _DAY_MONTH_YEAR.sub("", _MONTH_DAY_YEAR.sub("", _ISO.sub("", line)))
    rest = re.sub(rf"(?i)\b(?:{WEEKDAYS})\b|\b\d{{1,2}}[:.]\d{{2}}\b|\b(?:WIB|WITA|WIT|GMT|UTC)\b|[,|\-–]", "", rest)
    return not rest.strip()


_NUMERIC_DAY = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})(?:/(\d{4}|\d{2}))?(?![\d/])")
_WEEKDAY_NUMBER = {"Senin": 0, "Selasa": 1, "Rabu": 2, "Kamis": 3, "Jumat": 4, "Jum'at": 4, "Sabtu": 5, "Minggu": 6,
                   "Ahad": 6}  # date.weekday() of each name
_NAMED_WEEKDAY = re.compile(rf"\b({'|'.join(_WEEKDAY_NUMBER)})\b")  # capitalised: "minggu" is a week


def names_weekday(text: str) -> bool:
    """Whether the text names a day of the week ("Senin", "hari Minggu"; not "dua minggu")."""
    return _NAMED_WEEKDAY.search(text) is not None
_AHEAD = re.compile(r"\b(depan|mendatang|besok)\b", re.IGNORECASE)
_OFFSETS = (("kemarin lusa", -2), ("kemarin", -1), ("hari ini", 0), ("besok", 1), ("lusa", 2))
_MONTH_NAMED = re.compile(r"\b(" + "|".join(m.lower() for m in MONTHS_ID) + r")\b", re.IGNORECASE)


def day_meant(expression: str, published: str | None) -> str | None:
    """The calendar day a time answer means, for an article published on `published` (ISO), in
    Indonesian ("Kamis lalu" in a story of Wednesday 1 September 2021 -> "26 Agustus 2021";
    "15/7" -> "15 Juli 2021"); None when it says no day or already names its month.

    News writes days relative to the day it is published: a weekday is the latest one on or
    before it ("lalu": before it; "depan"/"mendatang": after it), "kemarin" the day before.
    """
    if not published or _MONTH_NAMED.search(expression):
        return None
    try:
        base = date.fromisoformat(published)
    except ValueError:
        return None
    if match := _NUMERIC_DAY.search(expression):
        day, month, written = int(match[1]), int(match[2]), match[3]
        year = (int(written) + (2000 if len(written) == 2 else 0)) if written else base.year
        try:
            meant = date(year, month, day)
        except ValueError:
            return None
        if not written and meant > base + timedelta(days=31):
            meant = meant.replace(year=base.year - 1)  # "28/12" in a story of January
        return indonesian_date(meant.isoformat())
    if match := _NAMED_WEEKDAY.search(expression):
        wanted = _WEEKDAY_NUMBER[match[1]]
        if _AHEAD.search(expression[match.end():]):
            meant = base + timedelta(days=(wanted - base.weekday() - 1) % 7 + 1)
        else:
            back = (base.weekday() - wanted) % 7
            if back == 0 and re.search(r"\blalu\b", expression[match.end():], re.IGNORECASE):
                back = 7
            meant = base - timedelta(days=back)
        return indonesian_date(meant.isoformat())
    lower = expression.lower()
    for words, offset in _OFFSETS:
        if re.search(rf"\b{words}\b", lower):
            return indonesian_date((base + timedelta(days=offset)).isoformat())
    return None

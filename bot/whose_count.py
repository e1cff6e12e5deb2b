"""A count of one country's troops does not answer for another's.

Asked "brp tentara rusia yg ikut latihan di perbatasan afghanistan", a story that never gives
that number but says "lebih dari 1.000 tentara Afghanistan mundur ke Tajikistan" was answered
with the Afghan soldiers. When the question names whose soldiers, troops, citizens or aircraft
it counts ("tentara Rusia", "pasukan AS", "warga negara Jepang") and the span, or the words just
after it, counts soldiers, citizens or aircraft named after another country only ("1.000 tentara
Afghanistan"), the span answers another question. Only a country written right after the counted noun on both sides counts:
"berapa tentara yang mundur ke Tajikistan" names no owner, and "3.000 tentara ke Afghanistan"
names a destination.
"""

from __future__ import annotations

import re

from bot.language.countries import country_at
from bot.reader.answer_types import QUANTITY, expected_type

_COUNTED = re.compile(
    r"\b(?:tentara|pasukan|prajurit|personel|serdadu|militer|warga negara|warga|penduduk|diplomat|staf|pesawat"
    r"|kapal|tank|helikopter|jet)\s+", re.IGNORECASE)
AFTER_SPAN = 40  # characters after the span in which the counted noun and its country may still come


def owners(text: str) -> frozenset[str]:
    """The countries `text` writes right after a counted noun ("tentara Rusia" -> RU)."""
    return frozenset(code for m in _COUNTED.finditer(text) if (code := country_at(text, m.end())) is not None)


def counted_for_another_country(question: str, text: str, start: int, end: int) -> bool:
    """Whether the span text[start:end] counts another country's soldiers (or citizens, aircraft
    …) than the ones the quantity question asks about."""
    if expected_type(question) != QUANTITY:
        return False
    asked = owners(question)
    if not asked:
        return False
    counted = owners(text[start : end + AFTER_SPAN])
    return bool(counted) and not counted & asked

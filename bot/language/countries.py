"""Countries a question names, and whether an article mentions them.

A story about one country does not answer a question about another: asked "jepang ngirim brp
pasukan ke kabul", the bot must not answer with the troops the United States sent, from an
article that never mentions Japan. Country names come from the Unicode CLDR through Babel
(Indonesian and English names, so "Jepang" and "Japan", "Tiongkok" and "China"), with the
forms news writes besides them ("AS", "Inggris", "Korsel"). Indonesia is left out: domestic
news rarely names its own country.
"""

from __future__ import annotations

import re
from functools import lru_cache

from babel import Locale

HOME = "ID"
# Territories whose names are ordinary words or given names in Indonesian news ("jersey timnas",
# Michael Jordan, "Pulau Natal"), or too small to be asked about; supranational codes.
_LEFT_OUT = frozenset("""
    EU EZ UN QO AQ BV HM CP DG EA IC TA AC UM IO TF GS JE GG TD GE IM CX SX MF BL AX BQ CW PM SH TK NU NF PN WF YT
    RE MQ GP GF PF NC AS MP VI VG KY TC FK FO SJ CC
""".split())
# Forms news writes beside the CLDR names.
_ALSO = {
    "US": ("AS", "Amerika", "USA"), "GB": ("Inggris", "Britania Raya", "UK"), "CN": ("China", "Cina", "RRT", "RRC"),
    "KR": ("Korsel",), "KP": ("Korut",), "AF": ("Afghanistan",), "SA": ("Saudi",), "AE": ("UEA", "Emirat"),
    "MM": ("Myanmar", "Burma"), "CZ": ("Republik Ceko", "Cheska"), "PS": ("Palestina",), "TL": ("Timor Timur",),
    "CI": ("Pantai Gading",), "HK": ("Hong Kong",), "MO": ("Makau", "Macau"), "KG": ("Kyrgyzstan", "Kirgistan"),
    "TR": ("Turkey", "Turkiye"), "NL": ("Holland",), "VN": ("Viet Nam",), "PH": ("Philipina",),
}
_NOT_NAMES = {"JO": "Jordan"}
_REGION_AFTER = re.compile(r"\s+(latin|selatan|utara|tengah)\b", re.IGNORECASE)  # English names that are also people's names: the Indonesian one only


@lru_cache(maxsize=1)
def _country_forms() -> dict[str, tuple[str, ...]]:
    """ISO code -> the forms of its name (no brackets: "Myanmar (Burma)" -> "Myanmar")."""
    indonesian, english = Locale("id").territories, Locale("en").territories
    forms = {}
    for code, name in indonesian.items():
        if len(code) != 2 or not code.isalpha() or code in _LEFT_OUT or code == HOME:
            continue
        names = {name, english.get(code, name), *_ALSO.get(code, ())} - {_NOT_NAMES.get(code)}
        names = {re.sub(r"\s*\(.*?\)|\s+(DAK|SAR) .*$", "", n).strip() for n in names}
        forms[code] = tuple(sorted(n for n in names if len(n) > 1))
    return forms


def _as_written(name: str) -> bool:
    """All-capital short forms ("AS", "UK") match only as written; "as" is an ordinary word."""
    return name.isupper() and len(name) <= 4


def _pattern(names) -> re.Pattern:
    """One pattern for all `names`: short forms `_as_written`, others in any case."""
    capitals = sorted((n for n in names if _as_written(n)), key=len, reverse=True)
    words = sorted((n for n in names if not _as_written(n)), key=len, reverse=True)
    alternatives = [re.escape(n) for n in capitals] + ["(?i:" + re.escape(n) + ")" for n in words]
    return re.compile(r"(?<![\w-])(?:" + "|".join(alternatives) + r")(?![\w-])")


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern, dict[str, str], dict[str, re.Pattern]]:
    forms = _country_forms()
    owner = {}
    for code, names in forms.items():
        for name in names:
            owner.setdefault(name if _as_written(name) else name.lower(), code)
    every = _pattern([n for names in forms.values() for n in names])
    return every, owner, {code: _pattern(names) for code, names in forms.items()}


def countries_named(text: str) -> frozenset[str]:
    """The ISO codes of the countries `text` names (Indonesia never)."""
    return frozenset(code for match in _patterns()[0].finditer(text) if (code := _code_of(text, match)) is not None)


def is_country(text: str) -> bool:
    """Whether `text` is a country's name and nothing else ("Rusia", "AS"; not "Presiden Rusia")."""
    return _patterns()[0].fullmatch(text.strip(" .,")) is not None


def country_at(text: str, position: int) -> str | None:
    """The ISO code of the country whose name `text` writes at `position` (None: no country starts there)."""
    match = _patterns()[0].match(text, position)
    return _code_of(text, match) if match else None


def _code_of(text: str, match: re.Match) -> str | None:
    """The ISO code of the country name `match` found in `text`; None for "Amerika Latin" and the like."""
    name = match.group()
    if name.lower() == "amerika" and _REGION_AFTER.match(text, match.end()):
        return None
    owner = _patterns()[1]
    return owner.get(name) or owner.get(name.lower())


def mentions_country(text: str, code: str) -> bool:
    return _patterns()[2][code].search(text) is not None


def names_another_country(question: str, text: str) -> bool:
    """Whether the question names a country that `text` (an article's title and body) never
    mentions in any form: then the article is about something else."""
    return any(not mentions_country(text, code) for code in countries_named(question))

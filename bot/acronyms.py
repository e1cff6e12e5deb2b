"""What a short form stands for, as an article spells it out: "csto itu apaan" -> "Organisasi Pakta
Keamanan Kolektif", from "… Organisasi Pakta Keamanan Kolektif (CSTO), blok keamanan …".

News spells a short form out once, with the short form in brackets after the name. The reader was
unsure of such a question (asked "Apa CSTO itu?" it found the name with a margin of 3, and the
decision declined it), while the brackets say it plainly. So a question that only asks what a
short form is or stands for ("Apa CSTO itu?", "Apa itu CSTO?", "Apa kepanjangan dari BPS?") is
answered with the capitalised name written before "(CSTO)" in the best-ranked article that has one.
When no article spells it out, the reader answers as for any question.
"""

from __future__ import annotations

import re

_SHORT = r"(?P<short>[A-Z][A-Z0-9]+(?:[-+][A-Z0-9]+)*)(?!\w)"
_ASKS = re.compile(
    rf"^apa(?:kah)?\s+(?:itu\s+)?(?:(?:kepanjangan|singkatan|arti|nama lengkap)\s+(?:dari\s+)?)?{_SHORT}(?:\s+itu)?\s*\?$"
)
_NAME_WORD = r"[A-Z][\w'’.-]*"
_JOINING = r"(?:dan|untuk|di|dari|bagi|&|and|of|for|the)"  # English names too: "United Nations Office for Project Services"
MAX_WORDS = 8


def short_form_asked_about(question: str) -> str | None:
    """The short form a question asks the meaning of ("Apa CSTO itu?" -> "CSTO"), or None."""
    match = _ASKS.match(question[:1].lower() + question[1:])
    return match["short"] if match else None


def spelled_out(body: str, short: str) -> tuple[int, int] | None:
    """Where `body` spells `short` out: the run of capitalised words (joined by "dan", "untuk", …)
    right before "(short)", from the word where the initials best fit the short form ("Menurut
    Badan Pusat Statistik (BPS)" -> "Badan Pusat Statistik"), or None."""
    pattern = re.compile(rf"(?P<name>{_NAME_WORD}(?:\s+(?:{_JOINING}\s+)?{_NAME_WORD})+)\s*\({re.escape(short)}\)")
    letters = len(re.sub(r"[^A-Z]", "", short))
    for match in pattern.finditer(body):
        words = list(re.finditer(_NAME_WORD, match["name"]))
        if len(words) > MAX_WORDS:
            continue
        starts = [i for i, w in enumerate(words) if w.group()[0] == short[0]]
        # the capitalised words from there on, one per letter of the short form; else the first alike
        fitting = [i for i in starts if len(words) - i == letters] or starts[:1] or [0]
        start = match.start("name") + words[fitting[0]].start()
        end = match.end("name")
        if end - start > len(short):
            return start, end
    return None

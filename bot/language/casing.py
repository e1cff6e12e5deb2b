"""How the corpus writes its names, so that a question typed in lower case can be written the same.

People type "kpn biden ngasih perintah ke afganistan"; the reader and the retrieval encoder were
trained on questions that write "Biden" and "Taliban". `corpus_casing` learns, from the article
bodies themselves, the words they capitalise inside sentences (names, places, months, acronyms
such as "CSTO"); the question normaliser writes those words that way when a question has them
in lower case. Sentence starts say nothing about a word and are not counted; nor are headlines,
which capitalise every word.

corpus_casing(["Presiden Joe Biden bertemu Taliban.", "Kata Biden, Taliban menolak."])["taliban"] -> "Taliban"
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping

_WORD = r"[^\W_]+(?:-[^\W_]+)*"  # the normaliser's words: letters and digits, inner hyphens kept
_ANY = re.compile(_WORD)
_SENTENCE_START = re.compile(r"(?:^|[.!?:]\s+|\n)[\s\"'“‘(\[-]*(" + _WORD + ")", re.MULTILINE)
CAPITALISED_SHARE = 0.9  # of a word's occurrences inside sentences


def corpus_casing(bodies: Iterable[str]) -> dict[str, str]:
    """Lower-case word -> its usual capitalised form, for the words the texts write capitalised at
    least CAPITALISED_SHARE of the times they use them inside a sentence ("taliban" -> "Taliban",
    "isis-k" -> "ISIS-K"); "dulu", capitalised only where it starts a sentence, is not one."""
    forms: Counter[str] = Counter()
    for text in bodies:
        forms.update(_ANY.findall(text))
        forms.subtract(_SENTENCE_START.findall(text))
    inside: Counter[str] = Counter()
    capitalised: dict[str, Counter[str]] = defaultdict(Counter)
    for form, count in forms.items():
        if count > 0:
            inside[form.lower()] += count
            if form[0].isupper():
                capitalised[form.lower()][form] += count
    return {lower: written.most_common(1)[0][0] for lower, written in capitalised.items()
            if sum(written.values()) >= CAPITALISED_SHARE * inside[lower]}


def with_corpus_casing(question: str, casing: Mapping[str, str]) -> str:
    """The question with each lower-case word the corpus writes capitalised written that way
    ("Kapan biden ke kabul?" -> "Kapan Biden ke Kabul?"); other words are left as they are."""
    return _ANY.sub(lambda m: casing.get(m.group(), m.group()) if m.group().islower() else m.group(), question)

"""How the corpus writes its names, so that a question typed in lower case can be written the same.

People type "kpn biden ngasih perintah ke afganistan"; the reader and the retrieval encoder were
trained on questions that write "Biden" and "Taliban". `corpus_casing` (over `capitalised_forms`) learns, from the article
bodies themselves, the words they capitalise inside sentences (names, places, months, acronyms
such as "CSTO"); after normalising a question, the pipeline writes those words that way when the
question has them in lower case (`CorpusNames.written`). Sentence starts say nothing about a word
and are not counted; nor are headlines, which capitalise every word. A long lower-case word the
corpus never uses that is one typing slip away from exactly one of its names ("afganistan",
"badakshan") is taken for that name. A name of two words whose first or last word the corpus
also uses otherwise ("Mark Milley", "Ned Price": a large archive writes "mark" and "price" in
English and "NED" as an acronym) is written as the pair is (`corpus_phrases`).

corpus_casing(capitalised_forms(["Presiden Joe Biden bertemu Taliban.", "Kata Biden, Taliban menolak."]))["taliban"]
-> "Taliban"
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

from bot.language.informal import is_indonesian_word
from bot.language.informal_words import OFFICE_WORDS, RANKS

_WORD = r"[^\W_]+(?:-[^\W_]+)*"  # the normaliser's words: letters and digits, inner hyphens kept
_ANY = re.compile(_WORD)
_SENTENCE_START = re.compile(r"(?:^|[.!?:]\s+|\n)[\s\"'“‘(\[-]*(" + _WORD + ")", re.MULTILINE)
CAPITALISED_SHARE = 0.9  # of a word's occurrences inside sentences
MIN_SLIP_LENGTH = 7  # shorter words are too often another real name one letter away ("gambia", "zambia")


def capitalised_forms(bodies: Iterable[str]) -> dict[str, tuple[str, float]]:
    """Lower-case word -> its usual capitalised form and the share of the word's uses inside
    sentences that are capitalised, for every word the texts capitalise inside a sentence."""
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
    return {lower: (written.most_common(1)[0][0], sum(written.values()) / inside[lower])
            for lower, written in capitalised.items()}


def corpus_casing(forms: dict[str, tuple[str, float]]) -> dict[str, str]:
    """Lower-case word -> its usual capitalised form, for the words the texts (`capitalised_forms`)
    write capitalised at least CAPITALISED_SHARE of the times they use them inside a sentence
    ("taliban" -> "Taliban", "isis-k" -> "ISIS-K"); "dulu", capitalised only where it starts a
    sentence, is not one."""
    return {lower: form for lower, (form, share) in forms.items() if share >= CAPITALISED_SHARE}


_NAME_WORD = r"[A-Z][^\W_]*(?:-[^\W_]+)*"
# Two capitalised words in a row inside a sentence (not after a full stop, colon, quote or bracket,
# nor at a line's start); the second is only looked at, so "Jenderal Mark Milley" gives both pairs.
_PAIR = re.compile(rf"(?<=[^\s.!?:\"“‘(\[] )({_NAME_WORD}) (?=({_NAME_WORD})(?![\w-]))")
PHRASE_WORD_SHARE = 0.5  # an Indonesian word beside the name is capitalised at least this often on its own


def corpus_phrases(bodies: Iterable[str], forms: dict[str, tuple[str, float]]) -> dict[str, str]:
    """Two-word names of which one word is a name on its own (`corpus_casing`) and the other is
    no ordinary Indonesian word, or one capitalised more often than not: "mark milley" ->
    "Mark Milley" in an archive that also writes "mark" in English, "ned price" -> "Ned Price"
    where "NED" is an acronym. Titles are left out ("Presiden Biden": "presiden" stays as the
    question types it), and so are the Indonesian words the corpus mostly writes in lower case
    ("tim Ferrari", "desa Denge")."""
    pairs: dict[str, Counter[str]] = defaultdict(Counter)
    for text in bodies:
        for first, second in _PAIR.findall(text):
            pairs[f"{first} {second}".lower()][f"{first} {second}"] += 1
    out: dict[str, str] = {}
    for lower, written in pairs.items():
        shares = [forms.get(word, ("", 0.0))[1] for word in lower.split(" ")]
        named = [share >= CAPITALISED_SHARE for share in shares]
        if named[0] == named[1]:
            continue
        other, share = (lower.split(" ")[1], shares[1]) if named[0] else (lower.split(" ")[0], shares[0])
        if (other.isalpha() and other not in OFFICE_WORDS and other not in RANKS
                and (share >= PHRASE_WORD_SHARE or not is_indonesian_word(other))):
            out[lower] = written.most_common(1)[0][0]
    return out


@dataclass(frozen=True)
class CorpusNames:
    """The names of a corpus: how it writes them, and which one a misspelt word stands for."""

    casing: dict[str, str]  # "taliban" -> "Taliban"
    near: dict[str, tuple[str, ...]]  # a long name, and it with one letter left out -> the names
    phrases: dict[str, str] = field(default_factory=dict)  # "mark milley" -> "Mark Milley"

    @classmethod
    def learn(cls, bodies: Iterable[str]) -> CorpusNames:
        bodies = list(bodies)
        forms = capitalised_forms(bodies)
        casing = corpus_casing(forms)
        near: dict[str, list[str]] = defaultdict(list)
        for name in casing:
            if len(name) >= MIN_SLIP_LENGTH - 1 and name.isalpha():
                for key in dict.fromkeys([name, *_one_left_out(name)]):
                    near[key].append(name)
        return cls(casing, {k: tuple(v) for k, v in near.items()}, corpus_phrases(bodies, forms))

    def is_name(self, lower: str) -> bool:
        """Whether the corpus writes this lower-case word capitalised ("kabul" -> "Kabul")."""
        return lower in self.casing

    def written(self, question: str, lexicon: Collection[str] = frozenset()) -> str:
        """The question with each lower-case word the corpus writes capitalised written that way
        ("Kapan biden ke kabul?" -> "Kapan Biden ke Kabul?"), and each long lower-case word the
        corpus does not use (not in `lexicon`) that is one slip from exactly one of its names
        written as that name ("afganistan" -> "Afghanistan"); other words are left as they are."""

        question, phrased = self._with_phrases(question)

        def write(match: re.Match) -> str:
            word = match.group()
            if match.start() in phrased:
                return word  # written as its two-word name: "Ned Price", not "NED Price"
            if match.start() == 0 and word[1:] == word[1:].lower() and word.lower() in self.casing:
                return self.casing[word.lower()]  # capitalised only as the first word: "Csto itu apa?"
            if word != word.lower():
                return word  # written with capitals on purpose ("Christiaan" is not "Christian")
            meant = word if word in self.casing else self.misspelt(word, lexicon)
            return self.casing[meant] if meant else word

        return _ANY.sub(write, question)

    def _with_phrases(self, question: str) -> tuple[str, set[int]]:
        """The question with the two-word names of `phrases` that it types in lower case (its
        first word may carry the question's capital) written as the corpus writes them, and where
        the words so written start."""
        words = list(_ANY.finditer(question)) if self.phrases else []
        out, last, starts = [], 0, set()
        for first, second in zip(words, words[1:]):
            pair = question[first.start() : second.end()]
            typed_lower = pair[1:] == pair[1:].lower() and (first.start() == 0 or pair[0].islower())
            if first.start() >= last and typed_lower and pair.lower() in self.phrases:
                out += [question[last : first.start()], self.phrases[pair.lower()]]
                last = second.end()
                starts |= {first.start(), second.start()}
        return "".join(out) + question[last:], starts

    def misspelt(self, lower: str, lexicon: Collection[str]) -> str | None:
        """The one name of the corpus a word it does not use is one typing slip from (a letter
        left out, added, changed, or two swapped), or None."""
        if (len(lower) < MIN_SLIP_LENGTH or not lower.isalpha() or lower in lexicon or lower in self.casing
                or is_indonesian_word(lower)):
            return None
        found = {name for key in dict.fromkeys([lower, *_one_left_out(lower)]) for name in self.near.get(key, ())}
        found = {name for name in found if one_slip_apart(lower, name)}
        return found.pop() if len(found) == 1 else None


def _one_left_out(word: str) -> list[str]:
    return [word[:i] + word[i + 1 :] for i in range(len(word))]


def one_slip_apart(a: str, b: str) -> bool:
    """Whether a and b differ by one letter left out, added or changed, or two neighbours swapped."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) != len(b):
        short, long = sorted((a, b), key=len)
        return short in _one_left_out(long)
    diff = [i for i, (x, y) in enumerate(zip(a, b)) if x != y]
    return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]]
                              and a[diff[1]] == b[diff[0]])

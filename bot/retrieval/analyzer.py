"""The Indonesian analyzer used for both passages and questions (one function, both sides)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.retrieval.stemmer import CorpusStemmer

# Numbers keep their separators ("20.000", "1/9/2021", "15:15"); words keep inner hyphens.
_TOKEN = re.compile(r"\d+(?:[.,/:]\d+)+|[^\W_]+(?:-[^\W_]+)*")

STOP_WORDS = frozenset(
    """
    ada adalah agar akan akhirnya aku amat anda antara apa apakah apabila atas atau bagai bagaimana
    bagaimanakah bagi bahkan bahwa baik banyak beberapa begini begitu belum berapa berapakah bisa boleh
    bukan cukup dalam dan dapat dari daripada demikian dengan di dia dimana dimanakah engkau hal hampir
    hanya harus hingga ia ialah ini itu jadi jika juga kah kalau kami kamu kapan kapankah karena ke
    kemudian kenapa kepada ketika kini kita lagi lah lain lalu maka mana manakah masih maupun melainkan
    mengapa mereka meski meskipun mungkin nya oleh pada padahal para pernah pula pun saat saja sama
    sambil sampai sangat saya se sebagai sebelum sebuah secara sedang sedangkan sehingga sejak selain
    selama seorang seperti serta siapa siapakah suatu sudah supaya tak tanpa telah tentang tersebut
    tetapi tidak untuk walau walaupun yaitu yakni yang
    """.split()
)
STEMMING_MODES = ("none", "stem", "both")


def words(text: str) -> list[str]:
    """Lower-case tokens; a hyphenated word also yields its parts ("isis-k" -> isis-k, isis, k)."""
    out = []
    for token in _TOKEN.findall(text.lower()):
        out.append(token)
        if "-" in token:
            out.extend(p for p in dict.fromkeys(token.split("-")) if p)
    return out


class Analyzer:
    """Tokenise, drop stop words, and stem against the corpus lexicon.

    stemming: "none" keeps words as written, "stem" replaces them by their roots, "both" keeps
    the word and adds its root (an exact form still scores higher than a mere shared root).
    """

    def __init__(self, stemming: str = "both", lexicon: Iterable[str] = ()) -> None:
        if stemming not in STEMMING_MODES:
            raise ValueError(f"stemming must be one of {', '.join(STEMMING_MODES)}, not {stemming!r}")
        self.stemming = stemming
        self.stemmer = CorpusStemmer(lexicon) if stemming != "none" else None

    def root(self, word: str) -> str:
        """The root the analyzer adds for a lower-case word (the word itself when it has none)."""
        if self.stemmer is None or not word.isalpha():
            return word
        return self.stemmer(word)

    def __call__(self, text: str) -> list[str]:
        terms: list[str] = []
        for word in words(text):
            if word in STOP_WORDS:
                continue
            root = self.root(word)
            if self.stemming == "stem":
                terms.append(root)
            else:
                terms.append(word)
                if root != word:
                    terms.append(root)
        return terms

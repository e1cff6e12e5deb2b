"""Rewrite a formal training question the way people type it in Telegram (training augmentation).

The inverse of `bot.language.informal.normalize_question`, by rules: lower case, no question
mark, chat abbreviations (yang -> yg), Jakarta verb forms (mengirim -> ngirim), a particle now
and then. The reader then learns to read questions the normaliser did not fully repair.
Deterministic for a given random generator.
"""

from __future__ import annotations

import random
import re

# formal word -> its chat forms (the most common first)
ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "yang": ("yg",), "dengan": ("dgn",), "untuk": ("utk",), "dari": ("dr",), "dalam": ("dlm",),
    "pada": ("pd",), "tentang": ("ttg",), "sebagai": ("sbg",), "karena": ("krn", "karna"),
    "tahun": ("thn",), "tanggal": ("tgl",), "orang": ("org",), "sudah": ("udah", "sdh"),
    "belum": ("blm",), "tidak": ("gak", "ga", "nggak"), "juga": ("jg",), "saja": ("aja",),
    "berapa": ("brp", "berapa"), "bagaimana": ("gimana", "gmn"), "mengapa": ("kenapa", "knp"),
    "siapakah": ("siapa",), "apakah": ("apa",), "kapankah": ("kapan",), "berapakah": ("berapa", "brp"),
    "dimanakah": ("dimana",), "sekarang": ("skrg",), "banyak": ("byk",), "bulan": ("bln",),
    "tersebut": ("tsb", "itu"), "seperti": ("kayak",), "setelah": ("stlh", "abis"),
    "sebelum": ("sblm",), "juta": ("jt",), "ribu": ("rb",), "harus": ("hrs",), "masih": ("msh",),
}
PHRASES: dict[str, tuple[str, ...]] = {"di mana": ("dimana", "dmn"), "ke mana": ("kemana",), "dari mana": ("darimana",)}
PARTICLES = ("sih", "ya", "dong", "kak", "min")

_VOWELS = "aeiou"


def colloquial_verb(word: str) -> str | None:
    """mengirim -> ngirim, menyerang -> nyerang, mengebom -> ngebom; None when no rule fits."""
    if word.startswith("menge") and len(word) > 7:
        return "nge" + word[5:]
    if word.startswith("meny") and len(word) > 6:
        return "ny" + word[4:]
    if word.startswith("meng") and len(word) > 6 and word[4] in _VOWELS:
        return "ng" + word[4:]
    return None


def casual_question(question: str, rng: random.Random, strength: float = 0.6) -> str:
    """A casual rewrite; each rule applies to a word with probability `strength`."""
    text = question.strip().rstrip("?!. ").lower()
    for phrase, forms in PHRASES.items():
        pattern = rf"\b{phrase}\b"
        if re.search(pattern, text) and rng.random() < strength:
            text = re.sub(pattern, rng.choice(forms), text)
    words = []
    for word in text.split():
        bare = word.strip(",")
        tail = word[len(bare):]
        replacement = None
        if bare in ABBREVIATIONS and rng.random() < strength:
            replacement = rng.choice(ABBREVIATIONS[bare])
        elif rng.random() < strength:
            replacement = colloquial_verb(bare)
        words.append((replacement or bare) + tail)
    if words and rng.random() < strength / 3:
        words.append(rng.choice(PARTICLES))
    text = " ".join(words)
    return re.sub(r"\s+", " ", text).strip() or question

"""Rewrite an informal Indonesian question in the formal register that retrieval and the reader know.

normalize_question("brp org yg tewas dlm gempa cianjur") -> "Berapa orang yang tewas dalam gempa cianjur?"

First, what chat writes around the question is left out (`small_talk.question_part`: "halo min,
mau tanya dong", "makasih kak"). Then, word by word: chat abbreviations and colloquial words from a hand-written table
(`informal_words.SLANG`); particles dropped (sih, dong, deh, ..., "ya" at the end, "kok" asks
"mengapa" at the start); Jakarta verb forms (ng-/nge-/ny-/n-/m- prefixes, -in suffix) rebuilt
as meN- forms, but only when the root is a real word (Sastrawi's list of 29,900 Indonesian
roots, plus the corpus lexicon when the caller passes it); elongations repaired ("siapaaa");
shortened titles and bodies that news writes (mendagri, kapolri, AS) expanded with the short
form kept in brackets, so an article that writes "Mendagri" still matches. Capitalised words
after the first are names or acronyms and are left alone. The result starts with a capital
and ends with a question mark. A formal question comes out unchanged apart from those two.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from functools import lru_cache
from importlib.resources import files

from bot.language.informal_words import (
    AMERIKA_REGIONS,
    COMMON_WORDS,
    FINAL_PARTICLES,
    I_SUFFIX_ROOTS,
    NEGATED_WORDS,
    NEGATIONS,
    NEWS_SHORT_FORMS,
    PARTICLES,
    PLACE_SLANG,
    SLANG,
)
from bot.language.small_talk import question_part
from bot.retrieval.stemmer import candidate_roots

# Words (letters and digits, inner hyphens kept); the text between them is kept as written.
_SPLIT = re.compile(r"([^\W_]+(?:-[^\W_]+)*)")
_REDUPLICATED = re.compile(r"([a-z]{2,})2")  # "jgn2" -> "jangan-jangan", "kata2" -> "kata-kata"
_NUMBER_UNIT = re.compile(r"(\d+(?:[.,]\d+)?)(rb|ribu|jt|juta|miliar|triliun)")  # "3rb" -> "3 ribu"
_UNITS = {"rb": "ribu", "jt": "juta"}
# Elongation: a letter written three times or more, or a doubled final vowel ("siapaa").
_RUN = re.compile(r"([a-z])\1{2,}|([aiuo])\2$")
_VOWELS = frozenset("aiueo")
_SUFFIXES = ("nya", "lah", "kah")
_FORMAL_PREFIXES = ("se", "be", "te", "pe", "me", "ke", "di")


@lru_cache(maxsize=1)
def indonesian_roots() -> frozenset[str]:
    """Sastrawi's dictionary of Indonesian root words (MIT), read once."""
    text = (files("Sastrawi.Stemmer") / "data" / "kata-dasar.txt").read_text(encoding="utf-8")
    return frozenset(w for w in text.split() if w)


@lru_cache(maxsize=65536)
def is_indonesian_word(lower: str) -> bool:
    """Whether a lower-case word is ordinary Indonesian: a root of Sastrawi's dictionary, or
    one with affixes ("letaknya", "penyeberangan", "keadaan"), or a word written with a hyphen
    whose parts all are ("negara-negara", "buru-buru"). Names ("kirgizstan", "milley",
    "mazar-i-sharif") are not. The affixes are stripped by the retrieval stemmer's rules down to
    three-letter roots. Over 2,362 words of the team's questions and the news, Sastrawi's own
    stemmer (~45 ms a word, against microseconds) decided 7 otherwise: it takes "finalis" and
    "belajarlah" for words and so do not these rules, but it also takes the names "minas" and
    "minarak" for words, and these rules take "mesir" for one."""
    if "-" in lower:
        parts = [part for part in lower.split("-") if part]
        return bool(parts) and (lower in indonesian_roots() or all(is_indonesian_word(part) for part in parts))
    return lower.isalpha() and (lower in indonesian_roots() or lower in COMMON_WORDS
                                or any(root in indonesian_roots() for root in candidate_roots(lower, min_root=3)))


def normalize_question(text: str, lexicon: Collection[str] | None = None, *,
                       keep_short_forms: bool = True) -> str:
    """The question in formal Indonesian, capitalised, ending in "?".

    lexicon: the corpus's words (`PassageIndex.lexicon`); a colloquial verb is rebuilt only
    when its root is in Sastrawi's list or in the lexicon, and the lexicon breaks ties between
    candidate forms. keep_short_forms: put "(Mendagri)" after "Menteri Dalam Negeri".
    """
    text = " ".join(text.split())
    text = question_part(text) or text  # without "min, mau tanya dong" before it and "makasih" after it
    if not text:
        return text
    lexicon = lexicon or frozenset()
    pieces = _SPLIT.split(text)
    words = pieces[1::2]
    out: list[str] = []
    ending = len(words)  # where the closing particles begin ("... di mana ya kak")
    while ending and _is_particle(words[ending - 1].lower(), last=True):
        ending -= 1
    for i, word in enumerate(words):
        before, after = pieces[2 * i], pieces[2 * i + 2]
        next_word = words[i + 1].lower() if i + 1 < ending else None
        out.append(_rewrite_in_context(word, i == 0, next_word, after, out, before,
                                       lexicon, keep_short_forms))
    pieces[1::2] = out
    text = re.sub(r"\b[Ll]agi (?=(?:me|ber)[a-z]{3,})", "sedang ", "".join(pieces))  # "lg mikirin": going on now, not "again"
    return re.sub(r"\bbuat (apa|siapa)\?$", r"untuk \1?", _finish(text))  # "... buat apa": what for


def _rewrite_in_context(word: str, first: bool, next_word: str | None, after: str,
                        done: list[str], before: str, lexicon: Collection[str],
                        keep_short_forms: bool) -> str:
    lower = word.lower()
    last = next_word is None
    if lower in NEWS_SHORT_FORMS and (lower != "as" or word == "AS" or not word[0].isupper()):
        expansion = NEWS_SHORT_FORMS[lower]
        if _already_expanded(done, expansion) or before.endswith("("):
            return word
        return f"{expansion} ({word})" if keep_short_forms else expansion
    short, owner = lower[:-3], lower[-3:]
    if owner == "nya" and short in NEWS_SHORT_FORMS and short != "as":  # "wapresnya", "menlunya"
        expansion = NEWS_SHORT_FORMS[short] + owner
        return f"{expansion} ({word[:-3]})" if keep_short_forms else expansion
    if lower in PLACE_SLANG:
        return PLACE_SLANG[lower]
    if lower == "amerika" and next_word not in AMERIKA_REGIONS:
        return "Amerika Serikat"
    if not first and word[0].isupper():
        return word  # a name or an acronym
    if lower == "kok":
        return "mengapa" if first else ""
    if lower in ("ngapain", "ngapa") and (not first or next_word in ("aja", "saja")):
        return "melakukan apa"  # "mau ngapain", "ngapain aja" ask what, not why ("ngapain ke sana" asks why)
    if _is_particle(lower, last):
        return ""
    if lower in ("jangan", "jgn", "jngn") and not first and any(w.lower() in _ASKING_VERBS for w in done):
        return "untuk tidak"  # "minta negara barat jgn ngapain": asked not to; the reader missed "jangan" there
    if lower in ("lagi", "lg", "lgi") and next_word and next_word.startswith(("ng", "ny")):
        return "sedang"  # "lg ngapain", "lagi nyerang": going on now, not "again"
    if lower in ("sm", "ama", "sama") and next_word not in _SAME_AFTER:
        previous = done[-1].lower() if done else ""
        before_that = done[-2].lower() if len(done) > 1 else ""
        cooperation = lower == "sama" and previous in ("kerja", "bekerja")  # "kerja sama"
        doubled = previous == "sama" and before_that not in ("kerja", "bekerja")  # "sama sama"
        if not (cooperation or doubled):  # "kerja sama ama AS": with
            return "pada" if previous.startswith(("tergantung", "bergantung")) else "dengan"  # chat "sama" is "with"
    if lower == "cabut" and next_word in _LEAVING_AFTER:
        return "keluar" if next_word in ("dari", "dr", "dri") else "pergi"  # chat "cabut dr afghanistan": leave, not revoke
    if lower == "dr" and after.startswith("."):
        return word  # "dr." is a doctor's title
    match = _NUMBER_UNIT.fullmatch(lower)
    if match:
        return f"{match.group(1)} {_UNITS.get(match.group(2), match.group(2))}"
    match = _REDUPLICATED.fullmatch(lower)
    if match:
        base = rewrite_word(match.group(1), lexicon) or match.group(1)
        return f"{base}-{base}"
    return rewrite_word(lower, lexicon) or word


# Verbs of asking or warning after which "jangan" means "untuk tidak" (asked not to do something).
_ASKING_VERBS = frozenset("""minta meminta mintain memohon menyuruh nyuruh mengimbau ngimbau mendesak memperingatkan
    mengingatkan ngingetin berpesan menginstruksikan memerintahkan melarang ngelarang""".split())
_LEAVING_AFTER = ("dari", "dr", "dri", "ke", "kemana", "kmn")
_SAME_AFTER = ("dengan", "dgn", "sekali", "saja", "aja", "sama", "halnya", "seperti")  # "sama dengan": the same as


def _is_particle(lower: str, last: bool) -> bool:
    """sih, dong, … (also elongated: "sihh", "dongg"); ya/ok only at the end."""
    particles = PARTICLES | FINAL_PARTICLES if last else PARTICLES
    return lower in particles or re.sub(r"(.)\1+", r"\1", lower) in particles


def _already_expanded(done: list[str], expansion: str) -> bool:
    """True when the words just written are the expansion ("Amerika Serikat (AS)" stays)."""
    wanted = _SPLIT.findall(expansion.lower())
    written = _SPLIT.findall(" ".join(w for w in done if w).lower())
    return written[-len(wanted):] == wanted


def rewrite_word(lower: str, lexicon: Collection[str] = frozenset()) -> str | None:
    """The formal form of one lower-case word, or None to keep it as written."""
    negated = _negated(lower)
    if negated is not None:
        return negated
    found = _lookup(lower, lexicon)
    if found is not None:
        return found
    if lower in indonesian_roots() or lower in lexicon:
        return None
    if not _RUN.search(lower):
        return with_first_vowel(lower)
    for candidate in _shortened(lower):  # "siapaaa" -> "siapa", "brpaaa" -> "brpa" -> "berapa"
        found = _lookup(candidate, lexicon)
        if found is not None:
            return found
        if candidate in indonesian_roots() or candidate in lexicon:
            return candidate
    return None


def with_first_vowel(lower: str) -> str | None:
    """A word typed without the "e" after its first letter, written out: "smua" -> "semua",
    "trakhir" -> "terakhir", "mninggal" -> "meninggal", "pmerintah" -> "pemerintah". Only a word
    that is no Indonesian word itself and becomes one whose root (four letters or more, or the
    whole word) is in Sastrawi's list."""
    if len(lower) < 4 or not lower.isalpha() or lower[0] in _VOWELS or lower[1] in _VOWELS or is_indonesian_word(lower):
        return None
    written = lower[0] + "e" + lower[1:]
    roots = indonesian_roots()
    return written if any(root in roots for root in candidate_roots(written, min_root=4)) else None


def _negated(lower: str) -> str | None:
    """"gamau" -> "tidak mau", "gakbisa" -> "tidak bisa": a negation glued to a word of NEGATED_WORDS."""
    if lower in indonesian_roots():
        return None
    for negation in NEGATIONS:
        rest = lower[len(negation):]
        if lower.startswith(negation) and rest in NEGATED_WORDS:
            return "tidak " + SLANG.get(rest, rest)
    return None


def _lookup(lower: str, lexicon: Collection[str]) -> str | None:
    if lower in SLANG:
        return SLANG[lower]
    for suffix in _SUFFIXES:  # "tglnya" -> "tanggalnya", "diadainnya" -> "diadakannya"
        if not lower.endswith(suffix):
            continue
        base = lower[: -len(suffix)]
        if base in SLANG and " " not in SLANG[base]:
            return SLANG[base] + suffix
        if len(base) > 4 and lower not in lexicon and (verb := formal_verb(base, lexicon)):
            return verb + suffix
    return formal_verb(lower, lexicon)


def _shortened(word: str) -> list[str]:
    """Each run of a repeated letter cut to one or two letters, shortest first."""
    runs = [m.span() for m in _RUN.finditer(word)][:3]
    candidates = {word}
    for start, end in reversed(runs):
        candidates = {c[:start] + word[start] * keep + c[end:] for c in candidates
                      for keep in (1, 2)}
    return sorted(candidates - {word}, key=lambda c: (len(c), c))


def formal_verb(word: str, lexicon: Collection[str] = frozenset()) -> str | None:
    """Rebuild a Jakarta colloquial verb as its formal form, if the root is a real word.

    ngirim -> mengirim, nyerang -> menyerang, ngecek -> mengecek, nanyain -> menanyakan,
    dikirimin -> dikirimi, naikin -> menaikkan. With a corpus lexicon, a word the corpus
    uses as written is rewritten only when the corpus also has the formal form (names).
    """
    if word in indonesian_roots():
        return None  # nyata, ngeri, nyaman
    candidates = list(_verb_candidates(word, lexicon))
    if not candidates:
        return None
    in_corpus = [form for form in candidates if form in lexicon]
    if word in lexicon and not in_corpus:
        return None
    return (in_corpus or candidates)[0]


def _verb_candidates(word: str, lexicon: Collection[str]):
    stem, has_in = (word[:-2], True) if word.endswith("in") and len(word) > 5 else (word, False)
    if has_in and stem.startswith("di") and len(stem) > 4:
        if word[2:] in indonesian_roots():
            return  # didesain, dijamin: the root itself ends in -in
        for root in _real_roots([stem[2:]], lexicon):
            yield from ("di" + root + s for s in _in_suffixes(root))
        if stem.startswith("diper"):  # dipertahanin -> dipertahankan
            for root in _real_roots([stem[5:]], lexicon):
                yield from ("diper" + root + s for s in _in_suffixes(root))
        return
    roots = _colloquial_roots(stem)
    if has_in and sum(ch in _VOWELS for ch in stem) >= 2 and not stem.startswith(_FORMAL_PREFIXES):
        roots.append(stem)  # naikin -> naik (not semakin, bermain, pendingin)
    for root in _real_roots(roots, lexicon):
        verb = _men(root)
        if has_in:
            yield from (verb + s for s in _in_suffixes(root))
        else:
            yield verb


def _colloquial_roots(stem: str) -> list[str]:
    """Roots a colloquial prefixed form may stand for (unchecked)."""
    rest = stem[2:]
    if stem.startswith("ng") and len(rest) >= 2:
        roots = [rest, "k" + rest] if rest[0] in _VOWELS else [rest] if rest[0] in "gh" else []
        if stem.startswith("nge") and len(rest) >= 3:
            roots.append(rest[1:])  # ngecek -> cek, ngebahas -> bahas
        return roots
    if stem.startswith("ny") and len(rest) >= 2 and rest[0] in _VOWELS:
        return ["s" + rest, "c" + rest]  # nyerang -> serang, nyoblos -> coblos
    if len(stem) >= 5 and stem[0] == "n" and stem[1] in _VOWELS:
        return ["t" + stem[1:]]  # nolak -> tolak (m- for p- is too often a name: table)
    return []


def _real_roots(roots: list[str], lexicon: Collection[str]) -> list[str]:
    """The roots (or their spoken -e- variant: tangkep -> tangkap) that are real words."""
    known = indonesian_roots()
    found = []
    for root in roots:
        for form in (root, re.sub(r"e([^aiueo]+)$", r"a\1", root)):
            if (form in known or form in lexicon) and form not in found:
                found.append(form)
    return found


def _in_suffixes(root: str) -> tuple[str, str]:
    return ("i", "kan") if root in I_SUFFIX_ROOTS else ("kan", "i")


def _men(root: str) -> str:
    """The meN- form of a root (the nasal assimilates; k, p, s, t drop before a vowel)."""
    first, second = root[0], root[1:2]
    if sum(ch in _VOWELS for ch in root) == 1:
        return "menge" + root  # cek -> mengecek
    if first in _VOWELS or first in "gh":
        return "meng" + root
    if first == "k":
        return "meng" + (root[1:] if second in _VOWELS else root)
    if first == "s":
        return ("meny" + root[1:]) if second in _VOWELS else "men" + root
    if first == "p":
        return "mem" + (root[1:] if second in _VOWELS else root)
    if first in "bfv":
        return "mem" + root
    if first == "t":
        return "men" + (root[1:] if second in _VOWELS else root)
    if first in "cdjz":
        return "men" + root
    return "me" + root


def _finish(text: str) -> str:
    text = re.sub(r"[?!]{2,}", lambda m: "?" if "?" in m.group() else "!", text)
    text = re.sub(r"\s+([?!.,;:)])", r"\1", text)
    text = re.sub(r"\(\s*\)", "", text)
    text = " ".join(text.split()).strip(" .!,;:~-")
    if not any(ch.isalnum() for ch in text):
        return ""
    if not text.endswith("?"):
        text += "?"
    return text[0].upper() + text[1:]

"""The office a passage gives the person it names, against the office the question asks about.

Asked "Siapa Menteri Luar Negeri Rusia?", a passage that writes "Menteri Pertahanan Rusia
Sergei Shoigu" gives the reader a confident, well-typed and wrong answer: a person named right
beside the question's words. News writes a person's office just before the name ("Presiden AS
Joe Biden", "juru bicara Departemen Luar Negeri, Ned Price"), so the bot reads that title and
does not answer with a person whom the passage calls something other than what was asked.

Only a plain disagreement counts: the question's title has a word the passage's title lacks,
and the passage's title has a capitalised word the question lacks. News also writes where a
person is from after the name ("Shavkat Mirziyoyev dari Uzbekistan dan Kassym-Jomart Tokayev dari
Kazakhstan"): asked for the president of Uzbekistan, the person the passage places in another
country is no answer, and the one it places in Uzbekistan is not ruled out by a looser title
before the name ("pemimpin Asia Tengah"). A name its passage writes
without a title is looked up where its article gives it one; a shorter title ("Presiden Joe
Biden" for "Presiden AS"), a rank, or no title anywhere says nothing against the answer.
"""

from __future__ import annotations

import re

from bot.corpus.sentences import sentence_spans
from bot.language.casing import one_slip_apart
from bot.language.countries import is_country
from bot.language.informal import is_indonesian_word
from bot.language.informal_words import NEWS_SHORT_FORMS, OFFICE_WORDS, RANKS
from bot.reader.answer_types import PERSON, expected_type

# Lower-case words that stay inside a title written in capitals ("Menteri Luar negeri").
_INSIDE = frozenset({"luar", "dalam", "negeri", "besar", "bicara"})
_JOINS = ("dan", "serta")
_WHERE = ("di", "untuk", "bidang", "urusan")  # inside an office: "Duta Besar Rusia di Afghanistan"
_WORD = re.compile(r"[^\W\d_][\w-]*")
_WORD_OR_MARK = re.compile(r"[^\W\d_][\w-]*|[^\w\s]")


def asked_office(question: str) -> list[str]:
    """The question's title phrase: its first office word and the office and capitalised words
    after it ("Siapa Menteri Pertahanan AS yang ..." -> Menteri Pertahanan AS), without the
    short forms normalisation keeps in brackets."""
    tokens = _WORD.findall(re.sub(r"\s*\([^()]*\)", "", question))
    for i, token in enumerate(tokens):
        if is_office_word(token):
            end = i + 1
            while end < len(tokens) and (is_office_word(tokens[end]) or tokens[end][0].isupper()):
                end += 1
            return tokens[i:end]
    return []


def given_title(text: str, start: int, end: int | None = None) -> list[str]:
    """The capitalised and office words written right before offset `start` in its sentence
    ("... kepada Presiden AS Joe Biden" -> Presiden AS), past one appositive comma; with the span's
    `end`, also those the span itself opens with, all but its last two words (the name): a span
    "Koordinator Kemaritiman Rizal Ramli" after "Menteri" -> Menteri Koordinator Kemaritiman."""
    title = [m.group() for m in _title_before(text, start)]
    if end is not None:
        for token in _WORD_OR_MARK.findall(text[start:end])[:-2]:
            if not _in_title(token):
                break
            title.append(token)
    return title


def _title_before(text: str, start: int) -> list[re.Match]:
    """The words of `given_title` before `start`, as matches of `text` (their offsets)."""
    sentence = next((s for s in sentence_spans(text) if s.start <= start < s.end), None)
    before = list(_WORD_OR_MARK.finditer(text, sentence.start if sentence else 0, start))
    if before and before[-1].group() == ",":
        before.pop()
    title: list[re.Match] = []
    for i in range(len(before) - 1, -1, -1):
        token = before[i]
        if token.group() in _JOINS:  # "Menteri Kelautan dan Perikanan Susi Pudjiastuti"
            if not title or _holds_office([t.group() for t in title]):
                break  # "Budi dan Ani"; "Presiden Joko Widodo dan Menteri ... X": another's office
            title.append(token)
            continue
        if token.group() in _WHERE and title and i > 0 and before[i - 1].group()[0].isupper():
            title.append(token)  # "Wakil Khusus Presiden Rusia Vladimir Putin di Afghanistan, Zamir Kabulov"
            continue
        if not _in_title(token.group()):
            break
        title.append(token)
    title.reverse()
    where = [i for i, t in enumerate(title) if t.group() in _WHERE]
    if where and not _holds_office([t.group() for t in title[: where[0]]]):
        title = title[where[-1] + 1 :]  # no office before "di": the place is no part of a title
    while joins := [i for i, t in enumerate(title) if t.group() in _JOINS]:  # one office's fields, joined
        if _holds_office([t.group() for t in title[: joins[-1]]]):
            break
        title = title[joins[-1] + 1 :]
    while title and title[0].group() in _INSIDE:  # "di dalam Joe Biden": no title
        title.pop(0)
    return title


_NAME = r"(?P<name>[A-Z][\w'.-]*(?:\s+[A-Z][\w'.-]*){0,3})"
_WHO_IS = [re.compile(pattern) for pattern in (
    rf"^Siapa(?:kah)?\s+(?:itu\s+)?{_NAME}(?:\s+(?:itu|ini|tersebut))?\?$",  # Siapa Ned Price?
    rf"^Apa(?:kah)?\s+jabatan\s+{_NAME}\?$",  # Apa jabatan Milley?
    rf"^Apa\s+{_NAME}\s+(?:itu\s+)?jabatannya\?$",  # "milley (itu) jabatannya apa", as word order reads it
    rf"^{_NAME}\s+(?:itu\s+)?(?i:(?:{'|'.join(sorted(OFFICE_WORDS))})\s+){{1,3}}(?:negara\s+)?(?:mana|apa)\?$",  # … presiden mana?
)]


# After a name: more title words and an appositive comma before another name, whose office the
# words before the first name were.
_OF_ANOTHER = re.compile(r"(?:\s+(?:di|dari|untuk|bidang|urusan)(?:\s+[A-Z][\w-]*)+)*\s*,\s*[A-Z][\w-]*\s+[A-Z]")


# A given name right before a surname ("Zamir " before "Kabulov").
_GIVEN_NAME = re.compile(r"(?<![\w-])[A-Z][\w'-]*\s+$")


# Right after a name: where the person is from ("Kassym-Jomart Tokayev dari Kazakhstan").
_ORIGIN = re.compile(r"\s+dari\s+(?P<place>[A-Z][\w-]*(?:\s+[A-Z][\w-]*)*)")


def placed(question: str, office: list[str], text: str, end: int) -> bool | None:
    """Where the text says the person ending at `end` is from, against the place the question's
    `office` (`asked_office`) names: True when it is that place ("Shavkat Mirziyoyev dari
    Uzbekistan" for "presiden Uzbekistan"), False when it is a place the question does not name
    while the text places someone else in the asked one, None when the text says neither."""
    origin = _ORIGIN.match(text, end)
    if origin is None:
        return None
    asked_places = {w.lower() for w in _expanded(office[1:]) if w[0].isupper()}
    place = origin.group("place").lower()
    if place in asked_places:
        return True
    places_given = {m.group("place").lower() for m in _ORIGIN.finditer(text)}
    return False if place not in _question_words(question) and asked_places & places_given else None


def person_asked_about(question: str) -> str | None:
    """The name a "who is X?" question asks about ("Siapa Ned Price?", "Apa jabatan Ned Price?",
    "Ned Price menteri mana?" -> "Ned Price"; not "Siapa Presiden Rusia?" or "Siapa Manajer Tim
    Persija?", which ask for a person)."""
    found = next((m for m in (pattern.match(question.strip()) for pattern in _WHO_IS) if m), None)
    if found is None:
        return None
    words = [w.lower() for w in found.group("name").split()]
    if any(w in OFFICE_WORDS or w in RANKS for w in words) or all(is_indonesian_word(w) for w in words):
        return None  # "Siapa Manajer Tim Persija?" asks for a person; "Mark Milley" is a name ("mark" a root)
    return found.group("name")


def office_of(text: str, name: str) -> tuple[int, int] | None:
    """Where `text` names the person `name` with the office it gives them, from the office's first
    word to the end of the name ("juru bicara Departemen Luar Negeri, Ned Price"; "Menteri Pertahanan
    Rusia Sergei Shoigu" for "Shoigu"), or None when it never writes them with an office."""
    for found in re.finditer(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text):
        if _OF_ANOTHER.match(text, found.end()):
            continue  # "Wakil Khusus Presiden Rusia Vladimir Putin di Afghanistan, Zamir Kabulov": Kabulov's office
        starts = [found.start()]
        given = _GIVEN_NAME.search(text, max(0, found.start() - 30), found.start())  # "Zamir " before "Kabulov"
        first_name = given.group().strip() if given else ""
        if first_name and " " not in name and not _holds_office([first_name]) and first_name.lower() not in RANKS:
            starts.append(given.start())
        for start in starts:
            title = _title_before(text, start)
            first = next((i for i, m in enumerate(title) if _holds_office([m.group()])), None)  # "Kapolri" too
            if first is not None:
                return title[first].start(), found.end()
    return None


def _in_title(token: str) -> bool:
    return token[0].isupper() or is_office_word(token) or token in _INSIDE


_LONG_OFFICE_WORDS = tuple(w for w in OFFICE_WORDS if len(w) >= 6)


def is_office_word(token: str) -> bool:
    return token.lower() in OFFICE_WORDS or _misspelt_office(token) is not None


def _misspelt_office(token: str) -> str | None:
    """The office word a long, capitalised token that is no Indonesian word misspells by one typing
    slip ("Preisden Joe Biden", as a seed article writes it; not "Kepada" or "Memimpin")."""
    lower = token.lower()
    if len(lower) < 6 or not token[0].isupper() or lower in OFFICE_WORDS or is_indonesian_word(lower):
        return None
    return next((w for w in _LONG_OFFICE_WORDS if one_slip_apart(lower, w)), None)


def _expanded(words: list[str]) -> list[str]:
    """Short forms written out ("AS" -> Amerika Serikat, "Menlu" -> Menteri Luar Negeri), misspelt
    offices spelt right ("Preisden" -> Presiden)."""
    out = []
    for word in words:
        spelt = _misspelt_office(word)
        word = spelt.capitalize() if spelt else word
        expansion = NEWS_SHORT_FORMS.get(word.lower())
        out.extend(_WORD.findall(expansion) if expansion and word[0].isupper() else [word])
    return out


def titled_as_another(question: str, text: str, start: int, end: int, article: str | None = None) -> bool:
    """Whether a "siapa" question asking for an office gets a person (the span [start, end) of
    `text`) whom the text gives a different title.

    With the `article` the text comes from, a name written there without an office is looked up
    where the article writes it with one (a story that says "Presiden AS Joe Biden" early on and
    "kepada Joe Biden" later): the person is no answer when every office it gives them disagrees.
    """
    if expected_type(question) != PERSON:
        return False
    office = asked_office(question)
    if not office:
        return False
    if (origin := placed(question, office, text, end)) is not None:
        return not origin
    asked = [w.lower() for w in office]
    titles = [given_title(text, start, end)]
    untitled = not _holds_office(titles[0])
    if untitled and (role := appositive_title(text, end)):
        # "X, seorang anggota parlemen dari Badakhshan": any role, unless the question describes them
        # by it too ("Siapa ekonom Universitas Michigan yang ...": "X, seorang ekonom dari ... Michigan")
        said = {w.lower() for w in role if len(w) > 3} & _question_words(question)
        return not said and _disagree(question, asked, role)
    name = text[start:end].strip()
    if article is not None and untitled and len(name) > 3:
        titles = [given_title(article, m.start(), m.end()) for m in re.finditer(re.escape(name), article)]
    titles = [t for t in titles if _holds_office(t)]
    return bool(titles) and all(_disagree(question, asked, title) for title in titles)


_NAME_GOES_ON = re.compile(r"[ \t]+[A-Z]")


def titled_as_asked(question: str, text: str, start: int, end: int) -> bool:
    """Whether the text writes the office a "siapa" question asks for right before the person
    [start, end): "Menteri Pertahanan Lloyd Austin" for "Siapa Menteri Pertahanan?" (not for
    "Siapa Menteri Pertahanan Jepang?": the text does not say whose)."""
    office = asked_office(question)
    if expected_type(question) != PERSON or not office:
        return False
    start += len(text[start:end]) - len(text[start:end].lstrip())  # the reader's spans may open with a space
    end -= len(text[start:end]) - len(text[start:end].rstrip())
    name = _WORD.findall(text[start:end])
    whole = ((start == 0 or not text[start - 1].isalnum())
             and not (text[end : end + 1].isalnum() or _NAME_GOES_ON.match(text, end)))
    if not whole or not 1 <= len(name) <= 4 or not all(
            w[0].isupper() and not is_office_word(w) and not is_country(w) for w in name):
        return False  # a whole name: not "Rusia Vladimir" (Putin), "Departemen" (Luar Negeri) nor "Pertahan"
    title = [w.lower() for w in _expanded(given_title(text, start))]
    heads = [w for w in title if is_office_word(w)]
    # The same head ("menteri" for "menteri"), not an office that only mentions it ("Wakil Khusus
    # Presiden Rusia ... di Afghanistan" is no answer to "Siapa Presiden Afghanistan?"), and every
    # word of the office, its country too: an Indonesian story writes its own minister "Menteri
    # Pertahanan Ryamizard Ryacudu", no answer to "Siapa Menteri Pertahanan Jepang?".
    office_words = {w.lower() for w in _expanded(office)}
    return bool(heads) and heads[0] == office[0].lower() and office_words <= _alike_in_titles(set(title))


_APPOSITIVE = re.compile(r"\s*,\s*seorang\s+(?P<role>[^,.;:()\n]{3,80})")


def appositive_title(text: str, end: int) -> list[str]:
    """The role an appositive after a name gives ("Zabihullah Atiq, seorang anggota parlemen dari
    Badakhshan, mengatakan" -> anggota parlemen dari Badakhshan), or []. Only "seorang ..." is
    read: "X, yang ..." clauses say what someone did as often as what they are."""
    found = _APPOSITIVE.match(text, end)
    return _WORD.findall(found.group("role")) if found else []


# Words news writes before a group's name ("gerilyawan Taliban", "Partai Golkar"). Not "pasukan",
# "kubu" or "rezim", which news writes before people too ("kubu Djan Faridz", "rezim Assad").
_GROUP_BEFORE = re.compile(r"(?<![\w-])(?:kelompok|militan|milisi|gerilyawan|gerakan|organisasi|partai|faksi|laskar|"
                           r"pemberontak)\s+$", re.IGNORECASE)


# An institution's own name ("Pasukan Pertahanan Nasional Afghanistan", "Kementerian Luar Negeri"):
# no person. 2 of the 664 gold answers to "siapa" questions naming an office in FacQA, IDK-MRC,
# TyDi QA-ID and two files of ../shared/data/extra open so, both where the office is not what is
# asked ("Siapa yang mendanai Sekretaris IPCC?" -> "Organisasi Meteorologi Dunia").
_INSTITUTION = re.compile(r"(?:Pasukan|Organisasi|Kementerian|Kementrian|Departemen|Partai|Angkatan|Tentara|Badan|Dewan|"
                          r"Komisi|Kelompok|Lembaga|Majelis|Kantor|Kedutaan|Pemerintah|Perusahaan|Yayasan|Asosiasi|"
                          r"Persatuan|Federasi|Komite|Markas|Kepolisian)\s+[A-Z]")


def holds_no_office(question: str, name: str, article: str) -> bool:
    """Whether a "siapa" question asking for an office gets a country, a group or an institution,
    which hold none: "Siapa Presiden Tajikistan?" answered "Taliban", whom the article calls
    "gerilyawan Taliban"; "penasihat keamanan dalam negeri as yg ngomong di pertemuan c5+1 siapa"
    answered "Pasukan Pertahanan Nasional Afghanistan". Of 588 such questions in FacQA, IDK-MRC
    and TyDi QA-ID, one gold answer is a country or a group."""
    name = name.strip(" .,")
    if expected_type(question) != PERSON or not asked_office(question) or not name:
        return False
    if is_country(name) or _INSTITUTION.match(name):
        return True
    return any(_GROUP_BEFORE.search(article, max(0, m.start() - 30), m.start())
               for m in re.finditer(rf"(?<![\w-]){re.escape(name)}(?![\w-])", article))


def part_of_the_name(question: str, text: str, start: int, end: int) -> bool:
    """Whether a "who is X?" question gets a piece of X's own name: "Tajik Emomali" of "Tajik
    Emomali Rahmon" for "rahmon itu siapa" (capitalised words, no office, right before the name or
    sharing a word with it). None of the 39 gold answers to such questions in FacQA, IDK-MRC and
    TyDi QA-ID train and valid is one."""
    name = person_asked_about(question)
    words = _WORD.findall(text[start:end])
    if name is None or not words or not all(w[0].isupper() for w in words) or any(map(is_office_word, words)):
        return False
    own = {w.lower() for w in name.split()}
    return text[end:].lstrip(" ").startswith(name) or any(w.lower() in own for w in words)


def _question_words(question: str) -> set[str]:
    """The question's words, lower-cased, with short forms written out ("AS" -> amerika, serikat)."""
    return {w.lower() for w in _expanded(_WORD.findall(question))}


def _holds_office(title: list[str]) -> bool:
    return any(is_office_word(w) for w in _expanded(title))


# "Presiden Tajik Emomali Rakhmon" is the president of Tajikistan: the short form news writes for
# the "-stan" countries (Tajik, Uzbek, Kazakh, Afghan, Turkmen, Kirgiz).
_STAN = re.compile(r"^(\w{4,}?)(?:i?stan)$")


# Words one writer puts in an office where another writes the other: the US State Department is
# "Departemen Luar Negeri AS" in most Indonesian news and "Kementerian Luar Negeri AS" in some.
_SAME_IN_TITLES = ({"kementerian", "departemen"},)


def _alike_in_titles(words: set[str]) -> set[str]:
    """The lower-case words, each "-stan" country also as its short form and each short form as the
    country, and "kementerian" and "departemen" each as the other."""
    out = set(words)
    for same in _SAME_IN_TITLES:
        if out & same:
            out |= same
    for word in words:
        short = _STAN.match(word)
        out |= {short.group(1)} if short else {word + "istan", word + "stan"}
    return out


def _disagree(question: str, asked: list[str], title: list[str]) -> bool:
    """Each has a word the other lacks: the asked office one the title lacks, the title a
    capitalised one the question lacks ("Tajik" and "Tajikistan" are one place)."""
    given = _expanded(title)
    in_question = _alike_in_titles(_question_words(question))
    in_title = _alike_in_titles({w.lower() for w in given})
    lacking = [w for w in asked if w not in in_title and w not in RANKS]
    extra = [w for w in given if w[0].isupper() and w.lower() not in in_question and w.lower() not in RANKS]
    return bool(lacking and extra)

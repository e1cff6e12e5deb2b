"""Answer shape by question type: a "berapa" question wants a quantity, "kapan" a time, and so on.

The reader sometimes ranks a span of the wrong kind first ("siapa" answered with a date, "berapa"
with a place), or one that only repeats the question ("who offered Biden bases?" answered "Joe
Biden"), or one that runs across a sentence boundary ("posisi kelima, Minggu (26/7/2015).
Sehari sebelumnya, ..."). Among its next-best spans in the same passage, the best one of the
asked kind that says something the question does not, within one sentence, is taken instead
when its score is within `TYPE_SLACK` of the best span's (tuned on FacQA valid and IDK-MRC valid,
reading comprehension: `python -m bot.reader.answer_types`).

Times, quantities and lengths of time ("berapa lama") are stricter (`STRICT_KINDS`): their gold
answers have the shape 96-100% of the time (FacQA, IDK-MRC and TyDi QA-ID, train and valid; the
rest are labelling slips such as "Kapan ... lahir?" answered with a place), so a "kapan",
"berapa" or "berapa lama" question takes the reader's best short span of that shape however far
it trails, and a passage with none gives no answer
(`misfits`): "menhan rusia ngomongin kerja intens dgn csto kpn" is not answered "Sergei Shoigu",
nor "berapa lama pertandingan semifinal …" with its score "21-8, 21-15".
Nor is a number the text makes a length of time ("19" of "19 tahun misi AS", `cut_from_duration`),
and a time or quantity ends before a comma that leads away from it (`before_shapeless_tail`), a
time before a clause with no time in it (`without_trailing_clause`), a quantity cut inside a
number written in words runs to its end (`whole_number`: "enam ratus", not "enam"), a "berapa lama" takes the
one length of time a longer span holds (`the_length_asked`); a
person or place starts at what "yakni"/"yaitu" names (`after_naming_word`; 9 of 2,813 such gold
answers in FacQA, IDK-MRC and TyDi QA-ID train run through one, so it costs those few); and a
"tahun berapa" takes the one year a longer span holds (`the_year_asked`).

A number that labels something rather than counts it ("di KM berapa", "nomor berapa", "pasal
berapa") is asked with its label: only a span that names it answers ("KM 166", not the "tujuh" of
"tujuh anggota keluarganya" in the sentence the question matches best), a short one however far it
trails, and a bare number the text labels so runs from its label (`number_label_asked`,
`with_its_label`). FacQA, IDK-MRC and TyDi QA-ID hold two such questions ("Peraturan Menteri
nomor berapa …"), both answered with the label ("Nomor 17 / M-DAG / …").
"""

from __future__ import annotations

import itertools
import re

from bot.corpus.dates import MONTHS_ID, WEEKDAYS_ID, names_weekday
from bot.corpus.sentences import sentence_spans
from bot.reader.span_reader import ContextReading

TYPE_SLACK = 2.0  # logits a span of the asked type may trail the best span by

QUANTITY, TIME, DURATION, PERSON, PLACE = "quantity", "time", "duration", "person", "place"
STRICT_KINDS = (TIME, QUANTITY, DURATION)  # a span without the shape is no answer, however confident the reader
STRICT_WORDS = 4  # a time or quantity further behind than TYPE_SLACK is taken only this short (91-96% of gold ones)

_TIME_QUESTION = re.compile(r"\b(kapan|(tanggal|tgl|tahun|pukul|jam) berapa|bulan apa|hari apa|"
                            r"sejak kapan|hingga kapan|sampai kapan)(kah)?\b")  # "Tanggal berapakah ...?" too
_DURATION_QUESTION = re.compile(r"\bberapa lama\b")
_QUANTITY_QUESTION = re.compile(r"\bberapa(kah)?\b")
_PERSON_QUESTION = re.compile(r"\bsiapa(kah)?\b")
_PLACE_QUESTION = re.compile(r"\b(di ?mana|ke ?mana|dari ?mana|(kota|negara|provinsi|daerah|wilayah|tempat) (apa|mana))\b")

_NUMBER_WORDS = re.compile(
    r"\b(satu|dua|tiga|empat|lima|enam|tujuh|delapan|sembilan|sepuluh|sebelas|seratus|seribu|sejuta|"
    r"\w*belas|\w*puluh(an)?|\w*ratus(an)?|\w*ribu(an)?|\w*juta(an)?|miliar|triliun|setengah|separuh|"
    r"belasan|puluhan|ratusan|ribuan|jutaan|pertama|"
    r"ke(dua|tiga|empat|lima|enam|tujuh|delapan|sembilan|sepuluh|sebelas|\w+belas|\w+puluh|\w+ratus))\b"  # ordinals
)
_MONTH = f"(?:{'|'.join(month.lower() for month in MONTHS_ID)})"
_TIME_WORDS = re.compile(
    rf"\b({WEEKDAYS_ID}|{_MONTH}|pagi|siang|sore|malam|pekan|bulan|tahun|hari|"
    r"lalu|kemarin|besok|pukul|jam|abad|dekade|wib|wita|wit|awal|akhir|pertengahan|lama)\b"
)
_DIGIT = re.compile(r"\d")
# A calendar date is no count ("berapa tentara" is not answered "15 Agustus 2021"): a day and a month
# name, a month and a year, day/month/year, or a day/month in brackets, with or without its weekday. Of the 3,840
# quantity questions of FacQA, IDK-MRC, TyDi QA-ID and ../shared/data/extra, 3 have such a gold answer.
_WEEKDAY = rf"(?:{WEEKDAYS_ID})"
_DATE = re.compile(
    rf"(?:{_WEEKDAY},?\s*)?\(?(?:\d{{1,2}}\s+{_MONTH}(?:\s+\d{{4}})?|{_MONTH}\s+\d{{4}}|\d{{1,2}}/\d{{1,2}}/\d{{2,4}})\)?"
    rf"|{_WEEKDAY},?\s*\(\d{{1,2}}/\d{{1,2}}(?:/\d{{2,4}})?\)"
    r"|\(\d{1,2}/\d{1,2}(?:/\d{2,4})?\)?",  # a news date in brackets, "(1/9)", "(1/9/2021)", or cut: "(1/9"
    re.IGNORECASE,
)
# A length of time: a unit ("92 menit", "dua dekade"), a period between two points ("1967 sampai
# 1998", "Juli 1392 sampai Oktober 1897", "202 SM - 220") or its start ("sejak 2001"). 59 of the 61
# distinct gold answers to "berapa lama" questions in FacQA, IDK-MRC and TyDi QA-ID have one.
_LENGTH = re.compile(
    r"\b(?:tahun|bulan|hari|minggu|pekan|jam|menit|detik|abad|dekade|dasawarsa|windu|semalam|sepekan|sebulan|"
    r"setahun|sehari|seminggu|sejam|selamanya|seumur)\b"
    rf"|(?:\d{{3,4}}|{_MONTH}|\bSM\b)[^,;]{{0,12}}?\s*(?:-|–|—|\bhingga\b|\bsampai\b|\bs/d\b|\bdan\b)\s*(?:\d|{_MONTH})"
    rf"|\d[^,;]{{0,12}}?\s*(?:-|–|—|\bhingga\b|\bsampai\b)\s*\d{{3,4}}"
    rf"|\bsejak\s+(?:\d|{_MONTH})",
    re.IGNORECASE,
)
# Gold answers to 2,029 time questions (FacQA, IDK-MRC, TyDi QA-ID) hold one bare duration.
_DURATION = re.compile(r"(sekitar |lebih dari |selama |hampir )?([\d.,]+|satu|dua|tiga|empat|lima|enam|tujuh|delapan|sembilan|"
                       r"sepuluh|sebelas|\w+ ?belas|\w+ puluh( \w+)?|beberapa|se\w+)\s+"
                       r"(tahun|bulan|hari|minggu|pekan|jam|menit|detik|abad|dekade|windu)")
_CAPITALISED = re.compile(r"(?:^|\s|\()[A-Z]")
_WORD = re.compile(r"\w+")
_NUMBER_OR_WORD = re.compile(r"[\w.,/]*\w")  # "1.000" and "1/9/2021" whole


def expected_type(question: str) -> str | None:
    q = question.lower()
    if _TIME_QUESTION.search(q):
        return TIME
    if _DURATION_QUESTION.search(q):
        return DURATION
    if _QUANTITY_QUESTION.search(q):
        return QUANTITY
    if _PLACE_QUESTION.search(q):
        return PLACE
    if _PERSON_QUESTION.search(q):
        return PERSON
    return None


def fits(kind: str, text: str) -> bool:
    lower = text.lower()
    if kind == QUANTITY:
        return bool(_DIGIT.search(text) or _NUMBER_WORDS.search(lower)) and not _DATE.fullmatch(text.strip(" .,;:"))
    if kind == DURATION:  # "berapa lama": a length of time, not just any number ("21-8, 21-15" is a score)
        return bool(_LENGTH.search(text))
    if kind == TIME:  # a point in time; a bare length of time ("19 tahun") answers "berapa lama", not "kapan"
        return bool(_DIGIT.search(text) or _TIME_WORDS.search(lower)) and not _DURATION.fullmatch(lower.strip(" .,"))
    if kind in (PERSON, PLACE):
        return bool(_CAPITALISED.search(text)) and not _DIGIT.search(text) and not _TIME_WORDS.fullmatch(lower)
    return True


_LEADS = {"pada", "sejak", "sekitar", "lebih", "kurang", "dari", "hampir", "hingga", "sampai", "selama", "sebanyak",
          "mencapai", "setidaknya", "sedikitnya", "tanggal", "ke", "di", "per"}  # words a time or quantity may follow


def opens_with_shape(kind: str, text: str) -> bool:
    """A short span (at most `STRICT_WORDS` words) whose first word past "pada", "lebih dari", ...
    has the shape: "Senin", "pada Kamis pagi", "lebih dari 1.000"; not "Afghanistan, Senin"."""
    found = _NUMBER_OR_WORD.findall(text)
    if not found or len(text.split()) > STRICT_WORDS:
        return False
    rest = list(itertools.dropwhile(lambda w: w.lower() in _LEADS, found))
    if kind == DURATION:  # "92 menit", "sejak 2001": a number first, the unit or period after it
        return bool(rest) and fits(QUANTITY, rest[0]) and fits(DURATION, text)
    return bool(rest) and fits(kind, rest[0])


_UNIT_AFTER = re.compile(r"\s*(tahun|bulan|hari|minggu|pekan|jam|menit|detik|abad|dekade)\b", re.IGNORECASE)


def within_a_date(context: str, start: int, end: int) -> bool:
    """Whether the span lies inside a date the context writes ("2021" or "(1/9" of "Rabu
    (1/9/2021)"): no count. 3 of 2,674 gold answers to quantity questions in FacQA, IDK-MRC,
    TyDi QA-ID and two files of ../shared/data/extra do, all labelling slips ("umur berapakah …"
    answered "18 Agustus 1227")."""
    return any(m.start() <= start and end <= m.end() for m in _DATE.finditer(context, max(0, start - 30), end + 30))


def cut_from_duration(context: str, start: int, end: int) -> bool:
    """Whether the span is a bare number that the text goes on to make a length of time: "19" of
    "mengakhiri 19 tahun misi AS" answers no "kapan"."""
    return context[start:end].strip().replace(".", "").isdigit() and _UNIT_AFTER.match(context, end) is not None


def misfits(question: str, span_text: str) -> bool:
    """Whether the question asks for a time or a quantity and the span has no such shape, or for
    the number of a kilometre post, a regulation, a floor, ... and the span does not name it."""
    kind = expected_type(question)
    label = number_label_asked(question)
    return (kind in STRICT_KINDS and not fits(kind, span_text)) or (label is not None and not labelled(label, span_text))


# Numbers that label something rather than count it: "di KM berapa" is "KM 166", never "tujuh"
# (a count in the same sentence); "Peraturan Menteri nomor berapa" is "Nomor 17 / M-DAG / ...".
_LABELS = {"km": "km|kilometer", "kilometer": "km|kilometer", "nomor": "nomor|nomer|no", "nomer": "nomor|nomer|no",
           "no": "nomor|nomer|no", "pasal": "pasal", "ayat": "ayat", "lantai": "lantai", "halaman": "halaman|hal",
           "jalur": "jalur", "peron": "peron", "gate": "gate", "gerbang": "gerbang"}
_LABEL_QUESTION = re.compile(rf"\b({'|'.join(_LABELS)})\.?\s+berapa\b", re.IGNORECASE)


def number_label_asked(question: str) -> str | None:
    """The label whose number the question asks for ("di KM berapa" -> "km"), or None."""
    found = _LABEL_QUESTION.search(question)
    return found.group(1).lower() if found else None


def labelled(label: str, text: str) -> bool:
    """Whether the text names a number with that label ("KM 166", "Tol Cipali km 166", "Nomor 17")."""
    return re.search(rf"\b(?:{_LABELS[label]})\.?\s*(?:ke-?\s*)?\d", text, re.IGNORECASE) is not None


def with_its_label(label: str | None, context: str, start: int, end: int) -> tuple[int, int]:
    """A bare number the context labels with the asked `label` (`number_label_asked`) runs from
    it: "166" of "KM 166" -> "KM 166"."""
    if label is None or labelled(label, context[start:end]) or not context[start:end].strip()[:1].isdigit():
        return start, end
    head = context[max(0, start - 20) : start]
    before = re.search(rf"\b(?:{_LABELS[label]})\.?\s*(?:ke-?\s*)?$", head, re.IGNORECASE)
    return (start - len(head) + before.start(), end) if before else (start, end)


def repeats_question(question: str, text: str) -> bool:
    """Whether every word of the span is already in the question."""
    said = _WORD.findall(text.lower())
    return bool(said) and set(said) <= set(_WORD.findall(question.lower()))


def within_one_sentence(text: str) -> bool:
    return len(sentence_spans(text)) <= 1


_WEEKDAY_QUESTION = re.compile(r"\bhari apa\b", re.IGNORECASE)


def typed_span(question: str, context: str, reading: ContextReading, slack: float = TYPE_SLACK,
               avoid_repeats: bool = True, one_sentence: bool = True) -> tuple[int, int]:
    """The reader's best span, or its best next-best span within `slack` that is of the asked
    type, (with `avoid_repeats`) does not merely repeat the question and (with `one_sentence`)
    does not run across a sentence boundary. A time or a quantity (`STRICT_KINDS`) may also trail
    further when it is short and opens with its shape (`opens_with_shape`: a span "fits" by any
    date inside it, and the reader's far candidates often start at its best start, "Afghanistan,
    Senin"). Asked "hari apa", a span that names the weekday is taken first ("Senin", not the
    "15 Agustus 2021" the reader ranks first), when one is acceptable. Asked "siapa", a best span
    that is a count ("lebih dari 124.000 orang") gives way to a person or group however far it
    trails (7 of 2,321 gold answers to "siapa" in FacQA, IDK-MRC and TyDi QA-ID, train and valid,
    open with a number; 4 of them are years, labelling slips)."""
    kind = expected_type(question)
    label = number_label_asked(question)

    def with_label(start: int, end: int) -> str:
        return context[slice(*with_its_label(label, context, start, end))]

    counted = kind == PERSON and opens_with_shape(QUANTITY, context[reading.start : reading.end])

    def acceptable(start: int, end: int, score: float) -> bool:
        text = context[start:end]
        close = (score >= reading.span_score - slack or counted or (kind in STRICT_KINDS and opens_with_shape(kind, text))
                 or (label is not None and len(text.split()) <= STRICT_WORDS and labelled(label, text)))
        return (close and (kind is None or fits(kind, text)) and not (kind == TIME and cut_from_duration(context, start, end))
                and not (kind == QUANTITY and within_a_date(context, start, end))
                and (label is None or labelled(label, with_label(start, end)))
                and not (avoid_repeats and repeats_question(question, text)) and (not one_sentence or within_one_sentence(text)))

    spans = [(reading.start, reading.end, reading.span_score), *reading.alternatives]
    wanted = [names_weekday, None] if _WEEKDAY_QUESTION.search(question) else [None]  # "hari apa": a weekday first
    chosen = next(((start, end) for want in wanted for start, end, score in spans
                   if acceptable(start, end, score) and (want is None or want(context[start:end]))),
                  (reading.start, reading.end))
    start, end = with_its_label(label, context, *chosen)
    start, end = after_naming_word(kind, context, *before_shapeless_tail(kind, context, start, end))
    start, end = without_trailing_clause(kind, context, start, end)
    start, end = the_length_asked(kind, context, start, end)
    start, end = whole_number(kind, context, start, end)
    return the_year_asked(question, context, start, end)


# A number and a unit of time ("92 menit"); unlike `_DURATION`, no "se-" word counts as the
# number ("sekitar tahun 958" holds no length).
_ONE_LENGTH = re.compile(r"(?:\d[\d.,]*|satu|dua|tiga|empat|lima|enam|tujuh|delapan|sembilan|sepuluh|sebelas|"
                         r"\w+ ?belas|\w+ puluh|seratus)\s+(?:tahun|bulan|hari|minggu|pekan|jam|menit|detik|abad|dekade)\b",
                         re.IGNORECASE)
_PERIOD_WORDS = re.compile(r"\b(?:sampai|hingga|antara|sejak|s/d)\b|\s[-–—]\s", re.IGNORECASE)


def the_length_asked(kind: str | None, context: str, start: int, end: int) -> tuple[int, int]:
    """For "berapa lama", the one length of time a longer span holds: "22-20, 21-23 dan 21-12 dalam
    tempo 92 menit" -> "92 menit". A period ("1967 sampai 1998", "75 - 100 tahun") stays whole; none
    of the 61 distinct gold answers to such questions in FacQA, IDK-MRC and TyDi QA-ID is cut."""
    text = context[start:end]
    if kind != DURATION or len(text.split()) <= 3 or _PERIOD_WORDS.search(text):
        return start, end
    lengths = list(_ONE_LENGTH.finditer(context, start, end))
    if len(lengths) != 1:
        return start, end
    return lengths[0].start(), lengths[0].end()


# Words a time phrase is made of besides dates, numbers and `_TIME_WORDS` ("pada Kamis lalu", "akhir bulan ini").
_TIME_GLUE = frozenset({"pada", "sejak", "sekitar", "tanggal", "tgl", "ini", "itu", "depan", "mendatang", "silam", "tadi",
                        "dan", "sampai", "hingga", "s/d", "m", "sm", "masehi", "h", "hijriah", "sebelum", "sesudah",
                        "setelah", "menjelang", "antara", "tepatnya", "ke", "dini", "subuh", "petang"})
_CONCRETE_TIME = re.compile(rf"\d|\b({WEEKDAYS_ID}|{_MONTH}|kemarin)\b", re.IGNORECASE)
_TOKEN = re.compile(r"[()\[\],]|[\w./:'-]+")


def _in_time_phrase(token: str) -> bool:
    lower = token.lower()
    return token in "()[]," or any(c.isdigit() for c in token) or lower in _TIME_GLUE or bool(_TIME_WORDS.fullmatch(lower))


def without_trailing_clause(kind: str | None, context: str, start: int, end: int) -> tuple[int, int]:
    """A time span that runs on into a clause with no time in it ends with its time: "Kamis lalu
    benar-benar membuat geram AS" -> "Kamis lalu". The time kept must name a day, month or number
    ("pertengahan zaman Heian" stays whole); 2 of 1,873 gold answers to time questions in the
    FacQA, IDK-MRC and TyDi QA-ID train sets would be cut ("tahun ke-14 kaisar Nero")."""
    if kind != TIME:
        return start, end
    tokens = list(_TOKEN.finditer(context, start, end))
    head = next((i for i, t in enumerate(tokens) if not _in_time_phrase(t.group())), len(tokens))
    rest = [t.group() for t in tokens[head:]]
    if head == 0 or len(rest) < 2 or not rest[0][0].islower() or any(_in_time_phrase(t) for t in rest):
        return start, end
    cut = tokens[head - 1].end()
    while cut > start and context[cut - 1] in " ,([":
        cut -= 1
    return (start, cut) if _CONCRETE_TIME.search(context, start, cut) else (start, end)


_YEAR_QUESTION = re.compile(r"\btahun (?:berapa|apa)\b", re.IGNORECASE)
_YEAR = re.compile(r"(?:tahun\s+)?(?<![\d/.,])(?:1[0-9]|20)\d\d(?![\d/.,]?\d)", re.IGNORECASE)


def the_year_asked(question: str, context: str, start: int, end: int) -> tuple[int, int]:
    """For "tahun berapa", the one year a longer span holds (not inside a date): "(30/6/2015),
    buatan Amerika Serikat tahun 1964" -> "tahun 1964"."""
    if not _YEAR_QUESTION.search(question) or len(context[start:end].split()) <= 2:
        return start, end
    years = list(_YEAR.finditer(context, start, end))
    if len(years) != 1:
        return start, end
    return years[0].start(), years[0].end()


_SCALE = r"(?:belas|puluh|ratus|ribu|juta|miliar|milyar|triliun)"
_SCALE_NEXT = re.compile(rf"\s+{_SCALE}\b", re.IGNORECASE)
_UNIT_NEXT = re.compile(r"\s+(?:satu|dua|tiga|empat|lima|enam|tujuh|delapan|sembilan|se\w+)\b", re.IGNORECASE)
_ENDS_WITH_SCALE = re.compile(rf"{_SCALE}$", re.IGNORECASE)


def whole_number(kind: str | None, context: str, start: int, end: int) -> tuple[int, int]:
    """A quantity the reader cut inside a number written in words runs to the number's end:
    "sekitar enam ratus pasukannya" -> "enam ratus", not "enam"; "dua puluh lima" whole. None
    of the 2,288 gold answers to "berapa" questions in FacQA, IDK-MRC and TyDi QA-ID train and
    valid ends before such a word."""
    if kind != QUANTITY:
        return start, end
    while (found := _SCALE_NEXT.match(context, end)) or (
            _ENDS_WITH_SCALE.search(context, start, end) and (found := _UNIT_NEXT.match(context, end))):
        end = found.end()
    return start, end


_NAMING = re.compile(r"\s(?:yakni|yaitu|ialah)\s*[,:]?\s+")


def after_naming_word(kind: str | None, context: str, start: int, end: int) -> tuple[int, int]:
    """A person or place span that runs through "yakni"/"yaitu" starts at what it names: "satu
    orang tersangka … yakni, Direktur Operasional Teknik PT Pelindo II, Ferialdi Nurlan" ->
    "Direktur Operasional Teknik PT Pelindo II, Ferialdi Nurlan"."""
    if kind not in (PERSON, PLACE):
        return start, end
    found = _NAMING.search(context, start, end)
    if found is None or found.end() >= end or not fits(kind, context[found.end() : end]):
        return start, end
    return found.end(), end


def before_shapeless_tail(kind: str | None, context: str, start: int, end: int) -> tuple[int, int]:
    """A time or quantity span cut before a comma whose tail has no such shape: "hari Minggu,
    Presiden Afghanistan" -> "hari Minggu" (but "Senin, 16 Agustus" and "21-8, 21-15" stay whole)."""
    if kind not in STRICT_KINDS:
        return start, end
    head, comma, tail = context[start:end].partition(", ")
    if comma and head.strip() and fits(kind, head) and not fits(kind, tail):
        return start, start + len(head)
    return start, end


def main() -> None:
    """Tune TYPE_SLACK: reader F1 on FacQA valid and IDK-MRC valid (answerable) for each slack,
    with and without giving way on spans that repeat the question or cross a sentence boundary
    (TyDi QA-ID valid is reported beside them, held out)."""
    import json
    import sys
    from pathlib import Path

    from bot.config import REPO_ROOT
    from bot.metrics import token_f1
    from bot.reader.qa_data import load_qa_file
    from bot.reader.store import load_reader

    data = Path(sys.argv[1] if len(sys.argv) > 1 else REPO_ROOT.parent / "shared" / "data")
    reader = load_reader(REPO_ROOT / "data")
    out = {}
    for name in ("facqa/valid_preprocess.csv", "idk_mrc/valid.json", "tydiqa_id/valid.json"):
        examples = [e for e in load_qa_file(data / name) if e.answers]
        readings = reader.read([e.question for e in examples], [e.context for e in examples])
        typed = sum(expected_type(e.question) is not None for e in examples)
        out[name] = {"questions": len(examples), "with_a_type": typed}
        for avoid, sentence in ((False, False), (True, False), (True, True)):
            for slack in (0.0, 1.0, 2.0, 3.0, 4.0, 6.0):
                f1 = [token_f1(e.context[slice(*typed_span(e.question, e.context, r, slack, avoid, sentence))], e.answers)
                      for e, r in zip(examples, readings)]
                label = f"slack_{slack}" + ("_avoiding_repeats" if avoid else "") + ("_one_sentence" if sentence else "")
                out[name][label] = round(100 * sum(f1) / len(f1), 2)
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()

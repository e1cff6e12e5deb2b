"""What someone said, as news writes it.

"apa kata ned price soal kedutaan" asks for a quote. The reader was trained on questions whose
answers are short spans, and none of the 18,984 questions of FacQA, IDK-MRC and TyDi QA-ID asks
what someone said; asked, it answers with a name or an office ("Departemen Luar Negeri"). News
writes what people say in a few fixed ways, so the bot finds it by rule, like an office:

- a quotation and who said it: “Ini bukan penarikan besar-besaran,” kata juru bicara ..., Ned Price.
- a saying verb after the name: Kabulov mengatakan Rusia siap membantu ...
- "menurut": Menurut Milley, ...

Among an article's quotes by the person, the one sharing most words with the rest of the
question ("soal kedutaan") is taken.
"""

from __future__ import annotations

import re

from bot.corpus.sentences import sentence_spans

_NAME = r"(?P<name>[A-Z][\w'.-]*(?:\s+[A-Z][\w'.-]*){0,3})"
_ASKED = [re.compile(pattern) for pattern in (
    rf"^Apa(?:kah)?\s+kata\s+{_NAME}(?P<rest>.*)\?$",  # Apa kata Ned Price soal kedutaan?
    rf"^Apa(?:kah)?\s+yang\s+(?:dikatakan|disampaikan|diungkapkan|dinyatakan|ditegaskan)\s+(?:oleh\s+)?{_NAME}(?P<rest>.*)\?$",
    rf"^{_NAME}\s+(?:mengatakan|berbicara|berkata|menyatakan|menyampaikan)\s+apa(?P<rest>.*)\?$",  # Kabulov berbicara apa?
    rf"^Kata\s+{_NAME}\s+apa(?P<rest>.*)\?$",
)]
_QUESTION_WORDS = frozenset("apa apakah siapa kapan mengapa bagaimana berapa".split())

_SAY_AFTER = r"(?:kata|ujar|ucap|tutur|jelas|tegas|imbuh|tambah)(?:nya)?"  # “…,” kata Kirby
_SAYING_VERB = (r"(?:mengatakan|menyatakan|menjelaskan|mengungkapkan|menegaskan|menyebutkan|berkata|menambahkan|"
                r"menyampaikan|mengklaim)")
_QUOTE = re.compile(r"[“\"](?P<quote>[^”\"]{10,600}?)[,.]?[”\"]\s*,?\s*" + _SAY_AFTER + r"\b(?P<by>[^.“”\"\n]{0,90})")
ABOUT = "soal tentang terkait mengenai"  # words that only say what the quote is about
_STOP = frozenset(f"{ABOUT} dengan untuk yang dari pada kepada dalam atas".split())


def speaker_asked_about(question: str) -> tuple[str, str] | None:
    """The person whose words the question asks for and the rest of the question ("Apa kata Ned
    Price soal kedutaan?" -> ("Ned Price", "soal kedutaan")), or None."""
    for pattern in _ASKED:
        found = pattern.match(question.strip())
        if found and found.group("name").split()[0].lower() not in _QUESTION_WORDS:
            return found.group("name"), found.group("rest").strip(" ,")
    return None


def quote_of(text: str, name: str, topic: str = "") -> tuple[int, int] | None:
    """Where `text` gives the words of `name` (the quotation, or what follows the saying verb),
    the one sharing most words with `topic` (the earliest on a tie), or None."""
    surname = re.escape(name.split()[-1])
    by_name = re.compile(rf"(?<![\w-]){surname}(?![\w-])")
    found: list[tuple[int, int]] = []
    for quote in _QUOTE.finditer(text):
        if by_name.search(quote.group("by")):
            found.append(quote.span("quote"))
    saying = re.compile(rf"(?<![\w-]){surname}(?![\w-])[^.,“”\"]{{0,40}}?,?\s+{_SAYING_VERB}\b"
                        rf"(?:\s+pada\s+\w+)?(?:\s+(?:bahwa|jika))?\s*,?\s*")
    according = re.compile(rf"\b[Mm]enurut\s+(?:[^,.]{{0,60}}?\s)?{surname}\s*,\s*")
    for sentence in sentence_spans(text):
        for pattern in (saying, according):
            said = pattern.search(text, sentence.start, sentence.end)
            if said and sentence.end - said.end() > 15:
                found.append((said.end(), sentence.end))
    if not found:
        return None
    words = {w for w in re.findall(r"\w+", topic.lower()) if len(w) > 3 and w not in _STOP}
    return max(found, key=lambda span: (len(words & set(re.findall(r"\w+", text[span[0] : span[1]].lower()))), -span[0]))

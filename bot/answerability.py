"""Answer or abstain: is the reader's best span an answer that the corpus really gives?

The reader's margin alone cannot tell "the corpus does not say" from "the corpus says": asked
for the president of a country no article mentions, it still finds a confident name in a
passage about another country. So the decision also weighs evidence that the passage and its
article are about what the question is about:

- `margin`: the best span's logits over "no answer";
- `dense`: cosine of the question and passage vectors (absolute, not relative to other hits);
- `passage_cover` / `article_cover`: the share of the question's content words (not the short
  forms normalisation keeps in brackets, "Menteri Luar Negeri (menlu)"), weighted by how
  rare they are in the corpus (IDF), that occur in the passage / anywhere in its article, its
  headline or its outlet's name (users name the story by where they read it: "di berita
  jitunews"). A word counts as there when the text writes it with other affixes ("rundingan" /
  "berunding") or, for a full name news shortens, by its short form ("Amerika Serikat" / "AS");
  chat words that name no topic (`NO_TOPIC`: "bakal", "soal", …) are not counted at all;
- `sentence_cover`: the same share in the sentence that holds the span and the one before it
  (asked for the president of a country the passage only lists, the span's sentence is about
  another country);
- `missing_rare`: how many of the question's rare names and numbers (words in fewer than 1% of
  passages, or in none, that are not ordinary Indonesian words or that the question
  capitalises) the article, headline and outlet included, lacks; a number counts as there when
  the article writes it inside a date ("2015" in "(30/11/2015)") or was published in that year.
  An ordinary word is never a missing name: on a large corpus "berita" is in fewer than 1% of
  passages, and a small corpus may not use "letaknya" or "nasib" at all (such a word is then
  weighed as a common word);
- `span_in_question`: the share of the span's content words that the question itself uses (asked
  "who offered Biden bases", a span "Joe Biden" repeats the question instead of answering it;
  the noun before "apa"/"mana"/"berapa" is what is asked about, so "hari Minggu" repeats
  nothing of "hari apa");
- `retrieval`: the passage's fused retrieval score (1 for the best-ranked passage);
- `type_fit`: whether the span has the shape the question word asks for (1), has none to fit
  (0.5), or does not fit (0).

One thing is a rule rather than evidence: a question that names a year ("juara MotoGP 2021") is
not answered from an article published in another year that never mentions that year
(`names_another_year`). A news archive holds last year's champion for every competition, and
the fitting data (undated reading-comprehension contexts) could never teach the model this.

A logistic model over these, fitted by `python -m bot fit-answerability` on validation questions
(answerable ones, the same questions asked with their gold article removed or written casually,
and IDK-MRC's unanswerable ones; `bot/answerability_fit.py`), gives the probability that the
answer is right; the bot answers above a threshold chosen on the same data.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from bot.corpus.sentences import sentence_spans
from bot.language.informal import is_indonesian_word
from bot.language.informal_words import SHORT_FORMS_BY_FULL_FORM
from bot.reader.answer_types import expected_type, fits
from bot.retrieval.analyzer import STOP_WORDS, words
from bot.records import Article
from bot.retrieval.index import PassageIndex
from bot.retrieval.stemmer import written_with_other_affixes

RARE_SHARE = 0.01  # a word in fewer than this share of passages counts as rare (a name, a place, a number)
FEATURES = ("margin", "dense", "passage_cover", "article_cover", "missing_rare", "has_dense", "retrieval", "type_fit",
            "sentence_cover", "span_in_question")


@dataclass(frozen=True)
class Evidence:
    margin: float
    dense: float | None
    passage_cover: float
    article_cover: float
    missing_rare: int
    retrieval: float = 1.0
    type_fit: float = 0.5
    sentence_cover: float = 0.0
    span_in_question: float = 0.0

    def vector(self) -> np.ndarray:
        margin = max(-20.0, min(30.0, self.margin)) if math.isfinite(self.margin) else -20.0
        dense = self.dense if self.dense is not None else 0.0
        return np.array([margin, dense, self.passage_cover, self.article_cover, min(self.missing_rare, 3),
                         float(self.dense is not None), self.retrieval, self.type_fit, self.sentence_cover,
                         self.span_in_question])


_YEAR = re.compile(r"(?<![\d.,/])(?:19|20)\d\d(?![\d.,/]\d)")


def names_another_year(question: str, article: Article) -> bool:
    """Whether the question asks about a year that a dated article neither was published in nor
    mentions ("Siapa juara MotoGP 2021?" asked of a story from 2015). Undated articles never do."""
    return bool(article.date) and any(not number_in(year, article) for year in dict.fromkeys(_YEAR.findall(question)))


def type_fit(question: str, span_text: str) -> float:
    kind = expected_type(question)
    return 0.5 if kind is None else float(fits(kind, span_text))


def span_neighbourhood(text: str, start: int, end: int) -> str:
    """The sentences of `text` that hold the span [start, end), and the one before them."""
    sentences = sentence_spans(text)
    inside = [i for i, s in enumerate(sentences) if s.end > start and s.start < end]
    if not inside:
        return text
    return text[sentences[max(0, inside[0] - 1)].start : sentences[inside[-1]].end]


def evidence(index: PassageIndex, question: str, passage_id: int, margin: float, dense: float | None,
             retrieval: float = 1.0, span: tuple[int, int] | None = None) -> Evidence:
    """How well the passage `passage_id`, its article, and the sentence of the reader's span
    (offsets into the passage text) cover `question`, with the reader's margin."""
    passage = index.passages[passage_id]
    article = index.articles[passage.article_id]
    first, last = index.article_range(passage.article_id)
    headline = set(index.analyzer(article.title)) | set(index.analyzer(article.source))  # "di berita jitunews"
    near_text = span_neighbourhood(passage.text, *span) if span else ""
    near = set(index.analyzer(near_text))
    texts = _WordsOf(passage.text, near_text,
                     lambda: " ".join([article.title, article.source] + [p.text for p in index.passages[first : last + 1]]))
    common = RARE_SHARE * len(index.passages)
    total = in_passage = in_article = in_sentence = 0.0
    missing_rare = 0
    capitalised = written_as_names(question)
    short_forms = short_forms_of_full_forms(question)
    for word in dict.fromkeys(w for w in words(without_aliases(question)) if w not in NOT_ASKED):
        forms = list(dict.fromkeys([word, index.analyzer.root(word), *short_forms.get(word, ())]))
        frequency = max((index.bm25.document_frequency(f) for f in forms), default=0)
        ordinary = word not in capitalised and is_indonesian_word(word)
        if ordinary and frequency == 0:
            frequency = common
        weight = math.log(1 + len(index.passages) / (1 + frequency))
        total += weight
        if (any(index.bm25.occurs(f, passage_id, passage_id) for f in forms)
                or written_with_other_affixes(word, texts.passage)):
            in_passage += weight
        if any(f in near for f in forms) or written_with_other_affixes(word, texts.near):
            in_sentence += weight
        if (any(index.bm25.occurs(f, first, last) or f in headline for f in forms)
                or (word[0].isdigit() and number_in(word, article))
                or written_with_other_affixes(word, texts.article)):
            in_article += weight
        elif not ordinary and len(word) > 1 and (frequency < common or any(c.isdigit() for c in word)):
            missing_rare += 1
    span_text = passage.text[span[0] : span[1]] if span else ""
    shape = type_fit(question, span_text)
    repeated = repeated_share(index, question, span_text)
    if total == 0:
        return Evidence(margin, dense, 0.0, 0.0, missing_rare, retrieval, shape, 0.0, repeated)
    return Evidence(margin, dense, in_passage / total, in_article / total, missing_rare, retrieval, shape,
                    in_sentence / total, repeated)


# Chat words that say nothing of what a question is about ("mau", "bakal" for "akan"; "soal" for
# "tentang"; "ngapain" read as "melakukan apa"): an article need not write them.
NO_TOPIC = frozenset("mau bakal soal makin buat melakukan mesti".split())


NOT_ASKED = STOP_WORDS | NO_TOPIC


@dataclass
class _WordsOf:
    """The words of the passage, of the span's sentences and of the whole article, each split
    only when a question word is not found as written (most questions never need them)."""

    passage_text: str
    near_text: str
    article_text: Callable[[], str]

    @cached_property
    def passage(self) -> set[str]:
        return set(words(self.passage_text))

    @cached_property
    def near(self) -> set[str]:
        return set(words(self.near_text))

    @cached_property
    def article(self) -> set[str]:
        return set(words(self.article_text()))


def short_forms_of_full_forms(question: str) -> dict[str, tuple[str, ...]]:
    """For each word of a full name the question writes that news also shortens, the short
    forms ("amerika", "serikat" -> "as", "amrik"): an article that writes "AS" names the country."""
    lowered = question.lower()
    out: dict[str, tuple[str, ...]] = {}
    for full, shorts in SHORT_FORMS_BY_FULL_FORM.items():
        if re.search(rf"\b{re.escape(full)}\b", lowered):
            for word in words(full):
                out[word] = out.get(word, ()) + shorts
    return out


def number_in(number: str, article: Article) -> bool:
    """Whether the article writes this number, also inside a date ("2015" in "(30/11/2015)") or
    as the year it was published in."""
    if article.date and article.date[:4] == number:
        return True
    return re.search(rf"(?<![\d.,]){re.escape(number)}(?![\d]|[.,]\d)", article.story) is not None


def without_aliases(question: str) -> str:
    """The question without the short forms in brackets that normalisation keeps beside their
    expansion ("Menteri Luar Negeri (menlu)"): the expansion already says it, and an article that
    writes the full title lacks the short one."""
    return re.sub(r"\s*\([^()]*\)", "", question)


def written_as_names(question: str) -> set[str]:
    """The lower-cased words the question capitalises after its first word ("Inggris", "Bali")."""
    return {w.lower() for w in re.findall(r"(?<=\s)[A-Z][^\W_]*", question)}


_ASKED_NOUN = re.compile(r"\w+(?=\s+(?:apa|mana|berapa)\b)", re.IGNORECASE)


def repeated_share(index: PassageIndex, question: str, span_text: str) -> float:
    """The share of the span's content words (or their roots) that the question already uses;
    the noun a question word asks about is no repeat ("hari Minggu" for "hari apa", "KM 166" for
    "di KM berapa")."""
    asked = set(index.analyzer(_ASKED_NOUN.sub("", question)))
    said = [w for w in words(span_text) if w not in STOP_WORDS]
    if not said:
        return 0.0
    return sum(w in asked or index.analyzer.root(w) in asked for w in said) / len(said)


@dataclass(frozen=True)
class AnswerabilityModel:
    """Logistic regression over standardised evidence: P(the answer is right)."""

    weights: tuple[float, ...]
    bias: float
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    threshold: float  # answer when the probability is above this
    # How the answering passage is picked among the read ones, fitted with the model (None: the
    # calibration's BM25-era values): retrieval vs reader weight, and the top passage's margin
    # from which the others are not read.
    fusion_weight: float | None = None
    early_exit: float | None = None

    def probability(self, found: Evidence) -> float:
        x = (found.vector() - np.array(self.mean)) / np.array(self.scale)
        z = float(np.dot(self.weights, x) + self.bias)
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))

    def answers(self, found: Evidence) -> bool:
        return self.probability(found) > self.threshold

    def as_dict(self) -> dict:
        return {"features": list(FEATURES), "weights": list(self.weights), "bias": self.bias,
                "mean": list(self.mean), "scale": list(self.scale), "threshold": self.threshold,
                "fusion_weight": self.fusion_weight,
                "early_exit": None if self.early_exit is None or math.isinf(self.early_exit) else self.early_exit}

    @classmethod
    def from_dict(cls, values: dict) -> AnswerabilityModel:
        if values.get("features") != list(FEATURES):
            raise ValueError(f"answerability model features {values.get('features')} are not {list(FEATURES)}")
        weight = values.get("fusion_weight")
        return cls(tuple(values["weights"]), float(values["bias"]), tuple(values["mean"]), tuple(values["scale"]),
                   float(values["threshold"]), None if weight is None else float(weight),
                   math.inf if weight is not None and values.get("early_exit") is None else values.get("early_exit"))

"""Question in, Answer out: BM25 + dense retrieval, batched reader passes, fused score, abstention."""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable
from dataclasses import replace

from bot.acronyms import short_form_asked_about, spelled_out
from bot.answerability import AnswerabilityModel, evidence, names_another_year
from bot.casualties import toll_elsewhere
from bot.corpus.byline import asked_role, asks_for_author, covers_topic, find_byline
from bot.corpus.dates import day_meant
from bot.corpus.publication import ASKING as PUBLICATION_ASKING
from bot.corpus.publication import publication_line, publication_question
from bot.corpus.sentences import sentence_spans
from bot.language.countries import names_another_country
from bot.language.informal import is_indonesian_word, normalize_question
from bot.language.word_order import question_word_first, without_name_filler
from bot.money import sum_without_currency
from bot.question_input import without_markup
from bot.quotes import ABOUT, quote_of, speaker_asked_about
from bot.reader.answer_types import QUANTITY, TIME, expected_type, misfits, typed_span, within_a_date
from bot.reader.span_cleanup import answers_with_clause, clean_span
from bot.reader.span_reader import ContextReading, SpanReader
from bot.reader.store import Calibration
from bot.records import Answer, Article, Hit, Span
from bot.retrieval.dense import TextEmbedder
from bot.retrieval.fusion import FusionSettings
from bot.retrieval.index import PassageIndex
from bot.reviewed_answers import NONE as NO_REVIEWS
from bot.reviewed_answers import ReviewedAnswer, ReviewedAnswers
from bot.titles import (holds_no_office, office_of, part_of_the_name, person_asked_about, titled_as_another,
                        titled_as_asked)
from bot.whose_count import counted_for_another_country

logger = logging.getLogger(__name__)


def fused_score(relative_retrieval: float, margin: float, fusion_weight: float) -> float:
    """BERTserini-style interpolation of the retriever's and the reader's evidence.

    score = (1 - mu) * retrieval score / the question's best + mu * reader margin over "no answer"
    """
    return (1 - fusion_weight) * relative_retrieval + fusion_weight * margin


def fused_scores(hits: list[Hit], margins: list[float], fusion_weight: float, best: float | None = None) -> list[float]:
    """`best`: the question's best retrieval score (default: the best of `hits`)."""
    best = (best if best is not None else max(h.score for h in hits)) or 1.0
    return [fused_score(h.score / best, m, fusion_weight) for h, m in zip(hits, margins)]


def best_reading(hits: list[Hit], readings: list[ContextReading], fusion_weight: float,
                 best_retrieval: float | None = None) -> tuple[int, float]:
    """Which of the read passages gives the answer, and its fused score."""
    scores = fused_scores(hits, [r.margin for r in readings], fusion_weight, best_retrieval)
    best = max(range(len(scores)), key=lambda i: scores[i])
    return best, scores[best]


def as_read(index: PassageIndex, question: str) -> str:
    """The question as retrieval and the reader see it: in formal Indonesian (chat abbreviations
    and Jakarta verb forms rewritten), names typed in lower case written as the corpus writes them,
    and a question word typed last put first ("Ashraf Ghani menelepon Rakhmon hari apa?" ->
    "Hari apa Ashraf Ghani menelepon Rakhmon?")."""
    formal = index.names.written(normalize_question(question, index.lexicon), index.lexicon)
    return without_name_filler(question_word_first(formal, lambda word: is_indonesian_word(word)
                                                   and not index.names.is_name(word)))


def titled_otherwise(index: PassageIndex, question: str, hit: Hit, span: tuple[int, int]) -> bool:
    """Whether the span (offsets into the hit's passage) is a person that passage, or its article,
    titles otherwise than the question asks, or a country or group where the question asks who holds
    an office (`bot/titles.py`): such a passage gives no answer."""
    passage = hit.passage
    article = index.articles[passage.article_id].body
    return (titled_as_another(question, passage.text, *span, article)
            or holds_no_office(question, passage.text[span[0] : span[1]], article))


def ruled_out(index: PassageIndex, question: str, hit: Hit, span: tuple[int, int]) -> bool:
    """Whether the hit's passage gives no answer whatever the reader's confidence: its span (offsets
    into the passage) is not the time or quantity asked for (`misfits`; nor is a count cut from a
    date, `within_a_date`), a person titled otherwise than asked (`titled_otherwise`), a piece of
    the name a "who is X?" question asks about (`part_of_the_name`), a count from a sentence that says nothing of deaths where the
    question asks how many died (`toll_elsewhere`), a count of another country's soldiers than
    the question's (`counted_for_another_country`), or a number without a currency where the
    question asks how much money (`sum_without_currency`)."""
    text = hit.passage.text
    counted_date = expected_type(question) == QUANTITY and within_a_date(text, *span)
    return (misfits(question, text[span[0] : span[1]]) or counted_date or titled_otherwise(index, question, hit, span)
            or part_of_the_name(question, text, *span) or toll_elsewhere(question, text, *span)
            or counted_for_another_country(question, text, *span) or sum_without_currency(question, text, *span))


def span_to_answer(index: PassageIndex, question: str, hit: Hit, reading: ContextReading) -> tuple[int, int]:
    """The span of the asked type (`typed_span`); but when that span is a person the passage titles
    otherwise than asked, the reader's next span whom it titles as asked: "Menteri Luar Negeri
    Antony Blinken dan Menteri Pertahanan Lloyd Austin" read for "menteri pertahanan siapa namanya"."""
    text = hit.passage.text
    span = typed_span(question, text, reading)
    if not titled_otherwise(index, question, hit, span):
        return span
    return next(((start, end) for start, end, _ in reading.alternatives
                 if titled_as_asked(question, text, start, end) and not ruled_out(index, question, hit, (start, end))),
                span)


def answer_candidates(index: PassageIndex, question: str, hits: list[Hit]) -> list[Hit]:
    """The hits whose passages may give the answer: not those of an article from another year
    than the one the question names, nor of one that never mentions a country the question names
    (they still count as the closest articles)."""
    articles = [index.articles[h.passage.article_id] for h in hits]
    return [h for h, a in zip(hits, articles)
            if not names_another_year(question, a) and not names_another_country(question, a.story)]


def covering_sentence(text: str, span: Span) -> Span:
    """The sentence (or run of sentences) of `text` that holds the whole span."""
    sentences = sentence_spans(text)
    inside = [s for s in sentences if s.end > span.start and s.start < span.end]
    if not inside:
        return Span(0, len(text))
    return Span(inside[0].start, inside[-1].end)


def related_articles(index: PassageIndex, hits: list[Hit], limit: int = 3) -> tuple[Article, ...]:
    """The articles of the best hits, best first, each once: shown beside an answer or an abstention."""
    ids = list(dict.fromkeys(h.passage.article_id for h in hits))[:limit]
    return tuple(index.articles[i] for i in ids)


class QuestionAnswerer:
    """The bot's whole answering pipeline; the same object serves Telegram, the console and the CLI."""

    def __init__(self, index: PassageIndex, reader: SpanReader, calibration: Calibration, top_k: int = 3,
                 embedder: TextEmbedder | None = None, fusion: FusionSettings = FusionSettings()) -> None:
        if top_k < 1:
            raise ValueError("top_k must be at least 1")
        self.index = index  # replaced whole when articles are added; each call keeps the one it started with
        self.reader = reader
        self.calibration = calibration
        self.top_k = top_k
        self.embedder = embedder  # None: BM25 only
        self.fusion = fusion
        self.answerability = AnswerabilityModel.from_dict(calibration.answerability) if calibration.answerability else None

    def answer(self, question: str) -> Answer:
        return self.answer_many([question])[0]

    def answer_many(self, questions: list[str], reviewed: ReviewedAnswers = NO_REVIEWS) -> list[Answer]:
        """Answer several questions, their passages read in shared batches (higher throughput).

        Retrieval and the reader see each question `as_read`; the answer keeps the question as
        it was asked. A question a moderator has settled (`reviewed`) gets that answer.
        """
        started = time.perf_counter()
        index = self.index
        questions = [q.strip() for q in questions]
        asked = [as_read(index, without_markup(q)) if q else q for q in questions]
        settled = [reviewed.find(a, index) if a else None for a in asked]
        hits = self.retrieve(index, asked)
        # Who wrote a story, and where and when it was published, come from the article, not the reader;
        # so do who someone is, what a short form stands for and what someone said, from an article
        # that names their office, spells the short form out or quotes them.
        from_record = [asks_for_author(a) or publication_question(a) for a in asked]
        titled = [self._office(index, q, a, h, started) or self._expansion(index, q, a, h, started)
                  or self._quote(index, q, a, h, started)
                  if s is None and not r else None
                  for q, a, h, s, r in zip(questions, asked, hits, settled, from_record)]
        to_read = [[] if s is not None or r or t is not None else answer_candidates(index, a, h)
                   for a, h, s, r, t in zip(asked, hits, settled, from_record, titled)]
        readings = self.read_cascade(asked, to_read, self.pick_rule(index)[1], index)
        return [self._reviewed(index, q, a, h, s, started) if s is not None else t or self.decide(index, q, a, h, r, started)
                for q, a, h, r, s, t in zip(questions, asked, hits, readings, settled, titled)]

    def retrieve(self, index: PassageIndex, questions: list[str], k: int | None = None) -> list[list[Hit]]:
        """The top k (default top_k) passages of each question: BM25 and, with vectors, dense similarity."""
        vectors = [None] * len(questions)
        if self.embedder is not None and index.has_vectors:
            asked = [i for i, q in enumerate(questions) if q]
            for i, vector in zip(asked, self.embedder.queries([questions[i] for i in asked])):
                vectors[i] = vector
        return [index.search(q, k or self.top_k, v, self.fusion) if q else [] for q, v in zip(questions, vectors)]

    def hybrid(self, index: PassageIndex) -> bool:
        """Whether questions on this index are decided by the answerability model and its pick rule."""
        return self.answerability is not None and self.embedder is not None and index.has_vectors

    def pick_rule(self, index: PassageIndex) -> tuple[float, float]:
        """(fusion weight, early-exit margin): fitted with the answerability model for hybrid
        retrieval (`python -m bot fit-answerability`), else the BM25-only calibration's."""
        model = self.answerability
        if self.hybrid(index) and model.fusion_weight is not None:
            return model.fusion_weight, model.early_exit
        return self.calibration.fusion_weight, self.calibration.early_exit

    def read_cascade(self, questions: list[str], hits: list[list[Hit]], early_exit: float | None = None,
                     index: PassageIndex | None = None) -> list[list[ContextReading]]:
        """Read each question's best passage; read its other passages only if that one is not convincing.

        A reader margin of at least `early_exit` (default: the pick rule's for the current index)
        on the top passage ends the question there (fitted to cost at most 0.5 points on the
        fitting questions), so a confidently answered question costs one passage instead of
        `top_k`; a top passage whose span is `ruled_out` does not.
        Each stage is one reader pass over all the questions' passages.
        """
        index = index or self.index  # the one the hits come from
        if early_exit is None:
            early_exit = self.pick_rule(index)[1]
        readings: list[list[ContextReading]] = [[] for _ in questions]
        first = [(i, h[0]) for i, h in enumerate(hits) if h]
        rest = [(i, hit) for i, h in enumerate(hits) for hit in h[1:]]

        def convinced(i: int) -> bool:  # by the top passage, unless its span is ruled out
            if len(readings[i]) != 1 or readings[i][0].margin < early_exit:
                return False
            top = hits[i][0]
            return not ruled_out(index, questions[i], top, span_to_answer(index, questions[i], top, readings[i][0]))

        for stage in (first, rest):
            stage = [(i, hit) for i, hit in stage if not convinced(i)]
            found = self.reader.read([questions[i] for i, _ in stage], [hit.passage.text for _, hit in stage])
            for (i, _), reading in zip(stage, found):
                readings[i].append(reading)
        return readings

    def decide(self, index: PassageIndex, question: str, asked: str, hits: list[Hit],
               readings: list[ContextReading], started: float) -> Answer:
        """The best fused (passage, span) over the read passages, or an abstention.

        `asked` is the question as retrieval and the reader saw it; `readings` belong to the
        first len(readings) of its answer candidates among `hits` (`answer_candidates`; the
        others were not read), and every hit counts among the closest articles. A read passage
        whose span is `ruled_out` (no time or quantity where one is asked; a person titled
        "Menteri Pertahanan" for "Menteri Luar Negeri", `bot/titles.py`) cannot give the answer. With a fitted
        answerability model the bot answers when the model's probability that the span is right
        clears its threshold (and reports that probability as the score). The model was fitted with dense
        evidence; without it (BOT_DENSE_RETRIEVAL=off) the fused score must clear the threshold
        calibrated for BM25 alone.
        """
        if hits and asks_for_author(asked):
            return self._author(index, question, asked, hits, started)
        if hits and (kind := publication_question(asked)):
            return self._publication(index, question, asked, hits, kind, started)
        if not readings:
            return self._abstain(index, question, hits, started)
        top = max(h.score for h in hits)
        read = list(zip(answer_candidates(index, asked, hits), readings))
        spans = [span_to_answer(index, asked, hit, reading) for hit, reading in read]
        kept = [i for i, (hit, _) in enumerate(read) if not ruled_out(index, asked, hit, spans[i])]
        if not kept:
            return self._abstain(index, question, hits, started)
        best, score = best_reading([read[i][0] for i in kept], [read[i][1] for i in kept],
                                   self.pick_rule(index)[0], top)
        (hit, reading), (start, end) = read[kept[best]], spans[kept[best]]
        if self.hybrid(index) and hit.dense is not None and math.isfinite(reading.margin):
            found = evidence(index, asked, hit.passage.id, reading.margin, hit.dense, hit.score / (top or 1.0),
                             (start, end))
            score = self.answerability.probability(found)
            confident = score > self.answerability.threshold
        else:
            confident = math.isfinite(score) and score > self.calibration.threshold
        if not confident:
            return self._abstain(index, question, hits, started, score=score)
        article = index.articles[hit.passage.article_id]
        offset = hit.passage.start
        return self._answer(
            question, article.body, Span(offset + start, offset + end),
            article=article, score=score, reader_score=reading.margin,
            retrieval_score=hit.score, related=related_articles(index, hits), started=started, asked=asked,
        )

    def _reviewed(self, index: PassageIndex, question: str, asked: str, hits: list[Hit], settled: ReviewedAnswer,
                  started: float) -> Answer:
        """The answer a moderator settled for this question: their span of the article, or an abstention."""
        if settled.answer is None:
            return replace(self._abstain(index, question, hits, started), mode="reviewed")
        article = index.articles[settled.article_id]
        answer = self._answer(question, article.body, Span(settled.start, settled.end), article=article, score=1.0,
                              reader_score=None, retrieval_score=None, related=related_articles(index, hits),
                              started=started, asked=asked)
        return replace(answer, mode="reviewed")

    def _author(self, index: PassageIndex, question: str, asked: str, hits: list[Hit], started: float) -> Answer:
        """Who wrote it: the byline of the top-ranked article, if that article is the story asked about."""
        hit = hits[0]
        article = index.articles[hit.passage.article_id]
        byline = find_byline(article.body, asked_role(asked))
        if byline is None or not covers_topic(asked, article.story, index.analyzer):
            return self._abstain(index, question, hits, started)
        answer = self._answer(question, article.body, byline, article=article, score=hit.score, reader_score=None,
                              retrieval_score=hit.score, related=related_articles(index, hits), started=started)
        return replace(answer, mode="byline")

    def _publication(self, index: PassageIndex, question: str, asked: str, hits: list[Hit], kind: str,
                     started: float) -> Answer:
        """Where or when the story was published: the record of the top-ranked article, if that
        article is the story asked about."""
        hit = hits[0]
        article = index.articles[hit.passage.article_id]
        found = publication_line(article, kind)
        if found is None or not covers_topic(asked, article.story, index.analyzer, PUBLICATION_ASKING):
            return self._abstain(index, question, hits, started)
        line, span = found
        answer = self._answer(question, line, span, article=article, score=hit.score, reader_score=None,
                              retrieval_score=hit.score, related=related_articles(index, hits), started=started)
        return replace(answer, mode="publication")

    def _office(self, index: PassageIndex, question: str, asked: str, hits: list[Hit], started: float) -> Answer | None:
        """Who someone is, as the best-ranked article that names them with an office writes it
        ("Siapa Ned Price?" -> "juru bicara Departemen Luar Negeri, Ned Price"), or None (also
        when the question asks something else); decided before reading, so it costs no reader pass."""
        name = person_asked_about(asked) if hits else None
        if name is None:
            return None
        return self._from_first_article(index, question, hits, started, "office", lambda article: office_of(article.body, name))

    def _expansion(self, index: PassageIndex, question: str, asked: str, hits: list[Hit], started: float) -> Answer | None:
        """What a short form stands for, as the best-ranked article that spells it out writes it
        ("csto itu apaan" -> "Organisasi Pakta Keamanan Kolektif"), or None (also when the question
        asks something else, or no article spells it out); no reader pass."""
        short = short_form_asked_about(asked) if hits else None
        if short is None:
            return None
        return self._from_first_article(index, question, hits, started, "expansion",
                                        lambda article: spelled_out(article.body, short))

    def _quote(self, index: PassageIndex, question: str, asked: str, hits: list[Hit], started: float) -> Answer | None:
        """What someone said, as the best-ranked article that quotes them on the question's topic
        writes it ("apa kata ned price soal kedutaan" -> “Ini bukan pengabaian. ...”), "tidak tahu"
        when no article does, or None when the question asks something else; no reader pass."""
        asked_about = speaker_asked_about(asked) if hits else None
        if asked_about is None:
            return None
        name, topic = asked_about

        def their_words(article: Article) -> tuple[int, int] | None:
            if topic and not covers_topic(topic, article.story, index.analyzer, ABOUT):
                return None
            return quote_of(article.body, name, topic)

        quoted = self._from_first_article(index, question, hits, started, "quote", their_words)
        # The reader never learnt such questions: asked "biden bilang apa" of articles that never
        # quote Biden, it answered "Afghanistan". No quote, no answer.
        return quoted or self._abstain(index, question, hits, started)

    def _from_first_article(self, index: PassageIndex, question: str, hits: list[Hit], started: float, mode: str,
                            find: Callable[[Article], tuple[int, int] | None]) -> Answer | None:
        """The answer `find` gives in the best-ranked article where it gives one (each article tried
        once, at its best-ranked passage), or None."""
        tried: set[str] = set()
        for hit in hits:
            if hit.passage.article_id in tried:
                continue
            tried.add(hit.passage.article_id)
            article = index.articles[hit.passage.article_id]
            found = find(article)
            if found is not None:
                answer = self._answer(question, article.body, Span(*found), article=article, score=hit.score,
                                      reader_score=None, retrieval_score=hit.score,
                                      related=related_articles(index, hits), started=started)
                return replace(answer, mode=mode)
        return None

    def answer_from_context(self, question: str, context: str) -> Answer:
        """Answer from the given text alone (no retrieval), as reading-comprehension checks do."""
        started = time.perf_counter()
        question = question.strip()
        if not question or not context.strip():
            return Answer(question, None, -math.inf, None, None, None, None, None, None)
        reading = self.reader.read([question], [context])[0]
        if not math.isfinite(reading.margin) or reading.margin <= self.calibration.rc_threshold:
            latency = (time.perf_counter() - started) * 1000
            return Answer(question, None, reading.margin, reading.margin, None, None, None, None, None, latency_ms=latency)
        return self._answer(question, context, Span(*typed_span(question, context, reading)), article=None,
                            score=reading.margin, reader_score=reading.margin, retrieval_score=None,
                            related=(), started=started)

    def _answer(self, question: str, text: str, raw: Span, *, article: Article | None, score: float,
                reader_score: float | None, retrieval_score: float | None, related: tuple[Article, ...],
                started: float, asked: str | None = None) -> Answer:
        asked = asked or question
        sentence = covering_sentence(text, raw)
        span = clean_span(asked, text, raw, sentence)
        sentence = covering_sentence(text, span)
        answer = Answer(
            question=question,
            text=text[span.start : span.end],
            score=score,
            reader_score=reader_score,
            retrieval_score=retrieval_score,
            article=article,
            sentence=text[sentence.start : sentence.end],
            sentence_span=sentence,
            span=span,
            related=related,
            mode="clause" if answers_with_clause(asked) else "reader",
            day=day_meant(text[span.start : span.end], article.date) if article and expected_type(asked) == TIME else None,
        )
        return replace(answer, latency_ms=(time.perf_counter() - started) * 1000)

    def _abstain(self, index: PassageIndex, question: str, hits: list[Hit], started: float,
                 score: float = -math.inf) -> Answer:
        return Answer(
            question=question, text=None, score=score, reader_score=None,
            retrieval_score=hits[0].score if hits else None, article=None, sentence=None,
            sentence_span=None, span=None, related=related_articles(index, hits),
            latency_ms=(time.perf_counter() - started) * 1000,
        )

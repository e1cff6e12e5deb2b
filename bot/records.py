"""The data that flows through the bot: articles, passages, retrieved hits and answers."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Article:
    id: str  # file stem (e.g. "000_e9daff8fcb14e5bf") or the JSONL id
    title: str
    source: str  # the outlet, e.g. "iNews.id"; "" when unknown
    date: str | None  # ISO 8601 date (YYYY-MM-DD) when the capture states one
    url: str | None
    body: str  # cleaned article text; all offsets point into it
    dateline: str | None = None  # where the story was filed, as it opened ("WASHINGTON, iNews.id -"), when cut from the body

    @property
    def story(self) -> str:
        """The headline and the body: everything the article says."""
        return f"{self.title}\n{self.body}"

    def citation(self) -> dict:
        return {"id": self.id, "title": self.title, "source": self.source, "date": self.date, "url": self.url}


@dataclass(frozen=True)
class Passage:
    """A window of whole sentences of one article, with offsets into the article body."""

    id: int  # position in the index
    article_id: str
    start: int
    end: int
    text: str  # == article.body[start:end]


@dataclass(frozen=True)
class Hit:
    passage: Passage
    score: float  # retrieval score: BM25, or BM25 and dense fused (higher is better)
    bm25: float = 0.0  # the passage's BM25 score for the question
    dense: float | None = None  # cosine of question and passage vectors (None: no dense retrieval)


@dataclass(frozen=True)
class Span:
    start: int
    end: int


@dataclass(frozen=True)
class Answer:
    """The bot's reply to one question: an extracted span with its citation, or an abstention."""

    question: str
    text: str | None  # None when the bot abstains
    score: float  # fused retriever + reader score (the answer/abstain decision is made on it)
    reader_score: float | None  # reader margin of the span over "no answer"
    retrieval_score: float | None  # BM25 score of the passage the span came from
    article: Article | None
    sentence: str | None  # the sentence the span was extracted from
    sentence_span: Span | None  # offsets of that sentence in article.body
    span: Span | None  # offsets of the answer in article.body
    related: tuple[Article, ...] = field(default=())  # closest articles (shown when abstaining)
    # "clause": a why/how question answered with a clause; "byline": who wrote it; "publication": where or
    # when it was published; "office": who someone is, as an article titles them; "expansion": what a
    # short form stands for, as an article spells it out; "quote": what someone said, as an article
    # quotes them (these four: score = retrieval); "reviewed": the answer a
    # moderator settled for this question
    mode: str = "reader"
    latency_ms: float = 0.0
    day: str | None = None  # the calendar day a time answer means ("Kamis lalu" -> "26 Agustus 2021"), by the article's date

    @property
    def abstained(self) -> bool:
        return self.text is None

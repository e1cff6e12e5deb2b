"""Evaluate the whole pipeline on questions with gold answers and gold articles (seed_dev format)."""

from __future__ import annotations

import json
import statistics
from dataclasses import dataclass
from pathlib import Path

from bot.metrics import exact_match, token_f1
from bot.records import Answer


@dataclass(frozen=True)
class GoldQuestion:
    id: str
    question: str
    answers: tuple[str, ...]  # empty: the corpus does not hold the answer
    articles: tuple[str, ...]  # gold article ids or id prefixes ("000")

    @property
    def answerable(self) -> bool:
        return bool(self.answers)


def load_gold(path: Path) -> list[GoldQuestion]:
    questions = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            questions.append(GoldQuestion(str(row["id"]), row["question"], tuple(row.get("answers", [])),
                                          tuple(str(a) for a in row.get("articles", []))))
    return questions


def is_gold_article(article_id: str, gold: GoldQuestion) -> bool:
    """Whether the article is one of the gold ones (given whole, or by a seed's id prefix such as "000")."""
    return any(article_id == a or article_id.startswith(a + "_") for a in gold.articles)


def cites_gold(answer: Answer, gold: GoldQuestion) -> bool:
    return answer.article is not None and is_gold_article(answer.article.id, gold)


@dataclass(frozen=True)
class PipelineScores:
    questions: int
    answerable: int
    exact_match: float  # on answerable questions
    f1: float  # on answerable questions
    citation_accuracy: float  # cited article among the gold ones, answerable questions
    abstention_accuracy: float | None  # share of unanswerable questions the bot declined
    false_abstentions: int  # answerable questions the bot declined
    overall_f1: float  # all questions, abstaining on unanswerable counted as correct
    median_latency_ms: float

    def as_dict(self) -> dict:
        return {k: round(v, 4) if isinstance(v, float) else v for k, v in self.__dict__.items()}


def score_pipeline(gold: list[GoldQuestion], answers: list[Answer]) -> PipelineScores:
    answerable = [(g, a) for g, a in zip(gold, answers) if g.answerable]
    unanswerable = [(g, a) for g, a in zip(gold, answers) if not g.answerable]
    mean = lambda xs: 100 * statistics.fmean(xs) if xs else 0.0  # noqa: E731
    return PipelineScores(
        questions=len(gold),
        answerable=len(answerable),
        exact_match=mean([exact_match(a.text, g.answers) for g, a in answerable]),
        f1=mean([token_f1(a.text, g.answers) for g, a in answerable]),
        citation_accuracy=mean([cites_gold(a, g) for g, a in answerable]),
        abstention_accuracy=mean([a.abstained for _, a in unanswerable]) if unanswerable else None,
        false_abstentions=sum(a.abstained for _, a in answerable),
        overall_f1=mean([token_f1(a.text, g.answers) for g, a in zip(gold, answers)]),
        median_latency_ms=statistics.median(a.latency_ms for a in answers) if answers else 0.0,
    )

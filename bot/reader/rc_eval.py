"""Reading-comprehension evaluation: EM/F1 on gold contexts, and the abstention threshold."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bot.metrics import exact_match, token_f1
from bot.reader.qa_data import QAExample
from bot.reader.span_reader import ContextReading, SpanReader


@dataclass(frozen=True)
class RCScores:
    exact_match: float
    f1: float
    f1_answerable: float | None
    f1_unanswerable: float | None
    threshold: float | None
    count: int

    def as_dict(self) -> dict:
        return {k: (round(v, 2) if isinstance(v, float) else v) for k, v in self.__dict__.items()}


def predictions(examples: list[QAExample], readings: list[ContextReading], threshold: float | None) -> list[str | None]:
    """The span text, or None where the margin over "no answer" is at or below the threshold."""
    out = []
    for example, reading in zip(examples, readings):
        answer = None
        if np.isfinite(reading.span_score) and (threshold is None or reading.margin > threshold):
            answer = example.context[reading.start : reading.end]
        out.append(answer)
    return out


def score(examples: list[QAExample], answers: list[str | None], threshold: float | None = None) -> RCScores:
    em = [exact_match(a, e.answers) for e, a in zip(examples, answers)]
    f1 = [token_f1(a, e.answers) for e, a in zip(examples, answers)]
    answerable = [f for f, e in zip(f1, examples) if not e.is_impossible]
    unanswerable = [f for f, e in zip(f1, examples) if e.is_impossible]
    return RCScores(
        exact_match=100 * float(np.mean(em)),
        f1=100 * float(np.mean(f1)),
        f1_answerable=100 * float(np.mean(answerable)) if answerable else None,
        f1_unanswerable=100 * float(np.mean(unanswerable)) if unanswerable else None,
        threshold=threshold,
        count=len(examples),
    )


def best_threshold(examples: list[QAExample], readings: list[ContextReading]) -> float:
    """The margin threshold that maximises F1 with "no answer" counted as an answer."""
    margins = sorted({r.margin for r in readings if np.isfinite(r.margin)})
    candidates = [margins[0] - 1.0] + [(a + b) / 2 for a, b in zip(margins, margins[1:])] + [margins[-1] + 1.0]
    # Pre-compute each example's F1 when answering and when abstaining.
    answered = [token_f1(e.context[r.start : r.end], e.answers) if np.isfinite(r.span_score) else token_f1(None, e.answers)
                for e, r in zip(examples, readings)]
    abstained = [token_f1(None, e.answers) for e in examples]
    margin_array = np.array([r.margin for r in readings])
    best, best_f1 = candidates[0], -1.0
    for t in candidates:
        take = margin_array > t
        f1 = float(np.mean(np.where(take, answered, abstained)))
        if f1 > best_f1:
            best, best_f1 = t, f1
    return float(best)


def evaluate(reader: SpanReader, examples: list[QAExample], threshold: float | None = None, tune: bool = False) -> tuple[RCScores, list[ContextReading]]:
    """Score the reader on gold contexts; with tune=True pick the threshold on these examples."""
    readings = reader.read([e.question for e in examples], [e.context for e in examples])
    if tune:
        threshold = best_threshold(examples, readings)
    return score(examples, predictions(examples, readings, threshold), threshold), readings

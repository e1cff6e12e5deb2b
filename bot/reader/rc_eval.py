"""Reading-comprehension evaluation: EM/F1 on gold contexts, and the abstention threshold."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bot.metrics import exact_match, token_f1
from bot.reader.answer_types import typed_span
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
    answerable: int = 0
    unanswerable: int = 0
    exact_match_answerable: float | None = None
    exact_match_unanswerable: float | None = None

    def as_dict(self) -> dict:
        return {k: (round(v, 2) if isinstance(v, float) else v) for k, v in self.__dict__.items()}


def predictions(examples: list[QAExample], readings: list[ContextReading], threshold: float | None,
                span_choice: bool = False) -> list[str | None]:
    """The span text, or None where the margin over "no answer" is at or below the threshold.

    With `span_choice`, the span the bot would take among the reader's candidates (the asked
    type, within one sentence: `typed_span`) instead of the reader's top span."""
    out = []
    for example, reading in zip(examples, readings):
        answer = None
        if np.isfinite(reading.span_score) and (threshold is None or reading.margin > threshold):
            start, end = reading.start, reading.end
            if span_choice:
                start, end = typed_span(example.question, example.context, reading)
            answer = example.context[start:end]
        out.append(answer)
    return out


def score(examples: list[QAExample], answers: list[str | None], threshold: float | None = None) -> RCScores:
    em = [exact_match(a, e.answers) for e, a in zip(examples, answers)]
    f1 = [token_f1(a, e.answers) for e, a in zip(examples, answers)]
    if not examples:
        raise ValueError("no examples to score")

    def mean(values: list[float], impossible: bool | None = None) -> float | None:
        picked = [v for v, e in zip(values, examples) if impossible is None or e.is_impossible == impossible]
        return 100 * float(np.mean(picked)) if picked else None

    unanswerable = sum(e.is_impossible for e in examples)
    return RCScores(
        exact_match=mean(em),
        f1=mean(f1),
        f1_answerable=mean(f1, False),
        f1_unanswerable=mean(f1, True),
        threshold=threshold,
        count=len(examples),
        answerable=len(examples) - unanswerable,
        unanswerable=unanswerable,
        exact_match_answerable=mean(em, False),
        exact_match_unanswerable=mean(em, True),
    )


def difference(a: RCScores, b: RCScores) -> dict:
    """b minus a for every score both have (None where either lacks it)."""
    out = {}
    for key in ("exact_match", "f1", "exact_match_answerable", "f1_answerable", "exact_match_unanswerable", "f1_unanswerable"):
        x, y = getattr(a, key), getattr(b, key)
        out[key] = None if x is None or y is None else round(y - x, 2)
    return out


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


def reader_report(reader: SpanReader, examples: list[QAExample], rc_threshold: float) -> dict:
    """Scores always answering and with the calibrated abstention threshold, split
    answerable/unanswerable, each with the reader's top span and with the bot's span choice."""
    readings = reader.read([e.question for e in examples], [e.context for e in examples])
    return {
        "always_answer": score(examples, predictions(examples, readings, None)),
        "with_abstention": score(examples, predictions(examples, readings, rc_threshold), rc_threshold),
        "always_answer_bot_span": score(examples, predictions(examples, readings, None, span_choice=True)),
        "with_abstention_bot_span": score(examples, predictions(examples, readings, rc_threshold, span_choice=True),
                                          rc_threshold),
    }


def compare_reports(a: dict, b: dict) -> dict:
    """The second report minus the first, per mode."""
    return {mode: difference(a[mode], b[mode]) for mode in a}

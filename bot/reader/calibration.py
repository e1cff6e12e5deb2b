"""Tune the fusion weight and the abstention thresholds on IDK-MRC valid.

Open-domain tuning: the valid contexts become a small corpus, every valid question (half of
them unanswerable) is retrieved and read exactly as the bot does, and the fusion weight and
threshold that maximise F1 (abstaining on an unanswerable question counts as correct) are
kept. The reading-comprehension threshold (question + given context) is tuned on the same
questions with their gold contexts.
"""

from __future__ import annotations

import json
import logging
import math
from dataclasses import asdict
from pathlib import Path

import numpy as np

from bot.metrics import token_f1
from bot.pipeline import fused_scores
from bot.reader.qa_data import QAExample, load_squad_like
from bot.reader.rc_eval import best_threshold
from bot.reader.span_reader import SpanReader
from bot.reader.store import CALIBRATION, Calibration
from bot.records import Article
from bot.retrieval.index import PassageIndex

logger = logging.getLogger(__name__)

FUSION_GRID = (0.05, 0.1, 0.2, 0.5, 0.7, 0.9, 0.95, 1.0)
EARLY_EXIT_TOLERANCE = 0.5  # F1 points the early exit may cost on the tuning questions (speed target: within 1 on dev)


def _corpus(examples: list[QAExample]) -> list[Article]:
    contexts = list(dict.fromkeys(e.context for e in examples))
    return [Article(f"ctx{i}", "", "", None, None, c) for i, c in enumerate(contexts)]


def _threshold_for(scores: list[float], answered_f1: list[float], abstained_f1: list[float]) -> tuple[float, float]:
    finite = sorted({s for s in scores if math.isfinite(s)})
    candidates = [finite[0] - 1.0] + [(a + b) / 2 for a, b in zip(finite, finite[1:])] + [finite[-1] + 1.0]
    s = np.array(scores)
    best, best_f1 = candidates[0], -1.0
    for t in candidates:
        f1 = float(np.mean(np.where(s > t, answered_f1, abstained_f1)))
        if f1 > best_f1:
            best, best_f1 = t, f1
    return float(best), 100 * best_f1


def calibrate(reader: SpanReader, valid_path: Path, top_k: int = 5, out: Path = CALIBRATION) -> dict:
    examples = load_squad_like(valid_path)
    index = PassageIndex.build(_corpus(examples))
    per_question = []
    for example in examples:
        hits = index.search(example.question, top_k)
        readings = reader.read([example.question] * len(hits), [h.passage.text for h in hits]) if hits else []
        per_question.append((example, hits, readings))

    results, decisions = {}, {}
    for mu in FUSION_GRID:
        decisions[mu] = scores, answered, abstained = _decisions(per_question, mu, early_exit=math.inf)
        threshold, f1 = _threshold_for(scores, answered, abstained)
        results[mu] = (threshold, f1)
        logger.info("fusion weight %.2f: threshold %.3f, open-domain F1 %.2f", mu, threshold, f1)
    mu = max(results, key=lambda m: results[m][1])
    threshold, full_f1 = results[mu]
    early_exit, exit_f1, exit_share = _early_exit_for(per_question, mu, threshold, full_f1, decisions[mu])

    gold_readings = reader.read([e.question for e in examples], [e.context for e in examples])
    calibration = Calibration(fusion_weight=mu, threshold=threshold, early_exit=early_exit,
                              rc_threshold=best_threshold(examples, gold_readings))
    record = {
        **asdict(calibration),
        "tuned_on": f"IDK-MRC valid ({len(examples)} questions), open-domain over its {len(index.articles)} contexts, top {top_k}",
        "open_domain_f1": {str(m): round(f, 2) for m, (_, f) in results.items()},
        "early_exit_f1": round(exit_f1, 2),
        "early_exit_share": round(exit_share, 3),
    }
    if not math.isfinite(early_exit):
        record["early_exit"] = None
    previous = json.loads(out.read_text()) if out.exists() else {}
    kept = {k: v for k, v in previous.items() if k.startswith("answerability")}  # fit-answerability's, refit after this
    out.write_text(json.dumps({**record, **kept}, indent=2) + "\n")
    return record


def _decisions(per_question, mu: float, early_exit: float) -> tuple[list[float], list[float], list[float]]:
    """Per question: the fused score of the pipeline's pick, its F1 if answered, its F1 if abstaining."""
    scores, answered, abstained = [], [], []
    for example, hits, readings in per_question:
        abstained.append(token_f1(None, example.answers))
        if not hits:
            scores.append(-math.inf)
            answered.append(abstained[-1])
            continue
        if readings[0].margin >= early_exit:  # as QuestionAnswerer.read_cascade: the rest is not read
            readings = readings[:1]
        fused = fused_scores(hits, [r.margin for r in readings], mu)
        best = int(np.argmax(fused))
        reading, passage = readings[best], hits[best].passage
        text = passage.text[reading.start : reading.end] if math.isfinite(reading.span_score) else None
        scores.append(fused[best])
        answered.append(token_f1(text, example.answers))
    return scores, answered, abstained


def _early_exit_for(per_question, mu: float, threshold: float, full_f1: float, full) -> tuple[float, float, float]:
    """The lowest top-passage margin from which ending questions early keeps F1 within tolerance.

    `full` is `_decisions` with every passage read. Every higher margin must keep F1 within
    tolerance too, so that the choice does not rest on one lucky point.
    """
    early = _decisions(per_question, mu, early_exit=-math.inf)  # every question stops at its top passage
    f1_full, f1_early = (np.where(np.array(d[0]) > threshold, d[1], d[2]) for d in (full, early))
    top_margin = np.array([r[0].margin if h else -math.inf for _, h, r in per_question])
    chosen, chosen_f1 = math.inf, full_f1
    for candidate in sorted(set(top_margin[np.isfinite(top_margin)]), reverse=True):
        # The top hit has the best BM25 score (search sorts them), so its fused score is this:
        if (1 - mu) + mu * candidate <= threshold:  # exit early only where the top passage answers
            break
        f1 = 100 * float(np.mean(np.where(top_margin >= candidate, f1_early, f1_full)))
        if f1 < full_f1 - EARLY_EXIT_TOLERANCE:
            break
        chosen, chosen_f1 = float(candidate), f1
    share = float(np.mean(top_margin >= chosen))
    logger.info("early exit from margin %.3f: F1 %.2f (all passages: %.2f), %.0f%% of questions stop early",
                chosen, chosen_f1, full_f1, 100 * share)
    return chosen, chosen_f1, share

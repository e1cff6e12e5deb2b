"""Fit the answer-or-abstain model (bot/answerability.py) on validation questions.

Each fitting set is a reading-comprehension file run as an open-domain task: its contexts are
the corpus and every question is retrieved and read exactly as the bot does. Every answerable
question is asked twice: once as it is, and once with its gold context taken out of the hits
("gold removed"): then the corpus really does not hold the answer, while the question still
shares words with it, which is what out-of-corpus questions from users look like. IDK-MRC adds
its own unanswerable questions. Labels: an answer is right when its F1 against the gold
answers is at least 0.5; the threshold maximises the mean F1 over the fitting questions, where
abstaining scores 1 on an unanswerable question and 0 on an answerable one.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import numpy as np
from scipy.optimize import minimize
from tqdm import tqdm

from bot.answerability import AnswerabilityModel, Evidence, evidence
from bot.evaluation import GoldQuestion
from bot.language.informal import normalize_question
from bot.metrics import token_f1
from bot.open_domain import cached_index, load_questions
from bot.pipeline import QuestionAnswerer, best_reading
from bot.reader.answer_types import typed_span
from bot.retrieval.index import IndexSettings

logger = logging.getLogger(__name__)

RIGHT_F1 = 0.5  # an answer at least this close to a gold answer counts as right


@dataclass(frozen=True)
class FitSet:
    name: str
    corpus: tuple[str, ...]  # under the data folder
    questions: str


FIT_SETS = (
    FitSet("facqa_valid", ("facqa/train_preprocess.csv", "facqa/valid_preprocess.csv"), "facqa/valid_preprocess.csv"),
    FitSet("idk_mrc_valid", ("idk_mrc/valid.json",), "idk_mrc/valid.json"),
)


@dataclass(frozen=True)
class Case:
    """One question as the decision sees it: the evidence, and what answering or abstaining scores."""

    set_name: str
    question_id: str
    gold_removed: bool
    found: Evidence | None  # None: nothing was read (the bot abstains regardless)
    fused: float  # the fused score of the pick (what the threshold rule decides on)
    answered_f1: float  # F1 of the bot's best span (0 for an unanswerable question)
    abstained_f1: float  # 1 for an unanswerable question, else 0


def collect(answerer: QuestionAnswerer, questions: list[GoldQuestion], set_name: str,
            gold_removed: bool, batch: int = 8) -> list[Case]:
    """Run each question through retrieval and the reader cascade; with `gold_removed`, skip its gold article."""
    index = answerer.index
    cases = []
    for start in tqdm(range(0, len(questions), batch), desc=f"{set_name}{' (gold removed)' if gold_removed else ''}",
                      unit="batch"):
        chunk = questions[start : start + batch]
        asked = [normalize_question(q.question, index.lexicon) for q in chunk]
        hits = []
        deep = answerer.retrieve(index, asked, k=answerer.top_k + 20)  # top_k left once the gold article is out
        for q, found in zip(chunk, deep):
            if gold_removed:
                found = [h for h in found if h.passage.article_id not in q.articles]
            hits.append(found[: answerer.top_k])
        readings = answerer.read_cascade(asked, hits)
        for q, a, h, r in zip(chunk, asked, hits, readings):
            unanswerable = gold_removed or not q.answerable
            abstained = 1.0 if unanswerable else 0.0
            if not r:
                cases.append(Case(set_name, q.id, gold_removed, None, -math.inf, 0.0, abstained))
                continue
            best, fused = best_reading(h, r, answerer.calibration.fusion_weight)
            hit, reading = h[best], r[best]
            start, end = typed_span(a, hit.passage.text, reading)
            text = hit.passage.text[start:end] if math.isfinite(reading.margin) else None
            found_ = evidence(index, a, hit.passage.id, reading.margin, hit.dense,
                              hit.score / (max(x.score for x in h) or 1.0), text or "")
            f1 = 0.0 if unanswerable or text is None else token_f1(text, q.answers)
            cases.append(Case(set_name, q.id, gold_removed, found_, fused, f1, abstained))
    return cases


def fit(cases: list[Case], l2: float = 1.0) -> AnswerabilityModel:
    """Logistic regression of "the answer is right" on the evidence, and the best threshold."""
    usable = [c for c in cases if c.found is not None]
    x = np.array([c.found.vector() for c in usable])
    y = np.array([c.answered_f1 >= RIGHT_F1 for c in usable], dtype=float)
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    z = (x - mean) / scale

    def loss(params: np.ndarray) -> tuple[float, np.ndarray]:
        w, b = params[:-1], params[-1]
        logits = z @ w + b
        p = 1 / (1 + np.exp(-logits))
        eps = 1e-9
        value = -np.mean(y * np.log(p + eps) + (1 - y) * np.log(1 - p + eps)) + l2 * np.sum(w**2) / len(y)
        grad_logits = (p - y) / len(y)
        return value, np.append(z.T @ grad_logits + 2 * l2 * w / len(y), grad_logits.sum())

    result = minimize(loss, np.zeros(z.shape[1] + 1), jac=True, method="L-BFGS-B")
    model = AnswerabilityModel(tuple(map(float, result.x[:-1])), float(result.x[-1]), tuple(map(float, mean)),
                               tuple(map(float, scale)), threshold=0.5)
    return replace(model, threshold=best_threshold(model, cases))


def best_threshold(model: AnswerabilityModel, cases: list[Case]) -> float:
    """The probability threshold that maximises the mean of two F1s: over the answerable cases
    and over the unanswerable ones (so that neither kind outweighs the other by its count)."""
    probabilities = np.array([model.probability(c.found) if c.found else -1.0 for c in cases])
    answered = np.array([c.answered_f1 for c in cases])
    abstained = np.array([c.abstained_f1 for c in cases])
    unanswerable = abstained == 1.0
    best, best_f1 = 0.5, -1.0
    for t in np.linspace(0.02, 0.98, 97):
        scores = np.where(probabilities > t, answered, abstained)
        f1 = float(np.mean(scores[~unanswerable]) + np.mean(scores[unanswerable])) / 2
        if f1 > best_f1 + 1e-12:
            best, best_f1 = float(t), f1
    return best


def report(model: AnswerabilityModel | None, cases: list[Case], threshold: float = 0.0) -> dict:
    """Per set: F1 on answerable questions, share declined of unanswerable ones, overall F1."""
    out = {}
    for name in dict.fromkeys(c.set_name + (" gold removed" if c.gold_removed else "") for c in cases):
        group = [c for c in cases if c.set_name + (" gold removed" if c.gold_removed else "") == name]
        decided = [(c, _answers(model, c, threshold)) for c in group]
        answerable = [(c, d) for c, d in decided if c.abstained_f1 == 0.0]
        unanswerable = [(c, d) for c, d in decided if c.abstained_f1 == 1.0]
        out[name] = {
            "questions": len(group),
            "answerable_f1": round(100 * np.mean([c.answered_f1 if d else 0.0 for c, d in answerable]), 1) if answerable else None,
            "unanswerable_declined": round(100 * np.mean([not d for _, d in unanswerable]), 1) if unanswerable else None,
            "overall_f1": round(100 * np.mean([c.answered_f1 if d else c.abstained_f1 for c, d in decided]), 1),
        }
    return out


def _answers(model: AnswerabilityModel | None, case: Case, threshold: float) -> bool:
    """The model's decision, or (model None) the fused-score threshold rule's."""
    if case.found is None:
        return False
    if model is not None:
        return model.answers(case.found)
    return math.isfinite(case.fused) and case.fused > threshold


def fitting_cases(make_answerer, data_dir: Path, cache_dir: Path, embedder, stamp: str,
                  sets: tuple[FitSet, ...] = FIT_SETS) -> list[Case]:
    """Cases from every fitting set; `make_answerer(index)` builds the pipeline over a set's corpus.

    Collecting them reads thousands of passages, so each set's cases are kept in `cache_dir`
    under `stamp` (reader version and settings): refitting after that takes a second.
    """
    cases = []
    for fit_set in sets:
        saved = cache_dir / f"cases-{fit_set.name}-{stamp}.json"
        if saved.exists():
            cases += [_case(row) for row in json.loads(saved.read_text())]
            continue
        corpus = [data_dir / c for c in fit_set.corpus]
        answerer = make_answerer(cached_index(corpus, IndexSettings(), embedder, cache_dir))
        questions = load_questions(data_dir / fit_set.questions, corpus)
        found = collect(answerer, questions, fit_set.name, gold_removed=False)
        found += collect(answerer, [q for q in questions if q.answerable], fit_set.name, gold_removed=True)
        saved.parent.mkdir(parents=True, exist_ok=True)
        saved.write_text(json.dumps([asdict(c) for c in found]))
        cases += found
    return cases


def _case(row: dict) -> Case:
    found = Evidence(**row["found"]) if row["found"] else None
    return Case(**{**row, "found": found})


HELD_OUT = FitSet("tydiqa_id_valid", ("tydiqa_id/train.json", "tydiqa_id/valid.json"), "tydiqa_id/valid.json")


def run(settings, data_dir: Path, cache_dir: Path, out: Path) -> dict:
    """`python -m bot fit-answerability`: fit on FacQA + IDK-MRC valid, check on TyDi QA-ID valid, save."""
    from bot.answerability import FEATURES
    from bot.reader.store import CALIBRATION, Calibration, load_reader, model_version, serving_weights
    from bot.retrieval.dense import load_embedder

    reader = load_reader(data_dir=settings.data_dir, weights=serving_weights(settings.data_dir))
    embedder = None
    if settings.dense_retrieval:
        embedder = load_embedder(settings.data_dir, shared_word=reader.model.word.weight, shared_tokenizer=reader.tokenizer)
    calibration = replace(Calibration.load(), answerability=None)

    def make_answerer(index):
        return QuestionAnswerer(index, reader, calibration, top_k=settings.top_k, embedder=embedder)

    stamp = hashlib.sha256(json.dumps([model_version(serving_weights(settings.data_dir)), settings.top_k,
                                       embedder is not None, FEATURES, asdict(calibration)]).encode()).hexdigest()[:12]
    fitted = fitting_cases(make_answerer, data_dir, cache_dir, embedder, stamp)
    model = fit(fitted)
    held_out = fitting_cases(make_answerer, data_dir, cache_dir, embedder, stamp, (HELD_OUT,))
    record = {
        "fitted_on": [s.name for s in FIT_SETS] + ["(each answerable question also with its gold context removed)"],
        "top_k": settings.top_k, "dense": embedder is not None,
        "fit": {"model": report(model, fitted), "threshold_rule": report(None, fitted, calibration.threshold)},
        "held_out": {"model": report(model, held_out), "threshold_rule": report(None, held_out, calibration.threshold)},
    }
    path = out if out.exists() else CALIBRATION
    values = json.loads(path.read_text()) if path.exists() else {}
    values["answerability"] = model.as_dict()
    values["answerability_record"] = record
    out.write_text(json.dumps(values, indent=2) + "\n")
    return record

"""The answer-or-abstain model: fitting, thresholds, persistence, and its use in the pipeline."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from bot.answerability import FEATURES, AnswerabilityModel, Evidence
from bot.answerability_fit import Case, best_threshold, fit, report


def _cases(n: int = 400, seed: int = 1) -> list[Case]:
    """Answerable questions whose words the article covers; unanswerable ones whose names it lacks."""
    rng = np.random.default_rng(seed)
    cases = []
    for i in range(n):
        answerable = i % 2 == 0
        cover = rng.uniform(0.7, 1.0) if answerable else rng.uniform(0.2, 0.8)
        found = Evidence(margin=rng.normal(10 if answerable else 6, 3), dense=rng.uniform(0.8, 0.9),
                         passage_cover=cover, article_cover=cover, missing_rare=0 if answerable else int(rng.integers(0, 3)))
        right = answerable and rng.random() < 0.8
        cases.append(Case("synthetic", str(i), not answerable, found, 0.0, 1.0 if right else 0.0, 0.0 if answerable else 1.0))
    return cases


def test_fitted_model_separates_answerable_from_unanswerable():
    cases = _cases()
    model = fit(cases)
    scores = report(model, cases)["synthetic"], report(model, cases)["synthetic gold removed"]
    assert scores[0]["answerable_f1"] > 60 and scores[1]["unanswerable_declined"] > 70
    assert 0.02 <= model.threshold <= 0.98
    names = dict(zip(FEATURES, model.weights))
    assert names["article_cover"] > 0 and names["missing_rare"] < 0  # the evidence points the right way


def test_threshold_weighs_both_kinds_equally():
    model = fit(_cases())
    lopsided = _cases() + [c for c in _cases(seed=2) if c.abstained_f1 == 1.0] * 3
    assert abs(best_threshold(model, lopsided) - best_threshold(model, _cases())) < 0.2


def test_model_round_trips_and_rejects_other_features():
    model = fit(_cases())
    again = AnswerabilityModel.from_dict(model.as_dict())
    probe = Evidence(12.0, 0.85, 0.9, 1.0, 0)
    assert again.probability(probe) == pytest.approx(model.probability(probe))
    with pytest.raises(ValueError, match="features"):
        AnswerabilityModel.from_dict({**model.as_dict(), "features": ["margin"]})


def test_pipeline_uses_the_model(answerer):
    """A model that never believes an answer makes the real pipeline decline; one that always does, answer."""
    from bot.pipeline import QuestionAnswerer

    question = "Siapa Sekretaris Jenderal CSTO?"
    base = AnswerabilityModel((0.0,) * len(FEATURES), 0.0, (0.0,) * len(FEATURES), (1.0,) * len(FEATURES), 0.5)
    for bias, answers in ((-5.0, False), (5.0, True)):
        calibration = replace(answerer.calibration, answerability=replace(base, bias=bias).as_dict())
        pipeline = QuestionAnswerer(answerer.index, answerer.reader, calibration, answerer.top_k,
                                    embedder=answerer.embedder)
        answer = pipeline.answer(question)
        assert (answer.text is not None) is answers
        assert 0.0 < answer.score < 1.0  # the model's probability is the reported score

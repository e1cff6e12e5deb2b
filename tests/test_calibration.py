"""Choosing the early-exit margin: as many questions as possible stop at their top passage,
as long as F1 on the tuning questions stays within the tolerance."""

from __future__ import annotations

import json
import math

import pytest

from bot.reader import calibration
from bot.reader.qa_data import QAExample
from bot.reader.span_reader import ContextReading
from bot.reader.store import Calibration
from bot.records import Hit, Passage


def _question(n: int, answer: str, passages: list[tuple[str, float]]):
    """One tuning question whose passages each hold a candidate span with the given reader margin."""
    example = QAExample(f"q{n}", f"pertanyaan {n}?", "", (answer,), (0,))
    hits = [Hit(Passage(i, f"a{n}", 0, len(text), text), 10.0 - i) for i, (text, _) in enumerate(passages)]
    readings = [ContextReading(0, len(text), margin, 0.0) for text, margin in passages]
    return example, hits, readings


def _early_exit_for(per_question, mu: float, threshold: float, full_f1: float):
    full = calibration._decisions(per_question, mu, early_exit=math.inf)  # as calibrate() passes it
    return calibration._early_exit_for(per_question, mu, threshold, full_f1, full)


def test_stops_early_only_where_the_top_passage_is_as_good_as_reading_them_all():
    per_question = [_question(n, "Tashkent", [("Tashkent", 12.0 + n), ("Herat", 3.0)]) for n in range(8)]
    # Two questions whose top passage is confidently wrong (margin 6) while the next one is right.
    per_question += [_question(8 + n, "Kabul", [("Herat", 6.0), ("Kabul", 7.0)]) for n in range(2)]
    exit_margin, f1, share = _early_exit_for(per_question, 1.0, 1.0, 100.0)
    assert 6.0 < exit_margin <= 12.0
    assert f1 == 100.0 and share == 0.8


def test_no_early_exit_when_every_top_passage_costs_f1():
    per_question = [_question(n, "Kabul", [("Herat", 9.0 + n), ("Kabul", 20.0)]) for n in range(5)]
    exit_margin, _, share = _early_exit_for(per_question, 1.0, 1.0, 100.0)
    assert math.isinf(exit_margin) and share == 0.0


def test_early_exit_only_where_the_top_passage_would_answer():
    # mu 0.5: the top passage's fused score is 0.5 + 0.5 * margin; below the threshold 6 it abstains.
    per_question = [_question(n, "Tashkent", [("Tashkent", 8.0 + n), ("Herat", 3.0)]) for n in range(6)]
    answered = 100 * 2 / 6  # only margins 12 and 13 (fused 6.5, 7.0) answer; the others abstain
    exit_margin, f1, share = _early_exit_for(per_question, 0.5, 6.0, answered)
    assert exit_margin == 12.0 and share == pytest.approx(2 / 6) and f1 == pytest.approx(answered)


def test_calibration_file_round_trip(tmp_path):
    path = tmp_path / "calibration.json"
    path.write_text(json.dumps({"fusion_weight": 0.9, "threshold": 7.5, "rc_threshold": 5.4, "early_exit": None,
                                "tuned_on": "a note"}))
    assert Calibration.load(path) == Calibration(0.9, 7.5, 5.4, early_exit=math.inf)
    path.write_text(json.dumps({"fusion_weight": 0.9, "threshold": 7.5, "rc_threshold": 5.4, "early_exit": 9.15}))
    assert Calibration.load(path).early_exit == 9.15

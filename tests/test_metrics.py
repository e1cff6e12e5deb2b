"""SQuAD-style normalisation, exact match and token F1, including abstentions."""

import pytest

from bot.metrics import exact_match, normalize_answer, token_f1


def test_normalisation():
    assert normalize_answer("  The 20.000 Tentara! ") == "20000 tentara"


@pytest.mark.parametrize(
    "prediction, gold, em, f1",
    [
        ("Anthony Blinken", ["ANthony Blinken"], 1.0, 1.0),
        ("20.000 tentara cadangan", ["20.000"], 0.0, 0.5),
        (None, [], 1.0, 1.0),
        ("sesuatu", [], 0.0, 0.0),
        (None, ["2001"], 0.0, 0.0),
        ("Kamis", ["Kamis (12/8/2021)", "Kamis"], 1.0, 1.0),
    ],
)
def test_scores(prediction, gold, em, f1):
    assert exact_match(prediction, gold) == em
    assert token_f1(prediction, gold) == pytest.approx(f1)

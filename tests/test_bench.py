"""The benchmark's own arithmetic and corpora (the timings themselves live in `python -m bot bench`)."""

from __future__ import annotations

import pytest

from bot.bench import summary, synthetic_corpus
from bot.retrieval.index import PassageIndex


@pytest.mark.parametrize("passages", [1_000, 10_000])
def test_synthetic_corpora_have_about_the_passages_asked_for(passages):
    index = PassageIndex.build(synthetic_corpus(passages, seed=passages))
    assert abs(len(index.passages) - passages) / passages < 0.1


def test_summary_gives_median_and_95th_percentile():
    result = summary([float(ms) for ms in range(1, 101)])
    assert result == {"median_ms": 50.5, "p95_ms": 96.0, "runs": 100}

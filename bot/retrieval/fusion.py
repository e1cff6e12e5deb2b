"""One ranking from two: BM25 scores and dense cosines of every passage for one question.

BM25 alone ranks the passages that share a term with the question. With dense scores, the
candidates are each retriever's `candidates` best passages; each score is scaled to [0, 1]
over those candidates and mixed linearly (`method="linear"`), or the two ranks are combined
by reciprocal-rank fusion (`method="rrf"`, Cormack et al. 2009). `python -m bot retrieval-eval`
compares them; the defaults are what measured best on validation questions (README).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class FusionSettings:
    method: str = "linear"  # "linear" or "rrf"
    dense_weight: float = 0.7  # linear: share of the dense score in the mix (tuned on FacQA + IDK-MRC valid)
    candidates: int = 100  # taken from each retriever before fusing
    rrf_k: int = 60

    def __post_init__(self) -> None:
        if self.method not in ("linear", "rrf"):
            raise ValueError(f"fusion method must be linear or rrf, not {self.method!r}")
        if not 0.0 <= self.dense_weight <= 1.0:
            raise ValueError("dense_weight must be between 0 and 1")


def top_indices(scores: np.ndarray, k: int, among: np.ndarray | None = None) -> np.ndarray:
    """Indices of the k highest scores (of `among`, when given), best first, ties by index."""
    candidates = np.arange(scores.size) if among is None else among
    if candidates.size > k:
        candidates = candidates[np.argpartition(-scores[candidates], k - 1)[:k]]
    return candidates[np.lexsort((candidates, -scores[candidates]))]


def fuse(bm25: np.ndarray, dense: np.ndarray | None, k: int, settings: FusionSettings) -> list[tuple[int, float]]:
    """(passage, score) of the k best passages, best first."""
    if k < 1:
        raise ValueError("k must be at least 1")
    matched = np.flatnonzero(bm25 != 0)
    if dense is None:
        return [(int(i), float(bm25[i])) for i in top_indices(bm25, k, matched)]
    lexical = top_indices(bm25, settings.candidates, matched)
    semantic = top_indices(dense, settings.candidates)
    pool = np.union1d(lexical, semantic)
    if settings.method == "rrf":
        fused = _rrf(pool, lexical, semantic, settings.rrf_k)
    else:
        fused = (1 - settings.dense_weight) * _scaled(bm25[pool]) + settings.dense_weight * _scaled(dense[pool])
    best = top_indices(fused, k)
    return [(int(pool[i]), float(fused[i])) for i in best]


def _scaled(values: np.ndarray) -> np.ndarray:
    low, high = float(values.min()), float(values.max())
    return (values - low) / (high - low) if high > low else np.ones_like(values) * (high > 0)


def _rrf(pool: np.ndarray, lexical: np.ndarray, semantic: np.ndarray, constant: int) -> np.ndarray:
    scores = np.zeros(pool.size)
    position = {int(p): i for i, p in enumerate(pool)}
    for ranking in (lexical, semantic):
        for rank, passage in enumerate(ranking):
            scores[position[int(passage)]] += 1.0 / (constant + rank + 1)
    return scores

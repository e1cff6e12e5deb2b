"""rank-bm25's BM25Okapi scores, precomputed into a sparse term x passage matrix.

rank-bm25 computes the corpus statistics (document frequencies, IDF with its epsilon floor,
average length) and defines the formula:

    score(q, d) = sum over query terms t (repeats included) of
                  idf(t) * tf(t, d) * (k1 + 1) / (tf(t, d) + k1 * (1 - b + b * |d| / avgdl))

    idf(t) = log(N - n(t) + 0.5) - log(n(t) + 0.5), and where that is negative (terms in more
    than half of the passages) it is floored to epsilon * mean(idf) instead.

Its `get_scores` loops over every passage in Python for every question. Every factor except
the query counts is fixed once the corpus is, so each (term, passage) weight is computed
once here and a question costs one sparse row-sum over its terms' posting lists.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from rank_bm25 import BM25Okapi
from scipy import sparse


@dataclass(frozen=True)
class BM25Params:
    k1: float = 1.5
    b: float = 0.75
    epsilon: float = 0.25


class SparseBM25:
    """Term-major CSR matrix of BM25Okapi weights; `scores` equals BM25Okapi.get_scores."""

    def __init__(self, vocabulary: dict[str, int], weights: sparse.csr_matrix) -> None:
        self.vocabulary = vocabulary
        self.weights = weights  # shape (terms, passages)
        self.weights.sort_indices()  # `occurs` binary-searches each term's passages

    @property
    def size(self) -> int:
        return self.weights.shape[1]

    @classmethod
    def build(cls, corpus: list[list[str]], params: BM25Params = BM25Params()) -> SparseBM25:
        if not corpus:
            return cls({}, sparse.csr_matrix((0, 0), dtype=np.float32))
        # rank-bm25 cannot divide by an average length of 0; such a corpus matches nothing anyway.
        reference = BM25Okapi([doc or ["\x00"] for doc in corpus], k1=params.k1, b=params.b, epsilon=params.epsilon)
        vocabulary: dict[str, int] = {}
        rows, cols, values = [], [], []
        norms = params.k1 * (1 - params.b + params.b * np.asarray(reference.doc_len) / reference.avgdl)
        for passage, frequencies in enumerate(reference.doc_freqs):
            for term, tf in frequencies.items():
                row = vocabulary.setdefault(term, len(vocabulary))
                rows.append(row)
                cols.append(passage)
                values.append(reference.idf[term] * tf * (params.k1 + 1) / (tf + norms[passage]))
        weights = sparse.csr_matrix(
            (np.asarray(values, dtype=np.float64), (rows, cols)), shape=(len(vocabulary), len(corpus))
        )
        return cls(vocabulary, weights)

    def document_frequency(self, term: str) -> int:
        """How many passages hold the term."""
        row = self.vocabulary.get(term)
        return 0 if row is None else int(self.weights.indptr[row + 1] - self.weights.indptr[row])

    def occurs(self, term: str, first: int, last: int) -> bool:
        """Whether the term occurs in any passage from `first` to `last` (inclusive)."""
        row = self.vocabulary.get(term)
        if row is None:
            return False
        postings = self.weights.indices[self.weights.indptr[row] : self.weights.indptr[row + 1]]
        at = np.searchsorted(postings, first)  # CSR rows keep their passage ids sorted
        return bool(at < postings.size and postings[at] <= last)

    def scores(self, query: list[str]) -> np.ndarray:
        """BM25 score of every passage for the analysed query."""
        result = np.zeros(self.size, dtype=np.float64)
        for term in query:
            row = self.vocabulary.get(term)
            if row is None:
                continue
            begin, end = self.weights.indptr[row], self.weights.indptr[row + 1]
            result[self.weights.indices[begin:end]] += self.weights.data[begin:end]
        return result

    def top_k(self, query: list[str], k: int) -> list[tuple[int, float]]:
        """(passage, score) of the k best passages that share a term with the query, best first."""
        if k < 1:
            raise ValueError("k must be at least 1")
        scores = self.scores(query)
        matched = np.flatnonzero(scores != 0)
        if matched.size == 0:
            return []
        if matched.size > k:
            matched = matched[np.argpartition(-scores[matched], k - 1)[:k]]
        order = matched[np.lexsort((matched, -scores[matched]))]
        return [(int(i), float(scores[i])) for i in order]

"""Indonesian analysis, BM25 identical to rank-bm25, recall of the gold article, persistence."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest
from rank_bm25 import BM25Okapi

from bot.config import SEEDS_DIR
from bot.corpus.loading import load_articles
from bot.evaluation import load_gold
from bot.retrieval.analyzer import Analyzer
from bot.retrieval.bm25 import SparseBM25
from bot.retrieval.index import IndexError_, PassageIndex
from bot.synthetic import seed_vocabulary, synthetic_articles
from tests.conftest import OWN_QUESTIONS, SEED_DEV, require


@pytest.fixture(scope="module")
def seed_index() -> PassageIndex:
    return PassageIndex.build(list(load_articles([SEEDS_DIR]).articles))


def test_analyzer_keeps_numbers_and_dates_and_stems_affixes():
    terms = Analyzer("both", ["evakuasi"])("Berapa tentara yang dievakuasi pada Rabu (1/9/2021)? Sekitar 20.000 orang.")
    assert {"20.000", "1/9/2021", "dievakuasi", "evakuasi", "tentara"} <= set(terms)
    assert "yang" not in terms and "berapa" not in terms


def test_analyzer_rejects_unknown_stemming_mode():
    with pytest.raises(ValueError, match="stemming must be"):
        Analyzer("porter")


def test_evacuated_finds_evacuation(seed_index):
    hits = seed_index.search("orang yang dievakuasi", 3)
    assert hits and any("evakuasi" in h.passage.text for h in hits)


def _same_top_k(corpus: list[list[str]], queries: list[list[str]], k: int = 10) -> None:
    ours, reference = SparseBM25.build(corpus), BM25Okapi(corpus)
    for query in queries:
        expected = reference.get_scores(query)
        np.testing.assert_allclose(ours.scores(query), expected, rtol=1e-5, atol=1e-5)
        top = ours.top_k(query, k)
        best_expected = np.sort(expected[expected != 0])[::-1][:k]
        # Same scores in the same order; passages tied to within rounding may swap places.
        np.testing.assert_allclose([s for _, s in top], best_expected, rtol=1e-9)
        assert all(expected[i] >= best_expected[-1] - 1e-9 for i, _ in top)


def test_same_scores_and_top_k_as_rank_bm25_on_the_seeds(seed_index):
    analyzer = seed_index.analyzer
    corpus = [analyzer(p.text) for p in seed_index.passages]
    questions = [json.loads(line)["question"] for line in OWN_QUESTIONS.read_text().splitlines()]
    _same_top_k(corpus, [analyzer(q) for q in questions])


def test_same_top_k_as_rank_bm25_on_10k_synthetic_passages():
    analyzer = Analyzer("none", ())
    articles = synthetic_articles(2500, seed_vocabulary(SEEDS_DIR), seed=1, sentences=(4, 4))
    corpus = [analyzer(s) for a in articles for s in a.body.split(". ")][:10_000]
    assert len(corpus) == 10_000
    rng = np.random.default_rng(0)
    queries = [list(rng.choice(corpus[int(rng.integers(len(corpus)))], size=4)) for _ in range(20)]
    _same_top_k(corpus, queries)


def test_empty_query_and_empty_corpus_return_nothing(seed_index):
    assert seed_index.search("", 5) == []
    assert seed_index.search("yang dan di", 5) == []  # only stop words
    assert PassageIndex.build([]).search("Taliban", 5) == []
    with pytest.raises(ValueError):
        seed_index.bm25.top_k(["taliban"], 0)


def recall_at(index: PassageIndex, questions, k: int) -> float:
    found = 0
    for q in questions:
        articles = list(dict.fromkeys(h.passage.article_id[:3] for h in index.search(q.question, 20)))
        found += any(a in q.articles for a in articles[:k])
    return found / len(questions)


def test_recall_of_gold_article(seed_index):
    dev = [q for q in load_gold(require(SEED_DEV)) if q.answerable]
    own = [q for q in load_gold(OWN_QUESTIONS) if q.answerable]
    assert len(own) >= 30
    figures = {name: (recall_at(seed_index, qs, 1), recall_at(seed_index, qs, 5)) for name, qs in (("dev", dev), ("own", own))}
    print("recall@1/@5:", figures)
    assert figures["dev"][1] >= 0.95 and figures["own"][1] >= 0.95
    assert figures["dev"][0] >= 0.9 and figures["own"][0] >= 0.9


def test_index_round_trip_and_damage(seed_index, tmp_path):
    folder = tmp_path / "index"
    seed_index.save(folder)
    loaded = PassageIndex.load(folder)
    assert [p.text for p in loaded.passages] == [p.text for p in seed_index.passages]
    question = "Berapa tentara cadangan yang dimobilisasi Presiden Tajikistan?"
    assert [h.passage.id for h in loaded.search(question)] == [h.passage.id for h in seed_index.search(question)]
    (folder / "bm25.npz").write_bytes(b"not a matrix")
    with pytest.raises(IndexError_):
        PassageIndex.load(folder)
    shutil.rmtree(folder)
    with pytest.raises(IndexError_):
        PassageIndex.load(folder)


def test_passages_point_back_into_the_article(seed_index):
    for passage in seed_index.passages:
        article = seed_index.articles[passage.article_id]
        assert article.body[passage.start : passage.end] == passage.text
        assert len(passage.text.split()) <= 90 or "." not in passage.text[:-1]

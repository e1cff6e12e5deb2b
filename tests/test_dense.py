"""Dense retrieval: e5 vectors, fusion with BM25, persistence and reuse of vectors, answerability evidence."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

from bot.config import SEEDS_DIR
from bot.corpus.loading import load_articles
from bot.records import Article
from bot.retrieval.fusion import FusionSettings, fuse, top_indices
from bot.retrieval.index import IndexError_, PassageIndex


@pytest.fixture(scope="module")
def embedder(answerer):
    assert answerer.embedder is not None, "dense retrieval is on by default"
    return answerer.embedder


@pytest.fixture(scope="module")
def seed_articles() -> list[Article]:
    return list(load_articles([SEEDS_DIR]).articles)


def test_vectors_are_unit_length_and_query_prefix_matters(embedder):
    passages = embedder.passages(["Presiden Tajikistan memerintahkan mobilisasi 20.000 tentara cadangan."])
    assert passages.shape == (1, embedder.dimension)
    assert np.linalg.norm(passages, axis=1) == pytest.approx(1.0, abs=1e-4)
    as_query = embedder.queries(["Presiden Tajikistan memerintahkan mobilisasi 20.000 tentara cadangan."])
    assert float(as_query[0] @ passages[0]) < 0.999  # e5 encodes "query: " and "passage: " differently


def test_retrieval_encoder_shares_the_readers_word_embeddings_and_tokenizer(answerer, embedder):
    assert embedder.encoder.word.weight.data_ptr() == answerer.reader.model.word.weight.data_ptr()
    assert embedder.tokenizer is answerer.reader.tokenizer


def test_long_passages_are_cut_like_the_tokenizers_own_truncation(embedder):
    from tokenizers import Tokenizer

    own = Tokenizer.from_str(embedder.tokenizer.to_str())
    own.enable_truncation(embedder.max_tokens)
    text = "passage: " + " ".join(["Presiden Tajikistan memerintahkan mobilisasi tentara cadangan."] * 60)
    from bot.retrieval.dense import _truncated

    assert _truncated(embedder.tokenizer.encode(text).ids, embedder.max_tokens) == own.encode(text).ids


def test_dense_ranks_a_paraphrase_with_no_shared_content_word(embedder):
    texts = ["Harga beras di pasar tradisional naik tajam menjelang Lebaran.",
             "Tim nasional sepak bola kalah dua gol tanpa balas di kandang lawan.",
             "Gempa bumi berkekuatan besar mengguncang pesisir barat Sumatra."]
    vectors = embedder.passages(texts)
    query = embedder.queries(["Berapa skor pertandingan timnas?"])[0]
    assert int(np.argmax(vectors @ query)) == 1


def test_bm25_only_fusion_keeps_bm25_order():
    bm25 = np.array([0.0, 2.0, 5.0, 2.0])
    assert fuse(bm25, None, 3, FusionSettings()) == [(2, 5.0), (1, 2.0), (3, 2.0)]


def test_fusion_brings_in_dense_only_candidates_and_mixes_scores():
    bm25 = np.array([3.0, 0.0, 1.0, 0.0])
    dense = np.array([0.70, 0.95, 0.72, 0.10])
    linear = fuse(bm25, dense, 4, FusionSettings(method="linear", dense_weight=0.5, candidates=2))
    assert {i for i, _ in linear} == {0, 1, 2}  # 3 is in neither retriever's top 2
    assert linear[0][0] == 0 and linear[1][0] == 1
    only_dense = fuse(bm25, dense, 2, FusionSettings(dense_weight=1.0, candidates=2))
    assert [i for i, _ in only_dense] == [1, 2]
    rrf = fuse(bm25, dense, 3, FusionSettings(method="rrf", candidates=2))
    assert [i for i, _ in rrf] == [2, 0, 1]  # 2 is second in both rankings: 2/62 beats 1/61


def test_fusion_settings_reject_nonsense():
    with pytest.raises(ValueError):
        FusionSettings(method="max")
    with pytest.raises(ValueError):
        FusionSettings(dense_weight=1.5)
    with pytest.raises(ValueError):
        fuse(np.zeros(3), None, 0, FusionSettings())


def test_top_indices_breaks_ties_by_position():
    assert list(top_indices(np.array([1.0, 3.0, 3.0, 2.0]), 3)) == [1, 2, 3]


def test_vectors_persist_and_damage_is_detected(tmp_path, seed_articles, embedder):
    index = PassageIndex.build(seed_articles[:2], embedder=embedder)
    index.save(tmp_path / "index")
    loaded = PassageIndex.load(tmp_path / "index")
    assert loaded.has_vectors and loaded.vectors.shape == index.vectors.shape
    assert np.allclose(loaded.vectors, index.vectors, atol=2e-3)  # float16 on disk
    broken = tmp_path / "broken"
    shutil.copytree(tmp_path / "index", broken)
    np.save(broken / "vectors.npy", index.vectors[:-1].astype(np.float16))
    with pytest.raises(IndexError_):
        PassageIndex.load(broken)
    meta = json.loads((broken / "meta.json").read_text())
    (broken / "vectors.npy").unlink()
    (broken / "meta.json").write_text(json.dumps(meta))
    with pytest.raises(IndexError_):
        PassageIndex.load(broken)


def test_extending_embeds_only_new_passages(seed_articles, embedder, monkeypatch):
    index = PassageIndex.build(seed_articles[:3], embedder=embedder)
    embedded: list[int] = []
    original = embedder.passages

    def counting(texts, progress=False):
        embedded.append(len(texts))
        return original(texts, progress)

    monkeypatch.setattr(embedder, "passages", counting)
    bigger = index.extended(seed_articles[3:], embedder=embedder)
    new_passages = sum(1 for p in bigger.passages if p.article_id in {a.id for a in seed_articles[3:]})
    assert embedded == [new_passages]
    for p in bigger.passages:
        if p.article_id not in {a.id for a in seed_articles[3:]}:
            old = next(o for o in index.passages if (o.article_id, o.start, o.end) == (p.article_id, p.start, p.end))
            assert np.array_equal(bigger.vectors[p.id], index.vectors[old.id])
    fresh = PassageIndex.build(seed_articles, embedder=embedder)  # same article order as `bigger`
    assert [(p.article_id, p.start) for p in fresh.passages] == [(p.article_id, p.start) for p in bigger.passages]
    assert np.min(np.sum(fresh.vectors * bigger.vectors, axis=1)) > 0.99  # batches differ: bf16 rounding only
    with pytest.raises(ValueError, match="needs the embedder"):
        index.extended(seed_articles[3:])


def test_hybrid_search_returns_both_scores(answerer):
    vector = answerer.embedder.queries(["Berapa tentara cadangan yang dimobilisasi Presiden Tajikistan?"])[0]
    hits = answerer.index.search("Berapa tentara cadangan yang dimobilisasi Presiden Tajikistan?", 3, vector)
    assert hits and "20.000" in hits[0].passage.text
    assert hits[0].dense is not None and 0.5 < hits[0].dense <= 1.0 and hits[0].bm25 > 0


def test_evidence_sees_when_the_questions_names_are_missing(answerer):
    from bot.answerability import evidence

    index = answerer.index
    passage = next(p for p in index.passages if "20.000" in p.text and "Tajikistan" in p.text)
    inside = evidence(index, "Berapa tentara cadangan yang dimobilisasi Presiden Tajikistan?", passage.id, 10.0, 0.9)
    outside = evidence(index, "Berapa tentara cadangan yang dimobilisasi Presiden Mongolia?", passage.id, 10.0, 0.9)
    assert inside.article_cover == pytest.approx(1.0) and inside.missing_rare == 0
    assert outside.article_cover < inside.article_cover and outside.missing_rare == 1


def test_evidence_weighs_the_sentence_that_holds_the_span(answerer):
    from bot.answerability import evidence

    index = answerer.index
    passage = next(p for p in index.passages if "20.000" in p.text and "Tajikistan" in p.text)
    question = "Berapa tentara cadangan yang dimobilisasi Presiden Tajikistan?"
    number = passage.text.index("20.000")
    right = evidence(index, question, passage.id, 10.0, 0.9, span=(number, number + len("20.000")))
    elsewhere = max(range(len(passage.text) - 1, 0, -1), key=lambda i: passage.text[i] == ".")  # the last sentence
    other = evidence(index, question, passage.id, 10.0, 0.9, span=(elsewhere - 5, elsewhere))
    assert right.sentence_cover > 0.5 and right.type_fit == 1.0 and right.span_in_question == 0.0
    assert right.sentence_cover >= other.sentence_cover and right.passage_cover == other.passage_cover
    name = passage.text.index("Tajikistan")
    echo = evidence(index, question, passage.id, 10.0, 0.9, span=(name, name + len("Tajikistan")))
    assert echo.span_in_question == 1.0 and echo.type_fit == 0.0


def test_ordinary_words_the_corpus_lacks_are_not_missing_names(answerer):
    from bot.answerability import evidence

    index = answerer.index
    passage = next(p for p in index.passages if "20.000" in p.text and "Tajikistan" in p.text)
    plain = evidence(index, "Berapa tentara cadangan yang dimobilisasi Presiden Tajikistan?", passage.id, 10.0, 0.9)
    # "nasib" (fate) is in no seed article but is ordinary Indonesian; "Mongolia" is a name.
    ordinary = evidence(index, "Berapa tentara cadangan yang dimobilisasi Presiden Tajikistan nasibnya?", passage.id,
                        10.0, 0.9)
    name = evidence(index, "Berapa tentara cadangan yang dimobilisasi Presiden Mongolia?", passage.id, 10.0, 0.9)
    assert ordinary.missing_rare == plain.missing_rare == 0 and name.missing_rare == 1
    assert ordinary.article_cover > name.article_cover

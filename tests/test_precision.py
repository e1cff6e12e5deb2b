"""The encoders compute in bfloat16 only where this CPU runs it faster than float32."""

from __future__ import annotations

import pytest
import torch

from bot.config import SEEDS_DIR, ConfigError, load_settings
from bot.corpus.loading import load_articles
from bot.reader import precision
from bot.reader.precision import BF16_MIN_SPEEDUP, compute_dtype
from bot.reader.store import load_reader

QUESTION = "Berapa tentara cadangan yang dimobilisasi Tajikistan?"


def test_a_named_precision_is_used_as_named():
    assert compute_dtype("bf16") == torch.bfloat16
    assert compute_dtype("fp32") == torch.float32
    with pytest.raises(ValueError, match="auto, bf16, fp32"):
        compute_dtype("fp16")


@pytest.mark.parametrize(("native", "speedup", "expected"), [
    (True, 0.5, torch.bfloat16),  # AVX-512 BF16 or AMX: no timing, a loaded machine cannot mislead it
    (False, 1.6, torch.float32),  # AVX2 only: emulated bf16, whatever a timing under load says
    (None, 0.15, torch.float32),  # another architecture: timed
    (None, 1.0, torch.float32),
    (None, BF16_MIN_SPEEDUP, torch.bfloat16),
])
def test_auto_takes_bfloat16_only_where_it_is_faster(monkeypatch, native, speedup, expected):
    monkeypatch.setattr(precision, "native_bf16", lambda: native)
    monkeypatch.setattr(precision, "bf16_speedup", lambda: speedup)
    precision.auto_uses_bf16.cache_clear()
    try:
        assert compute_dtype("auto") == expected
    finally:
        precision.auto_uses_bf16.cache_clear()


def test_this_cpu_is_read_and_the_probe_times_both_formats():
    assert precision.native_bf16() in (True, False, None)
    assert precision.bf16_speedup() > 0
    assert compute_dtype("auto") in (torch.bfloat16, torch.float32)


def test_bot_precision_is_read_once_and_checked():
    assert load_settings({}).precision == "auto"
    assert load_settings({"BOT_PRECISION": " FP32 "}).precision == "fp32"
    with pytest.raises(ConfigError, match="BOT_PRECISION must be one of auto, bf16, fp32"):
        load_settings({"BOT_PRECISION": "fast"})


@pytest.fixture(scope="module")
def readers(answerer, data_dir):
    """The shipped reader computing in each format (the answerer fixture has built its folder)."""
    return {name: load_reader(data_dir, precision=name) for name in ("fp32", "bf16")}


def test_float32_keeps_the_word_table_in_bfloat16(readers):
    model = readers["fp32"].model
    assert model.word.weight.dtype == torch.bfloat16  # ~190 MB saved; rows are cast as looked up
    assert model.layers[0].qkv.weight.dtype == torch.float32
    assert readers["bf16"].model.layers[0].qkv.weight.dtype == torch.bfloat16


def test_both_formats_read_the_same_answer(readers):
    context = next(a.body for a in load_articles([SEEDS_DIR]).articles if "20.000" in a.body)
    fp32, bf16 = (readers[name].read([QUESTION], [context])[0] for name in ("fp32", "bf16"))
    assert context[fp32.start : fp32.end] == context[bf16.start : bf16.end]
    assert "20.000" in context[fp32.start : fp32.end]
    assert fp32.margin == pytest.approx(bf16.margin, abs=1.0)

"""The extractive reader: reads (question, context) pairs and scores answer spans."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
import torch
from tokenizers import Tokenizer

from bot.reader.qa_model import QAModel
from bot.reader.windows import PAD, SpanCandidate, WindowSettings, best_spans, make_windows

logger = logging.getLogger(__name__)

# Measured on the seed questions (see README): bf16 weights keep fp32's F1 at ~1.5x the speed;
# dynamic int8 quantisation lost more than half the F1.
PRECISIONS = ("fp32", "bf16", "int8")


@dataclass(frozen=True)
class ContextReading:
    """What the reader found in one context: its best span (if any) and the no-answer score."""

    start: int
    end: int
    span_score: float  # start + end logit of the best span; -inf when no span
    null_score: float  # lowest "no answer" score over the context's windows
    alternatives: tuple[tuple[int, int, float], ...] = ()  # the next best spans: (start, end, score), best first

    @property
    def margin(self) -> float:
        """How much the best span beats "no answer"; > threshold means answer."""
        return self.span_score - self.null_score


# Next-best spans kept per context (answer-type preference picks among them), and as many of the
# next-best short ones: a bare weekday or number ("Senin" of "..., Senin, sementara ...") seldom
# ranks among the 30 best when the reader's best start is a name before it.
ALTERNATIVES = 30
SHORT_CHARS = 25


def _short(candidates: list[SpanCandidate]) -> list[SpanCandidate]:
    return [c for c in candidates if c.end_char - c.start_char <= SHORT_CHARS]


def _distinct(candidates: list[SpanCandidate]) -> list[SpanCandidate]:
    """Best first, each character span once (overlapping windows find the same span twice)."""
    seen: set[tuple[int, int]] = set()
    out = []
    for c in candidates:
        if (c.start_char, c.end_char) not in seen:
            seen.add((c.start_char, c.end_char))
            out.append(c)
    return out


class SpanReader:
    """Batched span prediction: windows of all (question, context) pairs in one forward pass."""

    def __init__(
        self,
        model: QAModel,
        tokenizer: Tokenizer,
        settings: WindowSettings = WindowSettings(),
        batch_size: int = 32,
        precision: str = "fp32",
    ) -> None:
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        if precision not in PRECISIONS:
            raise ValueError(f"precision must be one of {', '.join(PRECISIONS)}, not {precision!r}")
        self.precision = precision
        model = model.eval()
        if precision == "bf16":
            model = model.to(torch.bfloat16)
        elif precision == "int8":
            model = torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)
        self.model = model
        self.tokenizer = tokenizer
        self.pad_id = tokenizer.token_to_id(PAD)
        self.settings = settings
        self.batch_size = batch_size

    def read(self, questions: list[str], contexts: list[str]) -> list[ContextReading]:
        """One reading per (question, context) pair, windows of all pairs batched together."""
        if len(questions) != len(contexts):
            raise ValueError("questions and contexts must pair up")
        if not questions:
            return []
        windows = make_windows(self.tokenizer, questions, contexts, self.settings)
        best: dict[int, list[SpanCandidate]] = {}
        null: dict[int, float] = {}
        order = sorted(range(len(windows.input_ids)), key=lambda w: len(windows.input_ids[w]))
        for chunk_start in range(0, len(order), self.batch_size):
            chunk = order[chunk_start : chunk_start + self.batch_size]
            start_logits, end_logits = self._logits([windows.input_ids[w] for w in chunk])
            for row, w in enumerate(chunk):
                pair = windows.pair_index[w]
                length = len(windows.input_ids[w])
                spans = best_spans(
                    start_logits[row, :length],
                    end_logits[row, :length],
                    windows.offsets[w],
                    w,
                    self.settings.max_answer_tokens,
                )
                window_null = float(start_logits[row, 0] + end_logits[row, 0])
                null[pair] = min(null.get(pair, np.inf), window_null)
                best.setdefault(pair, []).extend(spans[:ALTERNATIVES + 1] + _short(spans)[:ALTERNATIVES])
        readings = []
        for pair in range(len(questions)):
            spans = _distinct(sorted(best.get(pair, []), key=lambda c: c.score, reverse=True))
            if not spans:
                readings.append(ContextReading(0, 0, -np.inf, null[pair]))
                continue
            top, rest = spans[0], spans[1 : ALTERNATIVES + 1] + _short(spans[ALTERNATIVES + 1 :])[:ALTERNATIVES]
            readings.append(ContextReading(top.start_char, top.end_char, top.score, null[pair],
                                           tuple((c.start_char, c.end_char, c.score) for c in rest)))
        return readings

    @torch.inference_mode()
    def _logits(self, batch: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
        width = max(len(ids) for ids in batch)
        input_ids = torch.tensor([ids + [self.pad_id] * (width - len(ids)) for ids in batch])
        attention = torch.tensor([[1] * len(ids) + [0] * (width - len(ids)) for ids in batch])
        start, end = self.model(input_ids, attention)
        return start.float().numpy(), end.float().numpy()

"""Tokenise (question, context) pairs into overlapping windows and decode answer spans.

Shared by training and inference so that both see exactly the same windows.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from tokenizers import Tokenizer

BOS, EOS, PAD = "<s>", "</s>", "<pad>"  # XLM-R's sentence markers and padding


@dataclass(frozen=True)
class WindowSettings:
    max_length: int = 256  # question + context tokens in one window
    stride: int = 96  # tokens shared by two neighbouring windows
    max_question_tokens: int = 64
    max_answer_tokens: int = 30


@dataclass(frozen=True)
class Windows:
    """Tokenised windows; `pair_index[w]` names the (question, context) pair of window w."""

    input_ids: list[list[int]]
    pair_index: list[int]
    offsets: list[list[tuple[int, int] | None]]  # character span per token; None outside context


def make_windows(tokenizer: Tokenizer, questions: list[str], contexts: list[str], settings: WindowSettings) -> Windows:
    """`<s> question </s></s> context part </s>` windows; neighbouring parts share `stride` tokens.

    The same windows as the tokenizer's own pair truncation with overflow (strategy
    "only_second"), built here because that API is a mutable setting of a shared tokenizer.
    Questions are cut to their first `max_question_tokens` tokens (where the tokenizer's own
    truncation would refuse them).
    """
    if tokenizer.truncation or tokenizer.padding:
        raise ValueError("the tokenizer must not truncate or pad: windows are cut here")
    bos, eos = tokenizer.token_to_id(BOS), tokenizer.token_to_id(EOS)
    question_ids = [e.ids[: settings.max_question_tokens] for e in tokenizer.encode_batch(questions, add_special_tokens=False)]
    context_encodings = tokenizer.encode_batch(contexts, add_special_tokens=False)
    windows = Windows([], [], [])
    for pair, (question, context) in enumerate(zip(question_ids, context_encodings)):
        head = [bos, *question, eos, eos]
        room = settings.max_length - len(head) - 1
        for first in _part_starts(len(context.ids), room, settings.stride):
            part = slice(first, first + room)
            windows.input_ids.append([*head, *context.ids[part], eos])
            windows.pair_index.append(pair)
            windows.offsets.append([None] * len(head) + list(context.offsets[part]) + [None])
    return windows


def _part_starts(length: int, room: int, stride: int) -> range:
    """First token of each context part: parts of `room` tokens, each sharing `stride` with the last."""
    if room <= stride:
        raise ValueError("max_length leaves no room for the context beyond the stride")
    step = room - stride
    last = max(0, length - stride - 1) // step  # the part that reaches the end of the context
    return range(0, last * step + 1, step)


def answer_token_span(
    offsets: list[tuple[int, int] | None], answer_start: int, answer_end: int
) -> tuple[int, int]:
    """Token positions of a character span inside one window; (0, 0) (the <s> token) if absent."""
    context_tokens = [t for t, o in enumerate(offsets) if o is not None]
    if not context_tokens:
        return 0, 0
    first, last = context_tokens[0], context_tokens[-1]
    if offsets[first][0] > answer_start or offsets[last][1] < answer_end:
        return 0, 0
    start = next(t for t in context_tokens if offsets[t][1] > answer_start)
    end = next(t for t in reversed(context_tokens) if offsets[t][0] < answer_end)
    return (start, end) if start <= end else (0, 0)


@dataclass(frozen=True)
class SpanCandidate:
    window: int
    start_char: int
    end_char: int
    score: float  # start logit + end logit
    null_score: float  # the window's "no answer" score (<s> start + end logits)


def best_spans(
    start_logits: np.ndarray,
    end_logits: np.ndarray,
    offsets: list[tuple[int, int] | None],
    window: int,
    max_answer_tokens: int,
    top_k: int = 40,
) -> list[SpanCandidate]:
    """The valid spans made of the window's `top_k` best starts and ends, best first."""
    null_score = float(start_logits[0] + end_logits[0])
    valid = np.array([o is not None for o in offsets] + [False] * (len(start_logits) - len(offsets)))
    if not valid.any():
        return []
    masked_start = np.where(valid, start_logits, -np.inf)
    masked_end = np.where(valid, end_logits, -np.inf)
    starts = np.argsort(-masked_start)[:top_k]
    ends = np.argsort(-masked_end)[:top_k]
    starts, ends = starts[valid[starts]], ends[valid[ends]]
    s, e = np.meshgrid(starts, ends, indexing="ij")
    length = e - s + 1
    keep = (length >= 1) & (length <= max_answer_tokens)
    s, e = s[keep], e[keep]
    scores = start_logits[s] + end_logits[e]
    order = np.argsort(-scores, kind="stable")
    return [SpanCandidate(window, offsets[s[i]][0], offsets[e[i]][1], float(scores[i]), null_score) for i in order]

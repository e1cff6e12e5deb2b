"""SQuAD answer normalisation, exact match and token F1 (the official v2 script's rules)."""

from __future__ import annotations

import re
import string
from collections import Counter

_PUNCTUATION = set(string.punctuation)


def normalize_answer(text: str) -> str:
    """Lower-case, drop punctuation and English articles, collapse white space."""
    text = "".join(ch for ch in text.lower() if ch not in _PUNCTUATION)
    text = re.sub(r"\b(a|an|the)\b", " ", text)
    return " ".join(text.split())


def exact_match(prediction: str | None, gold: list[str] | tuple[str, ...]) -> float:
    """1.0 when the normalised prediction equals a gold answer; no answer matches no gold."""
    if not gold:
        return float(not prediction)
    if not prediction:
        return 0.0
    return float(any(normalize_answer(prediction) == normalize_answer(g) for g in gold))


def _f1(prediction: str, gold: str) -> float:
    pred_tokens, gold_tokens = normalize_answer(prediction).split(), normalize_answer(gold).split()
    if not pred_tokens or not gold_tokens:
        return float(pred_tokens == gold_tokens)
    common = sum((Counter(pred_tokens) & Counter(gold_tokens)).values())
    if common == 0:
        return 0.0
    precision, recall = common / len(pred_tokens), common / len(gold_tokens)
    return 2 * precision * recall / (precision + recall)


def token_f1(prediction: str | None, gold: list[str] | tuple[str, ...]) -> float:
    """Best token F1 over gold answers; an abstention scores 1 exactly when there is no gold."""
    if not gold:
        return float(not prediction)
    if not prediction:
        return 0.0
    return max(_f1(prediction, g) for g in gold)

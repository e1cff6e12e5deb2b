"""The fixed validation sets the learning gate compares readers on, and how a reader scores on them."""

from __future__ import annotations

import hashlib
from pathlib import Path

from bot.metrics import exact_match
from bot.reader.qa_data import QAExample, load_facqa, load_squad_like
from bot.reader.rc_eval import predictions, score
from bot.reader.span_reader import SpanReader

# name -> (file under the QA data folder, whether the headline F1 uses the abstention threshold)
VALIDATION_SETS = {
    "facqa_valid": ("facqa/valid_preprocess.csv", False),
    "idk_mrc_valid": ("idk_mrc/valid.json", True),
    "tydiqa_id_valid": ("tydiqa_id/valid.json", False),
}


def _key(example: QAExample) -> str:
    return hashlib.sha256(f"{example.id}\n{example.question}".encode("utf-8")).hexdigest()


def fixed_sample(examples: list[QAExample], limit: int | None) -> list[QAExample]:
    """At most `limit` examples, answerable and unanswerable in the set's proportions, fixed by content hash."""
    if limit is None or limit >= len(examples):
        return examples
    unanswerable = sorted((e for e in examples if e.is_impossible), key=_key)
    answerable = sorted((e for e in examples if not e.is_impossible), key=_key)
    take_unanswerable = round(limit * len(unanswerable) / len(examples))
    picked = {e.id for e in unanswerable[:take_unanswerable] + answerable[: limit - take_unanswerable]}
    return [e for e in examples if e.id in picked]


def missing_files(data_dir: Path) -> list[Path]:
    return [data_dir / name for name, _ in VALIDATION_SETS.values() if not (data_dir / name).is_file()]


def load_validation(data_dir: Path, limit: int | None) -> dict[str, list[QAExample]]:
    out = {}
    for name, (file, _) in VALIDATION_SETS.items():
        path = data_dir / file
        out[name] = fixed_sample(load_facqa(path) if path.suffix == ".csv" else load_squad_like(path), limit)
    return out


def score_sets(reader: SpanReader, sets: dict[str, list[QAExample]], rc_threshold: float) -> dict[str, dict]:
    """Per set: the headline F1 (as the bot decides: abstention only where the set has unanswerables) and details."""
    out = {}
    for name, examples in sets.items():
        abstain = VALIDATION_SETS[name][1]
        out[name] = score_examples(reader, examples, rc_threshold if abstain else None)
    return out


def score_examples(reader: SpanReader, examples: list[QAExample], threshold: float | None) -> dict:
    """EM/F1 (with the answerable/unanswerable split), how many are right (exact match) and each prediction."""
    readings = reader.read([e.question for e in examples], [e.context for e in examples])
    answers = predictions(examples, readings, threshold)
    right = [exact_match(a, e.answers) == 1.0 for e, a in zip(examples, answers)]
    return {**score(examples, answers, threshold).as_dict(), "right": sum(right),
            "predictions": {e.id: a for e, a in zip(examples, answers)}}

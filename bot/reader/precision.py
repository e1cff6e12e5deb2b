"""Which number format the models compute in on this machine: bfloat16 or float32.

bfloat16 halves the memory the weights take and, on a CPU with native bfloat16 instructions
(AVX-512 BF16, AMX), runs the encoders about 1.5x faster than float32. On a CPU without them
(AVX2 only, e.g. many AMD EPYC cloud machines) PyTorch emulates it, and the same matrix product
takes about 5-8x longer than in float32: reading 8 passages took 2.29 s instead of 0.36 s on
such a machine. So "auto" (BOT_PRECISION's default) computes in bfloat16 only where it is
faster: on x86 as the CPU reports its instructions (bfloat16 with AVX-512 BF16 or AMX, float32
with AVX2 only); elsewhere, or with AVX-512 but no BF16, by timing one matrix product of the
encoders' shape in both formats, interleaved, once per process. A timing alone misleads on a
loaded machine: beside another process it once measured emulated bfloat16 "1.49x faster".

The word-embedding table (250k x 384, most of the parameters) stays bfloat16 in either case:
looking rows up costs nothing in any format, and float32 would add ~190 MB per copy.
"""

from __future__ import annotations

import logging
import platform
import time
from functools import lru_cache

import torch

logger = logging.getLogger(__name__)

PRECISIONS = ("auto", "bf16", "fp32")
BF16_MIN_SPEEDUP = 1.1  # bfloat16 is chosen when its matrix product is at least this much faster
PROBE_SHAPE = (64, 384, 1536)  # rows x hidden x intermediate: the encoders' feed-forward product
PROBE_REPEATS = 7


def compute_dtype(precision: str = "auto") -> torch.dtype:
    """The dtype the encoders compute in for a BOT_PRECISION value."""
    if precision not in PRECISIONS:
        raise ValueError(f"precision must be one of {', '.join(PRECISIONS)}, not {precision!r}")
    if precision == "bf16":
        return torch.bfloat16
    if precision == "fp32":
        return torch.float32
    return torch.bfloat16 if auto_uses_bf16() else torch.float32


@lru_cache(maxsize=1)
def auto_uses_bf16() -> bool:
    native = native_bf16()
    if native is not None:
        logger.info("this CPU %s native bfloat16 instructions: computing in %s",
                    "has" if native else "lacks", "bfloat16" if native else "float32")
        return native
    speedup = bf16_speedup()
    logger.info("bfloat16 ran the encoders' matrix product %.2fx as fast as float32 here: computing in %s",
                speedup, "bfloat16" if speedup >= BF16_MIN_SPEEDUP else "float32")
    return speedup >= BF16_MIN_SPEEDUP


def native_bf16() -> bool | None:
    """Whether an x86 CPU has native bfloat16 matrix instructions (AVX-512 BF16 or AMX); None
    where that does not settle it (another architecture, or AVX-512 without BF16)."""
    cpu = torch.cpu
    checks = [getattr(cpu, name, None) for name in ("_is_avx512_bf16_supported", "_is_amx_tile_supported",
                                                     "_is_avx512_supported")]
    if platform.machine().lower() not in ("x86_64", "amd64") or None in checks:
        return None
    has_bf16, has_amx, has_avx512 = (check() for check in checks)
    if has_bf16 or has_amx:
        return True
    return None if has_avx512 else False


@lru_cache(maxsize=1)
def bf16_speedup() -> float:
    """How many times faster this CPU runs the probe product in bfloat16 than in float32: the
    best of PROBE_REPEATS rounds each, the two formats taking turns so that a burst of load from
    another process falls on both."""
    rows, hidden, out = PROBE_SHAPE
    generator = torch.Generator().manual_seed(0)
    x = torch.randn(rows, hidden, generator=generator)
    w = torch.randn(out, hidden, generator=generator)
    pairs = {dtype: (x.to(dtype), w.to(dtype)) for dtype in (torch.float32, torch.bfloat16)}
    best = dict.fromkeys(pairs, float("inf"))
    with torch.inference_mode():
        for pair in pairs.values():
            torch.nn.functional.linear(*pair)  # warm-up: kernel selection, caches
        for _ in range(PROBE_REPEATS):
            for dtype, pair in pairs.items():
                started = time.perf_counter()
                torch.nn.functional.linear(*pair)
                best[dtype] = min(best[dtype], time.perf_counter() - started)
    return best[torch.float32] / max(best[torch.bfloat16], 1e-9)


def precision_name(dtype: torch.dtype) -> str:
    return "bf16" if dtype == torch.bfloat16 else "fp32"

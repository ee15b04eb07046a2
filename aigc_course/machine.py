"""How fast this machine is, in one line a timing report can carry beside its seconds.

Run times of the lessons scale with the machine's arithmetic speed, and on a shared or
busy machine that speed changes from minute to minute. A report that says "03 took
314 s" means little without "on a machine whose float32 matrix products ran at
85 GFLOP/s, load average 0.8". :func:`machine_speed` measures exactly that (in about a
second), so figures from two machines, or two moments, can be compared as ratios.
"""

from __future__ import annotations

import os
import platform
import statistics
import time
from dataclasses import asdict, dataclass

from .validate import check_int

__all__ = ["MachineSpeed", "machine_speed"]

_SIZE = 1024  # a (1024 x 1024) @ (1024 x 1024) product: 2.1 GFLOP, a few tens of milliseconds


@dataclass(frozen=True)
class MachineSpeed:
    """``gflops``: median float32 matrix-product speed with PyTorch's thread count (GFLOP/s);
    ``threads``: that thread count; ``cores``: logical CPUs; ``load_average``: the 1-minute
    load average when measured (``None`` where the OS has none, e.g. Windows)."""

    gflops: float
    threads: int
    cores: int
    load_average: float | None
    processor: str

    def line(self) -> str:
        load = "n/a" if self.load_average is None else f"{self.load_average:.2f}"
        return (f"{self.cores} logical CPUs ({self.processor or 'unknown processor'}); float32 matrix products "
                f"{self.gflops:.0f} GFLOP/s on {self.threads} threads; load average {load}")

    def to_dict(self) -> dict:
        return asdict(self)


def machine_speed(repeats: int = 5) -> MachineSpeed:
    """Measure the median speed of ``repeats`` batches of matrix products (each batch ~10 products)."""
    import torch

    repeats = check_int(repeats, "repeats", minimum=1, maximum=100)
    a = torch.randn(_SIZE, _SIZE, generator=torch.Generator().manual_seed(0))
    for _ in range(3):  # warm up the BLAS library and its threads
        a @ a
    speeds = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(10):
            a @ a
        speeds.append(2 * _SIZE**3 * 10 / (time.perf_counter() - start) / 1e9)
    try:
        load = os.getloadavg()[0]
    except (AttributeError, OSError):
        load = None
    return MachineSpeed(round(statistics.median(speeds), 1), torch.get_num_threads(), os.cpu_count() or 1, load,
                        _processor_name())


def _processor_name() -> str:
    """The CPU's model name (Linux: from /proc/cpuinfo), else what :mod:`platform` knows."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()

"""What the benchmark scripts share: a median timing, the machine's load, an atomically written JSON file.

Imported as ``from _common import ...`` (a script's own folder is on ``sys.path``); the
leading underscore keeps ``make benchmarks`` from running it as a benchmark.
"""

from __future__ import annotations

import json
import os
import statistics
import time
from pathlib import Path
from typing import Any, Callable

from aigc_course.io import write_atomically


def median_seconds(fn: Callable[[], Any], repeats: int) -> tuple[float, Any]:
    """Run ``fn`` ``repeats`` times; return the median wall-clock seconds and the last result."""
    times, result = [], None
    for _ in range(repeats):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def write_json(path: Path, payload: dict) -> None:
    """Write ``payload`` as indented JSON to ``path`` (folders made as needed), atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, (json.dumps(payload, indent=1) + "\n").encode("utf-8"))


class MachineLoad:
    """The machine's 1-minute load average when a benchmark starts, and, from :meth:`record`, when it ends.

    Every script reports it under the key ``load_average`` as ``{"before", "after", "cpus"}``:
    timings taken while other work runs are inflated, and a time-budgeted training then
    also reaches a worse loss.
    """

    def __init__(self) -> None:
        self.before = round(os.getloadavg()[0], 2)

    def record(self) -> dict:
        return {"before": self.before, "after": round(os.getloadavg()[0], 2), "cpus": os.cpu_count()}

"""How much memory and CPU time a notebook's kernel used: the figures a classroom server is sized by.

:class:`KernelUsageMonitor` watches one kernel process (and any process it starts, such as data
loader workers) from a background thread while the notebook runs. It reports

- ``peak_memory_mb``: the largest resident memory (RSS) of the kernel and its children together,
  sampled every ``interval`` seconds, in MB (10**6 bytes). On Linux the kernel's own high-water
  mark (``VmHWM``, exact, not sampled) is used where it is larger, so a short spike between two
  samples is not missed for the kernel itself;
- ``cpu_seconds``: user + system CPU time of the kernel and its children, in seconds, as last
  read before the kernel stopped (so at most ``interval`` seconds of CPU time short).

CPU seconds over wall seconds is the number of cores the lesson kept busy on average: the figure
that tells a teacher how many learners can share one core.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import psutil

from .validate import check_bool, check_float, check_int

__all__ = ["KernelUsage", "KernelUsageMonitor"]

_MB = 1e6


@dataclass(frozen=True)
class KernelUsage:
    """``peak_memory_mb`` (MB, kernel + children) and ``cpu_seconds`` (user + system, s)."""

    peak_memory_mb: float
    cpu_seconds: float


def _high_water_mark_bytes(process: psutil.Process) -> int:
    """The process's peak resident memory from ``/proc/PID/status`` (Linux), else 0."""
    try:
        with open(f"/proc/{process.pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024  # the file counts kB
    except (OSError, ValueError, IndexError):
        pass
    return 0


class KernelUsageMonitor:
    """Sample a process tree's memory and CPU time until :meth:`stop`; see the module docstring.

    ``include_children=False`` watches the process alone (a JupyterHub, whose children are the
    learners' servers, measured on their own)."""

    def __init__(self, pid: int, interval: float = 0.25, include_children: bool = True) -> None:
        pid = check_int(pid, "pid", minimum=1)
        self.interval = check_float(interval, "interval", minimum=0.01, maximum=60.0)
        self.include_children = check_bool(include_children, "include_children")
        self._process = psutil.Process(pid)
        self._peak_bytes = 0
        self._cpu_seconds = 0.0
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"kernel-usage-{pid}", daemon=True)

    def start(self) -> "KernelUsageMonitor":
        self.sample()
        self._thread.start()
        return self

    def sample(self) -> None:
        """Read the tree's memory and CPU time once (also called by the thread every ``interval`` s)."""
        try:
            with self._process.oneshot():
                own = self._process.cpu_times()
                rss = self._process.memory_info().rss
                hwm = _high_water_mark_bytes(self._process)
            children = self._process.children(recursive=True) if self.include_children else []
        except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
            return  # the kernel has stopped: keep the last figures
        running_cpu = 0.0
        for child in children:
            try:
                rss += child.memory_info().rss
                times = child.cpu_times()
                running_cpu += times.user + times.system
            except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
                continue
        # children_user/system: children that have ended and been waited for; the running ones are
        # counted from their own times above. The maximum over samples hides the moment between a
        # child's end and its parent's wait, when its time is in neither.
        waited = own.children_user + own.children_system if self.include_children else 0.0
        self._peak_bytes = max(self._peak_bytes, rss, hwm)
        self._cpu_seconds = max(self._cpu_seconds, own.user + own.system + waited + running_cpu)

    def _run(self) -> None:
        while not self._stopped.wait(self.interval):
            self.sample()

    def stop(self) -> KernelUsage:
        """Stop sampling (a last sample first, if the kernel is still running) and return the figures."""
        self.sample()
        self._stopped.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5 * self.interval + 1)
        return self.usage()

    def usage(self) -> KernelUsage:
        return KernelUsage(round(self._peak_bytes / _MB, 1), round(self._cpu_seconds, 1))

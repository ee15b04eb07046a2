"""Memory and CPU limits per learner with Linux control groups (cgroups), where the machine has them.

Each learner gets a group ``aigc-classroom/<name>``; their Jupyter server joins it before it
starts (in the spawner's ``preexec_fn``), so every kernel and process it starts is inside and
counted together. A group that goes over its memory is handled by the kernel's OOM killer, which
ends the biggest process in it (the learner sees "kernel died"; their saved files are untouched);
a group asking for more CPU than its share waits.

- cgroup v2 (one tree, ``/sys/fs/cgroup/cgroup.controllers``): ``memory.max``, ``cpu.max``;
- cgroup v1 (one tree per controller): ``memory.limit_in_bytes``, ``cpu.cfs_quota_us``.

Without either (macOS, a container that hides them, not root), :func:`detect` says why and
the classroom runs without limits, as its start-up message then says.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ..language import tr

__all__ = ["CgroupLimits", "detect", "GROUP"]

#: The parent group of every learner's group.
GROUP = "aigc-classroom"
#: The CPU accounting period used for the quota, in microseconds (the kernel's default, 0.1 s).
CPU_PERIOD_US = 100_000


@dataclass(frozen=True)
class CgroupLimits:
    """Where to create learners' groups. ``version`` is 1 or 2; ``memory_root``/``cpu_root``
    are the trees holding :data:`GROUP` (the same folder on v2)."""

    version: int
    memory_root: Path
    cpu_root: Path

    def folders(self, name: str) -> list[Path]:
        """The learner's group folders (one on v2, memory and cpu on v1)."""
        folders = [self.memory_root / GROUP / name]
        if self.cpu_root != self.memory_root:
            folders.append(self.cpu_root / GROUP / name)
        return folders

    def prepare(self, name: str, memory_bytes: int, cpus: float) -> None:
        """Create the learner's groups and write their limits (0 for either: no limit)."""
        if self.version == 2:
            parent = self.memory_root / GROUP
            parent.mkdir(exist_ok=True)
            (parent / "cgroup.subtree_control").write_text("+memory +cpu")
        for folder in self.folders(name):
            folder.mkdir(parents=True, exist_ok=True)
        memory, cpu = self.folders(name)[0], self.folders(name)[-1]
        quota = int(cpus * CPU_PERIOD_US)
        if self.version == 2:
            (memory / "memory.max").write_text(str(memory_bytes) if memory_bytes else "max")
            (cpu / "cpu.max").write_text(f"{quota if quota else 'max'} {CPU_PERIOD_US}")
        else:
            (memory / "memory.limit_in_bytes").write_text(str(memory_bytes) if memory_bytes else "-1")
            (cpu / "cpu.cfs_period_us").write_text(str(CPU_PERIOD_US))
            (cpu / "cpu.cfs_quota_us").write_text(str(quota) if quota else "-1")

    def join(self, name: str, pid: int | None = None) -> None:
        """Move process ``pid`` (default: this one) into the learner's groups."""
        for folder in self.folders(name):
            (folder / "cgroup.procs").write_text(str(pid or os.getpid()))

    def read(self, name: str) -> tuple[int, float]:
        """The limits in force for the learner: (memory in bytes, CPU cores); 0 means none."""
        memory, cpu = self.folders(name)[0], self.folders(name)[-1]
        if self.version == 2:
            raw = (memory / "memory.max").read_text().strip()
            quota, period = (cpu / "cpu.max").read_text().split()
        else:
            raw = (memory / "memory.limit_in_bytes").read_text().strip()
            quota, period = (cpu / "cpu.cfs_quota_us").read_text().strip(), (cpu / "cpu.cfs_period_us").read_text()
            raw = "max" if int(raw) < 0 or int(raw) >= 2 ** 62 else raw  # v1 reads "no limit" (-1) back huge
        memory_bytes = 0 if raw == "max" else int(raw)
        cpus = 0.0 if quota in ("max", "-1") else int(quota) / int(period)
        return memory_bytes, cpus


def detect(root: str | os.PathLike = "/sys/fs/cgroup") -> CgroupLimits | str:
    """The machine's control groups, or a sentence (in the learner's language) saying why there are none."""
    root = Path(root)
    if os.geteuid() != 0:
        return tr("limits need the hub to run as root", "限制需要以 root 身份运行 hub")
    if (root / "cgroup.controllers").exists():
        controllers = (root / "cgroup.controllers").read_text().split()
        if not {"memory", "cpu"} <= set(controllers):
            return tr(f"this machine's cgroup v2 lacks the memory or cpu controller (has: {' '.join(controllers)})",
                      f"本机的 cgroup v2 缺少 memory 或 cpu 控制器（现有：{' '.join(controllers)}）")
        found = CgroupLimits(2, root, root)
    elif (root / "memory" / "memory.limit_in_bytes").exists() and (root / "cpu" / "cpu.cfs_quota_us").exists():
        found = CgroupLimits(1, root / "memory", root / "cpu")
    else:
        return tr(f"no memory and cpu control groups under {root}", f"{root} 下没有 memory 和 cpu 控制组")
    for tree in {found.memory_root, found.cpu_root}:
        if not os.access(tree, os.W_OK):
            return tr(f"the control groups under {tree} are read-only here", f"此处 {tree} 下的控制组是只读的")
    return found

"""The one platform a kit is for (the pins of ``constraints.txt``): x86_64 Linux, CPython 3.11.

Wheels of compiled packages (torch, numpy, ...) only install on the platform they were built
for, so a kit built here is checked against the machine that builds it and the laptop that
installs it, with a message that says which part differs. Also: the newest glibc the kit's
``manylinux_2_X`` wheels ask for (torch's ``manylinux_2_28`` needs glibc 2.28 or newer).
"""

from __future__ import annotations

import platform
import re
import sys
from collections.abc import Iterable
from typing import Any

from ..language import tr

__all__ = ["TARGET", "TARGET_TEXT", "this_platform", "check_platform", "glibc_needed", "check_glibc"]

#: What constraints.txt's pins were verified on; a kit holds wheels for this and nothing else.
TARGET = {"system": "Linux", "machine": "x86_64", "implementation": "cpython", "python": "3.11"}
TARGET_TEXT = "x86_64 Linux, CPython 3.11"

#: Old manylinux names and the glibc they stand for (PEP 600).
_LEGACY = {"manylinux1": (2, 5), "manylinux2010": (2, 12), "manylinux2014": (2, 17)}


def this_platform() -> dict[str, str]:
    """This interpreter's platform in :data:`TARGET`'s keys."""
    return {"system": platform.system(), "machine": platform.machine(), "implementation": sys.implementation.name,
            "python": f"{sys.version_info.major}.{sys.version_info.minor}"}


def check_platform(target: dict[str, Any] | None = None, *, doing: str = "build") -> None:
    """``ValueError`` unless this interpreter is on ``target`` (default :data:`TARGET`), naming what differs.

    ``doing`` is ``"build"`` (making a kit) or ``"install"`` (installing from one): it picks the advice.
    """
    target = dict(TARGET if target is None else target)
    here = this_platform()
    differ = [f"{key} {here[key]} (the kit: {target[key]})" for key in TARGET if key in target and
              str(target[key]).lower() != here[key].lower()]
    if not differ:
        return
    if doing == "build":
        raise ValueError(tr(f"the kit holds wheels for {TARGET_TEXT} (the pins of constraints.txt), but this "
                            f"Python differs: {'; '.join(differ)}. Build it on such a machine, with PYTHON=python3.11",
                            f"工具包只收录 {TARGET_TEXT} 的 wheel（constraints.txt 的固定版本），但这个 Python 不同："
                            f"{'；'.join(differ)}。请在这样的机器上用 PYTHON=python3.11 生成"))
    raise ValueError(tr(f"this kit's wheels are for {TARGET_TEXT}, but this Python differs: {'; '.join(differ)}. "
                        "Run make install-offline PYTHON=python3.11 on an x86_64 Linux laptop; elsewhere install "
                        "with a network (README: 'On macOS, Windows or with conda')",
                        f"这个工具包的 wheel 适用于 {TARGET_TEXT}，但这个 Python 不同：{'；'.join(differ)}。请在 "
                        "x86_64 Linux 笔记本上运行 make install-offline PYTHON=python3.11；其他系统请联网安装"
                        "（见 README 的 “On macOS, Windows or with conda”）"))


def _glibc_of_tag(tag: str) -> tuple[int, int] | None:
    found = re.fullmatch(r"manylinux_(\d+)_(\d+)_\w+", tag)
    if found:
        return int(found[1]), int(found[2])
    return next((glibc for old, glibc in _LEGACY.items() if tag.startswith(old + "_")), None)


def glibc_needed(wheel_names: Iterable[str]) -> tuple[int, int] | None:
    """The newest glibc (major, minor) that these wheel file names' ``manylinux`` tags ask for, or None.

    A wheel with several platform tags installs where any of them does, so it needs the oldest.
    """
    newest = None
    for name in wheel_names:
        if not name.endswith(".whl"):
            continue
        needs = [g for g in map(_glibc_of_tag, name[:-4].split("-")[-1].split(".")) if g]
        if needs and (newest is None or min(needs) > newest):
            newest = min(needs)
    return newest


def check_glibc(wheel_names: Iterable[str]) -> None:
    """``ValueError`` if this Linux's glibc is older than the kit's wheels need (or is not glibc)."""
    needed = glibc_needed(wheel_names)
    if needed is None:
        return
    library, version = platform.libc_ver()
    parts = tuple(int(p) for p in re.findall(r"\d+", version)[:2])
    if library == "glibc" and len(parts) == 2 and parts >= needed:
        return
    have = f"{library} {version}".strip() or tr("an unknown C library", "未知的 C 库")
    raise ValueError(tr(f"the kit's wheels need glibc {needed[0]}.{needed[1]} or newer; this system has {have}. "
                        "Use a newer Linux (Ubuntu 20.04, Debian 10 or later)",
                        f"工具包的 wheel 需要 glibc {needed[0]}.{needed[1]} 或更新版本；这个系统是 {have}。"
                        "请使用更新的 Linux（Ubuntu 20.04、Debian 10 或更新）"))

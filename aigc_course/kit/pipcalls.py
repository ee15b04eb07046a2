"""Running pip for the kit: the commands, and an environment in which pip sees the kit and nothing else."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Mapping, Sequence

from ..language import tr

__all__ = ["Runner", "run", "offline_env", "offline_install_args"]

#: How the kit runs a command: ``runner(command, env)``; raises ``RuntimeError`` when it fails.
Runner = Callable[[Sequence[str], "Mapping[str, str] | None"], None]

#: pip settings that would add other places to look for packages (this machine's or the laptop's).
_PIP_SOURCES = ("PIP_FIND_LINKS", "PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL", "PIP_NO_INDEX", "PIP_CONSTRAINT",
                "PIP_REQUIREMENT")


def run(command: Sequence[str], env: Mapping[str, str] | None = None) -> None:
    """Run ``command`` with its output shown; ``RuntimeError`` naming it if it exits non-zero."""
    print("$ " + " ".join(command), flush=True)
    result = subprocess.run(list(command), env=None if env is None else dict(env))
    if result.returncode != 0:
        raise RuntimeError(tr(f"{' '.join(command[:4])} ... failed with exit status {result.returncode} "
                              "(its message is above)",
                              f"{' '.join(command[:4])} ... 失败，退出状态 {result.returncode}（错误信息见上方）"))


def offline_env(base: Mapping[str, str] | None = None) -> dict[str, str]:
    """``base`` (default: this process's environment) with pip's configuration files and sources switched off.

    ``PIP_CONFIG_FILE=os.devnull`` makes pip read no configuration file, so a ``find-links`` or
    index set on the machine cannot add packages that are not in the kit.
    """
    env = {k: v for k, v in (os.environ if base is None else base).items() if k not in _PIP_SOURCES}
    env["PIP_CONFIG_FILE"] = os.devnull
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


def offline_install_args(kit: str | os.PathLike, constraints: str | os.PathLike | None, target: str) -> list[str]:
    """``pip install`` arguments that take every package from the folder ``kit`` and never the network.

    ``target`` is what to install (``-e /course[dev]`` is passed as ``target`` after ``-e``).
    """
    args = ["install", "--no-index", "--find-links", str(kit)]
    if constraints is not None:
        args += ["-c", str(constraints)]
    return args + ["-e", target]

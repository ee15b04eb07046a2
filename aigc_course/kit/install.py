"""Installing a laptop from the kit (``make install-offline WHEELHOUSE=...``), with no network.

First the kit is checked against its manifest (every file's size and SHA-256: a damaged or
missing file is named before anything is installed) and against this machine (x86_64 Linux,
CPython 3.11, a new enough glibc). Then ``.venv`` is created and the course installed into it
in editable mode, as ``make venv`` does, with pip told to look in the kit and nowhere else.
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from pathlib import Path

from ..language import tr
from .manifest import Manifest, format_size, read_manifest, verify_kit
from .npm import install_npm
from .pipcalls import Runner, offline_env, offline_install_args, run
from .project import editable_target
from .target import check_glibc, check_platform

__all__ = ["install_from_kit"]


def _venv_python(venv: Path) -> Path:
    return venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def install_from_kit(kit: str | os.PathLike, venv: str | os.PathLike = ".venv", project: str | os.PathLike = ".",
                     *, python: str = sys.executable, npm: str | None = "npm", runner: Runner = run) -> Manifest:
    """Check the kit folder ``kit``, then install the checkout ``project`` from it into ``venv``; the manifest.

    ``ValueError`` naming the problem (not a folder, no manifest, damaged, missing or extra files,
    another platform) before anything is installed; ``RuntimeError`` if pip or npm fails. The kit's
    npm packages (if any) go into ``project/web/node_modules`` with ``npm`` (``None``: skip them). Took 233 s
    on a 2-core machine for the default kit (pip unpacks 6.7 GB into ``venv``; see README, "For teachers").
    """
    if not str(kit).strip():
        raise ValueError(tr("WHEELHOUSE must name the kit's folder (make install-offline WHEELHOUSE=/media/usb/"
                            "wheelhouse), got an empty string",
                            "WHEELHOUSE 必须是工具包所在的文件夹（make install-offline WHEELHOUSE=/media/usb/"
                            "wheelhouse），却得到了空字符串"))
    if not str(venv).strip():
        raise ValueError(tr("venv must name a folder, got an empty string", "venv 必须是一个文件夹的路径，却得到了空字符串"))
    kit = Path(kit).expanduser()
    manifest = read_manifest(kit)
    info = manifest.info
    check_platform(info, doing="install")
    print(tr(f"checking {len(manifest.files)} files ({format_size(manifest.total_bytes)}) against the manifest ...",
             f"正在按清单核对 {len(manifest.files)} 个文件（{format_size(manifest.total_bytes)}）……"), flush=True)
    checked = time.perf_counter()
    manifest = verify_kit(kit)
    print(tr(f"every file matches ({time.perf_counter() - checked:.0f} s)",
             f"所有文件都与清单一致（{time.perf_counter() - checked:.0f} 秒）"), flush=True)
    check_glibc(f.file for f in manifest.files)
    extras = tuple(info.get("extras", ()))
    target = editable_target(project, extras)  # checks the checkout before the venv is made
    constraints = Path(project) / "constraints.txt"
    venv = Path(venv)
    start = time.perf_counter()
    if not _venv_python(venv).exists():
        runner([python, "-m", "venv", str(venv)], None)
    runner([str(_venv_python(venv)), "-m", "pip", *offline_install_args(
        kit.resolve(), constraints if constraints.is_file() else None, target)], offline_env())
    install_npm(kit, Path(project), runner, shutil.which(npm) if npm else None)
    print(tr(f"installed {info.get('course', 'the course')} into {venv} from {kit} in "
             f"{time.perf_counter() - start:.0f} s, with no network",
             f"已从 {kit} 把 {info.get('course', '课程')} 安装到 {venv}，用时 {time.perf_counter() - start:.0f} 秒，"
             "未使用网络"), flush=True)
    return manifest

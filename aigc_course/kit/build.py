"""Building the offline kit (``make wheelhouse``): every wheel the course needs, in one folder, with a manifest.

The steps, all with a network, on x86_64 Linux with CPython 3.11 (the platform of ``constraints.txt``):

1. ``pip download`` the course's runtime requirements and the ``book`` extra (``make book``), and the
   ``dev`` extra (the tests) with ``WITH_DEV=1``,
   with the exact pins of ``constraints.txt``: about 180 wheels, most of the size in PyTorch's
   standard Linux wheel and the CUDA libraries it depends on (``nvidia-*``, ``cuda-*``, ``triton``);
2. ``pip download`` the build backend (``[build-system] requires``), so the laptop can install the
   course from the checkout in editable mode with no network, as ``make venv`` does;
3. turn every source archive pip fetched (packages published without a wheel, such as ``jieba``)
   into a wheel, so the laptop builds nothing;
4. ``pip wheel --no-deps`` the course itself: a wheel that carries the lessons too, for a laptop with no checkout;
5. with ``web/package.json`` and npm: the widget scripts of the HTML pages, as npm tarballs in ``npm/``
   (see :mod:`.npm`);
6. check offline that pip resolves the whole install from the folder alone (``--dry-run``);
7. write ``MANIFEST.json`` last: a folder without one is an unfinished kit.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from ..language import tr
from .manifest import MANIFEST_NAME, Manifest, format_size, write_manifest
from .npm import build_npm
from .pipcalls import Runner, offline_env, offline_install_args, run
from .project import build_requirements, course_version, editable_target, requirements
from .target import TARGET, TARGET_TEXT, check_platform

__all__ = ["SOURCE_ARCHIVES", "download_commands", "build_kit", "summary"]

#: File endings of source archives: pip builds these, so the kit turns them into wheels.
SOURCE_ARCHIVES = (".tar.gz", ".zip", ".tar.bz2")


def _constraints(project: Path) -> Path:
    path = project / "constraints.txt"
    if not path.is_file():
        raise ValueError(tr(f"project: {project} has no constraints.txt, so the kit's pins are unknown",
                            f"project：{project} 中没有 constraints.txt，无法确定工具包的固定版本"))
    return path


def download_commands(out: str | os.PathLike, project: str | os.PathLike = ".", *,
                      extras: tuple[str, ...] = (), python: str = sys.executable) -> list[list[str]]:
    """The ``pip download`` commands of steps 1 and 2 (``out`` the kit folder, ``project`` the checkout)."""
    project = Path(project)
    constraints = _constraints(project)
    pip = [python, "-m", "pip", "download", "--dest", str(out), "-c", str(constraints)]
    return [pip + requirements(project, extras), pip + build_requirements(project)]


def _course_wheel(project: Path, out: Path, python: str, runner: Runner) -> None:
    """Step 4: the course's own wheel (with its lessons and solutions, see setup.py), as README's command builds it."""
    runner([python, "-m", "pip", "wheel", "--no-deps", "--wheel-dir", str(out), str(project)], None)


def _wheels_from_sources(out: Path, python: str, runner: Runner) -> list[str]:
    """Step 3: build a wheel of every source archive in ``out`` and remove the archive; the archives' names."""
    archives = sorted(p for p in out.iterdir() if p.is_file() and p.name.endswith(SOURCE_ARCHIVES))
    for archive in archives:
        runner([python, "-m", "pip", "wheel", "--no-deps", "--wheel-dir", str(out), str(archive)], None)
        archive.unlink()
    return [a.name for a in archives]


def build_kit(out: str | os.PathLike, project: str | os.PathLike = ".", *, with_dev: bool = False,
              python: str = sys.executable, npm: str | None = "npm", runner: Runner = run) -> Manifest:
    """Build the kit into the folder ``out`` from the checkout ``project``; returns the manifest written.

    ``out`` must be new, empty, or an unfinished kit (no ``MANIFEST.json``: pip keeps the files it
    already downloaded). ``npm`` is the npm command for the widget scripts (``None``: leave them out).
    ``ValueError`` for a bad argument or the wrong platform, ``RuntimeError`` when pip or npm fails.
    Needs the network and, for the default kit, about 4 GB of disk.
    """
    if not isinstance(with_dev, bool):
        raise TypeError(tr(f"with_dev must be True or False, got {with_dev!r}",
                           f"with_dev 必须是 True 或 False，却得到了 {with_dev!r}"))
    if not str(out).strip():
        raise ValueError(tr("out (WHEELHOUSE) must name a folder, got an empty string",
                            "out（WHEELHOUSE）必须是一个文件夹的路径，却得到了空字符串"))
    check_platform(doing="build")
    project, out = Path(project).resolve(), Path(out).expanduser().resolve()
    extras = ("book", "dev") if with_dev else ("book",)  # the website (make book) is a teacher's tool too
    commands = download_commands(out, project, extras=extras, python=python)
    if (out / MANIFEST_NAME).exists():
        raise ValueError(tr(f"{out} is already a finished kit ({MANIFEST_NAME} is there); to build it again, "
                            f"remove the folder first (rm -rf {out}) or choose another WHEELHOUSE",
                            f"{out} 已经是完整的工具包（其中有 {MANIFEST_NAME}）；如需重新生成，请先删除该文件夹"
                            f"（rm -rf {out}）或换一个 WHEELHOUSE"))
    if out.exists() and not out.is_dir():
        raise ValueError(tr(f"out (WHEELHOUSE): {out} exists and is not a folder",
                            f"out（WHEELHOUSE）：{out} 已存在且不是文件夹"))
    out.mkdir(parents=True, exist_ok=True)
    for command in commands:
        runner(command, None)
    built = _wheels_from_sources(out, python, runner)
    _course_wheel(project, out, python, runner)
    tarballs = build_npm(out, project, runner, shutil.which(npm) if npm else None)
    print(tr("checking offline that pip finds every package in the kit ...", "离线检查 pip 能否在工具包中找到所有包 ……"),
          flush=True)
    runner([python, "-m", "pip", *offline_install_args(out, project / "constraints.txt",
                                                       editable_target(project, extras)),
            "--dry-run", "--ignore-installed", "--quiet"], offline_env())
    info = {"course": course_version(project), "platform": TARGET_TEXT, **TARGET, "extras": list(extras),
            "requirements": requirements(project, extras), "built_from_source": built, "npm": tarballs}
    return write_manifest(out, info)


def summary(manifest: Manifest, folder: str | os.PathLike, *, largest: int = 5) -> str:
    """A few lines for the teacher: how many files, how big, and the largest ones."""
    biggest = sorted(manifest.files, key=lambda f: f.size, reverse=True)[:largest]
    lines = [tr(f"kit: {folder}  {len(manifest.files)} files, {format_size(manifest.total_bytes)} "
                f"({manifest.total_bytes:,} bytes), for {manifest.info.get('platform', TARGET_TEXT)}",
                f"工具包：{folder}  {len(manifest.files)} 个文件，{format_size(manifest.total_bytes)}"
                f"（{manifest.total_bytes:,} 字节），适用于 {manifest.info.get('platform', TARGET_TEXT)}"),
             tr("largest:", "最大的文件：")]
    lines += [f"  {format_size(f.size):>10}  {f.file}" for f in biggest]
    return "\n".join(lines)

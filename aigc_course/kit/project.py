"""What the course asks pip for, read from its ``pyproject.toml``: requirements, extras, build backend, version."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ..language import tr

__all__ = ["read_pyproject", "requirements", "build_requirements", "course_version", "editable_target"]


def read_pyproject(project: str | os.PathLike) -> dict[str, Any]:
    """The parsed ``pyproject.toml`` of the course checkout ``project``; ``ValueError`` if it has none."""
    import tomllib

    path = Path(project) / "pyproject.toml"
    if not path.is_file():
        raise ValueError(tr(f"project: {Path(project)} has no pyproject.toml; run this from the course folder",
                            f"project：{Path(project)} 中没有 pyproject.toml；请在课程文件夹中运行"))
    return tomllib.loads(path.read_text(encoding="utf-8"))


def _extras(data: dict[str, Any], extras: tuple[str, ...]) -> dict[str, list[str]]:
    known = data["project"].get("optional-dependencies", {})
    for extra in extras:
        if extra not in known:
            raise ValueError(tr(f"extras: {extra!r} is not an extra of the course; allowed: {', '.join(sorted(known))}",
                                f"extras：{extra!r} 不是课程的可选依赖组；可选：{', '.join(sorted(known))}"))
    return {extra: list(known[extra]) for extra in extras}


def requirements(project: str | os.PathLike, extras: tuple[str, ...] = ()) -> list[str]:
    """The course's runtime requirements (``[project] dependencies``), then those of each extra, in file order."""
    data = read_pyproject(project)
    found = list(data["project"].get("dependencies", []))
    for listed in _extras(data, tuple(extras)).values():
        found += [r for r in listed if r not in found]
    return found


def build_requirements(project: str | os.PathLike) -> list[str]:
    """What building the course itself needs (``[build-system] requires``: the editable install needs it offline)."""
    return list(read_pyproject(project).get("build-system", {}).get("requires", []))


def course_version(project: str | os.PathLike) -> str:
    """``"<name> <version>"`` of the course, e.g. ``"aigc-course 0.1.0"``."""
    project_table = read_pyproject(project)["project"]
    return f"{project_table['name']} {project_table['version']}"


def editable_target(project: str | os.PathLike, extras: tuple[str, ...] = ()) -> str:
    """The argument of ``pip install -e``: the checkout, with its extras (``/course[dev]``)."""
    _extras(read_pyproject(project), tuple(extras))
    return str(Path(project).resolve()) + (f"[{','.join(extras)}]" if extras else "")

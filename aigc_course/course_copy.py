"""Copy the course (lessons and solutions) into a learner's folder, and update it later without losing work.

``aigc-course notebooks DEST`` calls :func:`copy_course`. It writes, under ``DEST``, the same
layout as the repository, so ``aigc-course run`` and ``jupyter lab notebooks`` work there::

    DEST/notebooks/NN_name.ipynb        the English lessons          (edition "en" or "all")
    DEST/notebooks/zh/NN_name.ipynb     the Chinese lessons, GLOSSARY.md   (edition "zh" or "all")
    DEST/solutions/exNN.py              the reference solutions      (every edition)
    DEST/.aigc-course-manifest.json     what was written: SHA-256 of every file, package version

A later run (a course update) decides file by file, comparing the file in ``DEST`` with the
hash the manifest recorded when the course wrote it:

==============  ==============================================================================
``added``       the file was not there: written
``unchanged``   the file already holds the new version, or the learner changed it and the course
                has not changed it since it was written: nothing written
``updated``     the learner did not change it (its hash is the recorded one): replaced by the new version
``kept``        the learner changed it, or it is not in the manifest: left as it is; the new
                version is written beside it as ``NAME.new.ipynb`` (``exNN.new.py``)
``replaced``    as ``kept``, with ``force=True``: the learner's version is first moved to
                ``NAME.ipynb.bak-<UTC time>`` beside it, then the new version is written
==============  ==============================================================================

Nothing the learner saved is ever overwritten or deleted: a ``NAME.new.ipynb`` the learner
edited is itself moved aside before a newer one takes its place (one they did not edit is
removed once ``NAME.ipynb`` holds the course's version again), and files that are no longer
part of the course are left alone. A damaged manifest (not JSON, or not the format
below) is treated safely, not as an error: it is moved aside as
``.aigc-course-manifest.json.bak-<UTC time>``, and every file that differs from the new version
counts as the learner's (``kept``), as if the folder had never been written by the course.

Manifest (JSON)::

    {"format": 1, "package": "aigc-course", "version": "0.1.0", "written": "2026-12-02T07:30:00Z",
     "files": {"notebooks/01_language_models.ipynb": "<sha256 hex>", ...}}
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from . import __version__
from .io import write_atomically
from .language import tr
from .resources import course_root
from .validate import check_bool, check_choice, check_path

__all__ = ["MANIFEST_NAME", "EDITIONS", "ACTIONS", "FileOutcome", "CopyReport", "course_files", "copy_course"]

#: The manifest's file name in ``DEST``.
MANIFEST_NAME = ".aigc-course-manifest.json"
#: The editions :func:`copy_course` can copy.
EDITIONS = ("en", "zh", "all")
#: What can happen to one file (see the module's docstring).
ACTIONS = ("added", "unchanged", "updated", "kept", "replaced")
_FORMAT = 1
_HEX = re.compile(r"[0-9a-f]{64}")

# the course files of each part, as globs relative to the course's root (setup.py packages the same)
_ENGLISH = ("notebooks/[0-9][0-9]_*.ipynb",)
_CHINESE = ("notebooks/zh/[0-9][0-9]_*.ipynb", "notebooks/zh/GLOSSARY.md")
_SOLUTIONS = ("solutions/ex[0-9][0-9].py", "solutions/README.md")


@dataclass(frozen=True)
class FileOutcome:
    """What happened to one course file: ``path`` (relative to DEST, with ``/``), ``action`` (one of
    :data:`ACTIONS`) and, for ``kept`` the new version's path, for ``replaced`` the path the learner's
    version was moved to (``aside``, relative to DEST). ``edited`` is False when the file was not in
    the manifest (so it cannot be told whether the learner changed it) and True when they did."""

    path: str
    action: str
    aside: str | None = None
    edited: bool = True

    def message(self) -> str:
        """One line for the learner about this file, in their language ("" for a file that needs no word)."""
        why = (tr("you changed it", "你修改过它") if self.edited else
               tr("it was not written by aigc-course (not in its manifest)", "它不是 aigc-course 写入的（不在清单中）"))
        if self.action == "kept":
            return tr(f"kept {self.path}: {why}. The new version is {self.aside}; compare the two, or run the "
                      "command again with --force to take the new one (yours is then kept as a .bak copy)",
                      f"保留了 {self.path}：{why}。新版本写在 {self.aside}；可以对比两者，或者加上 --force "
                      "再运行一次这条命令来换成新版本（你的版本会另存为 .bak 副本）")
        if self.action == "replaced":
            return tr(f"replaced {self.path} with the new version ({why}); your version is kept as {self.aside}",
                      f"已把 {self.path} 换成新版本（{why}）；你的版本另存为 {self.aside}")
        return ""


@dataclass(frozen=True)
class CopyReport:
    """The outcome of one :func:`copy_course`: the folder, edition, package version and one
    :class:`FileOutcome` per course file, plus warnings (e.g. a damaged manifest moved aside)."""

    dest: Path
    edition: str
    version: str
    files: tuple[FileOutcome, ...]
    warnings: tuple[str, ...] = field(default=())

    def count(self, action: str) -> int:
        """How many files had ``action``."""
        action = check_choice(action, "action", ACTIONS)
        return sum(f.action == action for f in self.files)

    def summary(self) -> str:
        """One line: how many files were added, updated, unchanged, kept and replaced, and where."""
        n = {action: self.count(action) for action in ACTIONS}
        return tr(f"{self.dest}: {n['added']} added, {n['updated']} updated, {n['unchanged']} unchanged, "
                  f"{n['kept']} kept as you had them (new version beside), {n['replaced']} replaced "
                  f"(your version kept aside); course version {self.version}",
                  f"{self.dest}：新增 {n['added']} 个，更新 {n['updated']} 个，未变 {n['unchanged']} 个，"
                  f"保留你的版本 {n['kept']} 个（新版本写在旁边），替换 {n['replaced']} 个（你的版本已另存）；"
                  f"课程版本 {self.version}")

    def lines(self) -> list[str]:
        """Every message worth printing: warnings, one line per kept or replaced file, the summary."""
        return [*self.warnings, *(m for f in self.files if (m := f.message())), self.summary()]


def _sha256(path: Path) -> str | None:
    """The SHA-256 (hex) of the file at ``path``; None when there is no regular file there."""
    if not path.is_file():
        return None
    return hashlib.sha256(path.read_bytes()).hexdigest()


def course_files(edition: str = "en") -> list[str]:
    """The course files of ``edition`` ("en", "zh" or "all"), relative to :func:`course_root`, with ``/``.

    The English lessons for "en", the Chinese lessons and glossary for "zh", both for "all";
    the solutions with every edition.
    """
    edition = check_choice(edition, "edition", EDITIONS)
    patterns = {"en": _ENGLISH, "zh": _CHINESE, "all": _ENGLISH + _CHINESE}[edition] + _SOLUTIONS
    root = course_root()
    found = []
    for pattern in patterns:
        found += sorted(p.relative_to(root).as_posix() for p in root.glob(pattern) if p.is_file())
    return found


def _stamp() -> str:
    return datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def _aside_path(path: Path, stamp: str) -> Path:
    """A free name beside ``path`` for the learner's version: ``NAME.bak-<stamp>`` (``-2``, ``-3``... if taken)."""
    candidate, number = path.with_name(f"{path.name}.bak-{stamp}"), 1
    while candidate.exists() or candidate.is_symlink():
        number += 1
        candidate = path.with_name(f"{path.name}.bak-{stamp}-{number}")
    return candidate


def _new_name(relative: str) -> str:
    """Where the new version of a file the learner changed goes: ``a/NAME.ipynb`` -> ``a/NAME.new.ipynb``."""
    folder, _, name = relative.rpartition("/")
    stem, dot, suffix = name.rpartition(".")
    beside = f"{stem}.new.{suffix}" if dot and stem else f"{name}.new"
    return f"{folder}/{beside}" if folder else beside


def _read_manifest(dest: Path, stamp: str) -> tuple[dict[str, str], list[str]]:
    """The recorded hashes (relative path -> sha256) and warnings; a damaged manifest is moved aside."""
    path = dest / MANIFEST_NAME
    if not path.exists() and not path.is_symlink():
        return {}, []
    problem = None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        problem = str(error)
    else:
        files = data.get("files") if isinstance(data, dict) else None
        if not isinstance(data, dict) or data.get("format") != _FORMAT or not isinstance(files, dict):
            problem = tr(f"not a format-{_FORMAT} manifest", f"不是第 {_FORMAT} 版格式的清单")
        elif not all(isinstance(k, str) and isinstance(v, str) and _HEX.fullmatch(v) for k, v in files.items()):
            problem = tr("a recorded hash is not a SHA-256", "其中记录的哈希值不是 SHA-256")
        else:
            return dict(files), []
    aside = _aside_path(path, stamp)
    os.replace(path, aside)
    return {}, [tr(f"the manifest {path} was damaged ({problem}); it is kept as {aside.name}, and every file that "
                   "differs from the new version is treated as yours (kept, new version beside it)",
                   f"清单 {path} 已损坏（{problem}）；它另存为 {aside.name}，凡是与新版本不同的文件都按你的文件处理"
                   "（保留原样，新版本写在旁边）")]


def _drop_old_new_version(dest: Path, relative: str, recorded: dict[str, str]) -> None:
    """Remove the ``NAME.new.ipynb`` an earlier run wrote beside ``relative``, if the learner never changed it."""
    beside = _new_name(relative)
    path = dest / beside
    if beside in recorded and _sha256(path) == recorded[beside]:
        path.unlink()
    if not path.exists():
        recorded.pop(beside, None)


def _place(dest: Path, relative: str, data: bytes, recorded: dict[str, str], force: bool, stamp: str) -> FileOutcome:
    """Write ``data`` to ``dest/relative`` by the rules of the module's docstring; update ``recorded``."""
    outcome = _decide_and_write(dest, relative, data, recorded, force, stamp)
    if outcome.action != "kept":  # the file now holds the course's version: a new version beside it is stale
        _drop_old_new_version(dest, relative, recorded)
    return outcome


def _decide_and_write(dest: Path, relative: str, data: bytes, recorded: dict[str, str], force: bool,
                      stamp: str) -> FileOutcome:
    target = dest / relative
    new_hash = hashlib.sha256(data).hexdigest()
    if not target.exists() and not target.is_symlink():
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(target, data)
        recorded[relative] = new_hash
        return FileOutcome(relative, "added")
    current = _sha256(target)
    if current == new_hash:
        recorded[relative] = new_hash
        return FileOutcome(relative, "unchanged")
    known = recorded.get(relative)
    if known == new_hash and not force:  # the learner's edit of the version the course still has: theirs stands
        return FileOutcome(relative, "unchanged")
    if current is not None and current == known:
        write_atomically(target, data)
        recorded[relative] = new_hash
        return FileOutcome(relative, "updated")
    edited = known is not None
    if force:
        aside = _aside_path(target, stamp)
        os.replace(target, aside)
        write_atomically(target, data)
        recorded[relative] = new_hash
        return FileOutcome(relative, "replaced", aside.relative_to(dest).as_posix(), edited)
    beside = _new_name(relative)
    beside_path = dest / beside
    beside_hash = _sha256(beside_path)
    if beside_hash != new_hash:
        if beside_path.exists() or beside_path.is_symlink():
            if beside_hash is None or beside_hash != recorded.get(beside):  # the learner's work too: keep it
                os.replace(beside_path, _aside_path(beside_path, stamp))
        write_atomically(beside_path, data)
    recorded[beside] = new_hash
    return FileOutcome(relative, "kept", beside, edited)


def copy_course(dest: str | os.PathLike, edition: str = "en", force: bool = False) -> CopyReport:
    """Copy the course's ``edition`` ("en", "zh" or "all") and its solutions into the folder ``dest``.

    ``dest`` is created if needed. A first run writes every file; a later run updates the files
    the learner did not change and keeps the ones they did (see the module's docstring), or with
    ``force=True`` replaces those too after moving the learner's version aside. Returns a
    :class:`CopyReport` with one outcome per course file. Raises ``ValueError`` when ``dest`` is a
    file (or lies under one), ``TypeError``/``ValueError`` for a bad ``edition`` or ``force``.
    """
    dest = check_path(dest, "dest").expanduser()
    edition = check_choice(edition, "edition", EDITIONS)
    force = check_bool(force, "force")
    for folder in (dest, *dest.parents):
        if folder.exists() and not folder.is_dir():
            raise ValueError(tr(f"dest must be a folder, but {folder} is a file: choose another folder for the course",
                                f"dest 必须是文件夹，但 {folder} 是一个文件：请为课程另选一个文件夹"))
        if folder.is_dir():
            break
    root = course_root()
    dest.mkdir(parents=True, exist_ok=True)
    stamp = _stamp()
    recorded, warnings = _read_manifest(dest, stamp)
    outcomes = [_place(dest, relative, (root / relative).read_bytes(), recorded, force, stamp)
                for relative in course_files(edition)]
    manifest = {"format": _FORMAT, "package": "aigc-course", "version": __version__,
                "written": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "files": dict(sorted(recorded.items()))}
    write_atomically(dest / MANIFEST_NAME, (json.dumps(manifest, indent=1) + "\n").encode("utf-8"))
    return CopyReport(dest, edition, __version__, tuple(outcomes), tuple(warnings))

"""``MANIFEST.json`` of an offline kit: every file's name, size in bytes and SHA-256, written and checked.

A file copied to a USB stick can arrive cut short or damaged, a copy can miss a file, and a
folder can pick up a wheel that was never part of the kit. :func:`check_kit` finds all three
(``damaged``, ``missing``, ``extra``) by comparing the folder with its manifest;
:func:`verify_kit` raises one ``ValueError`` that names every such file.

Names starting with ``.`` are not part of a kit and are ignored: the files an operating system
leaves on a stick (``.DS_Store``, ``._name``, ``.Trashes``) and half-written temporary files.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from ..io import write_atomically
from ..language import tr

__all__ = ["MANIFEST_NAME", "KitFile", "Manifest", "Problem", "sha256_of", "kit_files", "describe",
           "write_manifest", "read_manifest", "check_kit", "verify_kit", "format_size"]

MANIFEST_NAME = "MANIFEST.json"
#: The manifest's layout; a reader refuses any other.
FORMAT = 1
_CHUNK = 1 << 20  # bytes read at a time while hashing


@dataclass(frozen=True)
class KitFile:
    """One file of the kit: ``file`` its path inside the kit folder (``/``-separated), ``size`` in bytes."""

    file: str
    size: int
    sha256: str


@dataclass(frozen=True)
class Manifest:
    """A kit's files, sorted by name, and what it was built for (``info``: platform, extras, course)."""

    files: tuple[KitFile, ...]
    info: dict[str, Any] = field(default_factory=dict)

    @property
    def total_bytes(self) -> int:
        """The size of all the kit's files together, in bytes (the manifest itself not counted)."""
        return sum(f.size for f in self.files)

    def to_json(self) -> str:
        data = {"format": FORMAT, "info": self.info, "file_count": len(self.files), "total_bytes": self.total_bytes,
                "files": [{"file": f.file, "size": f.size, "sha256": f.sha256} for f in self.files]}
        return json.dumps(data, indent=1, ensure_ascii=False) + "\n"


@dataclass(frozen=True)
class Problem:
    """What is wrong with one file of a kit: ``kind`` is ``"damaged"``, ``"missing"`` or ``"extra"``."""

    kind: str
    file: str
    detail: str = ""

    def message(self) -> str:
        """One line in the learner's language, naming the file."""
        if self.kind == "damaged":
            return tr(f"damaged: {self.file} ({self.detail}); copy it again from the original kit",
                      f"已损坏：{self.file}（{self.detail}）；请从原始工具包重新复制这个文件")
        if self.kind == "missing":
            return tr(f"missing: {self.file} is in {MANIFEST_NAME} but not in the folder; copy it again",
                      f"缺失：{self.file} 列在 {MANIFEST_NAME} 中，但文件夹里没有；请重新复制")
        return tr(f"extra: {self.file} is not in {MANIFEST_NAME}; remove it (pip could install it instead of "
                  "the kit's own file)",
                  f"多余：{self.file} 不在 {MANIFEST_NAME} 中；请删除它（pip 可能会用它代替工具包里的文件）")


def sha256_of(path: str | os.PathLike) -> str:
    """The SHA-256 of a file's bytes, as 64 lower-case hex digits (read 1 MiB at a time)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _folder(folder: str | os.PathLike) -> Path:
    """The kit folder as a ``Path``; ``ValueError`` for an empty name or a path that is not a folder."""
    if not isinstance(folder, (str, os.PathLike)) or not str(folder).strip():
        raise ValueError(tr(f"the kit folder (WHEELHOUSE) must be a path, got {folder!r}",
                            f"工具包文件夹（WHEELHOUSE）必须是一个路径，却得到了 {folder!r}"))
    path = Path(folder).expanduser()
    if not path.is_dir():
        raise ValueError(tr(f"the kit folder (WHEELHOUSE) {path} is not a folder: is the USB stick mounted there?",
                            f"工具包文件夹（WHEELHOUSE）{path} 不是文件夹：U 盘挂载在那里吗？"))
    return path


def kit_files(folder: str | os.PathLike) -> list[str]:
    """The files a kit folder holds, as sorted ``/``-separated paths inside it.

    The manifest itself and every name starting with ``.`` (at any depth) are left out.
    """
    root = _folder(folder)
    found = []
    for path in root.rglob("*"):
        parts = path.relative_to(root).parts
        if any(part.startswith(".") for part in parts) or not path.is_file():
            continue
        if parts == (MANIFEST_NAME,):
            continue
        found.append(PurePosixPath(*parts).as_posix())
    return sorted(found)


def describe(folder: str | os.PathLike, info: dict[str, Any] | None = None) -> Manifest:
    """The manifest of a folder as it is now: every file's size and SHA-256 (reads every byte)."""
    root = _folder(folder)
    files = tuple(KitFile(name, (root / name).stat().st_size, sha256_of(root / name)) for name in kit_files(root))
    return Manifest(files, dict(info or {}))


def write_manifest(folder: str | os.PathLike, info: dict[str, Any] | None = None) -> Manifest:
    """Describe ``folder`` and write its ``MANIFEST.json`` (atomically); returns the manifest written."""
    manifest = describe(folder, info)
    write_atomically(Path(folder).expanduser() / MANIFEST_NAME, manifest.to_json().encode("utf-8"))
    return manifest


def _not_a_manifest(path: Path, why: str) -> ValueError:
    return ValueError(tr(f"{path} is not a kit manifest ({why}); build the kit again with make wheelhouse",
                         f"{path} 不是工具包清单（{why}）；请用 make wheelhouse 重新生成工具包"))


def _entry(item: Any, path: Path) -> KitFile:
    if not (isinstance(item, dict) and isinstance(item.get("file"), str) and isinstance(item.get("size"), int)
            and not isinstance(item.get("size"), bool) and item["size"] >= 0 and isinstance(item.get("sha256"), str)
            and len(item["sha256"]) == 64):
        raise _not_a_manifest(path, f"bad entry {item!r}"[:120])
    name = PurePosixPath(item["file"])
    if name.is_absolute() or ".." in name.parts or not name.parts or "\\" in item["file"]:
        raise _not_a_manifest(path, f"a file name outside the kit: {item['file']!r}")
    return KitFile(item["file"], item["size"], item["sha256"].lower())


def read_manifest(folder: str | os.PathLike) -> Manifest:
    """The ``MANIFEST.json`` of a kit folder; ``ValueError`` naming the path if it is missing or malformed."""
    path = _folder(folder) / MANIFEST_NAME
    if not path.is_file():
        raise ValueError(tr(f"{path} does not exist: this folder is not a finished kit (make wheelhouse writes "
                            f"{MANIFEST_NAME} last, once every file is in place)",
                            f"{path} 不存在：这个文件夹不是完整的工具包（make wheelhouse 在所有文件就位后"
                            f"才最后写出 {MANIFEST_NAME}）"))
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise _not_a_manifest(path, f"{type(error).__name__}: {error}") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("files"), list):
        raise _not_a_manifest(path, f"expected format {FORMAT} with a list of files")
    files = tuple(_entry(item, path) for item in data["files"])
    if len({f.file for f in files}) != len(files):
        raise _not_a_manifest(path, "a file is listed twice")
    info = data.get("info") if isinstance(data.get("info"), dict) else {}
    return Manifest(files, info)


def check_kit(folder: str | os.PathLike) -> list[Problem]:
    """Every damaged, missing and extra file of a kit folder against its manifest; ``[]`` when all is well.

    A file is damaged when its size differs (checked first: cheap) or its SHA-256 does. Reads
    every byte of the kit (a few GB: on a USB 2 stick, about a minute or two).
    """
    root = _folder(folder)
    manifest = read_manifest(root)
    present = set(kit_files(root))
    problems = []
    for entry in manifest.files:
        path = root / entry.file
        if entry.file not in present:
            problems.append(Problem("missing", entry.file))
            continue
        size = path.stat().st_size
        if size != entry.size:
            problems.append(Problem("damaged", entry.file, tr(f"{size:,} bytes, the manifest says {entry.size:,}",
                                                              f"{size:,} 字节，清单记录为 {entry.size:,} 字节")))
        elif sha256_of(path) != entry.sha256:
            problems.append(Problem("damaged", entry.file, tr("its SHA-256 differs from the manifest's",
                                                              "SHA-256 与清单记录不符")))
    listed = {entry.file for entry in manifest.files}
    problems += [Problem("extra", name) for name in sorted(present - listed)]
    return problems


def verify_kit(folder: str | os.PathLike) -> Manifest:
    """The kit's manifest, once every file matches it; else ``ValueError`` naming each bad file."""
    problems = check_kit(folder)
    if problems:
        lines = "\n".join(f"  - {p.message()}" for p in problems)
        raise ValueError(tr(f"the kit in {folder} does not match its {MANIFEST_NAME} "
                            f"({len(problems)} problem(s)):\n{lines}",
                            f"{folder} 中的工具包与它的 {MANIFEST_NAME} 不符（{len(problems)} 个问题）：\n{lines}"))
    return read_manifest(folder)


def format_size(size: int) -> str:
    """A size in bytes as MB or GB (decimal: 1 MB = 10**6 bytes), e.g. ``"3.92 GB"``."""
    if size >= 10**9:
        return f"{size / 10**9:.2f} GB"
    return f"{size / 10**6:.1f} MB"

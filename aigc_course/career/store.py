"""Saving the learner's answers so that nothing they write is ever lost.

One JSON file per learner (default ``<user_data_dir()>/career.json``; pass another
folder, e.g. a temporary one in tests)::

    {"schema": "aigc-course/career", "version": 1, "saved_at": "2026-01-01T12:00:00+00:00",
     "profile": {...}}

How a save works, and why:

1. The new content is written to a temporary file *in the same folder*, flushed and
   ``fsync``-ed, so a crash or a full disk leaves at worst a stray temporary file.
2. The current file (if it is a readable answers file) is copied to ``career.json.bak``
   the same way: one previous version is always kept.
3. ``os.replace`` swaps the temporary file in. On every supported OS this is atomic:
   readers see the old file or the new one, never half of each.

A file that cannot be read (not JSON, wrong schema) or that was written by a newer
version of the course is reported with a clear error and **never overwritten**: saving
refuses until the learner moves it aside, or asks :meth:`AnswerStore.save` to keep it
under a new name (``keep_unreadable=True``) before writing.
"""

from __future__ import annotations

import json
import os
import tempfile
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ..config import user_data_dir
from .profile import Profile

SCHEMA = "aigc-course/career"
VERSION = 1


class AnswersFileError(RuntimeError):
    """The answers file exists but cannot be used; it has been left untouched."""

    def __init__(self, path: Path, reason: str) -> None:
        self.path = Path(path)
        super().__init__(f"{path}: {reason}. The file was left exactly as it is; nothing was overwritten.")


class CorruptAnswersError(AnswersFileError):
    """The answers file is not valid JSON or not a career answers file."""


class FutureVersionError(AnswersFileError):
    """The answers file was written by a newer version of the course."""


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file in the same folder and ``os.replace``."""
    handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as temp:
            temp.write(data)
            temp.flush()
            os.fsync(temp.fileno())
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


def _parse(path: Path, raw: bytes) -> dict[str, Any]:
    """Check a file's envelope and return its payload dict (raises the errors above)."""
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise CorruptAnswersError(path, f"is not valid JSON ({error})") from None
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        raise CorruptAnswersError(path, f"is not a career answers file (expected schema {SCHEMA!r})")
    version = data.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise CorruptAnswersError(path, f"has an invalid schema version {version!r}")
    if version > VERSION:
        raise FutureVersionError(path, f"was written by a newer course (schema version {version}; this course "
                                       f"reads up to {VERSION}). Update the course: pip install -U -e .")
    if not isinstance(data.get("profile"), dict):
        raise CorruptAnswersError(path, "has no 'profile' object")
    return data


class AnswerStore:
    """The learner's saved profile: ``save``, ``load``, ``load_backup``.

    ``folder`` defaults to :func:`aigc_course.config.user_data_dir` (``AIGC_HOME`` overrides).
    """

    def __init__(self, folder: str | os.PathLike | None = None, name: str = "career.json") -> None:
        if not isinstance(name, str) or not name.endswith(".json") or Path(name).name != name:
            raise ValueError(f"name must be a plain file name ending in .json, got {name!r}")
        if folder is not None and not isinstance(folder, (str, os.PathLike)):
            raise TypeError(f"folder must be a path or None, got {type(folder).__name__}")
        self.folder = Path(folder).expanduser() if folder is not None else user_data_dir()
        self.path = self.folder / name
        self.backup_path = self.folder / (name + ".bak")

    def __repr__(self) -> str:
        return f"AnswerStore({str(self.folder)!r})"

    # ----------------------------------------------------------------------------------
    def _read(self, path: Path) -> dict[str, Any] | None:
        if not path.exists():
            return None
        return _parse(path, path.read_bytes())

    def load(self) -> Profile | None:
        """The saved profile, or ``None`` if nothing was saved yet.

        Raises :class:`CorruptAnswersError` / :class:`FutureVersionError` (file untouched).
        """
        data = self._read(self.path)
        if data is None:
            return None
        try:
            return Profile.from_dict(data["profile"])
        except (TypeError, ValueError) as error:
            raise CorruptAnswersError(self.path, f"holds a profile that does not validate ({error})") from None

    def load_backup(self) -> Profile | None:
        """The previous saved version (``.bak``), or ``None`` if there is none."""
        data = self._read(self.backup_path)
        if data is None:
            return None
        try:
            return Profile.from_dict(data["profile"])
        except (TypeError, ValueError) as error:
            raise CorruptAnswersError(self.backup_path, f"holds a profile that does not validate ({error})") from None

    def saved_at(self) -> str | None:
        """When the current file was saved (ISO 8601, UTC), or ``None``."""
        data = self._read(self.path)
        return None if data is None else str(data.get("saved_at"))

    def save(self, profile: Profile, *, keep_unreadable: bool = False) -> Path:
        """Save ``profile`` atomically, keeping the previous version as ``.bak``; return the path.

        A draft profile (no tasks yet, shares not summing to 100) is saved too: work in
        progress is never lost. If the existing file cannot be read, this raises and
        writes nothing, unless ``keep_unreadable=True``, which first renames it to
        ``career.json.unreadable-<time>`` (kept forever) and then saves.
        """
        if not isinstance(profile, Profile):
            raise TypeError(f"profile must be a Profile, got {type(profile).__name__}")
        self.folder.mkdir(parents=True, exist_ok=True)
        now = datetime.now(timezone.utc)
        if self.path.exists():
            old = self.path.read_bytes()
            try:
                _parse(self.path, old)
            except AnswersFileError:
                if not keep_unreadable:
                    raise
                kept = self.folder / f"{self.path.name}.unreadable-{now.strftime('%Y%m%dT%H%M%S%fZ')}"
                os.replace(self.path, kept)
            else:
                write_atomically(self.backup_path, old)
        payload = {"schema": SCHEMA, "version": VERSION, "saved_at": now.isoformat(timespec="seconds"),
                   "profile": profile.to_dict()}
        write_atomically(self.path, json.dumps(payload, ensure_ascii=False, indent=2).encode("utf-8"))
        return self.path

    def restore_backup(self) -> Path:
        """Make the backup the current file again (the current one becomes the backup)."""
        if not self.backup_path.exists():
            raise FileNotFoundError(f"{self.backup_path} does not exist: nothing to restore")
        backup = self.backup_path.read_bytes()
        _parse(self.backup_path, backup)
        if self.path.exists():
            current = self.path.read_bytes()
            write_atomically(self.backup_path, current)
        write_atomically(self.path, backup)
        return self.path

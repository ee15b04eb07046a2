"""Saving the learner's answers so that nothing they write is ever lost.

One JSON file per learner (default ``<user_data_dir()>/career.json``; pass another
folder, e.g. a temporary one in tests)::

    {"schema": "aigc-course/career", "version": 2, "revision": 7,
     "saved_at": "2026-01-01T12:00:00+00:00", "profile": {...}}

``revision`` counts the saves of this file (1, 2, 3, ...). Files written by version 1
of the format have no revision; they load as revision 0 and are written as version 2
by the next save.

How a save works, and why:

1. **One save at a time per folder.** The save takes an exclusive operating-system lock:
   ``fcntl.flock`` on the answers folder itself on Linux and macOS (no extra file), and
   ``msvcrt.locking`` on a ``.<name>.lock`` file on Windows. The operating system drops
   the lock when the process ends, even when it is killed, so a crashed save can never
   leave a stale lock behind. A save that cannot get the lock within
   :data:`LOCK_TIMEOUT_SECONDS` raises :class:`ConcurrentSaveError`. On a file system
   without locks the revision check below still runs, without the lock.
2. **No lost updates.** :meth:`AnswerStore.load` remembers the revision it read. Under
   the lock, :meth:`AnswerStore.save` reads the file again: if another save happened in
   between (another notebook, another process, another store object), it raises
   :class:`ConcurrentSaveError` and writes nothing. Reload, or pass ``overwrite=True``
   to replace those answers on purpose (they are then kept as ``.bak``). A first save
   into an empty folder, and a save after this store's own save, just work.
3. **Nothing unreadable is ever touched.** A file the store cannot use (not JSON, wrong
   schema, written by a newer course, or a valid file whose profile does not validate)
   is never moved to ``.bak``, overwritten or deleted. Saving refuses with an error that
   says where the file is and what to do; ``keep_unreadable=True`` first renames it to
   ``career.json.unreadable-<UTC time>`` (a name never reused) and says so.
4. **Atomic writes.** The new content goes to a temporary file *in the same folder*,
   flushed and ``fsync``-ed, then ``os.replace`` swaps it in: readers see the old file
   or the new one, never half of each. The current file (only if fully valid) is kept
   as ``career.json.bak`` the same way: one previous version is always there.
5. **Clean up after killed saves.** A save killed mid-write leaves a temporary file
   ``.career.json.<random>.tmp``. Such files older than :data:`STALE_TEMP_SECONDS`
   (a save takes milliseconds) are removed by the next save or load.

Folder problems (read-only, a file where the folder should be, no permission) raise
:class:`AnswersFolderError` with the path and what to do, never a bare ``PermissionError``.
"""

from __future__ import annotations

import contextlib
import errno
import glob
import itertools
import json
import os
import time
import warnings
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator

from ..config import user_data_dir
from ..io import write_atomically
from ..language import Text, language, tr
from .profile import Profile

SCHEMA = "aigc-course/career"
#: Version 2 added ``revision``; version 1 files (no revision) still load.
VERSION = 2
#: A temporary file of a save that is older than this (seconds) belongs to a killed save.
STALE_TEMP_SECONDS = 60.0
#: How long a save waits for another save into the same folder to finish (seconds).
LOCK_TIMEOUT_SECONDS = 10.0
_UNTOUCHED = Text("The file was left exactly as it is; nothing was overwritten.", "文件原样保留，没有覆盖任何内容。")


class AnswersFileError(RuntimeError):
    """The answers file exists but cannot be used; it has been left untouched.

    ``path`` is the file, ``reason`` what is wrong with it, ``advice`` what to do.
    """

    untouched = _UNTOUCHED

    def __init__(self, path: str | os.PathLike, reason: str, advice: str = "") -> None:
        self.path = Path(path)
        self.reason = reason
        self.advice = advice
        if language() == "zh":
            super().__init__(f"{path}：{reason}。{self.untouched}" + (advice or ""))
        else:
            super().__init__(f"{path}: {reason}. {self.untouched}" + (f" {advice}" if advice else ""))


class CorruptAnswersError(AnswersFileError):
    """The answers file is not valid JSON, not a career answers file, or holds an invalid profile."""


class FutureVersionError(AnswersFileError):
    """The answers file was written by a newer version of the course."""


class ConcurrentSaveError(AnswersFileError):
    """Another save changed the answers file since this store loaded it; nothing was written."""


class AnswersFolderError(AnswersFileError):
    """The answers folder (or file) cannot be created, read or written; nothing was changed."""

    untouched = Text("Nothing was saved or changed.", "没有保存或改动任何内容。")


class UnreadableKeptWarning(UserWarning):
    """An unreadable answers file was renamed (kept, never deleted) so that a new one could be saved."""


@dataclass(frozen=True)
class _Saved:
    """One fully valid answers file: its raw bytes, envelope and profile."""

    raw: bytes
    revision: int
    saved_at: str
    profile: Profile


# --------------------------------------------------------------------------------------
# Files: atomic writes and readable errors
# --------------------------------------------------------------------------------------

def _is_permission_problem(error: OSError) -> bool:
    return isinstance(error, PermissionError) or error.errno in (errno.EACCES, errno.EPERM, errno.EROFS)


_FOLDER_ADVICE = Text("Choose a folder you can write to, e.g. AnswerStore('some/folder'), or set the AIGC_HOME "
                      "environment variable to one.",
                      "请选一个你能写入的文件夹，例如 AnswerStore('some/folder')，或者把环境变量 AIGC_HOME "
                      "设为这样的文件夹。")


def _folder_error(folder: Path, error: OSError, doing: Text) -> AnswersFolderError:
    """A readable error for an ``OSError`` raised while ``doing`` something in ``folder``.

    ``doing`` completes "cannot ..." in English and "无法……" in Chinese.
    """
    if _is_permission_problem(error):
        reason = tr(f"cannot {doing.en}: the folder is read-only or you lack permission ({error.strerror})",
                    f"无法{doing.zh}：文件夹是只读的，或者你没有权限（{error.strerror}）")
    else:
        reason = tr(f"cannot {doing.en} ({error.strerror or error})", f"无法{doing.zh}（{error.strerror or error}）")
    return AnswersFolderError(folder, reason, str(_FOLDER_ADVICE))


def _read_bytes(path: Path) -> bytes | None:
    """The file's bytes, or ``None`` if it does not exist; readable errors otherwise."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        raise AnswersFolderError(path, tr("is a folder, not an answers file", "是一个文件夹，不是答案文件"),
                                 tr("Move that folder away, or use another file name: AnswerStore(folder, name=...)",
                                    "请把那个文件夹移走，或者换一个文件名：AnswerStore(folder, name=...)。")) from None
    except NotADirectoryError:
        raise AnswersFolderError(path.parent, tr("is a file, not a folder", "是一个文件，不是文件夹"),
                                 str(_FOLDER_ADVICE)) from None
    except OSError as error:
        if os.path.isdir(path):  # Windows reports reading a folder as a permission error
            raise AnswersFolderError(path, tr("is a folder, not an answers file", "是一个文件夹，不是答案文件")) from None
        if _is_permission_problem(error):
            raise AnswersFolderError(path, tr(f"cannot be read: you lack permission ({error.strerror})",
                                              f"无法读取：你没有权限（{error.strerror}）"),
                                     tr("Give yourself read permission on it, or choose another folder.",
                                        "请给自己加上它的读取权限，或者换一个文件夹。")) from None
        raise AnswersFolderError(path, tr(f"cannot be read ({error.strerror or error})",
                                          f"无法读取（{error.strerror or error}）")) from None


def _parse(path: Path, raw: bytes) -> dict[str, Any]:
    """Check a file's envelope and return its payload dict (raises the errors above)."""
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise CorruptAnswersError(path, tr(f"is not valid JSON ({error})", f"不是有效的 JSON（{error}）")) from None
    except RecursionError:
        raise CorruptAnswersError(path, tr("is not valid JSON (nested too deeply)",
                                           "不是有效的 JSON（嵌套太深）")) from None
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        raise CorruptAnswersError(path, tr(f"is not a career answers file (expected schema {SCHEMA!r})",
                                           f"不是职业反思的答案文件（应为 schema {SCHEMA!r}）"))
    version = data.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise CorruptAnswersError(path, tr(f"has an invalid schema version {version!r}",
                                           f"schema 版本号 {version!r} 无效"))
    if version > VERSION:
        raise FutureVersionError(path, tr(f"was written by a newer course (schema version {version}; this course "
                                          f"reads up to {VERSION}). Update the course: pip install -U -e .",
                                          f"由更新版本的课程写入（schema 版本 {version}；本课程最高只能读取版本 "
                                          f"{VERSION}）。请用 pip install -U -e . 更新课程"))
    if version >= 2:
        revision = data.get("revision")
        if isinstance(revision, bool) or not isinstance(revision, int) or revision < 1:
            raise CorruptAnswersError(path, tr(f"has an invalid revision {revision!r} (expected an int >= 1)",
                                               f"修订号 {revision!r} 无效（应为 >= 1 的整数）"))
    else:  # version 1 files have no revision: migrate on read
        data = {**data, "revision": 0}
    if not isinstance(data.get("profile"), dict):
        raise CorruptAnswersError(path, tr("has no 'profile' object", "缺少 'profile' 对象"))
    return data


def _decode(path: Path, raw: bytes) -> _Saved:
    """A fully valid answers file: envelope AND profile; raises :class:`AnswersFileError` otherwise."""
    data = _parse(path, raw)
    try:
        profile = Profile.from_dict(data["profile"])
    except (TypeError, ValueError) as error:
        raise CorruptAnswersError(path, tr(f"holds a profile that does not validate ({error})",
                                           f"其中的档案没有通过校验（{error}）")) from None
    return _Saved(raw, data["revision"], str(data.get("saved_at")), profile)


def _encode(profile: Profile, revision: int, now: datetime) -> bytes:
    payload = {"schema": SCHEMA, "version": VERSION, "revision": revision,
               "saved_at": now.isoformat(timespec="seconds"), "profile": profile.to_dict()}
    return json.dumps(payload, ensure_ascii=False, indent=2).encode("utf-8")


# --------------------------------------------------------------------------------------
# The folder lock
# --------------------------------------------------------------------------------------

def _try_lock(fd: int) -> bool:
    """Try once to take the exclusive lock on ``fd``: True if taken, False if someone else holds it.

    Raises ``OSError`` when the file system offers no locks at all.
    """
    if os.name == "nt":
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as error:
        if error.errno in (errno.EAGAIN, errno.EWOULDBLOCK, errno.EACCES):
            return False
        raise
    return True


@contextlib.contextmanager
def _folder_lock(folder: Path, name: str, path: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``folder`` for saves of ``name`` (see the module docstring)."""
    try:
        if os.name == "nt":
            fd = os.open(folder / f".{name}.lock", os.O_RDWR | os.O_CREAT, 0o644)
        else:
            fd = os.open(folder, os.O_RDONLY)
    except OSError as error:
        raise _folder_error(folder, error, Text("be locked for saving", "为保存加锁")) from None
    try:
        deadline = time.monotonic() + LOCK_TIMEOUT_SECONDS
        locked = False
        while not locked:
            try:
                locked = _try_lock(fd)
            except OSError:  # no locks on this file system: rely on the revision check alone
                break
            if not locked:
                if time.monotonic() > deadline:
                    raise ConcurrentSaveError(path, tr(f"another save into {folder} has been running for more than "
                                                       f"{LOCK_TIMEOUT_SECONDS:g} s",
                                                       f"另一次向 {folder} 的保存已经进行了 {LOCK_TIMEOUT_SECONDS:g} 秒以上"),
                                              tr("Wait until it has finished, then load and save again.",
                                                 "请等它结束，再重新载入并保存。"))
                time.sleep(0.02)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


# --------------------------------------------------------------------------------------
# The store
# --------------------------------------------------------------------------------------

class AnswerStore:
    """The learner's saved profile: ``load``, ``save``, ``load_backup``, ``restore_backup``.

    ``folder`` defaults to :func:`aigc_course.config.user_data_dir` (``AIGC_HOME`` overrides).
    ``revision`` is the revision this store last loaded or saved (``None``: not yet read).
    ``kept_aside`` is where the last save or restore kept an unreadable file (``None``: nothing kept).
    """

    def __init__(self, folder: str | os.PathLike | None = None, name: str = "career.json") -> None:
        if not isinstance(name, str) or not name.endswith(".json") or Path(name).name != name or name == ".json":
            raise ValueError(tr(f"name must be a plain file name ending in .json, got {name!r}",
                                f"name 必须是以 .json 结尾的普通文件名，收到的是 {name!r}"))
        if folder is not None and not isinstance(folder, (str, os.PathLike)):
            raise TypeError(tr(f"folder must be a path or None, got {type(folder).__name__}",
                               f"folder 必须是路径或 None，收到的是 {type(folder).__name__}"))
        if folder is None:
            try:
                folder = user_data_dir()
            except OSError as error:
                where = Path(error.filename) if error.filename else Path(os.environ.get("AIGC_HOME") or "~/.aigc-course")
                raise _folder_error(where, error, Text("be created as the answers folder", "创建答案文件夹")) from None
        elif isinstance(folder, str) and not folder.strip():
            raise ValueError(tr("folder must be a folder path, got an empty string (use None for the default folder)",
                                "folder 必须是文件夹路径，收到的却是空字符串（要用默认文件夹，请传入 None）"))
        self.folder = Path(folder).expanduser()
        self.path = self.folder / name
        self.backup_path = self.folder / (name + ".bak")
        self.kept_aside: Path | None = None
        self._has_read = False  # did this store load or save the file?
        self._revision: int | None = None  # the revision it saw then (None: there was no file)

    def __repr__(self) -> str:
        return f"AnswerStore({str(self.folder)!r})"

    @property
    def revision(self) -> int | None:
        """The revision this store last loaded or saved; ``None`` before that or when there was no file."""
        return self._revision

    # ----------------------------------------------------------------------------------
    def _check_folder(self) -> bool:
        """True if the folder exists; a clear error if a file stands where it should be."""
        if self.folder.is_dir():
            return True
        if self.folder.exists():
            raise AnswersFolderError(self.folder, tr("is a file, not a folder", "是一个文件，不是文件夹"),
                                     str(_FOLDER_ADVICE))
        return False

    def _make_folder(self) -> None:
        if self._check_folder():
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except (FileExistsError, NotADirectoryError):
            blocker = next((p for p in [self.folder, *self.folder.parents] if p.exists() and not p.is_dir()), self.folder)
            raise AnswersFolderError(blocker, tr("is a file, so the answers folder cannot be created inside it",
                                                 "是一个文件，无法在其中创建答案文件夹"),
                                     str(_FOLDER_ADVICE)) from None
        except OSError as error:
            raise _folder_error(self.folder, error, Text("be created", "创建")) from None

    def clean_stale_temp_files(self) -> list[Path]:
        """Remove temporary files of killed saves (``.career.json.*.tmp`` older than a minute); return them.

        Best effort: a file that cannot be removed (read-only folder) is left and not reported.
        """
        if not self.folder.is_dir():
            return []
        cutoff = time.time() - STALE_TEMP_SECONDS
        removed = []
        for temp in self.folder.glob(glob.escape(f".{self.path.name}.") + "*.tmp"):
            try:
                if temp.is_file() and temp.stat().st_mtime < cutoff:
                    temp.unlink()
                    removed.append(temp)
            except OSError:
                continue
        return removed

    def _read(self, path: Path) -> _Saved | None:
        raw = _read_bytes(path)
        return None if raw is None else _decode(path, raw)

    def _advice(self) -> str:
        return tr(f"To keep your answers, look at or repair {self.path.name} in {self.folder}; to start afresh, move it "
                  f"elsewhere, or call save(profile, keep_unreadable=True), which renames it to "
                  f"{self.path.name}.unreadable-<UTC time> (kept, never deleted) and then saves.",
                  f"要保住你的答案，请查看或修复 {self.folder} 中的 {self.path.name}；要从头开始，请把它移到别处，"
                  f"或者调用 save(profile, keep_unreadable=True)：它会先把文件改名为 "
                  f"{self.path.name}.unreadable-<UTC 时间>（留存，绝不删除），然后再保存。")

    # ----------------------------------------------------------------------------------
    def load(self) -> Profile | None:
        """The saved profile, or ``None`` if nothing was saved yet (the folder need not exist).

        Remembers the file's revision, so that a later :meth:`save` can tell whether
        another save happened in between. Raises :class:`CorruptAnswersError` /
        :class:`FutureVersionError` (file untouched) or :class:`AnswersFolderError`.
        """
        if not self._check_folder():
            self._has_read, self._revision = True, None
            return None
        self.clean_stale_temp_files()
        try:
            saved = self._read(self.path)
        except AnswersFolderError:
            raise
        except AnswersFileError as error:
            raise type(error)(error.path, error.reason, self._advice()) from None
        self._has_read, self._revision = True, (None if saved is None else saved.revision)
        return None if saved is None else saved.profile

    def load_backup(self) -> Profile | None:
        """The previous saved version (``.bak``), or ``None`` if there is none."""
        if not self._check_folder():
            return None
        saved = self._read(self.backup_path)
        return None if saved is None else saved.profile

    def saved_at(self) -> str | None:
        """When the current file was saved (ISO 8601, UTC), or ``None``."""
        if not self._check_folder():
            return None
        saved = self._read(self.path)
        return None if saved is None else saved.saved_at

    # ----------------------------------------------------------------------------------
    def _keep_aside(self, now: datetime) -> Path:
        """Rename the unreadable current file to a new ``<name>.unreadable-<UTC time>[-n]``; return it."""
        stamp = now.strftime("%Y%m%dT%H%M%S%fZ")
        for n in itertools.count():
            target = self.folder / (f"{self.path.name}.unreadable-{stamp}" + (f"-{n}" if n else ""))
            if not os.path.lexists(target):
                os.replace(self.path, target)
                return target
        raise AssertionError("unreachable")

    def _check_unchanged(self, saved: _Saved | None) -> None:
        """Raise :class:`ConcurrentSaveError` if the file is not what this store last saw."""
        if saved is None:
            return  # nothing on disk: nothing to lose
        if self._has_read and self._revision == saved.revision:
            return
        if not self._has_read:
            reason = tr(f"already holds answers (revision {saved.revision}, saved at {saved.saved_at}) that this store has not loaded",
                        f"已经存有这个 AnswerStore 尚未载入的答案（修订号 {saved.revision}，保存于 {saved.saved_at}）")
        elif self._revision is None:
            reason = tr(f"was created by another save (revision {saved.revision}, saved at {saved.saved_at}) after "
                        "this store found no answers",
                        f"在这个 AnswerStore 发现还没有答案之后，由另一次保存创建（修订号 {saved.revision}，"
                        f"保存于 {saved.saved_at}）")
        else:
            reason = tr(f"was changed by another save since this store loaded it (this store read revision "
                        f"{self._revision}; the file now holds revision {saved.revision}, saved at {saved.saved_at})",
                        f"在这个 AnswerStore 载入它之后，被另一次保存改动过（这个 AnswerStore 读到的是修订号 "
                        f"{self._revision}；文件现在是修订号 {saved.revision}，保存于 {saved.saved_at}）")
        raise ConcurrentSaveError(self.path, reason,
                                  tr("Load it again with store.load() to see those answers, then save; or replace them on "
                                     f"purpose with store.save(profile, overwrite=True) (they are then kept as "
                                     f"{self.backup_path.name}).",
                                     "请用 store.load() 重新载入，看看那些答案，然后再保存；或者用 "
                                     "store.save(profile, overwrite=True) 有意替换它们（被替换的答案会保留为 "
                                     f"{self.backup_path.name}）。"))

    def _current_for_writing(self, keep_unreadable: bool, now: datetime) -> _Saved | None:
        """The current file, fully valid, or ``None``; an unreadable one is refused or kept aside."""
        try:
            return self._read(self.path)
        except AnswersFolderError:
            raise
        except AnswersFileError as error:
            if not keep_unreadable:
                raise type(error)(error.path, error.reason, self._advice()) from None
        try:
            self.kept_aside = self._keep_aside(now)
        except OSError as error:
            raise _folder_error(self.folder, error, Text(f"rename the unreadable {self.path.name} aside",
                                                         f"把无法读取的 {self.path.name} 改名留存")) from None
        return None

    def _write(self, previous: _Saved | None, new: bytes) -> None:
        """Keep ``previous`` (fully valid) as the backup, then swap ``new`` in; readable folder errors."""
        try:
            if previous is not None:
                write_atomically(self.backup_path, previous.raw)
            write_atomically(self.path, new)
        except OSError as error:
            if _is_permission_problem(error):
                raise _folder_error(self.folder, error, Text(f"write {self.path.name}", f"写入 {self.path.name}")) from None
            raise

    def _report_kept(self) -> None:
        if self.kept_aside is not None:
            warnings.warn(UnreadableKeptWarning(tr(
                f"{self.path} could not be read; it was kept as {self.kept_aside} (never deleted), "
                f"and a new {self.path.name} was written.",
                f"{self.path} 无法读取；它已改名留存为 {self.kept_aside}（绝不删除），并写入了新的 {self.path.name}。")),
                stacklevel=3)

    def save(self, profile: Profile, *, keep_unreadable: bool = False, overwrite: bool = False) -> Path:
        """Save ``profile`` atomically, keeping the previous version as ``.bak``; return the path.

        A draft profile (no tasks yet, shares not summing to 100) is saved too: work in
        progress is never lost.

        - If another save changed the file since this store loaded it (or the store never
          loaded an existing file), raises :class:`ConcurrentSaveError` and writes nothing,
          unless ``overwrite=True`` (the replaced answers are kept as ``.bak``).
        - If the existing file cannot be used, raises and writes nothing, unless
          ``keep_unreadable=True``, which first renames it to
          ``career.json.unreadable-<UTC time>`` (kept forever; the path is in
          :attr:`kept_aside` and in an :class:`UnreadableKeptWarning`) and then saves.
        """
        if not isinstance(profile, Profile):
            raise TypeError(tr(f"profile must be a Profile, got {type(profile).__name__}",
                               f"profile 必须是 Profile，收到的是 {type(profile).__name__}"))
        for flag, value in (("keep_unreadable", keep_unreadable), ("overwrite", overwrite)):
            if not isinstance(value, bool):
                raise TypeError(tr(f"{flag} must be True or False, got {type(value).__name__} {value!r}",
                                   f"{flag} 必须是 True 或 False，收到的是 {type(value).__name__} {value!r}"))
        self._make_folder()
        self.kept_aside = None
        with _folder_lock(self.folder, self.path.name, self.path):
            self.clean_stale_temp_files()
            now = datetime.now(timezone.utc)
            current = self._current_for_writing(keep_unreadable, now)
            if not overwrite:
                self._check_unchanged(current)
            base = current.revision if current is not None else (self._revision or 0)
            revision = max(base, self._revision or 0) + 1
            self._write(current, _encode(profile, revision, now))
        self._has_read, self._revision = True, revision
        self._report_kept()
        return self.path

    def restore_backup(self) -> Path:
        """Make the backup the current file again; the current one becomes the backup.

        The restored answers get a new revision (a restore is a save). An unreadable
        current file is never put into ``.bak``: it is kept as
        ``career.json.unreadable-<UTC time>`` (see :attr:`kept_aside`) and ``.bak`` stays.
        """
        self.kept_aside = None
        if not self._check_folder():
            raise FileNotFoundError(tr(f"{self.backup_path} does not exist: nothing to restore",
                                       f"{self.backup_path} 不存在：没有可恢复的内容"))
        with _folder_lock(self.folder, self.path.name, self.path):
            self.clean_stale_temp_files()
            backup = self._read(self.backup_path)
            if backup is None:
                raise FileNotFoundError(tr(f"{self.backup_path} does not exist: nothing to restore",
                                       f"{self.backup_path} 不存在：没有可恢复的内容"))
            now = datetime.now(timezone.utc)
            current = self._current_for_writing(True, now)
            base = max(backup.revision, current.revision if current is not None else 0, self._revision or 0)
            self._write(current, _encode(backup.profile, base + 1, now))
        self._has_read, self._revision = True, base + 1
        self._report_kept()
        return self.path

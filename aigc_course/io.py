"""Writing files so that no reader ever sees half of one: the course's one atomic writer.

Every file the course writes (a learner's answers, an exported plan, a trained model, a
cache) is first written to a temporary file in the same folder, named
``.<name>.<random>.tmp``, and then renamed over the target with ``os.replace``, which
is atomic on one file system: a reader sees the old file or the new one, never a torn
one. If anything fails on the way, the temporary file is removed and the target is left
as it was.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["atomic_path", "write_atomically"]


@contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[Path]:
    """A temporary path beside ``path`` to write to; on leaving the block it replaces ``path``.

    For writers that want a file name (``safetensors.torch.save_file``, ``shutil.copyfile``).
    The folder must exist. On an error inside the block the temporary file is removed and
    the error propagates. The new file keeps the mode of the file it replaces; a new name
    gets the mode ``open`` would give it (``mkstemp`` alone would make it private, 0600).
    """
    path = Path(path)
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(handle)
    try:
        yield Path(temp)
        os.chmod(temp, _mode_for(path))
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _mode_for(path: Path) -> int:
    """The permission bits of ``path`` if it exists, else 0666 less the process's umask."""
    try:
        return path.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_atomically(path: str | os.PathLike, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically, flushed to disk (``fsync``) before the rename."""
    with atomic_path(path) as temp, open(temp, "wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())

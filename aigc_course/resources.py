"""Where the course's own files are: its small data files, and its notebooks and solutions.

Both travel with the package, so the course works from an installed wheel as well as from
a clone of the repository:

- **data** (cited figures, texts written for the course, the saved long runs) live in
  ``aigc_course/data/`` and are found with :mod:`importlib.resources`;
  ``AIGC_DATA`` points at another folder with the same files (a copy a test may damage,
  a teacher's edited figures);
- **course files** (``notebooks/``, ``notebooks/zh/``, ``solutions/``): in a clone (or an
  editable install) they are the repository's own folders beside the package; in an
  installed wheel they are the copy the build put into ``aigc_course/course/``.
  :func:`course_root` is the one place that decides which.
"""

from __future__ import annotations

import json
import os
import re
from importlib.resources import files
from pathlib import Path
from typing import Any

from .language import tr

__all__ = ["DataFileMissing", "CourseFilesMissing", "package_data_dir", "data_dir", "data_path", "read_json",
           "course_root", "PACKAGED_COURSE", "LESSON_FILE", "lesson_files"]

#: The folder inside the package that a wheel's build fills with the course files.
PACKAGED_COURSE = "course"

#: A lesson notebook's file name: a two-digit number, ``_``, a lower-case name (``04_gpt2.ipynb``). A copy such
#: as ``04_gpt2.new.ipynb`` (a course update kept beside a learner's edited lesson) is not a lesson.
LESSON_FILE = re.compile(r"(\d\d)_[a-z0-9_]+\.ipynb")


class DataFileMissing(FileNotFoundError):
    """A data file the course ships is not where it should be."""


class CourseFilesMissing(FileNotFoundError):
    """Neither the repository's course folders nor the packaged copy of them exist."""


def _package_folder() -> Path:
    """The installed package's folder on disk (``importlib.resources`` view of ``aigc_course``)."""
    root = files("aigc_course")
    if not isinstance(root, Path):  # e.g. imported from a zip file: the course needs real files
        raise CourseFilesMissing(tr(f"aigc_course is not installed as a folder of files ({root}); "
                                    "install it with pip (not as a zip)",
                                    f"aigc_course 不是以普通文件夹的形式安装的（{root}）；请用 pip 安装（不要用 zip 包）"))
    return root


def package_data_dir() -> Path:
    """The data folder that ships inside the package (``aigc_course/data``), whatever ``AIGC_DATA`` says."""
    return _package_folder() / "data"


def data_dir() -> Path:
    """The folder the course reads its data files from: ``AIGC_DATA`` if set, else :func:`package_data_dir`.

    Raises :class:`DataFileMissing` (bilingual) when that folder does not exist.
    """
    override = os.environ.get("AIGC_DATA", "").strip()
    folder = Path(override).expanduser() if override else package_data_dir()
    if not folder.is_dir():
        if override:
            raise DataFileMissing(tr(f"AIGC_DATA points at {folder}, which is not a folder: point it at a folder "
                                     "holding the course's data files, or unset it to use the package's own",
                                     f"AIGC_DATA 指向的 {folder} 不是文件夹：请把它指向存放课程数据文件的文件夹，"
                                     "或取消这个设置以使用课程包自带的数据"))
        raise DataFileMissing(tr(f"the course's data folder {folder} is missing: reinstall the package "
                                 "(pip install --force-reinstall aigc-course, or pip install -e . in a clone)",
                                 f"找不到课程的数据文件夹 {folder}：请重新安装课程包"
                                 "（pip install --force-reinstall aigc-course，或在检出目录中 pip install -e .）"))
    return folder


def _check_name(name: object) -> str:
    if not isinstance(name, str):
        raise TypeError(tr(f"name must be a file name (str), got {type(name).__name__} {name!r}",
                           f"name 必须是文件名（str），收到的是 {type(name).__name__} {name!r}"))
    if not name or name != Path(name).name or name in (".", ".."):
        raise ValueError(tr(f"name must be a plain file name inside the data folder, like "
                            f"'lesson04_long_run.json', got {name!r}",
                            f"name 必须是数据文件夹中的一个文件名，例如 'lesson04_long_run.json'，收到的是 {name!r}"))
    return name


def data_path(name: str, *, missing_ok: bool = False) -> Path:
    """The path of the course's data file ``name`` (a plain file name, e.g. ``"lesson01_analogies.txt"``).

    Raises :class:`DataFileMissing` (bilingual, naming the path) when the file does not exist,
    unless ``missing_ok`` (then the caller checks ``.is_file()``).
    """
    path = data_dir() / _check_name(name)
    if not missing_ok and not path.is_file():
        raise DataFileMissing(tr(f"the course's data file {path} is missing: it ships with the package "
                                 "(aigc_course/data/); reinstall the package, or in a clone restore the file",
                                 f"缺少课程的数据文件 {path}：它随课程包提供（aigc_course/data/）；"
                                 "请重新安装课程包，或在检出目录中恢复这个文件"))
    return path


def read_json(name: str) -> Any:
    """The parsed content of the course's JSON data file ``name`` (e.g. ``"diffusion_long_run.json"``).

    A missing file raises :class:`DataFileMissing`; a damaged one ``ValueError`` naming the file.
    """
    path = data_path(name)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValueError(tr(f"the course's data file {path} is damaged ({error}); reinstall the package",
                            f"课程的数据文件 {path} 已损坏（{error}）；请重新安装课程包")) from None


def _repository_root() -> Path | None:
    """The clone the package runs from (the folder above it with ``pyproject.toml`` and ``notebooks/``), if any."""
    root = _package_folder().parent
    if (root / "pyproject.toml").is_file() and (root / "notebooks").is_dir():
        return root
    return None


def course_root() -> Path:
    """The folder holding the course files: ``notebooks/`` (with ``zh/``) and ``solutions/``.

    The repository when the package runs from a clone (source tree or editable install),
    else the copy packaged into the wheel (``aigc_course/course/``). Raises
    :class:`CourseFilesMissing` when neither exists.
    """
    repository = _repository_root()
    if repository is not None:
        return repository
    packaged = _package_folder() / PACKAGED_COURSE
    if (packaged / "notebooks").is_dir():
        return packaged
    raise CourseFilesMissing(tr(f"the course's notebooks are missing: {packaged} does not exist and the package "
                                "does not run from a clone of the course; reinstall the package from its wheel",
                                f"找不到课程的笔记本：{packaged} 不存在，课程包也不是在课程的检出目录中运行的；"
                                "请用课程的 wheel 文件重新安装课程包"))


def lesson_files(folder: Path, number: str | None = None) -> list[Path]:
    """The lesson notebooks in ``folder`` (names matching :data:`LESSON_FILE`), in course order.

    ``number`` (``"04"``) keeps only that lesson's. ``[]`` when ``folder`` is not a folder.
    """
    if not folder.is_dir():
        return []
    return sorted(path for path in folder.iterdir()
                  if (match := LESSON_FILE.fullmatch(path.name)) and number in (None, match.group(1)))

"""The learner's language: English or Chinese (中文) for every message the course prints.

``language()`` is ``"zh"`` or ``"en"``:

1. ``AIGC_LANG`` when it is set (``en`` or ``zh``; ``zh-CN`` and ``zh_CN.UTF-8`` count as ``zh``);
2. otherwise the edition of the running notebook: Jupyter starts each kernel in its
   notebook's folder, and the Chinese edition lives in ``notebooks/zh/``, so a kernel whose
   working folder is named ``zh`` (or whose ``JPY_SESSION_NAME``, the notebook's path that
   JupyterLab passes to the kernel, runs through a ``zh`` folder) speaks Chinese;
3. otherwise English.

Messages are written in both languages side by side, where they are made::

    raise NotYet(tr(f"P(word | previous) should be {right}", f"P(word | previous) 应为 {right}"))

:class:`Text` keeps both for text made once and printed later (an exercise's title and
hints): it becomes a ``str`` in the language of the moment it is printed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path, PurePath

__all__ = ["LANGUAGES", "language", "tr", "Text", "is_chinese", "space_after", "space_before"]

#: The languages the course speaks; the first is the default.
LANGUAGES = ("en", "zh")


def _from_setting(value: str) -> str:
    """``AIGC_LANG``'s value as ``"en"`` or ``"zh"``; anything else raises ``ValueError`` naming it."""
    code = value.strip().lower().replace("_", "-").split(".")[0]
    if code in ("en", "zh") or code.startswith(("en-", "zh-")):
        return code[:2]
    raise ValueError(f"AIGC_LANG must be en or zh (for example AIGC_LANG=zh), got {value!r}")


def _in_chinese_edition() -> bool:
    session = os.environ.get("JPY_SESSION_NAME", "")
    if session and "zh" in PurePath(session).parent.parts:
        return True
    try:
        return Path.cwd().name == "zh"
    except OSError:  # the working folder was removed
        return False


def language() -> str:
    """``"zh"`` or ``"en"``: ``AIGC_LANG`` if set, else the running notebook's edition, else English."""
    setting = os.environ.get("AIGC_LANG", "")
    if setting.strip():
        return _from_setting(setting)
    return "zh" if _in_chinese_edition() else "en"


def tr(english: str, chinese: str) -> str:
    """``chinese`` when the learner's language is Chinese, else ``english``."""
    return chinese if language() == "zh" else english


@dataclass(frozen=True)
class Text:
    """A message in both languages; ``str(text)`` (and f-strings) give the one of the learner's language."""

    en: str
    zh: str

    def __post_init__(self) -> None:
        for name in ("en", "zh"):
            value = getattr(self, name)
            if not isinstance(value, str) or not value.strip():
                raise ValueError(f"Text.{name} must be a non-empty string, got {value!r}")

    def __str__(self) -> str:
        return tr(self.en, self.zh)

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)


def is_chinese(char: str) -> bool:
    """Whether ``char`` is a Chinese character or full-width punctuation (such as ``）`` or ``，``)."""
    return "\u4e00" <= char <= "\u9fff" or "\u3000" <= char <= "\u303f" or "\uff00" <= char <= "\uffef"


def space_after(words: object) -> str:
    """The space Chinese text puts after ``words``: none after Chinese, one after a code name, number or Latin."""
    words = str(words)
    return "" if words and is_chinese(words[-1]) else " "


def space_before(words: object) -> str:
    """The space Chinese text puts before ``words``: none before Chinese, one before a code name or Latin."""
    words = str(words)
    return "" if words and is_chinese(words[0]) else " "

"""Exercise checkers: ``check("02.1", answer)`` says clearly what is right or wrong.

Each lesson registers its checkers in its own module (``ex01.py``, ``ex02.py``...)
with the :func:`exercise` decorator. A checker receives the learner's answer (a
value, or a function the learner wrote) and raises :class:`NotYet` with a helpful
message when it is wrong; returning normally means the answer is right (it may
return a short remark to print).

Reference solutions live in ``solutions/`` at the top of the course. The test suite
runs every checker against its reference solution *and* against known-wrong answers,
so a checker can never silently accept anything.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass
from typing import Any, Callable

__all__ = ["NotYet", "Exercise", "exercise", "check", "registry", "list_exercises"]


class NotYet(AssertionError):
    """Raised by a checker when the answer is not right yet; the message says why."""


@dataclass(frozen=True)
class Exercise:
    """One exercise: its id (``"LL.N"``, LL = lesson), a title and its checker."""

    id: str
    title: str
    checker: Callable[[Any], str | None]
    hint: str = ""


_REGISTRY: dict[str, Exercise] = {}


def exercise(exercise_id: str, title: str, hint: str = "") -> Callable:
    """Decorator that registers ``checker(answer)`` under ``exercise_id`` (e.g. ``"01.2"``)."""
    parts = exercise_id.split(".")
    if len(parts) != 2 or not all(p.isdigit() for p in parts) or len(parts[0]) != 2:
        raise ValueError(f"exercise_id must look like '01.2' (lesson.number), got {exercise_id!r}")

    def register(checker: Callable[[Any], str | None]) -> Callable[[Any], str | None]:
        if exercise_id in _REGISTRY and _REGISTRY[exercise_id].checker is not checker:
            raise ValueError(f"exercise {exercise_id!r} is registered twice")
        _REGISTRY[exercise_id] = Exercise(exercise_id, title, checker, hint)
        return checker

    return register


def _load_all() -> None:
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("ex"):
            importlib.import_module(f"{__name__}.{info.name}")


def registry() -> dict[str, Exercise]:
    """All registered exercises, by id (imports every lesson's checker module)."""
    _load_all()
    return dict(sorted(_REGISTRY.items()))


def list_exercises(lesson: str | None = None) -> list[str]:
    """Ids of all exercises, or of one lesson's (``lesson="02"``)."""
    ids = list(registry())
    return [i for i in ids if lesson is None or i.startswith(f"{lesson}.")]


def check(exercise_id: str, answer: Any, *, quiet: bool = False) -> bool:
    """Check ``answer`` for exercise ``exercise_id``; print a verdict and return True/False.

    A wrong answer never raises (so a notebook keeps running); an unknown exercise id
    does, with the list of known ids. Errors raised *inside* the learner's own code
    are reported as "not yet" with the error message.
    """
    exercises = registry()
    if exercise_id not in exercises:
        raise ValueError(f"exercise_id {exercise_id!r} is unknown; known ids: {', '.join(exercises) or 'none'}")
    ex = exercises[exercise_id]
    try:
        remark = ex.checker(answer)
    except NotYet as wrong:
        verdict, ok = f"✗ {ex.id} {ex.title}: not yet. {wrong}", False
        if ex.hint:
            verdict += f"\n  Hint: {ex.hint}"
    except Exception as error:  # the learner's function crashed: say so, do not crash the notebook
        verdict, ok = f"✗ {ex.id} {ex.title}: not yet. Your answer raised {type(error).__name__}: {error}", False
    else:
        verdict, ok = f"✓ {ex.id} {ex.title}: correct." + (f" {remark}" if remark else ""), True
    if not quiet:
        print(verdict)
    return ok

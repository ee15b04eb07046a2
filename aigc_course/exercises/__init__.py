"""Exercise checkers: ``check("02.1", answer)`` says clearly what is right or wrong.

Each lesson registers its checkers in its own module (``ex01.py``, ``ex02.py``...)
with the :func:`exercise` decorator. A checker receives the learner's answer (a
value, or a function the learner wrote) and raises :class:`NotYet` with a message
that names the actual mistake; returning normally means the answer is right (it may
return a short remark to print).

A scaffold the learner has not touched yet still holds ``...`` (the value itself, or
inside the function's code): :func:`check` then says "not answered yet" and nothing
else, so an executed notebook or its HTML never shows a failing verdict or a hint
that gives the answer away. Hints come in steps: ``hint("02.1")`` shows the next
one, a nudge first and the formula last.

Every message comes in English and Chinese (:mod:`aigc_course.language`): titles and
hints are :class:`~aigc_course.language.Text` pairs, and a checker writes its messages
with :func:`~aigc_course.language.tr`, so the learner reads the verdict in the language
of their edition.

Reference solutions live in ``solutions/`` at the top of the course, with at least
three realistic wrong answers per exercise; the test suite proves every checker
accepts the first and rejects each of the others with the right message.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import inspect
import numbers
import pkgutil
import textwrap
from dataclasses import dataclass
from typing import Any, Callable

from ..language import Text, space_after, tr

__all__ = ["NotYet", "Exercise", "Verdict", "exercise", "check", "hint", "as_number", "is_unanswered",
           "registry", "list_exercises"]


class NotYet(AssertionError):
    """Raised by a checker when the answer is not right yet; the message says why."""


@dataclass(frozen=True)
class Exercise:
    """One exercise: its id (``"LL.N"``, LL = lesson), a title, its checker and its hints (nudge first).

    ``title`` and each hint are :class:`~aigc_course.language.Text` (both languages) or a plain ``str``.
    """

    id: str
    title: Text | str
    checker: Callable[[Any], str | None]
    hints: tuple[Text | str, ...] = ()


@dataclass(frozen=True)
class Verdict:
    """What :func:`check` found: ``ok`` (true only for a right answer), ``answered`` and the message.

    It is truthy exactly when the answer is right. In a notebook it displays nothing
    (the verdict is printed once already), so a cell ending in ``check(...)`` shows
    no stray ``True``/``False``.
    """

    ok: bool
    answered: bool
    message: str

    def __bool__(self) -> bool:
        return self.ok

    def _ipython_display_(self) -> None:  # printed by check(); show nothing more
        pass


_REGISTRY: dict[str, Exercise] = {}
_HINTS_SHOWN: dict[str, int] = {}


def exercise(exercise_id: str, title: Text | str, hints: tuple[Text | str, ...] | list[Text | str] = ()) -> Callable:
    """Decorator that registers ``checker(answer)`` under ``exercise_id`` (e.g. ``"01.2"``).

    ``hints`` go from a nudge to the full method; the last may give the formula away.
    ``title`` and the hints are :class:`~aigc_course.language.Text` pairs (or plain strings).
    """
    parts = exercise_id.split(".")
    if len(parts) != 2 or not all(p.isdigit() for p in parts) or len(parts[0]) != 2:
        raise ValueError(f"exercise_id must look like '01.2' (lesson.number), got {exercise_id!r}")
    if not isinstance(title, Text) and not (isinstance(title, str) and title):
        raise TypeError(f"title of {exercise_id} must be a Text or a non-empty string, got {title!r}")
    if isinstance(hints, (str, Text)) or not all(isinstance(h, Text) or (isinstance(h, str) and h) for h in hints):
        raise TypeError(f"hints of {exercise_id} must be a tuple of non-empty strings or Texts, nudge first, "
                        f"got {hints!r}")

    def register(checker: Callable[[Any], str | None]) -> Callable[[Any], str | None]:
        if exercise_id in _REGISTRY and _REGISTRY[exercise_id].checker is not checker:
            raise ValueError(f"exercise {exercise_id!r} is registered twice")
        _REGISTRY[exercise_id] = Exercise(exercise_id, title, checker, tuple(hints))
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
    """Ids of all exercises, or of one lesson's (``lesson="02"``: only that lesson's checkers are imported)."""
    if lesson is None:
        return list(registry())
    if not isinstance(lesson, str) or not (len(lesson) == 2 and lesson.isdigit()):
        raise ValueError(f"lesson must be a lesson's two-digit number such as '02', got {lesson!r}")
    if importlib.util.find_spec(f"{__name__}.ex{lesson}") is not None:
        importlib.import_module(f"{__name__}.ex{lesson}")
    return sorted(i for i in _REGISTRY if i.startswith(f"{lesson}."))


def _lookup(exercise_id: str) -> Exercise:
    exercises = registry()
    if exercise_id not in exercises:
        raise ValueError(tr(f"exercise_id {exercise_id!r} is unknown; known ids: {', '.join(exercises) or 'none'}",
                            f"没有编号为 {exercise_id!r} 的练习；已有的编号：{', '.join(exercises) or '无'}"))
    return exercises[exercise_id]


def _source_holds_placeholder(function: Callable) -> bool:
    """True when the function's source still has a ``...`` standing for code (not ``x[..., -1]``)."""
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    except (OSError, TypeError, SyntaxError):  # no source to read (built in, or a lambda inside an expression)
        return False
    in_subscripts = {id(node) for sub in ast.walk(tree) if isinstance(sub, ast.Subscript) for node in ast.walk(sub.slice)}
    return any(isinstance(node, ast.Constant) and node.value is Ellipsis and id(node) not in in_subscripts
               for node in ast.walk(tree))


def is_unanswered(answer: Any) -> bool:
    """True for a scaffold left as it was: ``...`` itself, or a function whose code still has a ``...`` to replace."""
    if answer is Ellipsis:
        return True
    return inspect.isfunction(answer) and _source_holds_placeholder(answer)


def as_number(answer: Any, what: str | None = None) -> float | int:
    """``answer`` as a plain Python number, whatever type a right answer may come in.

    Accepts ``int``, ``float``, NumPy scalars and 0-d arrays, and 0-d tensors; raises
    :class:`NotYet` naming ``what`` for anything else (a ``bool``, a string, a list,
    a tensor with more than one element). ``what`` defaults to "your answer" (你的答案).
    """
    what = tr("your answer", "你的答案") if what is None else what
    if callable(getattr(answer, "item", None)) and getattr(answer, "shape", None) == ():
        answer = answer.item()  # a NumPy scalar or 0-d array, a 0-d tensor
    if isinstance(answer, bool) or not isinstance(answer, numbers.Real):  # bool after .item() too
        raise NotYet(tr(f"{what} should be a single number, got {type(answer).__name__} {answer!r:.80}",
                        f"{what}{space_after(what)}应当是一个数，却得到了 {type(answer).__name__} {answer!r:.80}。"))
    return int(answer) if isinstance(answer, numbers.Integral) else float(answer)


def _ended(message: str) -> str:
    """``message`` with a full stop at its end if it has none ("." or "。", after the message's own language)."""
    message = message.rstrip()
    if not message or message[-1] in ".!?。！？)）":
        return message
    return message + ("。" if space_after(message) == "" else ".")


def check(exercise_id: str, answer: Any, *, quiet: bool = False) -> Verdict:
    """Check ``answer`` for exercise ``exercise_id``; print the verdict and return it.

    A wrong answer never raises (so a notebook keeps running); an unknown exercise id
    does, with the list of known ids. Errors raised *inside* the learner's own code
    are reported as "not yet" with the error message. An untouched scaffold gets
    "not answered yet", with no verdict and no hint.
    """
    ex = _lookup(exercise_id)
    if is_unanswered(answer):
        verdict = Verdict(False, False, tr(f"· {ex.id} {ex.title}: not answered yet. Replace the ... and run this cell.",
                                           f"· {ex.id} {ex.title}：尚未作答。把 ... 换成你的答案，再运行这个单元格。"))
    else:
        try:
            remark = ex.checker(answer)
        except NotYet as wrong:
            more = tr(f' For a nudge, run hint("{ex.id}").', f'需要提示，请运行 hint("{ex.id}")。') if ex.hints else ""
            reason = _ended(str(wrong))
            verdict = Verdict(False, True, tr(f"✗ {ex.id} {ex.title}: not yet. {reason}{more}",
                                              f"✗ {ex.id} {ex.title}：还不对。{reason}{more}"))
        except Exception as error:  # the learner's function crashed: say so, do not crash the notebook
            verdict = Verdict(False, True, tr(f"✗ {ex.id} {ex.title}: not yet. Your answer raised ",
                                              f"✗ {ex.id} {ex.title}：还不对。你的答案抛出了 ")
                              + f"{type(error).__name__}: {error}")
        else:
            verdict = Verdict(True, True, tr(f"✓ {ex.id} {ex.title}: correct.", f"✓ {ex.id} {ex.title}：正确。")
                              + (tr(f" {remark}", f"{remark}") if remark else ""))
    if not quiet:
        print(verdict.message)
    return verdict


def hint(exercise_id: str, step: int | None = None) -> str:
    """Print and return a hint for ``exercise_id``: the next one each call, or hint number ``step`` (1 = a nudge)."""
    ex = _lookup(exercise_id)
    if not ex.hints:
        text = tr(f"{ex.id} has no hints: read the checker's message, it names the mistake.",
                  f"{ex.id} 没有提示：请读检查程序的反馈，它会指出错在哪里。")
        print(text)
        return text
    if step is None:
        step = min(_HINTS_SHOWN.get(ex.id, 0) + 1, len(ex.hints))
    elif isinstance(step, bool) or not isinstance(step, int) or not 1 <= step <= len(ex.hints):
        raise ValueError(tr(f"step must be an integer from 1 to {len(ex.hints)} for {ex.id}, got {step!r}",
                            f"{ex.id} 的 step 必须是 1 到 {len(ex.hints)} 之间的整数，却得到了 {step!r}"))
    _HINTS_SHOWN[ex.id] = max(step, _HINTS_SHOWN.get(ex.id, 0))
    more = tr(f' (hint("{ex.id}") again for the next)', f'（再运行 hint("{ex.id}") 看下一条）') if step < len(ex.hints) else ""
    text = tr(f"Hint {step} of {len(ex.hints)} for {ex.id}: {ex.hints[step - 1]}{more}",
              f"{ex.id} 的提示（第 {step} 条，共 {len(ex.hints)} 条）：{ex.hints[step - 1]}{more}")
    print(text)
    return text

"""The reference solutions, and the instructor copy of a notebook that has them filled in.

``solutions/exNN.py`` (at the top of the course, beside ``notebooks/``; in an installed wheel
the packaged copy, see :func:`aigc_course.resources.course_root`) holds, for lesson ``NN``:

- ``SOLUTIONS``: exercise id -> the reference solution. A function that takes no
  arguments computes the answer (``answer = solution()``); any other function *is*
  the answer (the learner writes a function of the same name).
- ``WRONG``: exercise id -> a list of ``(wrong answer, words the checker's message
  must contain)``: realistic mistakes, each of which the checker must reject for the
  right reason.

A learner's notebook and its HTML carry no solutions; ``aigc-course run --solutions``
executes copies in which every exercise cell holds its reference solution instead
(:func:`fill_in_solutions`), for teachers.
"""

from __future__ import annotations

import ast
import importlib.util
import inspect
import re
from pathlib import Path
from types import ModuleType
from typing import Any, Callable

from .resources import course_root

__all__ = ["solutions_dir", "load_solutions", "answer_from", "scaffold_exercise", "instructor_cell", "fill_in_solutions"]



def solutions_dir() -> Path:
    """The course's ``solutions/`` folder (the repository's in a clone, else the packaged copy)."""
    return course_root() / "solutions"

_CHECK_CALL = re.compile(r"""^check\(\s*["'](\d\d\.\d+)["']\s*,\s*(\w+)\s*\)\s*$""", re.M)


def load_solutions(lesson: str, folder: Path | str | None = None) -> ModuleType:
    """Import ``folder/ex{lesson}.py`` (e.g. ``lesson="03"``; ``folder`` defaults to :func:`solutions_dir`) as a module."""
    path = Path(folder if folder is not None else solutions_dir()) / f"ex{lesson}.py"
    if not path.is_file():
        raise FileNotFoundError(f"no reference solutions for lesson {lesson}: {path} does not exist")
    spec = importlib.util.spec_from_file_location(f"aigc_solutions_ex{lesson}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _computes_the_answer(solution: Callable[..., Any]) -> bool:
    """True for a solution without parameters: it computes the answer rather than being it."""
    return not inspect.signature(solution).parameters


def answer_from(solution: Callable[..., Any]) -> Any:
    """The answer a reference solution stands for: its result when it takes no arguments, else itself."""
    return solution() if _computes_the_answer(solution) else solution


def scaffold_exercise(source: str) -> tuple[str, str] | None:
    """``(exercise id, name of the checked answer)`` when a code cell ends in ``check("LL.N", name)``."""
    matches = list(_CHECK_CALL.finditer(source))
    return (matches[-1].group(1), matches[-1].group(2)) if matches else None


def _import_lines(module: ModuleType) -> list[str]:
    tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
    return [ast.unparse(node) for node in tree.body if isinstance(node, (ast.Import, ast.ImportFrom))
            and not (isinstance(node, ast.ImportFrom) and node.module == "__future__")]


def instructor_cell(exercise_id: str, answer_name: str, module: ModuleType) -> str:
    """The source of an exercise cell with the reference solution of ``exercise_id`` filled in."""
    if exercise_id not in module.SOLUTIONS:
        raise KeyError(f"{Path(module.__file__).name} has no reference solution for {exercise_id}")
    solution = module.SOLUTIONS[exercise_id]
    lines = [f"# Reference solution ({Path(module.__file__).name}): the instructor copy",
             *_import_lines(module), "", inspect.getsource(solution).rstrip(), ""]
    if solution.__name__ != answer_name:
        call = "()" if _computes_the_answer(solution) else ""
        lines.append(f"{answer_name} = {solution.__name__}{call}")
    lines.append(f'check("{exercise_id}", {answer_name})')
    return "\n".join(lines)


def fill_in_solutions(nb: Any, lesson: str, folder: Path | str | None = None) -> int:
    """Replace every exercise cell of notebook ``nb`` (nbformat) with its reference solution; return how many."""
    module = None
    filled = 0
    for cell in nb.cells:
        found = scaffold_exercise(cell.source) if cell.cell_type == "code" else None
        if found:
            module = module or load_solutions(lesson, folder)
            cell.source = instructor_cell(*found, module)
            filled += 1
    return filled

"""Every checker accepts its reference solution and rejects every known-wrong answer."""

import importlib.util
from pathlib import Path

import pytest

from aigc_course.exercises import NotYet, check, exercise, list_exercises, registry

SOLUTIONS_DIR = Path(__file__).resolve().parents[1] / "solutions"


def _solution_modules() -> dict[str, object]:
    modules = {}
    for path in sorted(SOLUTIONS_DIR.glob("ex[0-9][0-9].py")):
        spec = importlib.util.spec_from_file_location(f"solutions_{path.stem}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        modules[path.stem[2:]] = module
    return modules


SOLUTIONS = _solution_modules()
EXERCISE_IDS = [i for i in list_exercises() if not i.startswith("99.")]


def test_every_lesson_with_checkers_has_a_solutions_file():
    lessons = {i.split(".")[0] for i in EXERCISE_IDS}
    assert lessons <= set(SOLUTIONS), f"missing solutions/exNN.py for lessons {sorted(lessons - set(SOLUTIONS))}"


@pytest.mark.parametrize("exercise_id", EXERCISE_IDS)
def test_checker_accepts_solution_and_rejects_wrong_answers(exercise_id):
    module = SOLUTIONS[exercise_id.split(".")[0]]
    assert exercise_id in module.SOLUTIONS, f"no reference solution for {exercise_id}"
    assert check(exercise_id, module.SOLUTIONS[exercise_id](), quiet=True), f"{exercise_id} rejects its own solution"
    wrong = module.WRONG.get(exercise_id, [])
    assert wrong, f"{exercise_id} has no known-wrong answers to prove it can fail"
    for answer in wrong:
        assert not check(exercise_id, answer, quiet=True), f"{exercise_id} accepted a wrong answer: {answer!r}"


def test_solutions_only_name_registered_exercises():
    known = set(registry())
    for lesson, module in SOLUTIONS.items():
        assert set(module.SOLUTIONS) <= known and set(module.WRONG) <= known, lesson


def test_check_reports_verdicts_and_survives_crashing_answers(capsys):
    @exercise("99.1", "double a number", hint="multiply by two")
    def _(answer):
        if answer(3) != 6:
            raise NotYet(f"double(3) should be 6, your function gave {answer(3)}")
        return "Well done."

    assert check("99.1", lambda x: 2 * x)
    assert "✓ 99.1 double a number: correct. Well done." in capsys.readouterr().out
    assert not check("99.1", lambda x: x + 1)
    out = capsys.readouterr().out
    assert "not yet" in out and "should be 6" in out and "Hint: multiply by two" in out
    assert not check("99.1", lambda x: 1 / 0)
    assert "ZeroDivisionError" in capsys.readouterr().out


def test_bad_exercise_ids():
    with pytest.raises(ValueError, match="unknown"):
        check("00.0", 1)
    with pytest.raises(ValueError, match="must look like"):
        exercise("1.2", "bad id")

"""Every checker accepts its reference solution in any numeric type, rejects each realistic
wrong answer with the message that names its mistake, and stays silent on an untouched
scaffold; the instructor copy's cells pass their own checks."""

import ast
import json
import linecache
import re
from pathlib import Path

import numpy as np
import pytest
import torch

from aigc_course import exercises
from aigc_course.exercises import NotYet, Verdict, as_number, check, exercise, hint, is_unanswered, list_exercises
from aigc_course.instructor import answer_from, instructor_cell, load_solutions, scaffold_exercise

COURSE = Path(__file__).resolve().parents[1]
EXERCISE_IDS = list_exercises()
SOLUTIONS = {lesson: load_solutions(lesson) for lesson in sorted({i[:2] for i in EXERCISE_IDS})}


def _scaffolds() -> dict[str, tuple[str, str, str]]:
    """Exercise id -> (notebook name, cell source, name of the checked answer), from the notebooks."""
    found = {}
    for path in sorted((COURSE / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            source = "".join(cell["source"])
            exercise_and_name = scaffold_exercise(source) if cell["cell_type"] == "code" else None
            if exercise_and_name:
                found[exercise_and_name[0]] = (path.name, source, exercise_and_name[1])
    return found


SCAFFOLDS = _scaffolds()


def _wrong(exercise_id):
    return SOLUTIONS[exercise_id[:2]].WRONG.get(exercise_id, [])


def test_every_exercise_has_a_scaffold_a_solution_and_graded_hints():
    assert set(SCAFFOLDS) == set(EXERCISE_IDS)
    for exercise_id, ex in exercises.registry().items():
        assert exercise_id in SOLUTIONS[exercise_id[:2]].SOLUTIONS, f"no reference solution for {exercise_id}"
        assert len(ex.hints) >= 2, f"{exercise_id}: hints come in steps, a nudge first and the method last"


@pytest.mark.parametrize("exercise_id", EXERCISE_IDS)
def test_checker_accepts_the_reference_solution(exercise_id):
    verdict = check(exercise_id, answer_from(SOLUTIONS[exercise_id[:2]].SOLUTIONS[exercise_id]), quiet=True)
    assert verdict.ok, verdict.message


def _as_numpy(value):
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return np.int64(value)
    return np.float64(value) if isinstance(value, float) else value


def _as_tensor(value):
    return torch.tensor(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else value


@pytest.mark.parametrize("convert", [_as_numpy, _as_tensor], ids=["numpy", "tensor"])
@pytest.mark.parametrize("exercise_id", EXERCISE_IDS)
def test_checker_accepts_a_right_number_of_any_type(exercise_id, convert):
    answer = answer_from(SOLUTIONS[exercise_id[:2]].SOLUTIONS[exercise_id])
    if callable(answer):
        converted = lambda *args, **kwargs: convert(answer(*args, **kwargs))  # noqa: E731
    else:
        converted = convert(answer)
    verdict = check(exercise_id, converted, quiet=True)
    assert verdict.ok, verdict.message


@pytest.mark.parametrize("exercise_id", EXERCISE_IDS)
def test_checker_rejects_realistic_wrong_answers_naming_the_mistake(exercise_id):
    wrong = _wrong(exercise_id)
    assert len(wrong) >= 3, f"{exercise_id}: keep at least three realistic wrong answers in solutions/"
    for answer, words in wrong:
        verdict = check(exercise_id, answer, quiet=True)
        assert not verdict.ok and verdict.answered, f"{exercise_id} accepted a wrong answer: {answer!r}"
        assert words.lower() in verdict.message.lower(), f"{exercise_id}: expected {words!r} in {verdict.message!r}"


_CJK = re.compile(r"[\u4e00-\u9fff]")


def _checker_messages(exercise_id) -> list[str]:
    """What the checker itself says to each wrong answer (NotYet's text; a crash is the framework's to word)."""
    messages = []
    for answer, _ in _wrong(exercise_id):
        try:
            exercises.registry()[exercise_id].checker(answer)
        except NotYet as wrong:
            messages.append(str(wrong))
        except Exception:  # noqa: BLE001 - the learner's own code failed; check() reports it in either language
            pass
    return messages


@pytest.mark.parametrize("exercise_id", EXERCISE_IDS)
def test_a_chinese_learner_reads_the_title_the_hints_and_every_verdict_in_chinese(exercise_id, monkeypatch):
    ex = exercises.registry()[exercise_id]
    monkeypatch.setenv("AIGC_LANG", "en")
    english = _checker_messages(exercise_id)
    unquoted = [re.sub(r"'[^']*'", "''", m) for m in english]  # lesson 01 quotes Chinese test sentences as data
    assert not any(_CJK.search(m) for m in unquoted), f"{exercise_id}: Chinese in an English message: {english}"
    monkeypatch.setenv("AIGC_LANG", "zh")
    for text in (ex.title, *ex.hints):
        assert _CJK.search(str(text)), f"{exercise_id}: {text!r} has no Chinese"
    chinese = _checker_messages(exercise_id)
    for message in chinese:
        assert _CJK.search(message), f"{exercise_id}: the checker answers a Chinese learner in English: {message!r}"
    assert len(set(chinese)) == len(set(english)), f"{exercise_id}: the Chinese messages tell fewer mistakes apart"


def _untouched_answer(source: str, name: str):
    """The scaffold's answer as the learner first sees it: its ``def``, or the value it assigns."""
    tree = ast.parse(source)
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name == name:
            definition = ast.get_source_segment(source, node)
            filename = f"<scaffold {name}>"  # registered so inspect.getsource reads it, as IPython does for a cell
            linecache.cache[filename] = (len(definition), None, definition.splitlines(True), filename)
            namespace = {}
            exec(compile(definition, filename, "exec"), namespace)  # noqa: S102
            return namespace[name]
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == name for t in node.targets):
            return ast.literal_eval(node.value) if isinstance(node.value, ast.Constant) else None
    raise AssertionError(f"the scaffold never defines {name}")


@pytest.mark.parametrize("exercise_id", EXERCISE_IDS)
def test_an_untouched_scaffold_is_not_answered_yet_and_gives_nothing_away(exercise_id, capsys):
    _, source, name = SCAFFOLDS[exercise_id]
    answer = _untouched_answer(source, name)
    assert is_unanswered(answer), f"{exercise_id}: the scaffold must still hold `...` where the answer goes"
    verdict = check(exercise_id, answer)
    out = capsys.readouterr().out
    assert not verdict and not verdict.answered and "not answered yet" in out
    assert "✗" not in out and "Hint" not in out


@pytest.mark.parametrize("exercise_id", EXERCISE_IDS)
def test_the_instructor_copy_of_each_exercise_cell_passes_its_check(exercise_id, capsys):
    _, _, name = SCAFFOLDS[exercise_id]
    namespace = {"check": check}
    exec(instructor_cell(exercise_id, name, SOLUTIONS[exercise_id[:2]]), namespace)  # noqa: S102
    assert f"✓ {exercise_id}" in capsys.readouterr().out


def test_check_reports_verdicts_steps_hints_and_survives_crashing_answers(capsys, monkeypatch):
    monkeypatch.setattr(exercises, "_REGISTRY", dict(exercises._REGISTRY))  # leave no fake exercise behind
    monkeypatch.setattr(exercises, "_HINTS_SHOWN", {})

    @exercise("99.1", "double a number", hints=("what does doubling do to 3?", "return 2 * x"))
    def _(answer):
        if answer(3) != 6:
            raise NotYet(f"double(3) should be 6, your function gave {answer(3)}")
        return "Well done."

    assert check("99.1", lambda x: 2 * x)
    assert "✓ 99.1 double a number: correct. Well done." in capsys.readouterr().out
    verdict = check("99.1", lambda x: x + 1)
    out = capsys.readouterr().out
    assert not verdict and verdict.answered and "not yet" in out and "should be 6" in out
    assert 'hint("99.1")' in out and "return 2 * x" not in out  # the verdict never gives the method away
    assert not check("99.1", lambda x: 1 / 0)
    assert "ZeroDivisionError" in capsys.readouterr().out
    assert "Hint 1 of 2" in hint("99.1") and "doubling" in capsys.readouterr().out
    assert "Hint 2 of 2" in hint("99.1") and "2 * x" in capsys.readouterr().out
    assert "Hint 2 of 2" in hint("99.1")  # the last step stays
    assert "Hint 1 of 2" in hint("99.1", 1)
    with pytest.raises(ValueError, match="step must be an integer from 1 to 2"):
        hint("99.1", 3)


def test_a_verdict_shows_nothing_more_in_a_notebook():
    verdict = Verdict(False, False, "· not answered yet")
    assert not verdict and verdict._ipython_display_() is None


@pytest.mark.parametrize("value, expected", [(3, 3), (2.5, 2.5), (np.float32(1.5), 1.5), (np.int64(7), 7),
                                             (np.array(4.0), 4.0), (torch.tensor(9), 9), (torch.tensor(0.25), 0.25)])
def test_as_number_accepts_every_numeric_type(value, expected):
    assert as_number(value) == expected and type(as_number(value)) in (int, float)


@pytest.mark.parametrize("value", [True, np.bool_(False), "3", [3], torch.tensor([1.0, 2.0]), None])
def test_as_number_refuses_what_is_not_one_number(value):
    with pytest.raises(NotYet, match="should be"):
        as_number(value, "the count")


def test_bad_exercise_ids_and_hints():
    with pytest.raises(ValueError, match="unknown"):
        check("00.0", 1)
    with pytest.raises(ValueError, match="must look like"):
        exercise("1.2", "bad id")
    with pytest.raises(TypeError, match="tuple of non-empty strings"):
        exercise("98.1", "bad hints", hints="one string")


def test_notebooks_with_exercises_import_hint_as_the_verdicts_advise():
    for notebook in sorted({name for name, _, _ in SCAFFOLDS.values()}):
        cells = json.loads((COURSE / "notebooks" / notebook).read_text(encoding="utf-8"))["cells"]
        code = ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]
        first = code[1]  # the lesson's imports, after the setup cell for hosted Jupyter (tests/test_hosted.py)
        assert re.search(r"from aigc_course\.exercises import [^\n]*\bhint\b", first), f"{notebook}: import hint"


def test_exercise_ids_solutions_and_notebooks_agree_on_the_lesson_number():
    """``exNN.py`` registers only ``NN.k``, ``solutions/exNN.py`` answers only those, and notebook ``NN_*``
    checks, hints and points to nothing but its own lesson's exercises (so renumbering a lesson misses nothing)."""
    for exercise_id, ex in exercises.registry().items():
        assert ex.checker.__module__ == f"aigc_course.exercises.ex{exercise_id[:2]}", \
            f"{exercise_id} is registered in {ex.checker.__module__}"
    for lesson, module in SOLUTIONS.items():
        for table in (module.SOLUTIONS, module.WRONG):
            assert all(i.startswith(f"{lesson}.") for i in table), f"solutions/ex{lesson}.py: {sorted(table)}"
    named = re.compile(r"""\b(?:check|hint)\(\s*\\?["'](\d\d)\.\d+|solutions/ex(\d\d)\.py|\bLesson\(\s*\\?["'](\d\d)""")
    for path in sorted((COURSE / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            for match in named.finditer("".join(cell["source"])):
                assert path.name[:2] in match.groups(), f"{path.name} names lesson {match.group(0)!r}"

"""The course runner executes notebooks, names the failing cell, and writes its report."""

import json
import os

import nbformat
import pytest

from aigc_course import cli
from aigc_course.runner import course_notebooks, format_report, run_course, run_notebook


def _notebook(path, *sources):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# 00 · Test")] + [nbformat.v4.new_code_cell(s) for s in sources]
    nbformat.write(nb, path)
    return path


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    folder = tmp_path_factory.mktemp("notebooks")
    _notebook(folder / "01_passes.ipynb",
              "import os\nfast = os.environ['AIGC_FAST']",
              "from aigc_course.report import key_result\nkey_result('answer', 42, 'units')\nprint('fast mode:', fast)")
    _notebook(folder / "02_fails.ipynb", "x = 1", "y = 2\nraise ValueError('the lesson broke here')", "print('never')")
    (folder / "notes.ipynb").write_text("{}", encoding="utf-8")  # not a lesson: no two-digit prefix
    out = tmp_path_factory.mktemp("build")
    results = run_course(course_notebooks(folder), out, fast=True, progress=False)
    return folder, out, results


def test_lessons_are_found_in_order(course):
    folder, _, _ = course
    assert [p.name for p in course_notebooks(folder)] == ["01_passes.ipynb", "02_fails.ipynb"]


def test_passing_notebook_reports_key_result_and_mode(course):
    _, out, results = course
    ok = results[0]
    assert ok.ok and ok.key_results == ["answer: 42 units"] and ok.seconds > 0
    # a Python kernel with IPython loaded holds tens of MB; its CPU time is at most all cores for the
    # whole run (a factor 2 of slack for the 0.1 s rounding of so short a run)
    assert ok.peak_memory_mb > 20 and 0 < ok.cpu_seconds <= 2 * os.cpu_count() * ok.seconds
    executed = nbformat.read(out / "01_passes.ipynb", as_version=4)
    assert "fast mode: 1" in executed.cells[2].outputs[-1]["text"]
    assert (out / "01_passes.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_failing_notebook_names_the_cell_and_error(course):
    _, out, results = course
    failed = results[1]
    assert failed.status == "failed"
    assert "code cell 2" in failed.error and "ValueError: the lesson broke here" in failed.error
    assert (out / "02_fails.html").is_file()  # partial output is still written for inspection


def test_report_files(course):
    _, out, results = course
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["mode"] == "fast" and [r["status"] for r in report["results"]] == ["ok", "failed"]
    assert all(r["peak_memory_mb"] > 0 and r["cpu_seconds"] > 0 for r in report["results"])
    for key in ("machine_before", "machine_after"):  # the seconds come with the machine's speed
        assert report[key]["gflops"] > 0 and report[key]["threads"] >= 1 and report[key]["cores"] >= 1
    text = (out / "report.md").read_text(encoding="utf-8")
    assert "GFLOP/s" in text
    assert "| 01_passes.ipynb | ok |" in text and "02_fails.ipynb: code cell 2" in text
    assert "1/2 ok" in format_report(results)


def test_notebook_time_budget(tmp_path):
    path = _notebook(tmp_path / "01_slow.ipynb", "import time\ntime.sleep(30)")
    result = run_notebook(path, tmp_path / "out", timeout=3, progress=False)
    assert result.status == "timeout" and "budget" in result.error and result.seconds < 25


def test_cli_run_exit_codes(course, tmp_path, capsys):
    folder, _, _ = course
    assert cli.main(["run", str(folder / "01_passes.ipynb"), "--fast", "--out", str(tmp_path)]) == 0
    assert cli.main(["run", str(folder / "02_fails.ipynb"), "--fast", "--out", str(tmp_path)]) == 1
    assert "the lesson broke here" in capsys.readouterr().out


def test_bad_inputs(tmp_path):
    with pytest.raises(ValueError, match="not a notebook"):
        run_notebook(tmp_path / "missing.ipynb")
    path = _notebook(tmp_path / "01_x.ipynb", "1")
    with pytest.raises(ValueError, match="timeout"):
        run_notebook(path, tmp_path, timeout=0)
    with pytest.raises(FileNotFoundError, match="does not exist"):
        course_notebooks(tmp_path / "nowhere")


def test_the_instructor_copy_fills_in_the_reference_solutions(tmp_path):
    """--solutions executes a copy whose exercise cells hold the solution; the learner's file keeps its scaffold."""

    course = tmp_path / "course"
    (course / "notebooks").mkdir(parents=True)
    (course / "solutions").mkdir()
    (course / "solutions" / "ex97.py").write_text(
        "import math\n\n\ndef circle_area(r):\n    return math.pi * r * r\n\n\nSOLUTIONS = {'97.1': circle_area}\n",
        encoding="utf-8")
    scaffold = "def circle_area(r):\n    return ...\n\ncheck(\"97.1\", circle_area)"
    notebook = _notebook(course / "notebooks" / "97_circles.ipynb",
                         "from aigc_course.exercises import check, exercise, NotYet\n"
                         "@exercise('97.1', 'area of a circle', hints=('pi', 'pi r^2'))\n"
                         "def _(f):\n    if abs(f(2) - 12.566370614359172) > 1e-9:\n        raise NotYet('no')",
                         scaffold)
    learner = run_notebook(notebook, tmp_path / "build", progress=False)
    teacher = run_notebook(notebook, tmp_path / "instructor", progress=False, solutions=True)
    assert learner.ok and teacher.ok
    learner_out = nbformat.read(tmp_path / "build" / notebook.name, as_version=4).cells[2]
    teacher_out = nbformat.read(tmp_path / "instructor" / notebook.name, as_version=4).cells[2]
    assert "not answered yet" in learner_out.outputs[0]["text"] and learner_out.source == scaffold
    assert "math.pi * r * r" in teacher_out.source and "✓ 97.1" in teacher_out.outputs[0]["text"]
    assert nbformat.read(notebook, as_version=4).cells[2].source == scaffold  # the learner's file is untouched


def test_both_editions_run_each_into_its_folder_with_its_own_report(tmp_path, monkeypatch):
    monkeypatch.delenv("AIGC_LANG", raising=False)
    notebooks = tmp_path / "notebooks"
    (notebooks / "zh").mkdir(parents=True)
    speaks = "from aigc_course.language import language\nprint('language:', language())"
    _notebook(notebooks / "01_lesson.ipynb", speaks)
    _notebook(notebooks / "zh" / "01_lesson.ipynb", speaks)
    out = tmp_path / "build"
    assert cli.main(["run", "--edition", "all", "--fast", "--notebooks-dir", str(notebooks), "--out", str(out)]) == 0
    printed = {edition: nbformat.read(folder / "01_lesson.ipynb", as_version=4).cells[1].outputs[0]["text"]
               for edition, folder in (("en", out), ("zh", out / "zh"))}
    assert printed == {"en": "language: en\n", "zh": "language: zh\n"}
    assert (out / "report.md").read_text(encoding="utf-8").startswith("# Course run (fast mode)")
    assert (out / "zh" / "report.md").read_text(encoding="utf-8").startswith("# 课程运行报告（快速模式）")
    assert "AIGC_LANG" not in os.environ  # restored after the Chinese edition
    assert cli.main(["run", str(notebooks / "01_lesson.ipynb"), "--edition", "all"]) == 2

"""The ``aigc-course`` command speaks the learner's language: Chinese with AIGC_LANG=zh, English otherwise.

Fast: the doctor runs two real checks (Python, cache folder) and one that fails; the run report is
written for a stand-in notebook result, so no notebook is executed and no speed is measured.
"""

import re

import pytest

from aigc_course import cli, doctor, runner
from aigc_course.machine import MachineSpeed
from aigc_course.runner import NotebookResult, format_report, run_course

CHINESE = re.compile(r"[\u4e00-\u9fff]")
ALL_CHECKS = doctor.all_checks  # the real list, before a test replaces it


def _broken():
    raise RuntimeError("no torch here")


def _doctor_output(monkeypatch, capsys) -> str:
    def some_checks():
        checks = ALL_CHECKS()
        kept = [(n, f, fix) for n, f, fix in checks if f in (doctor._python, doctor._cache)]
        return kept + [(n, _broken, fix) for n, f, fix in checks if f is doctor._torch]

    monkeypatch.setattr(doctor, "all_checks", some_checks)
    assert cli.main(["doctor"]) == 1
    return capsys.readouterr().out


def _results():
    return [NotebookResult("01_passes.ipynb", "ok", 1.5, ["answer: 42 units"]),
            NotebookResult("02_fails.ipynb", "failed", 0.5, [], "code cell 2 ('y = 2'): ValueError: broke")]


def _run_report(monkeypatch, tmp_path) -> str:
    speed = MachineSpeed(gflops=85.0, threads=2, cores=2, load_average=0.5, processor="test CPU")
    monkeypatch.setattr(runner, "machine_speed", lambda: speed)
    monkeypatch.setattr(runner, "run_notebook", lambda path, *args, **kwargs: _results()[0])
    run_course([tmp_path / "01_passes.ipynb"], tmp_path, fast=True, progress=False, solutions=True)
    return (tmp_path / "report.md").read_text(encoding="utf-8")


def test_doctor_speaks_chinese(monkeypatch, capsys):
    monkeypatch.setenv("AIGC_LANG", "zh")
    out = _doctor_output(monkeypatch, capsys)
    assert "[通过] Python：" in out and "（可写）" in out and "缓存文件夹" in out
    assert "[失败] torch：RuntimeError: no torch here" in out and "修复方法：pip install" in out
    assert "2/3 项检查通过" in out
    names = [name for name, _, _ in ALL_CHECKS()]
    assert "设备" in names and any(name.startswith("数据（") for name in names)
    assert all(CHINESE.search(fix) for _, _, fix in ALL_CHECKS())


def test_doctor_speaks_english(monkeypatch, capsys):
    monkeypatch.setenv("AIGC_LANG", "en")
    out = _doctor_output(monkeypatch, capsys)
    assert "[OK] Python: Python " in out and "(writable)" in out
    assert "[FAIL] torch: RuntimeError: no torch here" in out and "fix: pip install" in out
    assert "2/3 checks passed; fix the FAIL lines above" in out
    assert not CHINESE.search(out)
    assert not any(CHINESE.search(name + fix) for name, _, fix in ALL_CHECKS())


def test_run_report_speaks_chinese(monkeypatch, tmp_path):
    monkeypatch.setenv("AIGC_LANG", "zh")
    text = _run_report(monkeypatch, tmp_path)
    assert text.startswith("# 课程运行报告（快速模式，教师版：已填入参考答案）")
    assert "运行前的机器：" in text and "| 笔记本 | 状态 | 秒数 | CPU 秒数 | 内存峰值（MB） | 关键结果 |" in text
    table = format_report(_results())
    assert "| 01_passes.ipynb | 成功 |" in table and "| **合计** | 1/2 成功 |" in table
    assert "失败的笔记本：" in table and "- 02_fails.ipynb：code cell 2" in table


def test_run_report_speaks_english(monkeypatch, tmp_path):
    monkeypatch.setenv("AIGC_LANG", "en")
    text = _run_report(monkeypatch, tmp_path)
    assert text.startswith("# Course run (fast mode, instructor copy: reference solutions filled in)")
    assert "| notebook | status | seconds | CPU seconds | peak memory (MB) | key results |" in text and "| **total** | 1/1 ok |" in text
    table = format_report(_results())
    assert "Failures:" in table and "- 02_fails.ipynb: code cell 2" in table
    assert not CHINESE.search(text + table)


@pytest.mark.parametrize("lang, words", [("zh", "显示这条帮助信息并退出"), ("en", "show this help message and exit")])
def test_help_follows_the_language(monkeypatch, capsys, lang, words):
    monkeypatch.setenv("AIGC_LANG", lang)
    with pytest.raises(SystemExit):
        cli.main(["run", "--help"])
    out = capsys.readouterr().out
    assert words in out
    assert bool(CHINESE.search(out)) == (lang == "zh")


def test_bad_input_errors_follow_the_language(monkeypatch, tmp_path):
    monkeypatch.setenv("AIGC_LANG", "zh")
    with pytest.raises(ValueError, match="不是笔记本文件"):
        runner.run_notebook(tmp_path / "missing.ipynb")
    with pytest.raises(TypeError, match="必须是笔记本路径的列表"):
        run_course(str(tmp_path / "01_x.ipynb"))
    with pytest.raises(FileNotFoundError, match="不存在"):
        runner.course_notebooks(tmp_path / "nowhere")

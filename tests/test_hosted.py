"""The setup cell for hosted Jupyter: first in every lesson, a no-op where the package is installed,
a plan (and no install) with AIGC_SETUP_DRY_RUN=1 where it is missing."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from aigc_course.hosted import SETUP_CELL_SOURCE

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted(ROOT.glob("notebooks/[0-9][0-9]_*.ipynb")) + sorted(ROOT.glob("notebooks/zh/[0-9][0-9]_*.ipynb"))


def run_cell(cwd: Path, *, installed: bool, **env: str) -> subprocess.CompletedProcess:
    """Run the cell's code in a fresh interpreter in ``cwd``; ``installed=False`` hides site-packages
    (``-I -S``: no user site, no site-packages, no current folder on sys.path), so aigc_course is missing."""
    flags = [] if installed else ["-I", "-S"]
    environment = {k: v for k, v in os.environ.items() if k not in ("AIGC_COURSE_SOURCE", "AIGC_SETUP_DRY_RUN")}
    return subprocess.run([sys.executable, *flags, "-c", SETUP_CELL_SOURCE], cwd=cwd, env={**environment, **env},
                          capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[str(p.relative_to(ROOT / "notebooks")) for p in NOTEBOOKS])
def test_every_lesson_opens_with_the_setup_cell(notebook):
    cells = [c for c in json.loads(notebook.read_text(encoding="utf-8"))["cells"] if c["cell_type"] == "code"]
    assert "".join(cells[0]["source"]) == SETUP_CELL_SOURCE.rstrip("\n")
    assert not cells[0]["outputs"]


def test_the_cell_is_a_no_op_where_the_package_is_installed(tmp_path):
    (tmp_path / "aigc_course-0.1.0-py3-none-any.whl").write_text("not a wheel")  # would fail if installed
    done = run_cell(tmp_path, installed=True, AIGC_COURSE_SOURCE="nothing-to-install")
    assert done.returncode == 0, done.stderr
    assert done.stdout == "" and done.stderr == ""


def test_a_wheel_beside_the_notebook_is_the_plan_and_a_dry_run_installs_nothing(tmp_path):
    wheel = tmp_path / "aigc_course-0.1.0-py3-none-any.whl"
    wheel.write_text("not a wheel")  # pip would fail on it: a clean exit proves nothing was installed
    done = run_cell(tmp_path, installed=False, AIGC_SETUP_DRY_RUN="1")
    assert done.returncode == 0, done.stderr
    assert "-m pip install --quiet " + str(wheel) in done.stdout
    assert "Installing the course's package" in done.stdout and "正在安装" in done.stdout


def test_the_source_variable_comes_first_and_the_clone_last(tmp_path):
    notebooks = tmp_path / "clone" / "notebooks" / "zh"
    notebooks.mkdir(parents=True)
    (tmp_path / "clone" / "aigc_course").mkdir()
    (tmp_path / "clone" / "aigc_course" / "__init__.py").write_text("")
    chosen = run_cell(notebooks, installed=False, AIGC_SETUP_DRY_RUN="1", AIGC_COURSE_SOURCE="git+file:///srv/course")
    assert chosen.stdout.strip().endswith("install --quiet git+file:///srv/course")
    clone = run_cell(notebooks, installed=False, AIGC_SETUP_DRY_RUN="1")  # from notebooks/zh, two folders up
    assert clone.stdout.strip().endswith("install --quiet " + str(tmp_path / "clone"))


def test_with_nothing_to_install_from_the_learner_is_told_what_to_do(tmp_path):
    done = run_cell(tmp_path, installed=False, AIGC_SETUP_DRY_RUN="1")
    assert done.returncode != 0
    assert "AIGC_COURSE_SOURCE" in done.stderr and "aigc_course-*.whl" in done.stderr and "未安装" in done.stderr

"""The wheel is the whole course: installed outside the repository, it copies the lessons and runs them.

Builds the wheel offline (no build isolation, no index) from a clean copy of the source tree,
checks what it holds, installs it into a fresh virtual environment outside the repository
that borrows the heavy dependencies (torch...) from the course's own environment, and there
runs ``aigc-course notebooks DEST`` and lessons 01 and 08 in fast mode. About two minutes on a
busy 2-core machine (the two lessons about 70 s of it); ``-m 'not slow'`` leaves it out.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
#: What a build reads, plus tests/ and benchmarks/ (which must stay out of it); copied without caches, so the
#: copy builds like a fresh clone (no build/ left over from an earlier build, no environments or downloaded kits).
SOURCES = ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "README.zh-CN.md", "LICENSE",
           "aigc_course", "notebooks", "solutions", "tests", "benchmarks")
CACHES = shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints", ".pytest_cache", ".hypothesis")
#: The lessons the test runs from the installed wheel: the first one (data files of the package) and the career
#: lesson (the cited figures); both are quick in fast mode.
LESSONS = ("01_language_models.ipynb", "08_career_reflection.ipynb")


def _run(command, **kwargs):
    done = subprocess.run(command, capture_output=True, text=True, **kwargs)
    assert done.returncode == 0, f"{' '.join(map(str, command))} exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def source(tmp_path_factory) -> Path:
    """A copy of the source tree as a fresh clone has it (no environments, outputs or caches)."""
    copy = tmp_path_factory.mktemp("source") / "aigc-course"
    copy.mkdir()
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, copy / name, ignore=CACHES, symlinks=True)
        else:
            shutil.copy2(ROOT / name, copy / name)
    return copy


def test_the_sdist_holds_the_package_its_data_and_the_course_files(source, tmp_path):
    script = "import sys; from setuptools import build_meta; print(build_meta.build_sdist(sys.argv[1]))"
    name = _run([sys.executable, "-c", script, str(tmp_path)], cwd=source).strip().splitlines()[-1]
    with tarfile.open(tmp_path / name) as archive:
        names = {member.split("/", 1)[1] for member in archive.getnames() if "/" in member}
    for required in ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "LICENSE", "aigc_course/py.typed",
                     "aigc_course/resources.py", "aigc_course/data/README.md", "aigc_course/data/career_soc_groups.csv",
                     "notebooks/01_language_models.ipynb", "notebooks/zh/01_language_models.ipynb",
                     "notebooks/zh/01_language_models.zh.md", "notebooks/zh/GLOSSARY.md", "solutions/ex01.py"):
        assert required in names, required
    assert not [n for n in names if n.startswith(("tests/", "benchmarks/", "build/", ".ci/", "data/"))
                or "__pycache__" in n]


@pytest.fixture(scope="module")
def wheel(source, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
          "--disable-pip-version-check", str(source), "-w", str(out)])
    found = sorted(out.glob("aigc_course-*.whl"))
    assert len(found) == 1, found
    print(f"\nwheel {found[0].name}: {found[0].stat().st_size / 1e6:.2f} MB")
    return found[0]


def test_the_wheel_holds_the_package_its_data_and_the_course_and_nothing_else(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    # every file of the package's source folder (code, py.typed, templates, data/), no byte code
    expected = {f"aigc_course/{p.relative_to(ROOT / 'aigc_course').as_posix()}"
                for p in (ROOT / "aigc_course").rglob("*") if p.is_file() and "__pycache__" not in p.parts
                and p.suffix != ".pyc" and ".ipynb_checkpoints" not in p.parts}
    assert {"aigc_course/py.typed", "aigc_course/resources.py", "aigc_course/data/README.md",
            "aigc_course/data/lesson01_analogies.txt", "aigc_course/data/career_soc_groups.csv",
            "aigc_course/data/lesson04_long_run.json"} <= expected
    for folder in ("notebooks", "notebooks/zh"):
        lessons = sorted((ROOT / folder).glob("[0-9][0-9]_*.ipynb"))
        assert len(lessons) >= 8, folder
        expected |= {f"aigc_course/course/{folder}/{p.name}" for p in lessons}
    expected |= {"aigc_course/course/notebooks/zh/GLOSSARY.md", "aigc_course/course/solutions/README.md"}
    expected |= {f"aigc_course/course/solutions/{p.name}" for p in (ROOT / "solutions").glob("ex[0-9][0-9].py")}
    assert not expected - names, f"missing from the wheel: {sorted(expected - names)}"
    metadata = {n for n in names if n.startswith("aigc_course-") and ".dist-info/" in n}
    extra = names - expected - metadata
    assert not extra, f"the wheel holds files it should not: {sorted(extra)}"
    for name in names:
        assert not name.startswith(("tests/", "benchmarks/", "build/", "data/", "notebooks/", "solutions/")), name
        assert "__pycache__" not in name and not name.endswith((".pyc", ".zh.md")), name
    entry_points = zipfile.ZipFile(wheel).read(next(n for n in metadata if n.endswith("entry_points.txt")))
    assert b"aigc-course = aigc_course.cli:main" in entry_points
    counts = {kind: sum(n.endswith(kind) for n in names) for kind in (".py", ".ipynb", ".csv", ".json", ".txt", ".md")}
    print(f"wheel files: {len(names)} ({counts}), {wheel.stat().st_size / 1e6:.2f} MB")


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    """A fresh venv outside the repository with the wheel installed; its own site-packages comes first,
    then (through a .pth line) the course environment's, for torch and the other heavy dependencies."""
    venv = tmp_path_factory.mktemp("venv") / "env"
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)])
    python = venv / "bin" / "python"
    _run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index",
          "--disable-pip-version-check", str(wheel)])
    # only now borrow the dependencies: pip must not see (and offer to uninstall) the course's editable install
    own = Path(_run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]).strip())
    (own / "zz_course_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    return venv


def _environment(venv: Path, home: Path) -> dict:
    """The learner's environment: the new venv first on PATH, offline, a throw-away answers folder.

    The derived-files cache (``AIGC_CACHE``) is the usual one, so the lessons find what earlier runs derived."""
    env = {k: v for k, v in os.environ.items()
           if k == "AIGC_CACHE" or not k.startswith(("AIGC_", "PYTHON", "JUPYTER", "VIRTUAL_ENV"))}
    env.update(PATH=f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}", VIRTUAL_ENV=str(venv),
               HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", AIGC_HOME=str(home / "answers"), MPLBACKEND="Agg",
               # the borrowed dependencies' data files (nbconvert's templates, the kernel spec), as their .pth is
               JUPYTER_PATH=str(Path(sys.prefix) / "share" / "jupyter"))
    return env


def test_the_installed_wheel_copies_the_course_and_runs_lessons_outside_the_repository(installed, tmp_path):
    python = installed / "bin" / "python"
    env = _environment(installed, tmp_path)
    work = tmp_path / "work"
    work.mkdir()
    where = json.loads(_run([str(python), "-c", "import json, aigc_course, aigc_course.resources as r; "
                             "print(json.dumps([aigc_course.__file__, str(r.course_root()), str(r.data_dir())]))"],
                            cwd=work, env=env))
    package = Path(where[0]).parent
    assert package.is_relative_to(installed) and not package.is_relative_to(ROOT), where
    assert where[1:] == [str(package / "course"), str(package / "data")]

    out = _run([str(installed / "bin" / "aigc-course"), "notebooks", "course", "--edition", "all"], cwd=work, env=env)
    assert re.search(r"\b\d{2} added, 0 updated", out), out
    course = work / "course"
    assert (course / "notebooks" / "zh" / "GLOSSARY.md").is_file() and (course / "solutions" / "ex08.py").is_file()
    assert json.loads((course / ".aigc-course-manifest.json").read_text(encoding="utf-8"))["version"]

    probe = tmp_path / "probe" / "where.ipynb"  # what the kernel imports, so no lesson can pass with the repository's
    probe.parent.mkdir()
    probe.write_text(json.dumps({"cells": [{"cell_type": "code", "execution_count": None, "id": "where", "metadata": {},
                                            "outputs": [], "source": "import aigc_course, sys\n"
                                                                     "print(aigc_course.__file__, sys.executable)"}],
                                 "metadata": {}, "nbformat": 4, "nbformat_minor": 5}), encoding="utf-8")
    lessons = [str(course / "notebooks" / name) for name in LESSONS]
    done = subprocess.run([str(installed / "bin" / "aigc-course"), "run", "--fast", "--out", str(tmp_path / "out"),
                           "--timeout", "300", str(probe), *lessons], cwd=work, env=env, capture_output=True, text=True)
    assert done.returncode == 0, f"{done.stdout[-4000:]}\n{done.stderr[-4000:]}"
    printed = json.loads((tmp_path / "out" / "where.ipynb").read_text(encoding="utf-8"))["cells"][0]["outputs"][0]
    module, executable = "".join(printed["text"]).split()
    assert module == where[0] and Path(executable).parent == installed / "bin", printed
    report = (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    for name in LESSONS:
        assert (tmp_path / "out" / name).is_file() and name in report, report
    print(report)

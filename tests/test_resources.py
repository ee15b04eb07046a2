"""The course's own files are found through aigc_course.resources, inside the package, in any install."""

import json
import re
from pathlib import Path

import pytest

import aigc_course
from aigc_course import resources
from aigc_course.career import figures
from aigc_course.embeddings import load_analogies
from aigc_course.text import course_zh_sentences

ROOT = Path(__file__).resolve().parents[1]
PACKAGE_DATA = Path(aigc_course.__file__).resolve().parent / "data"


@pytest.fixture(autouse=True)
def _no_override(monkeypatch):
    monkeypatch.delenv("AIGC_DATA", raising=False)
    monkeypatch.delenv("AIGC_LANG", raising=False)


def test_the_data_live_inside_the_package_and_the_manifest_lists_each_file():
    assert resources.package_data_dir() == resources.data_dir() == PACKAGE_DATA == figures.data_dir()
    manifest = (PACKAGE_DATA / "README.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"^\| `([a-z0-9_]+\.(?:csv|json|txt))` \|", manifest, re.M))
    shipped = {p.name for p in PACKAGE_DATA.iterdir() if p.name != "README.md"}
    assert listed == shipped, f"listed but missing: {listed - shipped}; shipped but not listed: {shipped - listed}"
    for name in shipped:
        assert resources.data_path(name) == PACKAGE_DATA / name
    assert not (ROOT / "data").exists(), "the course's data moved into aigc_course/data/"


def test_read_json_reads_the_saved_long_runs():
    assert resources.read_json("lesson04_long_run.json")["curve"]["seconds"]
    assert resources.read_json("neural_lm_long_run.json")["best_ngram_order"] == 8
    assert resources.read_json("diffusion_long_run.json")["fid_dcgan"] > 0


def test_a_missing_file_says_so_in_both_languages(monkeypatch):
    with pytest.raises(resources.DataFileMissing, match="no_such_file.json is missing: it ships with the package"):
        resources.read_json("no_such_file.json")
    assert resources.data_path("no_such_file.json", missing_ok=True) == PACKAGE_DATA / "no_such_file.json"
    monkeypatch.setenv("AIGC_LANG", "zh")
    with pytest.raises(FileNotFoundError, match="缺少课程的数据文件 .*no_such_file.json"):
        resources.data_path("no_such_file.json")


@pytest.mark.parametrize("name", ["", "..", "../pyproject.toml", "sub/file.txt", "/etc/passwd"])
def test_a_name_must_be_a_plain_file_name(name):
    with pytest.raises(ValueError, match=f"name must be a plain file name.*got {re.escape(repr(name))}"):
        resources.data_path(name)


def test_a_name_must_be_a_str():
    with pytest.raises(TypeError, match="name must be a file name"):
        resources.data_path(Path("lesson01_analogies.txt"))


def test_a_damaged_json_file_names_the_file(tmp_path, monkeypatch):
    (tmp_path / "broken.json").write_text("{not json", encoding="utf-8")
    monkeypatch.setenv("AIGC_DATA", str(tmp_path))
    with pytest.raises(ValueError, match="broken.json is damaged"):
        resources.read_json("broken.json")


def test_aigc_data_points_every_reader_at_another_folder(tmp_path, monkeypatch):
    (tmp_path / "lesson01_analogies.txt").write_text("# category: test\na b c d\n", encoding="utf-8")
    (tmp_path / "lesson01_zh_sentences.txt").write_text("# comment\n一句话\n", encoding="utf-8")
    (tmp_path / "run.json").write_text(json.dumps({"x": 1}), encoding="utf-8")
    monkeypatch.setenv("AIGC_DATA", str(tmp_path))
    assert resources.read_json("run.json") == {"x": 1}
    assert [(a.category, a.d) for a in load_analogies()] == [("test", "d")]
    assert course_zh_sentences() == ["一句话"]
    assert figures.data_dir() == tmp_path
    monkeypatch.setenv("AIGC_DATA", str(tmp_path / "run.json"))
    with pytest.raises(resources.DataFileMissing, match="AIGC_DATA points at .*run.json, which is not a folder"):
        resources.data_dir()
    with pytest.raises(figures.FiguresError, match="AIGC_DATA points at"):
        figures.data_dir()


def test_the_packaged_readers_give_the_course_data():
    assert len(load_analogies()) == 56 and len(course_zh_sentences()) == 30


def test_course_root_is_the_repository_in_a_clone():
    assert resources.course_root() == ROOT
    assert (resources.course_root() / "notebooks" / "zh").is_dir()


def test_course_root_is_the_packaged_copy_outside_a_clone(tmp_path, monkeypatch):
    package = tmp_path / "site-packages" / "aigc_course"
    (package / "course" / "notebooks").mkdir(parents=True)
    monkeypatch.setattr(resources, "_package_folder", lambda: package)
    assert resources.course_root() == package / "course"
    (package / "course" / "notebooks").rmdir()
    with pytest.raises(resources.CourseFilesMissing, match="the course's notebooks are missing"):
        resources.course_root()
    monkeypatch.setenv("AIGC_LANG", "zh")
    with pytest.raises(resources.CourseFilesMissing, match="找不到课程的笔记本"):
        resources.course_root()


def test_no_notebook_reaches_outside_the_package_for_its_files():
    """A lesson that walks up from aigc_course.__file__ breaks in an installed wheel; it must use resources."""
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")) + sorted((ROOT / "notebooks" / "zh").glob("*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            source = "".join(cell["source"])
            if cell["cell_type"] == "code":
                assert "__file__" not in source, f"{path.name} cell {cell.get('id')}: use aigc_course.resources"
                for name in re.findall(r"""(?:read_json|data_path)\(\s*["']([^"']+)["']""", source):
                    assert (PACKAGE_DATA / name).is_file(), f"{path.name} reads {name}, which the package lacks"

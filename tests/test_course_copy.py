"""aigc-course notebooks DEST: copy the course, update it later, and never lose what the learner saved."""

import hashlib
import json
from pathlib import Path

import pytest

import aigc_course
from aigc_course import course_copy
from aigc_course.cli import main
from aigc_course.course_copy import MANIFEST_NAME, copy_course, course_files

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _english(monkeypatch):
    monkeypatch.delenv("AIGC_LANG", raising=False)


@pytest.fixture
def course(tmp_path, monkeypatch):
    """A small course (two lessons per edition, two solutions) that tests can change to play an update."""
    root = tmp_path / "course"
    files = {"notebooks/01_first.ipynb": "en one v1", "notebooks/02_second.ipynb": "en two v1",
             "notebooks/zh/01_first.ipynb": "zh one v1", "notebooks/zh/GLOSSARY.md": "glossary v1",
             "solutions/ex01.py": "SOLUTIONS = {}  # v1", "solutions/README.md": "solutions v1",
             "notebooks/01_first.zh.md": "not a course file", "notebooks/zh/01_first.zh.md": "not copied either"}
    for relative, text in files.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(text, encoding="utf-8")
    monkeypatch.setattr(course_copy, "course_root", lambda: root)
    return root


def _update(course, relative, text):
    (course / relative).write_text(text, encoding="utf-8")


def _actions(report):
    return {f.path: f.action for f in report.files}


def _manifest(dest):
    return json.loads((dest / MANIFEST_NAME).read_text(encoding="utf-8"))


def test_the_real_course_has_every_lesson_of_each_edition_and_the_solutions():
    english = course_files("en")
    assert [p for p in english if p.endswith(".ipynb")] == \
        [f"notebooks/{p.name}" for p in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))]
    assert "solutions/ex01.py" in english and not any(p.startswith("notebooks/zh/") for p in english)
    chinese = course_files("zh")
    assert "notebooks/zh/GLOSSARY.md" in chinese and "notebooks/zh/08_career_reflection.ipynb" in chinese
    assert not any(p.endswith(".zh.md") for p in chinese), "the translation sources stay in the repository"
    assert set(course_files("all")) == set(english) | set(chinese)


def test_first_copy_writes_every_file_and_a_manifest(course, tmp_path):
    dest = tmp_path / "learner" / "aigc-course"  # created, parents included
    report = copy_course(dest, edition="all")
    assert _actions(report) == {p: "added" for p in ["notebooks/01_first.ipynb", "notebooks/02_second.ipynb",
                                                     "notebooks/zh/01_first.ipynb", "notebooks/zh/GLOSSARY.md",
                                                     "solutions/ex01.py", "solutions/README.md"]}
    assert (dest / "notebooks/zh/01_first.ipynb").read_text(encoding="utf-8") == "zh one v1"
    assert not (dest / "notebooks/01_first.zh.md").exists()
    manifest = _manifest(dest)
    assert manifest["version"] == aigc_course.__version__ == report.version and manifest["format"] == 1
    for relative, digest in manifest["files"].items():
        assert hashlib.sha256((dest / relative).read_bytes()).hexdigest() == digest
    assert report.count("added") == 6 and "6 added, 0 updated" in report.summary()


def test_an_edition_copies_its_lessons_only(course, tmp_path):
    assert set(_actions(copy_course(tmp_path / "en"))) == {
        "notebooks/01_first.ipynb", "notebooks/02_second.ipynb", "solutions/ex01.py", "solutions/README.md"}
    assert set(_actions(copy_course(tmp_path / "zh", edition="zh"))) == {
        "notebooks/zh/01_first.ipynb", "notebooks/zh/GLOSSARY.md", "solutions/ex01.py", "solutions/README.md"}


def test_an_update_replaces_the_files_the_learner_did_not_change(course, tmp_path):
    dest = tmp_path / "dest"
    copy_course(dest)
    _update(course, "notebooks/01_first.ipynb", "en one v2")
    report = copy_course(dest)
    assert _actions(report)["notebooks/01_first.ipynb"] == "updated"
    assert _actions(report)["notebooks/02_second.ipynb"] == "unchanged"
    assert (dest / "notebooks/01_first.ipynb").read_text(encoding="utf-8") == "en one v2"
    assert _manifest(dest)["files"]["notebooks/01_first.ipynb"] == hashlib.sha256(b"en one v2").hexdigest()
    assert report.lines() == [report.summary()]  # nothing needs the learner's attention


def test_an_edited_file_is_kept_and_the_new_version_written_beside_it(course, tmp_path):
    dest = tmp_path / "dest"
    copy_course(dest)
    (dest / "notebooks/01_first.ipynb").write_text("my answers", encoding="utf-8")
    _update(course, "notebooks/01_first.ipynb", "en one v2")
    report = copy_course(dest)
    outcome = next(f for f in report.files if f.path == "notebooks/01_first.ipynb")
    assert (outcome.action, outcome.aside, outcome.edited) == ("kept", "notebooks/01_first.new.ipynb", True)
    assert (dest / "notebooks/01_first.ipynb").read_text(encoding="utf-8") == "my answers"
    assert (dest / "notebooks/01_first.new.ipynb").read_text(encoding="utf-8") == "en one v2"
    assert "kept notebooks/01_first.ipynb: you changed it" in outcome.message() and "--force" in outcome.message()
    assert outcome.message() in report.lines()
    # still the learner's on the next update; the unedited .new file is simply refreshed
    _update(course, "notebooks/01_first.ipynb", "en one v3")
    assert _actions(copy_course(dest))["notebooks/01_first.ipynb"] == "kept"
    assert (dest / "notebooks/01_first.ipynb").read_text(encoding="utf-8") == "my answers"
    assert (dest / "notebooks/01_first.new.ipynb").read_text(encoding="utf-8") == "en one v3"
    assert not list(dest.glob("notebooks/*.bak-*"))


def test_an_edit_of_the_version_the_course_still_has_is_left_alone(course, tmp_path):
    """A classroom server updates the copy at every log-in: with no new version, nothing appears beside."""
    dest = tmp_path / "dest"
    copy_course(dest)
    (dest / "notebooks/01_first.ipynb").write_text("my answers", encoding="utf-8")
    assert _actions(copy_course(dest))["notebooks/01_first.ipynb"] == "unchanged"
    assert (dest / "notebooks/01_first.ipynb").read_text(encoding="utf-8") == "my answers"
    assert not (dest / "notebooks/01_first.new.ipynb").exists()
    assert _actions(copy_course(dest, force=True))["notebooks/01_first.ipynb"] == "replaced"


def test_with_force_the_learners_version_is_kept_aside(course, tmp_path, monkeypatch):
    dest = tmp_path / "dest"
    copy_course(dest)
    (dest / "solutions/ex01.py").write_text("my solution", encoding="utf-8")
    _update(course, "solutions/ex01.py", "SOLUTIONS = {}  # v2")
    copy_course(dest)  # kept, with ex01.new.py beside it
    monkeypatch.setattr(course_copy, "_stamp", lambda: "20260101T000000Z")
    report = copy_course(dest, force=True)
    outcome = next(f for f in report.files if f.path == "solutions/ex01.py")
    assert (outcome.action, outcome.aside) == ("replaced", "solutions/ex01.py.bak-20260101T000000Z")
    assert (dest / "solutions/ex01.py").read_text(encoding="utf-8") == "SOLUTIONS = {}  # v2"
    assert (dest / outcome.aside).read_text(encoding="utf-8") == "my solution"
    assert not (dest / "solutions/ex01.new.py").exists(), "the stale new version (never edited) is removed"
    assert "your version is kept as solutions/ex01.py.bak-20260101T000000Z" in outcome.message()
    # a second forced run in the same second never overwrites the first copy kept aside
    (dest / "solutions/ex01.py").write_text("my second try", encoding="utf-8")
    again = next(f for f in copy_course(dest, force=True).files if f.path == "solutions/ex01.py")
    assert again.aside == "solutions/ex01.py.bak-20260101T000000Z-2"
    assert (dest / outcome.aside).read_text(encoding="utf-8") == "my solution"
    assert (dest / again.aside).read_text(encoding="utf-8") == "my second try"


def test_a_new_version_the_learner_edited_is_itself_kept_aside(course, tmp_path):
    dest = tmp_path / "dest"
    copy_course(dest)
    (dest / "notebooks/02_second.ipynb").write_text("mine", encoding="utf-8")
    _update(course, "notebooks/02_second.ipynb", "en two v2")
    copy_course(dest)
    (dest / "notebooks/02_second.new.ipynb").write_text("notes in the new one", encoding="utf-8")
    _update(course, "notebooks/02_second.ipynb", "en two v3")
    copy_course(dest)
    assert (dest / "notebooks/02_second.new.ipynb").read_text(encoding="utf-8") == "en two v3"
    kept = list(dest.glob("notebooks/02_second.new.ipynb.bak-*"))
    assert len(kept) == 1 and kept[0].read_text(encoding="utf-8") == "notes in the new one"


def test_a_file_not_in_the_manifest_is_not_overwritten(course, tmp_path):
    dest = tmp_path / "dest"
    (dest / "notebooks").mkdir(parents=True)
    (dest / "notebooks/01_first.ipynb").write_text("the learner's own file", encoding="utf-8")
    (dest / "notebooks/02_second.ipynb").write_text("en two v1", encoding="utf-8")  # already the course's
    report = copy_course(dest)
    outcome = next(f for f in report.files if f.path == "notebooks/01_first.ipynb")
    assert (outcome.action, outcome.edited) == ("kept", False)
    assert "not written by aigc-course" in outcome.message()
    assert (dest / "notebooks/01_first.ipynb").read_text(encoding="utf-8") == "the learner's own file"
    assert _actions(report)["notebooks/02_second.ipynb"] == "unchanged"
    assert "notebooks/01_first.ipynb" not in _manifest(dest)["files"], "still unknown: kept on the next run too"


@pytest.mark.parametrize("damage", ["{not json", "[]", '{"format": 1, "files": {"a": "not-a-hash"}}',
                                    '{"format": 99, "files": {}}'])
def test_a_damaged_manifest_is_kept_aside_and_every_different_file_treated_as_the_learners(course, tmp_path, damage):
    """Treated safely, not an error: nothing is overwritten that the course cannot prove it wrote."""
    dest = tmp_path / "dest"
    copy_course(dest)
    _update(course, "notebooks/01_first.ipynb", "en one v2")  # unedited: would be updated with a good manifest
    (dest / MANIFEST_NAME).write_text(damage, encoding="utf-8")
    report = copy_course(dest)
    assert _actions(report)["notebooks/01_first.ipynb"] == "kept"
    assert _actions(report)["notebooks/02_second.ipynb"] == "unchanged"
    assert (dest / "notebooks/01_first.ipynb").read_text(encoding="utf-8") == "en one v1"
    assert len(report.warnings) == 1 and "was damaged" in report.warnings[0]
    kept = list(dest.glob(f"{MANIFEST_NAME}.bak-*"))
    assert len(kept) == 1 and kept[0].read_text(encoding="utf-8") == damage
    assert _manifest(dest)["format"] == 1  # a good manifest again


def test_dest_that_is_a_file_is_a_clear_error(course, tmp_path):
    (tmp_path / "a_file").write_text("x", encoding="utf-8")
    for dest in (tmp_path / "a_file", tmp_path / "a_file" / "below"):
        with pytest.raises(ValueError, match="dest must be a folder, but .*a_file is a file"):
            copy_course(dest)
    assert (tmp_path / "a_file").read_text(encoding="utf-8") == "x"


def test_bad_arguments_name_the_parameter(course, tmp_path):
    with pytest.raises(ValueError, match="edition must be one of 'en', 'zh', 'all'; got 'fr'"):
        copy_course(tmp_path, edition="fr")
    with pytest.raises(TypeError, match="force must be True or False"):
        copy_course(tmp_path, force="yes")
    with pytest.raises(TypeError, match="dest must be a str or os.PathLike"):
        copy_course(None)


def test_the_command_copies_updates_and_speaks_chinese(course, tmp_path, capsys, monkeypatch):
    dest = tmp_path / "dest"
    assert main(["notebooks", str(dest), "--edition", "zh"]) == 0
    out = capsys.readouterr().out
    assert "4 added" in out and f"jupyter lab {dest / 'notebooks' / 'zh'}" in out
    (dest / "notebooks/zh/01_first.ipynb").write_text("我的答案", encoding="utf-8")
    _update(course, "notebooks/zh/01_first.ipynb", "zh one v2")
    monkeypatch.setenv("AIGC_LANG", "zh")
    assert main(["notebooks", str(dest), "--edition", "zh"]) == 0
    out = capsys.readouterr().out
    assert "保留了 notebooks/zh/01_first.ipynb：你修改过它" in out and "保留你的版本 1 个" in out
    assert main(["notebooks", str(dest), "--edition", "zh", "--force"]) == 0
    assert "你的版本另存为 notebooks/zh/01_first.ipynb.bak-" in capsys.readouterr().out
    (tmp_path / "a_file").write_text("x", encoding="utf-8")
    assert main(["notebooks", str(tmp_path / "a_file")]) == 2
    assert "dest 必须是文件夹" in capsys.readouterr().out

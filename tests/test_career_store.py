"""Saving answers: exact round trips, atomic writes, a kept backup, unreadable files never overwritten."""

import json
import os

import pytest

from aigc_course.career import AnswerStore, CorruptAnswersError, FutureVersionError, Profile, Task, content_editor
from aigc_course.career import store as store_module


@pytest.fixture
def store(tmp_path):
    return AnswerStore(tmp_path / "answers")


def test_round_trip_is_exact(store):
    assert store.load() is None and store.load_backup() is None
    profile = content_editor()
    path = store.save(profile)
    assert path == store.path and path.parent.is_dir()
    assert store.load() == profile
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["schema"] == "aigc-course/career" and data["version"] == 1
    assert "中英互译" in path.read_text(encoding="utf-8")  # stored as readable UTF-8, not escapes


def test_a_draft_is_saved_too(store):
    draft = Profile(role="nurse", tasks=(Task("ward rounds", 40, "E0"),))  # shares do not sum to 100 yet
    store.save(draft)
    assert store.load() == draft


def test_saving_keeps_the_previous_version_as_backup(store):
    first = content_editor()
    second = first.with_tasks(first.tasks[:1] + (Task("everything else", 70, "E0"),))
    store.save(first)
    store.save(second)
    assert store.load() == second and store.load_backup() == first
    store.restore_backup()
    assert store.load() == first and store.load_backup() == second


def test_interrupted_save_leaves_the_previous_file_intact(store, monkeypatch):
    store.save(content_editor())
    before = store.path.read_bytes()

    real_replace = os.replace

    def crash(src, dst):  # the machine dies just before the new file is swapped in (the backup is written)
        if os.fspath(dst) == os.fspath(store.path):
            raise OSError("simulated power cut")
        real_replace(src, dst)

    monkeypatch.setattr(store_module.os, "replace", crash)
    with pytest.raises(OSError, match="power cut"):
        store.save(Profile(role="someone else"))
    monkeypatch.undo()
    assert store.path.read_bytes() == before
    assert store.load() == content_editor()
    assert store.load_backup() == content_editor()
    assert sorted(p.name for p in store.folder.iterdir()) == ["career.json", "career.json.bak"]  # no temp file left


def test_crash_while_writing_the_temporary_file(store, monkeypatch):
    store.save(content_editor())
    before = store.path.read_bytes()
    real_fsync = os.fsync

    def failing_fsync(fd):
        raise OSError("disk full")

    monkeypatch.setattr(store_module.os, "fsync", failing_fsync)
    with pytest.raises(OSError, match="disk full"):
        store.save(Profile(role="someone else"))
    monkeypatch.setattr(store_module.os, "fsync", real_fsync)
    assert store.path.read_bytes() == before
    assert not [p for p in store.folder.iterdir() if p.suffix == ".tmp"]


@pytest.mark.parametrize("content", [b"{not json", b"\xff\xfe", b'{"schema": "other", "version": 1}',
                                     b'{"schema": "aigc-course/career", "version": "1", "profile": {}}',
                                     b'{"schema": "aigc-course/career", "version": 1}'])
def test_corrupt_file_is_reported_and_kept(store, content):
    store.folder.mkdir(parents=True)
    store.path.write_bytes(content)
    with pytest.raises(CorruptAnswersError, match="left exactly as it is"):
        store.load()
    with pytest.raises(CorruptAnswersError):
        store.save(content_editor())
    assert store.path.read_bytes() == content  # never overwritten


def test_invalid_profile_inside_a_valid_file_is_reported(store):
    store.folder.mkdir(parents=True)
    raw = json.dumps({"schema": "aigc-course/career", "version": 1,
                      "profile": {"role": "x", "tasks": [{"name": "t", "share": -5, "label": "E1"}]}})
    store.path.write_text(raw, encoding="utf-8")
    with pytest.raises(CorruptAnswersError, match="does not validate.*share"):
        store.load()


def test_future_version_is_reported_and_kept(store):
    store.folder.mkdir(parents=True)
    raw = json.dumps({"schema": "aigc-course/career", "version": 2, "profile": {"role": "x"}}).encode()
    store.path.write_bytes(raw)
    with pytest.raises(FutureVersionError, match="newer course"):
        store.load()
    with pytest.raises(FutureVersionError):
        store.save(content_editor())
    assert store.path.read_bytes() == raw


def test_unreadable_file_can_be_kept_aside_explicitly(store):
    store.folder.mkdir(parents=True)
    store.path.write_bytes(b"garbage")
    store.save(content_editor(), keep_unreadable=True)
    kept = [p for p in store.folder.iterdir() if ".unreadable-" in p.name]
    assert len(kept) == 1 and kept[0].read_bytes() == b"garbage"
    assert store.load() == content_editor()


def test_default_folder_follows_aigc_home(tmp_path, monkeypatch):
    monkeypatch.setenv("AIGC_HOME", str(tmp_path / "home"))
    assert AnswerStore().path == tmp_path / "home" / "career.json"


def test_bad_store_arguments(tmp_path):
    with pytest.raises(ValueError, match="name"):
        AnswerStore(tmp_path, name="../career.json")
    with pytest.raises(ValueError, match="name"):
        AnswerStore(tmp_path, name="career.txt")
    with pytest.raises(TypeError, match="folder"):
        AnswerStore(42)
    with pytest.raises(TypeError, match="Profile"):
        AnswerStore(tmp_path).save({"role": "x"})
    with pytest.raises(FileNotFoundError):
        AnswerStore(tmp_path).restore_backup()


# ------------------------------------------------------------------------ property: any profile round-trips
from hypothesis import given, settings
from hypothesis import strategies as st

_names = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=30).filter(str.strip)
_tasks = st.lists(st.tuples(_names, st.floats(min_value=0.01, max_value=100), st.sampled_from(["E0", "E1", "E2"]),
                            st.text(max_size=20)),
                  max_size=6, unique_by=lambda t: t[0].strip().lower())
_rating = st.integers(min_value=1, max_value=5)


@settings(max_examples=40, deadline=None)
@given(role=_names, tasks=_tasks, skills=st.tuples(_rating, _rating, _rating), fluency=_rating,
       reference=st.sampled_from(["all", "27", "27-3041.00", "15-1252.00"]),
       isco=st.sampled_from([None, "1", "4", "9"]),
       reflections=st.dictionaries(_names, st.text(max_size=40), max_size=3))
def test_any_profile_round_trips_exactly(tmp_path_factory, role, tasks, skills, fluency, reference, isco, reflections):
    profile = Profile(
        role=role, reference=reference, isco_group=isco, tasks=tuple(Task(*t) for t in tasks),
        skills=dict(zip(("creative_thinking", "communication", "emotional_intelligence"), skills)),
        tool_fluency=fluency, reflections=reflections,
    )
    store = AnswerStore(tmp_path_factory.mktemp("answers"))
    store.save(profile)
    assert store.load() == profile
    assert Profile.from_dict(json.loads(json.dumps(profile.to_dict()))) == profile

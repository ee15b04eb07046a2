"""Saving answers: exact round trips, atomic writes, a kept backup, unreadable files never overwritten."""

import json
import os
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest

from aigc_course.career import (
    AnswerStore, AnswersFileError, AnswersFolderError, ConcurrentSaveError, CorruptAnswersError, FutureVersionError,
    Profile, Task, content_editor,
)
from aigc_course import io as atomic_io
from aigc_course.career import store as store_module

ROOT = Path(__file__).resolve().parents[1]


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
    assert data["schema"] == "aigc-course/career" and data["version"] == 2 and data["revision"] == 1
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

    monkeypatch.setattr(atomic_io.os, "replace", crash)
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

    monkeypatch.setattr(atomic_io.os, "fsync", failing_fsync)
    with pytest.raises(OSError, match="disk full"):
        store.save(Profile(role="someone else"))
    monkeypatch.setattr(atomic_io.os, "fsync", real_fsync)
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
    raw = json.dumps({"schema": "aigc-course/career", "version": 3, "revision": 1, "profile": {"role": "x"}}).encode()
    store.path.write_bytes(raw)
    with pytest.raises(FutureVersionError, match="newer course"):
        store.load()
    with pytest.raises(FutureVersionError):
        store.save(content_editor())
    assert store.path.read_bytes() == raw


def test_unreadable_file_can_be_kept_aside_explicitly(store):
    store.folder.mkdir(parents=True)
    store.path.write_bytes(b"garbage")
    with pytest.warns(store_module.UnreadableKeptWarning, match="unreadable-"):
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


# ------------------------------------------------------------------------ files the store cannot use are never lost
def _envelope(profile: dict, **extra) -> bytes:
    return json.dumps({"schema": "aigc-course/career", "version": 2, "revision": 3, "saved_at": "x",
                       "profile": profile, **extra}).encode()


INVALID_PROFILES = {
    "share out of range": {"role": "x", "tasks": [{"name": "t", "share": 150, "label": "E1"}]},
    "unknown profile field": {"role": "x", "age": 40},
    "unknown task field": {"role": "x", "tasks": [{"name": "t", "share": 50, "label": "E1", "hours": 3}]},
    "rating out of range": {"role": "x", "tool_fluency": 9},
    "rating not a number": {"role": "x", "tool_fluency": "high"},
    "empty role": {"role": " "},
}


@pytest.mark.parametrize("profile", INVALID_PROFILES.values(), ids=INVALID_PROFILES.keys())
def test_valid_envelope_with_invalid_profile_is_never_moved_or_deleted(store, profile):
    store.folder.mkdir(parents=True)
    raw = _envelope(profile)
    store.path.write_bytes(raw)
    with pytest.raises(CorruptAnswersError, match="does not validate"):
        store.load()
    for _ in range(2):  # the second plain save used to delete the only copy
        with pytest.raises(CorruptAnswersError, match=r"left exactly as it is.*keep_unreadable=True") as caught:
            store.save(content_editor())
        assert str(store.path) in str(caught.value)
    assert store.path.read_bytes() == raw and not store.backup_path.exists()
    with pytest.warns(store_module.UnreadableKeptWarning):
        store.save(content_editor(), keep_unreadable=True)
    assert store.kept_aside is not None and store.kept_aside.read_bytes() == raw
    assert store.kept_aside.name.startswith("career.json.unreadable-")
    assert not store.backup_path.exists()  # the .bak only ever holds a fully valid previous version
    assert store.load() == content_editor()


def test_backup_never_receives_an_unreadable_file(store):
    first, second = content_editor(), Profile(role="second")
    store.save(first)
    store.save(second)
    store.path.write_bytes(b"{damaged")
    with pytest.warns(store_module.UnreadableKeptWarning):
        store.save(Profile(role="third"), keep_unreadable=True)
    assert store.load_backup() == first  # untouched: the damaged bytes went to their own file
    assert store.kept_aside.read_bytes() == b"{damaged"


def test_kept_aside_names_are_never_reused(store, monkeypatch):
    class FrozenClock(store_module.datetime):
        @classmethod
        def now(cls, tz=None):
            return store_module.datetime(2026, 1, 1, 12, 0, 0, tzinfo=tz)

    monkeypatch.setattr(store_module, "datetime", FrozenClock)
    store.folder.mkdir(parents=True)
    kept = []
    for content in (b"first damaged", b"second damaged"):
        store.path.write_bytes(content)
        with pytest.warns(store_module.UnreadableKeptWarning):
            store.save(content_editor(), keep_unreadable=True)
        kept.append(store.kept_aside)
    assert kept[0] != kept[1] and [p.read_bytes() for p in kept] == [b"first damaged", b"second damaged"]
    assert kept[0].name == "career.json.unreadable-20260101T120000000000Z"


def test_restore_backup_keeps_an_unreadable_current_file_aside(store):
    store.save(content_editor())
    store.save(Profile(role="second"))
    store.path.write_bytes(b"{damaged")
    with pytest.warns(store_module.UnreadableKeptWarning):
        store.restore_backup()
    assert store.load() == content_editor() and store.kept_aside.read_bytes() == b"{damaged"
    assert store.load_backup() == content_editor()  # the .bak was not given the damaged file
    assert json.loads(store.path.read_text(encoding="utf-8"))["revision"] == 3  # a restore is a save


# ------------------------------------------------------------------------ revisions: no lost updates
def test_second_store_is_told_about_the_first_save(tmp_path):
    first, second = AnswerStore(tmp_path), AnswerStore(tmp_path)
    assert first.load() is None and second.load() is None
    first.save(content_editor())
    with pytest.raises(ConcurrentSaveError, match="another save") as caught:
        second.save(Profile(role="second"))
    assert "store.load()" in str(caught.value) and "overwrite=True" in str(caught.value)
    assert first.load() == content_editor()  # the file holds the first writer's answers
    assert second.load() == content_editor()  # reloading shows them; then saving works
    second.save(Profile(role="second"))
    with pytest.raises(ConcurrentSaveError, match="this store read revision 1; the file now holds revision 2"):
        first.save(Profile(role="first again"))
    first.save(Profile(role="first again"), overwrite=True)
    assert first.load() == Profile(role="first again") and first.load_backup() == Profile(role="second")


def test_save_after_own_save_and_first_save_just_work(tmp_path):
    store = AnswerStore(tmp_path / "new" / "folder")
    for i in range(3):
        store.save(Profile(role=f"draft {i}"))
    assert store.revision == 3 and AnswerStore(store.folder).load() == Profile(role="draft 2")


def test_a_store_that_never_loaded_does_not_replace_existing_answers(tmp_path):
    AnswerStore(tmp_path).save(content_editor())
    fresh = AnswerStore(tmp_path)
    with pytest.raises(ConcurrentSaveError, match="has not loaded"):
        fresh.save(Profile(role="other"))
    assert fresh.load() == content_editor()
    fresh.save(Profile(role="other"))
    assert AnswerStore(tmp_path).load() == Profile(role="other")


def test_version_1_files_still_load_and_migrate(store):
    store.folder.mkdir(parents=True)
    v1 = json.dumps({"schema": "aigc-course/career", "version": 1, "saved_at": "2025-01-01T00:00:00+00:00",
                     "profile": content_editor().to_dict()}, ensure_ascii=False).encode("utf-8")
    store.path.write_bytes(v1)
    assert store.load() == content_editor() and store.revision == 0
    store.save(Profile(role="next"))
    data = json.loads(store.path.read_text(encoding="utf-8"))
    assert (data["version"], data["revision"]) == (2, 1)
    assert store.backup_path.read_bytes() == v1 and store.load_backup() == content_editor()


@pytest.mark.parametrize("revision", [0, -1, "1", True, None, 1.5])
def test_invalid_revision_is_reported(store, revision):
    store.folder.mkdir(parents=True)
    raw = json.dumps({"schema": "aigc-course/career", "version": 2, "revision": revision,
                      "profile": {"role": "x"}}).encode()
    store.path.write_bytes(raw)
    with pytest.raises(CorruptAnswersError, match="revision"):
        store.load()
    assert store.path.read_bytes() == raw


def test_a_save_waits_for_the_folder_lock_then_says_so(store, monkeypatch):
    store.save(content_editor())
    monkeypatch.setattr(store_module, "LOCK_TIMEOUT_SECONDS", 0.2)
    with store_module._folder_lock(store.folder, store.path.name, store.path):  # another save in progress
        start = time.monotonic()
        with pytest.raises(ConcurrentSaveError, match="running for more than"):
            store.save(Profile(role="blocked"))
        assert time.monotonic() - start < 5
    assert store.load() == content_editor()
    store.save(Profile(role="unblocked"))


# ------------------------------------------------------------------------ killed saves and two processes
_KILLED_WRITER = """
import os, sys, time
from pathlib import Path
from aigc_course.career import AnswerStore, Profile
store = AnswerStore(sys.argv[1])
store.load()
def stuck(fd):  # the process is killed while the new content is being written
    Path(sys.argv[2]).write_text("writing")
    time.sleep(60)
os.fsync = stuck
store.save(Profile(role="half-written"))
"""

_LOOPING_WRITER = """
import sys, time
from dataclasses import replace
from pathlib import Path
from aigc_course.career import AnswerStore, ConcurrentSaveError
folder, tag, n, go = sys.argv[1], sys.argv[2], int(sys.argv[3]), Path(sys.argv[4])
while not go.exists():
    time.sleep(0.005)
store = AnswerStore(folder)
for i in range(n):
    for attempt in range(2000):
        profile = store.load()
        try:
            store.save(replace(profile, reflections={**profile.reflections, f"{tag} {i}": "answer"}))
            break
        except ConcurrentSaveError:
            continue
    else:
        sys.exit(3)
"""


def _python(*args: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-c", *args], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def _temp_files(folder: Path) -> list[Path]:
    return sorted(folder.glob(".career.json.*.tmp"))


def test_a_killed_save_loses_nothing_and_its_temporary_file_is_cleaned(tmp_path):
    store = AnswerStore(tmp_path)
    store.save(content_editor())
    before = store.path.read_bytes()
    marker = tmp_path / "marker"
    writer = _python(_KILLED_WRITER, str(tmp_path), str(marker))
    try:
        deadline = time.monotonic() + 30
        while not marker.exists():
            assert writer.poll() is None, writer.communicate()
            assert time.monotonic() < deadline, "the writer never started writing"
            time.sleep(0.01)
    finally:
        writer.kill()  # SIGKILL on POSIX: no clean-up code runs
        writer.wait(10)
    assert store.path.read_bytes() == before
    left = _temp_files(tmp_path)
    assert left, "the killed save should have left its temporary file"
    assert AnswerStore(tmp_path).load() == content_editor()
    assert _temp_files(tmp_path) == left  # a fresh temporary file may belong to a running save: kept
    old = time.time() - 2 * store_module.STALE_TEMP_SECONDS
    for temp in left:
        os.utime(temp, (old, old))
    fresh = tmp_path / ".career.json.fresh.tmp"
    fresh.write_bytes(b"a save in progress")
    assert AnswerStore(tmp_path).load() == content_editor()
    assert _temp_files(tmp_path) == [fresh]
    start = time.monotonic()
    store.save(Profile(role="after the crash"))  # the killed writer's lock died with it
    assert time.monotonic() - start < 5 and AnswerStore(tmp_path).load() == Profile(role="after the crash")


def test_stale_temporary_files_are_cleaned_by_save(store):
    store.save(content_editor())
    stale = store.folder / ".career.json.x1y2.tmp"
    stale.write_bytes(b"half")
    old = time.time() - 3600
    os.utime(stale, (old, old))
    unrelated = store.folder / ".other.json.x1y2.tmp"
    unrelated.write_bytes(b"not ours")
    os.utime(unrelated, (old, old))
    store.save(Profile(role="next"))
    assert not stale.exists() and unrelated.exists()


def test_two_processes_saving_at_once_lose_no_answers(tmp_path):
    store = AnswerStore(tmp_path)
    store.save(Profile(role="shared"))
    go, n = tmp_path / "go", 15
    writers = [_python(_LOOPING_WRITER, str(tmp_path), tag, str(n), str(go)) for tag in ("a", "b")]
    time.sleep(0.5)
    go.write_text("go")
    for writer in writers:
        _, err = writer.communicate(timeout=60)
        assert writer.returncode == 0, err
    final = AnswerStore(tmp_path).load()
    assert sorted(final.reflections) == sorted(f"{tag} {i}" for tag in "ab" for i in range(n))
    assert json.loads(store.path.read_text(encoding="utf-8"))["revision"] == 1 + 2 * n
    assert not _temp_files(tmp_path)


# ------------------------------------------------------------------------ folders
def test_missing_folder_is_created_on_save_and_not_on_load(tmp_path):
    store = AnswerStore(tmp_path / "a" / "b")
    assert store.load() is None and store.saved_at() is None and store.load_backup() is None
    assert not store.folder.exists()
    store.save(content_editor())
    assert store.load() == content_editor()


def test_a_file_where_the_folder_should_be(tmp_path):
    blocker = tmp_path / "answers"
    blocker.write_text("a file")
    for folder in (blocker, blocker / "inside"):
        store = AnswerStore(folder)
        with pytest.raises(AnswersFolderError, match="is a file"):
            store.save(content_editor())
        if folder == blocker:
            with pytest.raises(AnswersFolderError, match="is a file, not a folder"):
                store.load()
    assert blocker.read_text() == "a file"


def test_a_folder_where_the_answers_file_should_be(tmp_path):
    (tmp_path / "career.json").mkdir()
    store = AnswerStore(tmp_path)
    with pytest.raises(AnswersFolderError, match="is a folder, not an answers file"):
        store.load()
    with pytest.raises(AnswersFolderError, match="is a folder"):
        store.save(content_editor())


def test_read_only_folder_gives_a_clear_error(store, monkeypatch):
    store.save(content_editor())
    before = store.path.read_bytes()

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(atomic_io.tempfile, "mkstemp", refuse)
    with pytest.raises(AnswersFolderError, match="read-only or you lack permission") as caught:
        store.save(Profile(role="other"))
    assert not isinstance(caught.value, PermissionError) and str(store.folder) in str(caught.value)
    assert "AIGC_HOME" in str(caught.value)
    monkeypatch.undo()
    assert store.path.read_bytes() == before


@pytest.mark.skipif(os.name == "nt" or os.geteuid() == 0, reason="needs POSIX permissions and a non-root user")
def test_really_read_only_folder(store):
    store.save(content_editor())
    os.chmod(store.folder, 0o555)
    try:
        with pytest.raises(AnswersFolderError, match="read-only"):
            store.save(Profile(role="other"))
        assert store.load() == content_editor()
    finally:
        os.chmod(store.folder, 0o755)


def test_unwritable_default_folder(tmp_path, monkeypatch):
    blocker = tmp_path / "home"
    blocker.write_text("a file")
    monkeypatch.setenv("AIGC_HOME", str(blocker / "answers"))
    with pytest.raises(AnswersFolderError, match="cannot be created"):
        AnswerStore()


def test_every_store_error_is_an_answers_file_error():
    for error in (CorruptAnswersError, FutureVersionError, ConcurrentSaveError, AnswersFolderError):
        assert issubclass(error, AnswersFileError)


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

"""The course's one atomic writer: a reader sees the old file or the new one, and nothing is left behind."""

import os

import pytest

from aigc_course.io import atomic_path, write_atomically


def test_write_atomically_replaces_the_file_and_leaves_no_temporary_file(tmp_path):
    target = tmp_path / "answers.json"
    write_atomically(target, b"first")
    write_atomically(target, "第二".encode("utf-8"))
    assert target.read_bytes() == "第二".encode("utf-8")
    assert [p.name for p in tmp_path.iterdir()] == ["answers.json"]


def test_a_failure_inside_the_block_keeps_the_old_file(tmp_path):
    target = tmp_path / "model.safetensors"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError, match="half written"):
        with atomic_path(target) as temp:
            assert temp.parent == tmp_path and temp.name.startswith(".model.safetensors.") and temp.suffix == ".tmp"
            temp.write_bytes(b"ne")
            raise RuntimeError("half written")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["model.safetensors"]


def test_a_missing_folder_is_an_error_not_a_silent_success(tmp_path):
    with pytest.raises(FileNotFoundError):
        write_atomically(tmp_path / "no such folder" / "file.txt", b"x")


def test_a_written_file_gets_the_usual_mode_and_a_replaced_file_keeps_its_own(tmp_path):
    umask = os.umask(0o022)
    try:
        write_atomically(tmp_path / "new.txt", b"x")
        assert (tmp_path / "new.txt").stat().st_mode & 0o777 == 0o644  # as open() would make it
        kept = tmp_path / "private.json"
        kept.write_bytes(b"{}")
        kept.chmod(0o600)
        write_atomically(kept, b"[]")
        assert kept.stat().st_mode & 0o777 == 0o600
    finally:
        os.umask(umask)

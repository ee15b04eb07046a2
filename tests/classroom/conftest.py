"""Classroom-server tests: a real JupyterHub with throw-away accounts, on loopback.

Every test here carries the ``classroom`` marker (``make test-hub``; ``make test-unit`` leaves them
out). Where they cannot run (not Linux, not root, no ``useradd``, no proxy) they are skipped
with the reason and the fix, never failed; so are they where the learners' accounts could not
read the course (a clone inside a private folder such as /root: clone it under /opt or /srv). One classroom serves the module: nine accounts,
eight for the class and one for the update test; all of it is removed at the end.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest
from folder_marks import mark_folder

from aigc_course.classroom.processes import find_proxy

HERE = Path(__file__).resolve().parent
#: The class that runs a lesson at once (the update test has one learner more, of its own).
CLASS_SIZE = 8


def _missing() -> str | None:
    """Why the classroom tests cannot run here, or None when they can."""
    if not sys.platform.startswith("linux"):
        return "the classroom server runs learners as Linux accounts"
    if os.geteuid() != 0:
        return "the classroom tests create accounts: run them as root (sudo make test-hub)"
    for tool in ("useradd", "userdel", "chpasswd", "pgrep", "pkill"):
        if shutil.which(tool) is None:
            return f"{tool} is missing (Debian package passwd / procps)"
    try:
        find_proxy()
    except FileNotFoundError as error:
        return str(error)
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    mark_folder(items, HERE, pytest.mark.classroom, _missing())


@pytest.fixture(scope="module")
def classroom():
    from aigc_course.classroom.loadtest import TrialClassroom

    try:
        room = TrialClassroom(CLASS_SIZE + 1)
    except PermissionError as error:  # learners cannot read the course's Python or packages here
        pytest.skip(f"the learners' accounts cannot run the course from here: {error}")
    with room:
        yield room

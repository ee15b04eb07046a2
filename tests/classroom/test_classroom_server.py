"""The classroom server under a class's load: JupyterHub, real accounts, real notebooks, on loopback.

The figures (start-up seconds, memory) are printed by ``benchmarks/classroom.py``; these tests
only check what must hold whatever the machine: every learner's lesson runs, their work lands
in their own home and survives a hub restart, nobody reaches anybody else, and a course update
keeps what a learner edited.
"""

from __future__ import annotations

import hashlib
import json
import os
import pwd
import re
import stat
from pathlib import Path

import pytest

from aigc_course.classroom.loadtest import run_class
from aigc_course.course_copy import MANIFEST_NAME
from aigc_course.resources import course_root

LESSON = "notebooks/08_career_reflection.ipynb"


def _home(name: str) -> Path:
    return Path(pwd.getpwnam(name).pw_dir)


def _output_text(notebook: dict) -> str:
    """Every stream output of the notebook's code cells (on disk, nbformat may split text into a list of lines)."""
    texts = [output.get("text", "") for cell in notebook["cells"] if cell["cell_type"] == "code"
             for output in cell.get("outputs", [])]
    return "".join(text if isinstance(text, str) else "".join(text) for text in texts)


def test_a_class_runs_a_lesson_at_once_and_a_hub_restart_loses_nothing(classroom):
    names = classroom.names[:-1]  # the last learner is the update test's
    report = run_class(classroom, LESSON, names=names)

    assert report.running_at_restart > 0, "the hub must go down while the class is still working"
    code_cells = sum(c["cell_type"] == "code" for c in json.loads((course_root() / LESSON).read_text("utf-8"))["cells"])
    for outcome in report.learners:
        assert outcome.run.error is None, (outcome.name, outcome.run.error)
        assert outcome.run.cells_run == code_cells + 1  # the lesson, then saving an answer
    for name in names:
        home = _home(name)
        assert stat.S_IMODE(home.stat().st_mode) == 0o700
        # the executed lesson, saved through the restarted hub into the learner's own copy
        saved = json.loads((home / "aigc-course" / LESSON).read_text("utf-8"))
        assert re.search(r"all \d+ claims in the text hold", _output_text(saved)), name
        # the learner's own answer, in their own answers folder, owned by them
        answers = home / ".aigc-course" / "career.json"
        assert answers.stat().st_uid == pwd.getpwnam(name).pw_uid
        assert json.loads(answers.read_text("utf-8"))["profile"]["role"] == f"learner {name}"


def test_a_learner_cannot_reach_another_learners_server_or_files(classroom):
    mine, theirs = classroom.client(classroom.names[0]), classroom.client(classroom.names[1])
    for learner in (mine, theirs):
        learner.log_in()
        learner.start_server()
    # by token: the other server refuses it
    assert mine.server("GET", "/contents/", owner=theirs.name).status_code == 403
    assert mine.server("GET", "/kernels", owner=theirs.name).status_code == 403
    # by cookie: a learner's browser session opens their own JupyterLab, and is refused the other's
    own_lab = theirs.http.get(f"{classroom.url}/user/{theirs.name}/lab", timeout=60)
    assert own_lab.status_code == 200 and "JupyterLab" in own_lab.text
    assert mine.http.get(f"{classroom.url}/user/{theirs.name}/lab", timeout=60).status_code == 403
    # through the hub's API: neither stop nor read the other's server
    assert mine.hub("DELETE", f"/users/{theirs.name}/server").status_code in (403, 404)
    assert mine.hub("GET", f"/users/{theirs.name}").status_code in (403, 404)
    assert theirs.hub("GET", f"/users/{theirs.name}").json()["servers"][""]["ready"]
    # from a kernel: the other's home cannot be listed
    with mine.kernel() as kernel:
        ok, _, error = kernel.execute(f"import os; os.listdir({str(_home(theirs.name))!r})")
    assert not ok and error.startswith("PermissionError"), error


def _as_an_older_course_wrote_it(copy: Path, relative: str, owner: str) -> None:
    """Rewrite ``copy/relative`` as an older course version (first cell changed) and record it in the
    manifest, as the course itself would have done when it wrote that version."""
    notebook = json.loads((course_root() / relative).read_text("utf-8"))
    notebook["cells"][0]["source"] = "# An older version of this lesson\n"
    old = (json.dumps(notebook, indent=1, ensure_ascii=False) + "\n").encode("utf-8")
    (copy / relative).write_bytes(old)
    manifest = json.loads((copy / MANIFEST_NAME).read_text("utf-8"))
    manifest["files"][relative] = hashlib.sha256(old).hexdigest()
    (copy / MANIFEST_NAME).write_text(json.dumps(manifest), encoding="utf-8")
    account = pwd.getpwnam(owner)
    for path in (copy / relative, copy / MANIFEST_NAME):
        os.chown(path, account.pw_uid, account.pw_gid)


def test_a_course_update_reaches_a_learner_and_keeps_their_edit(classroom):
    learner = classroom.client(classroom.names[-1])
    learner.log_in()
    learner.start_server()  # the first log-in copies the course
    copy = _home(learner.name) / "aigc-course"
    edited, untouched = "notebooks/01_language_models.ipynb", "notebooks/02_ngrams.ipynb"
    for relative in (edited, untouched):
        _as_an_older_course_wrote_it(copy, relative, learner.name)
    notebook = learner.read_notebook(edited)  # the learner works on one lesson in JupyterLab
    notebook["cells"].append({"cell_type": "markdown", "metadata": {}, "source": "My notes on bigrams"})
    learner.save_notebook(edited, notebook)

    learner.stop_server()  # the teacher updates the course; the learner comes back
    learner.start_server()

    assert (copy / untouched).read_bytes() == (course_root() / untouched).read_bytes()
    mine = json.loads((copy / edited).read_text("utf-8"))
    assert "".join(mine["cells"][-1]["source"]) == "My notes on bigrams"
    assert "".join(mine["cells"][0]["source"]) == "# An older version of this lesson\n"
    beside = copy / "notebooks/01_language_models.new.ipynb"
    assert beside.read_bytes() == (course_root() / edited).read_bytes()
    assert beside.stat().st_uid == pwd.getpwnam(learner.name).pw_uid


#: Run in a learner's kernel: a child that fills more memory than the learner may use, and two
#: children that spin for 2 s of wall time; prints the first's exit status and the two's CPU seconds.
OVER_THE_LIMITS = """\
import resource, subprocess, sys, time
def children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime
hog = subprocess.run([sys.executable, "-c", "x = b'x' * (4 * 2**30)"])
before = children_cpu()
spinners = [subprocess.Popen([sys.executable, "-c", "import time\\nend = time.time() + 2\\nwhile time.time() < end: pass"])
            for _ in range(2)]
for spinner in spinners:
    spinner.wait()
print(hog.returncode, children_cpu() - before)
"""


def test_a_learner_is_held_to_their_memory_and_cpu_limits(classroom):
    from aigc_course.classroom.limits import CgroupLimits, detect

    groups = detect()
    if not isinstance(groups, CgroupLimits):
        pytest.skip(f"no limits on this machine: {groups}")
    learner = classroom.client(classroom.names[2])
    learner.log_in()
    learner.start_server()
    assert groups.read(learner.name) == (classroom.settings.memory_bytes, classroom.settings.cpus) == (3 * 2**30, 1.0)
    server = classroom.server_pid(learner.name)
    assert str(server) in (groups.folders(learner.name)[0] / "cgroup.procs").read_text().split()
    with learner.kernel() as kernel:
        ok, outputs, error = kernel.execute(OVER_THE_LIMITS)
    assert ok, error
    status, cpu_seconds = outputs[-1]["text"].split()
    assert int(status) == -9, "the 4 GiB child must be ended by the kernel's OOM killer (SIGKILL)"
    # two spinning children for 2 s would use about 4 CPU seconds on two free cores; one core's quota
    # allows 2 (plus start-up): the bound only holds with the limit, whatever else the machine does
    assert float(cpu_seconds) < 2.6, cpu_seconds

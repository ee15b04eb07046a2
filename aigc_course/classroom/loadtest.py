"""A class on the classroom server, for real: throw-away learners run a lesson at once, the hub restarted.

:class:`TrialClassroom` sets up a complete classroom on loopback, as ``make hub`` would, but
in a temporary folder, on free ports, with accounts named ``aigclt<random>-<n>``, and removes
all of it on :meth:`~TrialClassroom.close` (servers, hub, proxy, the accounts with their
homes, their control groups). :func:`run_class` is the scenario: every learner logs in,
starts a server and executes a notebook through the Jupyter server's API, all at the same time,
then saves an answer of their own; meanwhile the hub is stopped and started again. It measures
what a teacher sizes a machine by: start-up seconds per learner, the run's wall time, the peak
memory of the hub and of each learner's server (server, kernels and their children together).

``tests/classroom/`` asserts on it; ``benchmarks/classroom.py`` prints its figures.
Needs root, Linux accounts (``useradd``) and the proxy (``make hub-proxy``).
"""

from __future__ import annotations

import os
import pwd
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from ..kernel_usage import KernelUsageMonitor
from ..language import tr
from ..validate import check_int
from .accounts import add_accounts, require_root
from .client import LearnerClient, NotebookRun
from .command import hub_api
from .environment import LEARNER_ENV, build_learner_env, learner_python, runs_for_others
from .limits import CgroupLimits, detect
from .processes import start_hub, start_proxy, stop
from .settings import load_settings

__all__ = ["TrialClassroom", "LearnerOutcome", "ClassReport", "run_class", "SAVE_ANSWER"]

#: Run after the lesson, as a learner who saves their own reflection: ``{name}`` is theirs.
SAVE_ANSWER = """\
from aigc_course.career import AnswerStore, Profile, Task
AnswerStore().save(Profile(role="learner {name}", tasks=(Task("Write reports", 60, "E1"), Task("Teach", 40, "E0"))))
print("saved to", AnswerStore().path)
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class TrialClassroom:
    """A classroom with ``learners`` throw-away accounts (plus a teacher), started on loopback."""

    def __init__(self, learners: int, memory_gb: float = 3.0, cpus: float = 1.0,
                 base_python: str = "/usr/bin/python3") -> None:
        learners = check_int(learners, "learners", minimum=1, maximum=500)
        require_root(tr("a trial classroom", "试用教室"))
        self.folder = Path(tempfile.mkdtemp(prefix="aigc-classroom-"))
        os.chmod(self.folder, 0o755)  # the learners' Python may live here: every account must reach it
        prefix = f"aigclt{secrets.token_hex(2)}"
        self.settings_file = self.folder / "classroom.toml"
        self.settings_file.write_text(
            f'[hub]\nhost = "127.0.0.1"\nport = {_free_port()}\nhub_port = {_free_port()}\n'
            f'proxy_api_port = {_free_port()}\nteacher = "{prefix}-teacher"\n'
            f'[limits]\nmemory_gb = {memory_gb}\ncpus = {cpus}\nidle_minutes = 60\n', encoding="utf-8")
        self.settings = load_settings(self.settings_file)
        self.names = [f"{prefix}-{n}" for n in range(1, learners + 1)]
        self.proxy = self.hub = None
        try:
            self.passwords = {a.name: a.password for a in add_accounts(self.names, self.settings)}
            if runs_for_others(sys.executable) is not None:
                build_learner_env(self.folder / LEARNER_ENV, base_python)
            self.python = learner_python(self.settings_file)
            self.proxy = start_proxy(self.settings, self.folder / "proxy.log")
            self.hub = start_hub(self.settings, self.settings_file, self.python, self.folder / "hub.log")
        except BaseException:
            self.close()
            raise

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.settings.port}"

    def client(self, name: str) -> LearnerClient:
        return LearnerClient(self.url, name, self.passwords[name], timeout=120)

    def restart_hub(self) -> float:
        """Stop the hub and start it again; the seconds it was away."""
        started = time.monotonic()
        stop(self.hub)
        self.hub = start_hub(self.settings, self.settings_file, self.python, self.folder / "hub.log")
        return time.monotonic() - started

    def server_pid(self, name: str) -> int | None:
        """The process id of the learner's Jupyter server (the oldest process of their account)."""
        found = subprocess.run(["pgrep", "-o", "-u", name], capture_output=True, text=True).stdout.split()
        return int(found[0]) if found else None

    def close(self) -> None:
        """Stop and remove everything this classroom started or created."""
        if self.hub is not None and self.hub.poll() is None:
            for name in self.names:
                try:
                    hub_api(self.settings, "DELETE", f"/users/{name}/server")
                except OSError:
                    pass
            stop(self.hub)
        if self.proxy is not None:
            stop(self.proxy)
        groups = detect()
        for name in self.names + [self.settings.teacher]:
            try:
                pwd.getpwnam(name)
            except KeyError:
                continue
            subprocess.run(["pkill", "-KILL", "-u", name], capture_output=True)
            for _ in range(50):
                if subprocess.run(["pgrep", "-u", name], capture_output=True).returncode:
                    break
                time.sleep(0.1)
            subprocess.run(["userdel", "--remove", name], capture_output=True)
            if isinstance(groups, CgroupLimits):
                for folder in groups.folders(name):
                    if folder.exists():
                        folder.rmdir()
        shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> "TrialClassroom":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


@dataclass
class LearnerOutcome:
    """One learner's part of a :func:`run_class`."""

    name: str
    start_seconds: float
    run: NotebookRun
    server_peak_memory_mb: float
    server_cpu_seconds: float


@dataclass
class ClassReport:
    """What :func:`run_class` measured. ``hub_peak_memory_mb``: the JupyterHub process alone (its
    children are the learners' servers, counted in each :class:`LearnerOutcome`; the idle culler it
    runs is not counted). ``running_at_restart``: learners whose notebook was still
    running when the hub went down (0 would mean the restart missed the run)."""

    learners: list[LearnerOutcome]
    wall_seconds: float
    hub_peak_memory_mb: float
    proxy_peak_memory_mb: float
    hub_restart_seconds: float | None
    running_at_restart: int


def run_class(classroom: TrialClassroom, notebook: str = "notebooks/08_career_reflection.ipynb",
              restart: bool = True, restart_after_cells: int = 3, names: list[str] | None = None) -> ClassReport:
    """Every learner of ``classroom`` (or those in ``names``) logs in, starts a server and runs ``notebook`` (then saves an
    answer), all at once; with ``restart``, the hub is restarted once every learner has run
    ``restart_after_cells`` cells. Errors in a notebook are recorded, not raised."""
    clients = [classroom.client(name) for name in (classroom.names if names is None else names)]
    hub_usage = KernelUsageMonitor(classroom.hub.pid, include_children=False).start()
    proxy_usage = KernelUsageMonitor(classroom.proxy.pid).start()
    finished = set()

    def learner(client: LearnerClient) -> LearnerOutcome:
        client.log_in()
        start_seconds = client.start_server()
        server = KernelUsageMonitor(classroom.server_pid(client.name)).start()
        run = client.run_notebook(notebook, after=[SAVE_ANSWER.format(name=client.name)])
        finished.add(client.name)
        usage = server.stop()
        return LearnerOutcome(client.name, start_seconds, run, usage.peak_memory_mb, usage.cpu_seconds)

    started = time.monotonic()
    restart_seconds, running_at_restart, hub_peak = None, 0, 0.0
    with ThreadPoolExecutor(len(clients)) as pool:
        futures = [pool.submit(learner, client) for client in clients]
        if restart:
            while (min(c.cells_done for c in clients) < restart_after_cells
                   and not any(f.done() for f in futures)):
                time.sleep(0.2)
            running_at_restart = len(clients) - len(finished)
            hub_peak = hub_usage.stop().peak_memory_mb
            restart_seconds = classroom.restart_hub()
            hub_usage = KernelUsageMonitor(classroom.hub.pid, include_children=False).start()
        outcomes = [future.result() for future in futures]
    wall = time.monotonic() - started
    hub_peak = max(hub_usage.stop().peak_memory_mb, hub_peak)
    return ClassReport(outcomes, wall, hub_peak, proxy_usage.stop().peak_memory_mb, restart_seconds, running_at_restart)

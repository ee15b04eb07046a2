"""A JupyterLab server for tests: 127.0.0.1, a free port, a random token, a throw-away home.

:class:`LabServer` starts ``jupyter lab`` in a fresh temporary folder (its own ``HOME``,
``JUPYTER_*``, ``IPYTHONDIR``, workspaces and settings, so no old tabs or user settings
leak in) and stops it, with its kernels, however the test ends. Notebooks are *copied*
into that folder because JupyterLab saves outputs back into the file it runs.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, Iterable

REPO = Path(__file__).resolve().parents[2]


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --------------------------------------------------------------------------------------
# The JupyterLab server
# --------------------------------------------------------------------------------------


class LabServer:
    """A JupyterLab server in a fresh temporary folder, stopped by :meth:`stop`.

    ``notebooks_dir`` (the folder the learner opens notebooks from) is created inside
    the temporary root; the repository's other top-level folders are linked beside it
    so that a notebook's relative paths (``../data``, ``../solutions``) resolve as they
    do in the real checkout. ``env`` adds or overrides environment variables for the
    server and its kernels (e.g. ``{"AIGC_FAST": "1"}``).
    """

    def __init__(
        self,
        env: dict[str, str] | None = None,
        startup_timeout: float = 90.0,
        disabled_extensions: Iterable[str] = (),
    ) -> None:
        if startup_timeout <= 0:
            raise ValueError(f"startup_timeout must be > 0 seconds, got {startup_timeout}")
        self.extra_env = dict(env or {})
        # e.g. ["@jupyter-widgets/jupyterlab-manager"] to see the course as a learner
        # without the widgets extension would (the helpers' own tests do this).
        self.disabled_extensions = list(disabled_extensions)
        self.startup_timeout = startup_timeout
        self.token = secrets.token_hex(16)
        self.port = 0
        self.root: Path | None = None
        self.process: subprocess.Popen[bytes] | None = None
        self.log_path: Path | None = None

    # -- life cycle ---------------------------------------------------------------------

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def notebooks_dir(self) -> Path:
        if self.root is None:
            raise RuntimeError("the server has not been started")
        return self.root / "notebooks"

    def _environment(self) -> dict[str, str]:
        assert self.root is not None
        home = self.root / "_home"
        env = dict(os.environ)
        env.update(
            HOME=str(home),
            JUPYTER_CONFIG_DIR=str(home / "jupyter_config"),
            JUPYTER_DATA_DIR=str(home / "jupyter_data"),
            JUPYTER_RUNTIME_DIR=str(home / "jupyter_runtime"),
            JUPYTERLAB_WORKSPACES_DIR=str(home / "lab_workspaces"),
            JUPYTERLAB_SETTINGS_DIR=str(home / "lab_settings"),
            IPYTHONDIR=str(home / "ipython"),
            MPLCONFIGDIR=str(home / "matplotlib"),
            # The learner's saved answers and the course's derived files stay in the
            # temporary folder, unless the caller points them somewhere on purpose.
            AIGC_HOME=os.environ.get("AIGC_HOME") or str(home / "aigc_home"),
            AIGC_CACHE=os.environ.get("AIGC_CACHE") or str(home / "aigc_cache"),
            HF_HUB_OFFLINE="1",
            PYTHONUNBUFFERED="1",
        )
        env.update(self.extra_env)
        return env

    def _write_settings(self, env: dict[str, str]) -> None:
        """Settings that make the UI predictable for a robot (and change nothing a learner sees in a notebook)."""
        settings = Path(env["JUPYTERLAB_SETTINGS_DIR"])
        notebook = settings / "@jupyterlab" / "notebook-extension"
        notebook.mkdir(parents=True, exist_ok=True)
        # Render every cell (no windowing), so every output and widget is in the DOM, and
        # record each cell's execution times in the saved file (to name the slow cells).
        (notebook / "tracker.jupyterlab-settings").write_text(
            json.dumps({"windowingMode": "none", "recordTiming": True}), encoding="utf-8"
        )
        # No "would you like news?" toast over the notebook.
        apputils = settings / "@jupyterlab" / "apputils-extension"
        apputils.mkdir(parents=True, exist_ok=True)
        (apputils / "notification.jupyterlab-settings").write_text(
            json.dumps({"fetchNews": "false", "checkForUpdates": False}), encoding="utf-8"
        )
        if self.disabled_extensions:
            labconfig = Path(env["JUPYTER_CONFIG_DIR"]) / "labconfig"
            labconfig.mkdir(parents=True, exist_ok=True)
            (labconfig / "page_config.json").write_text(
                json.dumps({"disabledExtensions": {name: True for name in self.disabled_extensions}}),
                encoding="utf-8",
            )
        for key in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR",
                    "JUPYTERLAB_WORKSPACES_DIR", "IPYTHONDIR", "MPLCONFIGDIR"):
            Path(env[key]).mkdir(parents=True, exist_ok=True)

    def start(self) -> "LabServer":
        if self.process is not None:
            raise RuntimeError("the server is already running")
        self.root = Path(tempfile.mkdtemp(prefix="aigc-lab-"))
        self.notebooks_dir.mkdir()
        for entry in REPO.iterdir():
            if entry.name in {"notebooks", ".git", ".venv", "build"} or entry.name.startswith("."):
                continue
            (self.root / entry.name).symlink_to(entry, target_is_directory=entry.is_dir())
        env = self._environment()
        self._write_settings(env)
        self.port = free_port()
        command = [
            sys.executable, "-m", "jupyterlab",
            "--no-browser",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={self.port}",
            "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={self.token}",
            f"--ServerApp.root_dir={self.root}",
            "--ServerApp.open_browser=False",
            "--LabApp.news_url=",  # no news feed requests, we are offline
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            command.append("--allow-root")
        self.log_path = self.root / "_jupyterlab.log"
        log = self.log_path.open("wb")
        try:
            self.process = subprocess.Popen(
                command, cwd=self.root, env=env, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,  # its kernels die with it when we stop the group
            )
        finally:
            log.close()
        try:
            self._wait_until_up()
        except BaseException:
            self.stop()
            raise
        return self

    def _wait_until_up(self) -> None:
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise RuntimeError(f"JupyterLab exited with code {self.process.returncode}:\n{self.log_tail()}")
            try:
                self.api("GET", "/api/status")
                return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.3)
        raise TimeoutError(f"JupyterLab did not answer within {self.startup_timeout:.0f} s:\n{self.log_tail()}")

    def stop(self) -> None:
        """Stop the server and its kernels, then delete the temporary folder."""
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            try:
                os.killpg(process.pid, signal.SIGTERM)  # our own new session: server + kernels
            except ProcessLookupError:
                pass
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=5)
        if self.root is not None:
            shutil.rmtree(self.root, ignore_errors=True)
            self.root = None

    def __enter__(self) -> "LabServer":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- helpers --------------------------------------------------------------------------

    def log_tail(self, chars: int = 4000) -> str:
        if self.log_path is None or not self.log_path.exists():
            return "(no log)"
        return self.log_path.read_text(encoding="utf-8", errors="replace")[-chars:]

    def api(self, method: str, path: str, timeout: float = 10.0) -> Any:
        """Call the server's REST API with the token; returns the decoded JSON (or None)."""
        request = urllib.request.Request(
            self.url + path, method=method, headers={"Authorization": f"token {self.token}"}
        )
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read()
        return json.loads(body) if body else None

    def add_notebook(self, source: Path | str, name: str | None = None) -> Path:
        """Copy a notebook into the server's notebooks folder; returns the copy's path."""
        source = Path(source)
        if source.suffix != ".ipynb" or not source.is_file():
            raise ValueError(f"source must be an existing .ipynb file, got {source}")
        target = self.notebooks_dir / (name or source.name)
        shutil.copyfile(source, target)
        return target

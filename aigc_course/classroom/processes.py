"""The classroom's two processes: the proxy (configurable-http-proxy, from npm) and JupyterHub.

They run apart, as JupyterHub's documentation suggests for a hub that must restart without
cutting anyone off: learners' connections go through the proxy to their own servers, so while
the hub restarts (a new course version, a changed setting) open notebooks and running kernels
carry on, and only logging in waits.

The state folder (mode 0700, root only) holds what they share: the hub's database, the
``jupyterhub_config.py`` that calls :func:`~.hub_config.configure`, and three random secrets
(:data:`SECRETS`), written once and kept, so a restarted hub keeps every login cookie valid.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from ..io import write_atomically
from ..language import tr
from .settings import ClassroomSettings

__all__ = ["SECRETS", "read_secret", "prepare_state", "find_proxy", "check_port_free", "start_proxy", "start_hub", "stop", "wait_for_url"]

#: The secret files in the state folder: the hub's cookie key, the proxy's API token, the
#: ``classroom`` service's API token.
SECRETS = {"cookie": "jupyterhub_cookie_secret", "proxy": "proxy_auth_token", "service": "classroom_api_token"}
#: The ``jupyterhub_config.py`` written into the state folder.
CONFIG_TEMPLATE = """\
# Written by aigc-course hub: the classroom's settings are in {settings}; edit that file, not this one.
import os

from aigc_course.classroom.environment import learner_python
from aigc_course.classroom.hub_config import configure
from aigc_course.classroom.settings import load_settings

configure(get_config(), load_settings({settings!r}), os.environ.get("AIGC_CLASSROOM_PYTHON") or learner_python({settings!r}))
"""


def read_secret(settings: ClassroomSettings, kind: str) -> str:
    """One of the :data:`SECRETS` (hex text), created on first use with mode 0600."""
    path = settings.state_dir / SECRETS[kind]
    if not path.exists():
        settings.state_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        path.touch(mode=0o600)
        write_atomically(path, secrets.token_hex(32).encode())
    return path.read_text().strip()


def prepare_state(settings: ClassroomSettings, settings_file: Path) -> Path:
    """Create the state folder (0700) and its secrets, write the hub's config file; return that file."""
    settings.state_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(settings.state_dir, 0o700)
    for kind in SECRETS:
        read_secret(settings, kind)
    config = settings.state_dir / "jupyterhub_config.py"
    write_atomically(config, CONFIG_TEMPLATE.format(settings=str(Path(settings_file).resolve())).encode())
    return config


def find_proxy() -> str:
    """The ``configurable-http-proxy`` command: on ``PATH``, or installed by ``make hub`` into ``hub/node_modules``."""
    local = Path(__file__).resolve().parents[2] / "hub" / "node_modules" / ".bin" / "configurable-http-proxy"
    found = shutil.which("configurable-http-proxy") or (str(local) if local.exists() else None)
    if found is None:
        raise FileNotFoundError(tr(
            "configurable-http-proxy (JupyterHub's proxy, from npm) is not installed: run make hub, "
            "or npm install -g configurable-http-proxy",
            "未安装 configurable-http-proxy（JupyterHub 的代理，来自 npm）：请运行 make hub，"
            "或 npm install -g configurable-http-proxy"))
    return found


def wait_for_url(url: str, seconds: float, process: subprocess.Popen | None = None,
                 headers: dict[str, str] | None = None) -> None:
    """Wait until ``url`` answers (any HTTP status below 500); raise ``TimeoutError`` after ``seconds``,
    or ``RuntimeError`` at once if ``process`` exits first."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=5):
                return
        except urllib.error.HTTPError as error:
            if error.code < 500:
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        if process is not None and process.poll() is not None:
            raise RuntimeError(tr(f"{process.args[0]} exited with status {process.returncode} before {url} answered",
                                  f"{process.args[0]} 在 {url} 应答之前就退出了，状态码 {process.returncode}"))
        if time.monotonic() > deadline:
            raise TimeoutError(tr(f"{url} did not answer within {seconds:.0f} s", f"{url} 在 {seconds:.0f} 秒内没有应答"))
        time.sleep(0.25)


def check_port_free(host: str, port: int, key: str) -> None:
    """Raise ``OSError`` naming the setting ``key`` if something already listens on ``host:port``."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            raise OSError(tr(f"port {port} ({key}) is already in use on {host}: another hub running, or "
                             f"choose another {key} in the settings file",
                             f"{host} 上的端口 {port}（{key}）已被占用：可能另一个 hub 正在运行，"
                             f"或者在设置文件中换一个 {key}")) from None


def start_proxy(settings: ClassroomSettings, log: Path | None = None) -> subprocess.Popen:
    """Start the proxy on ``host:port`` (HTTPS with the settings' certificate; its API on 127.0.0.1
    only) and wait until it answers."""
    check_port_free(settings.host, settings.port, "hub.port")
    check_port_free("127.0.0.1", settings.proxy_api_port, "hub.proxy_api_port")
    command = [find_proxy(), "--ip", settings.host, "--port", str(settings.port),
               "--api-ip", "127.0.0.1", "--api-port", str(settings.proxy_api_port),
               "--default-target", f"http://127.0.0.1:{settings.hub_port}",
               "--error-target", f"http://127.0.0.1:{settings.hub_port}/hub/error"]
    if settings.tls_cert:
        command += ["--ssl-cert", settings.tls_cert, "--ssl-key", settings.tls_key]
    env = {**os.environ, "CONFIGPROXY_AUTH_TOKEN": read_secret(settings, "proxy")}
    process = _spawn(command, env, log)
    wait_for_url(f"http://127.0.0.1:{settings.proxy_api_port}/api/routes", 30, process,
                 {"Authorization": f"token {read_secret(settings, 'proxy')}"})
    return process


def start_hub(settings: ClassroomSettings, settings_file: Path, python: str, log: Path | None = None) -> subprocess.Popen:
    """Start JupyterHub with the classroom's config, learners' servers run by ``python``
    (:func:`~.environment.learner_python`), and wait until it is healthy."""
    check_port_free("127.0.0.1", settings.hub_port, "hub.hub_port")
    config = prepare_state(settings, settings_file)
    command = [sys.executable, "-m", "jupyterhub", "-f", str(config)]
    process = _spawn(command, {**os.environ, "AIGC_CLASSROOM_PYTHON": python}, log, cwd=settings.state_dir)
    wait_for_url(f"http://127.0.0.1:{settings.hub_port}/hub/health", 120, process)
    return process


def _spawn(command: list[str], env: dict[str, str], log: Path | None, cwd: Path | None = None) -> subprocess.Popen:
    out = open(log, "ab") if log is not None else None
    try:  # Ctrl-C's signal back to its default, even when this process was started with it ignored (nohup, &):
        # JupyterHub stops learners' servers with SIGINT first
        return subprocess.Popen(command, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT if out else None,
                                preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    finally:
        if out is not None:
            out.close()


def stop(process: subprocess.Popen, seconds: float = 30) -> int:
    """Ask ``process`` to stop (SIGTERM), wait up to ``seconds``, then kill it; return its exit status."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(seconds)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    return process.returncode

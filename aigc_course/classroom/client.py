"""A learner as the classroom server sees one: log in, start a server, run a notebook, save it.

Everything goes through the public address (the proxy) and the same HTTP APIs JupyterLab uses,
so a load test with these clients exercises what a class's browsers do:

- log in: the hub's login form (``/hub/login``, with its ``_xsrf`` cookie), then a token from
  the hub's REST API (``POST /hub/api/users/<name>/tokens``);
- a server: ``POST /hub/api/users/<name>/server``, then the user model polled until ready;
- a notebook: the Jupyter server's contents API to read and save it, its kernels API to start a
  kernel, and the kernel's WebSocket channel (Jupyter's messaging protocol) to execute each code
  cell in turn, outputs kept in the notebook as JupyterLab keeps them.

Used by ``tests/classroom/`` and ``benchmarks/classroom.py``; needs ``requests`` and ``websocket-client``
(both installed with JupyterHub and JupyterLab).
"""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass, field
from typing import Sequence

import requests
import websocket

__all__ = ["LearnerClient", "KernelSession", "NotebookRun"]


@dataclass
class NotebookRun:
    """What running one notebook gave: seconds, cells run, and the first error (``None``: none)."""

    path: str
    seconds: float = 0.0
    cells_run: int = 0
    error: str | None = None
    outputs: list[list[dict]] = field(default_factory=list)


class LearnerClient:
    """One learner, talking to the classroom at ``base_url`` (``http://host:port``)."""

    def __init__(self, base_url: str, name: str, password: str, timeout: float = 60.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.name = name
        self.password = password
        self.timeout = timeout
        self.http = requests.Session()
        self.token: str | None = None
        #: code cells this client has had executed so far (read by a load test from another thread)
        self.cells_done = 0

    # -- the hub -----------------------------------------------------------------------------
    def log_in(self) -> None:
        """Log in through the hub's form, then ask the hub's API for a token (``self.token``)."""
        self.http.get(f"{self.base_url}/hub/login", timeout=self.timeout).raise_for_status()
        xsrf = self.http.cookies.get("_xsrf", path="/hub/")
        answer = self.http.post(f"{self.base_url}/hub/login", timeout=self.timeout, allow_redirects=False,
                                data={"username": self.name, "password": self.password, "_xsrf": xsrf})
        if answer.status_code != 302:
            raise PermissionError(f"{self.name}: log-in refused (HTTP {answer.status_code})")
        xsrf = self.http.cookies.get("_xsrf", path="/hub/")  # a new one, bound to the logged-in session
        answer = self.http.post(f"{self.base_url}/hub/api/users/{self.name}/tokens", timeout=self.timeout,
                                headers={"X-XSRFToken": xsrf}, json={"note": "classroom client", "expires_in": 7200})
        answer.raise_for_status()
        self.token = answer.json()["token"]

    def hub(self, method: str, path: str, **kwargs) -> requests.Response:
        """A call to the hub's REST API (``/hub/api<path>``) with the learner's token."""
        return self.http.request(method, f"{self.base_url}/hub/api{path}", timeout=self.timeout,
                                 headers={"Authorization": f"token {self.token}"}, **kwargs)

    def start_server(self, seconds: float = 300.0) -> float:
        """Start the learner's server and wait until it answers; the seconds that took."""
        started = time.monotonic()
        answer = self.hub("POST", f"/users/{self.name}/server")
        if answer.status_code not in (201, 202, 400):  # 400: already running
            answer.raise_for_status()
        while time.monotonic() - started < seconds:
            server = self.hub("GET", f"/users/{self.name}").json().get("servers", {}).get("", {})
            if server.get("ready"):
                return time.monotonic() - started
            time.sleep(0.5)
        raise TimeoutError(f"{self.name}: the server did not start within {seconds:.0f} s")

    def stop_server(self, seconds: float = 60.0) -> None:
        """Stop the learner's server and wait until the hub says it has stopped."""
        self.hub("DELETE", f"/users/{self.name}/server")
        deadline = time.monotonic() + seconds
        while self.hub("GET", f"/users/{self.name}").json().get("servers", {}):
            if time.monotonic() > deadline:
                raise TimeoutError(f"{self.name}: the server did not stop within {seconds:.0f} s")
            time.sleep(0.5)

    # -- the learner's Jupyter server ----------------------------------------------------------
    def server(self, method: str, path: str, owner: str | None = None, **kwargs) -> requests.Response:
        """A call to a Jupyter server's REST API (``/user/<owner>/api<path>``, default the learner's own)."""
        return self.http.request(method, f"{self.base_url}/user/{owner or self.name}/api{path}",
                                 timeout=self.timeout, headers={"Authorization": f"token {self.token}"}, **kwargs)

    def read_notebook(self, path: str) -> dict:
        answer = self.server("GET", f"/contents/{path}", params={"content": 1})
        answer.raise_for_status()
        return answer.json()["content"]

    def save_notebook(self, path: str, notebook: dict) -> None:
        self.server("PUT", f"/contents/{path}", json={"type": "notebook", "format": "json",
                                                      "content": notebook}).raise_for_status()

    def kernel(self, folder: str = "", cell_seconds: float = 600.0) -> "KernelSession":
        """A new kernel in the learner's server (working folder ``folder``); use it in a ``with`` block."""
        answer = self.server("POST", "/kernels", json={"name": "python3", "path": folder})
        answer.raise_for_status()
        return KernelSession(self, answer.json()["id"], cell_seconds)

    def run_notebook(self, path: str, before: Sequence[str] = (), after: Sequence[str] = (),
                     cell_seconds: float = 600.0) -> NotebookRun:
        """Execute every code cell of the notebook at ``path`` (relative to the server's folder) in a
        new kernel, with the ``before`` and ``after`` code run around them; save the outputs into
        the notebook; stop at the first error (recorded in the result, not raised)."""
        run = NotebookRun(path)
        started = time.monotonic()
        notebook = self.read_notebook(path)
        try:
            with self.kernel(path.rpartition("/")[0], cell_seconds) as kernel:
                for code in before:
                    if not self._step(kernel, code, run)[0]:
                        return run
                for cell in notebook["cells"]:
                    if cell["cell_type"] != "code":
                        continue
                    ok, cell["outputs"] = self._step(kernel, "".join(cell["source"]), run)
                    run.outputs.append(cell["outputs"])
                    if not ok:
                        break
                else:
                    for code in after:
                        if not self._step(kernel, code, run)[0]:
                            break
            self.save_notebook(path, notebook)
        finally:
            run.seconds = time.monotonic() - started
        return run

    def _step(self, kernel: "KernelSession", code: str, run: NotebookRun) -> tuple[bool, list[dict]]:
        ok, outputs, error = kernel.execute(code)
        run.cells_run += 1
        self.cells_done += 1
        run.error = run.error or error
        return ok, outputs


class KernelSession:
    """One kernel of a learner's server, spoken to over its WebSocket channel; deleted on leaving ``with``."""

    def __init__(self, client: LearnerClient, kernel_id: str, cell_seconds: float) -> None:
        self.client = client
        self.kernel_id = kernel_id
        self.channel = websocket.create_connection(
            f"{client.base_url.replace('http', 'ws', 1)}/user/{client.name}/api/kernels/{kernel_id}/channels",
            header=[f"Authorization: token {client.token}"], timeout=cell_seconds)

    def __enter__(self) -> "KernelSession":
        return self

    def __exit__(self, *exc) -> None:
        self.channel.close()
        self.client.server("DELETE", f"/kernels/{self.kernel_id}")

    def execute(self, code: str) -> tuple[bool, list[dict], str | None]:
        """Run ``code``; (it succeeded, its outputs as nbformat dicts, ``"Name: message"`` of an error)."""
        msg_id = uuid.uuid4().hex
        self.channel.send(json.dumps({
            "header": {"msg_id": msg_id, "msg_type": "execute_request", "username": self.client.name,
                       "session": msg_id, "version": "5.3"},
            "parent_header": {}, "metadata": {}, "channel": "shell",
            "content": {"code": code, "silent": False, "store_history": True, "user_expressions": {},
                        "allow_stdin": False, "stop_on_error": True}}))
        outputs, error, idle, replied = [], None, False, False
        while not (idle and replied):
            message = json.loads(self.channel.recv())
            if message.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind, content = message["msg_type"], message["content"]
            if kind == "stream":
                outputs.append({"output_type": "stream", "name": content["name"], "text": content["text"]})
            elif kind in ("execute_result", "display_data"):
                outputs.append({"output_type": kind, "data": content["data"], "metadata": content.get("metadata", {}),
                                **({"execution_count": content["execution_count"]} if kind == "execute_result" else {})})
            elif kind == "error":
                outputs.append({"output_type": "error", "ename": content["ename"], "evalue": content["evalue"],
                                "traceback": content["traceback"]})
            elif kind == "status" and content["execution_state"] == "idle":
                idle = True
            elif kind == "execute_reply":
                replied = True
                if content["status"] != "ok":
                    error = f"{content.get('ename')}: {content.get('evalue')}"
        return error is None, outputs, error

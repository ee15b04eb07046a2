"""JupyterHub's configuration for the classroom, built from :class:`~.settings.ClassroomSettings`.

The hub's own ``jupyterhub_config.py`` (written into the state folder by :mod:`.processes`)
is two lines that call :func:`configure`. What it sets, and why:

- **who may log in**: JupyterHub's PAM authenticator (the machine's accounts and passwords),
  only the roster's learners and the teacher, who is the only admin; no sign-up page;
- **where learners work**: :class:`~.spawner.CourseSpawner`, one server per learner as their
  own account, started by :mod:`.singleuser` (course copied or updated first) in
  ``~/<course_folder>``, offline (``HF_HUB_OFFLINE=1``), in the edition's language;
- **restarts lose nothing**: the proxy runs apart from the hub and the hub leaves servers
  running when it stops (``cleanup_servers = False``), so a hub restart cuts no learner off;
- **limits**: memory and CPU per learner (:mod:`.limits`), and jupyterhub-idle-culler, run by
  the hub as a service, stops a server idle for ``idle_minutes`` (its files stay);
- **the teacher's tools**: a service ``classroom`` with a token in the state folder, which
  ``aigc-course hub add`` and the load test use to manage users and servers.
"""

from __future__ import annotations

import sys
from typing import Any

from .accounts import read_roster
from .processes import SECRETS, read_secret
from .settings import ClassroomSettings

__all__ = ["configure", "ROLE_SCOPES"]

#: What the teacher's ``classroom`` service may do through the hub's API.
ROLE_SCOPES = ["admin:users", "admin:servers", "tokens", "list:users", "read:users:activity"]
#: What jupyterhub-idle-culler needs (its README's list).
CULLER_SCOPES = ["list:users", "read:users:activity", "read:servers", "delete:servers"]


def configure(c: Any, settings: ClassroomSettings, python: str) -> None:
    """Fill JupyterHub's config object ``c`` (``get_config()`` in a config file) for ``settings``,
    learners' servers run by the interpreter ``python`` (:func:`~.environment.learner_python`)."""
    state = settings.state_dir
    c.JupyterHub.bind_url = f"{'https' if settings.tls_cert else 'http'}://{settings.host}:{settings.port}"
    c.JupyterHub.hub_bind_url = f"http://127.0.0.1:{settings.hub_port}"
    c.JupyterHub.db_url = f"sqlite:///{state / 'jupyterhub.sqlite'}"
    c.JupyterHub.cookie_secret_file = str(state / SECRETS["cookie"])
    c.JupyterHub.pid_file = str(state / "jupyterhub.pid")
    c.JupyterHub.cleanup_servers = False
    c.ConfigurableHTTPProxy.should_start = False
    c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{settings.proxy_api_port}"
    c.ConfigurableHTTPProxy.auth_token = read_secret(settings, "proxy")

    c.JupyterHub.authenticator_class = "pam"
    c.PAMAuthenticator.open_sessions = False  # no login sessions: servers are not terminal logins
    c.Authenticator.allowed_users = set(read_roster(settings)) | {settings.teacher}
    c.Authenticator.admin_users = {settings.teacher}

    c.JupyterHub.spawner_class = "aigc_course.classroom.spawner.CourseSpawner"
    c.Spawner.cmd = [python, "-m", "aigc_course.classroom.singleuser"]
    c.Spawner.notebook_dir = f"~/{settings.course_folder}"
    c.Spawner.default_url = "/lab/tree/notebooks" + ("/zh" if settings.edition == "zh" else "")
    c.Spawner.environment = {
        "AIGC_CLASSROOM_FOLDER": settings.course_folder,
        "AIGC_CLASSROOM_EDITION": settings.edition,
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        **({"AIGC_LANG": "zh"} if settings.edition == "zh" else {}),
    }
    c.Spawner.start_timeout = 180  # the first start copies the course; a whole class may log in at once
    c.Spawner.http_timeout = 180
    c.CourseSpawner.memory_bytes = settings.memory_bytes
    c.CourseSpawner.cpus = settings.cpus
    if settings.memory_bytes:
        c.Spawner.mem_limit = settings.memory_bytes  # shown to the learner's server as MEM_LIMIT
    if settings.cpus:
        c.Spawner.cpu_limit = settings.cpus

    services = [{"name": "classroom", "api_token": read_secret(settings, "service")}]
    roles = [{"name": "classroom", "scopes": ROLE_SCOPES, "services": ["classroom"]}]
    if settings.idle_minutes:
        seconds = round(settings.idle_minutes * 60)
        services.append({"name": "idle-culler", "command": [
            sys.executable, "-m", "jupyterhub_idle_culler", f"--timeout={seconds}",
            f"--cull-every={max(30, min(300, seconds // 4))}"]})
        roles.append({"name": "idle-culler", "scopes": CULLER_SCOPES, "services": ["idle-culler"]})
    c.JupyterHub.services = services
    c.JupyterHub.load_roles = roles

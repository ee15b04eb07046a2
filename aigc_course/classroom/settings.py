"""``hub/classroom.toml``: the classroom server's settings, read and checked in one place.

Every setting has a default, so an empty file is a working classroom; a teacher changes only
what differs. A wrong key or value is refused with a message that names the key and what is
allowed, before anything starts. The file's sections and keys (units in the names)::

    [hub]
    host = "0.0.0.0"          # where learners connect: an address of this machine (0.0.0.0: all)
    port = 8000               # the address learners open: http://<this machine>:8000
    hub_port = 8081           # JupyterHub itself, on 127.0.0.1 only (behind the proxy)
    proxy_api_port = 8001     # the proxy's control port, on 127.0.0.1 only
    state_dir = "state"       # the hub's database, secrets and roster (only root can read it)
    teacher = "teacher"       # the admin account, created at the first start
    edition = "en"            # the lessons each learner gets: en, zh or all
    course_folder = "aigc-course"   # the learner's copy, inside their home
    tls_cert = ""             # HTTPS: a certificate and its key (PEM files), so passwords never cross
    tls_key = ""              # the room's network in clear text; "" for both: plain HTTP

    [limits]
    memory_gb = 3.0           # per learner, their server and kernels together; 0: no limit
    cpus = 1.0                # CPU cores per learner; 0: no limit
    idle_minutes = 60         # a server idle this long is stopped (saved files stay); 0: never

A relative ``state_dir`` is taken from the settings file's folder.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from ..language import tr
from ..validate import check_choice, check_float, check_int, check_str

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

__all__ = ["ClassroomSettings", "load_settings", "check_account_name"]

#: A system account name JupyterHub and ``useradd`` both accept: lower-case letters, digits, ``_``, ``-``.
ACCOUNT_NAME = re.compile(r"[a-z_][a-z0-9_-]{0,30}")


def check_account_name(value: object, name: str = "name") -> str:
    """``value`` as an account name: 1-31 characters, a lower-case letter or ``_`` first,
    then lower-case letters, digits, ``_`` or ``-``."""
    value = check_str(value, name, allow_empty=False)
    if not ACCOUNT_NAME.fullmatch(value):
        raise ValueError(tr(f"{name} must be 1-31 characters: a lower-case letter or _ first, then lower-case "
                            f"letters, digits, _ or -; got {value!r}",
                            f"{name} 必须是 1–31 个字符：以小写字母或 _ 开头，其后为小写字母、数字、_ 或 -；"
                            f"却得到了 {value!r}"))
    return value


@dataclass(frozen=True)
class ClassroomSettings:
    """The classroom server's settings (see the module's docstring for each one's meaning)."""

    host: str = "0.0.0.0"
    port: int = 8000
    hub_port: int = 8081
    proxy_api_port: int = 8001
    state_dir: Path = Path("state")
    teacher: str = "teacher"
    edition: str = "en"
    course_folder: str = "aigc-course"
    tls_cert: str = ""
    tls_key: str = ""
    memory_gb: float = 3.0
    cpus: float = 1.0
    idle_minutes: float = 60.0

    def __post_init__(self) -> None:
        check_str(self.host, "hub.host", allow_empty=False)
        ports = {}
        for key in ("port", "hub_port", "proxy_api_port"):
            ports[key] = check_int(getattr(self, key), f"hub.{key}", minimum=1, maximum=65535)
        if len(set(ports.values())) < len(ports):
            raise ValueError(tr(f"hub.port, hub.hub_port and hub.proxy_api_port must differ, got {ports}",
                                f"hub.port、hub.hub_port 与 hub.proxy_api_port 必须互不相同，却得到了 {ports}"))
        check_account_name(self.teacher, "hub.teacher")
        check_choice(self.edition, "hub.edition", ("en", "zh", "all"))
        folder = check_str(self.course_folder, "hub.course_folder", allow_empty=False)
        if Path(folder).is_absolute() or ".." in Path(folder).parts:
            raise ValueError(tr(f"hub.course_folder must be a folder inside the learner's home, like "
                                f"\"aigc-course\", got {folder!r}",
                                f"hub.course_folder 必须是学习者主目录中的文件夹，例如 \"aigc-course\"，却得到了 {folder!r}"))
        check_str(self.tls_cert, "hub.tls_cert")
        check_str(self.tls_key, "hub.tls_key")
        if bool(self.tls_cert) != bool(self.tls_key):
            raise ValueError(tr("hub.tls_cert and hub.tls_key go together: set both (HTTPS) or neither (HTTP)",
                                "hub.tls_cert 与 hub.tls_key 必须同时设置（HTTPS）或同时留空（HTTP）"))
        for key in ("tls_cert", "tls_key"):
            if getattr(self, key) and not Path(getattr(self, key)).is_file():
                raise ValueError(tr(f"hub.{key}: there is no file {getattr(self, key)}",
                                    f"hub.{key}：文件 {getattr(self, key)} 不存在"))
        check_float(self.memory_gb, "limits.memory_gb", minimum=0)
        check_float(self.cpus, "limits.cpus", minimum=0)
        check_float(self.idle_minutes, "limits.idle_minutes", minimum=0)

    @property
    def public_url(self) -> str:
        """The address printed for learners (``host`` 0.0.0.0 shown as this machine's name)."""
        host = os.uname().nodename if self.host in ("0.0.0.0", "::") else self.host
        return f"{'https' if self.tls_cert else 'http'}://{host}:{self.port}/"

    @property
    def memory_bytes(self) -> int:
        """The memory limit per learner in bytes; 0 means none."""
        return int(self.memory_gb * 1024 ** 3)


#: Which section of the file each setting lives in.
SECTIONS = {"hub": ("host", "port", "hub_port", "proxy_api_port", "state_dir", "teacher", "edition", "course_folder",
                    "tls_cert", "tls_key"),
            "limits": ("memory_gb", "cpus", "idle_minutes")}


def load_settings(path: str | os.PathLike | None = None) -> ClassroomSettings:
    """The settings in the TOML file at ``path`` (``None``: every default; ``state_dir`` then
    relative to the current folder).

    Raises ``FileNotFoundError`` for a missing file, ``ValueError`` for a file that is not TOML,
    an unknown section or key, or a value out of range, ``TypeError`` for a value of the wrong type.
    """
    if path is None:
        return ClassroomSettings()
    path = Path(path)
    try:
        table = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise FileNotFoundError(tr(f"the classroom settings file {path} does not exist",
                                   f"教室服务器的设置文件 {path} 不存在")) from None
    except tomllib.TOMLDecodeError as error:
        raise ValueError(tr(f"{path} is not valid TOML: {error}", f"{path} 不是有效的 TOML：{error}")) from None
    values = {}
    for section, content in table.items():
        if section not in SECTIONS or not isinstance(content, dict):
            raise ValueError(tr(f"{path}: unknown section [{section}]; the sections are [hub] and [limits]",
                                f"{path}：未知的节 [{section}]；可用的节是 [hub] 和 [limits]"))
        for key, value in content.items():
            if key not in SECTIONS[section]:
                allowed = ", ".join(SECTIONS[section])
                raise ValueError(tr(f"{path}: unknown key {section}.{key}; [{section}] takes {allowed}",
                                    f"{path}：未知的键 {section}.{key}；[{section}] 可用的键是 {allowed}"))
            values[key] = value
    if "state_dir" in values:
        state = Path(check_str(values["state_dir"], "hub.state_dir", allow_empty=False))
        values["state_dir"] = state if state.is_absolute() else path.parent.resolve() / state
    else:
        values["state_dir"] = path.parent.resolve() / ClassroomSettings.state_dir
    return ClassroomSettings(**values)

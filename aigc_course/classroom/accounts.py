"""Learners' accounts: a system account each, with a private home and a password of their own.

JupyterHub's default authenticator (PAM) checks a learner's name and password against the
machine's accounts, and its local-process spawner runs each learner's server as that account;
so the isolation between learners is the operating system's: a home of mode 0700 cannot be
read by another account, whatever runs in a kernel. Nobody can sign themselves up: only names
on the roster (``<state_dir>/learners.txt``, one per line, written by the teacher's
``aigc-course hub add``) and the teacher may log in.

Passwords are random (12 letters and digits without look-alikes, about 60 bits), printed
once and written to a file only root can read, for the teacher to hand out.
"""

from __future__ import annotations

import os
import pwd
import secrets
import subprocess
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from ..io import write_atomically
from ..language import tr
from .settings import ClassroomSettings, check_account_name

__all__ = ["Account", "read_roster", "add_accounts", "reset_password", "make_home_private", "new_password",
           "require_root"]

#: Accounts with a smaller user id belong to the system (root, daemons) and never join a class.
FIRST_LEARNER_UID = 1000
#: Letters and digits a learner cannot misread (no 0/o, 1/l/i).
PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


@dataclass(frozen=True)
class Account:
    """One account after :func:`add_accounts`: ``password`` is ``None`` when it was left as it was."""

    name: str
    home: Path
    created: bool
    password: str | None


def require_root(action: str) -> None:
    """Raise ``PermissionError`` unless this process is root (accounts and limits need it)."""
    if os.geteuid() != 0:
        raise PermissionError(tr(f"{action} needs root: run it with sudo",
                                 f"{action}需要 root 权限：请用 sudo 运行"))


def new_password() -> str:
    """A random password like ``k7qm-x2vd-p9sa`` (12 characters of :data:`PASSWORD_ALPHABET`)."""
    chars = "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(12))
    return "-".join(chars[i:i + 4] for i in range(0, 12, 4))


def roster_path(settings: ClassroomSettings) -> Path:
    """The roster file: the learners JupyterHub lets log in, one name per line."""
    return settings.state_dir / "learners.txt"


def read_roster(settings: ClassroomSettings) -> list[str]:
    """The learners on the roster, in the order they were added (empty before the first ``add``)."""
    try:
        lines = roster_path(settings).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def _system_account(name: str) -> pwd.struct_passwd | None:
    try:
        return pwd.getpwnam(name)
    except KeyError:
        return None


def make_home_private(name: str) -> Path:
    """Set the account's home to mode 0700 (only its owner may enter) and return it."""
    home = Path(pwd.getpwnam(name).pw_dir)
    os.chmod(home, 0o700)
    return home


def _run(command: list[str], stdin: str | None = None) -> None:
    """Run a system tool (useradd, chpasswd); raise ``OSError`` with what it printed if it fails."""
    done = subprocess.run(command, input=stdin, text=True, capture_output=True)
    if done.returncode:
        raise OSError(tr(f"{command[0]} failed ({done.returncode}): {done.stderr.strip()}",
                         f"{command[0]} 失败（{done.returncode}）：{done.stderr.strip()}"))


def _set_password(name: str, password: str) -> None:
    _run(["chpasswd"], f"{name}:{password}\n")


def reset_password(name: str) -> str:
    """Give an existing account a new random password and return it."""
    require_root(tr("setting a password", "设置密码"))
    if _system_account(check_account_name(name)) is None:
        raise ValueError(tr(f"there is no account named {name!r}", f"没有名为 {name!r} 的账户"))
    password = new_password()
    _set_password(name, password)
    return password


def add_accounts(names: list[str], settings: ClassroomSettings, *, on_roster: bool = True) -> list[Account]:
    """Create the accounts that do not exist (private home, random password) and put every name
    on the roster (``on_roster=False``: the teacher, who is the hub's admin instead).

    An account that already exists keeps its password and files; its home is made private.
    Raises ``PermissionError`` when not root and ``ValueError`` for a bad name or a system
    account (user id below 1000), before anything is created.
    """
    require_root(tr("creating accounts", "创建账户"))
    names = [check_account_name(name, "learner name") for name in names]
    for name in names:
        existing = _system_account(name)
        if existing is not None and existing.pw_uid < FIRST_LEARNER_UID:
            raise ValueError(tr(f"{name!r} is a system account (user id {existing.pw_uid}); choose another name",
                                f"{name!r} 是系统账户（用户 id {existing.pw_uid}）；请换一个名字"))
    accounts = []
    for name in dict.fromkeys(names):
        created = _system_account(name) is None
        password = None
        if created:
            _run(["useradd", "--create-home", "--shell", "/bin/bash", name])
            password = new_password()
            _set_password(name, password)
        accounts.append(Account(name, make_home_private(name), created, password))
    if on_roster:
        roster = read_roster(settings)
        roster += [a.name for a in accounts if a.name not in roster]
        settings.state_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        write_atomically(roster_path(settings), "".join(f"{name}\n" for name in roster).encode())
    new = [a for a in accounts if a.password]
    if new:
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        sheet = settings.state_dir / f"passwords-{stamp}.txt"
        settings.state_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        sheet.touch(mode=0o600)
        write_atomically(sheet, "".join(f"{a.name}\t{a.password}\n" for a in new).encode())
    return accounts

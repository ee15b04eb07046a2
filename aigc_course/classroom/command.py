"""``aigc-course hub``: the classroom server from the command line (``make hub`` runs ``serve``).

    aigc-course hub serve    [--settings FILE]          start the proxy and JupyterHub; Ctrl-C stops them
    aigc-course hub add      NAME ... [--settings FILE] learners' accounts, put on the roster
    aigc-course hub password NAME [--settings FILE]     a new password for an account
    aigc-course hub list     [--settings FILE]          the roster, and whose server is running
    aigc-course hub env      [--python PYTHON] [--settings FILE]   the learners' Python (make hub-env)

Everything but ``list`` needs root (accounts, control groups, running servers as learners).
A bad argument or setting prints one message naming it and exits with status 2.
"""

from __future__ import annotations

import argparse
import json
import signal
import urllib.error
import urllib.request
from pathlib import Path

from ..language import tr

__all__ = ["add_hub_parser", "hub_command", "DEFAULT_SETTINGS", "hub_api"]

DEFAULT_SETTINGS = "hub/classroom.toml"


def add_hub_parser(commands: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add ``hub`` and its actions to the ``aigc-course`` parser's sub-commands."""
    parser = commands.add_parser("hub", help=tr(
        "the classroom server: JupyterHub for a whole class on this machine (make hub)",
        "教室服务器：在这台机器上为全班运行 JupyterHub（make hub）"))
    actions = parser.add_subparsers(dest="action", required=True)
    settings_help = tr(f"the classroom's settings file (default: {DEFAULT_SETTINGS})",
                       f"教室服务器的设置文件（默认：{DEFAULT_SETTINGS}）")
    serve = actions.add_parser("serve", help=tr("start the proxy and JupyterHub; Ctrl-C stops them",
                                                "启动代理和 JupyterHub；按 Ctrl-C 停止"))
    add = actions.add_parser("add", help=tr("create learners' accounts (a password each) and let them log in",
                                            "创建学习者账户（每人一个密码），并允许他们登录"))
    add.add_argument("names", nargs="+", metavar="NAME", help=tr("account names, like ana or wang_li",
                                                                 "账户名，例如 ana 或 wang_li"))
    password = actions.add_parser("password", help=tr("give an account a new random password",
                                                      "给一个账户设置新的随机密码"))
    password.add_argument("name", metavar="NAME", help=tr("the account", "账户名"))
    listing = actions.add_parser("list", help=tr("the roster, and whose server is running",
                                                 "名册，以及谁的服务器正在运行"))
    env = actions.add_parser("env", help=tr(
        "build hub/learner-env: the course's packages for a Python every account can run (make hub-env)",
        "生成 hub/learner-env：让所有账户都能运行的 Python 使用课程的包（make hub-env）"))
    env.add_argument("--python", default="/usr/bin/python3", help=tr(
        "a Python every account can run, the same minor version as this one (default: /usr/bin/python3)",
        "一个所有账户都能运行、小版本号与当前相同的 Python（默认：/usr/bin/python3）"))
    for action in (serve, add, password, listing, env):
        action.add_argument("--settings", default=DEFAULT_SETTINGS, help=settings_help)
    parser.set_defaults(func=hub_command)
    return parser


def hub_api(settings, method: str, path: str, body: object | None = None) -> object:
    """Call the running hub's REST API as the ``classroom`` service; the decoded JSON answer."""
    from .processes import read_secret

    request = urllib.request.Request(
        f"http://127.0.0.1:{settings.hub_port}/hub/api{path}", method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": f"token {read_secret(settings, 'service')}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        raw = response.read()
    return json.loads(raw) if raw else None


def _serve(settings, settings_file: Path) -> int:
    from .accounts import add_accounts, read_roster, require_root
    from .environment import learner_python
    from .limits import CgroupLimits, detect
    from .processes import start_hub, start_proxy, stop

    require_root(tr("the classroom server", "教室服务器"))
    python = learner_python(settings_file)
    print(tr(f"learners' servers run with {python}", f"学习者的服务器使用 {python} 运行"))
    for account in add_accounts([settings.teacher], settings, on_roster=False):
        if account.password:
            print(tr(f"teacher account {account.name} created; its password (shown once): {account.password}",
                     f"已创建教师账户 {account.name}；密码（只显示这一次）：{account.password}"))
    limits = detect()
    if isinstance(limits, CgroupLimits):
        print(tr(f"limits per learner: {settings.memory_gb:g} GB memory, {settings.cpus:g} CPU cores "
                 f"(cgroup v{limits.version}; 0 means none)",
                 f"每位学习者的限制：内存 {settings.memory_gb:g} GB，CPU {settings.cpus:g} 核（cgroup v{limits.version}；0 表示不限）"))
    else:
        print(tr(f"no memory or CPU limits on this machine: {limits}", f"本机无法限制内存和 CPU：{limits}"))
    proxy = start_proxy(settings)
    try:
        hub = start_hub(settings, settings_file, python)
    except BaseException:
        stop(proxy)
        raise
    print(tr(f"the classroom is open at {settings.public_url} for {settings.teacher} and "
             f"{len(read_roster(settings))} learner(s); Ctrl-C stops the hub and the proxy "
             "(learners' servers keep running and are found again at the next start)",
             f"教室已开放：{settings.public_url}，供 {settings.teacher} 和 {len(read_roster(settings))} 位学习者使用；"
             "按 Ctrl-C 停止 hub 和代理（学习者的服务器继续运行，下次启动时会重新接上）"), flush=True)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        hub.wait()
    except KeyboardInterrupt:
        pass
    finally:
        stop(hub)
        stop(proxy)
    return 0 if hub.returncode in (0, -signal.SIGTERM) else 1


def _add(settings, names: list[str]) -> int:
    from .accounts import add_accounts

    accounts = add_accounts(names, settings)
    for account in accounts:
        if account.created:
            print(tr(f"{account.name}: created, password {account.password}",
                     f"{account.name}：已创建，密码 {account.password}"))
        else:
            print(tr(f"{account.name}: the account existed; its password and files are unchanged",
                     f"{account.name}：账户已存在；密码和文件保持不变"))
    if any(a.created for a in accounts):
        print(tr(f"the passwords are also in {settings.state_dir}/passwords-<time>.txt (root only)",
                 f"这些密码也保存在 {settings.state_dir}/passwords-<时间>.txt 中（仅 root 可读）"))
    try:
        hub_api(settings, "POST", "/users", {"usernames": [a.name for a in accounts]})
    except urllib.error.HTTPError as error:
        if error.code != 409:  # 409: they were all known to the hub already
            raise
    except (urllib.error.URLError, ConnectionError):
        return 0  # no hub running: it reads the roster when it starts
    print(tr("the running hub lets them log in now", "正在运行的 hub 现在就允许他们登录"))
    return 0


def _list(settings) -> int:
    from .accounts import read_roster

    try:
        running = {u["name"] for u in hub_api(settings, "GET", "/users") if u.get("server")}
    except (urllib.error.URLError, ConnectionError, FileNotFoundError, PermissionError):
        running = None
    for name in read_roster(settings):
        state = "" if running is None else (tr("  server running", "  服务器运行中") if name in running else "")
        print(f"{name}{state}")
    if running is None:
        print(tr("(the hub is not running, or this account cannot ask it)", "（hub 未运行，或当前账户无权查询）"))
    return 0


def hub_command(args: argparse.Namespace) -> int:
    """Run one ``aigc-course hub`` action; 2 for a bad argument or setting."""
    from .accounts import reset_password
    from .settings import load_settings

    try:
        settings = load_settings(args.settings)
        if args.action == "serve":
            return _serve(settings, Path(args.settings))
        if args.action == "add":
            return _add(settings, args.names)
        if args.action == "env":
            from .environment import LEARNER_ENV, build_learner_env, runs_for_others

            python = build_learner_env(Path(args.settings).resolve().parent / LEARNER_ENV, args.python)
            problem = runs_for_others(str(python))
            print(tr(f"built {python}" + (f"; but: {problem}" if problem else ": every account can run the course with it"),
                     f"已生成 {python}" + (f"；但是：{problem}" if problem else "：所有账户都能用它运行课程")))
            return 1 if problem else 0
        if args.action == "password":
            password = reset_password(args.name)
            print(tr(f"{args.name}: new password {password}", f"{args.name}：新密码 {password}"))
            return 0
        return _list(settings)
    except (ValueError, TypeError, OSError, RuntimeError) as error:  # RuntimeError: the hub or proxy stopped at once
        print(tr(f"aigc-course hub {args.action}: {error}", f"aigc-course hub {args.action}：{error}"))
        return 2

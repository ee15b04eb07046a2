"""The Python learners' servers run with: one every account can run, holding the course.

The hub runs as root, but each learner's server and kernels run as the learner, so their
Python, its standard library and the course's packages must be readable by every account. A
course installed with Debian's Python under ``/opt`` or ``/srv`` is; one whose Python lives in a
private folder (pyenv or conda under ``/root`` or a teacher's home) is not, and every learner's
server would fail to start with "Permission denied".

:func:`learner_python` picks the interpreter: the hub's own when every account can run it,
else the shared environment ``hub/learner-env`` that :func:`build_learner_env` (``make hub-env``)
makes: a virtual environment of a Python every account can run (default ``/usr/bin/python3``)
that sees the course's installed packages through a ``.pth`` file, and Jupyter's settings and
front end through links, so nothing is installed twice.
It must be the same minor version (the packages' compiled parts are built for it).
"""

from __future__ import annotations

import os
import pwd
import subprocess
import sys
import sysconfig
from pathlib import Path

from ..language import tr

__all__ = ["CHECK_IMPORTS", "learner_python", "runs_for_others", "build_learner_env", "LEARNER_ENV"]

#: What a learner's server imports first: the course, JupyterHub's single-user server, JupyterLab.
CHECK_IMPORTS = ("import aigc_course.classroom.singleuser, jupyterhub.singleuser, jupyterlab; "
                 "from jupyter_core.paths import jupyter_config_path as p; "
                 "import glob, sys; sys.exit(0 if any(glob.glob(d + '/jupyter_server_config.d/jupyterlab.json') "
                 "for d in p()) else 'JupyterLab is not enabled for this Python')")
#: The shared environment's folder, beside the settings file.
LEARNER_ENV = "learner-env"


def runs_for_others(python: str) -> str | None:
    """``None`` if an account with no rights (``nobody``) can run ``python`` and import the course;
    else what went wrong, in one line."""
    try:
        nobody = pwd.getpwnam("nobody")
    except KeyError:
        return tr("this machine has no account 'nobody' to check with", "本机没有用于检查的 nobody 账户")

    def become_nobody() -> None:
        os.setgid(nobody.pw_gid)
        os.setuid(nobody.pw_uid)

    try:
        done = subprocess.run([python, "-c", CHECK_IMPORTS], capture_output=True, text=True, timeout=120,
                              preexec_fn=become_nobody, cwd="/", env={"PATH": os.environ.get("PATH", ""),
                                                                     "HOME": "/tmp", "MPLCONFIGDIR": "/tmp"})
    except OSError as error:
        return f"{python}: {error.strerror or error}"
    if done.returncode:
        lines = (done.stderr or done.stdout).strip().splitlines()
        return f"{python}: {lines[-1] if lines else f'exit status {done.returncode}'}"
    return None


def learner_python(settings_file: str | os.PathLike) -> str:
    """The interpreter for learners' servers (see the module's docstring); raises ``PermissionError``
    naming both ways out when neither the hub's Python nor ``hub/learner-env`` will do."""
    own = sys.executable
    problem = runs_for_others(own)
    if problem is None:
        return own
    shared = Path(settings_file).resolve().parent / LEARNER_ENV / "bin" / "python"
    if shared.exists():
        shared_problem = runs_for_others(str(shared))
        if shared_problem is None:
            return str(shared)
        problem += "; " + shared_problem
    raise PermissionError(tr(
        f"learners' servers could not run Python ({problem}). Run make hub-env to build {shared.parent.parent} "
        "from a Python every account can run, or install the course where every account can read it (e.g. /opt)",
        f"学习者的服务器无法运行 Python（{problem}）。请运行 make hub-env，用所有账户都能运行的 Python 生成 "
        f"{shared.parent.parent}；或者把课程安装到所有账户都能读取的位置（例如 /opt）"))


def build_learner_env(dest: str | os.PathLike, base_python: str = "/usr/bin/python3") -> Path:
    """Make ``dest`` a virtual environment of ``base_python`` that sees this environment's packages
    (a ``.pth`` file adding our ``site-packages``); return its ``bin/python``."""
    dest = Path(dest).resolve()
    probe = subprocess.run([base_python, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                           capture_output=True, text=True)
    ours = f"{sys.version_info[0]}.{sys.version_info[1]}"
    if probe.returncode or probe.stdout.strip() != ours:
        found = probe.stdout.strip() or probe.stderr.strip() or "nothing"
        raise ValueError(tr(f"--python must be a Python {ours} (the course's packages are built for it); "
                            f"{base_python} gave {found}",
                            f"--python 必须是 Python {ours}（课程的包是为它构建的）；{base_python} 给出的是 {found}"))
    subprocess.run([base_python, "-m", "venv", "--without-pip", "--clear", str(dest)], check=True)
    packages = subprocess.run([str(dest / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                              capture_output=True, text=True, check=True).stdout.strip()
    # an "import" line, not a bare path, so the .pth files in there (the editable install's) are read too
    (Path(packages) / "aigc-course-packages.pth").write_text(
        f"import site; site.addsitedir({sysconfig.get_path('purelib')!r})\n", encoding="utf-8")
    # Jupyter's own settings and data live under the environment's prefix (JupyterLab enabled as a server
    # extension, its built front end, the widgets): the same ones, linked (a kernel spec's "python" is
    # replaced by the running interpreter, so the kernels run here too)
    for part in ("etc/jupyter", "share/jupyter"):
        source = Path(sys.prefix) / part
        if source.is_dir():
            (dest / part).parent.mkdir(parents=True, exist_ok=True)
            (dest / part).symlink_to(source, target_is_directory=True)
    return dest / "bin" / "python"

"""The setup cell that opens every lesson: the course on hosted Jupyter (Colab and the like).

Where ``aigc_course`` is installed (``make venv``, a wheel, a classroom server) the cell does
nothing. On a hosted runtime that has only the notebook, it installs the package with pip
from the first source it finds:

1. ``AIGC_COURSE_SOURCE``: anything ``pip install`` takes (a wheel file, a folder, a git URL);
2. an ``aigc_course-*.whl`` file in the notebook's folder (uploaded by the learner);
3. the clone the notebook lies in (a folder above it holding ``aigc_course/__init__.py``).

It installs with the package's own version ranges, not the exact pins of ``constraints.txt``,
so a hosted runtime keeps the PyTorch it has (and its GPU build). With
``AIGC_SETUP_DRY_RUN=1`` it prints what it would run and installs nothing.

The cell cannot import this module (it runs before the package exists), so its code is the
text :data:`SETUP_CELL_SOURCE`; ``tests/test_hosted.py`` checks that every notebook's first
code cell is exactly this text and that it behaves as described.
"""

from __future__ import annotations

SETUP_CELL_SOURCE = '''\
# Setup for hosted Jupyter (Colab and the like): does nothing where the course's package is installed.
# Otherwise it pip-installs aigc_course from AIGC_COURSE_SOURCE (a wheel, a folder or a git URL), else from
# an aigc_course-*.whl beside this notebook, else from the clone this notebook lies in.
import importlib.util

if importlib.util.find_spec("aigc_course") is None:
    import os, pathlib, subprocess, sys
    here = pathlib.Path.cwd()
    sources = ([os.environ["AIGC_COURSE_SOURCE"]] if os.environ.get("AIGC_COURSE_SOURCE") else []) \\
        + sorted(str(wheel) for wheel in here.glob("aigc_course-*.whl")) \\
        + [str(folder) for folder in (here.parent, here.parent.parent) if (folder / "aigc_course" / "__init__.py").is_file()]
    if not sources:
        raise RuntimeError("aigc_course is not installed and there is nothing to install it from: upload aigc_course-*.whl "
                           "beside this notebook, or set AIGC_COURSE_SOURCE to a wheel, a folder or a git URL.\\n"
                           "未安装 aigc_course，也找不到安装来源：请把 aigc_course-*.whl 上传到本笔记本所在的文件夹，"
                           "或把 AIGC_COURSE_SOURCE 设为一个 wheel 文件、文件夹或 git 地址。")
    command = [sys.executable, "-m", "pip", "install", "--quiet", sources[0]]
    print("Installing the course's package / 正在安装课程的软件包:", " ".join(command))
    if os.environ.get("AIGC_SETUP_DRY_RUN") != "1":
        subprocess.check_call(command)
        importlib.invalidate_caches()
'''

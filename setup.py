"""One build step beyond pyproject.toml: the wheel carries the course's notebooks and solutions.

The lessons stay at the top of the repository (``notebooks/``, ``notebooks/zh/``, ``solutions/``),
where a clone and an editable install read them. For a wheel, ``build_py`` also copies them into
``aigc_course/course/`` in the build folder (never into the source tree), so that an installed
package finds them at ``importlib.resources.files("aigc_course") / "course"``
(see ``aigc_course/resources.py``, ``course_root``).
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent

#: The course files a learner needs outside the repository, as globs relative to the repository.
COURSE_FILES = ("notebooks/[0-9][0-9]_*.ipynb", "notebooks/zh/[0-9][0-9]_*.ipynb", "notebooks/zh/GLOSSARY.md",
                "solutions/ex[0-9][0-9].py", "solutions/README.md")


class BuildWithCourse(build_py):
    """``build_py`` that also copies :data:`COURSE_FILES` into ``<build_lib>/aigc_course/course/``."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):  # an editable install reads the repository's folders
            return
        target = Path(self.build_lib) / "aigc_course" / "course"
        shutil.rmtree(target, ignore_errors=True)  # no file left over from an earlier build
        copied = 0
        for pattern in COURSE_FILES:
            for source in sorted(ROOT.glob(pattern)):
                destination = target / source.relative_to(ROOT)
                self.mkpath(str(destination.parent))
                self.copy_file(str(source), str(destination))
                copied += 1
        if not any(target.glob("notebooks/*.ipynb")):
            raise RuntimeError(f"no lesson notebooks found under {ROOT / 'notebooks'}: the wheel would have no course")
        print(f"copied {copied} course files into {target}")


setup(cmdclass={"build_py": BuildWithCourse})

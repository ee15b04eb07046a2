"""What runs as the learner each time their server starts: the course brought up to date, then Jupyter.

``python -m aigc_course.classroom.singleuser [ARGS ...]`` (the spawner's command) copies the
course into ``~/<course_folder>`` with :func:`aigc_course.course_copy.copy_course`, the
same merge as ``aigc-course notebooks``: on the first login every lesson is written; after the
teacher updates the course, each lesson the learner has not edited is replaced by the new
version, and one they edited is kept as it is, with the new version beside it as
``NAME.new.ipynb``. Nothing the learner saved, answers folder included, is overwritten. This is
the guarantee nbgitpuller gives, from the installed package instead of a git repository.

Then it becomes JupyterHub's single-user server (``python -m jupyterhub.singleuser ARGS``, the
same interpreter, in the same process). If the copy fails (a full disk, say) it says why in the hub's log and starts the
server anyway, so the learner can still open what they have.

Settings come from the environment the hub sets: ``AIGC_CLASSROOM_FOLDER`` and ``AIGC_CLASSROOM_EDITION``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from ..course_copy import copy_course
from ..language import tr


def update_course() -> None:
    """Copy or update the learner's course folder, printing the outcome to the hub's log."""
    folder = Path.home() / os.environ.get("AIGC_CLASSROOM_FOLDER", "aigc-course")
    try:
        report = copy_course(folder, edition=os.environ.get("AIGC_CLASSROOM_EDITION", "en"))
    except (OSError, ValueError) as error:
        print(tr(f"aigc-course classroom: the course copy in {folder} was not updated: {error}",
                 f"aigc-course 教室：{folder} 中的课程副本未能更新：{error}"), file=sys.stderr)
        return
    print(f"aigc-course classroom: {report.summary()}", file=sys.stderr)


def main(argv: list[str] | None = None) -> None:
    update_course()
    args = sys.argv[1:] if argv is None else argv
    sys.stderr.flush()
    os.execv(sys.executable, [sys.executable, "-m", "jupyterhub.singleuser", *args])


if __name__ == "__main__":
    main()

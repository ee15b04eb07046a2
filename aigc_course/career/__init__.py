"""Career reflection in the AIGC era: a published rubric, cited figures, your profile, a plan.

The pieces, one idea per module:

- :mod:`.rubric`   the E0/E1/E2 exposure rubric of Eloundou et al. (2024), as data
- :mod:`.figures`  cited exposure figures from ``data/career_*.csv``, each with its source
- :mod:`.profile`  :class:`Profile` and :class:`Task`: what the learner says about their work
- :mod:`.scoring`  time-weighted alpha/beta/zeta and the comparison with cited figures
- :mod:`.plan`     a 30/60/90-day plan, every action with its reason
- :mod:`.store`    saving answers: versioned JSON, atomic locked writes, a backup, no lost or overwritten answers
- :mod:`.export`   Markdown and HTML export
- :mod:`.charts`   the pictures; :mod:`.view` the plain-code twin of the interactive form
- :mod:`.bias`, :mod:`.memorisation`, :mod:`.authenticity`  hands-on measures of the article's risks
  (gender bias in GloVe, verbatim copying of training text, likelihood-based detection)
- :mod:`.example`  a worked example profile (a content editor); :mod:`.practice` ten tasks to label
"""

from .example import content_editor
from .export import export, to_html, to_markdown
from .figures import CAVEATS, figure_for, find, group_of, headlines, ilo_group, ilo_groups, occupations, soc_groups
from .plan import Action, Plan, make_plan
from .profile import SKILLS, Profile, Task
from .rubric import CITATION, LABELS, RUBRIC, check_label, rubric_table
from .scoring import Comparison, Scores, compare, exposure_scores
from .store import (AnswerStore, AnswersFileError, AnswersFolderError, ConcurrentSaveError, CorruptAnswersError,
                    FutureVersionError)

__all__ = [
    "content_editor", "export", "to_html", "to_markdown", "CAVEATS", "figure_for", "find", "group_of", "headlines",
    "ilo_group", "ilo_groups", "occupations", "soc_groups", "Action", "Plan", "make_plan", "SKILLS", "Profile", "Task",
    "CITATION", "LABELS", "RUBRIC", "check_label", "rubric_table", "Comparison", "Scores", "compare",
    "exposure_scores", "AnswerStore", "AnswersFileError", "AnswersFolderError", "ConcurrentSaveError",
    "CorruptAnswersError", "FutureVersionError",
]

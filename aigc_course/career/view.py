"""The plain-code view of a reflection: what the interactive form shows, as one function call.

The notebook calls :func:`show_reflection` directly (so CI and HTML exports show real
results), and the ipywidgets form calls it on every change.
"""

from __future__ import annotations

from ..language import tr
from ..validate import check_bool
from .charts import plot_exposure, plot_skills_radar
from .figures import figure_for
from .profile import Profile
from .scoring import Comparison, compare


def _pad(text: str, width: int) -> str:
    """``text`` cut and padded to ``width`` terminal columns (a Chinese character takes two)."""
    import unicodedata

    out, used = [], 0
    for ch in text:
        w = 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
        if used + w > width:
            break
        out.append(ch)
        used += w
    return "".join(out) + " " * (width - used)


def show_reflection(profile: Profile, *, radar: bool = True) -> Comparison | None:
    """Print the scores and comparison of ``profile`` and draw its charts.

    A draft profile (empty task list, shares not summing to 100%) prints what is missing,
    the cited figure it will be compared with and its skills radar, and returns ``None``;
    a complete one returns its :class:`Comparison`.
    """
    import matplotlib.pyplot as plt

    if not isinstance(profile, Profile):
        raise TypeError(tr(f"profile must be a Profile, got {type(profile).__name__}",
                           f"profile 必须是 Profile，收到的是 {type(profile).__name__}"))
    radar = check_bool(radar, "radar")
    problems = profile.problems()
    if problems:  # a draft: say what is missing, and show what is already known
        print(tr("Not complete yet: " + "; ".join(problems), "还不完整：" + "；".join(problems)))
        reference = figure_for(profile.reference)
        print(tr(f"You will be compared with {reference.title}: cited beta {reference.beta_gpt4:.3f} (GPT-4 rated), "
                 f"{reference.beta_human:.3f} (human rated).",
                 f"你将与 {reference.title} 比较：文献中的 beta 为 {reference.beta_gpt4:.3f}（GPT-4 评分）、"
                 f"{reference.beta_human:.3f}（人工评分）。"))
        if radar:
            plot_skills_radar(profile)
            plt.show()
        return None
    comparison = compare(profile)
    print(comparison.summary())
    for row in comparison.rows():
        gpt4 = "  —  " if row["beta_gpt4"] is None else f"{row['beta_gpt4']:.3f}"
        print(tr(f"  {row['who'][:52]:<52} GPT-4 {gpt4}  human {row['beta_human']:.3f}",
                 f"  {_pad(str(row['who']), 52)} GPT-4 {gpt4}  人工 {row['beta_human']:.3f}"))
    plot_exposure(profile, comparison)
    plt.show()
    if radar:
        plot_skills_radar(profile)
        plt.show()
    return comparison

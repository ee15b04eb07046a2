"""Pictures for the career lesson: your task exposure beside cited figures, the skills radar,
the SOC group means and the ILO gradients. Each function returns the matplotlib ``Figure``."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

from ..fonts import use_cjk_font
from ..language import Text, tr
from ..validate import check_choice, check_str
from .figures import GRADIENTS, ilo_groups, soc_groups
from .profile import SKILLS, Profile, skill_name
from .scoring import Comparison, exposure_scores

if TYPE_CHECKING:
    from matplotlib.figure import Figure as MplFigure

LABEL_COLOURS = {"E0": "#4c956c", "E1": "#d1495b", "E2": "#edae49"}
def _check_profile(profile: object) -> None:
    if not isinstance(profile, Profile):
        raise TypeError(tr(f"profile must be a Profile, got {type(profile).__name__}",
                           f"profile 必须是 Profile，收到的是 {type(profile).__name__}"))


RATER_COLOURS = {"GPT-4 rated": "#00798c", "human rated": "#8d6a9f", "you": "#d1495b"}
#: How the charts name the raters (the keys of :data:`RATER_COLOURS`), in the learner's language.
RATER_NAMES = {"GPT-4 rated": Text("GPT-4 rated", "GPT-4 评分"), "human rated": Text("human rated", "人工评分"),
               "you": Text("you (self-rated)", "你（自评）")}
#: The ILO gradients as the legend names them.
GRADIENT_NAMES = {"gradient_4": Text("gradient 4", "4 级梯度"), "gradient_3": Text("gradient 3", "3 级梯度"),
                  "gradient_2": Text("gradient 2", "2 级梯度"), "gradient_1": Text("gradient 1", "1 级梯度"),
                  "minimal_exposure": Text("minimal exposure", "暴露极低"), "not_exposed": Text("not exposed", "不暴露")}


def plot_exposure(profile: Profile, comparison: Comparison) -> "MplFigure":
    """Left: each task's share of time, coloured by label. Right: your beta beside the cited betas.

    ``comparison`` must be ``compare(profile)`` of the same, complete profile.
    """
    _check_profile(profile)
    if not isinstance(comparison, Comparison):
        raise TypeError(tr(f"comparison must be a Comparison from compare(profile), got {type(comparison).__name__}",
                           f"comparison 必须是 compare(profile) 得到的 Comparison，收到的是 {type(comparison).__name__}"))
    if abs(comparison.scores.beta - exposure_scores(profile).beta) > 1e-9:
        raise ValueError(tr(f"comparison was made for another profile (its beta is {comparison.scores.beta:.3f}, this "
                            f"profile's is {exposure_scores(profile).beta:.3f}): pass compare(profile)",
                            f"comparison 是为另一份档案做的（它的 beta 是 {comparison.scores.beta:.3f}，"
                            f"这份档案的是 {exposure_scores(profile).beta:.3f}）：请传入 compare(profile)"))
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    use_cjk_font()  # Chinese labels (task names, the Chinese edition) get real glyphs
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 0.45 * max(len(profile.tasks), 5) + 1.2),
                                      gridspec_kw={"width_ratios": [1.3, 1]})
    tasks = list(profile.tasks)[::-1]
    names = [textwrap.shorten(t.name, 60, placeholder="…") for t in tasks]
    names = ["\n".join(textwrap.wrap(n, 32)) for n in names]
    left.barh(names, [t.share for t in tasks], color=[LABEL_COLOURS[t.label] for t in tasks])
    left.set_xlabel(tr("share of working time (%)", "占工作时间的比例（%）"))
    left.set_title(tr("your tasks, by rubric label", "你的任务，按评分标准标签着色"))
    left.legend(handles=[Patch(color=c, label=l) for l, c in LABEL_COLOURS.items()], loc="lower right", fontsize=8)

    rows = comparison.rows()
    labels = [str(r["who"]) for r in rows]
    labels = ["\n".join(textwrap.wrap(l, 28)) for l in labels]
    y = range(len(rows))
    width = 0.38
    # row 0 is the learner (one self-rated bar); the cited rows have a GPT-4 and a human-rated bar
    right.barh([0], [rows[0]["beta_human"]], height=2 * width, color=RATER_COLOURS["you"],
               label=str(RATER_NAMES["you"]))
    right.barh([i - width / 2 for i in y][1:], [r["beta_gpt4"] for r in rows[1:]], height=width,
               color=RATER_COLOURS["GPT-4 rated"], label=str(RATER_NAMES["GPT-4 rated"]))
    right.barh([i + width / 2 for i in y][1:], [r["beta_human"] for r in rows[1:]], height=width,
               color=RATER_COLOURS["human rated"], label=str(RATER_NAMES["human rated"]))
    right.set_yticks(list(y), labels=labels)
    right.invert_yaxis()
    right.set_xlim(0, 1)
    right.set_xlabel(tr("beta exposure (0-1)", "beta 暴露度（0-1）"))
    right.set_title(tr("you (self-rated) vs cited figures", "你（自评）与引用数据的对比"))
    right.legend(loc="lower right", fontsize=8)
    fig.tight_layout()
    return fig


def plot_skills_radar(profile: Profile) -> "MplFigure":
    """The three core skills and AI-tool fluency on a 1-5 radar."""
    _check_profile(profile)
    import matplotlib.pyplot as plt
    import numpy as np

    names = [skill_name(k) for k in SKILLS] + [tr("AI-tool fluency", "AI 工具熟练度")]
    values = [profile.skills[k] for k in SKILLS] + [profile.tool_fluency]
    angles = np.linspace(0, 2 * np.pi, len(values), endpoint=False).tolist()
    use_cjk_font()  # Chinese labels (task names, the Chinese edition) get real glyphs
    fig = plt.figure(figsize=(4.6, 4.6))
    ax = fig.add_subplot(polar=True)
    ax.plot(angles + angles[:1], values + values[:1], color=RATER_COLOURS["you"])
    ax.fill(angles + angles[:1], values + values[:1], color=RATER_COLOURS["you"], alpha=0.25)
    ax.set_xticks(angles, labels=[n.replace(" and ", "\n& ") for n in names], fontsize=8)
    ax.set_ylim(0, 5)
    ax.set_yticks([1, 2, 3, 4, 5])
    ax.set_title(tr(f"self-rated skills: {profile.role}", f"技能自评：{profile.role}"), fontsize=9)
    fig.tight_layout()
    return fig


def plot_soc_groups(highlight: str | None = None) -> "MplFigure":
    """Mean beta of the 22 SOC major groups, GPT-4 vs human rated; ``highlight`` a group code such as ``"27"``."""
    import matplotlib.pyplot as plt

    groups = sorted((g for g in soc_groups() if g.kind == "soc_group"), key=lambda g: g.beta_gpt4)
    if highlight is not None:
        highlight = check_choice(check_str(highlight, "highlight").strip(), "highlight", sorted(g.code for g in groups))
    use_cjk_font()  # Chinese labels (task names, the Chinese edition) get real glyphs
    fig, ax = plt.subplots(figsize=(8, 6.5))
    y = range(len(groups))
    ax.barh([i - 0.2 for i in y], [g.beta_gpt4 for g in groups], height=0.4, color=RATER_COLOURS["GPT-4 rated"],
            label=str(RATER_NAMES["GPT-4 rated"]))
    ax.barh([i + 0.2 for i in y], [g.beta_human for g in groups], height=0.4, color=RATER_COLOURS["human rated"],
            label=str(RATER_NAMES["human rated"]))
    ax.set_yticks(list(y), labels=[f"{g.code} {g.title}" for g in groups], fontsize=8)
    overall = next(g for g in soc_groups() if g.kind == "all")
    ax.axvline(overall.beta_gpt4, color=RATER_COLOURS["GPT-4 rated"], ls="--", lw=1,
               label=tr("all occupations (GPT-4)", "全部职业（GPT-4）"))
    ax.axvline(overall.beta_human, color=RATER_COLOURS["human rated"], ls=":", lw=1,
               label=tr("all occupations (human)", "全部职业（人工）"))
    if highlight is not None:
        for tick, g in zip(ax.get_yticklabels(), groups):
            if g.code == highlight:
                tick.set_fontweight("bold")
    ax.set_xlabel(tr("mean beta exposure over the group's occupations (unweighted)",
                     "大类内各职业 beta 暴露度的均值（不加权）"))
    ax.set_title(tr("Eloundou et al. (2024): exposure by US SOC major group", "Eloundou 等（2024）：美国 SOC 各大类的暴露度"))
    ax.legend(fontsize=8, loc="lower right")
    fig.tight_layout()
    return fig


def plot_ilo_gradients() -> "MplFigure":
    """How many occupations of each ISCO-08 major group fall in each ILO 2025 exposure gradient."""
    import matplotlib.pyplot as plt

    groups = list(ilo_groups())
    colours = ["#7b0d1e", "#d1495b", "#edae49", "#f3d9a4", "#cfe3d3", "#4c956c"]
    use_cjk_font()  # Chinese labels (task names, the Chinese edition) get real glyphs
    fig, ax = plt.subplots(figsize=(8.5, 4.3))
    left = [0] * len(groups)
    labels = [f"{g.isco} {g.title}" for g in groups]
    for gradient, colour in zip(GRADIENTS, colours):
        counts = [g.gradients[gradient] for g in groups]
        ax.barh(labels, counts, left=left, color=colour, label=str(GRADIENT_NAMES[gradient]))
        left = [a + b for a, b in zip(left, counts)]
    ax.invert_yaxis()
    ax.set_xlabel(tr("number of occupations", "职业数"))
    ax.set_title(tr("ILO 2025 refined index: occupations by exposure gradient", "ILO 2025 改进版指数：各暴露梯度的职业数"))
    ax.legend(fontsize=7, ncols=6, loc="upper center", bbox_to_anchor=(0.4, -0.15), frameon=False)
    fig.tight_layout()
    return fig

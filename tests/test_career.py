"""The career lesson: rubric, cited figures, profile checks, time-weighted scores, plan, export."""

import csv
from pathlib import Path

import pytest

from aigc_course.career import (
    CAVEATS, LABELS, Profile, Task, compare, content_editor, export, exposure_scores, figure_for, find, group_of,
    headlines, ilo_group, ilo_groups, make_plan, occupations, soc_groups, to_html, to_markdown,
)
from aigc_course.career.figures import data_dir, sources

DATA = Path(__file__).resolve().parents[1] / "aigc_course" / "data"
SKILLS_OK = {"creative_thinking": 3, "communication": 3, "emotional_intelligence": 3}


def _profile(*tasks, **kw):
    return Profile(role="tester", tasks=tuple(Task(*t) for t in tasks), skills=dict(SKILLS_OK), **kw)


# ---------------------------------------------------------------------------- scores
def test_scores_of_hand_computed_profiles():
    s = exposure_scores(_profile(("a", 50, "E1"), ("b", 50, "E0")))
    assert (s.alpha, s.beta, s.zeta) == pytest.approx((0.5, 0.5, 0.5))
    s = exposure_scores(_profile(("a", 20, "E1"), ("b", 40, "E2"), ("c", 40, "E0")))
    assert (s.alpha, s.beta, s.zeta) == pytest.approx((0.2, 0.4, 0.6))
    s = exposure_scores(_profile(("only", 100, "E2")))
    assert (s.alpha, s.beta, s.zeta) == pytest.approx((0.0, 0.5, 1.0))
    s = exposure_scores(_profile(("x", 100, "e0")))  # labels are case-insensitive
    assert (s.alpha, s.beta, s.zeta) == (0.0, 0.0, 0.0)


def test_worked_example_matches_its_docstring():
    s = exposure_scores(content_editor())
    assert (s.alpha, s.beta, s.zeta) == pytest.approx((0.55, 0.675, 0.80))
    assert s.time_by_label == pytest.approx({"E0": 20.0, "E1": 55.0, "E2": 25.0})


def test_scores_are_ordered_and_time_weighted():
    # the same labels with different time shares give different scores: time, not task count, matters
    few = exposure_scores(_profile(("write", 10, "E1"), ("build", 90, "E0")))
    many = exposure_scores(_profile(("write", 90, "E1"), ("build", 10, "E0")))
    assert few.beta == pytest.approx(0.1) and many.beta == pytest.approx(0.9)
    for s in (few, many, exposure_scores(content_editor())):
        assert 0 <= s.alpha <= s.beta <= s.zeta <= 1


def test_shares_within_rounding_tolerance_are_normalised():
    s = exposure_scores(_profile(("a", 33.3, "E1"), ("b", 33.3, "E1"), ("c", 33.3, "E0")))
    assert s.alpha == pytest.approx(2 / 3)


# ---------------------------------------------------------------------------- bad input
def test_shares_not_summing_to_100_say_the_sum():
    with pytest.raises(ValueError, match="sum to 90%"):
        exposure_scores(_profile(("a", 50, "E1"), ("b", 40, "E0")))
    with pytest.raises(ValueError, match="sum to 120%"):
        exposure_scores([Task("a", 60, "E1"), Task("b", 60, "E0")])


@pytest.mark.parametrize("share", [-10, 0, 101, float("nan"), float("inf")])
def test_bad_shares_are_rejected(share):
    with pytest.raises(ValueError, match="share of task 'a'"):
        Task("a", share, "E1")


def test_bad_task_fields():
    with pytest.raises(TypeError, match="share"):
        Task("a", "50", "E1")
    with pytest.raises(ValueError, match="not a rubric label.*E0, E1, E2"):
        Task("a", 50, "E3")
    with pytest.raises(TypeError, match="label"):
        Task("a", 50, 1)
    with pytest.raises(ValueError, match="task name"):
        Task("  ", 50, "E1")


def test_empty_task_list():
    with pytest.raises(ValueError, match="task list is empty"):
        exposure_scores(Profile(role="tester"))
    with pytest.raises(ValueError, match="tasks is empty"):
        exposure_scores([])
    with pytest.raises(ValueError, match="task list is empty"):
        make_plan(Profile(role="tester"))


@pytest.mark.parametrize("rating", [0, 6, -1])
def test_ratings_out_of_range(rating):
    with pytest.raises(ValueError, match=r"from 1 \(weak\) to 5"):
        Profile(role="r", skills={**SKILLS_OK, "communication": rating})
    with pytest.raises(ValueError, match="tool_fluency"):
        Profile(role="r", tool_fluency=rating)


def test_bad_profile_fields():
    with pytest.raises(TypeError, match="integer"):
        Profile(role="r", skills={**SKILLS_OK, "communication": 3.5})
    with pytest.raises(ValueError, match="missing: emotional_intelligence"):
        Profile(role="r", skills={"creative_thinking": 3, "communication": 3})
    with pytest.raises(ValueError, match="unknown: charm"):
        Profile(role="r", skills={**SKILLS_OK, "charm": 5})
    with pytest.raises(ValueError, match="no cited figure"):
        Profile(role="r", reference="99-9999.00")
    with pytest.raises(ValueError, match="ISCO-08"):
        Profile(role="r", isco_group="0")
    with pytest.raises(ValueError, match="distinct names"):
        _profile(("write", 50, "E1"), ("Write", 50, "E0"))
    with pytest.raises(TypeError, match=r"tasks\[0\]"):
        Profile(role="r", tasks=[("write", 100, "E1")])
    with pytest.raises(ValueError, match="role"):
        Profile(role="")


def test_profile_round_trips_through_dict():
    p = content_editor()
    assert Profile.from_dict(p.to_dict()) == p
    with pytest.raises(ValueError, match="unknown fields: age"):
        Profile.from_dict({**p.to_dict(), "age": 40})


# ---------------------------------------------------------------------------- figures
def test_every_figure_row_has_a_source():
    for name in ("career_soc_groups.csv", "career_occupations.csv", "career_ilo_groups.csv", "career_headlines.csv"):
        with (DATA / name).open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        assert rows, name
        for row in rows:
            assert len(row["source"]) > 40, (name, row)
            assert ("Eloundou" in row["source"]) or ("ILO Working Paper 140" in row["source"]), row
    assert data_dir() == DATA


def test_cited_figures_are_the_published_ones():
    editors = figure_for("27-3041.00")
    assert (editors.title, editors.beta_gpt4, editors.beta_human) == ("Editors", 0.65, 0.65)
    assert figure_for("37-2011.00").beta_gpt4 == 0.0 and figure_for("15-2021.00").beta_gpt4 == 1.0
    assert figure_for("27-3023.00").title == "News Analysts, Reporters, and Journalists"
    assert group_of("27-3041.00").code == "27" and group_of("27-3041.00").beta_human == 0.375
    assert figure_for("all").n_occupations == 923
    assert len(occupations()) == 40 and len(soc_groups()) == 23
    assert {h.key: h.share_of_workforce for h in headlines()} == {"us_workforce_10pct": 0.80, "us_workforce_50pct": 0.19}
    assert [f.title for f in find("editor")] == ["Editors", "Film and Video Editors"]


def test_soc_groups_add_up_to_the_all_row():
    groups = [g for g in soc_groups() if g.kind == "soc_group"]
    total = figure_for("all")
    assert sum(g.n_occupations for g in groups) == total.n_occupations == 923
    # the all-occupation mean is the occupation-weighted mean of the group means (up to 3-decimal rounding)
    for field in ("beta_gpt4", "beta_human"):
        mean = sum(g.n_occupations * getattr(g, field) for g in groups) / total.n_occupations
        assert mean == pytest.approx(getattr(total, field), abs=0.001)


def test_ilo_gradient_counts_add_up():
    groups = ilo_groups()
    assert [g.isco for g in groups] == [str(i) for i in range(1, 10)]
    for g in groups:
        assert sum(g.gradients.values()) == g.n_occupations, g
        assert 0 < g.mean_score < 1
    assert sum(g.n_occupations for g in groups) == 427
    assert max(groups, key=lambda g: g.mean_score).title == "Clerical support workers"
    assert ilo_group("4").gradients["gradient_4"] == 8


def test_figure_lookup_errors():
    with pytest.raises(ValueError, match="no cited figure"):
        figure_for("27-9999.00")
    with pytest.raises(TypeError, match="code"):
        figure_for(27)
    with pytest.raises(ValueError, match="non-empty"):
        find(" ")


# ---------------------------------------------------------------------------- comparison
def test_comparison_with_reference_group_and_all():
    c = compare(content_editor())
    rows = c.rows()
    assert [r["who"] for r in rows][1:] == ["Editors", "SOC 27: Arts, design, entertainment, sports & media",
                                             "all 923 occupations"]
    assert rows[0]["beta_human"] == 0.675 and rows[0]["beta_gpt4"] is None
    assert c.groups_below_gpt4 == 21 and c.n_groups == 22  # only SOC 15 (0.745) is above 0.675
    assert "not that the job goes away" in c.summary()
    group_ref = compare(Profile(role="r", reference="47", tasks=(Task("lay bricks", 100, "E0"),)))
    assert [r["who"] for r in group_ref.rows()][1:] == ["SOC 47: Construction & extraction", "all 923 occupations"]
    assert group_ref.groups_below_gpt4 == 0


# ---------------------------------------------------------------------------- plan and export
def test_plan_turns_every_task_into_a_reasoned_action():
    profile = content_editor()
    plan = make_plan(profile)
    titles = " ".join(a.title for a in plan.actions)
    for task in profile.tasks:
        if task.label in ("E1", "E2"):
            assert task.name in titles
    assert all(a.why and a.how and a.day in (30, 60, 90) for a in plan.actions)
    assert [a.day for a in plan.actions] == sorted(a.day for a in plan.actions)
    kinds = {a.kind for a in plan.actions}
    assert {"delegate", "pilot", "keep", "learn", "skill", "risk", "review"} <= kinds
    # the weakest skill (emotional intelligence, 2/5) is practised first
    first_skill = next(a for a in plan.actions if a.kind == "skill")
    assert first_skill.day == 30 and "emotional intelligence" in first_skill.title
    assert any("05_gan" in a.title for a in plan.actions)  # the image task links to the image lessons


def test_plan_depends_on_what_the_learner_says():
    fluent = Profile(role="r", tool_fluency=5, tasks=(Task("weld pipes", 100, "E0"),),
                     skills={"creative_thinking": 5, "communication": 5, "emotional_intelligence": 5})
    plan = make_plan(fluent)
    assert not any(a.kind in ("delegate", "pilot", "learn", "risk") for a in plan.actions)
    assert any(a.kind == "keep" for a in plan.actions)
    hiring = _profile(("screen job applications", 100, "E2"))
    assert any("bias" in a.title for a in make_plan(hiring).actions)


def test_delegate_actions_fit_any_role_not_only_editors():
    nurse = Profile(role="ward nurse", tasks=(Task("Write shift handover notes", 30, "E1"),
                                               Task("Care for patients", 70, "E0")))
    delegate = [a for a in make_plan(nurse).actions if a.kind == "delegate"]
    assert delegate and all("editor" not in (a.title + a.how + a.why).lower() for a in delegate)
    assert all("judge" in a.how for a in delegate)  # the person keeps the judgement, whatever the role


def test_an_action_prints_readably_and_the_plan_uses_the_same_lines():
    plan = make_plan(content_editor())
    action = plan.actions[0]
    text = str(action)
    assert not text.startswith("Action(") and "kind=" not in text
    assert text.splitlines()[0] == f"By day {action.day}: [{action.kind}] {action.title}"
    assert f"how: {action.how}" in text and f"why: {action.why}" in text
    assert f"  - [{action.kind}] {action.title}\n      how: {action.how}\n      why: {action.why}" in str(plan)


def test_markdown_export_has_plan_figures_and_sources(tmp_path):
    profile = content_editor()
    md = to_markdown(profile)
    for action in make_plan(profile).actions:
        assert action.title in md
    for source in sources():
        assert source in md
    assert "0.650" in md and "0.345" in md and "| Editors |" in md
    assert all(caveat in md for caveat in CAVEATS)
    path = export(profile, tmp_path / "plan.md")
    assert path.read_text(encoding="utf-8") == md
    html_path = export(profile, tmp_path / "plan.html")
    page = html_path.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<table>" in page and "Eloundou" in page
    assert "中英互译" in page and "Meet writers" in to_html(profile, charts=False)
    assert page.count('src="data:image/png;base64,') == 2 and "data:image" not in md
    with pytest.raises(ValueError, match=".md, .html"):
        export(profile, tmp_path / "plan.pdf")


def test_every_label_is_documented():
    from aigc_course.career import RUBRIC, rubric_table

    assert LABELS == ("E0", "E1", "E2")
    assert [r["label"] for r in rubric_table()] == list(LABELS)
    assert (RUBRIC["E2"].alpha_weight, RUBRIC["E2"].beta_weight, RUBRIC["E2"].zeta_weight) == (0.0, 0.5, 1.0)


def test_chinese_profile_flows_through_plan_store_and_export(tmp_path):
    from aigc_course.career import AnswerStore

    profile = Profile(role="新媒体编辑", reference="27-3041.00", tasks=(
        Task("撰写产品文案和社交媒体帖子", 50, "E1", "中文写作"),
        Task("根据用户数据做选题分析", 20, "E2"),
        Task("与作者沟通、协调进度", 30, "E0"),
    ), skills={"creative_thinking": 4, "communication": 2, "emotional_intelligence": 3}, tool_fluency=3)
    assert exposure_scores(profile).beta == pytest.approx(0.6)
    titles = " ".join(a.title for a in make_plan(profile).actions)
    assert "撰写产品文案和社交媒体帖子" in titles and "根据用户数据做选题分析" in titles
    store = AnswerStore(tmp_path)
    store.save(profile)
    assert store.load() == profile
    assert "新媒体编辑" in export(profile, tmp_path / "plan.html").read_text(encoding="utf-8")


def test_chinese_task_names_get_a_font_with_their_glyphs():
    import warnings

    import matplotlib.pyplot as plt

    from aigc_course.career.charts import plot_exposure
    from aigc_course.fonts import cjk_family

    if cjk_family() is None:
        pytest.skip("no font with Chinese glyphs installed on this machine")
    profile = Profile(role="编辑", tasks=(Task("撰写文案", 60, "E1"), Task("与作者沟通", 40, "E0")))
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message="Glyph .* missing")
        figure = plot_exposure(profile, compare(profile))
        figure.canvas.draw()
    plt.close(figure)


def test_the_career_lesson_never_imports_torch():
    import subprocess
    import sys

    code = ("import sys, aigc_course.career, aigc_course.career.view, aigc_course.exercises.ex08\n"
            "from aigc_course.lesson import Lesson\n"
            "Lesson('08', seed=None)\n"
            "sys.exit('torch' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True).returncode == 0, "torch was imported"


def test_the_plan_links_every_lesson_by_its_number():
    from aigc_course.career.plan import COURSE

    notebooks = sorted(p.name for p in (Path(__file__).resolve().parents[1] / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    assert all(name.startswith(f"{number}_") for number, (name, _) in COURSE.items()), COURSE
    assert sorted(name for name, _ in COURSE.values()) == notebooks, "plan.COURSE must list notebooks/ exactly"

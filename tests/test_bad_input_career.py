"""Bad input to the career lesson is refused at the boundary with an error that names the parameter.

One table per module: (callable, kwargs, error type, message fragment). Each case checks the
exception type AND that the message names the parameter; the valid edge cases below check
that the checks do not refuse what the notebooks and the form pass.
"""

import math
import shutil
import tempfile
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from aigc_course.career import (
    AnswerStore, Profile, Task, check_label, compare, content_editor, export, exposure_scores, figure_for, find,
    group_of, ilo_group, make_plan, to_html, to_markdown,
)
from aigc_course.career import figures as figures_module
from aigc_course.career.authenticity import detection_auc, score_lines
from aigc_course.career.bias import Projection, gender_direction, gender_projections, plot_projections
from aigc_course.career.charts import plot_exposure, plot_skills_radar, plot_soc_groups
from aigc_course.career.memorisation import MAX_SPAN, VerbatimIndex, copied_fraction, copy_report
from aigc_course.career.plan import Action, Plan
from aigc_course.career.profile import MAX_TASKS
from aigc_course.career.scoring import scores_from_time
from aigc_course.career.view import show_reflection
from aigc_course.data import GloVe

NAN, INF = float("nan"), float("inf")
SKILLS_OK = {"creative_thinking": 3, "communication": 3, "emotional_intelligence": 3}
EDITOR = content_editor()
OTHER = Profile(role="welder", tasks=(Task("weld pipes", 100, "E0"),))
DRAFT = Profile(role="draft")
PLAN = make_plan(EDITOR)
INDEX = VerbatimIndex("to be or not to be, that is the question", 4)
TMP = Path(tempfile.mkdtemp(prefix="aigc-bad-input-career-"))


def _tiny_glove(n: int = 150) -> GloVe:
    """A 150-word stand-in for GloVe (random vectors), so that bias checks run without loading 400,000 words."""
    words = ["he", "she", "man", "woman", "nurse", "engineer"] + [f"w{i}" for i in range(n - 6)]
    vectors = np.random.default_rng(0).normal(size=(n, 50)).astype(np.float32)
    return GloVe(words=words, vectors=vectors, index={w: i for i, w in enumerate(words)})


GLOVE = _tiny_glove()


@pytest.fixture(scope="module", autouse=True)
def _remove_temporary_folder():
    yield
    shutil.rmtree(TMP, ignore_errors=True)
    plt.close("all")


def _task(**kw):
    return Task(**{"name": "a", "share": 50, "label": "E1", **kw})


def _profile(**kw):
    return Profile(**{"role": "r", **kw})


def _skills(**kw):
    return Profile(role="r", skills={**SKILLS_OK, **kw})


def _store(**kw):
    return AnswerStore(**{"folder": TMP / "store", **kw})


def _save(**kw):
    return AnswerStore(TMP / "save").save(**{"profile": EDITOR, **kw})


def _many_tasks(n):
    return tuple(Task(f"task {i}", 100 / n, "E0") for i in range(n))


PROFILE_CASES = [
    (_task, {"name": 3}, TypeError, "task name"),
    (_task, {"name": "   "}, ValueError, "task name"),
    (_task, {"share": NAN}, ValueError, "share of task 'a'"),
    (_task, {"share": INF}, ValueError, "share of task 'a'"),
    (_task, {"share": True}, TypeError, "share of task 'a'"),
    (_task, {"share": "50"}, TypeError, "share of task 'a'"),
    (_task, {"share": 0}, ValueError, "share of task 'a'"),
    (_task, {"share": 100.5}, ValueError, "share of task 'a'"),
    (_task, {"label": "E9"}, ValueError, "label of task 'a'"),
    (_task, {"label": None}, TypeError, "label of task 'a'"),
    (_task, {"note": 5}, TypeError, "note of task 'a'"),
    (_profile, {"role": None}, TypeError, "role"),
    (_profile, {"role": ""}, ValueError, "role"),
    (_profile, {"reference": 27}, TypeError, "reference"),
    (_profile, {"reference": "99-9999.00"}, ValueError, "reference"),
    (_profile, {"tasks": "write reports"}, TypeError, "tasks"),
    (_profile, {"tasks": 5}, TypeError, "tasks"),
    (_profile, {"tasks": [("write", 100, "E1")]}, TypeError, "tasks[0]"),
    (_profile, {"tasks": _many_tasks(MAX_TASKS + 1)}, ValueError, "tasks"),
    (_profile, {"skills": [3, 3, 3]}, TypeError, "skills"),
    (_skills, {"communication": True}, TypeError, "skills['communication']"),
    (_skills, {"communication": 3.0}, TypeError, "skills['communication']"),
    (_skills, {"communication": NAN}, TypeError, "skills['communication']"),
    (_skills, {"communication": 6}, ValueError, "skills['communication']"),
    (lambda **kw: Profile(role="r", skills={**SKILLS_OK, 1: 3, "charm": 2}), {}, ValueError, "skills"),
    (_profile, {"tool_fluency": True}, TypeError, "tool_fluency"),
    (_profile, {"tool_fluency": 0}, ValueError, "tool_fluency"),
    (_profile, {"tool_fluency": "5"}, TypeError, "tool_fluency"),
    (_profile, {"isco_group": True}, TypeError, "isco_group"),
    (_profile, {"isco_group": 2.0}, TypeError, "isco_group"),
    (_profile, {"isco_group": "0"}, ValueError, "isco_group"),
    (_profile, {"reflections": ["q"]}, TypeError, "reflections"),
    (_profile, {"reflections": {1: "a"}}, TypeError, "reflection question"),
    (_profile, {"reflections": {"q": 5}}, TypeError, "answer to 'q'"),
    (_profile, {"reflections": {"q": "a", " q ": "b"}}, ValueError, "reflections"),
    (EDITOR.with_tasks, {"tasks": "abc"}, TypeError, "tasks"),
    (EDITOR.with_tasks, {"tasks": 5}, TypeError, "tasks"),
    (Profile.from_dict, {"data": [("role", "x")]}, TypeError, "profile data"),
    (Profile.from_dict, {"data": {"role": "x", "age": 40}}, ValueError, "age"),
    (Profile.from_dict, {"data": {"role": "x", "tasks": [{"name": "t", "share": 5, "label": "E1", "hours": 1}]}},
     ValueError, "tasks[0]"),
    (Profile.from_dict, {"data": {"role": "x", "tasks": [{"name": "t", "label": "E1"}]}}, ValueError, "tasks[0]"),
    (Profile.from_dict, {"data": {"role": "x", "tasks": "t"}}, TypeError, "tasks"),
    (DRAFT.require_complete, {}, ValueError, "task list"),
]

SCORING_CASES = [
    (exposure_scores, {"tasks": "write"}, TypeError, "tasks"),
    (exposure_scores, {"tasks": 5}, TypeError, "tasks"),
    (exposure_scores, {"tasks": {"write": 100}}, TypeError, "tasks"),
    (exposure_scores, {"tasks": [("a", 100, "E1")]}, TypeError, "tasks[0]"),
    (exposure_scores, {"tasks": []}, ValueError, "tasks"),
    (exposure_scores, {"tasks": [Task("a", 60, "E1")]}, ValueError, "time shares"),
    (exposure_scores, {"tasks": DRAFT}, ValueError, "task list"),
    (scores_from_time, {"time_by_label": [20, 55, 25]}, TypeError, "time_by_label"),
    (scores_from_time, {"time_by_label": {"E0": 100}}, ValueError, "time_by_label"),
    (scores_from_time, {"time_by_label": {"E0": NAN, "E1": 50, "E2": 50}}, ValueError, "time_by_label['E0']"),
    (scores_from_time, {"time_by_label": {"E0": -10, "E1": 60, "E2": 50}}, ValueError, "time_by_label['E0']"),
    (scores_from_time, {"time_by_label": {"E0": "20", "E1": 55, "E2": 25}}, TypeError, "time_by_label['E0']"),
    (scores_from_time, {"time_by_label": {"E0": 10, "E1": 10, "E2": 10}}, ValueError, "time_by_label"),
    (compare, {"profile": "content editor"}, TypeError, "profile"),
    (compare, {"profile": DRAFT}, ValueError, "task list"),
]

PLAN_CASES = [
    (make_plan, {"profile": None}, TypeError, "profile"),
    (make_plan, {"profile": DRAFT}, ValueError, "task list"),
    (PLAN.by_day, {"day": 45}, ValueError, "day"),
    (PLAN.by_day, {"day": "30"}, TypeError, "day"),
    (PLAN.by_day, {"day": True}, TypeError, "day"),
    (PLAN.by_day, {"day": 30.0}, TypeError, "day"),
    (Action, {"day": 31, "kind": "keep", "title": "t", "how": "h", "why": "w"}, ValueError, "day"),
    (Action, {"day": 30, "kind": "relax", "title": "t", "how": "h", "why": "w"}, ValueError, "kind"),
    (Action, {"day": 30, "kind": "keep", "title": "", "how": "h", "why": "w"}, ValueError, "title"),
    (Action, {"day": 30, "kind": "keep", "title": "t", "how": None, "why": "w"}, TypeError, "how"),
    (Plan, {"role": "", "actions": ()}, ValueError, "role"),
    (Plan, {"role": "r", "actions": "abc"}, TypeError, "actions"),
    (Plan, {"role": "r", "actions": [1]}, TypeError, "actions[0]"),
]

FIGURE_CASES = [
    (check_label, {"label": 1}, TypeError, "label"),
    (check_label, {"label": "E3"}, ValueError, "label"),
    (figure_for, {"code": 27}, TypeError, "code"),
    (figure_for, {"code": None}, TypeError, "code"),
    (figure_for, {"code": "27-9999.00"}, ValueError, "code"),
    (group_of, {"code": 1.5}, TypeError, "code"),
    (ilo_group, {"isco": True}, TypeError, "isco"),
    (ilo_group, {"isco": None}, TypeError, "isco"),
    (ilo_group, {"isco": [1]}, TypeError, "isco"),
    (ilo_group, {"isco": "0"}, ValueError, "isco"),
    (find, {"text": 3}, TypeError, "text"),
    (find, {"text": " "}, ValueError, "text"),
]

EXPORT_CASES = [
    (to_markdown, {"profile": "x"}, TypeError, "profile"),
    (to_markdown, {"profile": EDITOR, "plan": "my plan"}, TypeError, "plan"),
    (to_markdown, {"profile": EDITOR, "plan": make_plan(OTHER)}, ValueError, "plan"),
    (to_html, {"profile": EDITOR, "charts": "yes"}, TypeError, "charts"),
    (to_html, {"profile": DRAFT}, ValueError, "task list"),
    (export, {"profile": EDITOR, "path": 5}, TypeError, "path"),
    (export, {"profile": EDITOR, "path": ""}, ValueError, "path"),
    (export, {"profile": EDITOR, "path": TMP / "plan.pdf"}, ValueError, "path"),
    (export, {"profile": EDITOR, "path": TMP}, ValueError, "path"),  # no suffix: not .md/.html
    (export, {"profile": {"role": "x"}, "path": TMP / "plan.md"}, TypeError, "profile"),
]

CHART_CASES = [
    (plot_exposure, {"profile": "x", "comparison": None}, TypeError, "profile"),
    (plot_exposure, {"profile": EDITOR, "comparison": "c"}, TypeError, "comparison"),
    (plot_exposure, {"profile": EDITOR, "comparison": compare(OTHER)}, ValueError, "comparison"),
    (plot_skills_radar, {"profile": None}, TypeError, "profile"),
    (plot_soc_groups, {"highlight": 27}, TypeError, "highlight"),
    (plot_soc_groups, {"highlight": "99"}, ValueError, "highlight"),
    (show_reflection, {"profile": "x"}, TypeError, "profile"),
    (show_reflection, {"profile": EDITOR, "radar": "no"}, TypeError, "radar"),
]

STORE_CASES = [
    (_store, {"folder": 3}, TypeError, "folder"),
    (_store, {"folder": ""}, ValueError, "folder"),
    (_store, {"name": "career.txt"}, ValueError, "name"),
    (_store, {"name": "../career.json"}, ValueError, "name"),
    (_save, {"profile": {"role": "x"}}, TypeError, "profile"),
    (_save, {"overwrite": "yes"}, TypeError, "overwrite"),
    (_save, {"keep_unreadable": 1}, TypeError, "keep_unreadable"),
]

MEMORISATION_CASES = [
    (VerbatimIndex, {"training_text": 5}, TypeError, "training_text"),
    (VerbatimIndex, {"training_text": ""}, ValueError, "training_text"),
    (VerbatimIndex, {"training_text": "abc", "span": 0}, ValueError, "span"),
    (VerbatimIndex, {"training_text": "abc", "span": 2.5}, TypeError, "span"),
    (VerbatimIndex, {"training_text": "abc", "span": True}, TypeError, "span"),
    (VerbatimIndex, {"training_text": "abc", "span": "3"}, TypeError, "span"),
    (VerbatimIndex, {"training_text": "abc", "span": 10**9}, ValueError, "span"),  # would take span passes
    (INDEX.window_found, {"generated": ["a", "b"]}, TypeError, "generated"),
    (INDEX.copied_mask, {"generated": 5}, TypeError, "generated"),
    (INDEX.copied_fraction, {"generated": None}, TypeError, "generated"),
    (INDEX.copied_fraction, {"generated": ""}, ValueError, "generated"),
    (INDEX.longest_copy, {"generated": b"bytes"}, TypeError, "generated"),
    (copied_fraction, {"generated": "abc", "training_text": 5}, TypeError, "training_text"),
    (copy_report, {"name": 5, "generated": "abc", "index": INDEX}, TypeError, "name"),
    (copy_report, {"name": "n", "generated": "abc", "index": "index"}, TypeError, "index"),
]

AUTHENTICITY_CASES = [
    (score_lines, {"score": 3, "lines": ["a"]}, TypeError, "score"),
    (score_lines, {"score": len, "lines": "one line"}, TypeError, "lines"),
    (score_lines, {"score": len, "lines": 5}, TypeError, "lines"),
    (score_lines, {"score": len, "lines": []}, ValueError, "lines"),
    (score_lines, {"score": len, "lines": ["a", 3]}, TypeError, "lines[1]"),
    (score_lines, {"score": lambda line: NAN, "lines": ["a"]}, ValueError, "score(lines[0])"),
    (score_lines, {"score": lambda line: "low", "lines": ["a"]}, TypeError, "score(lines[0])"),
    (detection_auc, {"generated_scores": "1.0", "human_scores": [1.0]}, TypeError, "generated_scores"),
    (detection_auc, {"generated_scores": [1.0], "human_scores": None}, TypeError, "human_scores"),
    (detection_auc, {"generated_scores": [1.0, "a"], "human_scores": [1.0]}, TypeError, "generated_scores"),
    (detection_auc, {"generated_scores": [[1.0, 2.0]], "human_scores": [1.0]}, ValueError, "generated_scores"),
    (detection_auc, {"generated_scores": [], "human_scores": [1.0]}, ValueError, "generated_scores"),
    (detection_auc, {"generated_scores": [1.0], "human_scores": [2.0, INF]}, ValueError, "human_scores[1]"),
]

BIAS_CASES = [
    (gender_direction, {"pairs": [], "glove": GLOVE}, ValueError, "pairs"),
    (gender_direction, {"pairs": "he she", "glove": GLOVE}, TypeError, "pairs"),
    (gender_direction, {"pairs": [("he",)], "glove": GLOVE}, TypeError, "pairs[0]"),
    (gender_direction, {"pairs": [("he", 3)], "glove": GLOVE}, TypeError, "pairs[0]"),
    (gender_direction, {"pairs": [("he", "she")], "glove": "glove"}, TypeError, "glove"),
    (gender_projections, {"words": "nurse", "glove": GLOVE}, TypeError, "words"),
    (gender_projections, {"words": ["nurse", 1], "glove": GLOVE}, TypeError, "words[1]"),
    (gender_projections, {"words": ["nurse"], "n_reference": 5, "glove": GLOVE}, ValueError, "n_reference"),
    (gender_projections, {"words": ["nurse"], "n_reference": 100.5, "glove": GLOVE}, TypeError, "n_reference"),
    (gender_projections, {"words": ["nurse"], "n_reference": True, "glove": GLOVE}, TypeError, "n_reference"),
    (gender_projections, {"words": ["nurse"], "n_reference": 10**9, "glove": GLOVE}, ValueError, "n_reference"),
    (gender_projections, {"words": ["nurse"], "glove": 5}, TypeError, "glove"),
    (plot_projections, {"projections": "nurse"}, TypeError, "projections"),
    (plot_projections, {"projections": []}, ValueError, "projections"),
    (plot_projections, {"projections": [1]}, TypeError, "projections[0]"),
    (plot_projections, {"projections": [Projection("w", 0.0, 0.0)] * 201}, ValueError, "projections"),
]

CASES = {
    "profile": PROFILE_CASES, "scoring": SCORING_CASES, "plan": PLAN_CASES, "figures": FIGURE_CASES,
    "export": EXPORT_CASES, "charts": CHART_CASES, "store": STORE_CASES, "memorisation": MEMORISATION_CASES,
    "authenticity": AUTHENTICITY_CASES, "bias": BIAS_CASES,
}
TABLE = [pytest.param(*case, id=f"{module}-{i}") for module, cases in CASES.items() for i, case in enumerate(cases)]


@pytest.mark.parametrize("function, kwargs, error, fragment", TABLE)
def test_bad_input_is_refused_with_a_message_naming_the_parameter(function, kwargs, error, fragment):
    start = time.monotonic()
    with pytest.raises(error) as caught:
        function(**kwargs)
    assert fragment in str(caught.value), f"{caught.value!r} does not name {fragment!r}"
    assert time.monotonic() - start < 5  # refused before any real work
    plt.close("all")


# ------------------------------------------------------------ damaged course data (aigc_course/data/career_*.csv)
def _clear_figure_caches():
    for cached in (figures_module.soc_groups, figures_module.occupations, figures_module.ilo_groups,
                   figures_module.headlines):
        cached.cache_clear()


@pytest.fixture
def data_copy(tmp_path, monkeypatch):
    """A copy of the data folder that a test may damage; AIGC_DATA points at it while the test runs."""
    copy = tmp_path / "data"
    shutil.copytree(figures_module.data_dir(), copy)
    monkeypatch.setenv("AIGC_DATA", str(copy))
    _clear_figure_caches()
    yield copy
    monkeypatch.undo()
    _clear_figure_caches()


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


DAMAGE = {
    "missing column": ("career_occupations.csv", "onet_soc,title,beta_gpt4,beta_human,source",
                       "onet_soc,title,beta_gpt,beta_human,source", "lacks the column(s) beta_gpt4"),
    "not a number": ("career_occupations.csv", "Editors,0.65", "Editors,high", "column beta_gpt4: 'high'"),
    "NaN": ("career_occupations.csv", "Editors,0.65", "Editors,nan", "column beta_gpt4: 'nan'"),
    "out of range": ("career_occupations.csv", "Editors,0.65", "Editors,65", "is not a number in [0, 1]"),
    "negative count": ("career_soc_groups.csv", "Management,56", "Management,-56", "not a whole number"),
    "short row": ("career_ilo_groups.csv", "1,Managers,30,0.361,0,0,5,1,20,4,", "1,Managers,30\n#",
                  "one value per column"),
}


@pytest.mark.parametrize("name, old, new, message", DAMAGE.values(), ids=DAMAGE.keys())
def test_damaged_figure_files_name_the_file_and_the_problem(data_copy, name, old, new, message):
    _edit(data_copy / name, old, new)
    with pytest.raises(figures_module.FiguresError) as caught:
        figure_for("27-3041.00")
        figures_module.ilo_groups()
    assert name in str(caught.value) and message in str(caught.value)


def test_figure_file_that_is_not_text_or_empty(data_copy):
    (data_copy / "career_soc_groups.csv").write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(figures_module.FiguresError, match="career_soc_groups.csv is damaged: not UTF-8"):
        figures_module.soc_groups()
    (data_copy / "career_headlines.csv").write_text("key,share_of_workforce,threshold_share_of_tasks,statement,source\n",
                                                    encoding="utf-8")
    with pytest.raises(figures_module.FiguresError, match="career_headlines.csv is damaged: it has a header but no rows"):
        figures_module.headlines()


# ------------------------------------------------------------------------ valid edge cases still work
def test_valid_edge_cases_still_work():
    assert Task("all day", 100, "e2").share == 100.0 and Task("tiny", 0.001, "E0").share == 0.001
    assert Task("numpy share", np.float64(25.0), "E1").share == 25.0
    profile = Profile(role="r", skills={"creative_thinking": np.int64(1), "communication": 5,
                                        "emotional_intelligence": 3}, tool_fluency=np.int64(4), isco_group=4,
                      reflections={" why? ": ""})
    assert type(profile.skills["creative_thinking"]) is int and type(profile.tool_fluency) is int
    assert profile.isco_group == "4" and profile.reflections == {"why?": ""}
    assert Profile(role="r", tasks=_many_tasks(MAX_TASKS)).problems() == []
    assert exposure_scores(t for t in EDITOR.tasks).beta == pytest.approx(0.675)  # any iterable of tasks
    assert scores_from_time({"E0": 20, "E1": 55, "E2": 25.2}).beta == pytest.approx(0.676)  # within rounding
    assert PLAN.by_day(np.int64(30)) == PLAN.by_day(30)
    assert ilo_group(4).isco == "4" and find("EDITOR") and figure_for(" 27 ").code == "27"
    assert VerbatimIndex("abc", span=MAX_SPAN).copied_fraction("abc") == 0.0
    assert math.isinf(score_lines(lambda line: INF, ["unseen"])[0])  # a model may give a line probability zero
    torch = pytest.importorskip("torch")
    assert score_lines(lambda line: torch.tensor(1.5), ["a"]).tolist() == [1.5]
    plt.close(plot_soc_groups(highlight="27"))
    plt.close(plot_soc_groups())


def test_detection_auc_is_exact_and_needs_no_quadratic_memory():
    rng = np.random.default_rng(0)
    g, h = rng.integers(0, 20, 300).astype(float), rng.integers(5, 25, 200).astype(float)  # many ties
    naive = float(((g[:, None] < h[None, :]) + 0.5 * (g[:, None] == h[None, :])).mean())
    assert detection_auc(g, h) == pytest.approx(naive, abs=1e-12)
    start = time.monotonic()
    big = rng.normal(size=200_000)
    assert 0.45 < detection_auc(big, big + 0.0) <= 0.55  # 4e10 pairs: used to need 40 GB
    assert time.monotonic() - start < 5


def test_longest_copy_of_a_long_verbatim_passage_is_fast():
    text = "".join(f"line {i}: the quality of mercy is not strained, it droppeth.\n" for i in range(20_000))
    index = VerbatimIndex(text, 24)
    passage = text[300_000:360_000]
    start = time.monotonic()
    assert index.longest_copy(passage) == passage  # 60,000 characters: quadratic before
    assert time.monotonic() - start < 5


def test_export_to_a_folder_or_an_unwritable_place(tmp_path):
    (tmp_path / "plan.md").mkdir()
    with pytest.raises(IsADirectoryError, match="path .*plan.md is a folder"):
        export(EDITOR, tmp_path / "plan.md")
    blocker = tmp_path / "blocker"
    blocker.write_text("a file")
    with pytest.raises(OSError, match="cannot write .*blocker"):
        export(EDITOR, blocker / "plan.md")

"""The career lesson speaks the learner's language: Chinese with AIGC_LANG=zh, English (and no Chinese) with en.

The learner's own entries and the cited data stay as they are, so the checks below use a profile written in
English and look only at text the course writes: rubric labels, an exported plan, a chart title, a store message.
"""

import re

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest

from aigc_course.career import CAVEATS, RUBRIC, AnswerStore, CorruptAnswersError, Profile, Task, export, make_plan, rubric_table
from aigc_course.career.charts import plot_ilo_gradients

CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def _has_chinese(text: str) -> bool:
    return CJK.search(text) is not None


@pytest.fixture
def english_profile():
    """A profile whose own texts are English, so any Chinese in the output comes from the course."""
    return Profile(role="data analyst", reference="15-2051.00", isco_group="2", tasks=(
        Task("Write reports and emails", 40, "E1"),
        Task("Analyse data with our internal tools", 30, "E2"),
        Task("Meet clients and colleagues", 30, "E0"),
    ), skills={"creative_thinking": 4, "communication": 2, "emotional_intelligence": 3}, tool_fluency=2)


def _rubric_labels() -> str:
    return " ".join(f"{code} {RUBRIC[code].name}" for code in RUBRIC) + " " + str(rubric_table())


def _chart_title() -> str:
    figure = plot_ilo_gradients()
    try:
        return figure.axes[0].get_title()
    finally:
        plt.close(figure)


def _store_message(folder) -> str:
    store = AnswerStore(folder)
    store.path.parent.mkdir(parents=True, exist_ok=True)
    store.path.write_text("{broken", encoding="utf-8")
    with pytest.raises(CorruptAnswersError) as caught:
        store.load()
    return str(caught.value)


def _exported(profile, path) -> str:
    return export(profile, path).read_text(encoding="utf-8")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_course_writes_in_the_language_of_the_moment(lang, monkeypatch, tmp_path, english_profile):
    monkeypatch.setenv("AIGC_LANG", lang)
    texts = {
        "rubric labels": _rubric_labels(),
        "exported Markdown plan": _exported(english_profile, tmp_path / "plan.md"),
        "exported HTML plan": _exported(english_profile, tmp_path / "plan.html"),
        "printed plan": str(make_plan(english_profile)),
        "chart title": _chart_title(),
        "store message": _store_message(tmp_path / "answers"),
        "caveats": " ".join(CAVEATS),
    }
    for what, text in texts.items():
        assert _has_chinese(text) == (lang == "zh"), f"{what} in AIGC_LANG={lang}: {text[:300]!r}"


def test_a_chinese_export_is_a_chinese_document(monkeypatch, tmp_path, english_profile):
    monkeypatch.setenv("AIGC_LANG", "zh")
    md = _exported(english_profile, tmp_path / "plan.md")
    for heading in ("# AIGC 时代的职业反思：data analyst", "## 你的任务", "## 与引用的数据比较", "### 注意事项",
                    "## 计划", "### 第 30 天前", "### 第 60 天前", "### 第 90 天前", "## 出处"):
        assert heading in md
    assert "By day" not in md and "How:" not in md and "Why:" not in md
    assert "Write reports and emails" in md  # the learner's own words are kept as written
    assert all(caveat in md for caveat in CAVEATS)  # the caveats, in Chinese here
    page = _exported(english_profile, tmp_path / "plan.html")
    assert '<html lang="zh-CN">' in page and "<title>AIGC 时代的职业反思：data analyst</title>" in page


def test_the_language_is_chosen_when_a_message_is_shown_not_at_import(monkeypatch):
    monkeypatch.setenv("AIGC_LANG", "zh")
    zh = (str(RUBRIC["E1"].name), CAVEATS[0])
    monkeypatch.setenv("AIGC_LANG", "en")
    assert (str(RUBRIC["E1"].name), CAVEATS[0][:32]) == ("directly exposed", "Exposure is not job loss: it say")
    assert zh[0] == "直接暴露" and _has_chinese(zh[1])

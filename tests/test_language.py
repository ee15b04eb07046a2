"""The learner's language: AIGC_LANG first, then the running notebook's edition, then English."""

import pytest

from aigc_course.exercises import check
from aigc_course.language import Text, language, tr


@pytest.fixture(autouse=True)
def no_setting(monkeypatch, tmp_path):
    monkeypatch.delenv("AIGC_LANG", raising=False)
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    monkeypatch.chdir(tmp_path)


@pytest.mark.parametrize("value, expected", [("en", "en"), ("zh", "zh"), ("ZH", "zh"), ("zh_CN.UTF-8", "zh"),
                                             ("zh-CN", "zh"), ("en_US.UTF-8", "en"), (" zh ", "zh")])
def test_aigc_lang_chooses(monkeypatch, value, expected):
    monkeypatch.setenv("AIGC_LANG", value)
    assert language() == expected


@pytest.mark.parametrize("value", ["fr", "chinese", "e", "zhx"])
def test_an_unknown_language_is_refused_by_name(monkeypatch, value):
    monkeypatch.setenv("AIGC_LANG", value)
    with pytest.raises(ValueError, match="AIGC_LANG must be en or zh"):
        language()


def test_the_chinese_edition_speaks_chinese_without_a_setting(monkeypatch, tmp_path):
    assert language() == "en"
    (tmp_path / "notebooks" / "zh").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "notebooks" / "zh")  # Jupyter starts a kernel in its notebook's folder
    assert language() == "zh"
    monkeypatch.setenv("AIGC_LANG", "en")  # the setting wins
    assert language() == "en"


def test_jupyterlab_session_name_marks_the_edition(monkeypatch):
    monkeypatch.setenv("JPY_SESSION_NAME", "/home/me/course/notebooks/zh/02_ngrams.ipynb")
    assert language() == "zh"
    monkeypatch.setenv("JPY_SESSION_NAME", "/home/me/course/notebooks/02_ngrams.ipynb")
    assert language() == "en"


def test_tr_and_text_follow_the_language_of_the_moment(monkeypatch):
    title = Text("perplexity", "困惑度")
    assert (tr("yes", "是"), str(title), f"{title:>12}") == ("yes", "perplexity", "  perplexity")
    monkeypatch.setenv("AIGC_LANG", "zh")
    assert (tr("yes", "是"), str(title), f"[{title}]") == ("是", "困惑度", "[困惑度]")
    with pytest.raises(ValueError, match="Text.zh must be a non-empty string"):
        Text("only English", "")


def test_check_frames_its_verdict_in_the_learner_language(monkeypatch):
    monkeypatch.setenv("AIGC_LANG", "zh")
    assert "尚未作答" in check("02.1", ..., quiet=True).message
    with pytest.raises(ValueError, match="没有编号为"):
        check("00.0", 1)

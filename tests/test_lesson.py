"""The lesson helper: settings per mode, key results, and claims that fail loudly when the text is wrong."""

import nbformat
import pytest

from aigc_course.lesson import ClaimsNotBacked, Lesson, about, check_claims, find_claims


def _course(folder, markdown):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(text) for text in markdown]
    nbformat.write(nb, folder / "98_claims.ipynb")


def test_settings_take_the_value_of_the_mode(monkeypatch, capsys):
    monkeypatch.setenv("AIGC_FAST", "0")
    assert Lesson("98", seed=None).settings(steps=(1600, 40)).steps == 1600
    monkeypatch.setenv("AIGC_FAST", "1")
    lesson = Lesson("98", seed=None)
    assert lesson.settings(steps=(1600, 40), orders=([3, 5, 7], [3])).orders == [3]
    assert "fast mode" in capsys.readouterr().out
    with pytest.raises(TypeError, match="setting steps must be a pair"):
        lesson.settings(steps=1600)
    with pytest.raises(ValueError, match="two-digit prefix"):
        Lesson("3", seed=None)


def test_claims_are_found_with_their_sentence_and_checked(tmp_path):
    _course(tmp_path, ["The GPT beats the 7-gram. <!-- claim: gpt < ngram -->",
                       "A step costs **about 2.4 times** as much<!-- claim: about(ratio, 2.4, 0.1) --> here."])
    claims = find_claims(tmp_path / "98_claims.ipynb")
    assert [c.expression for c in claims] == ["gpt < ngram", "about(ratio, 2.4, 0.1)"]
    assert claims[0].sentence == "The GPT beats the 7-gram." and claims[1].sentence == "A step costs about 2.4 times as much"
    assert check_claims(claims, {"gpt": 1.7, "ngram": 1.8, "ratio": 2.5}) == []
    failures = check_claims(claims, {"gpt": 1.9, "ngram": 1.8})
    assert "'gpt < ngram' is false" in failures[0] and "NameError" in failures[1]


def test_finish_reports_key_results_and_raises_on_a_false_claim(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("AIGC_FAST", "0")
    _course(tmp_path, ["Loss falls below 2 nats. <!-- claim: loss < 2 -->"])
    lesson = Lesson("98", seed=None)
    lesson.finish({"loss": 1.5}, {"validation loss": (1.5, "nats"), "steps": 10})
    out = capsys.readouterr().out
    assert "[key result] validation loss: 1.5 nats" in out and "[key result] steps: 10" in out
    assert "all 1 claims in the text hold" in out
    with pytest.raises(ClaimsNotBacked, match="Loss falls below 2 nats"):
        lesson.finish({"loss": 2.5})
    monkeypatch.setenv("AIGC_FAST", "1")
    Lesson("98", seed=None).finish({"loss": 2.5})
    assert "not required to hold" in capsys.readouterr().out
    with pytest.raises(ClaimsNotBacked, match="NameError"):  # a misspelt name fails in fast mode too
        Lesson("98", seed=None).finish({"los": 2.5})


def test_about_is_a_relative_tolerance():
    assert about(2.5, 2.4, 0.05) and not about(2.7, 2.4, 0.1) and not about(float("nan"), 1.0)

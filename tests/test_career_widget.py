"""The career form works headless: builds a profile from its fields, saves and exports safely."""

import matplotlib

matplotlib.use("Agg")

import pytest

from aigc_course.career import AnswerStore, content_editor
from aigc_course.widgets.career import CareerForm


def test_form_round_trips_a_profile_and_saves(tmp_path):
    store = AnswerStore(tmp_path)
    form = CareerForm(content_editor(), store=store)
    assert form.profile() == content_editor()
    form.rows[0].share.value = 20.0  # shares now sum to 90%: a draft
    assert form.profile().problems() and "sum to 90%" in form.profile().problems()[0]
    form.save()  # drafts are saved too
    assert "Saved to" in form.status.value and store.load() == form.profile()
    form.export()
    assert "Not exported" in form.status.value and "90%" in form.status.value
    form._add_row(None)
    form.rows[-1].name.value = "Mentor a junior editor"
    form.rows[-1].share.value = 10.0
    form.export()
    assert (tmp_path / "career_plan.md").exists() and (tmp_path / "career_plan.html").exists()
    form._remove_row(form.rows[-1])
    assert len(form.profile().tasks) == 7


def test_form_loads_saved_answers_and_reports_a_corrupt_file(tmp_path):
    store = AnswerStore(tmp_path)
    store.save(content_editor())
    assert CareerForm(store=store).profile() == content_editor()
    store.path.write_text("{broken", encoding="utf-8")
    form = CareerForm(store=store)
    assert "not valid JSON" in form.status.value
    form.save()
    assert "Not saved" in form.status.value and store.path.read_text(encoding="utf-8") == "{broken"


def test_form_never_touches_the_home_folder_when_given_a_store(tmp_path, monkeypatch):
    monkeypatch.setenv("AIGC_HOME", str(tmp_path / "home"))
    CareerForm(content_editor(), store=AnswerStore(tmp_path / "elsewhere"))
    assert not (tmp_path / "home").exists()


def test_plain_twin_shows_drafts_and_complete_profiles(capsys):
    from aigc_course.career import Profile
    from aigc_course.career.view import show_reflection

    assert show_reflection(Profile(role="designer", reference="27-1024.00")) is None
    out = capsys.readouterr().out
    assert "task list is empty" in out and "Graphic Designers: cited beta 0.500" in out
    comparison = show_reflection(content_editor(), radar=False)
    assert comparison.scores.beta == pytest.approx(0.675) and "Editors" in capsys.readouterr().out
    with pytest.raises(TypeError, match="Profile"):
        show_reflection({"role": "x"})


def test_form_shows_a_concurrent_save_as_a_message(tmp_path):
    first, second = CareerForm(store=AnswerStore(tmp_path)), CareerForm(store=AnswerStore(tmp_path))
    first.role.value = "first writer"
    first.save()
    assert "Saved to" in first.status.value
    second.role.value = "second writer"
    second.save()  # no traceback: the refusal is shown in the form
    assert "Not saved" in second.status.value and "another save" in second.status.value
    assert "overwrite=True" in second.status.value
    assert AnswerStore(tmp_path).load().role == "first writer"
    second.save(overwrite=True)
    assert "Saved to" in second.status.value and AnswerStore(tmp_path).load().role == "second writer"


def test_form_given_a_profile_does_not_replace_saved_answers_silently(tmp_path):
    AnswerStore(tmp_path).save(content_editor())
    form = CareerForm(content_editor().with_tasks(()), store=AnswerStore(tmp_path))
    form.save()
    assert "Not saved" in form.status.value and "has not loaded" in form.status.value
    assert AnswerStore(tmp_path).load() == content_editor()


def test_form_keeps_an_unreadable_file_aside_on_request(tmp_path):
    store = AnswerStore(tmp_path)
    store.folder.mkdir(exist_ok=True)
    store.path.write_text("{broken", encoding="utf-8")
    form = CareerForm(store=store)
    form.save()
    assert "Not saved" in form.status.value and "keep_unreadable=True" in form.status.value
    form.save(keep_unreadable=True)
    assert "Saved to" in form.status.value and "unreadable-" in form.status.value
    assert store.kept_aside.read_text(encoding="utf-8") == "{broken"


def test_form_shows_folder_problems_as_messages(tmp_path):
    blocker = tmp_path / "answers"
    blocker.write_text("a file")
    form = CareerForm(store=AnswerStore(blocker))
    assert "is a file" in form.status.value
    form.save()
    assert "Not saved" in form.status.value and "is a file" in form.status.value


def test_form_rejects_bad_arguments(tmp_path):
    with pytest.raises(TypeError, match="profile"):
        CareerForm({"role": "x"}, store=AnswerStore(tmp_path))
    with pytest.raises(TypeError, match="store"):
        CareerForm(store=str(tmp_path))

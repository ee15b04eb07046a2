"""The course website's assembly (aigc_course.book): static notebooks, the table of contents, the source folder.

The site itself is built and opened in a browser by tests/browser/test_book_in_browser.py.
"""

import copy
import json
from pathlib import Path

import pytest
import yaml

from aigc_course import book

ROOT = Path(__file__).resolve().parents[1]
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def _notebook(outputs, state):
    return {
        "nbformat": 4, "nbformat_minor": 5,
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3"},
                     "widgets": {"application/vnd.jupyter.widget-state+json": {"state": state, "version_major": 2}}},
        "cells": [{"cell_type": "markdown", "id": "title", "metadata": {}, "source": "# 01 · Title"},
                  {"cell_type": "code", "id": "code", "metadata": {}, "execution_count": 1, "source": "x = 1",
                   "outputs": outputs}],
    }


def _view(model_id, text):
    return {"output_type": "display_data", "metadata": {},
            "data": {WIDGET_VIEW: {"model_id": model_id, "version_major": 2}, "text/plain": text}}


def _model(name, **state):
    return {"model_name": name, "model_module": "@jupyter-widgets/controls", "state": state}


# A tqdm bar as ipywidgets saves it (prefix, bar, postfix), and an interactive box.
STATE = {
    "bar": _model("HBoxModel", children=["IPY_MODEL_pre", "IPY_MODEL_progress", "IPY_MODEL_post"]),
    "pre": _model("HTMLModel", value="training:\u2007\u200750%"),
    "progress": _model("FloatProgressModel", value=30.0, max=60.0, bar_style=""),
    "post": _model("HTMLModel", value="\u200730/60\u2007[00:06&lt;00:06,\u20075.00it/s]"),
    "box": _model("VBoxModel", children=["IPY_MODEL_slider"]),
    "slider": _model("IntSliderModel", value=3),
}
STREAM = {"output_type": "stream", "name": "stdout", "text": "perplexity 42\n"}


def test_widget_views_become_text_and_the_rest_is_kept():
    nb = _notebook([STREAM, _view("bar", "training:   0%|          | 0/60"), _view("box", "VBox(children=(...))")], STATE)
    before = copy.deepcopy(nb)
    out = book.static_notebook(nb)
    assert nb == before, "the notebook given must not change"
    assert "widgets" not in out["metadata"], "the widget state would make MyST-NB load the widget scripts"
    assert out["metadata"]["kernelspec"] == nb["metadata"]["kernelspec"]
    stream, bar, box = out["cells"][1]["outputs"]
    assert stream == STREAM
    # the bar as saved at the end of the run (not the 0% of its text/plain), drawn as in a terminal
    assert bar["data"] == {"text/plain": "training:  50%|█████     | 30/60 [00:06<00:06, 5.00it/s]"}
    assert box["data"] == {"text/plain": book.WIDGET_NOTE.en}
    assert json.dumps(out)  # still plain JSON


def test_the_chinese_edition_gets_the_note_in_chinese():
    out = book.static_notebook(_notebook([_view("box", "VBox()")], STATE), chinese=True)
    assert out["cells"][1]["outputs"][0]["data"]["text/plain"] == book.WIDGET_NOTE.zh
    assert "JupyterLab" in book.WIDGET_NOTE.zh


@pytest.mark.parametrize("missing", ["box", "bar", "pre"])
def test_a_widget_whose_state_is_missing_becomes_the_note(missing):
    state = {k: v for k, v in STATE.items() if k != missing}
    out = book.static_notebook(_notebook([_view(missing if missing != "pre" else "bar", "x")], state))
    assert out["cells"][1]["outputs"][0]["data"] == {"text/plain": book.WIDGET_NOTE.en}


def test_static_notebook_rejects_what_is_not_a_notebook():
    with pytest.raises(TypeError, match="nb must be a notebook"):
        book.static_notebook(["cells"])
    with pytest.raises(TypeError, match="nb must be a notebook"):
        book.static_notebook({"cells": "none"})


def test_toc_lists_the_intro_then_the_lessons_in_order():
    toc = yaml.safe_load(book.toc_yaml("intro", ["01_a", "02_b"]))
    assert toc == {"format": "jb-book", "root": "intro", "chapters": [{"file": "01_a"}, {"file": "02_b"}]}
    with pytest.raises(ValueError, match="plain file name"):
        book.toc_yaml("intro", ["01_a: b"])
    with pytest.raises(ValueError, match="plain file name"):
        book.toc_yaml("", [])


def test_lessons_are_found_in_course_order(tmp_path):
    for name in ("02_b.ipynb", "01_a.ipynb", "report.json", "notes.ipynb", "01_a.html"):
        (tmp_path / name).write_text("{}", encoding="utf-8")
    assert [p.name for p in book.lesson_notebooks(tmp_path)] == ["01_a.ipynb", "02_b.ipynb"]
    assert book.lesson_notebooks(tmp_path / "missing") == []


@pytest.mark.parametrize("lang, words", [("en", "run `make course` first"), ("zh", "请先运行 `make course`")])
def test_no_executed_notebooks_says_to_run_the_course_first(tmp_path, monkeypatch, lang, words):
    monkeypatch.setenv("AIGC_LANG", lang)
    (tmp_path / "build" / "zh").mkdir(parents=True)
    (tmp_path / "build" / "zh" / "01_a.ipynb").write_text("{}", encoding="utf-8")  # the Chinese edition alone is not enough
    with pytest.raises(FileNotFoundError) as caught:
        book.build_book(tmp_path / "build", tmp_path / "site", config_dir=ROOT / "book", source_dir=tmp_path / "src")
    assert words in str(caught.value)
    assert not (tmp_path / "site").exists() and not (tmp_path / "src").exists()


def test_main_reports_the_missing_notebooks_and_fails(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("AIGC_LANG", "en")
    assert book.main(["--build", str(tmp_path), "--out", str(tmp_path / "site")]) == 1
    assert "make course" in capsys.readouterr().err


def test_assembled_source_has_config_toc_intro_notebooks_and_mathjax(tmp_path):
    lesson = tmp_path / "01_a.ipynb"
    lesson.write_text(json.dumps(_notebook([STREAM, _view("box", "VBox()")], STATE)), encoding="utf-8")
    source = tmp_path / "src"
    (source / "stale").mkdir(parents=True)  # left from an earlier build: removed
    english, chinese = book.EDITIONS
    pages = book.assemble_edition(chinese, [lesson], source, ROOT / "book", other_edition=True)
    assert pages == ["index", "01_a", "GLOSSARY"], "the Chinese lessons link to the glossary: it is a page too"
    assert (source / "GLOSSARY.md").read_bytes() == (ROOT / "notebooks" / "zh" / "GLOSSARY.md").read_bytes()
    assert "困惑度\n" in (source / book.SEARCH_WORDS).read_text(encoding="utf-8")
    assert not (source / "stale").exists(), "a file left from an earlier build is removed"
    assert (source / "conf.py").read_text(encoding="utf-8") == (ROOT / "book" / "conf.py").read_text(encoding="utf-8")
    assert yaml.safe_load((source / "_toc.yml").read_text(encoding="utf-8"))["chapters"] == \
        [{"file": "01_a"}, {"file": "GLOSSARY"}]
    intro = (source / "index.md").read_text(encoding="utf-8")
    assert intro.startswith("# AIGC 从零开始\n") and chinese.other_link in intro and 'href="../index.html"' in intro
    copied = json.loads((source / "01_a.ipynb").read_text(encoding="utf-8"))
    assert copied["cells"][1]["outputs"][1]["data"] == {"text/plain": book.WIDGET_NOTE.zh}
    assert (source / "_static" / "mathjax" / "MathJax.js").is_file()
    # one edition alone: no link to an edition that is not built
    assert book.assemble_edition(english, [lesson], source, ROOT / "book", other_edition=False) == ["index", "01_a"]
    assert "zh/index.html" not in (source / "index.md").read_text(encoding="utf-8")
    assert not (source / "GLOSSARY.md").exists()


def test_sphinx_loads_mathjax_from_the_copied_folder():
    from aigc_course.web_assets import MATHJAX_CONFIG

    settings: dict = {"__file__": str(ROOT / "book" / "conf.py")}
    exec((ROOT / "book" / "conf.py").read_text(encoding="utf-8"), settings)
    assert settings["mathjax_path"] == f"mathjax/MathJax.js?config={MATHJAX_CONFIG}"  # relative to _static
    assert settings["html_static_path"] == ["_static"] and settings["nb_execution_mode"] == "off"
    assert "://" not in json.dumps({k: v for k, v in settings.items() if not k.startswith("__")}, default=str)


def test_glossary_terms_become_whole_search_words():
    table = ("# 术语表\n\n| 中文 | English | 说明 |\n|---|---|---|\n| 困惑度 | perplexity | |\n"
             "| 词向量、嵌入 | word vector, embedding | |\n| 生成式人工智能（AIGC） | generative AI | |\n"
             "| n 元语法 | n-gram | 一元 |\n| logits | logits | 保留英文 |\n| 困惑度 | again | |\n")
    assert book.glossary_words(table) == ["困惑度", "词向量", "嵌入", "生成式人工智能"]
    words = book.glossary_words((ROOT / "notebooks" / "zh" / "GLOSSARY.md").read_text(encoding="utf-8"))
    assert "困惑度" in words and len(words) > 20
    with pytest.raises(TypeError, match="glossary"):
        book.glossary_words(None)

"""The Chinese edition: every translated lesson is complete and current, its code is the English code,
and a stale, missing or marker-dropping translation is caught."""

import json
import shutil
from pathlib import Path

import pytest

from aigc_course.edition import (build, problems, read_blocks, render, source_hash, translated_notebooks,
                                 translation_file)

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
TRANSLATED = translated_notebooks(NOTEBOOKS)


def test_the_chinese_edition_exists():
    assert TRANSLATED, "no notebooks/zh/<lesson>.zh.md found"


@pytest.mark.parametrize("english", TRANSLATED, ids=[p.stem for p in TRANSLATED])
def test_each_translated_lesson_is_complete_and_current(english):
    assert problems(english) == []


@pytest.mark.parametrize("english", TRANSLATED, ids=[p.stem for p in TRANSLATED])
def test_the_chinese_notebook_runs_the_english_code(english):
    ours = json.loads(english.read_text(encoding="utf-8"))["cells"]
    theirs = json.loads((NOTEBOOKS / "zh" / english.name).read_text(encoding="utf-8"))["cells"]
    assert [c["id"] for c in ours] == [c["id"] for c in theirs]
    for a, b in zip(ours, theirs):
        assert a["cell_type"] == b["cell_type"]
        if a["cell_type"] == "code":
            assert a["source"] == b["source"] and b["outputs"] == []
        else:
            assert any("\u4e00" <= ch <= "\u9fff" for ch in "".join(b["source"])), f"cell {b['id']} is not Chinese"


def _copy(tmp_path: Path, english: Path) -> Path:
    (tmp_path / "zh").mkdir()
    shutil.copy(english, tmp_path / english.name)
    shutil.copy(translation_file(english), translation_file(tmp_path / english.name))
    return tmp_path / english.name


def test_a_changed_english_cell_makes_its_translation_stale(tmp_path):
    english = _copy(tmp_path, TRANSLATED[0])
    build(english)
    assert problems(english) == []
    notebook = json.loads(english.read_text(encoding="utf-8"))
    cell = next(c for c in notebook["cells"] if c["cell_type"] == "markdown")
    cell["source"] = cell["source"] + ["\nA new English sentence.\n"]
    english.write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    assert any(f"cell {cell['id']} is stale" in p for p in problems(english))


def test_a_changed_code_cell_makes_the_built_notebook_out_of_date(tmp_path):
    english = _copy(tmp_path, TRANSLATED[0])
    build(english)
    notebook = json.loads(english.read_text(encoding="utf-8"))
    cell = next(c for c in notebook["cells"] if c["cell_type"] == "code")
    cell["source"] = cell["source"] + ["\nprint('changed')\n"]
    english.write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    assert any("not built from the current English notebook" in p for p in problems(english))
    build(english)
    assert problems(english) == []
    built = json.loads((tmp_path / "zh" / english.name).read_text(encoding="utf-8"))
    assert next(c for c in built["cells"] if c["id"] == cell["id"])["source"] == cell["source"]


def test_a_missing_block_a_left_over_block_and_a_dropped_marker_are_reported(tmp_path):
    english = _copy(tmp_path, TRANSLATED[0])
    path = translation_file(english)
    blocks = read_blocks(path)
    first, *rest = blocks
    marked = next(b for b in blocks.values() if "<!-- claim:" in b.text)
    text = "".join(f"<!-- cell {b.cell_id} | en {b.english_hash} -->\n"
                   f"{b.text.split('<!-- claim:')[0] if b is marked else b.text}\n\n"
                   for b in blocks.values() if b.cell_id != first)
    text += "<!-- cell no-such-cell | en 00000000 -->\n多余的一段。\n"
    path.write_text(text, encoding="utf-8")
    build(english)
    found = problems(english)
    assert any(f"English cell {first} has no translation" in p for p in found)
    assert any("no-such-cell is not a Markdown cell" in p for p in found)
    assert any(f"cell {marked.cell_id} does not carry the same claim and source markers" in p for p in found)


def test_a_damaged_translation_file_names_itself(tmp_path):
    path = tmp_path / "x.zh.md"
    path.write_text("一段没有单元格标记的文字\n", encoding="utf-8")
    with pytest.raises(ValueError, match="x.zh.md"):
        read_blocks(path)
    path.write_text("<!-- cell a | en 00000000 -->\n一\n<!-- cell a | en 00000000 -->\n二\n", encoding="utf-8")
    with pytest.raises(ValueError, match="translated twice"):
        read_blocks(path)


def test_render_replaces_only_markdown_and_the_hash_is_of_the_english_source():
    notebook = {"metadata": {}, "cells": [
        {"id": "m", "cell_type": "markdown", "metadata": {}, "source": ["# Title\n"]},
        {"id": "c", "cell_type": "code", "metadata": {}, "source": ["x = 1\n"], "outputs": [], "execution_count": None}]}
    from aigc_course.edition import Block

    out = render(notebook, {"m": Block("m", source_hash("# Title\n"), "# 标题"), "c": Block("c", "0" * 8, "不该用")})
    assert out["cells"][0]["source"] == ["# 标题"] and out["cells"][1]["source"] == ["x = 1\n"]
    assert notebook["cells"][0]["source"] == ["# Title\n"]  # the English notebook is not touched
    assert len(source_hash("# Title\n")) == 8

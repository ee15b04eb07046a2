"""The Chinese edition (中文版): the same notebooks, every Markdown cell in Chinese, the code identical by construction.

A lesson's Chinese text lives in one Markdown file, ``notebooks/zh/<stem>.zh.md``, with one
block per Markdown cell of the English notebook ``notebooks/<stem>.ipynb``::

    <!-- cell neural-lm-00 | en 3f2a9c1b -->
    # 03 · 神经语言模型 ...

The cell id ties a block to its English cell; ``en`` is the start of the SHA-256 of that
English cell's source at the time it was translated. :func:`build` writes
``notebooks/zh/<stem>.ipynb``: the English notebook, code cells copied unchanged and each
Markdown cell's source replaced by its block, so a change to a lesson's code reaches both
editions the next time the edition is built (``aigc-course edition``). :func:`problems`
lists what keeps an edition from being current: an English Markdown cell without a block,
a block whose English cell has changed since (a stale translation), a block for a cell
that no longer exists, or a built notebook that differs from what :func:`build` would write.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from .io import write_atomically
from .validate import check_choice

__all__ = ["EDITIONS", "Block", "source_hash", "read_blocks", "render", "build", "problems"]

#: The editions besides English, and the folder of each under ``notebooks/``.
EDITIONS = ("zh",)
_BLOCK = re.compile(r"^<!-- cell (?P<id>[\w-]+) \| en (?P<sha>[0-9a-f]{8}) -->\n", re.M)
#: The hidden markers that tie a sentence to the figure it states (checked by ``lesson.finish``).
_MARKER = re.compile(r"<!--\s*(?:claim|source):.*?-->", re.S)


@dataclass(frozen=True)
class Block:
    """One translated Markdown cell: the English cell's id, the hash of the English it translates, the text."""

    cell_id: str
    english_hash: str
    text: str


def source_hash(source: str) -> str:
    """The first 8 hex digits of the SHA-256 of a cell's source (UTF-8)."""
    return hashlib.sha256(source.encode("utf-8")).hexdigest()[:8]


def _cell_source(cell: dict) -> str:
    return "".join(cell["source"])


def translation_file(english: Path, edition: str = "zh") -> Path:
    """Where the blocks of ``english`` (a notebook path) for ``edition`` are kept."""
    check_choice(edition, "edition", EDITIONS)
    return english.parent / edition / f"{english.stem}.{edition}.md"


def read_blocks(path: Path) -> dict[str, Block]:
    """The blocks of a translation file, by cell id; a damaged file raises ``ValueError`` naming it."""
    text = path.read_text(encoding="utf-8")
    marks = list(_BLOCK.finditer(text))
    if not marks or text[:marks[0].start()].strip():
        raise ValueError(f"{path}: a translation file starts with a line '<!-- cell ID | en HASH -->'")
    blocks: dict[str, Block] = {}
    for mark, following in zip(marks, marks[1:] + [None]):
        cell_id = mark["id"]
        if cell_id in blocks:
            raise ValueError(f"{path}: cell {cell_id} is translated twice")
        body = text[mark.end():following.start() if following else len(text)]
        blocks[cell_id] = Block(cell_id, mark["sha"], body.strip("\n"))
    return blocks


def render(english_notebook: dict, blocks: dict[str, Block]) -> dict:
    """The edition's notebook: ``english_notebook`` with each Markdown cell's source replaced by its block.

    Markdown cells without a block keep their English text (:func:`problems` reports them).
    """
    out = json.loads(json.dumps(english_notebook))
    for cell in out["cells"]:
        block = blocks.get(cell.get("id", ""))
        if cell["cell_type"] == "markdown" and block is not None:
            cell["source"] = block.text.splitlines(keepends=True)
    out["metadata"]["aigc_course"] = {"edition": "zh"}
    return out


def _dumps(notebook: dict) -> str:
    return json.dumps(notebook, indent=1, ensure_ascii=False) + "\n"


def _english(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def build(english: Path, edition: str = "zh") -> Path:
    """Write ``notebooks/<edition>/<stem>.ipynb`` from the English notebook and its translation file."""
    blocks = read_blocks(translation_file(english, edition))
    target = english.parent / edition / english.name
    write_atomically(target, _dumps(render(_english(english), blocks)).encode("utf-8"))
    return target


def translated_notebooks(folder: Path, edition: str = "zh") -> list[Path]:
    """The English notebooks of ``folder`` that have a translation file for ``edition``."""
    return [p for p in sorted(folder.glob("[0-9][0-9]_*.ipynb")) if translation_file(p, edition).is_file()]


def problems(english: Path, edition: str = "zh") -> list[str]:
    """Everything that keeps the edition of ``english`` from being complete and current (empty: all is well)."""
    path = translation_file(english, edition)
    notebook = _english(english)
    blocks = read_blocks(path)
    found = []
    markdown = {c.get("id"): _cell_source(c) for c in notebook["cells"] if c["cell_type"] == "markdown"}
    for cell_id, source in markdown.items():
        block = blocks.get(cell_id)
        if block is None:
            found.append(f"{path.name}: English cell {cell_id} has no translation")
        elif block.english_hash != source_hash(source):
            found.append(f"{path.name}: cell {cell_id} is stale: its English text changed since it was translated "
                         f"(en {block.english_hash}, now {source_hash(source)})")
        elif not block.text.strip():
            found.append(f"{path.name}: cell {cell_id} is empty")
        elif sorted(_MARKER.findall(block.text)) != sorted(_MARKER.findall(source)):
            found.append(f"{path.name}: cell {cell_id} does not carry the same claim and source markers as the "
                         "English cell (each figure's sentence keeps its marker, word for word)")
    found += [f"{path.name}: cell {cell_id} is not a Markdown cell of {english.name}" for cell_id in blocks
              if cell_id not in markdown]
    built = english.parent / edition / english.name
    if not built.is_file() or built.read_text(encoding="utf-8") != _dumps(render(notebook, blocks)):
        found.append(f"{built}: not built from the current English notebook and translation: run aigc-course edition")
    return found

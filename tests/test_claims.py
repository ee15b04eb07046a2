"""The prose of every notebook states only figures the code backs.

Each sentence of a notebook's Markdown that quotes a result-like figure (a decimal,
a percentage, a ratio, seconds, nats, bits, an FID) carries a hidden marker right
after it: ``<!-- claim: EXPRESSION -->``, checked against the run by
``lesson.finish(globals())`` at the end of the notebook, or ``<!-- source: ... -->``
for a figure that is not computed here (a published number with its citation, a
setting or budget the course states). This test is the static half: it finds every
unmarked figure and every claim that is not valid Python; the executed notebooks
(``make test``'s nbval stage) check that each claim holds.
"""

import ast
import json
import re
from pathlib import Path

import pytest

from aigc_course.lesson import CLAIM, find_claims

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("[0-9][0-9]_*.ipynb"))

_MARKER = re.compile(r"<!--\s*(claim|source):.*?-->", re.S)
_NOT_PROSE = re.compile(r"```.*?```|`[^`]*`|\$\$.*?\$\$|\$[^$]*\$|<!--.*?-->|\]\([^)]*\)"  # code, maths, links
                        r"|^#+\s*[\d.]+|\b0\d\.\d+\b", re.S | re.M)  # heading numbers, exercise ids like 03.1
_REFERENCE = r"(?<!section )(?<!§)(?<!lesson )(?<!Python )(?<!version )(?<!v)"
FIGURE = re.compile(
    _REFERENCE + r"\b\d[\d,]*\.\d+\b"                                     # a decimal: 1.74, 0.5
    r"|\b\d+(?:\.\d+)?\s?%"                                              # a percentage
    r"|\b\d+(?:\.\d+)?\s?(?:×|x\b|times\b)(?!\s?\d)"                     # a ratio, not a shape like 28×28
    r"|\b\d[\d,]*(?:\.\d+)?(?:\s?(?:seconds?|minutes?|ms|nats?|bits?)\b|\ss\b)"  # a time or a loss
    r"|\bFID\s(?:of\s)?\d+", re.I)


def _sentences(markdown: str) -> list[str]:
    """Sentences, list items and table rows, each with the markers that follow it attached."""
    markers = []

    def park(match: re.Match) -> str:  # a marker's own ": " and "." must not split a sentence
        markers.append(match.group(0))
        return f"\0{len(markers) - 1}\0"

    markdown = _MARKER.sub(park, re.sub(r"\s+(?=<!--\s*(?:claim|source):)", "", markdown))
    pieces = re.split(r"(?<=[.!?:;。！？])\s+(?!\0)|\n", markdown)
    return [re.sub(r"\0(\d+)\0", lambda m: markers[int(m.group(1))], s) for s in pieces if s.strip()]


def unmarked_figures(notebook: Path) -> list[str]:
    """Every sentence of the notebook's Markdown that quotes a figure without a claim or source marker."""
    found = []
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    for index, cell in enumerate(cells):
        if cell["cell_type"] != "markdown":
            continue
        for sentence in _sentences("".join(cell["source"])):
            figures = FIGURE.findall(_NOT_PROSE.sub(" ", sentence))
            if figures and not _MARKER.search(sentence):
                found.append(f"cell {index}: {', '.join(figures)} in {sentence.strip()[:160]!r}")
    return found


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_every_quoted_figure_is_claimed_or_sourced(notebook):
    unmarked = unmarked_figures(notebook)
    assert not unmarked, "figures with no <!-- claim: ... --> or <!-- source: ... --> marker:\n" + "\n".join(unmarked)


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_claims_are_python_and_the_notebook_checks_them(notebook):
    claims = find_claims(notebook)
    for claim in claims:
        ast.parse(claim.expression, mode="eval")  # a SyntaxError names the claim
    cells = [c for c in json.loads(notebook.read_text(encoding="utf-8"))["cells"] if c["cell_type"] == "code"]
    # the first code cell is the setup cell for hosted Jupyter (tests/test_hosted.py); the next creates the lesson
    first, last = "".join(cells[1]["source"]), "".join(cells[-1]["source"])
    assert f'Lesson("{notebook.name[:2]}"' in first, "the code cell after the setup cell creates the lesson: Lesson(\"NN\")"
    assert "lesson.finish(globals()" in last, "the last code cell checks the claims: lesson.finish(globals(), ...)"
    assert claims, "a lesson states results; mark them with <!-- claim: ... -->"


def test_the_figure_finder_sees_figures_and_skips_references():
    def figures(text):
        return FIGURE.findall(_NOT_PROSE.sub(" ", text))

    assert figures("it reaches 1.74 nats/char in 203 s, 2.4× faster, 12 % of the time")
    assert figures("a DCGAN step costs 2.45 times an MLP step") == ["2.45"]
    assert figures("about 5 times longer") and figures("in 29 s")
    assert not figures("see section 5.2 and exercise 03.1; images are 28×28; `x = 0.5`; $p = 0.5$")
    assert not figures("Python 3.11, lesson 04, 1,600 steps, **03.1** Write")
    assert not figures("### 3.1 Words") and not figures("the 1s and 7s are rare")
    assert CLAIM.search("<!-- claim: gpt_val < 1.75 -->")
    assert _sentences("It takes 2.4 s. <!-- claim: a: b -->\nNext 3.5 s.<!-- source: x. y -->") == [
        "It takes 2.4 s.<!-- claim: a: b -->", "Next 3.5 s.<!-- source: x. y -->"]


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_markers_leave_no_stray_space_before_punctuation(notebook):
    """A marker is invisible, the spaces around it are not: ``word <!-- claim: x --> .`` renders as ``word .``."""
    stray = re.compile(r"\s(?:<!--(?:(?!-->).)*-->)+\s*[.,;:)!?]|(?:<!--(?:(?!-->).)*-->)+\s+[.,;:)!?]", re.S)
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    found = [f"cell {i}: {m.group(0)[-80:]!r}" for i, c in enumerate(cells) if c["cell_type"] == "markdown"
             for m in stray.finditer("".join(c["source"]))]
    assert not found, "write the marker right after the word, before the punctuation:\n" + "\n".join(found)

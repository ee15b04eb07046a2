"""Export a profile, its scores, the comparison and the plan as Markdown or HTML.

Both formats are rendered from one list of blocks (headings, paragraphs, lists, tables),
so they always say the same thing; the HTML page also embeds the two charts as images. The export carries the sources of every cited
figure and the caveats. Files are written atomically (temporary file + ``os.replace``).
"""

from __future__ import annotations

import base64
import html
import os
from datetime import date
from pathlib import Path

from .figures import CAVEATS, sources
from .plan import HORIZONS, Plan, make_plan
from .profile import SKILLS, Profile
from .rubric import CITATION, RUBRIC
from .scoring import compare
from ..validate import check_bool, check_path
from ..io import write_atomically

Block = tuple  # ("h", level, text) | ("p", text) | ("ul", [items]) | ("table", headers, rows) | ("img", alt, png)


def _png(figure) -> bytes:
    """A matplotlib figure as PNG bytes (the figure is closed afterwards)."""
    import io

    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=90, bbox_inches="tight")
    plt.close(figure)
    return buffer.getvalue()


def _check(profile: object, plan: object) -> None:
    """``profile`` must be a Profile; ``plan`` None or a Plan made for the same role."""
    if not isinstance(profile, Profile):
        raise TypeError(f"profile must be a Profile, got {type(profile).__name__}")
    if plan is None:
        return
    if not isinstance(plan, Plan):
        raise TypeError(f"plan must be a Plan from make_plan(profile), or None, got {type(plan).__name__}")
    if plan.role != profile.role:
        raise ValueError(f"plan was made for role {plan.role!r}, not for {profile.role!r}: pass make_plan(profile), "
                         "or plan=None to make it here")


def _blocks(profile: Profile, plan: Plan | None = None, charts: bool = False) -> list[Block]:
    comparison = compare(profile)
    plan = plan if plan is not None else make_plan(profile)
    s = comparison.scores
    blocks: list[Block] = [
        ("h", 1, f"AIGC career reflection: {profile.role}"),
        ("p", f"Exported on {date.today().isoformat()} from the AIGC from Zero course (notebook 08). "
              "Every number is either your own rating or a cited figure."),
        ("h", 2, "Your tasks"),
        ("table", ["task", "share of time", "label", "note"],
         [[t.name, f"{t.share:g}%", f"{t.label} ({RUBRIC[t.label].name})", t.note] for t in profile.tasks]),
        ("p", f"Time-weighted exposure: alpha = {s.alpha:.3f}, beta = {s.beta:.3f}, zeta = {s.zeta:.3f} "
              "(fractions of working time an LLM could halve; E2 counts half in beta)."),
        ("h", 2, "Compared with cited figures"),
        ("table", ["who", "beta (GPT-4 rated)", "beta (human rated)", "source"],
         [[r["who"], "—" if r["beta_gpt4"] is None else f"{r['beta_gpt4']:.3f}", f"{r['beta_human']:.3f}", r["source"]]
          for r in comparison.rows()]),
        ("p", comparison.summary()),
    ]
    if charts:  # only the HTML export embeds pictures; Markdown stays plain text
        from .charts import plot_exposure, plot_skills_radar

        blocks += [("img", "your tasks by label, and your beta beside the cited figures",
                    _png(plot_exposure(profile, comparison))),
                   ("img", "self-rated skills radar", _png(plot_skills_radar(profile)))]
    blocks += [
        ("h", 3, "Caveats"),
        ("ul", list(CAVEATS)),
        ("h", 2, "Skills (self-rated, 1-5)"),
        ("ul", [f"{SKILLS[k].split(':')[0]}: {v}/5" for k, v in profile.skills.items()]
               + [f"AI-tool fluency: {profile.tool_fluency}/5"]),
    ]
    if profile.reflections:
        blocks += [("h", 2, "Reflections"), ("ul", [f"{q} {a}" for q, a in profile.reflections.items()])]
    blocks.append(("h", 2, "Plan"))
    for day in HORIZONS:
        blocks.append(("h", 3, f"By day {day}"))
        blocks.append(("ul", [f"[{a.kind}] {a.title}. How: {a.how} Why: {a.why}" for a in plan.by_day(day)]))
    blocks += [("h", 2, "Sources"), ("ul", [f"Rubric: {CITATION}"] + sources())]
    return blocks


def _md_cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _to_markdown(blocks: list[Block]) -> str:
    out: list[str] = []
    for block in blocks:
        kind = block[0]
        if kind == "h":
            out.append("#" * block[1] + " " + block[2])
        elif kind == "p":
            out.append(block[1])
        elif kind == "ul":
            out.append("\n".join(f"- {item}" for item in block[1]))
        elif kind == "table":
            headers, rows = block[1], block[2]
            lines = ["| " + " | ".join(map(_md_cell, headers)) + " |", "|" + "---|" * len(headers)]
            lines += ["| " + " | ".join(map(_md_cell, row)) + " |" for row in rows]
            out.append("\n".join(lines))
    return "\n\n".join(out) + "\n"


def _to_html(blocks: list[Block], title: str) -> str:
    e = html.escape
    body: list[str] = []
    for block in blocks:
        kind = block[0]
        if kind == "h":
            body.append(f"<h{block[1]}>{e(block[2])}</h{block[1]}>")
        elif kind == "p":
            body.append(f"<p>{e(block[1])}</p>")
        elif kind == "ul":
            body.append("<ul>" + "".join(f"<li>{e(item)}</li>" for item in block[1]) + "</ul>")
        elif kind == "table":
            head = "".join(f"<th>{e(h)}</th>" for h in block[1])
            rows = "".join("<tr>" + "".join(f"<td>{e(str(c))}</td>" for c in row) + "</tr>" for row in block[2])
            body.append(f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>")
        elif kind == "img":
            data = base64.b64encode(block[2]).decode("ascii")
            body.append(f'<p><img alt="{e(block[1])}" src="data:image/png;base64,{data}" style="max-width:100%"></p>')
    style = ("body{font-family:sans-serif;max-width:60em;margin:2em auto;line-height:1.45}"
             "table{border-collapse:collapse}td,th{border:1px solid #bbb;padding:.3em .5em;vertical-align:top}")
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{e(title)}</title>'
            f"<style>{style}</style></head><body>\n" + "\n".join(body) + "\n</body></html>\n")


def to_markdown(profile: Profile, plan: Plan | None = None) -> str:
    """The reflection as Markdown: tasks, scores, comparison with sources, caveats, skills, plan."""
    _check(profile, plan)
    return _to_markdown(_blocks(profile, plan))


def to_html(profile: Profile, plan: Plan | None = None, charts: bool = True) -> str:
    """The same reflection as a standalone HTML page (UTF-8, no external resources).

    With ``charts=True`` the exposure chart and the skills radar are embedded as PNG images.
    """
    _check(profile, plan)
    charts = check_bool(charts, "charts")
    return _to_html(_blocks(profile, plan, charts=charts), f"AIGC career reflection: {profile.role}")


def export(profile: Profile, path: str | os.PathLike, plan: Plan | None = None) -> Path:
    """Write the reflection to ``path``: Markdown for ``.md``, HTML for ``.html``/``.htm``. Returns the path.

    Raises ``TypeError``/``ValueError`` for a bad argument (before any work) and ``OSError``
    with the path in the message when the file cannot be written.
    """
    path = check_path(path, "path").expanduser()
    suffix = path.suffix.lower()
    if suffix not in (".md", ".html", ".htm"):
        raise ValueError(f"path must end in .md, .html or .htm, got {path.name!r}")
    _check(profile, plan)
    if path.is_dir():
        raise IsADirectoryError(f"path {path} is a folder; give a file name such as {path / ('plan' + suffix)}")
    text = to_markdown(profile, plan) if suffix == ".md" else to_html(profile, plan)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, text.encode("utf-8"))
    except OSError as error:
        message = f"cannot write {path}: {error.strerror or error} (choose another folder)"
        raise (type(error)(error.errno, message) if error.errno is not None else type(error)(message)) from None
    return path

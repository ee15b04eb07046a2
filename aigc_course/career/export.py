"""Export a profile, its scores, the comparison and the plan as Markdown or HTML.

The document is written in the learner's language at the moment of export (English or
Chinese, see :mod:`aigc_course.language`); the learner's own entries, occupation titles and
sources are quoted as they are.

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

from ..language import language, tr
from .figures import CAVEATS, sources
from .plan import HORIZONS, KIND_NAMES, Plan, make_plan
from .profile import Profile, skill_name
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
        raise TypeError(tr(f"profile must be a Profile, got {type(profile).__name__}",
                           f"profile 必须是 Profile，收到的是 {type(profile).__name__}"))
    if plan is None:
        return
    if not isinstance(plan, Plan):
        raise TypeError(tr(f"plan must be a Plan from make_plan(profile), or None, got {type(plan).__name__}",
                           f"plan 必须是 make_plan(profile) 生成的 Plan，或者 None，收到的是 {type(plan).__name__}"))
    if plan.role != profile.role:
        raise ValueError(tr(f"plan was made for role {plan.role!r}, not for {profile.role!r}: pass make_plan(profile), "
                            "or plan=None to make it here",
                            f"plan 是为岗位 {plan.role!r} 制订的，不是为 {profile.role!r}：请传入 make_plan(profile)，"
                            "或传入 plan=None，在这里生成"))


def _title(profile: Profile) -> str:
    return tr(f"AIGC career reflection: {profile.role}", f"AIGC 时代的职业反思：{profile.role}")


def _blocks(profile: Profile, plan: Plan | None = None, charts: bool = False) -> list[Block]:
    comparison = compare(profile)
    plan = plan if plan is not None else make_plan(profile)
    s = comparison.scores
    zh = language() == "zh"
    blocks: list[Block] = [
        ("h", 1, _title(profile)),
        ("p", tr(f"Exported on {date.today().isoformat()} from the AIGC from Zero course (notebook 08). "
                 "Every number is either your own rating or a cited figure.",
                 f"{date.today().isoformat()} 导出自“AIGC 从零开始”课程（笔记本 08）。"
                 "每个数字要么是你自己的评分，要么是注明出处的数据。")),
        ("h", 2, tr("Your tasks", "你的任务")),
        ("table", [tr("task", "任务"), tr("share of time", "时间比例"), tr("label", "标签"), tr("note", "备注")],
         [[t.name, f"{t.share:g}%", tr(f"{t.label} ({RUBRIC[t.label].name})", f"{t.label}（{RUBRIC[t.label].name}）"),
           t.note] for t in profile.tasks]),
        ("p", tr(f"Time-weighted exposure: alpha = {s.alpha:.3f}, beta = {s.beta:.3f}, zeta = {s.zeta:.3f} "
                 "(fractions of working time an LLM could halve; E2 counts half in beta).",
                 f"按时间加权的暴露度：alpha = {s.alpha:.3f}，beta = {s.beta:.3f}，zeta = {s.zeta:.3f}"
                 "（LLM 能让其时间减半的那部分工作时间所占的比例；在 beta 中 E2 按一半计）。")),
        ("h", 2, tr("Compared with cited figures", "与引用的数据比较")),
        ("table", [tr("who", "对象"), tr("beta (GPT-4 rated)", "beta（GPT-4 评分）"),
                   tr("beta (human rated)", "beta（人工评分）"), tr("source", "出处")],
         [[r["who"], "—" if r["beta_gpt4"] is None else f"{r['beta_gpt4']:.3f}", f"{r['beta_human']:.3f}", r["source"]]
          for r in comparison.rows()]),
        ("p", comparison.summary()),
    ]
    if charts:  # only the HTML export embeds pictures; Markdown stays plain text
        from .charts import plot_exposure, plot_skills_radar

        blocks += [("img", tr("your tasks by label, and your beta beside the cited figures",
                              "按标签着色的各项任务，以及你的 beta 与引用数据的对比"),
                    _png(plot_exposure(profile, comparison))),
                   ("img", tr("self-rated skills radar", "技能自评雷达图"), _png(plot_skills_radar(profile)))]
    separator = "：" if zh else ": "
    blocks += [
        ("h", 3, tr("Caveats", "注意事项")),
        ("ul", list(CAVEATS)),
        ("h", 2, tr("Skills (self-rated, 1-5)", "技能（自评，1-5）")),
        ("ul", [f"{skill_name(k)}{separator}{v}/5" for k, v in profile.skills.items()]
               + [tr(f"AI-tool fluency: {profile.tool_fluency}/5", f"AI 工具熟练度：{profile.tool_fluency}/5")]),
    ]
    if profile.reflections:
        blocks += [("h", 2, tr("Reflections", "反思")), ("ul", [f"{q} {a}" for q, a in profile.reflections.items()])]
    blocks.append(("h", 2, tr("Plan", "计划")))
    for day in HORIZONS:
        blocks.append(("h", 3, tr(f"By day {day}", f"第 {day} 天前")))
        if zh:
            blocks.append(("ul", [f"[{KIND_NAMES[a.kind]}] {a.title}。怎么做：{a.how}为什么：{a.why}"
                                  for a in plan.by_day(day)]))
        else:
            blocks.append(("ul", [f"[{a.kind}] {a.title}. How: {a.how} Why: {a.why}" for a in plan.by_day(day)]))
    blocks += [("h", 2, tr("Sources", "出处")), ("ul", [tr(f"Rubric: {CITATION}", f"评分标准：{CITATION}")] + sources())]
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
    lang = tr("en", "zh-CN")
    return (f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8"><title>{e(title)}</title>'
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
    return _to_html(_blocks(profile, plan, charts=charts), _title(profile))


def export(profile: Profile, path: str | os.PathLike, plan: Plan | None = None) -> Path:
    """Write the reflection to ``path``: Markdown for ``.md``, HTML for ``.html``/``.htm``. Returns the path.

    Raises ``TypeError``/``ValueError`` for a bad argument (before any work) and ``OSError``
    with the path in the message when the file cannot be written.
    """
    path = check_path(path, "path").expanduser()
    suffix = path.suffix.lower()
    if suffix not in (".md", ".html", ".htm"):
        raise ValueError(tr(f"path must end in .md, .html or .htm, got {path.name!r}",
                            f"path 必须以 .md、.html 或 .htm 结尾，收到的是 {path.name!r}"))
    _check(profile, plan)
    if path.is_dir():
        raise IsADirectoryError(tr(f"path {path} is a folder; give a file name such as {path / ('plan' + suffix)}",
                                   f"path {path} 是一个文件夹；请给出文件名，例如 {path / ('plan' + suffix)}"))
    text = to_markdown(profile, plan) if suffix == ".md" else to_html(profile, plan)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, text.encode("utf-8"))
    except OSError as error:
        message = tr(f"cannot write {path}: {error.strerror or error} (choose another folder)",
                     f"无法写入 {path}：{error.strerror or error}（请换一个文件夹）")
        raise (type(error)(error.errno, message) if error.errno is not None else type(error)(message)) from None
    return path

"""An ipywidgets form for the career reflection: tasks, time shares, labels, skills; live chart.

    from aigc_course.widgets.career import CareerForm
    form = CareerForm(store=AnswerStore())   # loads saved answers if there are any
    form                                      # shows the form in a notebook

The plain-code twin is :func:`aigc_course.career.view.show_reflection`, which the form
calls on every change. Saving uses :class:`aigc_course.career.store.AnswerStore`, so an
unreadable answers file is reported in the form and never overwritten, and a save that
would replace answers saved elsewhere since the form loaded them (another notebook, another
form) is refused with a message; ``form.save(overwrite=True)`` or
``form.save(keep_unreadable=True)`` proceed on purpose.
"""

from __future__ import annotations

import ipywidgets as w
from IPython.display import display

from ..career.export import export
from ..career.figures import ilo_groups, reference_codes
from ..career.profile import SKILLS, Profile, Task, skill_name
from ..career.rubric import LABELS, RUBRIC
from ..career.store import AnswersFileError, AnswersFolderError, AnswerStore, ConcurrentSaveError
from ..career.view import show_reflection
from ..language import tr


def _default_role() -> str:
    """The role of a new, empty form, in the learner's language."""
    return tr("my job", "我的工作")


class _TaskRow:
    """One editable task: name, share of time (%), label, a note, and a remove button."""

    def __init__(self, task: Task | None, on_change, on_remove) -> None:
        self.name = w.Text(value=task.name if task else "", placeholder=tr("a task of your job", "你工作中的一项任务"),
                           layout=w.Layout(width="36%"))
        self.share = w.BoundedFloatText(value=task.share if task else 10.0, min=0.0, max=100.0, step=5.0,
                                        description="%", layout=w.Layout(width="15%"))
        self.label = w.Dropdown(options=[(f"{l} {RUBRIC[l].name}", l) for l in LABELS],
                                value=task.label if task else "E0", layout=w.Layout(width="22%"))
        self.note = w.Text(value=task.note if task else "", placeholder=tr("note", "备注"), layout=w.Layout(width="19%"))
        self.remove = w.Button(description="✕", tooltip=tr("remove this task", "删除这项任务"), layout=w.Layout(width="6%"))
        self.box = w.HBox([self.name, self.share, self.label, self.note, self.remove])
        for widget in (self.name, self.share, self.label, self.note):
            widget.observe(lambda _change: on_change(), names="value")
        self.remove.on_click(lambda _button: on_remove(self))

    def task(self) -> Task | None:
        """The row as a Task, or None while it is still empty (no name or 0%)."""
        if not self.name.value.strip() or self.share.value <= 0:
            return None
        return Task(self.name.value, self.share.value, self.label.value, self.note.value)


class CareerForm:
    """The interactive reflection. ``form.profile()`` is the current draft; ``form.widget`` the UI."""

    def __init__(self, profile: Profile | None = None, store: AnswerStore | None = None) -> None:
        if profile is not None and not isinstance(profile, Profile):
            raise TypeError(tr(f"profile must be a Profile or None, got {type(profile).__name__}",
                               f"profile 必须是 Profile 或 None，收到的是 {type(profile).__name__}"))
        if store is not None and not isinstance(store, AnswerStore):
            raise TypeError(tr(f"store must be an AnswerStore or None, got {type(store).__name__}",
                               f"store 必须是 AnswerStore 或 None，收到的是 {type(store).__name__}"))
        self.store = store if store is not None else AnswerStore()
        self.status = w.HTML()
        if profile is None:
            try:
                profile = self.store.load()
            except AnswersFileError as error:  # shown, and saving stays refused until the learner acts
                self._say(f"⚠ {error}", colour="#b00")
        profile = profile if profile is not None else Profile(role=_default_role())
        self._ready = False
        label_style = {"description_width": "100px"}
        self.role = w.Text(value=profile.role, description=tr("role", "岗位"), style=label_style,
                           layout=w.Layout(width="60%"))
        self.reference = w.Dropdown(options=[(title, code) for code, title in reference_codes().items()],
                                    value=profile.reference, description=tr("compare with", "对比对象"),
                                    style=label_style, layout=w.Layout(width="95%"))
        self.isco = w.Dropdown(options=[(tr("(none)", "（不选）"), "")]
                               + [(f"{g.isco} {g.title}", g.isco) for g in ilo_groups()],
                               value=profile.isco_group or "", description=tr("ILO group", "ILO 大类"), style=label_style,
                               layout=w.Layout(width="60%"))
        wide = {"style": {"description_width": "150px"}, "layout": w.Layout(width="420px")}
        self.skills = {k: w.IntSlider(value=v, min=1, max=5, description=tr(k.replace("_", " "), skill_name(k)), **wide)
                       for k, v in profile.skills.items()}
        self.fluency = w.IntSlider(value=profile.tool_fluency, min=1, max=5,
                                   description=tr("AI-tool fluency", "AI 工具熟练度"), **wide)
        self._reflections = dict(profile.reflections)
        self.rows: list[_TaskRow] = []
        self.rows_box = w.VBox()
        for task in profile.tasks:
            self._add_row(task)
        add = w.Button(description=tr("add task", "添加任务"), icon="plus")
        add.on_click(lambda _b: self._add_row(None))
        save = w.Button(description=tr("save answers", "保存答案"), button_style="success", icon="save")
        save.on_click(lambda _b: self.save())
        export_button = w.Button(description=tr("export plan (.md, .html)", "导出计划（.md、.html）"), icon="file",
                                 layout=w.Layout(width="auto"))
        export_button.on_click(lambda _b: self.export())
        self.output = w.Output()
        for widget in (self.role, self.reference, self.isco, self.fluency, *self.skills.values()):
            widget.observe(lambda _change: self.refresh(), names="value")
        self.widget = w.VBox([
            self.role, self.reference, self.isco,
            w.HTML(tr("<b>Tasks</b> (share of working time, rubric label)", "<b>任务</b>（占工作时间的比例，评分标准标签）")),
            self.rows_box, add, w.HTML(tr("<b>Self-ratings</b> (1 weak - 5 strong)", "<b>自评</b>（1 弱 - 5 强）")),
            *self.skills.values(),
            self.fluency, w.HBox([save, export_button]), self.status, self.output,
        ])
        self._ready = True
        self.refresh()

    # ----------------------------------------------------------------------------------
    def _say(self, text: str, colour: str = "#333") -> None:
        import html

        self.status.value = f'<span style="color:{colour}">{html.escape(text)}</span>'

    def _add_row(self, task: Task | None) -> None:
        row = _TaskRow(task, self.refresh, self._remove_row)
        self.rows.append(row)
        self.rows_box.children = [r.box for r in self.rows]
        self.refresh()

    def _remove_row(self, row: _TaskRow) -> None:
        self.rows.remove(row)
        self.rows_box.children = [r.box for r in self.rows]
        self.refresh()

    def profile(self) -> Profile:
        """The form's current content as a (possibly draft) Profile; raises ValueError on a bad field."""
        tasks = [t for t in (row.task() for row in self.rows) if t is not None]
        return Profile(role=self.role.value or _default_role(), reference=self.reference.value,
                       isco_group=self.isco.value or None,
                       tasks=tuple(tasks), skills={k: s.value for k, s in self.skills.items()},
                       tool_fluency=self.fluency.value, reflections=self._reflections)

    def refresh(self) -> None:
        """Redraw the scores and charts for the current content (cheap: one matplotlib figure pair)."""
        if not getattr(self, "_ready", False):
            return
        with self.output:
            self.output.clear_output(wait=True)
            try:
                show_reflection(self.profile())
            except (TypeError, ValueError) as error:
                print(tr(f"Check the form: {error}", f"请检查表单：{error}"))

    def save(self, *, overwrite: bool = False, keep_unreadable: bool = False) -> None:
        """Save the current draft; report the path or the reason it was refused (never a traceback).

        ``overwrite=True`` replaces answers that another save wrote since the form loaded
        them; ``keep_unreadable=True`` renames an unreadable answers file aside first (see
        :meth:`aigc_course.career.store.AnswerStore.save`).
        """
        import warnings

        try:
            with warnings.catch_warnings():  # the kept-aside notice is shown in the form instead
                warnings.simplefilter("ignore")
                path = self.store.save(self.profile(), overwrite=overwrite, keep_unreadable=keep_unreadable)
        except ConcurrentSaveError as error:
            self._say(tr(f"Not saved: {error} In this form: run form.save(overwrite=True) to replace them, or "
                         "build a new form, CareerForm(store=...), to load them.",
                         f"未保存：{error}在这个表单里，可以运行 form.save(overwrite=True) 替换那些答案，"
                         "或者新建一个表单 CareerForm(store=...) 载入它们。"), colour="#b00")
        except AnswersFolderError as error:
            self._say(tr(f"Not saved: {error}", f"未保存：{error}"), colour="#b00")
        except AnswersFileError as error:
            self._say(tr(f"Not saved: {error} In this form: form.save(keep_unreadable=True).",
                         f"未保存：{error}在这个表单里，可以运行 form.save(keep_unreadable=True)。"), colour="#b00")
        except (TypeError, ValueError, OSError) as error:
            self._say(tr(f"Not saved: {error}", f"未保存：{error}"), colour="#b00")
        else:
            kept = (tr(f" The unreadable file was kept as {self.store.kept_aside}.",
                       f"无法读取的文件已留存为 {self.store.kept_aside}。") if self.store.kept_aside else "")
            self._say(tr(f"Saved to {path} (previous version kept as {self.store.backup_path.name}).{kept}",
                         f"已保存到 {path}（上一版留存为 {self.store.backup_path.name}）。{kept}"),
                      colour="#060")

    def export(self) -> None:
        """Export the plan next to the saved answers, as Markdown and HTML."""
        try:
            profile = self.profile().require_complete()
            paths = [export(profile, self.store.folder / f"career_plan{ext}") for ext in (".md", ".html")]
        except (TypeError, ValueError, OSError) as error:
            self._say(tr(f"Not exported: {error}", f"未导出：{error}"), colour="#b00")
        else:
            self._say(tr("Exported " + " and ".join(str(p) for p in paths), "已导出 " + " 和 ".join(str(p) for p in paths)),
                      colour="#060")

    def _ipython_display_(self) -> None:
        display(self.widget)

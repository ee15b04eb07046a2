"""The task-exposure rubric of Eloundou, Manning, Mishkin & Rock ("GPTs are GPTs", 2024), as data.

A task is *exposed* when access to an LLM-based system would cut the time a person
needs to do it by at least half, at equal quality. Every task gets one of three labels:

- ``E0`` not exposed: an LLM would not halve the time (physical work, presence, care,
  judgement that depends on being there, or quality that would drop).
- ``E1`` directly exposed: an LLM chat interface *alone* halves it (writing, editing,
  transforming text or code, translating, summarising, answering from general knowledge).
- ``E2`` exposed with software built on the LLM: halving the time needs more than a chat
  box (retrieval over private documents, tools such as a database or a spreadsheet,
  very long documents, images).

An occupation's (or a person's) scores are shares of its tasks:

    alpha = share(E1)                      the lower bound: chat alone
    beta  = share(E1) + 0.5 * share(E2)    the middle: half credit for software not yet built
    zeta  = share(E1) + share(E2)          the upper bound (the paper's gamma)

The wording below is a paraphrase written for this course, not the paper's text.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..language import Text, tr

CITATION = (
    "Eloundou, T., Manning, S., Mishkin, P. & Rock, D. (2024). GPTs are GPTs: Labor market impact "
    "potential of LLMs. Science 384(6702):1306-1308."
)


@dataclass(frozen=True)
class Level:
    """One rubric label: its code, a short name, when it applies, and typical examples.

    ``name``, ``meaning`` and each example are :class:`~aigc_course.language.Text` pairs: they read in
    the learner's language when printed (``str(level.name)``, or an f-string).
    """

    code: str
    name: Text
    meaning: Text
    examples: tuple[Text, ...]
    #: weight of this label in alpha, beta and zeta (share of a task counted as exposed)
    alpha_weight: float
    beta_weight: float
    zeta_weight: float


RUBRIC: dict[str, Level] = {
    "E0": Level(
        "E0", Text("not exposed", "不暴露"),
        Text("An LLM-based system would not cut the time by half at equal quality: the work is physical, "
             "needs presence or touch, depends on trust between people, or would lose quality.",
             "在质量不变的前提下，基于 LLM 的系统无法让所需时间减半：这类工作是体力劳动，需要本人在场或动手接触，"
             "依赖人与人之间的信任，或者质量会下降。"),
        (Text("repair a leaking pipe", "修理漏水的水管"), Text("comfort a grieving client", "安慰一位悲伤的客户"),
         Text("drive a delivery van", "驾驶送货车"), Text("lift a patient into bed", "把病人抱到床上")),
        0.0, 0.0, 0.0,
    ),
    "E1": Level(
        "E1", Text("directly exposed", "直接暴露"),
        Text("A chat interface to an LLM alone halves the time: writing and editing text, transforming or "
             "explaining text or code, translating, summarising, drafting from general knowledge.",
             "仅凭一个 LLM 聊天界面就能让时间减半：撰写和编辑文本，转换或解释文本与代码，翻译，摘要，"
             "凭常识起草。"),
        (Text("translate a product manual", "翻译一份产品说明书"),
         Text("summarise a meeting transcript", "为一份会议记录写摘要"),
         Text("draft a press release", "起草一篇新闻稿"),
         Text("fix a bug in a short function", "修复一个短函数里的 bug")),
        1.0, 1.0, 1.0,
    ),
    "E2": Level(
        "E2", Text("exposed with LLM-powered software", "借助 LLM 软件才暴露"),
        Text("The time is halved only with software built around the LLM: search over private or recent "
             "documents, tools (databases, spreadsheets, code execution), very long inputs, images.",
             "只有借助围绕 LLM 构建的软件，时间才能减半：在私有或最新的文档中检索，调用工具（数据库、电子表格、"
             "代码执行），处理很长的输入，处理图像。"),
        (Text("answer customer emails from the order database", "根据订单数据库回复客户邮件"),
         Text("find clauses across 10,000 archived contracts", "在 10,000 份存档合同中查找条款"),
         Text("turn a spreadsheet of survey answers into charts and a summary", "把一份问卷答案电子表格做成图表和摘要")),
        0.0, 0.5, 1.0,
    ),
}

LABELS: tuple[str, ...] = tuple(RUBRIC)


def check_label(label: object, *, name: str = "label") -> str:
    """Return ``label`` normalised (``"e1"`` -> ``"E1"``), or raise a clear error for anything else."""
    if not isinstance(label, str):
        raise TypeError(tr(f"{name} must be a string, one of {', '.join(LABELS)}; got {type(label).__name__} {label!r}",
                           f"{name} 必须是字符串，取 {', '.join(LABELS)} 之一；收到的是 {type(label).__name__} {label!r}"))
    code = label.strip().upper()
    if code not in RUBRIC:
        raise ValueError(tr(f"{name} {label!r} is not a rubric label; use one of {', '.join(LABELS)} "
                            "(E0 not exposed, E1 chat alone halves the time, E2 needs LLM-powered software)",
                            f"{name} {label!r} 不是评分标准的标签；请用 {', '.join(LABELS)} 之一"
                            "（E0 不暴露，E1 仅凭聊天界面就能让时间减半，E2 需要借助 LLM 软件）"))
    return code


def rubric_table() -> list[dict[str, str]]:
    """The rubric as rows (code, name, meaning, examples), ready for ``pandas.DataFrame``.

    The texts are in the learner's language of the moment; the keys stay the same.
    """
    separator = tr("; ", "；")
    return [
        {"label": level.code, "name": str(level.name), "meaning": str(level.meaning),
         "examples": separator.join(map(str, level.examples))}
        for level in RUBRIC.values()
    ]

"""Ten tasks to label with the rubric, each with the label this course gives it and the reason.

Used by exercise 08.1. Reasonable people disagree on a task or two (so do GPT-4 and the
paper's human raters); the reasons are the point.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..language import Text


@dataclass(frozen=True)
class PracticeTask:
    """A task to label (its name stays as written: the learner copies it into their answer), the course's label
    and the reason, a :class:`~aigc_course.language.Text` that reads in the learner's language."""

    task: str
    label: str
    reason: Text


PRACTICE_TASKS: tuple[PracticeTask, ...] = (
    PracticeTask("Translate a product manual from English into Chinese", "E1",
                 Text("Translation of text you can paste into a chat box: a chat LLM alone halves the time; you check it.",
                      "翻译能粘贴进聊天框的文本：仅凭聊天 LLM 就能让时间减半，你负责核查。")),
    PracticeTask("Summarise a two-page meeting transcript into five bullet points", "E1",
                 Text("Summarising a short text is the textbook E1 task.",
                      "给一段短文写摘要，是教科书式的 E1 任务。")),
    PracticeTask("Write a first draft of a press release from a list of facts", "E1",
                 Text("Drafting text from facts you supply needs nothing beyond the chat interface.",
                      "根据你提供的事实起草文本，除了聊天界面什么都不需要。")),
    PracticeTask("Fix a bug in a 40-line Python function, given the error message", "E1",
                 Text("Short code plus its error fit in a prompt; explaining and fixing code is directly exposed.",
                      "短代码连同报错信息都能放进一条提示词；解释和修复代码属于直接暴露。")),
    PracticeTask("Answer customer emails about their orders, using the company's order database", "E2",
                 Text("The answer depends on private, current data: halving the time needs software that looks orders up.",
                      "答案取决于私有的、最新的数据：要让时间减半，需要能查询订单的软件。")),
    PracticeTask("Find every contract clause about penalties across 10,000 archived contracts", "E2",
                 Text("Far too long for one prompt: needs retrieval over a document store built around the model.",
                      "内容太长，一条提示词远远放不下：需要在围绕模型构建的文档库中检索。")),
    PracticeTask("Turn a spreadsheet of 3,000 survey answers into charts and a summary", "E2",
                 Text("Needs a tool to compute and plot (code execution, spreadsheet access), not just a chat box.",
                      "需要能计算和画图的工具（代码执行、电子表格访问），光有聊天框不够。")),
    PracticeTask("Repair a leaking pipe under a kitchen sink", "E0",
                 Text("Physical work: an LLM cannot halve the time it takes to do it.",
                      "体力劳动：LLM 无法让完成它所需的时间减半。")),
    PracticeTask("Comfort a family at a hospital bedside after bad news", "E0",
                 Text("Presence, trust and care: an LLM would not halve the time at equal quality.",
                      "需要在场、信任与关怀：在质量不变的前提下，LLM 无法让时间减半。")),
    PracticeTask("Drive a delivery van through city traffic", "E0",
                 Text("Physical and real-time: text generation does not halve it (self-driving is not an LLM task).",
                      "体力活，而且要实时应对：文本生成无法让它的时间减半（自动驾驶不是 LLM 的任务）。")),
)

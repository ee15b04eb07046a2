"""Ten tasks to label with the rubric, each with the label this course gives it and the reason.

Used by exercise 08.1. Reasonable people disagree on a task or two (so do GPT-4 and the
paper's human raters); the reasons are the point.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PracticeTask:
    task: str
    label: str
    reason: str


PRACTICE_TASKS: tuple[PracticeTask, ...] = (
    PracticeTask("Translate a product manual from English into Chinese", "E1",
                 "Translation of text you can paste into a chat box: a chat LLM alone halves the time; you check it."),
    PracticeTask("Summarise a two-page meeting transcript into five bullet points", "E1",
                 "Summarising a short text is the textbook E1 task."),
    PracticeTask("Write a first draft of a press release from a list of facts", "E1",
                 "Drafting text from facts you supply needs nothing beyond the chat interface."),
    PracticeTask("Fix a bug in a 40-line Python function, given the error message", "E1",
                 "Short code plus its error fit in a prompt; explaining and fixing code is directly exposed."),
    PracticeTask("Answer customer emails about their orders, using the company's order database", "E2",
                 "The answer depends on private, current data: halving the time needs software that looks orders up."),
    PracticeTask("Find every contract clause about penalties across 10,000 archived contracts", "E2",
                 "Far too long for one prompt: needs retrieval over a document store built around the model."),
    PracticeTask("Turn a spreadsheet of 3,000 survey answers into charts and a summary", "E2",
                 "Needs a tool to compute and plot (code execution, spreadsheet access), not just a chat box."),
    PracticeTask("Repair a leaking pipe under a kitchen sink", "E0",
                 "Physical work: an LLM cannot halve the time it takes to do it."),
    PracticeTask("Comfort a family at a hospital bedside after bad news", "E0",
                 "Presence, trust and care: an LLM would not halve the time at equal quality."),
    PracticeTask("Drive a delivery van through city traffic", "E0",
                 "Physical and real-time: text generation does not halve it (self-driving is not an LLM task)."),
)

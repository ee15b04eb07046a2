"""Exercise checkers for lesson 08, career reflection in the AIGC era."""

from __future__ import annotations

import math
from typing import Any, Callable

from ..language import Text, tr
from . import NotYet, as_number, exercise

_PASS_MARK = 8  # of 10 practice tasks: the rubric leaves room for honest disagreement on one or two


def _close(got: float, want: float) -> bool:
    """Equal up to float32 rounding (a right answer may come back as a float32 tensor)."""
    return math.isclose(got, want, rel_tol=1e-6, abs_tol=1e-7)


def _label_mistakes(answer: dict, tasks) -> list[str]:
    """What kind of disagreement each group of differing labels shows, without giving the course's labels."""
    kinds = {
        ("E0", "exposed"): tr("you labelled {n} task(s) exposed that need hands, presence or care, which a language "
                              "model cannot halve (e.g. {task!r})",
                              "你把 {n} 项任务标成了有暴露度（E1 或 E2），但它们需要动手、到场或照护，语言模型无法让用时减半"
                              "（例如 {task!r}）"),
        ("E1", "E2"): tr("you gave {n} task(s) E2 although everything they need fits in a chat box "
                         "(e.g. {task!r})",
                         "你给 {n} 项任务标了 E2，但它们所需的一切都能放进聊天框（例如 {task!r}）"),
        ("E2", "E1"): tr("you gave {n} task(s) E1 although they need private data, very long documents or a tool "
                         "that computes, more than a chat box alone (e.g. {task!r})",
                         "你给 {n} 项任务标了 E1，但它们需要私有数据、很长的文档或能做计算的工具，"
                         "单靠聊天框不够（例如 {task!r}）"),
        ("exposed", "E0"): tr("you labelled {n} task(s) E0 that a language model could speed up a lot (e.g. {task!r})",
                              "你把 {n} 项语言模型能大大提速的任务标成了 E0（例如 {task!r}）"),
    }
    groups: dict[tuple[str, str], list[str]] = {}
    for p in tasks:
        mine = answer[p.task].strip().upper()
        if mine == p.label:
            continue
        if p.label == "E0":
            key = ("E0", "exposed")
        elif mine == "E0":
            key = ("exposed", "E0")
        else:
            key = (p.label, mine)
        groups.setdefault(key, []).append(p.task)
    return [kinds[key].format(n=len(found), task=found[0]) for key, found in groups.items()]


@exercise("08.1", Text("label ten tasks with the exposure rubric", "用暴露度评分标准给十项任务打标签"),
          hints=(Text("Take one task at a time and picture doing it with only a chat window open: would it take "
                      "half the time, at the same quality?",
                      "一次只看一项任务，设想手边只开着一个聊天窗口来完成它：质量不变，用时能减半吗？"),
                 Text("Physical work, presence and care are E0 whatever the tool. A task is E2, not E1, when the "
                      "text you would need is private, current or far too long to paste, or when something must "
                      "be computed.",
                      "体力劳动、需要到场或照护的工作，无论用什么工具都是 E0。如果所需的文本是私有的、最新的，"
                      "或者长得无法粘贴，又或者需要做计算，这项任务就是 E2 而不是 E1。"),
                 Text("Ask, in order: a chat box alone halves it -> E1; only software around the model (documents, "
                      "databases, code execution) would -> E2; neither -> E0.",
                      "依次自问：单靠聊天框就能减半 -> E1；要靠模型之外的软件（文档、数据库、代码执行）才能减半 "
                      "-> E2；都不能 -> E0。")))
def _(answer: Any) -> str | None:
    from ..career.practice import PRACTICE_TASKS
    from ..career.rubric import LABELS

    if not isinstance(answer, dict):
        raise NotYet(tr(f"answer with a dict {{task: label}} covering the {len(PRACTICE_TASKS)} tasks, "
                        f"got {type(answer).__name__}.",
                        f"请用字典 {{task: label}} 作答，覆盖全部 {len(PRACTICE_TASKS)} 项任务，"
                        f"却得到了 {type(answer).__name__}。"))
    known = {p.task for p in PRACTICE_TASKS}
    unknown = [t for t in answer if t not in known]
    if unknown:
        raise NotYet(tr(f"{unknown[0]!r} is not one of the ten tasks: copy the task names exactly as printed.",
                        f"{unknown[0]!r} 不在这十项任务之中：请照打印出的任务名原样复制。"))
    missing = [p.task for p in PRACTICE_TASKS if p.task not in answer]
    if missing:
        raise NotYet(tr(f"{len(missing)} task(s) have no label yet, e.g. {missing[0]!r}.",
                        f"还有 {len(missing)} 项任务没有标签，例如 {missing[0]!r}。"))
    bad = {t: l for t, l in answer.items() if not isinstance(l, str) or l.strip().upper() not in LABELS}
    if bad:
        task, label = next(iter(bad.items()))
        raise NotYet(tr(f"{task!r} has label {label!r}; use one of {', '.join(LABELS)}.",
                        f"{task!r} 的标签是 {label!r}；请从 {'、'.join(LABELS)} 中选一个。"))
    differ = [p for p in PRACTICE_TASKS if answer[p.task].strip().upper() != p.label]
    agree = len(PRACTICE_TASKS) - len(differ)
    if agree < _PASS_MARK:
        mistakes = _label_mistakes(answer, PRACTICE_TASKS)
        raise NotYet(tr(f"{agree} of {len(PRACTICE_TASKS)} agree with the course's labels (at least {_PASS_MARK} "
                        "needed): " + "; ".join(mistakes) + ".",
                        f"{len(PRACTICE_TASKS)} 项中有 {agree} 项与课程的标签一致（至少需要 {_PASS_MARK} 项）："
                        + "；".join(mistakes) + "。"))
    notes = tr("; ".join(f"{p.task!r}: the course says {p.label} ({p.reason})" for p in differ),
               "；".join(f"{p.task!r}：课程的标签是 {p.label}（{p.reason}）" for p in differ))
    return tr(f"{agree}/{len(PRACTICE_TASKS)} agree." + (f" Where you differ: {notes}" if differ else ""),
              f"{agree}/{len(PRACTICE_TASKS)} 项一致。" + (f"不一致之处：{notes}" if differ else ""))


_WEIGHT = {"E0": 0.0, "E1": 1.0, "E2": 0.5}


def _beta(tasks: list[tuple[float, str]], weight: dict[str, float] = _WEIGHT, total: float | None = None) -> float:
    time = sum(share for share, _ in tasks) if total is None else total
    return sum(share * weight[label] for share, label in tasks) / time


#: (tasks, what the shares are). Percentages sum to 100; hours and minutes per week do not.
_PERCENT = Text("percent", "百分比")
_HOURS_PER_WEEK = Text("hours per week", "每周的小时数")
_MINUTES_PER_WEEK = Text("minutes per week", "每周的分钟数")
_HOURS_PER_DAY = Text("hours per day", "每天的小时数")
_BETA_CASES: list[tuple[list[tuple[float, str]], Text]] = [
    ([(50, "E1"), (50, "E0")], _PERCENT),
    ([(20, "E1"), (40, "E2"), (40, "E0")], _PERCENT),
    ([(100, "E2")], _PERCENT),
    ([(10, "E1"), (10, "E2"), (80, "E0")], _PERCENT),  # time matters, not the number of tasks
    ([(70, "E0"), (5, "E1"), (25, "E2")], _PERCENT),
    ([(12, "E1"), (8, "E2"), (20, "E0")], _HOURS_PER_WEEK),  # a 40-hour week
    ([(600, "E1"), (300, "E2"), (1500, "E0")], _MINUTES_PER_WEEK),  # 2,400 minutes
    ([(7.5, "E2"), (2.5, "E1")], _HOURS_PER_DAY),
    ([(3, "E0")], _HOURS_PER_WEEK),
]

#: Mistakes a learner really makes, each as a function of the tasks, with what to tell them.
_BETA_MISTAKES: list[tuple[Callable[[list], float], Text]] = [
    (lambda t: _beta(t, total=100), Text("your function divides by 100, so it is right only when the shares are "
                                         "percentages; here they are {unit} (total {total:g}): use the task list's "
                                         "own total time",
                                         "你的函数除以 100，只有份额是百分比时才对；这里的份额是{unit}"
                                         "（总和为 {total:g}）：请用任务列表自身的总时间")),
    (lambda t: sum(_WEIGHT[l] for _, l in t) / len(t), Text("your function counts tasks and ignores their time: "
                                                           "a task that fills 80% of the week must weigh more "
                                                           "than one that fills 10%",
                                                           "你的函数数的是任务个数，忽略了每项任务的用时："
                                                           "占一周 80% 的任务，分量必须比只占 10% 的任务重")),
    (lambda t: sum(l == "E1" for _, l in t) / len(t), Text("your function counts tasks and ignores their time",
                                                          "你的函数数的是任务个数，忽略了每项任务的用时")),
    (lambda t: _beta(t, {"E0": 0, "E1": 1, "E2": 0}), Text("your result leaves the E2 tasks out (that is alpha, "
                                                           "the lower bound)",
                                                           "你的结果漏掉了 E2 任务（那是 alpha，即下界）")),
    (lambda t: _beta(t, {"E0": 0, "E1": 1, "E2": 1}), Text("your result counts the E2 tasks in full (that is "
                                                           "zeta, the upper bound)",
                                                           "你的结果把 E2 任务全额计入（那是 zeta，即上界）")),
    (lambda t: _beta(t, {"E0": 0, "E1": 0.5, "E2": 1}), Text("your weights for E1 and E2 are swapped",
                                                             "你把 E1 和 E2 的权重弄反了")),
    (lambda t: 100 * _beta(t), Text("your result is a percentage; beta is a fraction from 0 to 1",
                                    "你的结果是百分数；beta 是 0 到 1 之间的比例")),
]


@exercise("08.2", Text("time-weighted beta", "按时间加权的 beta"),
          hints=(Text("Work the section-4 editor by hand again (55% E1, 25% E2, 20% E0 gives 0.675) and write "
                      "down each step you took.",
                      "把第 4 节那位编辑的例子再手算一遍（55% E1、25% E2、20% E0 得 0.675），"
                      "并写下你做的每一步。"),
                 Text("Weigh each task by its time, not by how many tasks there are, and do not assume the shares "
                      "add up to 100: they may be hours or minutes.",
                      "按每项任务的用时加权，而不是按任务个数；也别假定份额之和为 100：它们可能是小时数或分钟数。"),
                 Text("beta = (time on E1 + 0.5 * time on E2) / (total time of all tasks).",
                      "beta = (E1 任务的用时 + 0.5 * E2 任务的用时) / (全部任务的总用时)。")))
def _(answer: Any) -> str | None:
    if not callable(answer):
        raise NotYet(tr("answer with your function time_weighted_beta(tasks) -> float, not a value.",
                        "请用你写的函数 time_weighted_beta(tasks) -> float 作答，而不是一个值。"))
    results = []
    for case, unit in _BETA_CASES:
        got = as_number(answer(list(case)), f"time_weighted_beta({case})")
        results.append(got)
    wrong = [(case, unit, got) for (case, unit), got in zip(_BETA_CASES, results)
             if not _close(got, _beta(case))]
    if not wrong:
        return None
    for mistake, message in _BETA_MISTAKES:
        if all(_close(got, mistake(case)) for (case, _), got in zip(_BETA_CASES, results)):
            case, unit, _ = wrong[0]
            raise NotYet(str(message).format(unit=unit, total=sum(s for s, _ in case)) + tr(".", "。"))
    case, unit, got = wrong[0]
    raise NotYet(tr(f"for tasks {case} (shares in {unit}) beta should be {_beta(case):.4f}, your function gave "
                    f"{got:.4f}.",
                    f"对任务 {case}（份额以{unit}计），beta 应为 {_beta(case):.4f}，你的函数给出 {got:.4f}。"))


_COPY_CASES = [
    ("the cat sat on the mat", "a dog sat on the mat today", 8),
    ("abcdefgh", "xxabcdxxefghxx", 4),
    ("to be or not to be", "to be or not to be", 5),
    ("nothing shared here", "completely different words", 6),
    ("ababab", "abab", 3),
    ("short", "short text", 10),  # the span is longer than the text: nothing can be copied
    ("zzzz that is the question zzzz", "To be, or not to be, that is the question.", 8),
    ("xx to be, or not", "To be, or not to be", 10),  # the copy ends the text: its last window counts too
    ("ab", "b", 1),
    ("Now is the winter of our discontent made glorious summer", "Now is the winter of our discontent\n"
     "Made glorious summer by this sun of York", 12),  # a case matters: 'made' is not 'Made'
]


def _reference_copied(generated: str, training: str, span: int) -> float:
    from ..career.memorisation import VerbatimIndex

    return VerbatimIndex(training, span).copied_fraction(generated)


def _copy_windows(generated: str, training: str, span: int, *, last: bool = True) -> list[int]:
    return [s for s in range(len(generated) - span + (1 if last else 0)) if generated[s:s + span] in training]


def _marked(generated: str, starts: list[int], span: int) -> float:
    covered = {i for s in starts for i in range(s, s + span)}
    return len(covered) / len(generated)


def _jumping(generated: str, training: str, span: int) -> float:
    covered, s = set(), 0
    while s <= len(generated) - span:
        if generated[s:s + span] in training:
            covered.update(range(s, s + span))
            s += span
        else:
            s += 1
    return len(covered) / len(generated)


_COPY_MISTAKES: list[tuple[Callable[[str, str, int], float], Text]] = [
    (lambda g, t, s: len(_copy_windows(g, t, s)) / len(g),
     Text("your function counts windows found, not characters: a character covered by a found window is copied, "
          "once, however many windows cover it",
          "你的函数数的是找到的窗口，而不是字符：字符只要被某个找到的窗口覆盖就算复制，"
          "不论被几个窗口覆盖，都只算一次")),
    (lambda g, t, s: len(_copy_windows(g, t, s)) / max(len(g) - s + 1, 1),
     Text("your function gives the share of windows found, not the share of characters",
          "你的函数给出的是找到的窗口所占的比例，而不是字符所占的比例")),
    (lambda g, t, s: _marked(g, _copy_windows(g, t, s, last=False), s),
     Text("your function misses the last window of the text (its loop stops one start too early)",
          "你的函数漏掉了文本的最后一个窗口（循环少走了最后一个起点）")),
    (lambda g, t, s: float(g in t),
     Text("your function asks whether the whole text is copied, all or nothing; measure the share of characters "
          "inside copied windows",
          "你的函数只判断整段文本是否被复制，非全即无；应当计算落在被复制窗口内的字符所占的比例")),
    (lambda g, t, s: float(any(g[i:i + s] in t for i in range(len(g) - s + 1))),
     Text("your function says whether any window is copied, all or nothing",
          "你的函数只判断有没有窗口被复制，非全即无")),
    (_jumping, Text("after a copied window your function jumps a whole span ahead, so it misses copies that "
                    "overlap or start inside that window",
                    "遇到被复制的窗口后，你的函数直接向前跳过整整一个 span，"
                    "于是漏掉了与该窗口重叠或从其内部开始的复制")),
    (lambda g, t, s: 100 * _reference_copied(g, t, s),
     Text("your result is a percentage; answer with a fraction from 0 to 1",
          "你的结果是百分数；请给出 0 到 1 之间的比例")),
]


@exercise("08.3", Text("share of characters copied verbatim", "逐字复制的字符比例"),
          hints=(Text("Try it by hand on 'ababab' against the training text 'abab' with span 3: which characters "
                      "lie inside a window that occurs in the training text?",
                      "先手算一遍：生成文本 'ababab'，训练文本 'abab'，span 为 3。哪些字符落在某个"
                      "在训练文本中出现过的窗口里？"),
                 Text("Go over every start position, including the last one where a whole window still fits; a "
                      "character counts once even if several found windows cover it.",
                      "遍历每个起点，包括还能放下完整窗口的最后一个起点；一个字符即使被多个找到的窗口覆盖，"
                      "也只算一次。"),
                 Text("Keep one True/False mark per character; for each start s with generated[s:s+span] in "
                      "training, mark s to s+span-1; return marked characters / len(generated).",
                      "为每个字符记一个 True/False 标记；对每个满足 generated[s:s+span] in training 的起点 s，"
                      "标记 s 到 s+span-1；返回被标记的字符数 / len(generated)。")))
def _(answer: Any) -> str | None:
    if not callable(answer):
        raise NotYet(tr("answer with your function copied_fraction(generated, training, span) -> float, not a value.",
                        "请用你写的函数 copied_fraction(generated, training, span) -> float 作答，而不是一个值。"))
    results = [as_number(answer(g, t, s), f"copied_fraction({g!r}, {t!r}, span={s})") for g, t, s in _COPY_CASES]
    wrong = [(case, got) for case, got in zip(_COPY_CASES, results)
             if not _close(got, _reference_copied(*case))]
    if not wrong:
        return None
    for mistake, message in _COPY_MISTAKES:
        if all(_close(got, mistake(*case)) for case, got in zip(_COPY_CASES, results)):
            raise NotYet(f"{message}" + tr(".", "。"))
    (generated, training, span), got = wrong[0]
    raise NotYet(tr(f"copied_fraction({generated!r}, {training!r}, span={span}) should be "
                    f"{_reference_copied(generated, training, span):.4f}, your function gave {got:.4f}.",
                    f"copied_fraction({generated!r}, {training!r}, span={span}) 应为 "
                    f"{_reference_copied(generated, training, span):.4f}，你的函数给出 {got:.4f}。"))


@exercise("08.4", Text("the three most exposed SOC groups by human raters", "人类评分者评出的暴露度最高的三个 SOC 大类"),
          hints=(Text("Each row of soc_groups() has a code, a kind, a title and two betas: print a few rows first.",
                      "soc_groups() 的每一行都有 code、kind、title 和两个 beta：先打印几行看看。"),
                 Text("Only the rows whose kind is 'soc_group' are major groups; the question is about the human "
                      "raters' column, most exposed first.",
                      "只有 kind 为 'soc_group' 的行才是大类；题目问的是人类评分者那一列，暴露度最高的排在最前。"),
                 Text("Sort the soc_group rows by beta_human, highest first (key=lambda g: -g.beta_human) and keep "
                      "the first three codes.",
                      "把 soc_group 行按 beta_human 从高到低排序（key=lambda g: -g.beta_human），取前三个 code。")))
def _(answer: Any) -> str | None:
    from ..career.figures import soc_groups

    groups = [g for g in soc_groups() if g.kind == "soc_group"]
    by_human = sorted(groups, key=lambda g: -g.beta_human)
    want = [g.code for g in by_human[:3]]
    if isinstance(answer, str) or not isinstance(answer, (list, tuple)):
        raise NotYet(tr(f"answer with a list of three SOC codes as strings, e.g. ['11', '23', '25'], got "
                        f"{type(answer).__name__} {answer!r:.60}.",
                        f"请用三个 SOC 代码（字符串）组成的列表作答，例如 ['11', '23', '25']，却得到了 "
                        f"{type(answer).__name__} {answer!r:.60}。"))
    if len(answer) != 3:
        raise NotYet(tr(f"the question asks for three groups, your list has {len(answer)}.",
                        f"题目要三个大类，你的列表里有 {len(answer)} 个。"))
    titles = {g.title: g.code for g in soc_groups()}
    if all(a in titles for a in answer):
        raise NotYet(tr("those are the groups' titles; answer with their codes (the 'code' field, e.g. '11').",
                        "这些是大类的名称；请用它们的代码作答（即 'code' 字段，例如 '11'）。"))
    if not all(isinstance(c, str) for c in answer):
        raise NotYet(tr(f"SOC codes are strings such as '15', not numbers: got {list(answer)!r}.",
                        f"SOC 代码是 '15' 这样的字符串，不是数：你给的是 {list(answer)!r}。"))
    answer = [c.strip() for c in answer]
    if answer == want:
        return tr(f"{', '.join(f'{g.code} {g.title} ({g.beta_human:.3f})' for g in by_human[:3])}.",
                  f"{'；'.join(f'{g.code} {g.title}（{g.beta_human:.3f}）' for g in by_human[:3])}。")
    if "all" in answer:
        raise NotYet(tr("'all' is the row of all 923 occupations, not a SOC major group: leave it out.",
                        "'all' 是全部 923 种职业合计的那一行，不是 SOC 大类：请去掉它。"))
    if answer == [g.code for g in sorted(groups, key=lambda g: -g.beta_gpt4)[:3]]:
        raise NotYet(tr("those are the top three by GPT-4's ratings; the question asks for the human raters.",
                        "这是按 GPT-4 的评分排出的前三；题目问的是人类评分者的评分。"))
    if answer == [g.code for g in by_human[::-1][:3]] or answer == [g.code for g in by_human[-3:]]:
        raise NotYet(tr("those are the least exposed groups; the question asks for the most exposed, highest first.",
                        "这些是暴露度最低的大类；题目要的是暴露度最高的，从高到低排列。"))
    if sorted(answer) == sorted(want):
        raise NotYet(tr("the right three groups, in the wrong order: highest human-rated beta first.",
                        "三个大类选对了，但顺序不对：人类评分的 beta 最高的排在最前。"))
    raise NotYet(tr(f"{answer} are not the three highest by human rating.",
                    f"{answer} 不是人类评分最高的三个大类。"))

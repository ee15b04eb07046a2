"""From a profile to a 30/60/90-day action plan, with the reasoning for every action shown.

The plan follows the article's three answers to AIGC anxiety:

1. **Learn the tools** (hand the exposed tasks to AI tools, and learn how the tools work
   in this course's notebooks),
2. **collaborate with AI rather than compete** (you review, correct and own the result;
   software-dependent tasks get a careful pilot), and
3. **build what AI lacks** (creative thinking, communication and collaboration,
   emotional intelligence), with a concrete practice for each weak spot.

Plus the article's risks (copyright, bias, authenticity) where the task list touches them.
Every action is made by a simple, readable rule from what the learner entered; the rule
is printed as the action's ``why``. No model is consulted.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..language import Text, language, tr
from ..validate import check_choice, check_int, check_str
from .profile import SKILLS, Profile, skill_name
from .scoring import exposure_scores

HORIZONS = (30, 60, 90)
#: The kinds of action a plan holds.
KINDS = ("delegate", "pilot", "keep", "learn", "skill", "risk", "review")
#: How each kind is shown to the learner (in English the kind itself).
KIND_NAMES: dict[str, Text] = {
    "delegate": Text("delegate", "委托"), "pilot": Text("pilot", "试点"), "keep": Text("keep", "保留"),
    "learn": Text("learn", "学习"), "skill": Text("skill", "技能"), "risk": Text("risk", "风险"),
    "review": Text("review", "复盘"),
}

#: The course's notebooks, and what each gives someone planning their work with AI.
COURSE: dict[str, tuple[str, Text]] = {
    "01": ("01_language_models.ipynb",
           Text("what a language model is, how text becomes tokens (English and Chinese) and vectors",
                "语言模型是什么，文本如何变成词元（英文和中文）和向量")),
    "02": ("02_ngrams.ipynb",
           Text("generation from counted statistics, perplexity, and why models repeat their training text",
                "用计数统计生成文本、困惑度，以及模型为什么会重复训练文本")),
    "03": ("03_neural_lm.ipynb",
           Text("how a network learns from its errors: backpropagation, the training loop, RNNs and their memory",
                "网络如何从错误中学习：反向传播、训练循环、RNN 及其记忆")),
    "04": ("04_gpt2.ipynb",
           Text("GPT-2 written out and trained, and the decoding knobs (temperature, top-k, top-p) behind chat tools",
                "如何亲手写出并训练 GPT-2，以及聊天工具背后的解码旋钮（温度、top-k、top-p）")),
    "05": ("05_gan.ipynb", Text("how image generators are trained, and how they fail (mode collapse)",
                                "图像生成器如何训练，又如何失败（模式崩溃）")),
    "06": ("06_vae.ipynb", Text("latent spaces: generating, denoising and compressing images",
                                "潜空间：生成、去噪和压缩图像")),
    "07": ("07_diffusion.ipynb",
           Text("how today's image generators work: diffusion, guidance by a prompt, latent spaces",
                "当今的图像生成器如何工作：扩散、由提示词引导、潜空间")),
    "08": ("08_career_reflection.ipynb",
           Text("this reflection: re-score your tasks and compare with the cited figures",
                "这次反思本身：给你的任务重新打分，并与引用的数据比较")),
}

#: Words in a task name that point at image or video work (English and Chinese).
VISUAL_WORDS = ("image", "design", "photo", "illustrat", "graphic", "layout", "video", "visual", "drawing",
                "图", "设计", "照片", "视频", "插画")
#: Words that point at decisions about people, where bias in models matters most.
PEOPLE_DECISION_WORDS = ("hire", "hiring", "recruit", "screen", "evaluate", "grade", "assess", "loan", "promot",
                         "review applications", "招聘", "筛选", "评估", "打分")

#: One concrete, repeatable practice per core skill.
SKILL_PRACTICE: dict[str, Text] = {
    "creative_thinking": Text(
        "Once a week, ask an AI tool for ten ideas on a real problem, then write three ideas it did "
        "not give and say why they fit your context better.",
        "每周一次，就一个真实问题让 AI 工具给出十个点子，然后自己写出三个它没想到的点子，"
        "并说明它们为什么更适合你的情境。"),
    "communication": Text(
        "Present one AI-assisted piece of work to a colleague each fortnight: what the tool drafted, "
        "what you changed, and why; ask for one piece of feedback and act on it.",
        "每两周向一位同事展示一项借助 AI 完成的工作：工具起草了什么，你改了什么，为什么改；"
        "请对方提一条反馈，并据此改进。"),
    "emotional_intelligence": Text(
        "After one conversation a week that mattered (a client, a conflict, feedback), write "
        "down what the other person felt, how you noticed, and what you would do differently.",
        "每周挑一次要紧的谈话（与客户的、一场冲突、一次反馈），事后写下对方有什么感受、"
        "你是怎么察觉到的，以及下次你会怎样做得不同。"),
}


def _check_day(day: object) -> int:
    """A plan horizon: 30, 60 or 90 (days)."""
    return check_choice(check_int(day, "day"), "day", HORIZONS)


@dataclass(frozen=True)
class Action:
    """One step of the plan: ``day`` (30, 60 or 90: done by then), ``kind``, what to do, how, and why."""

    day: int
    kind: str  # "delegate", "pilot", "keep", "learn", "skill", "risk", "review"
    title: str
    how: str
    why: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "day", _check_day(self.day))
        check_choice(self.kind, "kind", KINDS)
        for name in ("title", "how", "why"):
            check_str(getattr(self, name), name, allow_empty=False)

    def lines(self) -> list[str]:
        """The action as plan lines: ``[kind] title``, then its ``how`` and ``why`` indented beneath."""
        if language() == "zh":
            return [f"[{KIND_NAMES[self.kind]}] {self.title}", f"    怎么做：{self.how}", f"    为什么：{self.why}"]
        return [f"[{self.kind}] {self.title}", f"    how: {self.how}", f"    why: {self.why}"]

    def __str__(self) -> str:
        first, *rest = self.lines()
        return "\n".join([tr(f"By day {self.day}: {first}", f"第 {self.day} 天前：{first}"), *rest])


@dataclass(frozen=True)
class Plan:
    """A profile's actions, ordered by deadline (30, 60, 90 days)."""

    role: str
    actions: tuple[Action, ...]

    def __post_init__(self) -> None:
        check_str(self.role, "role", allow_empty=False)
        if isinstance(self.actions, (str, bytes)) or not isinstance(self.actions, (list, tuple)):
            raise TypeError(tr(f"actions must be a tuple of Action, got {type(self.actions).__name__}",
                               f"actions 必须是由 Action 组成的元组，收到的是 {type(self.actions).__name__}"))
        for i, action in enumerate(self.actions):
            if not isinstance(action, Action):
                raise TypeError(tr(f"actions[{i}] must be an Action, got {type(action).__name__}",
                                   f"actions[{i}] 必须是 Action，收到的是 {type(action).__name__}"))
        object.__setattr__(self, "actions", tuple(self.actions))

    def by_day(self, day: int) -> list[Action]:
        """The actions due by ``day`` (one of 30, 60, 90)."""
        day = _check_day(day)
        return [a for a in self.actions if a.day == day]

    def __str__(self) -> str:
        lines = [tr(f"Plan for {self.role}", f"{self.role} 的计划")]
        for day in HORIZONS:
            lines.append(tr(f"\nBy day {day}:", f"\n第 {day} 天前："))
            for a in self.by_day(day):
                first, *rest = a.lines()
                lines += [f"  - {first}", *(f"  {line}" for line in rest)]
        return "\n".join(lines)


def _exercise_ids(lesson: str) -> list[str]:
    """Registered exercise ids of a lesson (e.g. ``["03.1", "03.2"]``); empty if none are installed."""
    from ..exercises import list_exercises

    return list_exercises(lesson)


def _course_action(day: int, lesson: str, why: str) -> Action:
    notebook, gives = COURSE[lesson]
    ids = _exercise_ids(lesson)
    if language() == "zh":  # the Chinese edition of each notebook lives in notebooks/zh/
        exercises = f"其中的练习 {'、'.join(ids)}" if ids else "末尾的练习"
        return Action(day, "learn", f"学完 notebooks/zh/{notebook}",
                      f"从头到尾运行一遍，然后完成{exercises}（用 check(...) 核对答案；参考答案在 "
                      f"solutions/ex{lesson}.py）。这一课讲的是{gives}。", why)
    exercises = f"its exercises {', '.join(ids)}" if ids else "the exercises at its end"
    return Action(day, "learn", f"Work through notebooks/{notebook}",
                  f"Run it top to bottom, then do {exercises} (check your answers with check(...); "
                  f"solutions in solutions/ex{lesson}.py). It teaches {gives}.", why)


def _mentions(text: str, words: tuple[str, ...]) -> bool:
    low = text.lower()
    return any(w in low for w in words)


def make_plan(profile: Profile) -> Plan:
    """Turn a complete profile into concrete 30/60/90-day actions, each with its reason."""
    if not isinstance(profile, Profile):
        raise TypeError(tr(f"profile must be a Profile, got {type(profile).__name__}",
                           f"profile 必须是 Profile，收到的是 {type(profile).__name__}"))
    scores = exposure_scores(profile)
    tasks = sorted(profile.tasks, key=lambda t: -t.share)
    actions: list[Action] = []

    # 1. Learn the tools: hand the directly exposed tasks to a chat tool, biggest first.
    for task in [t for t in tasks if t.label == "E1"]:
        actions.append(Action(
            30, "delegate", tr(f"Draft '{task.name}' with an AI chat tool, and check every output",
                               f"用 AI 聊天工具起草“{task.name}”，并核查每一份输出"),
            tr("For two weeks, start this task by asking a chat assistant for the first draft (or summary, translation, "
               "rewrite); you stay the one who judges it: correct it, decide what goes out and own the result. Log the "
               "minutes saved and every error you had to fix.",
               "连续两周，每次做这项任务时，先让聊天助手给出初稿（或摘要、译文、改写稿）；评判的人始终是你："
               "由你修改，由你决定发出什么，由你为结果负责。记下省下的分钟数，以及你不得不改正的每一处错误。"),
            tr(f"You labelled it E1 and it takes {task.share:g}% of your time: by the rubric a chat interface alone could "
               "halve it. Doing it with the tool, and owning the result, is 'collaborate rather than compete'.",
               f"你把它标为 E1，它占你 {task.share:g}% 的时间：按评分标准，仅凭聊天界面就能让它的时间减半。"
               "借助工具完成它，并为结果负责，就是“与 AI 协作，而不是与它竞争”。")))
    # 2. Collaborate: software-dependent tasks need a careful pilot.
    for task in [t for t in tasks if t.label == "E2"]:
        actions.append(Action(
            60, "pilot", tr(f"Pilot an LLM-powered tool for '{task.name}'", f"为“{task.name}”试用一款基于 LLM 的工具"),
            tr("Find (or ask your team for) software that connects a model to the documents, data or tools this task "
               "needs; check first what data may leave your organisation; run a one-week pilot on copies of real work "
               "and compare time and quality with your usual way.",
               "找一款（或向团队要一款）能把模型接到这项任务所需的文档、数据或工具上的软件；先弄清哪些数据"
               "可以离开你的机构；用真实工作的副本试用一周，把所花的时间和质量与你平时的做法相比较。"),
            tr(f"You labelled it E2 ({task.share:g}% of your time): a chat box alone is not enough, but software built on "
               "an LLM could halve it. A measured pilot tells you whether it does, for you.",
               f"你把它标为 E2（占你 {task.share:g}% 的时间）：光靠聊天框不够，但基于 LLM 构建的软件可能让它的"
               "时间减半。有度量的试点会告诉你，对你来说它是否真能做到。")))
    # 3. Build what AI lacks: keep and grow the unexposed core of the job.
    for task in [t for t in tasks if t.label == "E0"][:2]:
        actions.append(Action(
            90, "keep", tr(f"Grow '{task.name}': the part of your work that needs you",
                           f"扩大“{task.name}”：你工作中离不开你的那部分"),
            tr("Write down why this task needs a person (presence, trust, judgement, care); as AI tools free time from "
               "exposed tasks, ask for more of this work or a deeper version of it.",
               "写下这项任务为什么离不开人（在场、信任、判断、关怀）；当 AI 工具从暴露的任务中为你腾出时间后，"
               "争取多做这类工作，或把它做得更深入。"),
            tr(f"You labelled it E0 ({task.share:g}% of your time): an LLM would not halve it at equal quality. "
               "Time freed elsewhere is worth most here.",
               f"你把它标为 E0（占你 {task.share:g}% 的时间）：在质量不变的前提下，LLM 无法让它的时间减半。"
               "从别处省下的时间，用在这里最有价值。")))

    # The course: how the tools work, at a depth set by the learner's fluency.
    if profile.tool_fluency <= 2:
        actions.append(_course_action(30, "01", tr(
            f"You rated your AI-tool fluency {profile.tool_fluency}/5: knowing "
            "what a language model computes makes its mistakes predictable.",
            f"你给自己的 AI 工具熟练度打了 {profile.tool_fluency}/5：了解语言模型在计算什么，它的错误就变得可以预料。")))
        actions.append(_course_action(60, "02", tr(
            "Seeing a model reproduce its training text (and measuring how "
            "often) is the fastest way to understand the copyright risk of generated text.",
            "亲眼看到模型复现它的训练文本（并测量这种情况有多常见），是理解生成文本版权风险的最快途径。")))
    if profile.tool_fluency <= 4:
        actions.append(_course_action(60, "04", tr(
            f"AI-tool fluency {profile.tool_fluency}/5: the decoding settings in "
            "notebook 04 are the same knobs (temperature, top-p) that chat tools expose.",
            f"AI 工具熟练度 {profile.tool_fluency}/5：笔记本 04 中的解码设置，正是聊天工具提供的那些旋钮"
            "（温度、top-p）。")))
    if any(_mentions(t.name + " " + t.note, VISUAL_WORDS) for t in tasks):
        actions.append(_course_action(90, "05", tr(
            "Some of your tasks involve images or design: notebooks 05 and 06 "
            "show how image generators learn and fail.",
            "你的一些任务涉及图像或设计：笔记本 05 和 06 展示了图像生成器如何学习、又如何失败。")))
        actions.append(_course_action(90, "06", tr(
            "Image tasks in your list: latent spaces explain image editing, "
            "denoising and interpolation tools.",
            "你的清单里有图像任务：潜空间能解释图像编辑、去噪和插值工具的原理。")))

    # Human skills: practise the weakest, teach the strongest.
    ranked = sorted(SKILLS, key=lambda k: (profile.skills[k], list(SKILLS).index(k)))
    weak = [k for k in ranked if profile.skills[k] <= 3]
    for i, skill in enumerate(weak):
        actions.append(Action(
            30 if i == 0 else 60, "skill", tr(f"Practise {skill_name(skill)}", f"练习{skill_name(skill)}"),
            str(SKILL_PRACTICE[skill]),
            tr(f"You rated it {profile.skills[skill]}/5, and the article names it among the skills AI lacks: "
               + ("your weakest, so it starts first." if i == 0 else "start once the first practice is a habit."),
               f"你给它打了 {profile.skills[skill]}/5，而原文把它列为 AI 欠缺的能力之一："
               + ("这是你最弱的一项，所以最先开始。" if i == 0 else "等第一项练习成为习惯后再开始。"))))
    strong = [k for k in ranked[::-1] if profile.skills[k] >= 4][:1]
    for skill in strong:
        actions.append(Action(
            90, "skill", tr(f"Teach what you know about {skill_name(skill)}", f"把你在{skill_name(skill)}方面的心得教给别人"),
            tr("Offer a short session or written guide to your team on how you do it, with one example from your work.",
               "为团队做一次简短的分享，或写一份指南，讲讲你是怎么做的，并附上一个来自你工作的例子。"),
            tr(f"You rated it {profile.skills[skill]}/5: a strength AI lacks is worth making visible.",
               f"你给它打了 {profile.skills[skill]}/5：AI 欠缺而你擅长的能力，值得让别人看见。")))

    # Risks the task list touches.
    if scores.alpha >= 0.2:
        actions.append(Action(
            30, "risk", tr("Set your rules for AI-drafted work (copyright and authenticity)",
                           "为 AI 起草的工作定下规则（版权与真实性）"),
            tr("Write five lines: what you disclose as AI-assisted, how you check facts and quotes, that no confidential "
               "data goes into public tools, how you check a draft does not copy someone else's text, and who owns the "
               "result under your contract.",
               "写下五条：哪些内容要披露为 AI 辅助完成；你如何核查事实和引文；机密数据绝不输入公共工具；"
               "你如何检查草稿没有照搬别人的文字；按你的合同，结果归谁所有。"),
            tr(f"{scores.alpha:.0%} of your time is on E1 tasks: much of what you deliver could pass through a model, "
               "and models can reproduce their training text verbatim (measured in notebook 08).",
               f"你有 {scores.alpha:.0%} 的时间花在 E1 任务上：你交付的很多内容都可能经过模型之手，"
               "而模型可能原样复现它的训练文本（笔记本 08 中做了测量）。")))
    if any(_mentions(t.name + " " + t.note, PEOPLE_DECISION_WORDS) for t in tasks):
        actions.append(Action(
            60, "risk", tr("Check AI help on decisions about people for bias", "检查 AI 在涉及人的决定上有没有偏见"),
            tr("Before using a model to screen, grade or evaluate people, compare its outputs on matched examples that "
               "differ only in gender, age or origin; keep the final decision and its reasons human.",
               "在用模型筛选、评分或评估人之前，先用只在性别、年龄或出身上不同的成对样例比较它的输出；"
               "最终决定及其理由都要由人来做。"),
            tr("One of your tasks decides about people, and training data puts biases into models (see the word-vector "
               "demonstration in notebook 08).",
               "你有一项任务要对人做决定，而训练数据会把偏见带进模型（见笔记本 08 中的词向量演示）。")))

    actions.append(Action(
        90, "review", tr("Re-score your tasks and compare", "给你的任务重新打分并比较"),
        tr("Open notebooks/08_career_reflection.ipynb, load your saved answers, relabel your tasks with what you "
           "learned, and export the new plan beside this one.",
           "打开 notebooks/zh/08_career_reflection.ipynb，载入你保存的答案，用学到的东西给任务重新贴标签，"
           "再把新计划导出，和这份计划放在一起对照。"),
        tr(f"Today your time-weighted beta is {scores.beta:.2f}; tools and your job change, so the plan should too.",
           f"你今天按时间加权的 beta 是 {scores.beta:.2f}；工具和你的工作都在变，计划也应随之更新。")))
    return Plan(profile.role, tuple(sorted(actions, key=lambda a: a.day)))

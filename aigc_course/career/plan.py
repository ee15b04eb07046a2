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

from ..validate import check_choice, check_int, check_str
from .profile import SKILLS, Profile
from .scoring import exposure_scores

HORIZONS = (30, 60, 90)
#: The kinds of action a plan holds.
KINDS = ("delegate", "pilot", "keep", "learn", "skill", "risk", "review")

#: The course's notebooks, and what each gives someone planning their work with AI.
COURSE: dict[str, tuple[str, str]] = {
    "01": ("01_language_models.ipynb", "what a language model is, how text becomes tokens (English and Chinese) and vectors"),
    "02": ("02_ngrams.ipynb", "generation from counted statistics, perplexity, and why models repeat their training text"),
    "03": ("03_neural_lm.ipynb", "how a network learns from its errors: backpropagation, the training loop, RNNs and their memory"),
    "04": ("04_gpt2.ipynb", "GPT-2 written out and trained, and the decoding knobs (temperature, top-k, top-p) behind chat tools"),
    "05": ("05_gan.ipynb", "how image generators are trained, and how they fail (mode collapse)"),
    "06": ("06_vae.ipynb", "latent spaces: generating, denoising and compressing images"),
    "07": ("07_diffusion.ipynb", "how today's image generators work: diffusion, guidance by a prompt, latent spaces"),
    "08": ("08_career_reflection.ipynb", "this reflection: re-score your tasks and compare with the cited figures"),
}

#: Words in a task name that point at image or video work (English and Chinese).
VISUAL_WORDS = ("image", "design", "photo", "illustrat", "graphic", "layout", "video", "visual", "drawing",
                "图", "设计", "照片", "视频", "插画")
#: Words that point at decisions about people, where bias in models matters most.
PEOPLE_DECISION_WORDS = ("hire", "hiring", "recruit", "screen", "evaluate", "grade", "assess", "loan", "promot",
                         "review applications", "招聘", "筛选", "评估", "打分")

#: One concrete, repeatable practice per core skill.
SKILL_PRACTICE: dict[str, str] = {
    "creative_thinking": "Once a week, ask an AI tool for ten ideas on a real problem, then write three ideas it did "
                         "not give and say why they fit your context better.",
    "communication": "Present one AI-assisted piece of work to a colleague each fortnight: what the tool drafted, "
                     "what you changed, and why; ask for one piece of feedback and act on it.",
    "emotional_intelligence": "After one conversation a week that mattered (a client, a conflict, feedback), write "
                              "down what the other person felt, how you noticed, and what you would do differently.",
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
        return [f"[{self.kind}] {self.title}", f"    how: {self.how}", f"    why: {self.why}"]

    def __str__(self) -> str:
        first, *rest = self.lines()
        return "\n".join([f"By day {self.day}: {first}", *rest])


@dataclass(frozen=True)
class Plan:
    """A profile's actions, ordered by deadline (30, 60, 90 days)."""

    role: str
    actions: tuple[Action, ...]

    def __post_init__(self) -> None:
        check_str(self.role, "role", allow_empty=False)
        if isinstance(self.actions, (str, bytes)) or not isinstance(self.actions, (list, tuple)):
            raise TypeError(f"actions must be a tuple of Action, got {type(self.actions).__name__}")
        for i, action in enumerate(self.actions):
            if not isinstance(action, Action):
                raise TypeError(f"actions[{i}] must be an Action, got {type(action).__name__}")
        object.__setattr__(self, "actions", tuple(self.actions))

    def by_day(self, day: int) -> list[Action]:
        """The actions due by ``day`` (one of 30, 60, 90)."""
        day = _check_day(day)
        return [a for a in self.actions if a.day == day]

    def __str__(self) -> str:
        lines = [f"Plan for {self.role}"]
        for day in HORIZONS:
            lines.append(f"\nBy day {day}:")
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
        raise TypeError(f"profile must be a Profile, got {type(profile).__name__}")
    scores = exposure_scores(profile)
    tasks = sorted(profile.tasks, key=lambda t: -t.share)
    actions: list[Action] = []

    # 1. Learn the tools: hand the directly exposed tasks to a chat tool, biggest first.
    for task in [t for t in tasks if t.label == "E1"]:
        actions.append(Action(
            30, "delegate", f"Draft '{task.name}' with an AI chat tool, and check every output",
            "For two weeks, start this task by asking a chat assistant for the first draft (or summary, translation, "
            "rewrite); you stay the one who judges it: correct it, decide what goes out and own the result. Log the "
            "minutes saved and every error you had to fix.",
            f"You labelled it E1 and it takes {task.share:g}% of your time: by the rubric a chat interface alone could "
            "halve it. Doing it with the tool, and owning the result, is 'collaborate rather than compete'."))
    # 2. Collaborate: software-dependent tasks need a careful pilot.
    for task in [t for t in tasks if t.label == "E2"]:
        actions.append(Action(
            60, "pilot", f"Pilot an LLM-powered tool for '{task.name}'",
            "Find (or ask your team for) software that connects a model to the documents, data or tools this task "
            "needs; check first what data may leave your organisation; run a one-week pilot on copies of real work "
            "and compare time and quality with your usual way.",
            f"You labelled it E2 ({task.share:g}% of your time): a chat box alone is not enough, but software built on "
            "an LLM could halve it. A measured pilot tells you whether it does, for you."))
    # 3. Build what AI lacks: keep and grow the unexposed core of the job.
    for task in [t for t in tasks if t.label == "E0"][:2]:
        actions.append(Action(
            90, "keep", f"Grow '{task.name}': the part of your work that needs you",
            "Write down why this task needs a person (presence, trust, judgement, care); as AI tools free time from "
            "exposed tasks, ask for more of this work or a deeper version of it.",
            f"You labelled it E0 ({task.share:g}% of your time): an LLM would not halve it at equal quality. "
            "Time freed elsewhere is worth most here."))

    # The course: how the tools work, at a depth set by the learner's fluency.
    if profile.tool_fluency <= 2:
        actions.append(_course_action(30, "01", f"You rated your AI-tool fluency {profile.tool_fluency}/5: knowing "
                                      "what a language model computes makes its mistakes predictable."))
        actions.append(_course_action(60, "02", "Seeing a model reproduce its training text (and measuring how "
                                      "often) is the fastest way to understand the copyright risk of generated text."))
    if profile.tool_fluency <= 4:
        actions.append(_course_action(60, "04", f"AI-tool fluency {profile.tool_fluency}/5: the decoding settings in "
                                      "notebook 04 are the same knobs (temperature, top-p) that chat tools expose."))
    if any(_mentions(t.name + " " + t.note, VISUAL_WORDS) for t in tasks):
        actions.append(_course_action(90, "05", "Some of your tasks involve images or design: notebooks 05 and 06 "
                                      "show how image generators learn and fail."))
        actions.append(_course_action(90, "06", "Image tasks in your list: latent spaces explain image editing, "
                                      "denoising and interpolation tools."))

    # Human skills: practise the weakest, teach the strongest.
    ranked = sorted(SKILLS, key=lambda k: (profile.skills[k], list(SKILLS).index(k)))
    weak = [k for k in ranked if profile.skills[k] <= 3]
    for i, skill in enumerate(weak):
        actions.append(Action(
            30 if i == 0 else 60, "skill", f"Practise {SKILLS[skill].split(':')[0]}", SKILL_PRACTICE[skill],
            f"You rated it {profile.skills[skill]}/5, and the article names it among the skills AI lacks: "
            + ("your weakest, so it starts first." if i == 0 else "start once the first practice is a habit.")))
    strong = [k for k in ranked[::-1] if profile.skills[k] >= 4][:1]
    for skill in strong:
        actions.append(Action(
            90, "skill", f"Teach what you know about {SKILLS[skill].split(':')[0]}",
            "Offer a short session or written guide to your team on how you do it, with one example from your work.",
            f"You rated it {profile.skills[skill]}/5: a strength AI lacks is worth making visible."))

    # Risks the task list touches.
    if scores.alpha >= 0.2:
        actions.append(Action(
            30, "risk", "Set your rules for AI-drafted work (copyright and authenticity)",
            "Write five lines: what you disclose as AI-assisted, how you check facts and quotes, that no confidential "
            "data goes into public tools, how you check a draft does not copy someone else's text, and who owns the "
            "result under your contract.",
            f"{scores.alpha:.0%} of your time is on E1 tasks: much of what you deliver could pass through a model, "
            "and models can reproduce their training text verbatim (measured in notebook 08)."))
    if any(_mentions(t.name + " " + t.note, PEOPLE_DECISION_WORDS) for t in tasks):
        actions.append(Action(
            60, "risk", "Check AI help on decisions about people for bias",
            "Before using a model to screen, grade or evaluate people, compare its outputs on matched examples that "
            "differ only in gender, age or origin; keep the final decision and its reasons human.",
            "One of your tasks decides about people, and training data puts biases into models (see the word-vector "
            "demonstration in notebook 08)."))

    actions.append(Action(
        90, "review", "Re-score your tasks and compare",
        "Open notebooks/08_career_reflection.ipynb, load your saved answers, relabel your tasks with what you "
        "learned, and export the new plan beside this one.",
        f"Today your time-weighted beta is {scores.beta:.2f}; tools and your job change, so the plan should too."))
    return Plan(profile.role, tuple(sorted(actions, key=lambda a: a.day)))

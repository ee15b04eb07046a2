"""A worked example profile, a content editor, used by the notebook and the tests."""

from __future__ import annotations

from .profile import Profile, Task


def content_editor() -> Profile:
    """A content editor at a bilingual (Chinese/English) online magazine; shares sum to 100%.

    Time-weighted scores by hand: E1 = 30 + 15 + 10 = 55%, E2 = 15 + 10 = 25%, E0 = 20%,
    so alpha = 0.55, beta = 0.55 + 0.5 * 0.25 = 0.675, zeta = 0.80.
    """
    return Profile(
        role="content editor, bilingual online magazine",
        reference="27-3041.00",  # Editors
        isco_group="2",  # Professionals
        tasks=(
            Task("Edit and rewrite contributors' articles", 30, "E1", "style, structure, clarity"),
            Task("Write headlines, summaries and social posts", 15, "E1"),
            Task("Translate articles between Chinese and English", 10, "E1", "中英互译"),
            Task("Fact-check claims against sources and our archive", 15, "E2", "needs the archive and the web"),
            Task("Choose and brief images for articles", 10, "E2", "image library search"),
            Task("Meet writers, give feedback, negotiate deadlines", 15, "E0"),
            Task("Plan the editorial calendar with the team", 5, "E0"),
        ),
        skills={"creative_thinking": 4, "communication": 3, "emotional_intelligence": 2},
        tool_fluency=2,
        reflections={
            "What worries you about AIGC in your job?": "That drafting and translation, most of my day, become cheap.",
            "What does your work need that a model lacks?": "Knowing our writers, judging what our readers trust.",
        },
    )

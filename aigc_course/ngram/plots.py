"""Pictures for the n-gram lesson: next-token bar charts and perplexity-vs-order curves.

:func:`show_next_tokens` is the static twin of the interactive widget in
:mod:`aigc_course.widgets.ngram`: the notebook calls it directly so exported HTML
and CI show the same picture.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np

from ..plotting import plot_bars
from .generate import reshape_distribution
from .vocab import BOS_ID

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from .model import NGramLM


def top_next_tokens(lm: "NGramLM", context: Sequence[str], top: int = 15, temperature: float = 1.0
                    ) -> list[tuple[str, float]]:
    """The ``top`` most likely next tokens after ``context`` as ``(token, probability)``, after temperature."""
    if isinstance(top, bool) or not isinstance(top, int) or top < 1:
        raise ValueError(f"top must be an int >= 1, got {top!r}")
    prob = lm.next_token_vector(context)
    prob[BOS_ID] = 0.0
    prob = reshape_distribution(prob, temperature)
    best = np.argsort(-prob, kind="stable")[:top]
    return [(lm.vocab.tokens[i], float(prob[i])) for i in best if prob[i] > 0]


def _shown(token: str) -> str:
    return {" ": "␣ (space)", "\t": "\\t"}.get(token, token)


def show_next_tokens(lm: "NGramLM", context: Sequence[str], top: int = 15, temperature: float = 1.0,
                     ax: "Axes | None" = None) -> "Axes":
    """Bar chart of P(next token | context) for the ``top`` most likely tokens."""
    pairs = top_next_tokens(lm, context, top, temperature)
    shown_context = " ".join(context[-(lm.order - 1):]) if lm.order > 1 and context else "(none)"
    title = f"{lm.order}-gram, context: {shown_context!s}" + (f", T={temperature:g}" if temperature != 1 else "")
    labels = [_shown(t) for t, _ in pairs]
    values = [p for _, p in pairs]
    return plot_bars(labels, values, title=title, ylabel="probability", horizontal=True, ax=ax)


def plot_perplexity_by_order(curves: Mapping[str, Mapping[int, float]], *, ylabel: str = "perplexity",
                             title: str = "", log_y: bool = True, ax: "Axes | None" = None) -> "Axes":
    """One line per named curve, x = n-gram order, y = perplexity (or nats/char), e.g. train vs. held-out."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(6, 3.5))
    for name, points in curves.items():
        orders = sorted(points)
        ax.plot(orders, [points[o] for o in orders], marker="o", label=name)
    ax.set_xlabel("order n")
    ax.set_ylabel(ylabel)
    if log_y:
        ax.set_yscale("log")
    ax.set_xticks(sorted({o for points in curves.values() for o in points}))
    ax.set_title(title)
    ax.legend()
    ax.grid(alpha=0.3)
    return ax

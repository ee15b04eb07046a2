"""Pictures for the n-gram lesson: next-token bar charts and perplexity-vs-order curves.

:func:`show_next_tokens` is the static twin of the interactive widget in
:mod:`aigc_course.widgets.ngram`: the notebook calls it directly so exported HTML
and CI show the same picture.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np

import math
import numbers

from ..language import tr
from ..plotting import plot_bars
from ..validate import check_bool, check_int_compat, check_str, check_tokens
from .generate import reshape_distribution
from .model import check_fitted
from .vocab import BOS_ID

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from .model import NGramLM


def top_next_tokens(lm: "NGramLM", context: Sequence[str], top: int = 15, temperature: float = 1.0
                    ) -> list[tuple[str, float]]:
    """The ``top`` most likely next tokens after ``context`` as ``(token, probability)``, after temperature.

    ``context`` is a list of str tokens; ``top`` >= 1 (more than the vocabulary gives them all).
    """
    check_fitted(lm)
    top = check_int_compat(top, "top", minimum=1)
    prob = lm.next_token_vector(context)
    prob[BOS_ID] = 0.0
    prob = reshape_distribution(prob, temperature)
    best = np.argsort(-prob, kind="stable")[:top]
    return [(lm.vocab.tokens[i], float(prob[i])) for i in best if prob[i] > 0]


def _shown(token: str) -> str:
    return {" ": tr("␣ (space)", "␣（空格）"), "\t": "\\t"}.get(token, token)


def show_next_tokens(lm: "NGramLM", context: Sequence[str], top: int = 15, temperature: float = 1.0,
                     ax: "Axes | None" = None) -> "Axes":
    """Bar chart of P(next token | context) for the ``top`` most likely tokens."""
    context = check_tokens(context, "context")
    _check_ax(ax)
    pairs = top_next_tokens(lm, context, top, temperature)
    shown_context = " ".join(context[-(lm.order - 1):]) if lm.order > 1 and context else tr("(none)", "（无）")
    title = tr(f"{lm.order}-gram, context: {shown_context!s}", f"{lm.order} 元语法，上下文：{shown_context!s}")
    title += tr(f", T={temperature:g}", f"，T={temperature:g}") if temperature != 1 else ""
    labels = [_shown(t) for t, _ in pairs]
    values = [p for _, p in pairs]
    return plot_bars(labels, values, title=title, ylabel=tr("probability", "概率"), horizontal=True, ax=ax)


def plot_perplexity_by_order(curves: Mapping[str, Mapping[int, float]], *, ylabel: str = "perplexity",
                             title: str = "", log_y: bool = True, ax: "Axes | None" = None) -> "Axes":
    """One line per named curve, x = n-gram order, y = perplexity (or nats/char), e.g. train vs. held-out.

    ``curves``: ``{name: {order: value}}`` with int orders and numbers (``inf`` is left out of
    the picture, NaN refused).
    """
    import matplotlib.pyplot as plt

    _check_curves(curves)
    _check_ax(ax)
    ylabel, title, log_y = check_str(ylabel, "ylabel"), check_str(title, "title"), check_bool(log_y, "log_y")
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 3.5))
    for name, points in curves.items():
        orders = sorted(points)
        ax.plot(orders, [points[o] for o in orders], marker="o", label=name)
    ax.set_xlabel(tr("order n", "阶 n"))
    ax.set_ylabel(tr("perplexity", "困惑度") if ylabel == "perplexity" else ylabel)
    if log_y:
        ax.set_yscale("log")
    ax.set_xticks(sorted({o for points in curves.values() for o in points}))
    ax.set_title(title)
    ax.legend()
    ax.grid(alpha=0.3)
    return ax


def _check_ax(ax: object) -> None:
    """``ax`` must be None (a new figure) or a matplotlib ``Axes``."""
    if ax is not None:
        from matplotlib.axes import Axes

        if not isinstance(ax, Axes):
            raise TypeError(f"ax must be None or a matplotlib Axes, got {type(ax).__name__}")


def _check_curves(curves: object) -> None:
    if not isinstance(curves, Mapping) or not curves:
        raise TypeError(f"curves must be a non-empty dict name -> {{order: value}}, got {type(curves).__name__}")
    for name, points in curves.items():
        if not isinstance(points, Mapping) or not points:
            raise TypeError(f"curves[{name!r}] must be a non-empty dict order -> value, got {type(points).__name__}")
        for order, value in points.items():
            if isinstance(order, bool) or not isinstance(order, numbers.Integral):
                raise TypeError(f"curves[{name!r}] has order {order!r}; orders must be ints")
            if isinstance(value, bool) or not isinstance(value, numbers.Real) or math.isnan(value):
                raise ValueError(f"curves[{name!r}][{order}] must be a number, got {value!r}")

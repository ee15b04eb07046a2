"""Is this text machine-made? A likelihood test, and why it is weak evidence.

A language model finds its own samples unsurprising: text drawn from a model has, on
average, a lower cross-entropy under that model than text people wrote (real text pays
the model's mismatch with reality on top of its own randomness). Detectors such as
GLTR (Gehrmann, Strobelt & Rush, 2019) and DetectGPT (Mitchell et al., 2023) build on
this. Here the score of a line is its cross-entropy under the model, in nats per
character, and the detector's quality is the AUC: the probability that a randomly
chosen generated line scores lower than a randomly chosen human line (0.5 = chance,
1.0 = perfect).

The test needs the very model that wrote the text, and it fails as soon as sampling is
changed (temperature) or the text is edited; that is why authenticity is better shown by
provenance (saying what was generated, keeping drafts) than by detectors.
"""

from __future__ import annotations

import contextlib
import numbers
from collections.abc import Callable, Iterable, Sequence

import numpy as np

from ..language import tr
from ..validate import check_float, check_str


def score_lines(score: Callable[[str], float], lines: Sequence[str]) -> np.ndarray:
    """``score(line)`` for every line (e.g. nats per character under a model), shape ``(len(lines),)``.

    A score may be infinite (a line the model gives probability zero) but not NaN.
    """
    if not callable(score):
        raise TypeError(tr(f"score must be a function line -> float, got {type(score).__name__}",
                           f"score 必须是“行 -> 浮点数”的函数，收到的是 {type(score).__name__}"))
    if isinstance(lines, (str, bytes)):
        raise TypeError(tr(f"lines must be a list of strings, not a single {type(lines).__name__}; "
                           "split it first, e.g. lines=text.splitlines()",
                           f"lines 必须是字符串列表，而不是单个 {type(lines).__name__}；"
                           "请先把它拆成行，例如 lines=text.splitlines()"))
    if not isinstance(lines, Iterable):
        raise TypeError(tr(f"lines must be a list of strings, got {type(lines).__name__}",
                           f"lines 必须是字符串列表，收到的是 {type(lines).__name__}"))
    lines = list(lines)
    if not lines:
        raise ValueError(tr("lines must be a non-empty list of strings", "lines 必须是非空的字符串列表"))
    for i, line in enumerate(lines):
        check_str(line, f"lines[{i}]")
    out = np.empty(len(lines), dtype=np.float64)
    for i, line in enumerate(lines):
        value = score(line)
        if not isinstance(value, (bool, numbers.Real)) and hasattr(value, "__float__"):
            with contextlib.suppress(TypeError, ValueError):
                value = float(value)  # e.g. a 0-d tensor; anything else is refused below
        out[i] = check_float(value, f"score(lines[{i}])", allow_inf=True)
    return out


def _scores(values: object, name: str) -> np.ndarray:
    """A non-empty 1-D array of finite scores."""
    if isinstance(values, (str, bytes)) or not isinstance(values, (Iterable, np.ndarray)):
        raise TypeError(tr(f"{name} must be a sequence of numbers, got {type(values).__name__}",
                           f"{name} 必须是数字序列，收到的是 {type(values).__name__}"))
    try:
        array = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(tr(f"{name} must be a sequence of numbers, got {type(values).__name__} "
                           f"{str(values)[:60]}",
                           f"{name} 必须是数字序列，收到的是 {type(values).__name__} {str(values)[:60]}")) from None
    if array.ndim != 1:
        raise ValueError(tr(f"{name} must be one-dimensional (one score per line), got shape {array.shape}",
                            f"{name} 必须是一维的（每行一个得分），收到的形状是 {array.shape}"))
    if array.size == 0:
        raise ValueError(tr(f"{name} is empty: both score lists must be non-empty",
                            f"{name} 是空的：两个得分列表都必须非空"))
    bad = np.flatnonzero(~np.isfinite(array))
    if bad.size:
        raise ValueError(tr(f"{name}[{bad[0]}] is {array[bad[0]]}: scores must be finite numbers",
                            f"{name}[{bad[0]}] 是 {array[bad[0]]}：得分必须是有限的数"))
    return array


def detection_auc(generated_scores: Sequence[float], human_scores: Sequence[float]) -> float:
    """P(a generated line scores lower than a human line), ties counted half: the detector's AUC.

    Equivalent to the Mann-Whitney U statistic divided by ``n_generated * n_human``;
    computed from sorted scores, so it needs memory for the two lists only.
    """
    g = _scores(generated_scores, "generated_scores")
    h = np.sort(_scores(human_scores, "human_scores"))
    above = len(h) - np.searchsorted(h, g, "right")  # human scores strictly greater than each generated one
    ties = np.searchsorted(h, g, "right") - np.searchsorted(h, g, "left")
    return float((above.sum() + 0.5 * ties.sum()) / (len(g) * len(h)))

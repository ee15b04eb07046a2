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

from typing import Callable, Sequence

import numpy as np


def score_lines(score: Callable[[str], float], lines: Sequence[str]) -> np.ndarray:
    """``score(line)`` for every line (e.g. nats per character under a model), shape ``(len(lines),)``."""
    if not callable(score):
        raise TypeError(f"score must be a function line -> float, got {type(score).__name__}")
    if isinstance(lines, str) or not lines:
        raise ValueError("lines must be a non-empty list of strings")
    return np.array([float(score(line)) for line in lines], dtype=np.float64)


def detection_auc(generated_scores: Sequence[float], human_scores: Sequence[float]) -> float:
    """P(a generated line scores lower than a human line), ties counted half: the detector's AUC.

    Equivalent to the Mann-Whitney U statistic divided by ``n_generated * n_human``.
    """
    g = np.asarray(generated_scores, dtype=np.float64).reshape(-1, 1)
    h = np.asarray(human_scores, dtype=np.float64).reshape(1, -1)
    if g.size == 0 or h.size == 0:
        raise ValueError("both score lists must be non-empty")
    if not (np.isfinite(g).all() and np.isfinite(h).all()):
        raise ValueError("scores must be finite numbers")
    return float(((g < h) + 0.5 * (g == h)).mean())

"""A bias that training data puts into word vectors: where occupations sit on a he-she axis.

GloVe vectors (Pennington, Socher & Manning, 2014) are learned from word co-occurrences
in Wikipedia and news text. If "nurse" appears near "she" more often than near "he" in
that text, the vectors record it. Following Bolukbasi et al. (2016), "Man is to Computer
Programmer as Woman is to Homemaker?", we build a gender direction from definitional
pairs and project occupation words onto it:

    g = normalise( mean_i ( unit(v[she_i]) - unit(v[he_i]) ) )      shape (50,)
    projection(w) = cos(v[w], g)                                   in [-1, 1]

Positive means the word sits on the "she" side, negative on the "he" side. To judge the
size, we compare with the spread of projections over the most frequent words of the
vocabulary (a z-score): occupations far outside that spread carry a gender association
the data put there, not a property of the job.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from ..data import GloVe, load_glove

GENDER_PAIRS: tuple[tuple[str, str], ...] = (
    ("he", "she"), ("man", "woman"), ("his", "her"), ("himself", "herself"), ("male", "female"),
    ("boy", "girl"), ("father", "mother"), ("son", "daughter"), ("brother", "sister"), ("king", "queen"),
)
OCCUPATIONS: tuple[str, ...] = (
    "nurse", "homemaker", "receptionist", "librarian", "hairdresser", "secretary", "teacher", "designer",
    "translator", "editor", "writer", "journalist", "photographer", "lawyer", "doctor", "scientist", "manager",
    "programmer", "engineer", "architect", "pilot", "mechanic", "carpenter", "electrician",
)


def _unit(x: np.ndarray) -> np.ndarray:
    return x / np.linalg.norm(x, axis=-1, keepdims=True)


def _vector(glove: GloVe, word: str) -> np.ndarray:
    if not isinstance(word, str):
        raise TypeError(f"word must be a str, got {type(word).__name__} {word!r}")
    index = glove.index.get(word.lower())
    if index is None:
        raise ValueError(f"word {word!r} is not in the GloVe vocabulary (400,000 lower-cased words)")
    return np.asarray(glove.vectors[index], dtype=np.float64)


def gender_direction(pairs: Sequence[tuple[str, str]] = GENDER_PAIRS, glove: GloVe | None = None) -> np.ndarray:
    """Unit vector (50,) pointing from the "he" words to the "she" words of ``pairs``."""
    glove = glove if glove is not None else load_glove()
    if not pairs:
        raise ValueError("pairs must hold at least one (male word, female word) pair")
    diffs = [_unit(_vector(glove, f)) - _unit(_vector(glove, m)) for m, f in pairs]
    return _unit(np.mean(diffs, axis=0))


@dataclass(frozen=True)
class Projection:
    """A word's cosine with the gender direction (+ = "she" side) and its z-score among frequent words."""

    word: str
    cosine: float
    z: float


def gender_projections(words: Sequence[str] = OCCUPATIONS, *, n_reference: int = 20_000,
                       glove: GloVe | None = None) -> list[Projection]:
    """Projections of ``words``, sorted from the "he" side to the "she" side.

    The z-score compares each cosine with the mean and standard deviation of the cosines
    of the ``n_reference`` most frequent GloVe words (GloVe lists words by frequency).
    """
    glove = glove if glove is not None else load_glove()
    if isinstance(n_reference, bool) or not isinstance(n_reference, int) or not 100 <= n_reference <= len(glove):
        raise ValueError(f"n_reference must be an int from 100 to {len(glove)}, got {n_reference!r}")
    direction = gender_direction(glove=glove)
    reference = _unit(np.asarray(glove.vectors[:n_reference], dtype=np.float64)) @ direction
    mean, std = float(reference.mean()), float(reference.std())
    out = []
    for word in words:
        cosine = float(_unit(_vector(glove, word)) @ direction)
        out.append(Projection(word, cosine, (cosine - mean) / std))
    return sorted(out, key=lambda p: p.cosine)


def plot_projections(projections: Sequence[Projection]):
    """Horizontal bars of each word's z-score on the he-she axis; returns the matplotlib Figure."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 0.22 * len(projections) + 1.2))
    colours = ["#8d6a9f" if p.z > 0 else "#00798c" for p in projections]
    ax.barh([p.word for p in projections], [p.z for p in projections], color=colours)
    ax.axvline(0, color="black", lw=0.8)
    for x in (-2, 2):
        ax.axvline(x, color="grey", ls=":", lw=0.8)
    ax.set_xlabel('z-score on the he → she direction (vs. 20,000 frequent words; dotted: ±2)')
    ax.set_title("GloVe 6B 50d: occupations on a gender axis")
    fig.tight_layout()
    return fig

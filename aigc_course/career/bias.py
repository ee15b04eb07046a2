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
from ..fonts import use_cjk_font
from ..language import tr
from ..validate import check_int_compat, check_tokens

GENDER_PAIRS: tuple[tuple[str, str], ...] = (
    ("he", "she"), ("man", "woman"), ("his", "her"), ("himself", "herself"), ("male", "female"),
    ("boy", "girl"), ("father", "mother"), ("son", "daughter"), ("brother", "sister"), ("king", "queen"),
)
OCCUPATIONS: tuple[str, ...] = (
    "nurse", "homemaker", "receptionist", "librarian", "hairdresser", "secretary", "teacher", "designer",
    "translator", "editor", "writer", "journalist", "photographer", "lawyer", "doctor", "scientist", "manager",
    "programmer", "engineer", "architect", "pilot", "mechanic", "carpenter", "electrician",
)


#: At most this many words in one bar chart (its height grows with the number of words).
MAX_PLOTTED = 200


def _unit(x: np.ndarray) -> np.ndarray:
    return x / np.linalg.norm(x, axis=-1, keepdims=True)


def _vector(glove: GloVe, word: str) -> np.ndarray:
    if not isinstance(word, str):
        raise TypeError(tr(f"word must be a str, got {type(word).__name__} {word!r}",
                           f"word 必须是 str，收到的是 {type(word).__name__} {word!r}"))
    index = glove.index.get(word.lower())
    if index is None:
        raise ValueError(tr(f"word {word!r} is not in the GloVe vocabulary (400,000 lower-cased words)",
                            f"词 {word!r} 不在 GloVe 词表中（共 400,000 个小写词）"))
    return np.asarray(glove.vectors[index], dtype=np.float64)


def _glove(glove: object) -> GloVe:
    if glove is None:
        return load_glove()
    if not isinstance(glove, GloVe):
        raise TypeError(tr(f"glove must be a GloVe from aigc_course.data.load_glove(), or None, got {type(glove).__name__}",
                           f"glove 必须是 aigc_course.data.load_glove() 返回的 GloVe，或者 None，"
                           f"收到的是 {type(glove).__name__}"))
    return glove


def _check_pairs(pairs: object) -> list[tuple[str, str]]:
    """``pairs`` as a non-empty list of (male word, female word) string pairs."""
    if isinstance(pairs, (str, bytes)) or not isinstance(pairs, Sequence):
        raise TypeError(tr(f"pairs must be a list of (male word, female word) pairs, got {type(pairs).__name__}",
                           f"pairs 必须是由（男性词, 女性词）词对组成的列表，收到的是 {type(pairs).__name__}"))
    if not pairs:
        raise ValueError(tr("pairs must hold at least one (male word, female word) pair",
                            "pairs 至少要有一个（男性词, 女性词）词对"))
    out = []
    for i, pair in enumerate(pairs):
        if isinstance(pair, (str, bytes)) or not isinstance(pair, Sequence) or len(pair) != 2:
            raise TypeError(tr(f"pairs[{i}] must be a (male word, female word) pair such as ('he', 'she'), got {pair!r}",
                               f"pairs[{i}] 必须是 ('he', 'she') 这样的（男性词, 女性词）词对，收到的是 {pair!r}"))
        out.append(tuple(check_tokens(pair, f"pairs[{i}]")))
    return out


def gender_direction(pairs: Sequence[tuple[str, str]] = GENDER_PAIRS, glove: GloVe | None = None) -> np.ndarray:
    """Unit vector (50,) pointing from the "he" words to the "she" words of ``pairs``."""
    pairs = _check_pairs(pairs)
    glove = _glove(glove)
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
    words = check_tokens(words, "words")
    glove = _glove(glove)
    n_reference = check_int_compat(n_reference, "n_reference", minimum=100, maximum=len(glove))
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
    if isinstance(projections, (str, bytes)) or not isinstance(projections, Sequence):
        raise TypeError(tr(f"projections must be a list of Projection from gender_projections(), "
                           f"got {type(projections).__name__}",
                           f"projections 必须是 gender_projections() 返回的 Projection 列表，"
                           f"收到的是 {type(projections).__name__}"))
    if not projections:
        raise ValueError(tr("projections is empty: nothing to plot", "projections 是空的：没有可画的内容"))
    if len(projections) > MAX_PLOTTED:
        raise ValueError(tr(f"projections holds {len(projections):,} words; plot at most {MAX_PLOTTED}",
                            f"projections 有 {len(projections):,} 个词；最多只能画 {MAX_PLOTTED} 个"))
    for i, p in enumerate(projections):
        if not isinstance(p, Projection):
            raise TypeError(tr(f"projections[{i}] must be a Projection, got {type(p).__name__}",
                               f"projections[{i}] 必须是 Projection，收到的是 {type(p).__name__}"))
    import matplotlib.pyplot as plt

    use_cjk_font()  # the Chinese edition's labels get real glyphs
    fig, ax = plt.subplots(figsize=(6, 0.22 * len(projections) + 1.2))
    colours = ["#8d6a9f" if p.z > 0 else "#00798c" for p in projections]
    ax.barh([p.word for p in projections], [p.z for p in projections], color=colours)
    ax.axvline(0, color="black", lw=0.8)
    for x in (-2, 2):
        ax.axvline(x, color="grey", ls=":", lw=0.8)
    ax.set_xlabel(tr('z-score on the he → she direction (vs. 20,000 frequent words; dotted: ±2)',
                     "在 he → she 方向上的 z 分数（以 20,000 个高频词为参照；虚线：±2）"))
    ax.set_title(tr("GloVe 6B 50d: occupations on a gender axis", "GloVe 6B 50d：职业词在性别轴上的位置"))
    fig.tight_layout()
    return fig

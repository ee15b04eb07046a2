"""Smoothing: turning n-gram counts into probabilities that never say "impossible".

Four estimators, all for P(w | h) with h the (up to) n-1 previous tokens:

- ``"mle"`` maximum likelihood, c(h w) / c(h .). Unseen (h, w) get probability 0 (so
  held-out perplexity is usually infinite). If the context h itself was never seen,
  the longest seen suffix of h is used instead (each such distribution still sums to 1).
- ``"addk"`` add-k (Laplace when k = 1): (c(h w) + k) / (c(h .) + k |V|), where |V|
  counts every token the model can predict (the training tokens, ``</s>`` and
  ``<unk>``; not ``<s>``). An unseen context gives the uniform distribution 1/|V|.
- ``"kn"`` interpolated Kneser-Ney with one discount D per order.
- ``"mkn"`` interpolated *modified* Kneser-Ney (Chen & Goodman 1998) with three
  discounts per order, D1, D2, D3+, for n-grams seen once, twice, three or more times,
  estimated from counts-of-counts; the estimator KenLM's ``lmplz`` uses (no pruning).

Kneser-Ney in one paragraph. Highest order: discount every count,
``alpha(h w) = (a(h w) - D(a)) / a(h .)``, and hand the freed mass
``gamma(h) = (D1 N1(h .) + D2 N2(h .) + D3 N3+(h .)) / a(h .)`` to the next-lower
order: ``P(w | h) = alpha(h w) + gamma(h) P(w | h')`` (h' = h without its first token).
Lower orders use *continuation counts* instead of raw counts: a(h' w) = the number of
distinct tokens x seen before h' w. "Francisco" is frequent but almost always follows
"San", so as a guess for a new context it deserves little mass; its continuation
count is 1. N-grams that start with ``<s>`` keep their raw counts (nothing can come
before ``<s>``). The unigram level interpolates with the uniform distribution over
the |V| predictable tokens, which is what ``<unk>`` receives.

Because every seen n-gram's interpolated probability and every context's gamma are
computed here once, the fitted model is a *backoff* model: P(w | h) is the stored
probability of the longest seen n-gram ending in w, times the gammas (backoff
weights) of the longer contexts that were skipped. That is exactly what an ARPA file
stores, so scoring, ARPA export and ARPA import share one code path.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..validate import check_bool, check_float
from .counts import NGramCounts, NGramTable
from .vocab import BOS_ID

SMOOTHINGS = ("mle", "addk", "kn", "mkn")
FALLBACK_DISCOUNTS = (0.5, 1.0, 1.5)  # KenLM's --discount_fallback defaults


def adjusted_counts(counts: NGramCounts) -> list[np.ndarray]:
    """Kneser-Ney's counts per order: raw at the highest order and for n-grams starting with ``<s>``,
    continuation counts N1+(. h w) elsewhere. ``<s>`` as a unigram gets 0 (it is never predicted)."""
    _check_counts(counts)
    n = counts.order
    adjusted = []
    for m in range(1, n + 1):
        raw = counts.counts[m - 1]
        if m == n:
            a = raw.copy()
        else:
            continuation = np.bincount(counts.suffix[m], minlength=counts.table.size(m)).astype(np.int64)
            a = np.where(counts.starts_with_bos[m - 1], raw, continuation)
        if m == 1:
            a[BOS_ID] = 0
        adjusted.append(a)
    return adjusted


def estimate_discounts(adjusted: np.ndarray, modified: bool) -> tuple[tuple[float, float, float], bool]:
    """Discounts (D1, D2, D3+) from counts-of-counts t_k = #n-grams with adjusted count k.

    Modified KN (Chen & Goodman): Y = t1 / (t1 + 2 t2), D1 = 1 - 2Y t2/t1,
    D2 = 2 - 3Y t3/t2, D3+ = 3 - 4Y t4/t3. Plain KN: D = Y for all three.
    Returns ``(discounts, used_fallback)``. Where KenLM's ``lmplz`` would stop with "could
    not calculate Kneser-Ney discounts" (t1, t2 or t3 is 0, or some D_k falls outside
    [0, k]: tiny or artificial corpora), KenLM's ``--discount_fallback`` values
    (0.5, 1.0, 1.5) are used instead (0.5 for plain KN). ``adjusted``: 1-D array of counts >= 0.
    """
    modified = check_bool(modified, "modified")
    if isinstance(adjusted, (str, bytes)):
        raise TypeError(f"adjusted must be a 1-D array of int counts, got {type(adjusted).__name__}")
    adjusted = np.asarray(adjusted)
    if adjusted.ndim != 1 or (adjusted.size and not np.issubdtype(adjusted.dtype, np.integer)) \
            or np.issubdtype(adjusted.dtype, np.bool_):
        raise TypeError(f"adjusted must be a 1-D array of int counts (see adjusted_counts), "
                        f"got shape {adjusted.shape} and dtype {adjusted.dtype}")
    adjusted = adjusted.astype(np.int64, copy=False)
    if adjusted.size and adjusted.min() < 0:
        raise ValueError(f"adjusted counts must be >= 0, got {int(adjusted.min())}")
    t = np.bincount(adjusted[adjusted > 0], minlength=5)[1:5].astype(np.float64)
    t1, t2, t3, t4 = t
    if t1 > 0 and t2 > 0:
        y = float(t1 / (t1 + 2 * t2))
        if not modified:
            if 0 < y < 1:
                return (y, y, y), False
        elif t3 > 0:  # KenLM's rule: t1, t2, t3 must be seen; t4 = 0 gives D3+ = 3
            d = (1 - 2 * y * t2 / t1, 2 - 3 * y * t3 / t2, 3 - 4 * y * t4 / t3)
            if all(0 <= dk <= k for k, dk in zip((1, 2, 3), d)):
                return (float(d[0]), float(d[1]), float(d[2])), False
    fallback = FALLBACK_DISCOUNTS if modified else (0.5, 0.5, 0.5)
    return fallback, True


def _check_counts(counts: object) -> None:
    if not isinstance(counts, NGramCounts):
        raise TypeError(f"counts must be an NGramCounts (NGramLM(...).fit(...).counts), got {type(counts).__name__}")


@dataclass
class BackoffTables:
    """A backoff model: per order, natural-log probability and backoff weight of each stored n-gram.

    ``logp[m-1][j]`` = ln P(w | h) for the j-th m-gram ``h w`` of the table;
    ``logbow[m-1][j]`` = ln gamma(h) for that m-gram used as a context (0 if it never is).
    """

    logp: list[np.ndarray]
    logbow: list[np.ndarray]


def kneser_ney(counts: NGramCounts, modified: bool, discount: float | None = None
               ) -> tuple[BackoffTables, list[tuple[float, float, float]], list[bool]]:
    """Interpolated (modified) Kneser-Ney, returned in backoff form.

    Returns ``(tables, discounts, fallbacks)``: discounts per order (D1, D2, D3+) and
    whether the fallback discounts were needed. ``discount`` fixes one D for every
    order (plain KN only), in [0, 1).
    """
    _check_counts(counts)
    modified = check_bool(modified, "modified")
    if discount is not None:
        if modified:
            raise ValueError("discount is only used by plain Kneser-Ney (modified=False); "
                             "modified KN estimates its own")
        discount = check_float(discount, "discount", minimum=0.0, maximum=1.0, exclusive_maximum=True)
    table = counts.table
    n, vocab_size = counts.order, table.vocab_size
    adjusted = adjusted_counts(counts)
    logp, logbow, discounts, fallbacks = [], [], [], []
    prob_lower = None
    with np.errstate(divide="ignore", invalid="ignore"):
        for m in range(1, n + 1):
            a = adjusted[m - 1]
            if discount is not None:
                d, fell_back = (discount, discount, discount), False
            else:
                d, fell_back = estimate_discounts(a, modified)
            discounts.append(d)
            fallbacks.append(fell_back)
            d_of_a = np.select([a == 1, a == 2, a >= 3], d, 0.0)
            if m == 1:
                total = a.sum()
                freed = (d[0] * (a == 1).sum() + d[1] * (a == 2).sum() + d[2] * (a >= 3).sum()) / total
                prob = (a - d_of_a) / total + freed / (vocab_size - 1)  # uniform over all but <s>
                prob[BOS_ID] = 0.0
            else:
                prefix = table.prefix(m)
                size = table.size(m - 1)
                total = np.bincount(prefix, weights=a, minlength=size)
                freed = (d[0] * np.bincount(prefix, weights=(a == 1), minlength=size)
                         + d[1] * np.bincount(prefix, weights=(a == 2), minlength=size)
                         + d[2] * np.bincount(prefix, weights=(a >= 3), minlength=size))
                gamma = np.where(total > 0, freed / np.where(total > 0, total, 1), 1.0)
                prob = (a - d_of_a) / total[prefix] + gamma[prefix] * prob_lower[counts.suffix[m - 1]]
                logbow.append(np.log(gamma))
            logp.append(np.log(prob))
            prob_lower = prob
    logbow.append(np.zeros(table.size(n)))
    return BackoffTables(logp, logbow), discounts, fallbacks


def _previous(found: np.ndarray) -> np.ndarray:
    """The array shifted right by one: entry i is the value at i - 1 (-1 at i = 0)."""
    out = np.empty_like(found)
    out[:1] = -1
    out[1:] = found[:-1]
    return out


def backoff_logprob(table: NGramTable, tables: BackoffTables, found: list[np.ndarray],
                    offsets: np.ndarray) -> np.ndarray:
    """ln P(token_i | its context) at every position of a stream, by backing off.

    ``found`` is ``table.lookup(tokens, offsets)``. At order m (context length m-1): if
    the m-gram was seen, take its stored log-probability; otherwise add the context's
    log backoff weight and try order m-1. ``offsets[i]`` is how many tokens of context
    position i has. Positions holding ``<s>`` (never predicted) get NaN.
    """
    n = table.order
    result = np.zeros(len(offsets))
    skip = found[0] == BOS_ID
    done = skip.copy()
    for m in range(n, 0, -1):
        reachable = ~done & (offsets >= m - 1)
        idx = found[m - 1]
        hit = reachable & (idx >= 0)
        result[hit] += tables.logp[m - 1][idx[hit]]
        done |= hit
        if m > 1:
            miss = np.flatnonzero(reachable & ~hit)
            context = _previous(found[m - 2])[miss]
            seen = context >= 0
            result[miss[seen]] += tables.logbow[m - 2][context[seen]]
    result[skip] = np.nan
    return result


def backoff_distribution(table: NGramTable, tables: BackoffTables, context_found: list[int]) -> np.ndarray:
    """P(. | context) over the whole vocabulary (length V), from a backoff model.

    ``context_found[j-1]`` is the index of the context's last j tokens in the order-j
    table (-1 if unseen), for j = 1..len(context).
    """
    prob = np.exp(tables.logp[0])
    for j, c in enumerate(context_found, start=1):
        if c < 0 or j >= table.order:
            break
        prob *= np.exp(tables.logbow[j - 1][c])
        block = table.continuations(j + 1, c)
        prob[table.last(j + 1, block)] = np.exp(tables.logp[j][block])
    return prob


def _gather(values: np.ndarray, index: np.ndarray) -> np.ndarray:
    """``values[index]`` where ``index >= 0``, else 0 (works when ``values`` is empty)."""
    out = np.zeros(len(index), dtype=values.dtype)
    hit = index >= 0
    out[hit] = values[index[hit]]
    return out


def count_logprob(counts: NGramCounts, totals: list[np.ndarray], found: list[np.ndarray],
                  offsets: np.ndarray, method: str, k: float) -> np.ndarray:
    """ln P(token_i | context) at every position for ``"mle"`` or ``"addk"`` (see module docstring).

    ``totals[m-1]`` = ``counts.context_totals(m)``. Positions holding ``<s>`` get NaN.
    """
    n = counts.order
    n_pred = counts.table.vocab_size - 1  # every token but <s>
    num = np.zeros(len(offsets))
    den = np.zeros(len(offsets))
    skip = found[0] == BOS_ID
    decided = skip.copy()
    for m in range(n, 0, -1):
        reachable = np.flatnonzero(~decided & (offsets >= m - 1))
        idx = found[m - 1][reachable]
        c_hw = _gather(counts.counts[m - 1], idx)
        if m == 1:
            c_h = np.full(len(reachable), totals[0][0])
        else:
            context = _previous(found[m - 2])[reachable]
            c_h = _gather(totals[m - 1], context)
        if method == "mle":
            use = c_h > 0  # else back off to a shorter context
            reachable, c_hw, c_h = reachable[use], c_hw[use], c_h[use]
        num[reachable] = c_hw
        den[reachable] = c_h
        decided[reachable] = True
    with np.errstate(divide="ignore", invalid="ignore"):
        if method == "addk":
            result = np.log(num + k) - np.log(den + k * n_pred)
        else:
            result = np.log(num) - np.log(den)
    result[skip] = np.nan
    return result


def count_distribution(counts: NGramCounts, totals: list[np.ndarray], context_found: list[int],
                       method: str, k: float) -> np.ndarray:
    """P(. | context) over the vocabulary for ``"mle"`` or ``"addk"``."""
    table = counts.table
    vocab_size = table.vocab_size
    length = len(context_found)
    for j in range(length, -1, -1):  # context length used
        c = context_found[j - 1] if j > 0 else 0
        c_h = totals[j][c] if (j == 0 or c >= 0) else 0
        if method == "addk" or c_h > 0 or j == 0:
            break
    row = np.zeros(vocab_size)
    if j == 0:
        row[:] = counts.counts[0]
        row[BOS_ID] = 0
    elif c >= 0:
        block = table.continuations(j + 1, c)
        row[table.last(j + 1, block)] = counts.counts[j][block]
    if method == "addk":
        prob = (row + k) / (c_h + k * (vocab_size - 1))
    else:
        prob = row / c_h
    prob[BOS_ID] = 0.0
    return prob

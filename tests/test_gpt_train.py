"""Training loop, schedule, evaluation in nats per character, and the GPT-vs-n-gram measurements."""

import math

import numpy as np
import pytest
import torch
from torch.nn import functional as F

from aigc_course.gpt import GPT, CharTokenizer, GPTConfig, TrainConfig, learning_rate_at, token_losses, train
from aigc_course.gpt.compare import CopyDetector, gpt_loss_by_position, ngram_loss_by_position, window_starts
from aigc_course.per_char import nats_per_char

TEXT = "to be or not to be, that is the question.\nwhether 'tis nobler in the mind to suffer\n" * 40


def _tiny(vocab, window=16):
    torch.manual_seed(0)
    return GPT(GPTConfig(vocab_size=vocab, n_positions=window, n_embd=32, n_layer=2, n_head=2))


def test_training_lowers_the_loss_and_is_deterministic():
    tokenizer = CharTokenizer.from_text(TEXT)
    ids = tokenizer.encode_tensor(TEXT)
    config = TrainConfig(max_steps=60, batch_size=8, block_size=16, learning_rate=3e-3, warmup_steps=5,
                         eval_every=20, eval_windows=8)
    runs = []
    for _ in range(2):
        model = _tiny(len(tokenizer))
        history = train(model, ids, ids, config, progress=False)
        runs.append(history)
    first, second = runs
    assert first.val_loss[-1] < first.val_loss[0] - 1.0  # a repetitive text is learned quickly
    assert first.train_loss == second.train_loss  # same seed, same run
    assert first.val_steps == [0, 20, 40, 60] and len(first.train_loss) == 60
    assert first.tokens_seen == 60 * 8 * 16 and first.train_seconds > 0


def test_time_budget_stops_training():
    tokenizer = CharTokenizer.from_text(TEXT)
    ids = tokenizer.encode_tensor(TEXT)
    config = TrainConfig(max_steps=10**6, batch_size=4, block_size=16, eval_every=10**6, max_seconds=0.5,
                         eval_every_seconds=0.2)
    history = train(_tiny(len(tokenizer)), ids, ids, config, progress=False)
    # the budget, not max_steps, ended training; timed evaluations came at least 0.2 s apart
    # (how many fit in 0.5 s depends on the machine's load, so only the spacing is checked)
    assert 0.5 <= history.train_seconds < 30 and history.steps[-1] < 10**6
    assert len(history.val_loss) >= 2 and all(b - a >= 0.19 for a, b in zip(history.val_seconds[1:-1], history.val_seconds[2:-1]))


def test_schedule_warms_up_then_decays_to_the_floor():
    config = TrainConfig(max_steps=1000, learning_rate=1e-3, warmup_steps=100, min_lr_ratio=0.1)
    assert learning_rate_at(0.0, config, 0) == pytest.approx(1e-5)
    assert learning_rate_at(0.1, config, 99) == pytest.approx(1e-3)
    assert learning_rate_at(0.5, config, 500) == pytest.approx(0.55e-3)
    assert learning_rate_at(1.0, config, 999) == pytest.approx(1e-4)


def test_token_losses_score_every_token_once_with_the_promised_context():
    torch.manual_seed(0)
    model = GPT(GPTConfig(vocab_size=20, n_positions=8, n_embd=16, n_layer=1, n_head=2)).eval()
    ids = torch.randint(0, 20, (50,))
    with torch.no_grad():  # brute force: each target with the longest context the window allows
        expected = torch.tensor([F.cross_entropy(model(ids[max(0, j - 7):j + 1][None])["logits"][0, -1:],
                                                 ids[j + 1:j + 2]).item() for j in range(49)])
    assert torch.allclose(token_losses(model, ids, stride=1), expected, atol=1e-6)
    for stride in (2, 3, 4, 8):
        losses = token_losses(model, ids, stride=stride, batch_size=3)
        assert losses.shape == (49,) and not torch.isnan(losses).any()
        # the first window scores everything it holds; a batch of windows sums in another order than
        # one window at a time, so float32 rounding differs (~1e-7 relative here, ~1e-6 on other CPUs)
        torch.testing.assert_close(losses[:8], expected[:8], rtol=1e-5, atol=1e-6)
    with pytest.raises(ValueError, match="stride"):
        token_losses(model, ids, stride=9)


def test_nats_per_char_counts_every_character_including_newlines():
    tokenizer = CharTokenizer.from_text("ab\n")
    torch.manual_seed(0)
    model = GPT(GPTConfig(vocab_size=3, n_positions=4, n_embd=8, n_layer=1, n_head=1)).eval()
    with torch.no_grad():
        for p in model.parameters():
            p.zero_()  # all logits 0: a uniform model, ln 3 nats for every character
    assert nats_per_char(model, "abab\nba\n", tokenizer) == pytest.approx(math.log(3))
    with pytest.raises(ValueError):
        nats_per_char(model, "", tokenizer)


def test_loss_by_position_and_ngram_comparison():
    ngram = pytest.importorskip("aigc_course.ngram")
    tokenizer = CharTokenizer.from_text(TEXT)
    model = _tiny(len(tokenizer), window=16)
    starts = window_starts(len(TEXT), 16, 10)
    gpt_curve = gpt_loss_by_position(model, tokenizer, TEXT, starts)
    assert gpt_curve.shape == (16,) and np.isfinite(gpt_curve).all()
    lm = ngram.NGramLM(3).fit(ngram.char_sentences(TEXT))
    curve = ngram_loss_by_position(lm, TEXT, starts, 16)
    assert curve.shape == (16,)
    full = -np.asarray(lm.token_logprobs(ngram.char_sentences(TEXT)))
    # from 2 characters of context on, a trigram sees everything it can use
    assert curve[1:] == pytest.approx(np.mean([full[s + 2:s + 17] for s in starts], axis=0))
    assert curve[0] >= curve[2]  # with one character of context the trigram knows less


def test_copy_detector_finds_verbatim_spans():
    corpus = "the quick brown fox jumps over the lazy dog\n"
    detector = CopyDetector(corpus)
    assert detector.copied_fraction("xx the quick brown yy", 10) == pytest.approx(16 / 21)  # "the quick brown "
    assert detector.copied_fraction("completely new words", 10) == 0.0
    assert detector.longest_copy("a lazy dog jumps over the moon") == (len(" jumps over the "), " jumps over the ")
    with pytest.raises(ValueError):
        detector.copied_fraction("abc", 0)


def _brute_force_copies(corpus, text, k, limit=400):
    """Copied fraction and longest copy by plain substring search (the definition, no hashing)."""
    covered = [False] * len(text)
    for i in range(len(text) - k + 1):
        if text[i:i + k] in corpus:
            covered[i:i + k] = [True] * k
    fraction = sum(covered) / len(text) if len(text) >= k else 0.0
    best = (0, "")
    for length in range(1, min(limit, len(text)) + 1):
        found = next((text[i:i + length] for i in range(len(text) - length + 1) if text[i:i + length] in corpus), None)
        if found is None:
            break
        best = (length, found)
    return fraction, best


@pytest.mark.parametrize("seed", range(12))
def test_copy_detector_agrees_with_brute_force_search(seed):
    rng = np.random.default_rng(seed)
    alphabet = list("ab\n") if seed % 2 else list("abcdé 中\n")  # few letters: many repeats and long copies
    corpus = "".join(rng.choice(alphabet, size=int(rng.integers(1, 300))))
    # generated texts: random, and pieces of the corpus glued together (long copies)
    pieces = [corpus[s:s + int(rng.integers(1, 40))] for s in rng.integers(0, len(corpus), size=6)]
    texts = ["".join(rng.choice(alphabet, size=int(rng.integers(0, 80)))), "".join(pieces), "zz" + corpus[:50]]
    detector = CopyDetector(corpus)
    for text in texts:
        for k in (1, 2, 3, 5, 8, 13, 40):
            fraction, _ = _brute_force_copies(corpus, text, k)
            assert detector.copied_fraction(text, k) == pytest.approx(fraction, abs=1e-12), (text, k)
        for limit in (3, 400):
            assert detector.longest_copy(text, limit) == _brute_force_copies(corpus, text, 1, limit)[1], (text, limit)
        # asked in another order (the longest copy first), the same answers
        fresh = CopyDetector(corpus)
        assert fresh.longest_copy(text) == detector.longest_copy(text)
        assert [fresh.copied_fraction(text, k) for k in (8, 3)] == [detector.copied_fraction(text, k) for k in (8, 3)]


def test_bad_training_settings_are_refused():
    with pytest.raises(ValueError, match="learning_rate"):
        TrainConfig(learning_rate=0)
    with pytest.raises(ValueError, match="max_steps"):
        TrainConfig(max_steps=0)
    with pytest.raises(ValueError, match="block_size"):
        train(_tiny(10, window=8), torch.zeros(100, dtype=torch.long), torch.zeros(100, dtype=torch.long),
              TrainConfig(block_size=16), progress=False)
    with pytest.raises(TypeError):
        train(torch.nn.Linear(2, 2), torch.zeros(100, dtype=torch.long), torch.zeros(100, dtype=torch.long),
              TrainConfig(block_size=8), progress=False)

"""The neural-LM lesson's package: written-out autodiff and RNN against PyTorch, the bigram fit against counting."""

from __future__ import annotations

import math
import random

import pytest
import torch

from aigc_course.neural_lm import (MLPLM, BigramLM, RecurrentLM, Scalar, add_k_bigram, fit_bigram, pair_counts,
                                   scalars)

# --- the scalar engine against torch.autograd ---------------------------------------------

_UNARY = ("tanh", "exp", "log", "relu", "neg", "square", "cube", "inv")
_BINARY = ("+", "-", "*", "/")


def _apply(op: str, *args):
    """One operation on Scalars or float64 tensors alike; log and 1/x get positive arguments, and
    products and powers bounded factors, so no value overflows however the ops are chained."""
    if op in _BINARY:
        a, b = args
        return {"+": lambda: a + b, "-": lambda: a - b, "*": lambda: a * b.tanh(),
                "/": lambda: a / (b * b + 1.0)}[op]()
    (a,) = args
    return {"tanh": lambda: a.tanh(), "exp": lambda: (a.tanh() * 2.0).exp(), "log": lambda: (a * a + 0.5).log(),
            "relu": lambda: a.relu(), "neg": lambda: -a, "square": lambda: a.tanh() ** 2, "cube": lambda: a.tanh() ** 3,
            "inv": lambda: 1.0 / (a * a + 1.0)}[op]()


def _random_program(rng: random.Random, n_inputs: int, n_ops: int) -> list[tuple[str, tuple[int, ...]]]:
    """A random expression graph: each step applies an op to earlier values (reused values included)."""
    program = []
    for i in range(n_ops):
        available = n_inputs + i
        if rng.random() < 0.5:
            program.append((rng.choice(_BINARY), (rng.randrange(available), rng.randrange(available))))
        else:
            program.append((rng.choice(_UNARY), (rng.randrange(available),)))
    return program


def _run(program, values: list):
    for op, args in program:
        values.append(_apply(op, *(values[i] for i in args)))
    return values[-1]


@pytest.mark.parametrize("seed", range(20))
def test_scalar_gradients_equal_torch_autograd_on_random_expressions(seed):
    rng = random.Random(seed)
    inputs = [rng.uniform(-2, 2) for _ in range(4)]
    program = _random_program(rng, len(inputs), n_ops=25)
    leaves = scalars(inputs)
    out = _run(program, list(leaves))
    out.backward()
    tensors = [torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in inputs]
    expected = _run(program, list(tensors))
    expected_grads = torch.autograd.grad(expected, tensors, allow_unused=True)
    # both work in float64; only the order of the additions differs, so they agree to ~1e-15 relative
    assert out.value == pytest.approx(expected.item(), rel=1e-9, abs=1e-12)
    for leaf, grad in zip(leaves, expected_grads):
        assert leaf.grad == pytest.approx(0.0 if grad is None else grad.item(), rel=1e-9, abs=1e-12)


def test_a_value_used_twice_collects_both_gradients_and_backward_starts_afresh():
    x = Scalar(3.0)
    y = x * x + x          # dy/dx = 2x + 1 = 7
    y.backward()
    assert x.grad == 7.0
    y.backward()           # not accumulated across calls
    assert x.grad == 7.0
    long_sum = sum(scalars([1.0] * 5000), Scalar(0.0))  # deeper than Python's recursion limit
    long_sum.backward()
    assert long_sum.value == 5000.0


@pytest.mark.parametrize("make, error, match", [
    (lambda: Scalar(float("nan")), ValueError, "finite"),
    (lambda: Scalar(True), TypeError, "real number"),
    (lambda: Scalar("1"), TypeError, "real number"),
    (lambda: Scalar(1.0) + "x", TypeError, "operand"),
    (lambda: Scalar(-1.0).log(), ValueError, "log needs a value > 0"),
    (lambda: Scalar(0.0) ** -1, ValueError, "no finite derivative"),
    (lambda: Scalar(-2.0) ** 0.5, ValueError, "not a real number"),
    (lambda: Scalar(2.0) ** Scalar(2.0), TypeError, "exponent must be a plain number"),
    (lambda: Scalar(800.0).exp(), ValueError, "too large"),
    (lambda: scalars("12"), TypeError, "iterable of numbers"),
])
def test_bad_scalar_input_gets_a_clear_error(make, error, match):
    with pytest.raises(error, match=match):
        make()


# --- the written-out RNN against PyTorch's -------------------------------------------------

def test_the_written_out_rnn_equals_torch_rnn_with_the_same_weights():
    torch.manual_seed(0)
    model = RecurrentLM(11, kind="rnn", n_embd=5, hidden=7)
    reference = torch.nn.RNN(5, 7, batch_first=True)
    with torch.no_grad():
        for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
            getattr(reference, f"{name}_l0").copy_(getattr(model.cell, name))
    ids = torch.randint(0, 11, (3, 9))
    h0 = torch.randn(3, 7)
    out = model(ids, state=h0, return_hidden=True)
    expected, last = reference(model.embed(ids), h0[None])
    # float32, the same products summed in another order: equal to rounding
    torch.testing.assert_close(out["hidden"], expected, rtol=1e-5, atol=1e-6)
    torch.testing.assert_close(out["state"], last[0], rtol=1e-5, atol=1e-6)
    assert len(out["steps"]) == 9 and out["steps"][-1] is out["state"]


@pytest.mark.parametrize("kind", ["rnn", "gru", "lstm"])
def test_recurrent_models_continue_a_text_from_their_state(kind):
    torch.manual_seed(0)
    model = RecurrentLM(13, kind=kind, n_embd=4, hidden=6)
    ids = torch.randint(0, 13, (2, 10))
    whole = model(ids, targets=ids)
    first = model(ids[:, :4])
    second = model(ids[:, 4:], state=first["state"])
    torch.testing.assert_close(torch.cat([first["logits"], second["logits"]], 1), whole["logits"],
                               rtol=1e-5, atol=1e-6)
    assert whole["logits"].shape == (2, 10, 13) and whole["loss"].dim() == 0


# --- the MLP's window and the bigram table -------------------------------------------------

def test_the_mlp_reads_exactly_its_last_context_characters():
    torch.manual_seed(0)
    model = MLPLM(10, context=3, n_embd=4, hidden=8)
    ids = torch.randint(1, 10, (1, 8))
    base = model(ids)["logits"]
    changed = ids.clone()
    changed[0, 2] = 0
    after = model(changed)["logits"]
    same = [t for t in range(8) if torch.equal(base[0, t], after[0, t])]
    assert same == [0, 1, 5, 6, 7]  # positions 2, 3 and 4 have id 2 in their 3-character window
    padded = model(torch.tensor([[0, 0, 5]]))["logits"][0, -1]  # newline padding reads like newlines
    torch.testing.assert_close(model(torch.tensor([[5]]))["logits"][0, -1], padded)


def test_gradient_descent_on_the_pseudo_counts_finds_the_add_k_bigram():
    ids = torch.tensor([0, 1, 2, 1, 2, 3, 0, 1, 3, 3, 2, 1, 0] * 7)
    counts = pair_counts(ids, 5)
    assert counts.sum() == len(ids) - 1 and counts[1, 2] == 14
    for k in (0.1, 1.0):
        model, losses = fit_bigram(counts, k=k, steps=400)
        counted = add_k_bigram(counts, k)
        # a convex problem: after 400 full-batch steps the table is within 1e-3 of the counted probabilities
        torch.testing.assert_close(model.probabilities(), counted, rtol=0, atol=1e-3)
        assert losses[-1] < losses[0] and isinstance(model, BigramLM)


@pytest.mark.parametrize("make, error, match", [
    (lambda: MLPLM(1), ValueError, "vocab_size"),
    (lambda: MLPLM(10, context=0), ValueError, "context"),
    (lambda: MLPLM(10, pad_id=10), ValueError, "pad_id"),
    (lambda: RecurrentLM(10, kind="transformer"), ValueError, "kind"),
    (lambda: RecurrentLM(10, hidden=True), TypeError, "hidden"),
    (lambda: MLPLM(10)(torch.tensor([[1, 10]])), ValueError, "ids"),
    (lambda: MLPLM(10)(torch.tensor([1, 2])), ValueError, r"\(B, T\)"),
    (lambda: MLPLM(10)(torch.tensor([[1, 2]]), torch.tensor([[1]])), ValueError, "targets"),
    (lambda: RecurrentLM(10, kind="rnn", hidden=4)(torch.tensor([[1]]), state=torch.zeros(2, 4)), ValueError,
     "state"),
    (lambda: RecurrentLM(10, kind="gru", hidden=4)(torch.tensor([[1]]), state=torch.zeros(1, 2, 4)), ValueError,
     "state"),
    (lambda: RecurrentLM(10, kind="lstm", hidden=4)(torch.tensor([[1]]), state=torch.zeros(1, 1, 4)), ValueError,
     r"pair \(h, c\)"),
    (lambda: pair_counts(torch.tensor([1]), 5), ValueError, "at least 2"),
    (lambda: add_k_bigram(torch.ones(3, 3), 0.0), ValueError, "k"),
    (lambda: add_k_bigram(-torch.ones(3, 3), 1.0), ValueError, ">= 0"),
    (lambda: fit_bigram(torch.ones(3, 3), 1.0, steps=0), ValueError, "steps"),
    (lambda: fit_bigram(torch.ones(3, 3), 1.0, lr=math.inf), ValueError, "lr"),
])
def test_bad_model_input_gets_a_clear_error(make, error, match):
    with pytest.raises(error, match=match):
        make()


# --- the one training loop and evaluation, for models other than the GPT ------------------

@pytest.mark.parametrize("make", [lambda v: MLPLM(v, context=4, n_embd=8, hidden=32),
                                  lambda v: RecurrentLM(v, kind="gru", n_embd=8, hidden=32)])
def test_the_shared_loop_trains_the_mlp_and_the_gru(make):
    from aigc_course.neural_lm import TrainConfig, train
    from aigc_course.neural_lm.evaluate import token_losses

    torch.manual_seed(0)
    ids = torch.tensor([0, 1, 2, 3, 4, 5, 6, 7] * 60)  # a cycle: each id follows from the one before
    model = make(8)
    config = TrainConfig(max_steps=150, batch_size=8, block_size=16, learning_rate=1e-2, warmup_steps=5,
                         eval_every=50, eval_windows=8)
    history = train(model, ids, ids, config, progress=False)
    # from ln 8 = 2.08 nats to almost nothing: a deterministic cycle is easy to learn
    assert history.val_loss[0] > 1.9 and history.val_loss[-1] < 0.2
    with pytest.raises(ValueError, match="window must be given"):
        token_losses(model, ids)
    losses = token_losses(model, ids, window=16, stride=8)
    assert losses.shape == (len(ids) - 1,) and bool(torch.isfinite(losses).all())


def test_the_recipes_build_the_sizes_the_lesson_quotes():
    from aigc_course.neural_lm.recipes import MLP_BLOCK, RNN_BLOCK, make_gru, make_mlp, timed_training

    assert make_mlp().num_parameters() == 139_628 and make_gru().num_parameters() == 552_524
    config = timed_training(180.0, RNN_BLOCK, 1e-2)
    assert config.batch_size == 32 and config.block_size == 128 and config.learning_rate == 1e-2
    assert timed_training(60.0, MLP_BLOCK, 3e-3).block_size == 64
    with pytest.raises(ValueError, match="seconds"):
        timed_training(0.0, RNN_BLOCK, 1e-2)
    with pytest.raises(ValueError, match="learning_rate"):
        timed_training(10.0, RNN_BLOCK, math.nan)


def test_the_loop_records_the_gradient_norm_before_clipping():
    from aigc_course.neural_lm import TrainConfig, train

    torch.manual_seed(0)
    ids = torch.randint(0, 8, (400,))
    config = TrainConfig(max_steps=6, batch_size=4, block_size=8, learning_rate=1e-2, warmup_steps=1,
                         eval_every=6, eval_windows=2, grad_clip=1e-3)  # a tiny clip: every step is clipped
    history = train(MLPLM(8, context=2, n_embd=4, hidden=8), ids, ids, config, progress=False)
    assert len(history.grad_norm) == 6 and all(norm > 1e-3 for norm in history.grad_norm)


# --- sampling from every kind of model, and the gradient by distance ----------------------

@pytest.mark.parametrize("make", [lambda: BigramLM(9), lambda: MLPLM(9, context=3, n_embd=4, hidden=8),
                                  lambda: RecurrentLM(9, kind="rnn", n_embd=4, hidden=8),
                                  lambda: RecurrentLM(9, kind="gru", n_embd=4, hidden=8),
                                  lambda: RecurrentLM(9, kind="lstm", n_embd=4, hidden=8)])
def test_generate_feeds_each_model_what_gives_the_logits_of_the_whole_text(make):
    from aigc_course.sampling import generate

    torch.manual_seed(0)
    model = make()
    prompt = torch.tensor([[1, 2, 3, 4, 5], [5, 4, 3, 2, 1]])
    out = generate(model, prompt, 12)  # greedy: state carried, or only the last `reads_last` tokens fed
    for t in range(prompt.shape[1], out.shape[1]):  # the same choice as re-reading the whole text each time
        full = model(out[:, :t])["logits"][:, -1]
        assert torch.equal(out[:, t], full.argmax(dim=-1))
    assert model.training  # left as it was


def test_sample_text_is_seeded_for_a_recurrent_model():
    from aigc_course.gpt.chars import CharTokenizer
    from aigc_course.sampling import sample_text

    tokenizer = CharTokenizer.from_text("\nabc d")
    model = RecurrentLM(len(tokenizer), kind="gru", n_embd=4, hidden=8)
    first = sample_text(model, tokenizer, "\n", 30, seed=3)
    assert len(first) == 30 and first == sample_text(model, tokenizer, "\n", 30, seed=3)
    assert first != sample_text(model, tokenizer, "\n", 30, seed=4)
    with pytest.raises(TypeError, match="language model"):
        sample_text(object(), tokenizer, "\n", 5)


def test_the_rnn_gradient_vanishes_with_distance_and_parameters_stay_untouched():
    from aigc_course.neural_lm.memory import gradient_by_distance

    torch.manual_seed(0)
    model = RecurrentLM(10, kind="rnn", n_embd=8, hidden=16)
    ids, targets = torch.randint(0, 10, (4, 40)), torch.randint(0, 10, (4, 40))
    by_distance = gradient_by_distance(model, ids, targets)
    assert by_distance.shape == (40,) and by_distance[0] > 0
    # tanh' <= 1 and W_hh with entries in +-1/4: the product of 30 Jacobians is tiny
    assert by_distance[30] < 1e-6 * by_distance[0]
    assert all(p.grad is None for p in model.parameters())
    with pytest.raises(TypeError, match="embed each position once"):
        gradient_by_distance(MLPLM(10, context=3, n_embd=4, hidden=8), ids, targets)
    with pytest.raises(TypeError, match="embed"):
        gradient_by_distance(BigramLM(10), ids, targets)
    with pytest.raises(ValueError, match="targets"):
        gradient_by_distance(model, ids, targets[:, :5])

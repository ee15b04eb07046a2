"""The written-out GPT-2 gives the same logits as transformers' GPT2LMHeadModel."""

import pytest
import torch

from aigc_course.gpt import GPT, GPTConfig, from_hf_model, hf_to_ours, ours_to_hf, to_hf_model

transformers = pytest.importorskip("transformers")

# (vocab, context, width, layers, heads): several shapes, including one head and odd vocabularies
CONFIGS = [(76, 64, 32, 2, 4), (301, 128, 64, 3, 2), (1000, 16, 48, 1, 6), (50, 40, 24, 4, 1)]


def _random_hf(vocab, positions, width, layers, heads, seed):
    torch.manual_seed(seed)
    config = transformers.GPT2Config(vocab_size=vocab, n_positions=positions, n_embd=width, n_layer=layers,
                                     n_head=heads, bos_token_id=None, eos_token_id=None)
    hf = transformers.GPT2LMHeadModel(config).eval()
    with torch.no_grad():  # GPT-2's init is tiny; make every weight matter so parity is a real test
        for p in hf.parameters():
            p.add_(torch.randn_like(p) * 0.2)
    return hf


@pytest.mark.parametrize("shape", CONFIGS)
def test_logits_match_transformers(shape):
    hf = _random_hf(*shape, seed=sum(shape))
    ours = from_hf_model(hf).eval()
    ids = torch.randint(0, shape[0], (3, shape[1]), generator=torch.Generator().manual_seed(1))
    with torch.no_grad():
        expected = hf(ids).logits
        got = ours(ids)["logits"]
        by_hand = ours(ids, return_attention=True)["logits"]  # the explicit softmax(QKᵀ/√d)V path
    assert expected.std() > 0.5  # the logits are not all near zero
    assert (got - expected).abs().max().item() <= 1e-5
    assert (by_hand - expected).abs().max().item() <= 1e-5


def test_round_trip_to_transformers_and_back():
    torch.manual_seed(0)
    ours = GPT(GPTConfig(vocab_size=90, n_positions=32, n_embd=32, n_layer=2, n_head=2)).eval()
    hf = to_hf_model(ours)
    ids = torch.randint(0, 90, (2, 32))
    with torch.no_grad():
        assert (hf(ids).logits - ours(ids)["logits"]).abs().max() <= 1e-5
    state = ours.state_dict()
    back = hf_to_ours(ours_to_hf(state))
    assert all(torch.equal(state[k], back[k]) for k in state)


def test_parameter_count_matches_transformers():
    hf = _random_hf(76, 64, 32, 2, 4, seed=0)
    assert from_hf_model(hf).num_parameters() == hf.num_parameters()


def test_kv_cache_gives_the_same_logits_as_a_full_pass():
    torch.manual_seed(0)
    model = GPT(GPTConfig(vocab_size=50, n_positions=24, n_embd=32, n_layer=2, n_head=4)).eval()
    ids = torch.randint(0, 50, (2, 20))
    with torch.no_grad():
        full = model(ids)["logits"]
        out = model(ids[:, :12], use_cache=True)
        step = model(ids[:, 12:15], past=out["past"], use_cache=True)  # several new tokens at once
        last = model(ids[:, 15:16], past=step["past"])
    assert torch.allclose(step["logits"], full[:, 12:15], atol=1e-5)
    assert torch.allclose(last["logits"], full[:, 15:16], atol=1e-5)


def test_attention_weights_are_causal_and_normalised():
    torch.manual_seed(0)
    model = GPT(GPTConfig(vocab_size=30, n_positions=10, n_embd=16, n_layer=2, n_head=2)).eval()
    with torch.no_grad():
        maps = model(torch.randint(0, 30, (1, 10)), return_attention=True)["attentions"]
    assert len(maps) == 2 and maps[0].shape == (1, 2, 10, 10)
    assert torch.allclose(maps[0].sum(-1), torch.ones(1, 2, 10))
    assert maps[1][0, :, 0, 1:].abs().max() == 0  # the first token sees only itself


def test_loss_is_cross_entropy_in_nats():
    torch.manual_seed(0)
    model = GPT(GPTConfig(vocab_size=64, n_positions=8, n_embd=16, n_layer=1, n_head=2)).eval()
    ids, targets = torch.randint(0, 64, (2, 4, 8))
    with torch.no_grad():
        out = model(ids, targets=targets)
    by_hand = -out["logits"].log_softmax(-1).gather(-1, targets[..., None]).mean()
    assert torch.allclose(out["loss"], by_hand)
    assert abs(out["loss"].item() - torch.log(torch.tensor(64.0)).item()) < 0.1  # untrained: near uniform


def test_initialisation_follows_gpt2():
    torch.manual_seed(0)
    model = GPT(GPTConfig(vocab_size=500, n_positions=64, n_embd=128, n_layer=8, n_head=4))
    assert abs(model.transformer.wte.weight.std().item() - 0.02) < 0.002
    assert abs(model.transformer.h[0].mlp.c_proj.weight.std().item() - 0.02 / 4) < 0.001
    assert model.lm_head.weight is model.transformer.wte.weight


def test_bad_inputs_raise_clear_errors():
    model = GPT(GPTConfig(vocab_size=20, n_positions=8, n_embd=16, n_layer=1, n_head=2))
    with pytest.raises(ValueError, match="context window"):
        model(torch.zeros(1, 9, dtype=torch.long))
    with pytest.raises(ValueError, match="int64"):
        model(torch.zeros(1, 4))
    with pytest.raises(ValueError, match="divisible"):
        GPTConfig(n_embd=30, n_head=4)
    with pytest.raises(ValueError, match="n_layer"):
        GPTConfig(n_layer=0)
    with pytest.raises(TypeError):
        GPT({"n_layer": 2})
    with pytest.raises(ValueError, match="activation_function"):
        GPTConfig.from_hf(transformers.GPT2Config(activation_function="relu"))

"""Decoding written out step by step produces the same tokens as transformers' generate.

Only the comparisons with ``generate`` need transformers; without it they are skipped and
the rest still run.
"""

import pytest
import torch

from aigc_course.gpt import GPT, GPTConfig, to_hf_model
from aigc_course.sampling import apply_top_k, apply_top_p, generate, next_token, process_logits


@pytest.fixture(scope="module")
def ours():
    torch.manual_seed(0)
    model = GPT(GPTConfig(vocab_size=90, n_positions=64, n_embd=32, n_layer=2, n_head=4)).eval()
    with torch.no_grad():  # sharpen the random model so the cuts actually remove tokens
        for p in model.parameters():
            p.mul_(8)
    return model


@pytest.fixture(scope="module")
def hf(ours):
    """The same weights in transformers' GPT2LMHeadModel."""
    pytest.importorskip("transformers")
    return to_hf_model(ours)


SETTINGS = [
    dict(do_sample=False),
    dict(do_sample=True),  # pure sampling at temperature 1
    dict(do_sample=True, temperature=0.7),
    dict(do_sample=True, top_k=10),
    dict(do_sample=True, top_p=0.9),
    dict(do_sample=True, temperature=1.3, top_k=50, top_p=0.95),  # the article's call, warmer
]


@pytest.mark.parametrize("settings", SETTINGS, ids=lambda s: ",".join(f"{k}={v}" for k, v in s.items()))
def test_same_tokens_as_generate(ours, hf, settings):
    prompt = torch.tensor([[1, 2, 3], [40, 41, 42]])
    hf_settings = dict(settings)
    if settings.get("do_sample"):
        hf_settings.setdefault("top_k", 0)  # generate would otherwise quietly add top_k=50
    for seed in (0, 123):
        torch.manual_seed(seed)
        expected = hf.generate(prompt, max_new_tokens=40, pad_token_id=0, **hf_settings)
        got = generate(ours, prompt, 40, generator=torch.Generator().manual_seed(seed), **settings)
        assert torch.equal(got, expected)


def test_prompt_containing_the_pad_id_matches_generate_with_an_attention_mask(ours, hf):
    prompt = torch.tensor([[5, 9, 0, 3, 0]])  # id 0 doubles as pad_token_id (a character model's newline)
    torch.manual_seed(42)
    expected = hf.generate(prompt, attention_mask=torch.ones_like(prompt), do_sample=True, top_k=50, top_p=0.95,
                           max_new_tokens=40, pad_token_id=0)
    got = generate(ours, prompt, 40, do_sample=True, top_k=50, top_p=0.95, generator=torch.Generator().manual_seed(42))
    assert torch.equal(got, expected)


@pytest.mark.parametrize("settings", SETTINGS[::2] + [SETTINGS[-1]], ids=str)
def test_kv_cache_and_no_cache_give_identical_tokens(ours, settings):
    prompt = torch.tensor([[5, 6, 7, 8]])
    with_cache = generate(ours, prompt, 50, use_cache=True, generator=torch.Generator().manual_seed(3), **settings)
    without = generate(ours, prompt, 50, use_cache=False, generator=torch.Generator().manual_seed(3), **settings)
    assert torch.equal(with_cache, without)


def test_generation_slides_past_the_context_window(ours):
    prompt = torch.arange(60)[None]
    a = generate(ours, prompt, 20, use_cache=True)
    b = generate(ours, prompt, 20, use_cache=False)
    assert a.shape == (1, 80) and torch.equal(a, b)


def test_top_k_keeps_k_tokens_and_top_p_keeps_the_nucleus():
    logits = torch.log(torch.tensor([[0.5, 0.2, 0.15, 0.1, 0.05]]))
    assert torch.isfinite(apply_top_k(logits, 2)).sum() == 2
    assert torch.isfinite(apply_top_k(logits, 99)).sum() == 5
    # 0.5 + 0.2 = 0.7 < 0.8, so the nucleus for p = 0.8 needs the third token too
    assert torch.isfinite(apply_top_p(logits, 0.8)).tolist() == [[True, True, True, False, False]]
    assert torch.isfinite(apply_top_p(logits, 0.5)).sum() == 1
    assert torch.isfinite(apply_top_p(logits, 1.0)).sum() == 5
    scaled = process_logits(logits, temperature=0.5)
    assert torch.allclose(scaled, logits * 2)


def test_greedy_is_argmax_and_sampling_is_seeded():
    logits = torch.tensor([[0.0, 3.0, 1.0]])
    assert next_token(logits).tolist() == [1]
    draws = [next_token(logits, do_sample=True, generator=torch.Generator().manual_seed(s)).item() for s in range(50)]
    assert set(draws) >= {1, 2}
    again = [next_token(logits, do_sample=True, generator=torch.Generator().manual_seed(s)).item() for s in range(50)]
    assert draws == again


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(do_sample=True, temperature=0.0), "greedy"),
        (dict(do_sample=True, temperature=-1.0), "temperature"),
        (dict(do_sample=True, top_k=0), "top_k"),
        (dict(do_sample=True, top_p=0.0), "top_p"),
        (dict(do_sample=True, top_p=1.5), "top_p"),
    ],
)
def test_bad_settings_are_refused(ours, kwargs, message):
    with pytest.raises(ValueError, match=message):
        generate(ours, torch.tensor([[1, 2]]), 5, **kwargs)


def test_bad_prompts_and_lengths_are_refused(ours):
    with pytest.raises(ValueError, match="max_new_tokens"):
        generate(ours, torch.tensor([[1]]), 0)
    with pytest.raises(ValueError, match="context window is 64"):
        generate(ours, torch.zeros(1, 65, dtype=torch.long), 1)
    with pytest.raises(ValueError, match="empty"):
        generate(ours, torch.zeros(1, 0, dtype=torch.long), 1)
    with pytest.raises(TypeError, match="top_k"):
        generate(ours, torch.tensor([[1]]), 2, do_sample=True, top_k=2.5)

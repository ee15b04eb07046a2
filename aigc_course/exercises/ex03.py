"""Checkers for notebook 03 (GPT-2: tokenizer, model, decoding)."""

from __future__ import annotations

from . import NotYet, exercise

ARTICLE_PROMPT = "写一篇关于人工智能的文章:"


@exercise("03.1", "GPT-2 tokens in the article's Chinese prompt",
          hints=("len(tokenizer.encode(prompt)) with tokenizer = aigc_course.data.load_gpt2_tokenizer()",))
def _(answer):
    from ..data import load_gpt2_tokenizer

    expected = len(load_gpt2_tokenizer().encode(ARTICLE_PROMPT))
    if isinstance(answer, bool) or not isinstance(answer, int):
        raise NotYet(f"answer with a whole number of tokens, got {answer!r}")
    if answer == len(ARTICLE_PROMPT):
        raise NotYet(f"{answer} is the number of characters; GPT-2 cuts UTF-8 bytes, not characters")
    if answer == len(ARTICLE_PROMPT.encode("utf-8")):
        raise NotYet(f"{answer} is the number of UTF-8 bytes; some byte pairs are merged into one token")
    if answer != expected:
        raise NotYet(f"{answer} is not the number of tokens the real GPT-2 tokenizer produces")
    return f"{expected} tokens for {len(ARTICLE_PROMPT)} characters: Chinese is expensive for GPT-2."


def _random_logits(seed: int):
    import torch

    g = torch.Generator().manual_seed(seed)
    return torch.randn(3, 40, generator=g) * 2


def _check_filter(user_filter, reference, settings, name):
    import torch

    for seed, setting in enumerate(settings):
        logits = _random_logits(seed)
        got = user_filter(logits.clone(), setting)
        if not isinstance(got, torch.Tensor) or got.shape != logits.shape:
            raise NotYet(f"{name} must return a tensor of logits with the input's shape {tuple(logits.shape)}")
        expected = reference(logits, setting)
        if not torch.equal(torch.isfinite(got), torch.isfinite(expected)):
            kept, want = torch.isfinite(got).sum(-1).tolist(), torch.isfinite(expected).sum(-1).tolist()
            raise NotYet(f"with {setting}: rows keep {kept} tokens, they should keep {want} (removed ones = -inf)")
        if not torch.allclose(got[torch.isfinite(got)], logits[torch.isfinite(expected)]):
            raise NotYet("the kept logits must stay unchanged (do not softmax or rescale them)")


@exercise("03.2", "top-k filter", hints=("torch.topk(logits, k).values[..., -1:] is the k-th largest logit per row",))
def _(top_k_filter):
    from ..sampling import apply_top_k

    _check_filter(top_k_filter, apply_top_k, [1, 5, 12, 40], "top_k_filter")
    return "This is TopKLogitsWarper in transformers."


@exercise("03.3", "top-p (nucleus) filter",
          hints=("sort ascending, cumulative softmax, drop while the running total is <= 1 - p, keep the best token",))
def _(top_p_filter):
    from ..sampling import apply_top_p

    _check_filter(top_p_filter, apply_top_p, [0.05, 0.5, 0.9, 0.99], "top_p_filter")
    return "This is TopPLogitsWarper in transformers."


@exercise("03.4", "count a GPT-2's parameters",
          hints=("embeddings V·C + P·C; per block 12·C² + 13·C (two LayerNorms, attention, MLP); final LayerNorm 2·C",))
def _(count_parameters):
    from ..gpt import GPT, GPTConfig

    for vocab, positions, width, layers in [(76, 128, 128, 4), (50257, 1024, 768, 12), (10, 8, 16, 1)]:
        got = count_parameters(vocab, positions, width, layers)
        if vocab == 50257:  # GPT-2 small: checked from the formula, no need to build 124 M parameters
            expected = vocab * width + positions * width + layers * (12 * width ** 2 + 13 * width) + 2 * width
        else:
            expected = GPT(GPTConfig(vocab_size=vocab, n_positions=positions, n_embd=width, n_layer=layers,
                                     n_head=1)).num_parameters()
        if got != expected:
            raise NotYet(f"for vocab={vocab}, positions={positions}, width={width}, layers={layers} the model "
                         f"has {expected:,} parameters, your formula gives {got!r}")
    return "GPT-2 small has 124,439,808 parameters; the output head is tied, so it adds none."

"""Reference solutions for notebook 03 (GPT-2: tokenizer, model, decoding)."""

import torch


def article_prompt_tokens():
    from aigc_course.data import load_gpt2_tokenizer

    return len(load_gpt2_tokenizer().encode("写一篇关于人工智能的文章:"))


def top_k_filter(logits, k):
    kth = torch.topk(logits, min(k, logits.shape[-1])).values[..., -1:]
    return logits.masked_fill(logits < kth, float("-inf"))


def top_p_filter(logits, p):
    sorted_logits, order = torch.sort(logits, descending=False)
    cumulative = sorted_logits.softmax(-1).cumsum(-1)
    remove = cumulative <= 1 - p
    remove[..., -1] = False
    return logits.masked_fill(remove.scatter(-1, order, remove), float("-inf"))


def count_parameters(vocab_size, n_positions, n_embd, n_layer):
    C = n_embd
    return vocab_size * C + n_positions * C + n_layer * (12 * C * C + 13 * C) + 2 * C


def _keeps_one_too_many(logits, k):
    return top_k_filter(logits, min(k + 1, logits.shape[-1])) if k < logits.shape[-1] else top_k_filter(logits, k - 1)


def _probabilities_not_logits(logits, k):
    return top_k_filter(logits, k).softmax(-1)


def _keeps_above_p(logits, p):  # cuts the wrong end: keeps the tokens outside the nucleus
    sorted_logits, order = torch.sort(logits, descending=True)
    remove = sorted_logits.softmax(-1).cumsum(-1) > p
    return logits.masked_fill(remove.scatter(-1, order, remove), float("-inf"))


SOLUTIONS = {
    "03.1": article_prompt_tokens,
    "03.2": top_k_filter,
    "03.3": top_p_filter,
    "03.4": count_parameters,
}

WRONG = {
    "03.1": [13, 37, 0, "many"],
    "03.2": [_keeps_one_too_many, _probabilities_not_logits, lambda logits, k: logits],
    "03.3": [_keeps_above_p, lambda logits, p: top_k_filter(logits, 5), lambda logits, p: logits],
    "03.4": [lambda v, p, c, l: v * c + p * c + l * 12 * c * c,  # forgets biases and LayerNorms
             lambda v, p, c, l: 2 * v * c + p * c + l * (12 * c * c + 13 * c) + 2 * c],  # counts the tied head twice
}

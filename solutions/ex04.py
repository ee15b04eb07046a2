"""Reference solutions for notebook 04 (GPT-2: tokenizer, model, decoding), and realistic wrong answers."""

import torch


def sentence_tokens():
    from aigc_course.data import load_gpt2_tokenizer

    sentence = "生成式人工智能正在改变世界。"
    return len(load_gpt2_tokenizer().encode(sentence))


def top_k_filter(logits, k):
    kth_largest = torch.topk(logits, min(k, logits.shape[-1])).values[..., -1:]
    return logits.masked_fill(logits < kth_largest, float("-inf"))


def top_p_filter(logits, p):
    sorted_logits, order = torch.sort(logits, descending=False)
    cumulative = sorted_logits.softmax(-1).cumsum(-1)
    remove = cumulative <= 1 - p
    remove[..., -1] = False
    return logits.masked_fill(remove.scatter(-1, order, remove), float("-inf"))


def count_parameters(vocab_size, n_positions, n_embd, n_layer):
    embeddings = vocab_size * n_embd + n_positions * n_embd
    per_block = 12 * n_embd**2 + 13 * n_embd
    final_norm = 2 * n_embd
    return embeddings + n_layer * per_block + final_norm


# ---- realistic wrong answers (the checker must reject each, naming the mistake) ----

def _mask(logits, remove):
    return logits.masked_fill(remove, float("-inf"))


def _top_k_keeps_k_plus_one(logits, k):  # off by one: the (k+1)-th largest as the threshold
    kth = torch.topk(logits, min(k + 1, logits.shape[-1])).values[..., -1:]
    return _mask(logits, logits < kth)


def _top_k_drops_the_kth(logits, k):  # <= instead of <: the k-th largest itself goes
    return _mask(logits, logits <= torch.topk(logits, k).values[..., -1:])


def _top_k_probabilities(logits, k):  # returns the softmax instead of logits
    return top_k_filter(logits, k).softmax(-1)


def _top_k_zero_not_inf(logits, k):  # "removes" with 0, which still has probability
    return logits.masked_fill(logits < torch.topk(logits, k).values[..., -1:], 0.0)


def _top_k_exactly_k_indices(logits, k):  # scatter of topk indices: drops ties with the k-th value
    keep = torch.zeros_like(logits, dtype=torch.bool).scatter(-1, torch.topk(logits, k).indices, True)
    return _mask(logits, ~keep)


def _top_p_drops_the_crossing_token(logits, p):  # descending, remove cumsum > p, no shift
    sorted_logits, order = torch.sort(logits, descending=True)
    remove = sorted_logits.softmax(-1).cumsum(-1) > p
    return _mask(logits, remove.scatter(-1, order, remove))


def _top_p_mask_left_sorted(logits, p):  # forgets to scatter the mask back to vocabulary order
    sorted_logits, _ = torch.sort(logits, descending=False)
    remove = sorted_logits.softmax(-1).cumsum(-1) <= 1 - p
    remove[..., -1] = False
    return _mask(logits, remove)


def _top_p_keeps_too_many(logits, p):  # compares with p instead of 1 - p
    sorted_logits, order = torch.sort(logits, descending=False)
    remove = sorted_logits.softmax(-1).cumsum(-1) <= p
    remove[..., -1] = False
    return _mask(logits, remove.scatter(-1, order, remove))


def _top_p_probabilities(logits, p):
    return top_p_filter(logits, p).softmax(-1)


SOLUTIONS = {
    "04.1": sentence_tokens,
    "04.2": top_k_filter,
    "04.3": top_p_filter,
    "04.4": count_parameters,
}

WRONG = {
    "04.1": [(14, "number of characters"),
             (42, "UTF-8 bytes"),
             (8, "English translation"),
             (24, "article's prompt"),
             (2, "output dictionary"),
             (27.5, "not a whole number"),
             (26, "not the number of tokens"),
             ("27", "should be a single number")],
    "04.2": [(_top_k_keeps_k_plus_one, "one too many"),
             (_top_k_drops_the_kth, "one too few"),
             (_top_k_probabilities, "returned probabilities"),
             (_top_k_zero_not_inf, "set to 0"),
             (_top_k_exactly_k_indices, "ties are kept"),
             (lambda logits, k: logits, "nothing was removed")],
    "04.3": [(_top_p_drops_the_crossing_token, "brings the running total up to p"),
             (_top_p_mask_left_sorted, "back in vocabulary order"),
             (_top_p_keeps_too_many, "too many"),
             (_top_p_probabilities, "returned probabilities"),
             (lambda logits, p: top_k_filter(logits, 5), "they should keep"),
             (lambda logits, p: logits, "nothing was removed")],
    "04.4": [(lambda v, p, c, l: v * c + p * c + l * 12 * c * c, "counts only the weight matrices"),
             (lambda v, p, c, l: 2 * v * c + p * c + l * (12 * c * c + 13 * c) + 2 * c, "tied"),
             (lambda v, p, c, l: v * c + p * c + l * (12 * c * c + 13 * c), "final LayerNorm"),
             (lambda v, p, c, l: v * c + l * (12 * c * c + 13 * c) + 2 * c, "position embeddings"),
             (lambda v, p, c, l: v * c + p * c + l * (12 * c * c + 4 * c) + 2 * c, "biases"),
             (lambda v, p, c, l: v * c + p * c + l * (6 * c * c + 10 * c) + 2 * c, "MLP"),
             (lambda v, p, c, l: v * c + p * c + l * (12 * c * c + 13 * c) + 2, "your function gives")],
}

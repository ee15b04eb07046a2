"""Checkers for notebook 04 (GPT-2: tokenizer, model, decoding)."""

from __future__ import annotations

from . import NotYet, as_number, exercise

ARTICLE_PROMPT = "写一篇关于人工智能的文章:"
ENGLISH_PROMPT = "Write an article about artificial intelligence:"
SENTENCE = "生成式人工智能正在改变世界。"
TRANSLATION = "Generative AI is changing the world."


@exercise("04.1", "GPT-2 tokens in a Chinese sentence",
          hints=("A token is neither a character nor a byte: only the tokenizer itself knows how it cuts the text.",
                 "gpt2_tok from section 1 turns a string into a list of token ids with its .encode method; "
                 "count the ids of sentence.",
                 "len(gpt2_tok.encode(sentence))"))
def _(answer):
    from ..data import load_gpt2_tokenizer

    tokenizer = load_gpt2_tokenizer()
    expected = len(tokenizer.encode(SENTENCE))
    number = as_number(answer, "the number of tokens")
    if number != int(number):
        raise NotYet(f"{number} is not a whole number: a text is cut into a whole number of tokens")
    number = int(number)
    if number == expected:
        return f"{expected} tokens for {len(SENTENCE)} characters: Chinese is expensive for GPT-2."
    if number == len(SENTENCE):
        raise NotYet(f"{number} is the number of characters; GPT-2 cuts UTF-8 bytes, not characters")
    if number == len(SENTENCE.encode("utf-8")):
        raise NotYet(f"{number} is the number of UTF-8 bytes; some byte pairs are merged into one token")
    if number == len(tokenizer.encode(TRANSLATION)):
        raise NotYet(f"{number} is the token count of the English translation, not of the Chinese sentence")
    if number == len(tokenizer.encode(ARTICLE_PROMPT)):
        raise NotYet(f"{number} is the token count of the article's prompt (section 1), not of this sentence")
    if number == len(tokenizer(SENTENCE)):
        raise NotYet(f"{number} is len() of the tokenizer's output dictionary (input_ids and attention_mask), "
                     "not the number of token ids in it")
    raise NotYet(f"{number} is not the number of tokens the real GPT-2 tokenizer produces for sentence")


def _test_logits():
    """Logits the filters are checked on: random rows (B = 3, V = 40), rows with ties, one row of GPT size 76."""
    import torch

    g = torch.Generator().manual_seed(0)
    random_rows = [torch.randn(3, 40, generator=g) * 2 for _ in range(3)]
    tied = torch.tensor([[3.0, 1.0, 2.0, 2.0, 0.5, 2.0, -1.0, 0.0], [0.0, 0.0, 0.0, 4.0, 0.0, -2.0, 1.0, 1.0]])
    peaked = torch.randn(1, 76, generator=g)
    peaked[0, 11] = 9.0  # one token carries almost all the probability
    return random_rows + [tied, peaked]


def _check_filter(user_filter, reference, settings, name, label):
    """Compare ``user_filter`` with ``reference`` on every test case; raise NotYet naming the first mistake.

    Returns ``None`` when they agree, or a tuple ``(logits, setting, got, expected)`` of the first
    case where they keep different tokens, for the caller to diagnose.
    """
    import torch

    for logits in _test_logits():
        for setting in settings(logits):
            got = user_filter(logits.clone(), setting)
            if not isinstance(got, torch.Tensor) or got.shape != logits.shape:
                raise NotYet(f"{name} must return a tensor of logits with the input's shape {tuple(logits.shape)}, "
                             f"got {type(got).__name__} {tuple(getattr(got, 'shape', ()))}")
            expected = reference(logits, setting)
            kept_expected = torch.isfinite(expected)
            if bool(torch.isnan(got).any()):
                raise NotYet(f"with {label}={setting}, your {name} returned NaN: removed logits must be "
                             "float('-inf')")
            finite = torch.isfinite(got)
            if bool(finite.all()) and bool((got >= 0).all()) and torch.allclose(got.sum(-1), torch.ones(len(got))):
                raise NotYet(f"{name} returned probabilities (each row sums to 1): return the logits, "
                             "with the removed ones set to float('-inf'), and let sampling do the softmax")
            if bool(finite.all()) and not bool(kept_expected.all()):
                cut = ~kept_expected
                if torch.equal(got[cut], torch.zeros_like(got[cut])):
                    raise NotYet("the removed logits were set to 0, but a logit of 0 still has probability "
                                 "e^0 / sum: removed logits must be float('-inf')")
                if torch.equal(got, logits):
                    raise NotYet(f"with {label}={setting}, nothing was removed: your {name} returns the logits "
                                 "unchanged")
            if torch.equal(finite, kept_expected):
                if not torch.allclose(got[finite], logits[finite]):
                    raise NotYet("the kept logits must stay unchanged (do not softmax, shift or rescale them)")
                continue
            return logits, setting, got, expected
    return None


@exercise("04.2", "top-k filter",
          hints=("Find, for each row, the value of the k-th largest logit; every logit below it goes.",
                 "torch.topk(logits, k).values[..., -1:] is the k-th largest logit of each row, shape (B, 1), "
                 "ready to compare with the whole row.",
                 "logits.masked_fill(logits < kth_largest, float('-inf'))"))
def _(top_k_filter):
    import torch

    from ..sampling import apply_top_k

    def settings(logits):
        return [1, 3, 5, 12, logits.shape[-1]] if logits.shape[-1] > 12 else [1, 2, 3]

    mismatch = _check_filter(top_k_filter, apply_top_k, settings, "top_k_filter", "k")
    if mismatch is None:
        return "This is TopKLogitsWarper in transformers."
    logits, k, got, expected = mismatch
    kept = torch.isfinite(got).sum(-1).tolist()
    want = torch.isfinite(expected).sum(-1).tolist()
    tied = bool((torch.topk(logits, k).values[..., -1:] == logits).sum(-1).gt(1).any())
    if tied and all(n == k for n in kept):
        raise NotYet(f"with tied logits and k={k}, rows keep exactly {kept} tokens, they should keep {want}: "
                     "every logit equal to the k-th largest stays too (ties are kept, as in transformers)")
    if all(n == w + 1 for n, w in zip(kept, want)):
        raise NotYet(f"with k={k}, rows keep {kept} tokens, one too many: only the k largest (and ties) stay")
    if all(n == w - 1 for n, w in zip(kept, want)):
        raise NotYet(f"with k={k}, rows keep {kept} tokens, one too few: the k-th largest logit itself stays")
    if kept == want:
        raise NotYet(f"with k={k}, rows keep the right number of tokens but the wrong ones: the largest logits "
                     "must stay (in their own positions)")
    raise NotYet(f"with k={k}, rows keep {kept} tokens, they should keep {want} (removed ones = -inf)")


@exercise("04.3", "top-p (nucleus) filter",
          hints=("Put each row's tokens in order of probability; a running total of those probabilities tells "
                 "you where the nucleus ends. The most likely token always stays.",
                 "As transformers does it: sort ascending, take the cumulative softmax; a token can go while that "
                 "running total is still <= 1 - p. The mask is in sorted order: put it back in vocabulary order.",
                 "sorted_logits, order = torch.sort(logits); remove = sorted_logits.softmax(-1).cumsum(-1) <= 1 - p; "
                 "remove[..., -1] = False; "
                 "return logits.masked_fill(remove.scatter(-1, order, remove), float('-inf'))"))
def _(top_p_filter):
    import torch

    from ..sampling import apply_top_p

    def settings(logits):
        return [0.05, 0.5, 0.9, 0.99]

    mismatch = _check_filter(top_p_filter, apply_top_p, settings, "top_p_filter", "p")
    if mismatch is None:
        return "This is TopPLogitsWarper in transformers."
    logits, p, got, expected = mismatch
    finite, kept_expected = torch.isfinite(got), torch.isfinite(expected)
    kept, want = finite.sum(-1).tolist(), kept_expected.sum(-1).tolist()
    ranks = torch.argsort(torch.argsort(logits, -1, descending=True), -1)  # 0 = the most likely token
    most_likely_first = all(bool((ranks[row][finite[row]] < kept[row]).all()) for row in range(len(got)))
    if kept == want and not most_likely_first:
        raise NotYet(f"with p={p}, rows keep the right number of tokens but the wrong ones: the mask was made "
                     "in sorted order and must be put back in vocabulary order before masking")
    if not most_likely_first:
        raise NotYet(f"with p={p}, your filter removes some likely tokens and keeps less likely ones: "
                     "the nucleus is made of the most likely tokens")
    if all(n <= w for n, w in zip(kept, want)):
        raise NotYet(f"with p={p}, rows keep {kept} tokens, too few (they should keep {want}): the token that "
                     "brings the running total up to p belongs to the nucleus too, and the most likely token "
                     "always stays")
    if all(n >= w for n, w in zip(kept, want)):
        raise NotYet(f"with p={p}, rows keep {kept} tokens, too many (they should keep {want}): keep only the "
                     "smallest set of most likely tokens whose probabilities add up to at least p")
    raise NotYet(f"with p={p}, rows keep {kept} tokens, they should keep {want} (removed ones = -inf)")


def _gpt2_count(vocab, positions, width, layers, *, head=0, final_norm=True, block_norms=True, biases=True,
                mlp=4):
    """A GPT-2's parameter count, with one part left out or miscounted (to name a learner's mistake)."""
    C = width
    block = 4 * C * C + (mlp * C * C) * 2
    if biases:
        block += 3 * C + C + mlp * C + C
    if block_norms:
        block += 4 * C
    return vocab * C + positions * C + layers * block + (2 * C if final_norm else 0) + head * vocab * C


_PARAMETER_MISTAKES = [
    (dict(head=1), "counts the output head, but it is tied to the token embedding and adds no parameters"),
    (dict(final_norm=False), "leaves out the final LayerNorm after the last block (a gain and a bias)"),
    (dict(block_norms=False), "leaves out the two LayerNorms inside each block (a gain and a bias each)"),
    (dict(biases=False), "leaves out the biases of the four linear layers in each block"),
    (dict(biases=False, block_norms=False, final_norm=False),
     "counts only the weight matrices: the biases and the LayerNorms' gains and biases are parameters too"),
    (dict(mlp=1), "makes the MLP as narrow as the model (C to C); GPT-2's MLP has a wider hidden layer"),
]


@exercise("04.4", "count a GPT-2's parameters",
          hints=("Count one block's pieces one at a time: a LayerNorm of width C has a gain and a bias; a linear "
                 "layer from a inputs to b outputs has a·b weights and b biases.",
                 "A block holds two LayerNorms, the attention's two linear layers (one makes queries, keys and "
                 "values at once, C to 3·C, one projects back, C to C) and the MLP's two (C to 4·C and back).",
                 "per_block = 12 * n_embd**2 + 13 * n_embd: LayerNorms 4·C, attention 3·C² + 3·C + C² + C, "
                 "MLP 4·C² + 4·C + 4·C² + C"))
def _(count_parameters):
    from ..gpt import GPT, GPTConfig

    configs = [(76, 64, 128, 4), (10, 8, 16, 1), (50257, 1024, 768, 12), (300, 32, 24, 3)]
    for vocab, positions, width, layers in configs:
        got = as_number(count_parameters(vocab, positions, width, layers), "count_parameters(...)")
        if vocab == 50257:  # GPT-2 small: checked from the formula, no need to build 124 M parameters
            expected = _gpt2_count(vocab, positions, width, layers)
        else:
            expected = GPT(GPTConfig(vocab_size=vocab, n_positions=positions, n_embd=width, n_layer=layers,
                                     n_head=1)).num_parameters()
        if got == expected:
            continue
        for mistake, words in _PARAMETER_MISTAKES:
            if all(as_number(count_parameters(*c), "count_parameters(...)") == _gpt2_count(*c, **mistake)
                   for c in configs):
                raise NotYet(f"your function {words}")
        if all(as_number(count_parameters(*c), "count_parameters(...)") == _gpt2_count(*c) - c[1] * c[2]
               for c in configs):
            raise NotYet("your function leaves out the position embeddings (one vector of width C per position)")
        raise NotYet(f"for vocab={vocab}, positions={positions}, width={width}, layers={layers} the model "
                     f"has {expected:,} parameters, your function gives {got!r}")
    return "GPT-2 small has 124,439,808 parameters; the output head is tied, so it adds none."

"""Checkers for notebook 04 (GPT-2: tokenizer, model, decoding)."""

from __future__ import annotations

from ..language import Text, tr
from . import NotYet, as_number, exercise

ARTICLE_PROMPT = "写一篇关于人工智能的文章:"
ENGLISH_PROMPT = "Write an article about artificial intelligence:"
SENTENCE = "生成式人工智能正在改变世界。"
TRANSLATION = "Generative AI is changing the world."


@exercise("04.1", Text("GPT-2 tokens in a Chinese sentence", "中文句子里的 GPT-2 词元"),
          hints=(Text("A token is neither a character nor a byte: only the tokenizer itself knows how it cuts the text.",
                      "词元既不是字符，也不是字节：只有分词器自己知道它怎样切分文本。"),
                 Text("gpt2_tok from section 1 turns a string into a list of token ids with its .encode method; "
                      "count the ids of sentence.",
                      "第 1 节的 gpt2_tok 用它的 .encode 方法把字符串变成词元 id 的列表；数一数 sentence 有多少个 id。"),
                 Text("len(gpt2_tok.encode(sentence))", "写成代码：len(gpt2_tok.encode(sentence))")))
def _(answer):
    from ..data import load_gpt2_tokenizer

    tokenizer = load_gpt2_tokenizer()
    expected = len(tokenizer.encode(SENTENCE))
    number = as_number(answer, tr("the number of tokens", "词元数"))
    if number != int(number):
        raise NotYet(tr(f"{number} is not a whole number: a text is cut into a whole number of tokens",
                        f"{number} 不是整数：一段文本总是被切成整数个词元。"))
    number = int(number)
    if number == expected:
        return tr(f"{expected} tokens for {len(SENTENCE)} characters: Chinese is expensive for GPT-2.",
                  f"{len(SENTENCE)} 个字符用了 {expected} 个词元：对 GPT-2 来说，中文很“贵”。")
    if number == len(SENTENCE):
        raise NotYet(tr(f"{number} is the number of characters; GPT-2 cuts UTF-8 bytes, not characters",
                        f"{number} 是字符数；GPT-2 切分的是 UTF-8 字节，而不是字符。"))
    if number == len(SENTENCE.encode("utf-8")):
        raise NotYet(tr(f"{number} is the number of UTF-8 bytes; some byte pairs are merged into one token",
                        f"{number} 是 UTF-8 字节数；有些字节对会合并成一个词元。"))
    if number == len(tokenizer.encode(TRANSLATION)):
        raise NotYet(tr(f"{number} is the token count of the English translation, not of the Chinese sentence",
                        f"{number} 是英文译文的词元数，不是这句中文的。"))
    if number == len(tokenizer.encode(ARTICLE_PROMPT)):
        raise NotYet(tr(f"{number} is the token count of the article's prompt (section 1), not of this sentence",
                        f"{number} 是第 1 节那篇文章的提示词的词元数，不是这个句子的。"))
    if number == len(tokenizer(SENTENCE)):
        raise NotYet(tr(f"{number} is len() of the tokenizer's output dictionary (input_ids and attention_mask), "
                        "not the number of token ids in it",
                        f"{number} 是分词器输出的字典（input_ids 和 attention_mask）的 len()，"
                        "不是其中词元 id 的个数。"))
    raise NotYet(tr(f"{number} is not the number of tokens the real GPT-2 tokenizer produces for sentence",
                    f"{number} 不是真正的 GPT-2 分词器切分 sentence 得到的词元数。"))


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
                raise NotYet(tr(f"{name} must return a tensor of logits with the input's shape {tuple(logits.shape)}, "
                                f"got {type(got).__name__} {tuple(getattr(got, 'shape', ()))}",
                                f"{name} 必须返回一个 logits 张量，形状与输入相同，即 {tuple(logits.shape)}；"
                                f"却得到了 {type(got).__name__} {tuple(getattr(got, 'shape', ()))}。"))
            expected = reference(logits, setting)
            kept_expected = torch.isfinite(expected)
            if bool(torch.isnan(got).any()):
                raise NotYet(tr(f"with {label}={setting}, your {name} returned NaN: removed logits must be "
                                "float('-inf')",
                                f"当 {label}={setting} 时，你的 {name} 返回了 NaN：去掉的 logits 必须设为 "
                                "float('-inf')。"))
            finite = torch.isfinite(got)
            if bool(finite.all()) and bool((got >= 0).all()) and torch.allclose(got.sum(-1), torch.ones(len(got))):
                raise NotYet(tr(f"{name} returned probabilities (each row sums to 1): return the logits, "
                                "with the removed ones set to float('-inf'), and let sampling do the softmax",
                                f"{name} 返回的是概率（每行之和为 1）：应当返回 logits，把去掉的设为 "
                                "float('-inf')，softmax 留给采样去做。"))
            if bool(finite.all()) and not bool(kept_expected.all()):
                cut = ~kept_expected
                if torch.equal(got[cut], torch.zeros_like(got[cut])):
                    raise NotYet(tr("the removed logits were set to 0, but a logit of 0 still has probability "
                                    "e^0 / sum: removed logits must be float('-inf')",
                                    "去掉的 logits 被设成了 0，但 logit 为 0 的词元仍有概率 e^0 / sum："
                                    "去掉的 logits 必须设为 float('-inf')。"))
                if torch.equal(got, logits):
                    raise NotYet(tr(f"with {label}={setting}, nothing was removed: your {name} returns the logits "
                                    "unchanged",
                                    f"当 {label}={setting} 时，什么也没去掉：你的 {name} 原样返回了 logits。"))
            if torch.equal(finite, kept_expected):
                if not torch.allclose(got[finite], logits[finite]):
                    raise NotYet(tr("the kept logits must stay unchanged (do not softmax, shift or rescale them)",
                                    "保留下来的 logits 必须保持原值（不要对它们做 softmax、平移或缩放）。"))
                continue
            return logits, setting, got, expected
    return None


@exercise("04.2", Text("top-k filter", "top-k 截断"),
          hints=(Text("Find, for each row, the value of the k-th largest logit; every logit below it goes.",
                      "对每一行，找出第 k 大的 logit 的值；比它小的 logit 全部去掉。"),
                 Text("torch.topk(logits, k).values[..., -1:] is the k-th largest logit of each row, shape (B, 1), "
                      "ready to compare with the whole row.",
                      "torch.topk(logits, k).values[..., -1:] 就是每一行第 k 大的 logit，形状为 (B, 1)，"
                      "可以直接与整行比较。"),
                 Text("logits.masked_fill(logits < kth_largest, float('-inf'))",
                      "写成代码：logits.masked_fill(logits < kth_largest, float('-inf'))")))
def _(top_k_filter):
    import torch

    from ..sampling import apply_top_k

    def settings(logits):
        return [1, 3, 5, 12, logits.shape[-1]] if logits.shape[-1] > 12 else [1, 2, 3]

    mismatch = _check_filter(top_k_filter, apply_top_k, settings, "top_k_filter", "k")
    if mismatch is None:
        return tr("This is TopKLogitsWarper in transformers.", "这就是 transformers 中的 TopKLogitsWarper。")
    logits, k, got, expected = mismatch
    kept = torch.isfinite(got).sum(-1).tolist()
    want = torch.isfinite(expected).sum(-1).tolist()
    tied = bool((torch.topk(logits, k).values[..., -1:] == logits).sum(-1).gt(1).any())
    if tied and all(n == k for n in kept):
        raise NotYet(tr(f"with tied logits and k={k}, rows keep exactly {kept} tokens, they should keep {want}: "
                        "every logit equal to the k-th largest stays too (ties are kept, as in transformers)",
                        f"logits 中有并列的值、k={k} 时，各行恰好分别保留了 {kept} 个词元，应分别保留 {want} 个："
                        "与第 k 大的值相等的 logit 也都要保留（并列的值保留，与 transformers 一致）。"))
    if all(n == w + 1 for n, w in zip(kept, want)):
        raise NotYet(tr(f"with k={k}, rows keep {kept} tokens, one too many: only the k largest (and ties) stay",
                        f"当 k={k} 时，各行分别保留了 {kept} 个词元，多了一个：只保留最大的 k 个（以及与之并列的）。"))
    if all(n == w - 1 for n, w in zip(kept, want)):
        raise NotYet(tr(f"with k={k}, rows keep {kept} tokens, one too few: the k-th largest logit itself stays",
                        f"当 k={k} 时，各行分别保留了 {kept} 个词元，少了一个：第 k 大的 logit 本身也要保留。"))
    if kept == want:
        raise NotYet(tr(f"with k={k}, rows keep the right number of tokens but the wrong ones: the largest logits "
                        "must stay (in their own positions)",
                        f"当 k={k} 时，各行保留的词元个数对了，但保留的不是该留的那些：要保留的是最大的几个 logit"
                        "（而且留在原来的位置上）。"))
    raise NotYet(tr(f"with k={k}, rows keep {kept} tokens, they should keep {want} (removed ones = -inf)",
                    f"当 k={k} 时，各行分别保留了 {kept} 个词元，应分别保留 {want} 个（去掉的设为 -inf）。"))


@exercise("04.3", Text("top-p (nucleus) filter", "top-p（核采样）截断"),
          hints=(Text("Put each row's tokens in order of probability; a running total of those probabilities tells "
                      "you where the nucleus ends. The most likely token always stays.",
                      "把每一行的词元按概率排序；这些概率的累计和告诉你“核”到哪里为止。最可能的那个词元总是保留。"),
                 Text("As transformers does it: sort ascending, take the cumulative softmax; a token can go while that "
                      "running total is still <= 1 - p. The mask is in sorted order: put it back in vocabulary order.",
                      "照 transformers 的做法：升序排序，对 softmax 求累计和；累计和仍 <= 1 - p 的词元都可以去掉。"
                      "这个掩码是按排序后的顺序排列的：要把它放回词表顺序。"),
                 Text("sorted_logits, order = torch.sort(logits); remove = sorted_logits.softmax(-1).cumsum(-1) <= 1 - p; "
                      "remove[..., -1] = False; "
                      "return logits.masked_fill(remove.scatter(-1, order, remove), float('-inf'))",
                      "写成代码：sorted_logits, order = torch.sort(logits); "
                      "remove = sorted_logits.softmax(-1).cumsum(-1) <= 1 - p; remove[..., -1] = False; "
                      "return logits.masked_fill(remove.scatter(-1, order, remove), float('-inf'))")))
def _(top_p_filter):
    import torch

    from ..sampling import apply_top_p

    def settings(logits):
        return [0.05, 0.5, 0.9, 0.99]

    mismatch = _check_filter(top_p_filter, apply_top_p, settings, "top_p_filter", "p")
    if mismatch is None:
        return tr("This is TopPLogitsWarper in transformers.", "这就是 transformers 中的 TopPLogitsWarper。")
    logits, p, got, expected = mismatch
    finite, kept_expected = torch.isfinite(got), torch.isfinite(expected)
    kept, want = finite.sum(-1).tolist(), kept_expected.sum(-1).tolist()
    ranks = torch.argsort(torch.argsort(logits, -1, descending=True), -1)  # 0 = the most likely token
    most_likely_first = all(bool((ranks[row][finite[row]] < kept[row]).all()) for row in range(len(got)))
    if kept == want and not most_likely_first:
        raise NotYet(tr(f"with p={p}, rows keep the right number of tokens but the wrong ones: the mask was made "
                        "in sorted order and must be put back in vocabulary order before masking",
                        f"当 p={p} 时，各行保留的词元个数对了，但保留的不是该留的那些：掩码是按排序后的顺序做的，"
                        "用它屏蔽之前必须先放回词表顺序。"))
    if not most_likely_first:
        raise NotYet(tr(f"with p={p}, your filter removes some likely tokens and keeps less likely ones: "
                        "the nucleus is made of the most likely tokens",
                        f"当 p={p} 时，你的截断去掉了一些较可能的词元，却保留了较不可能的："
                        "“核”由最可能的那些词元组成。"))
    if all(n <= w for n, w in zip(kept, want)):
        raise NotYet(tr(f"with p={p}, rows keep {kept} tokens, too few (they should keep {want}): the token that "
                        "brings the running total up to p belongs to the nucleus too, and the most likely token "
                        "always stays",
                        f"当 p={p} 时，各行分别保留了 {kept} 个词元，太少了（应分别保留 {want} 个）："
                        "让累计和达到 p 的那个词元也属于“核”，而且最可能的那个词元总是保留。"))
    if all(n >= w for n, w in zip(kept, want)):
        raise NotYet(tr(f"with p={p}, rows keep {kept} tokens, too many (they should keep {want}): keep only the "
                        "smallest set of most likely tokens whose probabilities add up to at least p",
                        f"当 p={p} 时，各行分别保留了 {kept} 个词元，太多了（应分别保留 {want} 个）："
                        "只保留概率之和至少为 p 的、由最可能的词元组成的最小集合。"))
    raise NotYet(tr(f"with p={p}, rows keep {kept} tokens, they should keep {want} (removed ones = -inf)",
                    f"当 p={p} 时，各行分别保留了 {kept} 个词元，应分别保留 {want} 个（去掉的设为 -inf）。"))


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


#: Each mistake's words complete "your function ..." (你的函数……).
_PARAMETER_MISTAKES = [
    (dict(head=1), Text("counts the output head, but it is tied to the token embedding and adds no parameters",
                        "把输出头也算了进去，但输出头与词元嵌入权重绑定，不增加参数")),
    (dict(final_norm=False), Text("leaves out the final LayerNorm after the last block (a gain and a bias)",
                                  "漏掉了最后一个块之后的那个 LayerNorm（一个增益和一个偏置）")),
    (dict(block_norms=False), Text("leaves out the two LayerNorms inside each block (a gain and a bias each)",
                                   "漏掉了每个块里的两个 LayerNorm（各有一个增益和一个偏置）")),
    (dict(biases=False), Text("leaves out the biases of the four linear layers in each block",
                              "漏掉了每个块中四个线性层的偏置")),
    (dict(biases=False, block_norms=False, final_norm=False),
     Text("counts only the weight matrices: the biases and the LayerNorms' gains and biases are parameters too",
          "只算了权重矩阵：偏置以及 LayerNorm 的增益和偏置也都是参数")),
    (dict(mlp=1), Text("makes the MLP as narrow as the model (C to C); GPT-2's MLP has a wider hidden layer",
                       "把 MLP 做得和模型一样窄（C 到 C）；GPT-2 的 MLP 有一个更宽的隐藏层")),
]


@exercise("04.4", Text("count a GPT-2's parameters", "计算 GPT-2 的参数量"),
          hints=(Text("Count one block's pieces one at a time: a LayerNorm of width C has a gain and a bias; a linear "
                      "layer from a inputs to b outputs has a·b weights and b biases.",
                      "把一个块的各个部分逐一数清：宽度为 C 的 LayerNorm 有一个增益向量和一个偏置向量；"
                      "从 a 个输入到 b 个输出的线性层有 a·b 个权重和 b 个偏置。"),
                 Text("A block holds two LayerNorms, the attention's two linear layers (one makes queries, keys and "
                      "values at once, C to 3·C, one projects back, C to C) and the MLP's two (C to 4·C and back).",
                      "一个块里有两个 LayerNorm、注意力的两个线性层（一个同时算出查询、键和值，C 到 3·C；"
                      "一个投影回去，C 到 C），以及 MLP 的两个线性层（C 到 4·C，再回到 C）。"),
                 Text("per_block = 12 * n_embd**2 + 13 * n_embd: LayerNorms 4·C, attention 3·C² + 3·C + C² + C, "
                      "MLP 4·C² + 4·C + 4·C² + C",
                      "per_block = 12 * n_embd**2 + 13 * n_embd：两个 LayerNorm 共 4·C，注意力 3·C² + 3·C + C² + C，"
                      "MLP 4·C² + 4·C + 4·C² + C")))
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
                raise NotYet(tr(f"your function {words}", f"你的函数{words}。"))
        if all(as_number(count_parameters(*c), "count_parameters(...)") == _gpt2_count(*c) - c[1] * c[2]
               for c in configs):
            raise NotYet(tr("your function leaves out the position embeddings (one vector of width C per position)",
                            "你的函数漏掉了位置嵌入（每个位置一个宽度为 C 的向量）。"))
        raise NotYet(tr(f"for vocab={vocab}, positions={positions}, width={width}, layers={layers} the model "
                        f"has {expected:,} parameters, your function gives {got!r}",
                        f"当 vocab={vocab}、positions={positions}、width={width}、layers={layers} 时，"
                        f"模型有 {expected:,} 个参数，你的函数给出的是 {got!r}。"))
    return tr("GPT-2 small has 124,439,808 parameters; the output head is tied, so it adds none.",
              "GPT-2 small 有 124,439,808 个参数；输出头权重绑定，不增加参数。")

"""The parity check of the lesson: random GPT-2s from transformers, loaded into our model, same logits?"""

from __future__ import annotations

import torch

from .model import from_hf_model

#: (vocab_size, n_positions, n_embd, n_layer, n_head) of the random models compared.
PARITY_SHAPES: tuple[tuple[int, int, int, int, int], ...] = (
    (76, 64, 32, 2, 4), (301, 128, 64, 3, 2), (1000, 16, 48, 1, 6), (50257, 32, 64, 2, 8),
)


@torch.no_grad()
def max_logit_difference(shapes=PARITY_SHAPES, seed: int = 0, batch: int = 2) -> float:
    """Largest |logit difference| between ``GPT2LMHeadModel`` and our GPT over random configs and inputs.

    Each model's weights get noise of std 0.2 on top of GPT-2's initialisation, so every
    weight matters; the inputs are random token ids filling the whole context window.
    Float32 on the CPU; a correct implementation stays around 1e-6.
    """
    from transformers import GPT2Config, GPT2LMHeadModel

    worst = 0.0
    for i, (vocab, positions, width, layers, heads) in enumerate(shapes):
        torch.manual_seed(seed + i)
        hf = GPT2LMHeadModel(GPT2Config(vocab_size=vocab, n_positions=positions, n_embd=width, n_layer=layers,
                                        n_head=heads, bos_token_id=None, eos_token_id=None)).eval()
        for p in hf.parameters():
            p.add_(torch.randn_like(p) * 0.2)
        ours = from_hf_model(hf).eval()
        ids = torch.randint(0, vocab, (batch, positions))
        worst = max(worst, (hf(ids).logits - ours(ids)["logits"]).abs().max().item())
    return worst

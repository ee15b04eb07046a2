"""The parity check of the lesson: random GPT-2s from transformers, loaded into our model, same logits?"""

from __future__ import annotations

import torch

from ..validate import check_int
from .config import GPTConfig
from .model import from_hf_model

#: Most random inputs per config (each fills the whole context window).
MAX_BATCH = 64

#: (vocab_size, n_positions, n_embd, n_layer, n_head) of the random models compared.
PARITY_SHAPES: tuple[tuple[int, int, int, int, int], ...] = (
    (76, 64, 32, 2, 4), (301, 128, 64, 3, 2), (1000, 16, 48, 1, 6), (50257, 32, 64, 2, 8),
)


@torch.no_grad()
def max_logit_difference(shapes=PARITY_SHAPES, seed: int = 0, batch: int = 2) -> float:
    """Largest |logit difference| between ``GPT2LMHeadModel`` and our GPT over random configs and inputs.

    Each model's weights get noise of std 0.2 on top of GPT-2's initialisation, so every
    weight matters; the inputs are random token ids filling the whole context window.
    Float32 on the CPU; a correct implementation stays around 1e-6. ``shapes`` holds
    ``(vocab_size, n_positions, n_embd, n_layer, n_head)`` tuples (valid :class:`GPTConfig`
    sizes), ``seed`` an int >= 0, ``batch`` the inputs per config (1 .. :data:`MAX_BATCH`).
    """
    shapes = _check_shapes(shapes)
    seed = check_int(seed, "seed", minimum=0, maximum=2**63 - 1 - len(shapes))
    batch = check_int(batch, "batch", minimum=1, maximum=MAX_BATCH)
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


def _check_shapes(shapes: object) -> list[tuple[int, int, int, int, int]]:
    """``shapes`` as a non-empty list of valid ``(vocab, positions, width, layers, heads)`` tuples."""
    if isinstance(shapes, (str, bytes)) or not isinstance(shapes, (list, tuple)) or not shapes:
        raise TypeError(f"shapes must be a non-empty sequence of (vocab_size, n_positions, n_embd, n_layer, "
                        f"n_head) tuples, got {shapes!r}")
    checked = []
    for i, shape in enumerate(shapes):
        if not isinstance(shape, (list, tuple)) or len(shape) != 5:
            raise TypeError(f"shapes[{i}] must be a (vocab_size, n_positions, n_embd, n_layer, n_head) tuple, "
                            f"got {shape!r}")
        config = GPTConfig(*shape)  # the same bounds as any model (names the bad field)
        checked.append((config.vocab_size, config.n_positions, config.n_embd, config.n_layer, config.n_head))
    return checked

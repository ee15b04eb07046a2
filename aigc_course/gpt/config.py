"""The size of a GPT-2: a small dataclass that converts to and from ``transformers.GPT2Config``.

Names follow GPT-2's own (``n_embd``, ``n_layer``, ``n_head``, ``n_positions``) so that
a config read from any Hugging Face GPT-2 folder maps onto ours one to one.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from transformers import GPT2Config


@dataclass(frozen=True)
class GPTConfig:
    """Hyper-parameters of a GPT-2 style model.

    - ``vocab_size``: number of token ids (GPT-2: 50,257; our Shakespeare characters: 76).
    - ``n_positions``: the context window (block size), in tokens.
    - ``n_embd``: width of every hidden vector; ``n_head`` must divide it.
    - ``n_layer``: number of transformer blocks.
    - ``dropout``: one rate for embeddings, attention weights and residual branches.
    - ``layer_norm_epsilon``: GPT-2 uses 1e-5.
    """

    vocab_size: int = 50257
    n_positions: int = 1024
    n_embd: int = 768
    n_layer: int = 12
    n_head: int = 12
    dropout: float = 0.0
    layer_norm_epsilon: float = 1e-5

    def __post_init__(self) -> None:
        for name in ("vocab_size", "n_positions", "n_embd", "n_layer", "n_head"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"{name} must be a positive int, got {value!r}")
        if self.n_embd % self.n_head:
            raise ValueError(f"n_embd ({self.n_embd}) must be divisible by n_head ({self.n_head})")
        if not 0.0 <= self.dropout < 1.0:
            raise ValueError(f"dropout must be in [0, 1), got {self.dropout!r}")
        if not self.layer_norm_epsilon > 0:
            raise ValueError(f"layer_norm_epsilon must be > 0, got {self.layer_norm_epsilon!r}")

    @property
    def head_dim(self) -> int:
        """Width of one attention head: ``n_embd // n_head``."""
        return self.n_embd // self.n_head

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def to_hf(self) -> "GPT2Config":
        """The equivalent ``transformers.GPT2Config`` (GELU-tanh MLP of width 4·n_embd, tied head)."""
        from transformers import GPT2Config

        return GPT2Config(
            vocab_size=self.vocab_size, n_positions=self.n_positions, n_embd=self.n_embd,
            n_layer=self.n_layer, n_head=self.n_head, n_inner=None, activation_function="gelu_new",
            resid_pdrop=self.dropout, embd_pdrop=self.dropout, attn_pdrop=self.dropout,
            layer_norm_epsilon=self.layer_norm_epsilon, tie_word_embeddings=True,
            # a character model has no special tokens; keep GPT-2's ids only when they exist
            bos_token_id=50256 if self.vocab_size > 50256 else None,
            eos_token_id=50256 if self.vocab_size > 50256 else None,
        )

    @classmethod
    def from_hf(cls, hf: "GPT2Config") -> "GPTConfig":
        """Read a ``GPT2Config``; refuse the GPT-2 variants this written-out model does not implement."""
        unsupported = {
            "n_inner": (None, 4 * hf.n_embd),
            "activation_function": ("gelu_new",),
            "scale_attn_weights": (True,),
            "scale_attn_by_inverse_layer_idx": (False,),
            "reorder_and_upcast_attn": (False,),
            "add_cross_attention": (False,),
        }
        for name, allowed in unsupported.items():
            value = getattr(hf, name, allowed[0])
            if value not in allowed:
                raise ValueError(f"GPT2Config.{name}={value!r} is not supported here; allowed: {allowed}")
        if not getattr(hf, "tie_word_embeddings", True):
            raise ValueError("GPT2Config.tie_word_embeddings=False is not supported: the output head is tied")
        return cls(
            vocab_size=hf.vocab_size, n_positions=hf.n_positions, n_embd=hf.n_embd, n_layer=hf.n_layer,
            n_head=hf.n_head, dropout=float(hf.resid_pdrop), layer_norm_epsilon=float(hf.layer_norm_epsilon),
        )

"""The size of a GPT-2: a small dataclass that converts to and from ``transformers.GPT2Config``.

Names follow GPT-2's own (``n_embd``, ``n_layer``, ``n_head``, ``n_positions``) so that
a config read from any Hugging Face GPT-2 folder maps onto ours one to one.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from ..validate import check_float, check_int

if TYPE_CHECKING:
    from transformers import GPT2Config

#: Upper bounds of the sizes (GPT-2 XL, the largest GPT-2, has 50,257 / 1,024 / 1,600 / 48):
#: a bigger value is a typo that would exhaust memory rather than a model to build.
MAX_VOCAB_SIZE = 1_000_000
MAX_POSITIONS = 100_000
MAX_EMBD = 16_384
MAX_LAYERS = 1_000
#: At most 2·10⁹ parameters (8 GB in float32; GPT-2 XL has 1.56·10⁹).
MAX_PARAMETERS = 2_000_000_000


@dataclass(frozen=True)
class GPTConfig:
    """Hyper-parameters of a GPT-2 style model.

    - ``vocab_size``: number of token ids (GPT-2: 50,257; our Shakespeare characters: 76).
    - ``n_positions``: the context window (block size), in tokens.
    - ``n_embd``: width of every hidden vector; ``n_head`` must divide it.
    - ``n_layer``: number of transformer blocks.
    - ``dropout``: one rate for embeddings, attention weights and residual branches, in [0, 1).
    - ``layer_norm_epsilon``: in (0, 1]; GPT-2 uses 1e-5.

    Sizes are bounded by :data:`MAX_VOCAB_SIZE`, :data:`MAX_POSITIONS`, :data:`MAX_EMBD`,
    :data:`MAX_LAYERS` and the whole model by :data:`MAX_PARAMETERS`.
    """

    vocab_size: int = 50257
    n_positions: int = 1024
    n_embd: int = 768
    n_layer: int = 12
    n_head: int = 12
    dropout: float = 0.0
    layer_norm_epsilon: float = 1e-5

    def __post_init__(self) -> None:
        maxima = {"vocab_size": MAX_VOCAB_SIZE, "n_positions": MAX_POSITIONS, "n_embd": MAX_EMBD,
                  "n_layer": MAX_LAYERS, "n_head": MAX_EMBD}
        for name, maximum in maxima.items():  # stored as plain ints (NumPy ints would not go into JSON)
            object.__setattr__(self, name, check_int(getattr(self, name), name, minimum=1, maximum=maximum))
        if self.n_embd % self.n_head:
            raise ValueError(f"n_embd ({self.n_embd}) must be divisible by n_head ({self.n_head})")
        object.__setattr__(self, "dropout", check_float(self.dropout, "dropout", minimum=0.0, maximum=1.0,
                                                        exclusive_maximum=True))
        object.__setattr__(self, "layer_norm_epsilon", check_float(
            self.layer_norm_epsilon, "layer_norm_epsilon", minimum=0.0, maximum=1.0, exclusive_minimum=True))
        if self.num_parameters() > MAX_PARAMETERS:
            raise ValueError(f"this config describes {self.num_parameters():,} parameters, more than "
                             f"MAX_PARAMETERS = {MAX_PARAMETERS:,}; check vocab_size, n_positions, n_embd and n_layer")

    def num_parameters(self) -> int:
        """Parameters of a GPT of this size (the output head is tied to the token embedding, so it adds none)."""
        C = self.n_embd
        return (self.vocab_size + self.n_positions) * C + self.n_layer * (12 * C * C + 13 * C) + 2 * C

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
        missing = [name for name in ("vocab_size", "n_positions", "n_embd", "n_layer", "n_head", "resid_pdrop",
                                     "layer_norm_epsilon") if not hasattr(hf, name)]
        if missing:
            raise TypeError(f"hf must be a transformers.GPT2Config, got {type(hf).__name__} without {missing}")
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
            n_head=hf.n_head, dropout=hf.resid_pdrop, layer_norm_epsilon=hf.layer_norm_epsilon,
        )

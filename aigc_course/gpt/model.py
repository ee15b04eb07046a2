"""GPT-2, written out in PyTorch, weight-compatible with ``transformers.GPT2LMHeadModel``.

The whole model in one picture (B = batch, T = tokens, C = ``n_embd``, V = vocabulary)::

    ids (B, T) ──► token embedding wte (B, T, C)  +  position embedding wpe (T, C)
               ──► n_layer × Block:   x = x + Attention(LayerNorm(x))     (tokens talk to the past)
                                      x = x + MLP(LayerNorm(x))           (each token thinks alone)
               ──► final LayerNorm ──► x @ wteᵀ  =  logits (B, T, V)      (head tied to wte)

Parameter names match Hugging Face's (``transformer.h.0.attn.c_attn.weight``...). The only
difference is that GPT-2's original code stores its linear layers as ``Conv1D`` with the
weight matrix transposed (shape ``(in, out)``); :func:`hf_to_ours` and :func:`ours_to_hf`
transpose those four matrices per block, and everything else is copied as is.
"""

from __future__ import annotations

import math
from typing import Mapping

import torch
from torch import nn
from torch.nn import functional as F

from ..validate import check_bool, check_token_ids
from .config import GPTConfig

#: One cache entry per block: the keys and values seen so far, each (B, n_head, T_past, head_dim).
KVCache = list[tuple[torch.Tensor, torch.Tensor]]


class CausalSelfAttention(nn.Module):
    """Multi-head self-attention where position t may only look at positions ≤ t."""

    def __init__(self, config: GPTConfig) -> None:
        super().__init__()
        self.n_head, self.head_dim = config.n_head, config.head_dim
        self.c_attn = nn.Linear(config.n_embd, 3 * config.n_embd)  # queries, keys, values in one matmul
        self.c_proj = nn.Linear(config.n_embd, config.n_embd)  # mixes the heads back together
        self.attn_dropout = config.dropout
        self.resid_dropout = nn.Dropout(config.dropout)

    def forward(
        self, x: torch.Tensor, past: tuple[torch.Tensor, torch.Tensor] | None = None, return_weights: bool = False
    ) -> tuple[torch.Tensor, tuple[torch.Tensor, torch.Tensor], torch.Tensor | None]:
        """``x`` (B, T, C) -> (output (B, T, C), (keys, values) incl. ``past``, weights (B, H, T, T_all) or None)."""
        B, T, C = x.shape
        q, k, v = self.c_attn(x).split(C, dim=2)
        # (B, T, C) -> (B, n_head, T, head_dim): each head attends in its own subspace
        q, k, v = (t.view(B, T, self.n_head, self.head_dim).transpose(1, 2) for t in (q, k, v))
        if past is not None:  # KV cache: earlier tokens' keys and values are reused, not recomputed
            k = torch.cat([past[0], k], dim=2)
            v = torch.cat([past[1], v], dim=2)
        T_all = k.shape[2]
        weights = None
        if return_weights:  # the textbook formula, step by step, so we can look at the weights
            scores = q @ k.transpose(-2, -1) / math.sqrt(self.head_dim)  # (B, H, T, T_all)
            # query i sits at absolute position T_all - T + i and may see keys 0 .. that position
            mask = torch.ones(T, T_all, dtype=torch.bool, device=x.device).tril(diagonal=T_all - T)
            scores = scores.masked_fill(~mask, float("-inf"))
            weights = scores.softmax(dim=-1)
            y = F.dropout(weights, self.attn_dropout, self.training) @ v
        else:  # the same computation, fused by PyTorch (faster, less memory)
            causal = past is None or T > 1
            mask = None
            if past is not None and T > 1:
                mask = torch.ones(T, T_all, dtype=torch.bool, device=x.device).tril(diagonal=T_all - T)
                causal = False
            y = F.scaled_dot_product_attention(
                q, k, v, attn_mask=mask, is_causal=causal and mask is None,
                dropout_p=self.attn_dropout if self.training else 0.0,
            )
        y = y.transpose(1, 2).contiguous().view(B, T, C)  # concatenate the heads again
        return self.resid_dropout(self.c_proj(y)), (k, v), weights


class MLP(nn.Module):
    """Position-wise feed-forward network: widen 4×, GELU (tanh form, as GPT-2), narrow back."""

    def __init__(self, config: GPTConfig) -> None:
        super().__init__()
        self.c_fc = nn.Linear(config.n_embd, 4 * config.n_embd)
        self.c_proj = nn.Linear(4 * config.n_embd, config.n_embd)
        self.dropout = nn.Dropout(config.dropout)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.dropout(self.c_proj(F.gelu(self.c_fc(x), approximate="tanh")))


class Block(nn.Module):
    """One transformer block, pre-LayerNorm as in GPT-2: normalise, transform, add back."""

    def __init__(self, config: GPTConfig) -> None:
        super().__init__()
        self.ln_1 = nn.LayerNorm(config.n_embd, eps=config.layer_norm_epsilon)
        self.attn = CausalSelfAttention(config)
        self.ln_2 = nn.LayerNorm(config.n_embd, eps=config.layer_norm_epsilon)
        self.mlp = MLP(config)

    def forward(self, x, past=None, return_weights=False):
        attended, kv, weights = self.attn(self.ln_1(x), past, return_weights)
        x = x + attended
        x = x + self.mlp(self.ln_2(x))
        return x, kv, weights


class GPT(nn.Module):
    """A GPT-2 language model. ``model(ids)`` returns next-token logits ``(B, T, vocab_size)``."""

    def __init__(self, config: GPTConfig) -> None:
        super().__init__()
        if not isinstance(config, GPTConfig):
            raise TypeError(f"config must be a GPTConfig, got {type(config).__name__}")
        self.config = config
        self.transformer = nn.ModuleDict(dict(
            wte=nn.Embedding(config.vocab_size, config.n_embd),  # token id -> vector
            wpe=nn.Embedding(config.n_positions, config.n_embd),  # position -> vector
            drop=nn.Dropout(config.dropout),
            h=nn.ModuleList([Block(config) for _ in range(config.n_layer)]),
            ln_f=nn.LayerNorm(config.n_embd, eps=config.layer_norm_epsilon),
        ))
        self.lm_head = nn.Linear(config.n_embd, config.vocab_size, bias=False)
        self.lm_head.weight = self.transformer.wte.weight  # weight tying: one matrix reads and writes tokens
        self.apply(self._init_weights)
        # GPT-2's scaled init: each residual branch's output layer gets std 0.02 / sqrt(2 · n_layer),
        # so the residual stream's variance does not grow with depth
        for name, param in self.named_parameters():
            if name.endswith("c_proj.weight"):
                nn.init.normal_(param, mean=0.0, std=0.02 / math.sqrt(2 * config.n_layer))

    @staticmethod
    def _init_weights(module: nn.Module) -> None:
        if isinstance(module, (nn.Linear, nn.Embedding)):
            nn.init.normal_(module.weight, mean=0.0, std=0.02)
        if isinstance(module, nn.Linear) and module.bias is not None:
            nn.init.zeros_(module.bias)

    @property
    def vocab_size(self) -> int:
        """Size of the vocabulary (the training loop's interface, as for every course language model)."""
        return self.config.vocab_size

    @property
    def context_window(self) -> int:
        """The longest input in tokens: ``config.n_positions``."""
        return self.config.n_positions

    def num_parameters(self) -> int:
        """Number of distinct parameters (the tied head is counted once, as transformers does)."""
        return sum(p.numel() for p in self.parameters())

    def forward(
        self,
        ids: torch.Tensor,
        targets: torch.Tensor | None = None,
        past: KVCache | None = None,
        use_cache: bool = False,
        return_attention: bool = False,
    ) -> dict:
        """Run the model.

        - ``ids``: token ids, int64 ``(B, T)``.
        - ``targets``: optional ids ``(B, T)`` (the next token at every position); then
          ``out["loss"]`` is the mean cross-entropy in **nats per token**.
        - ``past``: the KV cache from an earlier call; ``ids`` are then the *new* tokens only.
        - ``use_cache``: also return ``out["past"]``, the updated cache.
        - ``return_attention``: also return ``out["attentions"]``, one ``(B, n_head, T, T_all)`` per block.

        Every id (and target) must be in ``[0, vocab_size)``: one min/max per call checks it.
        Returns a dict with ``logits`` ``(B, T, vocab_size)`` and the optional entries above.
        """
        if not isinstance(ids, torch.Tensor):
            raise TypeError(f"ids must be an int64 tensor of shape (B, T), got {type(ids).__name__}")
        if ids.dim() != 2 or ids.dtype != torch.long:
            raise ValueError(f"ids must be an int64 tensor of shape (B, T), got {ids.dtype} {tuple(ids.shape)}")
        check_token_ids(ids, "ids", self.config.vocab_size)
        if targets is not None:
            if not isinstance(targets, torch.Tensor) or targets.shape != ids.shape or targets.dtype != torch.long:
                raise ValueError(f"targets must be an int64 tensor of the shape of ids {tuple(ids.shape)}, got "
                                 f"{getattr(targets, 'dtype', type(targets).__name__)} "
                                 f"{tuple(getattr(targets, 'shape', ()))}")
            check_token_ids(targets, "targets", self.config.vocab_size)
        use_cache = check_bool(use_cache, "use_cache")
        return_attention = check_bool(return_attention, "return_attention")
        B, T = ids.shape
        start = 0 if past is None else self._past_length(past, B)
        if start + T > self.config.n_positions:
            raise ValueError(f"sequence length {start + T} exceeds the context window n_positions="
                             f"{self.config.n_positions}")
        positions = torch.arange(start, start + T, device=ids.device)
        x = self.transformer.drop(self.transformer.wte(ids) + self.transformer.wpe(positions))
        new_past: KVCache = []
        attentions = []
        for i, block in enumerate(self.transformer.h):
            x, kv, weights = block(x, None if past is None else past[i], return_attention)
            new_past.append(kv)
            attentions.append(weights)
        logits = self.lm_head(self.transformer.ln_f(x))
        out: dict = {"logits": logits}
        if targets is not None:
            out["loss"] = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1))
        if use_cache:
            out["past"] = new_past
        if return_attention:
            out["attentions"] = attentions
        return out

    def _past_length(self, past: KVCache, batch: int) -> int:
        """Tokens already in the KV cache ``past`` (one (keys, values) pair per block, for this batch size)."""
        what = (f"past must be the list of {self.config.n_layer} (keys, values) pairs that a call with "
                f"use_cache=True returned")
        if not isinstance(past, (list, tuple)) or len(past) != self.config.n_layer:
            length = len(past) if isinstance(past, (list, tuple)) else "?"
            raise ValueError(f"{what}, got {type(past).__name__} of length {length}")
        keys = past[0][0] if isinstance(past[0], (list, tuple)) and len(past[0]) == 2 else None
        if not isinstance(keys, torch.Tensor) or keys.dim() != 4:
            raise ValueError(f"{what}; its first entry is not a (keys, values) pair of 4-D tensors")
        expected = (batch, self.config.n_head, keys.shape[2], self.config.head_dim)
        if tuple(keys.shape) != expected:
            raise ValueError(f"past holds keys of shape {tuple(keys.shape)}, expected (B, n_head, T_past, head_dim) "
                             f"= {expected}: was it made by this model, for a batch of {batch}?")
        return keys.shape[2]


# --------------------------------------------------------------------------------------
# Moving weights between this model and transformers' GPT2LMHeadModel
# --------------------------------------------------------------------------------------

_TRANSPOSED = ("attn.c_attn.weight", "attn.c_proj.weight", "mlp.c_fc.weight", "mlp.c_proj.weight")
_IGNORED = (".attn.bias", ".attn.masked_bias")  # old HF buffers (the causal mask), not weights


def _check_state(state: object, name: str) -> None:
    if not isinstance(state, Mapping):
        raise TypeError(f"{name} must be a state dict (a mapping of names to tensors), got {type(state).__name__}")
    for key, tensor in state.items():
        if not isinstance(tensor, torch.Tensor):
            raise TypeError(f"{name}[{key!r}] must be a tensor, got {type(tensor).__name__}")
        if key.endswith(_TRANSPOSED) and tensor.dim() != 2:
            raise ValueError(f"{name}[{key!r}] must be a matrix, got shape {tuple(tensor.shape)}")


def hf_to_ours(hf_state: Mapping[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """Convert a ``GPT2LMHeadModel`` state dict to ours: transpose the Conv1D weights (in, out) -> (out, in)."""
    _check_state(hf_state, "hf_state")
    ours = {}
    for name, tensor in hf_state.items():
        if name.endswith(_IGNORED):
            continue
        ours[name] = tensor.t().contiguous() if name.endswith(_TRANSPOSED) else tensor
    if "lm_head.weight" not in ours and "transformer.wte.weight" in ours:
        ours["lm_head.weight"] = ours["transformer.wte.weight"]  # tied: some files store it once
    return ours


def ours_to_hf(state: Mapping[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """Convert our state dict to the layout of ``GPT2LMHeadModel`` (the inverse of :func:`hf_to_ours`)."""
    _check_state(state, "state")
    return {name: t.t().contiguous() if name.endswith(_TRANSPOSED) else t for name, t in state.items()}


def from_hf_model(hf_model: nn.Module) -> GPT:
    """Our GPT with exactly the weights of a ``transformers.GPT2LMHeadModel`` (same logits)."""
    if not isinstance(hf_model, nn.Module) or not hasattr(hf_model, "config"):
        raise TypeError(f"hf_model must be a transformers.GPT2LMHeadModel, got {type(hf_model).__name__}")
    model = GPT(GPTConfig.from_hf(hf_model.config))
    model.load_state_dict(hf_to_ours(hf_model.state_dict()), strict=True)
    return model.to(next(hf_model.parameters()).device)


def to_hf_model(model: GPT) -> nn.Module:
    """A ``transformers.GPT2LMHeadModel`` carrying our model's weights (e.g. to call ``generate``)."""
    if not isinstance(model, GPT):
        raise TypeError(f"model must be an aigc_course.gpt.GPT, got {type(model).__name__}")
    from transformers import GPT2LMHeadModel

    hf_model = GPT2LMHeadModel(model.config.to_hf())
    missing, unexpected = hf_model.load_state_dict(ours_to_hf(model.state_dict()), strict=False)
    missing = [m for m in missing if not m.endswith(_IGNORED)]
    if missing or unexpected:
        raise RuntimeError(f"weights do not fit GPT2LMHeadModel: missing {missing}, unexpected {unexpected}")
    return hf_model.to(next(model.parameters()).device).eval()

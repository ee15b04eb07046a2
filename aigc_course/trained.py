"""Models one lesson trains and a later lesson compares with, kept in the cache folder.

Lesson 05 keeps its DCGAN generator and lesson 06 its convolutional VAE, so that lesson 07
can put them beside its diffusion model without training them again. Each file is named
after the model and a digest of its *recipe* (a dict or dataclass of everything that decides
the weights: the settings, the number of steps, the mode), so a changed recipe never reuses stale weights.
The weights are safetensors (nothing is unpickled) written atomically; the training time
measured when the model was trained travels with them.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import warnings
from pathlib import Path
from typing import Any, Mapping

from .config import cache_dir
from .io import atomic_path
from .validate import check_float, check_str

__all__ = ["trained_path", "keep", "reuse"]


def _recipe_json(recipe: object) -> str:
    if dataclasses.is_dataclass(recipe) and not isinstance(recipe, type):
        recipe = dataclasses.asdict(recipe)
    if not isinstance(recipe, Mapping):
        raise TypeError(f"recipe must be a dict (or dataclass) of the settings that decide the weights, "
                        f"got {type(recipe).__name__}")
    try:
        return json.dumps(dict(recipe), sort_keys=True, default=str)
    except (TypeError, ValueError) as error:
        raise TypeError(f"recipe must hold plain values (numbers, strings, lists): {error}") from None


def trained_path(name: str, recipe: Mapping[str, Any]) -> Path:
    """Where the model ``name`` trained with ``recipe`` is kept: ``cache_dir()/trained/<name>-<digest>.safetensors``."""
    name = check_str(name, "name", allow_empty=False)
    if not name.replace("_", "").isalnum():
        raise ValueError(f"name must be letters, digits and underscores, such as 'dcgan', got {name!r}")
    digest = hashlib.sha256(_recipe_json(recipe).encode()).hexdigest()[:12]
    return cache_dir() / "trained" / f"{name}-{digest}.safetensors"


def keep(name: str, model: "torch.nn.Module", recipe: Mapping[str, Any], train_seconds: float) -> Path:
    """Save ``model``'s weights under ``name`` and ``recipe``, with the seconds its training took."""
    import torch
    from safetensors.torch import save_file

    if not isinstance(model, torch.nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {type(model).__name__}")
    train_seconds = check_float(train_seconds, "train_seconds", minimum=0.0)
    path = trained_path(name, recipe)
    path.parent.mkdir(parents=True, exist_ok=True)
    tensors = {k: v.detach().cpu().contiguous() for k, v in model.state_dict().items()}
    metadata = {"recipe": _recipe_json(recipe), "train_seconds": repr(train_seconds)}
    with atomic_path(path) as temp:
        save_file(tensors, str(temp), metadata=metadata)
    return path


def reuse(name: str, model: "torch.nn.Module", recipe: Mapping[str, Any]) -> float | None:
    """Load the kept weights of ``name``/``recipe`` into ``model``; return their training seconds.

    ``None`` when there is no such file, or when it cannot be read or does not fit ``model``
    (with a warning; the caller then trains the model, and :func:`keep` replaces the file).
    """
    from safetensors import SafetensorError, safe_open
    from safetensors.torch import load_file

    path = trained_path(name, recipe)
    if not path.is_file():
        return None
    try:
        with safe_open(str(path), framework="pt") as f:
            metadata = f.metadata() or {}
        tensors = load_file(str(path))
        expected = {k: tuple(v.shape) for k, v in model.state_dict().items()}
        if {k: tuple(v.shape) for k, v in tensors.items()} != expected:  # checked first: no half-loaded model
            raise ValueError("its weights have other names or shapes than this model's")
        seconds = float(metadata["train_seconds"])
        model.load_state_dict(tensors)
        return seconds
    except (SafetensorError, OSError, RuntimeError, KeyError, ValueError) as error:
        warnings.warn(f"the kept {name} at {path} cannot be used ({error}); it will be trained again", stacklevel=2)
        return None

"""Run-time settings shared by every lesson: seeds, device, fast mode, cache, network.

Environment variables (all optional):

- ``AIGC_FAST=1``    shrink data and training steps for quick iteration (default: off).
- ``AIGC_DEVICE``    force a device, e.g. ``cpu``, ``cuda``, ``cuda:1``, ``mps``.
- ``AIGC_CACHE``     folder for derived files (default: a per-user cache folder).
- ``AIGC_ONLINE=1``  allow code that downloads (e.g. the real pretrained ``gpt2``).
                     Offline is the default, and offline code never waits on the network.
"""

from __future__ import annotations

import os
import random
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:  # torch is imported lazily so that ``import aigc_course`` stays fast
    import torch

T = TypeVar("T")

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"", "0", "false", "no", "off"}


def _env_flag(name: str) -> bool:
    """Read a yes/no environment variable; anything unexpected is an error, not a guess."""
    raw = os.environ.get(name, "").strip().lower()
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise ValueError(f"environment variable {name}={raw!r}: use 1/0, true/false, yes/no or on/off")


def is_fast() -> bool:
    """True when ``AIGC_FAST`` asks for the quick, shrunken mode."""
    return _env_flag("AIGC_FAST")


def fast_or(default: T, fast: T) -> T:
    """Return ``fast`` in fast mode and ``default`` otherwise.

    Example: ``steps = fast_or(2000, 50)``.
    """
    return fast if is_fast() else default


def online_allowed() -> bool:
    """True only when the learner opted in to network access with ``AIGC_ONLINE=1``."""
    return _env_flag("AIGC_ONLINE")


class OfflineError(RuntimeError):
    """Raised at once when code would need the internet and the learner has not opted in."""


def require_online(what: str, instead: str = "") -> None:
    """Fail immediately, with instructions, unless ``AIGC_ONLINE=1`` is set.

    ``what`` names the download (e.g. "the pretrained 'gpt2' weights"); ``instead``
    suggests an offline alternative.
    """
    if online_allowed():
        return
    message = (
        f"{what} must be downloaded, and this course runs offline by default. "
        "To opt in, set AIGC_ONLINE=1 (in a notebook: os.environ['AIGC_ONLINE'] = '1' "
        "before the call) and make sure you have internet access."
    )
    if instead:
        message += f" Offline, use {instead} instead."
    raise OfflineError(message)


def seed_everything(seed: int) -> "torch.Generator":
    """Seed Python, NumPy and PyTorch (CPU and CUDA) and return a seeded CPU generator.

    Same seed, same results on the same machine. Pass the returned generator to
    anything that draws random numbers explicitly (``torch.randn(..., generator=g)``).
    """
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise TypeError(f"seed must be an int, got {type(seed).__name__}")
    if not 0 <= seed < 2**32:
        raise ValueError(f"seed must be in [0, 2**32), got {seed}")
    import numpy as np
    import torch

    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)  # also seeds every CUDA device
    return torch.Generator().manual_seed(seed)


_DEVICE_KINDS = ("cpu", "cuda", "mps")


def get_device(prefer: str | None = None) -> "torch.device":
    """Pick the device to compute on: ``prefer``, else ``AIGC_DEVICE``, else CUDA > MPS > CPU.

    Raises ``ValueError`` for an unknown device name and ``RuntimeError`` when the
    requested accelerator is not available on this machine.
    """
    import torch

    choice = prefer if prefer is not None else os.environ.get("AIGC_DEVICE", "").strip() or None
    if choice is None:
        if torch.cuda.is_available():
            return torch.device("cuda")
        mps = getattr(torch.backends, "mps", None)
        if mps is not None and mps.is_available():
            return torch.device("mps")
        return torch.device("cpu")
    if not isinstance(choice, str):
        raise TypeError(f"prefer must be a str such as 'cpu' or 'cuda', got {type(choice).__name__}")
    kind = choice.split(":", 1)[0].lower()
    if kind not in _DEVICE_KINDS:
        raise ValueError(f"device {choice!r} is unknown: use one of {', '.join(_DEVICE_KINDS)} (e.g. 'cuda:0')")
    if kind == "cuda" and not torch.cuda.is_available():
        raise RuntimeError(f"device {choice!r} was requested but CUDA is not available here; use 'cpu'")
    if kind == "mps" and not (getattr(torch.backends, "mps", None) and torch.backends.mps.is_available()):
        raise RuntimeError(f"device {choice!r} was requested but MPS is not available here; use 'cpu'")
    return torch.device(choice.lower())


def cache_dir() -> Path:
    """Folder for derived, re-creatable files (parsed corpora, tokenizer folders, checkpoints).

    ``AIGC_CACHE`` overrides; otherwise ``%LOCALAPPDATA%\\aigc-course`` on Windows,
    ``~/Library/Caches/aigc-course`` on macOS and ``$XDG_CACHE_HOME/aigc-course``
    (default ``~/.cache/aigc-course``) elsewhere. Created on first use.
    """
    override = os.environ.get("AIGC_CACHE", "").strip()
    if override:
        path = Path(override).expanduser()
    elif sys.platform == "win32":
        path = Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local")) / "aigc-course"
    elif sys.platform == "darwin":
        path = Path.home() / "Library" / "Caches" / "aigc-course"
    else:
        path = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "aigc-course"
    path.mkdir(parents=True, exist_ok=True)
    return path


def user_data_dir() -> Path:
    """Folder for what the learner writes and must never lose (e.g. career answers).

    ``AIGC_HOME`` overrides; default ``~/.aigc-course``. Created on first use.
    """
    override = os.environ.get("AIGC_HOME", "").strip()
    path = Path(override).expanduser() if override else Path.home() / ".aigc-course"
    path.mkdir(parents=True, exist_ok=True)
    return path

"""Run-time settings shared by every lesson: seeds, device, fast mode, cache, network.

Environment variables (all optional):

- ``AIGC_FAST=1``    shrink data and training steps for quick iteration (default: off).
- ``AIGC_DEVICE``    force a device, e.g. ``cpu``, ``cuda``, ``cuda:1``, ``mps``.
- ``AIGC_CACHE``     folder for derived files (default: a per-user cache folder).
- ``AIGC_ONLINE=1``  allow code that downloads (e.g. the real pretrained ``gpt2``).
                     Offline is the default, and offline code never waits on the network.
"""

from __future__ import annotations

import functools
import math
import os
import random
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from .validate import check_int

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


#: CPU threads the image lessons train on (the GANs, the digit classifier): the two cores of
#: the course's target laptop. A fixed count, not "all cores", keeps the numbers the same on
#: every machine of a kind, whatever its core count (the order of a sum depends on the threads).
LESSON_THREADS = 2


def seed_everything(seed: int) -> "torch.Generator":
    """Seed Python, NumPy and PyTorch (CPU and CUDA) and return a seeded CPU generator.

    Same seed, same results on the same machine. Pass the returned generator to
    anything that draws random numbers explicitly (``torch.randn(..., generator=g)``).
    """
    seed = check_int(seed, "seed", minimum=0, maximum=2**32 - 1)
    import numpy as np
    import torch

    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)  # also seeds every CUDA device
    return torch.Generator().manual_seed(seed)


_DEVICE_KINDS = ("cpu", "cuda", "mps")

# A device whose training step disagrees with the CPU's by more than this (relative, on a
# loss of order 1) is computing something else: float32 rounding differences between
# kernels are ~1e-6, so 1e-3 leaves a wide margin and still catches a broken backend.
DEVICE_AGREEMENT_RTOL = 1e-3


@dataclass(frozen=True)
class DeviceCheck:
    """The result of :func:`check_training_device`: losses after each step on the CPU and on ``device``."""

    device: str
    cpu_losses: tuple[float, ...]
    device_losses: tuple[float, ...]

    @property
    def max_relative_difference(self) -> float:
        return max(abs(a - b) / max(abs(a), 1e-12) for a, b in zip(self.cpu_losses, self.device_losses))

    @property
    def ok(self) -> bool:
        finite = all(math.isfinite(x) for x in self.device_losses)
        return finite and self.max_relative_difference <= DEVICE_AGREEMENT_RTOL


def _tiny_training_losses(device: str) -> tuple[float, ...]:
    """Five AdamW steps of a small MLP on fixed data on ``device``; the loss before each step.

    The same weights and data on every device (made on the CPU, then moved), so any
    difference beyond rounding is the device computing something else.
    """
    import torch

    g = torch.Generator().manual_seed(0)
    x = torch.randn(64, 16, generator=g)
    y = torch.randint(0, 4, (64,), generator=g)
    layers = [torch.nn.Linear(16, 32), torch.nn.Tanh(), torch.nn.Linear(32, 4)]
    with torch.no_grad():
        for layer in layers[::2]:
            layer.weight.copy_(torch.randn(layer.weight.shape, generator=g) * 0.3)
            layer.bias.zero_()
    model = torch.nn.Sequential(*layers).to(device)
    x, y = x.to(device), y.to(device)
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-2)
    losses = []
    for _ in range(5):
        loss = torch.nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(float(loss.detach().cpu()))
    return tuple(losses)


def check_training_device(device: str) -> DeviceCheck:
    """Run the same small training step on the CPU and on ``device`` and compare the losses.

    PyTorch's MPS backend (Apple silicon) has produced silently wrong training losses in
    some versions; this is how the course notices before trusting it.
    """
    return DeviceCheck(device, _tiny_training_losses("cpu"), _tiny_training_losses(device))


@functools.lru_cache(maxsize=None)
def _mps_is_trustworthy() -> bool:
    """True when MPS is available and trains like the CPU (checked once per process)."""
    try:
        result = check_training_device("mps")
    except Exception as error:  # a backend that cannot even run the step is not trustworthy
        print(f"[aigc_course] MPS is available but a small training step failed on it ({error}); "
              "using the CPU instead. Set AIGC_DEVICE=mps to force it.", file=sys.stderr)
        return False
    if not result.ok:
        print(f"[aigc_course] MPS is available but a small training step on it disagrees with the CPU "
              f"(relative difference {result.max_relative_difference:.1e} > {DEVICE_AGREEMENT_RTOL:g}); "
              "using the CPU instead. Updating PyTorch may fix it; AIGC_DEVICE=mps forces MPS.",
              file=sys.stderr)
    return result.ok


def mps_available() -> bool:
    """True when PyTorch offers the Apple-silicon MPS backend here (not yet checked for correctness)."""
    import torch

    mps = getattr(torch.backends, "mps", None)
    return bool(mps is not None and mps.is_available())


def get_device(prefer: str | None = None) -> "torch.device":
    """Pick the device to compute on: ``prefer``, else ``AIGC_DEVICE``, else CUDA > MPS > CPU.

    MPS is chosen by default only after a small training step on it agrees with the CPU
    (:func:`check_training_device`); otherwise the CPU is used, with a message. An
    explicit request (``prefer="mps"`` or ``AIGC_DEVICE=mps``) is honoured as given.
    Raises ``ValueError`` for an unknown device name and ``RuntimeError`` when the
    requested accelerator is not available on this machine.
    """
    import torch

    choice = prefer if prefer is not None else os.environ.get("AIGC_DEVICE", "").strip() or None
    if choice is None:
        if torch.cuda.is_available():
            return torch.device("cuda")
        if mps_available() and _mps_is_trustworthy():
            return torch.device("mps")
        return torch.device("cpu")
    if not isinstance(choice, str):
        raise TypeError(f"prefer must be a str such as 'cpu' or 'cuda', got {type(choice).__name__}")
    kind = choice.split(":", 1)[0].lower()
    if kind not in _DEVICE_KINDS:
        raise ValueError(f"device {choice!r} is unknown: use one of {', '.join(_DEVICE_KINDS)} (e.g. 'cuda:0')")
    if kind == "cuda" and not torch.cuda.is_available():
        raise RuntimeError(f"device {choice!r} was requested but CUDA is not available here; use 'cpu'")
    if kind == "mps" and not mps_available():
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
    return _make_folder(path, "AIGC_CACHE", "the cache folder")


def _make_folder(path: Path, variable: str, what: str) -> Path:
    """Create ``path`` if needed; a clear error (naming ``variable``) when that is impossible."""
    if path.exists() and not path.is_dir():
        raise NotADirectoryError(f"{what} {path} is a file, not a folder: set {variable} to a folder")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise PermissionError(f"{what} {path} cannot be created ({error.strerror or error}): "
                              f"set {variable} to a folder you can write to") from None
    return path


def user_data_dir() -> Path:
    """Folder for what the learner writes and must never lose (e.g. career answers).

    ``AIGC_HOME`` overrides; default ``~/.aigc-course``. Created on first use.
    """
    override = os.environ.get("AIGC_HOME", "").strip()
    path = Path(override).expanduser() if override else Path.home() / ".aigc-course"
    return _make_folder(path, "AIGC_HOME", "the answers folder")

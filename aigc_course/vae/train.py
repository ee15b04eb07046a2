"""Training a VAE: a plain minibatch loop with a history of both loss terms, and checkpoints.

Deterministic: the same seed gives the same shuffles, the same ``eps`` draws and
therefore the same weights on the same machine (all randomness comes from one
explicit ``torch.Generator``).
"""

from __future__ import annotations

import json
import math
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import torch
from tqdm.auto import tqdm

from ..config import seed_everything
from ..io import atomic_path
from ..speedups import adam, channels_last
from ..validate import check_bool, check_float, check_int, check_int_compat, check_path
from .evaluate import MAX_SEED, negative_elbo
from .loss import MAX_BETA, vae_loss
from .models import BaseVAE, _check_rng, _check_vae, build_model, check_images

#: Upper bounds, so that a typo (``epochs=10**9``) is refused before any work starts.
MAX_EPOCHS = 10_000        # the lesson trains for at most 100
MAX_BATCH_SIZE = 65_536
MAX_LR = 1.0               # Adam learning rate (the lesson uses 1e-3 and 2e-3)
MAX_WEIGHT_DECAY = 1.0
MAX_SHIFT = 4              # pixels of random translation in train_vae


@dataclass
class TrainHistory:
    """Per-epoch averages over the training images, in nats per image.

    ``test_neg_elbo`` has one entry per epoch when test images were given (else
    it is empty). ``seconds`` is the wall-clock time of the whole run, without
    the test evaluations.
    """

    loss: list[float] = field(default_factory=list)
    reconstruction: list[float] = field(default_factory=list)
    kl: list[float] = field(default_factory=list)
    test_neg_elbo: list[float] = field(default_factory=list)
    seconds: float = 0.0


def random_shift(x: torch.Tensor, max_shift: int, generator: torch.Generator | None = None) -> torch.Tensor:
    """Translate each image by up to ``max_shift`` pixels in x and y, filling with zeros.

    ``(N, C, H, W) -> (N, C, H, W)``. A cheap data augmentation for small image
    sets: a digit moved by one pixel is still the same digit. ``max_shift`` is an int
    from 0 to ``min(H, W)``.
    """
    if not isinstance(x, torch.Tensor) or x.dim() != 4:
        raise ValueError(f"x must be a 4-D tensor (N, C, H, W), got {getattr(x, 'shape', type(x).__name__)}")
    max_shift = check_int(max_shift, "max_shift", minimum=0, maximum=min(x.shape[2:]))
    _check_rng(generator)
    if max_shift == 0:
        return x
    n, c, h, w = x.shape
    s = max_shift
    padded = torch.nn.functional.pad(x, (s, s, s, s))
    dy, dx = torch.randint(0, 2 * s + 1, (2, n), generator=generator)
    rows = (torch.arange(h)[None, :] + dy[:, None])[:, None, :, None]        # (N, 1, H, 1)
    cols = (torch.arange(w)[None, :] + dx[:, None])[:, None, None, :]        # (N, 1, 1, W)
    return padded[torch.arange(n)[:, None, None, None], torch.arange(c)[None, :, None, None], rows, cols]


def train_vae(
    model: BaseVAE,
    images: torch.Tensor,
    *,
    epochs: int = 30,
    batch_size: int = 128,
    lr: float = 1e-3,
    beta: float = 1.0,
    weight_decay: float = 0.0,
    max_shift: int = 0,
    cosine: bool = False,
    corrupt: "Callable[[torch.Tensor, torch.Generator], torch.Tensor] | None" = None,
    seed: int = 0,
    test_images: torch.Tensor | None = None,
    progress: bool = True,
) -> TrainHistory:
    """Train ``model`` in place on ``images`` ``(N, C, H, W)`` in [0, 1] with Adam; return the history.

    Each step draws one ``z`` per image (the reparameterisation trick) and
    minimises ``reconstruction + beta * KL`` averaged over the minibatch.
    ``max_shift`` > 0 adds random translations (data augmentation);
    ``cosine=True`` decays the learning rate to zero along a cosine;
    ``weight_decay`` is Adam's L2 penalty. ``corrupt(x, generator)``, if given,
    damages the encoder's input while the loss still scores the reconstruction
    against the clean ``x``: a *denoising* VAE (Im et al., 2017). With ``test_images`` the test
    negative ELBO (one sample, ``beta = 1``) is recorded after every epoch.

    Bounds: ``epochs`` <= :data:`MAX_EPOCHS`, ``batch_size`` <= :data:`MAX_BATCH_SIZE`,
    ``lr`` in (0, :data:`MAX_LR`], ``beta`` in [0, :data:`~aigc_course.vae.loss.MAX_BETA`],
    ``weight_decay`` in [0, :data:`MAX_WEIGHT_DECAY`], ``max_shift`` in 0..:data:`MAX_SHIFT`.
    """
    epochs, batch_size, lr, beta, weight_decay, max_shift, cosine, seed, progress = _check_training_settings(
        model, images, test_images, epochs=epochs, batch_size=batch_size, lr=lr, beta=beta, weight_decay=weight_decay,
        max_shift=max_shift, cosine=cosine, corrupt=corrupt, seed=seed, progress=progress)

    generator = seed_everything(seed)
    device = next(model.parameters()).device
    optimizer = adam(model.parameters(), lr=lr, weight_decay=weight_decay)
    steps_per_epoch = math.ceil(len(images) / batch_size)
    schedule = (
        torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=epochs * steps_per_epoch) if cosine else None
    )
    history = TrainHistory()
    spent = 0.0
    bar = tqdm(range(epochs), desc=f"training {type(model).__name__}", disable=not progress, leave=False)
    with channels_last(model):  # faster CPU convolutions for the conv VAE; no effect on the MLP VAE
        for _ in bar:
            start = time.perf_counter()
            model.train()
            order = torch.randperm(len(images), generator=generator)
            sums = torch.zeros(3)
            for i in range(0, len(images), batch_size):
                x = images[order[i:i + batch_size]]
                x = random_shift(x, max_shift, generator).to(device)
                seen = x if corrupt is None else _corrupted(corrupt, x, generator, model)
                logits, mu, logvar = model.forward_logits(seen, generator)
                terms = vae_loss(logits, x, mu, logvar, beta)
                optimizer.zero_grad(set_to_none=True)
                terms.loss.backward()
                optimizer.step()
                if schedule is not None:
                    schedule.step()
                sums += torch.stack([t.detach().cpu() for t in terms]) * len(x)
            spent += time.perf_counter() - start
            loss, rec, kl = (sums / len(images)).tolist()
            history.loss.append(loss)
            history.reconstruction.append(rec)
            history.kl.append(kl)
            postfix = {"rec": f"{rec:.1f}", "kl": f"{kl:.1f}"}
            if test_images is not None:
                history.test_neg_elbo.append(negative_elbo(model, test_images, seed=seed))
                postfix["test -ELBO"] = f"{history.test_neg_elbo[-1]:.1f}"
            bar.set_postfix(postfix)
    model.eval()
    history.seconds = spent
    return history


def _corrupted(corrupt: Callable, x: torch.Tensor, generator: torch.Generator, model: BaseVAE) -> torch.Tensor:
    """``corrupt(x, generator)``, checked: valid images of the same shape as ``x``."""
    seen = check_images(corrupt(x, generator), model, name="corrupt(x)")
    if seen.shape != x.shape:
        raise ValueError(f"corrupt(x) must return the same shape as x {tuple(x.shape)}, got {tuple(seen.shape)}")
    return seen


def _check_training_settings(model: object, images: object, test_images: object, **settings: object) -> tuple:
    """Check every argument of :func:`train_vae`; return ``(epochs, batch_size, lr, beta, weight_decay,
    max_shift, cosine, seed, progress)`` as plain Python values."""
    check_images(images, _check_vae(model))
    if test_images is not None:
        check_images(test_images, model, name="test_images")
    corrupt = settings["corrupt"]
    if corrupt is not None and not callable(corrupt):
        raise TypeError(f"corrupt must be a function (x, generator) -> x, or None, got {type(corrupt).__name__}")
    return (
        check_int_compat(settings["epochs"], "epochs", minimum=1, maximum=MAX_EPOCHS),
        check_int_compat(settings["batch_size"], "batch_size", minimum=1, maximum=MAX_BATCH_SIZE),
        check_float(settings["lr"], "lr", minimum=0.0, maximum=MAX_LR, exclusive_minimum=True),
        check_float(settings["beta"], "beta", minimum=0.0, maximum=MAX_BETA),
        check_float(settings["weight_decay"], "weight_decay", minimum=0.0, maximum=MAX_WEIGHT_DECAY),
        check_int_compat(settings["max_shift"], "max_shift", minimum=0, maximum=MAX_SHIFT),
        check_bool(settings["cosine"], "cosine"),
        check_int(settings["seed"], "seed", minimum=0, maximum=MAX_SEED),
        check_bool(settings["progress"], "progress"),
    )


def save_checkpoint(model: BaseVAE, path: str | Path) -> Path:
    """Save the weights and the constructor arguments to a safetensors file, atomically.

    The file is written next to ``path`` under a temporary name and then renamed,
    so a crash never leaves a half-written checkpoint.
    """
    from safetensors.torch import save_file

    _check_vae(model)
    path = check_path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tensors = {k: v.detach().cpu().contiguous() for k, v in model.state_dict().items()}
    metadata = {"kind": type(model).__name__, "config": json.dumps(model.config)}
    with atomic_path(path) as temp:
        save_file(tensors, str(temp), metadata=metadata)
    return path


def load_checkpoint(path: str | Path) -> BaseVAE:
    """Rebuild a model saved by :func:`save_checkpoint` (no pickle: safetensors only)."""
    from safetensors import SafetensorError, safe_open
    from safetensors.torch import load_file

    path = check_path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no checkpoint at {path}")
    try:
        with safe_open(str(path), framework="pt") as f:
            metadata = f.metadata() or {}
        tensors = load_file(str(path))
    except (SafetensorError, OSError) as error:
        raise ValueError(f"{path} is not a readable safetensors file (damaged or of another format): {error}") from None
    if "kind" not in metadata or "config" not in metadata:
        raise ValueError(f"{path} is not a VAE checkpoint written by save_checkpoint (metadata missing)")
    try:
        config = json.loads(metadata["config"])
        model = build_model(metadata["kind"], config)
    except (ValueError, TypeError) as error:
        raise ValueError(f"{path} holds a damaged VAE description: {error}") from None
    try:
        model.load_state_dict(tensors)
    except RuntimeError as error:
        raise ValueError(f"{path}: the weights do not match the {metadata['kind']} they claim to be: {error}") from None
    return model.eval()

"""Training a VAE: a plain minibatch loop with a history of both loss terms, and checkpoints.

Deterministic: the same seed gives the same shuffles, the same ``eps`` draws and
therefore the same weights on the same machine (all randomness comes from one
explicit ``torch.Generator``).
"""

from __future__ import annotations

import json
import math
import os
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import torch
from tqdm.auto import tqdm

from ..config import seed_everything
from .evaluate import negative_elbo
from .loss import vae_loss
from .models import BaseVAE, build_model, check_images


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
    sets: a digit moved by one pixel is still the same digit.
    """
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
    """
    check_images(images, model)
    if test_images is not None:
        check_images(test_images, model, name="test_images")
    for name, value in (("epochs", epochs), ("batch_size", batch_size)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"{name} must be an int >= 1, got {value!r}")
    if isinstance(max_shift, bool) or not isinstance(max_shift, int) or not 0 <= max_shift <= 4:
        raise ValueError(f"max_shift must be an int in 0..4 pixels, got {max_shift!r}")
    if not lr > 0:
        raise ValueError(f"lr must be > 0, got {lr}")
    if isinstance(beta, bool) or not isinstance(beta, (int, float)) or not beta >= 0:
        raise ValueError(f"beta must be a number >= 0, got {beta!r}")

    generator = seed_everything(seed)
    device = next(model.parameters()).device
    optimizer = torch.optim.Adam(model.parameters(), lr=lr, weight_decay=weight_decay)
    steps_per_epoch = math.ceil(len(images) / batch_size)
    schedule = (
        torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=epochs * steps_per_epoch) if cosine else None
    )
    history = TrainHistory()
    spent = 0.0
    bar = tqdm(range(epochs), desc=f"training {type(model).__name__}", disable=not progress, leave=False)
    for _ in bar:
        start = time.perf_counter()
        model.train()
        order = torch.randperm(len(images), generator=generator)
        sums = torch.zeros(3)
        for i in range(0, len(images), batch_size):
            x = images[order[i:i + batch_size]]
            x = random_shift(x, max_shift, generator).to(device)
            seen = x if corrupt is None else check_images(corrupt(x, generator), model, name="corrupt(x)")
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


def save_checkpoint(model: BaseVAE, path: str | Path) -> Path:
    """Save the weights and the constructor arguments to a safetensors file, atomically.

    The file is written next to ``path`` under a temporary name and then renamed,
    so a crash never leaves a half-written checkpoint.
    """
    from safetensors.torch import save_file

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tensors = {k: v.detach().cpu().contiguous() for k, v in model.state_dict().items()}
    metadata = {"kind": type(model).__name__, "config": json.dumps(model.config)}
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    os.close(fd)
    try:
        save_file(tensors, tmp, metadata=metadata)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    return path


def load_checkpoint(path: str | Path) -> BaseVAE:
    """Rebuild a model saved by :func:`save_checkpoint` (no pickle: safetensors only)."""
    from safetensors import safe_open
    from safetensors.torch import load_file

    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no checkpoint at {path}")
    with safe_open(str(path), framework="pt") as f:
        metadata = f.metadata() or {}
    if "kind" not in metadata or "config" not in metadata:
        raise ValueError(f"{path} is not a VAE checkpoint written by save_checkpoint (metadata missing)")
    model = build_model(metadata["kind"], json.loads(metadata["config"]))
    model.load_state_dict(load_file(str(path)))
    return model.eval()

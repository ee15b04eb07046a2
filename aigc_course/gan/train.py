"""Training a GAN: the configuration, the history it records, and the training loop."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, fields

import torch
from torch import nn

from ..config import LESSON_THREADS, fast_or, seed_everything
from ..speedups import adam, channels_last
from ..validate import check_bool, check_choice, check_finite_tensor, check_float, check_int_compat
from .limits import (
    IMAGE_SHAPE,
    MAX_BATCH_SIZE,
    MAX_D_STEPS,
    MAX_LR,
    MAX_SEED,
    MAX_SNAPSHOT,
    MAX_SNAPSHOTS,
    MAX_STEPS,
    MAX_THREADS,
)
from .loss import GENERATOR_LOSSES, _check_real_label, d_loss, g_loss
from .models import _check_discriminator, _check_generator
from .sample import latents, sample


@dataclass
class GANConfig:
    """How to train a GAN. The defaults are the DCGAN paper's Adam settings.

    ``steps``: generator updates. ``batch_size``: images per step (real and fake each).
    ``lr_g``/``lr_d``: Adam learning rates, ``betas``: Adam's betas.
    ``generator_loss``: ``"non_saturating"`` or ``"minimax"`` (see :func:`g_loss`).
    ``real_label``: 1.0, or e.g. 0.9 for one-sided label smoothing.
    ``d_steps``: discriminator updates per generator update (``0`` freezes ``D``).
    ``snapshot_steps``: steps after which a sample grid of the fixed latents is kept
    (step 0 is before any training). ``log_every``: loss history resolution.
    ``threads``: CPU threads while training. One by default: networks this small gain
    little from more, and a single thread gives the same numbers whatever the machine's
    core count (``None`` keeps PyTorch's setting).

    Every field is checked when the config is made: ``steps`` <= :data:`MAX_STEPS`,
    ``batch_size`` <= :data:`MAX_BATCH_SIZE`, learning rates in (0, :data:`MAX_LR`],
    betas in [0, 1), ``d_steps`` <= :data:`MAX_D_STEPS`, ``n_snapshot`` <= :data:`MAX_SNAPSHOT`,
    ``seed`` in [0, 2**32); NaN and infinity are refused everywhere.
    """

    steps: int = 1000
    batch_size: int = 64
    lr_g: float = 2e-4
    lr_d: float = 2e-4
    betas: tuple[float, float] = (0.5, 0.999)
    generator_loss: str = "non_saturating"
    real_label: float = 1.0
    d_steps: int = 1
    snapshot_steps: tuple[int, ...] = ()
    n_snapshot: int = 64
    log_every: int = 10
    seed: int = 0
    threads: int | None = 1

    def __post_init__(self) -> None:
        self.steps = check_int_compat(self.steps, "steps", minimum=1, maximum=MAX_STEPS)
        self.batch_size = check_int_compat(self.batch_size, "batch_size", minimum=1, maximum=MAX_BATCH_SIZE)
        self.log_every = check_int_compat(self.log_every, "log_every", minimum=1, maximum=MAX_STEPS)
        self.n_snapshot = check_int_compat(self.n_snapshot, "n_snapshot", minimum=1, maximum=MAX_SNAPSHOT)
        self.d_steps = check_int_compat(self.d_steps, "d_steps", minimum=0, maximum=MAX_D_STEPS)
        self.lr_g = check_float(self.lr_g, "lr_g", minimum=0.0, maximum=MAX_LR, exclusive_minimum=True)
        self.lr_d = check_float(self.lr_d, "lr_d", minimum=0.0, maximum=MAX_LR, exclusive_minimum=True)
        self.betas = _check_betas(self.betas)
        self.real_label = _check_real_label(self.real_label)
        self.threads = check_int_compat(self.threads, "threads", minimum=1, maximum=MAX_THREADS, allow_none=True)
        self.seed = check_int_compat(self.seed, "seed", minimum=0, maximum=MAX_SEED)
        check_choice(self.generator_loss, "generator_loss", GENERATOR_LOSSES)
        self.snapshot_steps = _check_snapshot_steps(self.snapshot_steps, self.steps)


def _check_betas(betas: object) -> tuple[float, float]:
    """Adam's ``(beta1, beta2)``, each in [0, 1)."""
    if isinstance(betas, (str, bytes)) or not isinstance(betas, (tuple, list)) or len(betas) != 2:
        raise TypeError(f"betas must be a pair of numbers (beta1, beta2), got {betas!r}")
    return tuple(check_float(b, f"betas[{i}]", minimum=0.0, maximum=1.0, exclusive_maximum=True)
                 for i, b in enumerate(betas))


def _check_snapshot_steps(snapshot_steps: object, steps: int) -> tuple[int, ...]:
    """Steps at which to keep a sample grid: ints in [0, steps]."""
    if isinstance(snapshot_steps, (str, bytes)) or not isinstance(snapshot_steps, (tuple, list, set, frozenset, range)):
        raise TypeError(f"snapshot_steps must be a tuple of ints, got {type(snapshot_steps).__name__} {snapshot_steps!r}")
    checked = tuple(check_int_compat(s, f"snapshot_steps[{i}]", minimum=0, maximum=steps)
                    for i, s in enumerate(snapshot_steps))
    if len(set(checked)) > MAX_SNAPSHOTS:  # each grid is kept in memory
        raise ValueError(f"snapshot_steps must name at most {MAX_SNAPSHOTS:,} steps, got {len(set(checked)):,}")
    return checked


def lesson_config(kind: str, **changes) -> GANConfig:
    """The settings notebook 05 and ``benchmarks/gan.py`` train with (``AIGC_FAST=1`` shrinks them).

    ``kind``: ``"mlp"`` or ``"dcgan"``; ``changes`` override single fields, e.g.
    ``lesson_config("dcgan", generator_loss="minimax")``. Both GANs get the same
    number of steps, so their comparison is fair in data seen, not in compute (the
    notebook prints each one's training time). The lesson trains on :data:`LESSON_THREADS`
    CPU threads: a fixed count, so a run gives the same numbers on any machine of a kind.
    """
    check_choice(kind, "kind", ("mlp", "dcgan"))
    allowed = [f.name for f in fields(GANConfig)]
    unknown = sorted(set(changes) - set(allowed))
    if unknown:
        raise TypeError(f"lesson_config got unknown setting(s) {', '.join(unknown)}; GANConfig has {', '.join(allowed)}")
    steps = fast_or(LESSON_STEPS, 150)
    marks = sorted({0, steps // 10, steps // 4, steps // 2, steps})
    settings = dict(steps=steps, batch_size=64, snapshot_steps=tuple(marks), log_every=fast_or(20, 5), seed=0,
                    threads=LESSON_THREADS)
    settings.update(changes)
    return GANConfig(**settings)


#: Training steps of each GAN in the lesson's default mode (batch 64: about 29 passes over 4,000
#: digits). The lesson trained 2,000 steps until its run time needed a fifth to spare.
LESSON_STEPS = 1800

# The lesson trains on LESSON_THREADS (2) CPU threads (aigc_course.config). Measured on an idle
# 2-core machine, 2,000 steps took 74 s (MLP) and 198 s (DCGAN) on one thread, 57 s and 105 s on
# two (with channels-last convolutions), while the generator step still drew fresh fakes;
# reusing the discriminator step's fakes takes 0.90x (MLP) and 0.83x (DCGAN) of that time, and
# freezing D's weights during the generator step a further 0.95x (DCGAN; no change for the MLP)
# (one process, the two loops alternated, medians of three or four runs of 60-150 steps).


@dataclass
class GANHistory:
    """What happened during training.

    ``step``: the step of each logged entry; ``d_loss``/``g_loss``: mean losses (nats)
    over the last ``log_every`` steps; ``d_real``/``d_fake``: mean D(x) on real images and
    D(G(z)) on fakes (probabilities) over the same steps. ``snapshots``: step -> grid
    image ``(3, H, W)`` in [0, 1] from ``torchvision.utils.make_grid`` of the fixed latents.
    ``seconds``: wall-clock training time.
    """

    step: list[int] = field(default_factory=list)
    d_loss: list[float] = field(default_factory=list)
    g_loss: list[float] = field(default_factory=list)
    d_real: list[float] = field(default_factory=list)
    d_fake: list[float] = field(default_factory=list)
    snapshots: dict[int, torch.Tensor] = field(default_factory=dict)
    seconds: float = 0.0


@torch.no_grad()
def _snapshot(generator: nn.Module, z: torch.Tensor) -> torch.Tensor:
    from torchvision.utils import make_grid

    images = sample(generator, z=z)
    return make_grid(images, nrow=int(len(z) ** 0.5 + 0.5), padding=1, pad_value=1.0)


def _check_training_images(images: torch.Tensor) -> torch.Tensor:
    if not isinstance(images, torch.Tensor):
        raise TypeError(f"images must be a torch.Tensor (N, 1, 28, 28) in [0, 1], got {type(images).__name__}")
    if images.dim() != 4 or tuple(images.shape[1:]) != IMAGE_SHAPE:
        raise ValueError(f"images must have shape (N, 1, 28, 28), got {tuple(images.shape)}")
    if not images.is_floating_point():
        raise TypeError(f"images must be a float tensor in [0, 1], got dtype {images.dtype}")
    check_finite_tensor(images, "images")  # NaN slips through min/max comparisons
    if len(images) < 2:
        raise ValueError(f"images must hold at least 2 images, got {len(images)}")
    low, high = images.min().item(), images.max().item()
    if low < 0 or high > 1:
        raise ValueError(f"images must have values in [0, 1] (e.g. from load_mnist5k), got min {low:.3g} and max {high:.3g}")
    return images * 2 - 1  # the generators' Tanh range


def train_gan(
    generator: nn.Module,
    discriminator: nn.Module,
    images: torch.Tensor,
    config: GANConfig | None = None,
    progress: bool = True,
) -> GANHistory:
    """Train ``generator`` against ``discriminator`` on real ``images`` ``(N, 1, 28, 28)`` in [0, 1].

    Each step: ``config.d_steps`` discriminator updates on a real batch and a fresh fake
    batch (loss :func:`d_loss`), then one generator update (loss :func:`g_loss`) on the
    last of those fakes, scored by the updated discriminator: the generator's forward pass
    is not run twice (as in the DCGAN reference code of pytorch/examples). Deterministic
    for a given ``config.seed`` on a given machine. The models are trained in place (and
    left in eval mode); returns the :class:`GANHistory`.
    """
    _check_generator(generator)
    _check_discriminator(discriminator)
    config = GANConfig() if config is None else config
    if not isinstance(config, GANConfig):
        raise TypeError(f"config must be a GANConfig, got {type(config).__name__}")
    progress = check_bool(progress, "progress")
    real = _check_training_images(images)
    if config.batch_size < 2 and _has_batch_norm(generator, discriminator):
        raise ValueError(f"batch_size must be >= 2 for models with batch norm (the DCGAN), got {config.batch_size}")
    rng = seed_everything(config.seed)
    device = next(generator.parameters()).device
    real = real.to(device)
    fixed_z = latents(config.n_snapshot, generator.z_dim, generator=rng).to(device)
    history = GANHistory()
    if 0 in config.snapshot_steps:
        history.snapshots[0] = _snapshot(generator, fixed_z)
    generator.train()
    discriminator.train()
    threads_before = torch.get_num_threads()
    if config.threads is not None:
        torch.set_num_threads(config.threads)
    try:
        with channels_last(generator, discriminator):  # faster CPU convolutions; no effect on the MLP GAN
            _train_steps(generator, discriminator, real, config, rng, fixed_z, history, progress)
    finally:
        torch.set_num_threads(threads_before)
    generator.eval()
    discriminator.eval()
    return history


def _has_batch_norm(*models: nn.Module) -> bool:
    """Whether any model normalises over the batch (training then needs batches of 2 or more)."""
    return any(isinstance(m, nn.modules.batchnorm._BatchNorm) for model in models for m in model.modules())


@contextlib.contextmanager
def frozen(model: nn.Module) -> Iterator[None]:
    """Within the block, ``model``'s trainable weights do not ask for gradients; afterwards they do again.

    The graph is recorded during the forward pass, so a backward pass after the block still
    skips these weights: their gradients are neither computed nor stored.
    """
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be a torch.nn.Module (e.g. the discriminator), got {type(model).__name__}")
    trainable = [p for p in model.parameters() if p.requires_grad]
    for p in trainable:
        p.requires_grad_(False)
    try:
        yield
    finally:
        for p in trainable:
            p.requires_grad_(True)


def train_step(generator: nn.Module, discriminator: nn.Module, opt_g: torch.optim.Optimizer,
               opt_d: torch.optim.Optimizer, real: torch.Tensor, config: GANConfig, noise, rng: torch.Generator):
    """One step of GAN training: ``config.d_steps`` discriminator updates, then one generator update.

    ``real`` holds every training image ``(N, 1, 28, 28)``; ``noise()`` draws a batch of latent
    vectors ``(batch_size, z_dim)``; ``rng`` draws the real batches. Returns the last ``d_loss``,
    the ``g_loss`` (nats), and the discriminator's logits on the real batch and on the fakes
    (``None`` for the discriminator's parts when ``d_steps=0``).
    """
    # 1) the discriminator learns to tell real (label 1) from fake (label 0)
    fake = loss_d = real_logits = None
    for _ in range(config.d_steps):
        batch = real[torch.randint(len(real), (config.batch_size,), generator=rng).to(real.device)]
        fake = generator(noise())  # kept with its graph: step 2 reuses it
        real_logits, fake_logits = discriminator.logits(batch), discriminator.logits(fake.detach())
        loss_d = d_loss(real_logits, fake_logits, config.real_label)  # detached: D's loss does not move G
        opt_d.zero_grad(set_to_none=True)
        loss_d.backward()
        opt_d.step()
    # 2) the generator learns to make the updated D call the same fakes real
    if fake is None:  # d_steps=0: D is frozen, so draw the fakes here
        fake = generator(noise())
    with frozen(discriminator):  # D only judges here: no gradient for its weights (its next step would discard it)
        fake_logits = discriminator.logits(fake)
    loss_g = g_loss(fake_logits, config.generator_loss)
    opt_g.zero_grad(set_to_none=True)
    loss_g.backward()
    opt_g.step()
    return loss_d, loss_g, real_logits, fake_logits


def _train_steps(generator, discriminator, real, config, rng, fixed_z, history, progress) -> None:
    """The loop of :func:`train_gan`: :func:`train_step` ``config.steps`` times, with the log and the snapshots."""
    from tqdm.auto import tqdm

    opt_g = adam(generator.parameters(), lr=config.lr_g, betas=config.betas)
    opt_d = adam(discriminator.parameters(), lr=config.lr_d, betas=config.betas)
    sums = torch.zeros(4)  # running sums of d_loss, g_loss, D(x), D(G(z)) since the last log
    count = 0

    def noise() -> torch.Tensor:
        return torch.randn(config.batch_size, generator.z_dim, generator=rng).to(real.device)

    start = time.perf_counter()
    for step in tqdm(range(1, config.steps + 1), desc=f"training {type(generator).__name__}", disable=not progress,
                     mininterval=1.0):  # each redraw interrupts the two training threads
        loss_d, loss_g, real_logits, fake_logits = train_step(generator, discriminator, opt_g, opt_d, real, config,
                                                              noise, rng)

        if config.d_steps:
            sums += torch.tensor([loss_d.item(), loss_g.item(), torch.sigmoid(real_logits).mean().item(),
                                  torch.sigmoid(fake_logits).mean().item()])
        else:
            sums += torch.tensor([float("nan"), loss_g.item(), float("nan"), torch.sigmoid(fake_logits).mean().item()])
        count += 1
        if step % config.log_every == 0 or step == config.steps:
            means = (sums / count).tolist()
            history.step.append(step)
            history.d_loss.append(means[0])
            history.g_loss.append(means[1])
            history.d_real.append(means[2])
            history.d_fake.append(means[3])
            sums.zero_()
            count = 0
        if step in config.snapshot_steps:
            history.snapshots[step] = _snapshot(generator, fixed_z)
            generator.train()
    history.seconds = time.perf_counter() - start

"""The two image generators of the earlier lessons, for the comparison of three families.

Lesson 05's DCGAN and lesson 06's convolutional VAE are reused from the cache, where those
lessons keep them (:mod:`aigc_course.trained`); where they are missing (the lessons have not
run on this machine, or ran in the other mode), they are trained here with exactly the same
recipe and kept for next time. Either way the training time reported is the one measured
when the model was trained.
"""

from __future__ import annotations

from typing import NamedTuple

import torch

from .. import gan, trained
from ..config import fast_or
from ..vae import recipes as vae_recipes
from ..vae.train import train_vae

__all__ = ["Rival", "lesson05_dcgan", "lesson06_conv_vae", "conv_vae_recipe"]


class Rival(NamedTuple):
    """A trained model, the seconds its training took, and whether it came from the cache."""

    model: torch.nn.Module
    train_seconds: float
    reused: bool


def lesson05_dcgan(train_images: torch.Tensor, progress: bool = True) -> Rival:
    """Lesson 05's DCGAN generator (trained with ``gan.lesson_config("dcgan")`` after ``torch.manual_seed(0)``)."""
    config = gan.lesson_config("dcgan")
    with torch.random.fork_rng():
        torch.manual_seed(0)
        generator, discriminator = gan.make_gan("dcgan")
    seconds = trained.reuse("dcgan", generator, config)
    if seconds is not None:
        return Rival(generator.eval(), seconds, True)
    print("lesson 05's DCGAN is not in the cache: training it as lesson 05 does")
    history = gan.train_gan(generator, discriminator, train_images, config, progress=progress)
    trained.keep("dcgan", generator, config, history.seconds)
    return Rival(generator.eval(), history.seconds, False)


def conv_vae_recipe() -> dict:
    """The recipe lesson 06 trains its convolutional VAE with, in this mode (fast mode: 2 epochs)."""
    return dict(vae_recipes.BEST_RECIPE, epochs=fast_or(vae_recipes.BEST_RECIPE["epochs"], 2))


def lesson06_conv_vae(train_images: torch.Tensor, progress: bool = True) -> Rival:
    """Lesson 06's convolutional VAE (``make_best_vae()`` after ``torch.manual_seed(0)``, :func:`conv_vae_recipe`)."""
    recipe = conv_vae_recipe()
    with torch.random.fork_rng():
        torch.manual_seed(0)
        model = vae_recipes.make_best_vae()
    seconds = trained.reuse("conv_vae", model, recipe)
    if seconds is not None:
        return Rival(model.eval(), seconds, True)
    print("lesson 06's convolutional VAE is not in the cache: training it as lesson 06 does")
    history = train_vae(model, train_images, **recipe, seed=0, progress=progress)
    trained.keep("conv_vae", model, recipe, history.seconds)
    return Rival(model.eval(), history.seconds, False)

"""Bad input to the image lessons (gan, vae, metrics and their widgets) is refused at the boundary.

Each case is (callable, keyword arguments, error type, a fragment the message must contain),
and the fragment always names the parameter: nonsense gets a TypeError or ValueError that
says which argument is wrong, not an error from deep inside PyTorch, a hang or a silently
wrong number. The valid edge cases next to them must keep working.
"""

import json
import math
import re

import numpy as np
import pytest
import torch
from torch import nn

from aigc_course import gan, metrics
from aigc_course import vae as V
from aigc_course.vae import plots as vae_plots
from aigc_course.vae.train import MAX_EPOCHS
from aigc_course.widgets.gan import latent_mixer
from aigc_course.widgets.vae import latent_explorer

NAN, INF = float("nan"), float("inf")

torch.manual_seed(0)
G = gan.Generator(8)
DC_G, DC_D = gan.DCGANGenerator(8, channels=4), gan.DCGANDiscriminator(channels=4)
D = gan.Discriminator()
Z8 = torch.randn(8)
IMAGES = torch.rand(6, 1, 28, 28)
NAN_IMAGES = IMAGES.clone()
NAN_IMAGES[0, 0, 3, 3] = NAN
HISTORY = gan.GANHistory()
LOGITS = torch.randn(4)

VAE_2D = V.VAE(784, 16, 2)
CONV = V.ConvVAE(latent_dim=4, channels=4, hidden_dim=8)
ENCODER, DECODER = V.Encoder(784, 16, 2), V.Decoder(2, 16, 784)
X = torch.rand(3, 1, 28, 28)
NAN_X = X.clone()
NAN_X[1, 0, 0, 0] = NAN
MU, LOGVAR = torch.zeros(3, 2), torch.zeros(3, 2)

CLASSIFIER = metrics.DigitClassifier().eval()   # untrained: every case fails before it is used
TEN = torch.rand(10, 1, 28, 28)
NAN_TEN = TEN.clone()
NAN_TEN[2, 0, 5, 5] = NAN
EYE = np.eye(3)


def _case(func, kwargs, error, fragment):
    name = getattr(func, "__qualname__", getattr(func, "__name__", "call"))
    return pytest.param(func, kwargs, error, fragment, id=f"{name}-{fragment}")


GAN_CASES = [
    # models
    _case(gan.Generator, {"z_dim": 0}, ValueError, "z_dim"),
    _case(gan.Generator, {"z_dim": True}, TypeError, "z_dim"),
    _case(gan.Generator, {"z_dim": 10**9}, ValueError, "z_dim"),
    _case(gan.DCGANGenerator, {"channels": 0}, ValueError, "channels"),
    _case(gan.DCGANGenerator, {"channels": 10**6}, ValueError, "channels"),
    _case(gan.DCGANDiscriminator, {"channels": 2.0}, TypeError, "channels"),
    _case(gan.make_gan, {"kind": "vae"}, ValueError, "kind"),
    _case(gan.make_gan, {"kind": 3}, ValueError, "kind"),
    _case(gan.make_gan, {"kind": "mlp", "z_dim": -1}, ValueError, "z_dim"),
    _case(G.forward, {"z": torch.zeros(2, 8, dtype=torch.long)}, TypeError, "z"),
    _case(G.forward, {"z": torch.zeros(2, 9)}, ValueError, "z"),
    _case(D.logits, {"x": torch.zeros(2, 1, 28, 28, dtype=torch.uint8)}, TypeError, "x"),
    _case(DC_D.logits, {"x": torch.zeros(2, 28, 28)}, ValueError, "x"),
    # losses
    _case(gan.d_loss, {"real_logits": torch.tensor([NAN]), "fake_logits": LOGITS}, ValueError, "real_logits"),
    _case(gan.d_loss, {"real_logits": LOGITS, "fake_logits": [1.0]}, TypeError, "fake_logits"),
    _case(gan.d_loss, {"real_logits": torch.zeros(0), "fake_logits": LOGITS}, ValueError, "real_logits"),
    _case(gan.d_loss, {"real_logits": torch.ones(3, dtype=torch.long), "fake_logits": LOGITS}, TypeError, "real_logits"),
    _case(gan.d_loss, {"real_logits": LOGITS, "fake_logits": LOGITS, "real_label": NAN}, ValueError, "real_label"),
    _case(gan.d_loss, {"real_logits": LOGITS, "fake_logits": LOGITS, "real_label": 0.3}, ValueError, "real_label"),
    _case(gan.d_loss, {"real_logits": LOGITS, "fake_logits": LOGITS, "real_label": 1.5}, ValueError, "real_label"),
    _case(gan.g_loss, {"fake_logits": torch.tensor([INF])}, ValueError, "fake_logits"),
    _case(gan.g_loss, {"fake_logits": LOGITS, "kind": "hinge"}, ValueError, "kind"),
    _case(gan.to_unit, {"x": [0.5]}, TypeError, "x"),
    _case(gan.to_unit, {"x": torch.tensor([NAN])}, ValueError, "x"),
    # latents and sampling
    _case(gan.latents, {"n": 0}, ValueError, "n must"),
    _case(gan.latents, {"n": 10**9}, ValueError, "n must"),
    _case(gan.latents, {"n": 2.0}, TypeError, "n must"),
    _case(gan.latents, {"n": 2, "z_dim": 0}, ValueError, "z_dim"),
    _case(gan.latents, {"n": 2, "seed": -1}, ValueError, "seed"),
    _case(gan.latents, {"n": 2, "seed": 2**40}, ValueError, "seed"),
    _case(gan.latents, {"n": 2, "generator": "rng"}, TypeError, "generator"),
    _case(gan.sample, {"generator": G, "n": 0}, ValueError, "n must"),
    _case(gan.sample, {"generator": G, "n": 10**9}, ValueError, "n must"),
    _case(gan.sample, {"generator": G, "n": 4, "batch_size": -1}, ValueError, "batch_size"),
    _case(gan.sample, {"generator": G, "n": 4, "batch_size": 0}, ValueError, "batch_size"),
    _case(gan.sample, {"generator": G, "n": 4, "seed": -1}, ValueError, "seed"),
    _case(gan.sample, {"generator": G, "z": torch.zeros(2, 9)}, ValueError, "z must"),
    _case(gan.sample, {"generator": G, "z": torch.full((2, 8), NAN)}, ValueError, "z holds"),
    _case(gan.sample, {"generator": G, "z": torch.zeros(0, 8)}, ValueError, "z must"),
    _case(gan.sample, {"generator": nn.Linear(2, 2)}, TypeError, "generator"),
    # latent paths
    _case(gan.slerp, {"z0": torch.zeros(8), "z1": Z8, "t": 0.5}, ValueError, "z0"),
    _case(gan.slerp, {"z0": torch.full((8,), NAN), "z1": Z8, "t": 0.5}, ValueError, "z0"),
    _case(gan.slerp, {"z0": Z8, "z1": [1.0] * 8, "t": 0.5}, TypeError, "z1"),
    _case(gan.slerp, {"z0": Z8, "z1": -Z8, "t": NAN}, ValueError, "t must"),
    _case(gan.slerp, {"z0": Z8, "z1": -Z8, "t": 1.5}, ValueError, "t must"),
    _case(gan.slerp, {"z0": Z8, "z1": -Z8, "t": torch.tensor([0.2, 2.0])}, ValueError, "t must"),
    _case(gan.slerp, {"z0": Z8, "z1": -Z8, "t": "half"}, TypeError, "t must"),
    _case(gan.interpolate, {"generator": G, "z0": Z8, "z1": -Z8, "steps": 1}, ValueError, "steps"),
    _case(gan.interpolate, {"generator": G, "z0": Z8, "z1": -Z8, "steps": 10**9}, ValueError, "steps"),
    _case(gan.interpolate, {"generator": G, "z0": Z8, "z1": -Z8, "spherical": "yes"}, TypeError, "spherical"),
    _case(gan.interpolate, {"generator": G, "z0": torch.randn(9), "z1": torch.randn(9)}, ValueError, "z0"),
    # training settings
    _case(gan.GANConfig, {"steps": 10**9}, ValueError, "steps"),
    _case(gan.GANConfig, {"steps": True}, TypeError, "steps"),
    _case(gan.GANConfig, {"batch_size": -1}, ValueError, "batch_size"),
    _case(gan.GANConfig, {"batch_size": 10**9}, ValueError, "batch_size"),
    _case(gan.GANConfig, {"lr_g": NAN}, ValueError, "lr_g"),
    _case(gan.GANConfig, {"lr_d": INF}, ValueError, "lr_d"),
    _case(gan.GANConfig, {"lr_g": -1e-3}, ValueError, "lr_g"),
    _case(gan.GANConfig, {"lr_d": 5.0}, ValueError, "lr_d"),
    _case(gan.GANConfig, {"lr_g": "2e-4"}, TypeError, "lr_g"),
    _case(gan.GANConfig, {"betas": (0.5, 1.0)}, ValueError, "betas[1]"),
    _case(gan.GANConfig, {"betas": (NAN, 0.9)}, ValueError, "betas[0]"),
    _case(gan.GANConfig, {"betas": 0.5}, TypeError, "betas"),
    _case(gan.GANConfig, {"real_label": NAN}, ValueError, "real_label"),
    _case(gan.GANConfig, {"real_label": 0.5}, ValueError, "real_label"),
    _case(gan.GANConfig, {"d_steps": 10**6}, ValueError, "d_steps"),
    _case(gan.GANConfig, {"log_every": 0}, ValueError, "log_every"),
    _case(gan.GANConfig, {"n_snapshot": 10**6}, ValueError, "n_snapshot"),
    _case(gan.GANConfig, {"threads": 0}, ValueError, "threads"),
    _case(gan.GANConfig, {"seed": -1}, ValueError, "seed"),
    _case(gan.GANConfig, {"generator_loss": "hinge"}, ValueError, "generator_loss"),
    _case(gan.GANConfig, {"snapshot_steps": "0,5"}, TypeError, "snapshot_steps"),
    _case(gan.GANConfig, {"snapshot_steps": (1.5,)}, TypeError, "snapshot_steps"),
    _case(gan.GANConfig, {"steps": 10**5, "snapshot_steps": range(0, 10**5, 10)}, ValueError, "snapshot_steps"),
    _case(gan.lesson_config, {"kind": "vae"}, ValueError, "kind"),
    _case(gan.lesson_config, {"kind": "mlp", "stepz": 3}, TypeError, "stepz"),
    _case(gan.lesson_config, {"kind": "mlp", "steps": 0}, ValueError, "steps"),
    # training
    _case(gan.train_gan, {"generator": G, "discriminator": D, "images": NAN_IMAGES}, ValueError, "images"),
    _case(gan.train_gan, {"generator": G, "discriminator": D, "images": IMAGES.double() * 0 + INF}, ValueError, "images"),
    _case(gan.train_gan, {"generator": G, "discriminator": D, "images": (IMAGES * 255).byte()}, TypeError, "images"),
    _case(gan.train_gan, {"generator": G, "discriminator": D, "images": IMAGES[:1]}, ValueError, "images"),
    _case(gan.train_gan, {"generator": G, "discriminator": D, "images": IMAGES * 2 - 1}, ValueError, "images"),
    _case(gan.train_gan, {"generator": G, "discriminator": D, "images": IMAGES, "config": {"steps": 1}},
          TypeError, "config"),
    _case(gan.train_gan, {"generator": "G", "discriminator": D, "images": IMAGES}, TypeError, "generator"),
    _case(gan.train_gan, {"generator": G, "discriminator": nn.Linear(784, 1), "images": IMAGES},
          TypeError, "discriminator"),
    _case(gan.train_gan, {"generator": G, "discriminator": D, "images": IMAGES, "progress": "no"},
          TypeError, "progress"),
    _case(gan.train_gan, {"generator": DC_G, "discriminator": DC_D, "images": IMAGES,
                          "config": gan.GANConfig(steps=1, batch_size=1)}, ValueError, "batch_size"),
    # pictures and widget
    _case(gan.plot_history, {"history": None}, TypeError, "history"),
    _case(gan.plot_history, {"history": HISTORY, "title": 3}, TypeError, "title"),
    _case(gan.show_snapshots, {"history": {}}, TypeError, "history"),
    _case(gan.show_snapshots, {"history": HISTORY, "max_panels": 0}, ValueError, "max_panels"),
    _case(gan.show_latent_mix, {"generator": G, "t": NAN}, ValueError, "t must"),
    _case(gan.show_latent_mix, {"generator": G, "seed_a": -1}, ValueError, "seed_a"),
    _case(gan.show_latent_mix, {"generator": G, "seed_b": 1.0}, TypeError, "seed_b"),
    _case(gan.show_latent_mix, {"generator": G, "spherical": 1}, TypeError, "spherical"),
    _case(latent_mixer, {"generator": G, "max_seed": 0}, ValueError, "max_seed"),
    _case(latent_mixer, {"generator": G, "max_seed": 2**40}, ValueError, "max_seed"),
    _case(latent_mixer, {"generator": None}, TypeError, "generator"),
]

VAE_CASES = [
    # models
    _case(V.VAE, {"hidden_dim": 10**9}, ValueError, "hidden_dim"),
    _case(V.VAE, {"latent_dim": True}, TypeError, "latent_dim"),
    _case(V.VAE, {"image_shape": "1,28,28"}, TypeError, "image_shape"),
    _case(V.VAE, {"image_shape": (1, 28)}, ValueError, "image_shape"),
    _case(V.VAE, {"image_shape": (1, 28.0, 28)}, TypeError, "image_shape[1]"),
    _case(V.ConvVAE, {"channels": 10**6}, ValueError, "channels"),
    _case(V.ConvVAE, {"in_channels": 0}, ValueError, "in_channels"),
    _case(V.Encoder, {"input_dim": 784, "hidden_dim": 0, "latent_dim": 2}, ValueError, "hidden_dim"),
    _case(V.Decoder, {"latent_dim": 2, "hidden_dim": 16, "output_dim": -1}, ValueError, "output_dim"),
    _case(ENCODER.forward, {"x": torch.zeros(2, 100)}, ValueError, "x must"),
    _case(DECODER.logits, {"z": torch.zeros(2, 2, dtype=torch.long)}, TypeError, "z must"),
    _case(VAE_2D.encode, {"x": torch.zeros(2, 28, 28)}, ValueError, "x must"),
    _case(CONV.encode, {"x": torch.zeros(2, 3, 28, 28)}, ValueError, "x must"),
    _case(VAE_2D.decode_logits, {"z": torch.zeros(3, 5)}, ValueError, "z must"),
    _case(CONV.decode, {"z": torch.zeros(3, 4, dtype=torch.long)}, TypeError, "z must"),
    _case(V.BaseVAE.reparameterize, {"mu": MU, "logvar": torch.zeros(3, 3)}, ValueError, "mu and logvar"),
    _case(V.BaseVAE.reparameterize, {"mu": MU, "logvar": LOGVAR, "generator": 0}, TypeError, "generator"),
    _case(V.build_model, {"kind": "GAN", "config": {}}, ValueError, "kind"),
    _case(V.build_model, {"kind": "VAE", "config": {"input_dim": 784}}, ValueError, "config"),
    _case(V.build_model, {"kind": "ConvVAE", "config": [4, 4]}, TypeError, "config"),
    _case(V.check_images, {"x": NAN_X}, ValueError, "images holds"),
    _case(V.check_images, {"x": X, "name": 3}, TypeError, "name"),
    _case(V.check_images, {"x": X, "model": "VAE"}, TypeError, "model"),
    # loss
    _case(V.kl_divergence, {"mu": torch.tensor([[NAN, 0.0]]), "logvar": torch.zeros(1, 2)}, ValueError, "mu holds"),
    _case(V.kl_divergence, {"mu": MU, "logvar": torch.zeros(3, 4)}, ValueError, "mu and logvar"),
    _case(V.kl_divergence, {"mu": [[0.0]], "logvar": LOGVAR}, TypeError, "mu must"),
    _case(V.reconstruction_nll, {"logits": torch.zeros(3, 1, 28, 28), "x": X * 2}, ValueError, "x must"),
    _case(V.reconstruction_nll, {"logits": torch.zeros(3, 784), "x": X}, ValueError, "logits and x"),
    _case(V.vae_loss, {"logits": torch.zeros_like(X), "x": X, "mu": MU, "logvar": LOGVAR, "beta": NAN},
          ValueError, "beta"),
    _case(V.vae_loss, {"logits": torch.zeros_like(X), "x": X, "mu": MU, "logvar": LOGVAR, "beta": INF},
          ValueError, "beta"),
    _case(V.vae_loss, {"logits": torch.zeros_like(X), "x": X, "mu": MU, "logvar": LOGVAR, "beta": 1e9},
          ValueError, "beta"),
    _case(V.vae_loss, {"logits": torch.zeros_like(X), "x": X, "mu": MU, "logvar": LOGVAR, "beta": "1"},
          TypeError, "beta"),
    _case(V.vae_loss, {"logits": torch.zeros_like(X), "x": X, "mu": torch.zeros(2, 2), "logvar": torch.zeros(2, 2)},
          ValueError, "logits and mu"),
    _case(V.loss_function, {"recon_x": X * 2, "x": X, "mu": MU, "logvar": LOGVAR}, ValueError, "recon_x"),
    _case(V.loss_function, {"recon_x": X, "x": X, "mu": MU, "logvar": LOGVAR, "beta": NAN}, ValueError, "beta"),
    # evaluation
    _case(V.negative_elbo, {"model": VAE_2D, "images": X, "batch_size": -1}, ValueError, "batch_size"),
    _case(V.negative_elbo, {"model": VAE_2D, "images": X, "batch_size": 0}, ValueError, "batch_size"),
    _case(V.negative_elbo, {"model": VAE_2D, "images": X, "samples": 0}, ValueError, "samples"),
    _case(V.negative_elbo, {"model": VAE_2D, "images": X, "samples": 10**9}, ValueError, "samples"),
    _case(V.negative_elbo, {"model": VAE_2D, "images": X, "seed": -1}, ValueError, "seed"),
    _case(V.negative_elbo, {"model": "VAE", "images": X}, TypeError, "model"),
    _case(V.negative_elbo, {"model": VAE_2D, "images": NAN_X}, ValueError, "images"),
    _case(V.iwae_nll, {"model": VAE_2D, "images": X, "k": 0}, ValueError, "k must"),
    _case(V.iwae_nll, {"model": VAE_2D, "images": X, "k": 10**9}, ValueError, "k must"),
    _case(V.iwae_nll, {"model": VAE_2D, "images": X, "k": 2, "batch_size": 0}, ValueError, "batch_size"),
    _case(V.iwae_nll, {"model": VAE_2D, "images": NAN_X, "k": 2}, ValueError, "images"),
    _case(V.log_importance_weights, {"model": VAE_2D, "x": X, "k": 0}, ValueError, "k must"),
    _case(V.log_importance_weights, {"model": VAE_2D, "x": X, "k": 2, "chunk": 0}, ValueError, "chunk"),
    _case(V.log_importance_weights, {"model": VAE_2D, "x": NAN_X, "k": 2}, ValueError, "x holds"),
    _case(V.log_importance_weights, {"model": VAE_2D, "x": X, "k": 2, "generator": 1}, TypeError, "generator"),
    # training
    _case(V.train_vae, {"model": VAE_2D, "images": X, "epochs": 10**9}, ValueError, "epochs"),
    _case(V.train_vae, {"model": VAE_2D, "images": X, "epochs": 0}, ValueError, "epochs"),
    _case(V.train_vae, {"model": VAE_2D, "images": X, "epochs": 2.0}, TypeError, "epochs"),
    _case(V.train_vae, {"model": VAE_2D, "images": X, "batch_size": -1}, ValueError, "batch_size"),
    _case(V.train_vae, {"model": VAE_2D, "images": X, "lr": NAN}, ValueError, "lr"),
    _case(V.train_vae, {"model": VAE_2D, "images": X, "lr": 0.0}, ValueError, "lr"),
    _case(V.train_vae, {"model": VAE_2D, "images": X, "lr": 10.0}, ValueError, "lr"),
    _case(V.train_vae, {"model": VAE_2D, "images": X, "beta": NAN}, ValueError, "beta"),
    _case(V.train_vae, {"model": VAE_2D, "images": X, "beta": -0.5}, ValueError, "beta"),
    _case(V.train_vae, {"model": VAE_2D, "images": X, "weight_decay": -1.0}, ValueError, "weight_decay"),
    _case(V.train_vae, {"model": VAE_2D, "images": X, "weight_decay": NAN}, ValueError, "weight_decay"),
    _case(V.train_vae, {"model": VAE_2D, "images": X, "max_shift": 5}, ValueError, "max_shift"),
    _case(V.train_vae, {"model": VAE_2D, "images": X, "max_shift": True}, TypeError, "max_shift"),
    _case(V.train_vae, {"model": VAE_2D, "images": X, "cosine": "yes"}, TypeError, "cosine"),
    _case(V.train_vae, {"model": VAE_2D, "images": X, "corrupt": 3}, TypeError, "corrupt"),
    _case(V.train_vae, {"model": VAE_2D, "images": X, "seed": -1}, ValueError, "seed"),
    _case(V.train_vae, {"model": VAE_2D, "images": X, "progress": "no"}, TypeError, "progress"),
    _case(V.train_vae, {"model": VAE_2D, "images": NAN_X}, ValueError, "images"),
    _case(V.train_vae, {"model": VAE_2D, "images": X, "test_images": NAN_X}, ValueError, "test_images"),
    _case(V.train_vae, {"model": nn.Linear(2, 2), "images": X}, TypeError, "model"),
    _case(V.train_vae, {"model": VAE_2D, "images": X, "epochs": 1, "progress": False, "corrupt": lambda x, g: x[:1]},
          ValueError, "corrupt(x)"),
    _case(V.random_shift, {"x": X, "max_shift": -1}, ValueError, "max_shift"),
    _case(V.random_shift, {"x": X, "max_shift": 100}, ValueError, "max_shift"),
    _case(V.random_shift, {"x": X[0], "max_shift": 1}, ValueError, "x must"),
    _case(V.save_checkpoint, {"model": "VAE", "path": "x.safetensors"}, TypeError, "model"),
    _case(V.save_checkpoint, {"model": VAE_2D, "path": 3}, TypeError, "path"),
    _case(V.load_checkpoint, {"path": None}, TypeError, "path"),
    # uses
    _case(V.encode_mean, {"model": VAE_2D, "images": NAN_X}, ValueError, "images"),
    _case(V.encode_mean, {"model": None, "images": X}, TypeError, "model"),
    _case(V.decode, {"model": VAE_2D, "z": torch.tensor([[NAN, 0.0]])}, ValueError, "z holds"),
    _case(V.decode, {"model": VAE_2D, "z": [[0.0, 0.0]]}, TypeError, "z must"),
    _case(V.reconstruct, {"model": VAE_2D, "images": [[0.0]]}, TypeError, "images"),
    _case(V.sample, {"model": VAE_2D, "n": 0}, ValueError, "n must"),
    _case(V.sample, {"model": VAE_2D, "n": 10**9}, ValueError, "n must"),
    _case(V.sample, {"model": VAE_2D, "n": 2, "temperature": NAN}, ValueError, "temperature"),
    _case(V.sample, {"model": VAE_2D, "n": 2, "temperature": 0.0}, ValueError, "temperature"),
    _case(V.sample, {"model": VAE_2D, "n": 2, "generator": 5}, TypeError, "generator"),
    _case(V.interpolate, {"model": VAE_2D, "image_a": X[0], "image_b": X[1], "steps": 1}, ValueError, "steps"),
    _case(V.interpolate, {"model": VAE_2D, "image_a": X[0], "image_b": X[1], "steps": 10**9}, ValueError, "steps"),
    _case(V.interpolate, {"model": VAE_2D, "image_a": X[0, :, :10], "image_b": X[1]}, ValueError, "image_a"),
    _case(V.interpolate, {"model": VAE_2D, "image_a": X[0], "image_b": NAN_X[1]}, ValueError, "image_b"),
    _case(V.normal_grid, {"n": 1}, ValueError, "n must"),
    _case(V.normal_grid, {"n": 10**6}, ValueError, "n must"),
    _case(V.normal_grid, {"tail": NAN}, ValueError, "tail"),
    _case(V.normal_grid, {"tail": 0.5}, ValueError, "tail"),
    _case(V.latent_grid, {"model": VAE_2D, "n": 0}, ValueError, "n must"),
    _case(V.add_gaussian_noise, {"images": X, "sigma": NAN}, ValueError, "sigma"),
    _case(V.add_gaussian_noise, {"images": X, "sigma": -1.0}, ValueError, "sigma"),
    _case(V.add_gaussian_noise, {"images": NAN_X, "sigma": 0.3}, ValueError, "images"),
    _case(V.mask_patch, {"images": X, "size": 0}, ValueError, "size"),
    _case(V.mask_patch, {"images": X, "size": 29}, ValueError, "size"),
    _case(V.mask_patch, {"images": X, "size": 2.0}, TypeError, "size"),
    _case(V.mixed_corruption, {"images": NAN_X}, ValueError, "images"),
    _case(V.mixed_corruption, {"images": X, "sigma": NAN}, ValueError, "sigma"),
    _case(V.mixed_corruption, {"images": X, "size": 0}, ValueError, "size"),
    _case(V.denoise, {"model": VAE_2D, "corrupted": NAN_X}, ValueError, "corrupted"),
    _case(V.denoise, {"model": VAE_2D, "corrupted": X, "clean": X[:2]}, ValueError, "clean"),
    _case(V.kl_per_dimension, {"model": VAE_2D, "images": NAN_X}, ValueError, "images"),
    _case(V.quantize_latents, {"z": torch.zeros(3), "bits": 17}, ValueError, "bits"),
    _case(V.quantize_latents, {"z": torch.zeros(3), "bits": True}, TypeError, "bits"),
    _case(V.quantize_latents, {"z": torch.tensor([NAN]), "bits": 2}, ValueError, "z holds"),
    _case(V.quantize_latents, {"z": [0.0], "bits": 2}, TypeError, "z must"),
    _case(V.latent_rate_distortion, {"model": VAE_2D, "images": X, "bits": (0,)}, ValueError, "bits[0]"),
    _case(V.latent_rate_distortion, {"model": VAE_2D, "images": X, "bits": "123"}, TypeError, "bits"),
    _case(V.latent_rate_distortion, {"model": VAE_2D, "images": X, "active": [True, False]}, TypeError, "active"),
    _case(V.latent_rate_distortion, {"model": VAE_2D, "images": X, "active": torch.ones(2)}, ValueError, "active"),
    _case(V.png_bits, {"images": torch.rand(2, 3, 28, 28)}, ValueError, "images"),
    _case(V.png_bits, {"images": NAN_X}, ValueError, "images"),
    # pictures and widget
    _case(vae_plots.plot_latent_map, {"model": VAE_2D, "images": X, "labels": torch.arange(5)}, ValueError, "labels"),
    _case(vae_plots.plot_latent_map, {"model": CONV, "images": X, "labels": torch.arange(3)}, ValueError, "latent_dim"),
    _case(vae_plots.show_latent_point, {"model": VAE_2D, "z1": NAN, "z2": 0.0}, ValueError, "z1"),
    _case(vae_plots.show_latent_point, {"model": VAE_2D, "z1": 0.0, "z2": 1e9}, ValueError, "z2"),
    _case(vae_plots.show_latent_point, {"model": VAE_2D, "z1": 0.0, "z2": 0.0, "codes": torch.zeros(3, 3)},
          ValueError, "codes"),
    _case(vae_plots.show_grid, {"images": X, "nrow": 0}, ValueError, "nrow"),
    _case(vae_plots.show_grid, {"images": X, "nrow": 3, "extent": (0, 1)}, ValueError, "extent"),
    _case(vae_plots.plot_beta_sweep, {"results": {1.0: (NAN, 2.0)}}, ValueError, "results"),
    _case(vae_plots.plot_beta_sweep, {"results": {}}, TypeError, "results"),
    _case(vae_plots.plot_rate_distortion, {"curves": {"code": ([-1, 8], [0.1, 0.05])}}, ValueError, "bits"),
    _case(vae_plots.plot_rate_distortion, {"curves": {"code": ([4, 8], [NAN, 0.05])}}, ValueError, "mse"),
    _case(vae_plots.plot_rate_distortion, {"curves": {"code": ([4, 8], [0.1])}}, ValueError, "curves"),
    _case(vae_plots.plot_rate_distortion, {"curves": {}, "references": {"PNG": NAN}}, ValueError, "references"),
    _case(latent_explorer, {"model": VAE_2D, "limit": NAN}, ValueError, "limit"),
    _case(latent_explorer, {"model": VAE_2D, "limit": 0.0}, ValueError, "limit"),
    _case(latent_explorer, {"model": "VAE"}, TypeError, "model"),
    _case(latent_explorer, {"model": VAE_2D, "labels": torch.arange(3)}, ValueError, "labels"),
]


class _TwelveClasses(nn.Module):
    """A "classifier" with the wrong number of outputs."""

    def features(self, x):
        return x.flatten(1)[:, :4]

    def forward(self, x):
        return torch.zeros(len(x), 12)


METRICS_CASES = [
    _case(metrics.check_digit_images, {"images": NAN_TEN}, ValueError, "images holds"),
    _case(metrics.check_digit_images, {"images": TEN, "min_count": 0}, ValueError, "min_count"),
    _case(metrics.check_digit_images, {"images": TEN, "name": ""}, ValueError, "name"),
    _case(CLASSIFIER.features, {"x": torch.zeros(2, 784)}, ValueError, "x must"),
    _case(CLASSIFIER.forward, {"x": torch.zeros(2, 1, 28, 28, dtype=torch.uint8)}, TypeError, "x must"),
    _case(metrics.random_affine, {"x": TEN, "generator": None}, TypeError, "generator"),
    _case(metrics.random_affine, {"x": TEN, "generator": torch.Generator(), "degrees": NAN}, ValueError, "degrees"),
    _case(metrics.random_affine, {"x": TEN, "generator": torch.Generator(), "scale": 1.0}, ValueError, "scale"),
    _case(metrics.random_affine, {"x": TEN, "generator": torch.Generator(), "shift": -1.0}, ValueError, "shift"),
    _case(metrics.train_digit_classifier, {"epochs": 10**9}, ValueError, "epochs"),
    _case(metrics.train_digit_classifier, {"epochs": 0}, ValueError, "epochs"),
    _case(metrics.train_digit_classifier, {"batch_size": 0}, ValueError, "batch_size"),
    _case(metrics.train_digit_classifier, {"seed": -1}, ValueError, "seed"),
    _case(metrics.train_digit_classifier, {"progress": "no"}, TypeError, "progress"),
    _case(metrics.get_digit_classifier, {"progress": "yes"}, TypeError, "progress"),
    _case(metrics.digit_features, {"images": NAN_TEN, "classifier": CLASSIFIER}, ValueError, "images"),
    _case(metrics.digit_features, {"images": TEN, "classifier": "resnet"}, TypeError, "classifier"),
    _case(metrics.predict_digits, {"images": NAN_TEN, "classifier": CLASSIFIER}, ValueError, "images"),
    _case(metrics.classifier_accuracy, {"classifier": CLASSIFIER, "images": TEN, "labels": torch.zeros(10)},
          TypeError, "labels"),
    _case(metrics.classifier_accuracy, {"classifier": CLASSIFIER, "images": TEN, "labels": [10] * 10},
          ValueError, "labels"),
    _case(metrics.classifier_accuracy, {"classifier": CLASSIFIER, "images": TEN, "labels": [1] * 3},
          ValueError, "labels"),
    _case(metrics.classifier_accuracy, {"classifier": CLASSIFIER, "images": TEN, "labels": "0123456789"},
          TypeError, "labels"),
    _case(metrics.frechet_distance, {"mu1": np.array([NAN, 0, 0]), "cov1": EYE, "mu2": np.zeros(3), "cov2": EYE},
          ValueError, "mu1"),
    _case(metrics.frechet_distance, {"mu1": np.zeros(3), "cov1": EYE, "mu2": np.zeros(3), "cov2": np.diag([1.0, INF, 1.0])},
          ValueError, "cov2"),
    _case(metrics.frechet_distance, {"mu1": np.zeros(2), "cov1": np.array([[1.0, 0.5], [0.0, 1.0]]),
                                     "mu2": np.zeros(2), "cov2": np.eye(2)}, ValueError, "cov1"),
    _case(metrics.frechet_distance, {"mu1": np.zeros(3), "cov1": -EYE, "mu2": np.ones(3), "cov2": -EYE},
          ValueError, "cov1"),
    _case(metrics.frechet_distance, {"mu1": np.zeros(2), "cov1": np.eye(2), "mu2": np.zeros(2),
                                     "cov2": np.array([[1.0, 2.0], [2.0, 1.0]])}, ValueError, "cov2"),
    _case(metrics.frechet_distance, {"mu1": "abc", "cov1": EYE, "mu2": np.zeros(3), "cov2": EYE}, TypeError, "mu1"),
    _case(metrics.frechet_distance, {"mu1": np.zeros(0), "cov1": np.zeros((0, 0)), "mu2": np.zeros(0),
                                     "cov2": np.zeros((0, 0))}, ValueError, "mu1"),
    _case(metrics.classifier_fid, {"images_a": NAN_TEN, "images_b": TEN, "classifier": CLASSIFIER},
          ValueError, "images_a"),
    _case(metrics.classifier_fid, {"images_a": TEN, "images_b": NAN_TEN, "classifier": CLASSIFIER},
          ValueError, "images_b"),
    _case(metrics.classifier_fid, {"images_a": TEN[:1], "images_b": TEN, "classifier": CLASSIFIER},
          ValueError, "images_a"),
    _case(metrics.class_coverage, {"images": TEN, "classifier": CLASSIFIER, "min_fraction": NAN},
          ValueError, "min_fraction"),
    _case(metrics.class_coverage, {"images": TEN, "classifier": CLASSIFIER, "min_fraction": 0.1},
          ValueError, "min_fraction"),
    _case(metrics.class_coverage, {"images": TEN, "classifier": CLASSIFIER, "min_fraction": "0.01"},
          TypeError, "min_fraction"),
    _case(metrics.class_coverage, {"images": NAN_TEN, "classifier": CLASSIFIER}, ValueError, "images"),
    _case(metrics.class_coverage, {"images": TEN, "classifier": _TwelveClasses()}, ValueError, "classifier.forward"),
]


def _check(func, kwargs, error, fragment):
    with pytest.raises(error, match=re.escape(fragment)) as info:
        func(**kwargs)
    return str(info.value)


@pytest.mark.parametrize("func, kwargs, error, fragment", GAN_CASES)
def test_gan_bad_input(func, kwargs, error, fragment):
    _check(func, kwargs, error, fragment)


@pytest.mark.parametrize("func, kwargs, error, fragment", VAE_CASES)
def test_vae_bad_input(func, kwargs, error, fragment):
    _check(func, kwargs, error, fragment)


@pytest.mark.parametrize("func, kwargs, error, fragment", METRICS_CASES)
def test_metrics_bad_input(func, kwargs, error, fragment):
    _check(func, kwargs, error, fragment)


def test_messages_show_the_bad_value_and_what_is_allowed():
    message = _check(gan.GANConfig, {"steps": 10**9}, ValueError, "steps")
    assert "1,000,000,000" in message and f"{gan.MAX_STEPS:,}" in message
    message = _check(V.train_vae, {"model": VAE_2D, "images": X, "epochs": 10**9}, ValueError, "epochs")
    assert f"{MAX_EPOCHS:,}" in message
    assert "NaN" in _check(gan.GANConfig, {"lr_g": NAN}, ValueError, "lr_g")


# ---------------------------------------------------------------------------------- damaged files


def test_damaged_checkpoints_name_the_file_and_say_what_is_wrong(tmp_path):
    from safetensors.torch import save_file

    garbage = tmp_path / "garbage.safetensors"
    garbage.write_bytes(b"\x00\x01 not a safetensors file at all")
    with pytest.raises(ValueError, match=re.escape(str(garbage)) + ".*not a readable safetensors file"):
        V.load_checkpoint(garbage)

    good = V.save_checkpoint(V.VAE(784, 16, 2), tmp_path / "good.safetensors")
    truncated = tmp_path / "truncated.safetensors"
    truncated.write_bytes(good.read_bytes()[:-100])
    with pytest.raises(ValueError, match=re.escape(str(truncated))):
        V.load_checkpoint(truncated)

    tensors = {k: v.contiguous() for k, v in V.VAE(784, 16, 2).state_dict().items()}
    bare = tmp_path / "bare.safetensors"
    save_file(tensors, str(bare))
    with pytest.raises(ValueError, match=re.escape(str(bare)) + ".*metadata missing"):
        V.load_checkpoint(bare)

    bad_json = tmp_path / "bad_json.safetensors"
    save_file(tensors, str(bad_json), metadata={"kind": "VAE", "config": "{not json"})
    with pytest.raises(ValueError, match=re.escape(str(bad_json)) + ".*damaged VAE description"):
        V.load_checkpoint(bad_json)

    lying = tmp_path / "lying.safetensors"
    save_file(tensors, str(lying), metadata={"kind": "VAE", "config": json.dumps(V.VAE(784, 32, 2).config)})
    with pytest.raises(ValueError, match=re.escape(str(lying)) + ".*do not match"):
        V.load_checkpoint(lying)


def test_a_damaged_classifier_cache_names_the_file(tmp_path, monkeypatch):
    monkeypatch.setenv("AIGC_CACHE", str(tmp_path))
    monkeypatch.setattr(metrics, "_LOADED", {})
    path = tmp_path / "metrics" / f"{metrics.CLASSIFIER_VERSION}.safetensors"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"half a file")
    with pytest.raises(ValueError, match=re.escape(str(path)) + ".*delete the file"):
        metrics.get_digit_classifier(progress=False)


# ---------------------------------------------------------------------------------- valid edge cases


def test_negative_elbo_does_not_depend_on_the_batch_size():
    torch.manual_seed(0)
    model = V.VAE(784, 16, 2)
    images = torch.rand(7, 1, 28, 28, generator=torch.Generator().manual_seed(1))
    whole = V.negative_elbo(model, images, batch_size=500)
    # same draws in the same order, but batched matmuls may round differently: float32 rounding only
    assert V.negative_elbo(model, images, batch_size=1) == pytest.approx(whole, rel=1e-5)
    assert whole > 0


def test_frechet_distance_is_positive_for_different_distributions_and_zero_for_equal_ones():
    rng = np.random.default_rng(0)
    a = rng.normal(size=(5, 5))
    cov = a @ a.T / 5
    mu = rng.normal(size=5)
    assert metrics.frechet_distance(mu, cov, mu, cov) == pytest.approx(0.0, abs=1e-9)
    # same covariance, means 1e-3 apart: the mean term alone is 1e-6
    assert metrics.frechet_distance(mu, cov, mu + 1e-3 / math.sqrt(5), cov) == pytest.approx(1e-6, rel=1e-3)
    # same mean, covariance scaled by 4: tr(C) + 4 tr(C) - 2 * 2 tr(C) = tr(C)
    assert metrics.frechet_distance(mu, cov, mu, 4 * cov) == pytest.approx(np.trace(cov), rel=1e-9)
    # a singular (collapsed) covariance is a valid one
    assert metrics.frechet_distance(np.zeros(3), np.zeros((3, 3)), np.ones(3), EYE) == pytest.approx(6.0)


def test_frechet_distance_accepts_a_float32_covariance_with_rounding_asymmetry():
    features = torch.randn(50, 128, generator=torch.Generator().manual_seed(0))
    cov = torch.cov(features.T)                        # float32: symmetric and PSD only up to rounding
    cov_t = cov.T.contiguous() + torch.randn(128, 128, generator=torch.Generator().manual_seed(1)) * 1e-8
    mu = features.mean(0)
    value = metrics.frechet_distance(mu.numpy(), cov.numpy(), mu.numpy(), cov_t.numpy())
    assert 0 <= value < 1e-3


def test_valid_gan_edge_cases_still_work():
    torch.manual_seed(0)
    generator, discriminator = gan.make_gan("mlp", z_dim=4)
    two = torch.rand(2, 1, 28, 28)
    history = gan.train_gan(generator, discriminator, two, gan.GANConfig(steps=2, batch_size=1, lr_g=1.0, d_steps=0,
                                                                         log_every=10**6), progress=np.False_)
    assert history.step == [2]
    assert gan.sample(generator, n=1).shape == (1, 1, 28, 28)
    z0, z1 = gan.latents(2, 4, seed=0)
    assert gan.interpolate(generator, z0, z1, steps=2).shape == (2, 1, 28, 28)
    assert torch.allclose(gan.slerp(z0, z1, 0), z0, atol=1e-6) and torch.allclose(gan.slerp(z0, z1, 1.0), z1, atol=1e-5)
    assert gan.slerp(z0, z1, [0.0, 0.5]).shape == (2, 4)
    assert gan.d_loss(LOGITS, LOGITS, real_label=0.5000001).item() > 0
    assert gan.GANConfig(snapshot_steps=[0, 1000], betas=[0.0, 0.0]).snapshot_steps == (0, 1000)
    import matplotlib.pyplot as plt

    history = gan.train_gan(generator, discriminator, two, gan.GANConfig(steps=1, batch_size=2, snapshot_steps=(0, 1),
                                                                         n_snapshot=1), progress=False)
    plt.close(gan.show_snapshots(history, max_panels=1))


def test_valid_vae_and_metrics_edge_cases_still_work():
    torch.manual_seed(0)
    assert V.normal_grid(2).shape == (4, 2)
    assert V.quantize_latents(torch.zeros(3), 16).shape == (3,) and V.quantize_latents(torch.zeros(3), 1).shape == (3,)
    assert V.interpolate(VAE_2D, X[0].flatten(), X[1], steps=2).shape == (2, 1, 28, 28)  # a flat image still works
    assert VAE_2D.encode(X.flatten(1))[0].shape == (3, 2)                                # so does a flat batch
    assert V.sample(VAE_2D, 1).shape == (1, 1, 28, 28)
    assert V.latent_rate_distortion(VAE_2D, X, bits=[]) == []
    assert V.random_shift(X, 28).shape == X.shape
    coverage = metrics.class_coverage(TEN, CLASSIFIER, min_fraction=0)
    assert sum(coverage.histogram) == 10
    assert 0 <= metrics.classifier_accuracy(CLASSIFIER, TEN, list(range(10))) <= 1
    assert metrics.check_digit_images(TEN.numpy()).shape == TEN.shape

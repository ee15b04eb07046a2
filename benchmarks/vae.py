"""Benchmark for lesson 06: the article's MLP VAE vs. the lesson's convolutional VAE on MNIST-5k.

Both models are trained in this run with their recipes from :mod:`aigc_course.vae.recipes`
(4,000 training digits, 1,000 test digits, pixels in [0, 1], Bernoulli likelihood summed
per image). Figures, in nats per image unless stated:

- ``test_neg_elbo`` / ``test_neg_elbo_article_vae``: negative ELBO on the test split
  (closed-form KL, 10 Monte-Carlo draws of z per image);
- ``test_iwae_nll`` / ``test_iwae_nll_article_vae``: importance-weighted NLL with ``iwae_k`` draws,
  and ``bits_per_dim`` (= NLL / (784 ln 2));
- ``fid_vae``, ``coverage_vae``: classifier-feature FID of 1,000 prior samples against the
  test digits, and the classes they cover (:mod:`aigc_course.metrics`), with the real-data floor;
- ``denoise_*``, ``mask_*``: MSE per pixel against the clean test digits, before and after a
  denoising VAE (the article's MLP trained on corrupted inputs); ``*_plain_conv_vae``: after the
  plain convolutional VAE, which was never shown a damaged digit;
- speeds: medians of 5 runs.

Run: ``.venv/bin/python benchmarks/vae.py`` (``AIGC_FAST=1`` for a quick smoke run).
The last line of output is one JSON object.
"""

from __future__ import annotations

import json

import torch

from aigc_course import vae as V
from aigc_course.config import fast_or, seed_everything
from aigc_course.data import load_mnist5k
from aigc_course.vae.recipes import ARTICLE_RECIPE, BEST_RECIPE, make_article_vae, make_best_vae
from _common import MachineLoad, median_seconds


def _train(name: str, make, recipe: dict, xtr: torch.Tensor) -> tuple[V.BaseVAE, V.TrainHistory]:
    seed_everything(0)
    model = make()
    recipe = dict(recipe, epochs=fast_or(recipe["epochs"], 3))
    history = V.train_vae(model, xtr, seed=0, progress=True, **recipe)
    print(f"{name}: {recipe['epochs']} epochs in {history.seconds:.1f} s, final train loss {history.loss[-1]:.2f}",
          flush=True)
    return model, history


def main() -> dict:
    load = MachineLoad()
    torch.set_num_threads(min(2, torch.get_num_threads()))
    xtr, _ = load_mnist5k("train")
    xte, _ = load_mnist5k("test")
    if fast_or(False, True):
        xte = xte[:200]
    k = fast_or(200, 10)
    result: dict = {"fast_mode": fast_or(False, True), "train_images": len(xtr), "test_images": len(xte),
                    "torch_threads": torch.get_num_threads()}

    models = {}
    for name, make, recipe in (("article_vae", make_article_vae, ARTICLE_RECIPE),
                               ("conv_vae", make_best_vae, BEST_RECIPE)):
        model, history = _train(name, make, recipe, xtr)
        neg_elbo = V.negative_elbo(model, xte, samples=10, seed=1)
        iwae = V.iwae_nll(model, xte, k=k, seed=2)
        models[name] = model
        suffix = "" if name == "conv_vae" else "_article_vae"
        result.update({
            f"train_seconds{suffix}": round(history.seconds, 1),
            f"epochs{suffix}": len(history.loss),
            f"test_neg_elbo{suffix}": round(neg_elbo, 2),
            f"test_iwae_nll{suffix}": round(iwae.nll, 2),
            f"bits_per_dim{suffix}": round(iwae.bits_per_dim, 4),
            f"parameters{suffix}": sum(p.numel() for p in model.parameters()),
        })
        print(f"{name}: test -ELBO {neg_elbo:.2f}, IWAE NLL (k={k}) {iwae.nll:.2f} nats/image", flush=True)
    result["iwae_k"] = k
    result["neg_elbo_gain_over_article_vae"] = round(result["test_neg_elbo_article_vae"] - result["test_neg_elbo"], 2)
    result["iwae_gain_over_article_vae"] = round(result["test_iwae_nll_article_vae"] - result["test_iwae_nll"], 2)

    # sample quality through the digit classifier's eyes
    from aigc_course.metrics import class_coverage, classifier_fid, fid_real_floor, get_digit_classifier

    classifier = get_digit_classifier(progress=False)
    g = torch.Generator().manual_seed(3)
    for name, model in models.items():
        samples = V.sample(model, len(xte), g)
        coverage = class_coverage(samples, classifier)
        suffix = "" if name == "conv_vae" else "_article_vae"
        result[f"fid_vae{suffix}"] = round(classifier_fid(samples, xte, classifier), 2)
        result[f"coverage_vae{suffix}"] = coverage.classes_covered
        result[f"coverage_kl_from_uniform{suffix}"] = round(coverage.kl_from_uniform, 4)
    result["fid_real_floor"] = round(fid_real_floor(classifier), 2)

    # denoising, sigma 0.3 noise and a blanked 9x9 patch: the plain conv VAE, and a denoising VAE
    # (the article's MLP trained on corrupted inputs against clean targets, as in the notebook)
    best = models["conv_vae"]
    seed_everything(0)
    denoiser = make_article_vae()
    history = V.train_vae(denoiser, xtr, epochs=fast_or(40, 2), corrupt=V.mixed_corruption, seed=0)
    noisy = V.add_gaussian_noise(xte, 0.3, torch.Generator().manual_seed(4))
    masked_images = V.mask_patch(xte, 9, torch.Generator().manual_seed(5))
    plain = V.denoise(best, noisy, xte)
    gaussian = V.denoise(denoiser, noisy, xte)
    masked = V.denoise(denoiser, masked_images, xte)
    result.update(denoise_sigma=0.3, denoise_mse_noisy=round(gaussian.mse_noisy, 5),
                  denoise_mse_reconstructed=round(gaussian.mse_reconstructed, 5),
                  denoise_mse_plain_conv_vae=round(plain.mse_reconstructed, 5),
                  denoise_train_seconds=round(history.seconds, 1),
                  mask_size=9, mask_mse_masked=round(masked.mse_noisy, 5),
                  mask_mse_reconstructed=round(masked.mse_reconstructed, 5),
                  mask_mse_plain_conv_vae=round(V.denoise(best, masked_images, xte).mse_reconstructed, 5))

    # compression: bits of a quantised latent code vs. PNG
    points = V.latent_rate_distortion(best, xte, bits=(2, 4, 6))
    result["latent_code_bits_mse"] = {p.bits_per_image: round(p.mse, 5) for p in points}
    result["png_bits_per_image"] = round(V.png_bits(xte), 1)
    result["raw_bits_per_image"] = 784 * 8

    # speed (medians of 5 runs)
    for name, model in models.items():
        seconds = median_seconds(lambda: V.reconstruct(model, xte), 5)[0]
        result[f"reconstruct_images_per_second_{name}"] = round(len(xte) / seconds)
        seconds = median_seconds(lambda: V.sample(model, 1000, torch.Generator().manual_seed(0)), 5)[0]
        result[f"sample_images_per_second_{name}"] = round(1000 / seconds)
    result["load_average"] = load.record()
    return result


if __name__ == "__main__":
    figures = main()
    print(json.dumps(figures))

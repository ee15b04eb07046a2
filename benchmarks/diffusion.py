"""Benchmark for lesson 07: diffusion on MNIST-5k beside lesson 05's DCGAN and lesson 06's VAE.

Trains the lesson's pixel-space U-Net and its latent model (on the codes of lesson 06's
convolutional VAE) with the lesson's recipes (:mod:`aigc_course.diffusion.recipes`), then
measures 1,000 samples of each generator against the 1,000 real test digits with the shared
digit classifier: classifier-feature FID (beside the real-train-vs-real-test floor), digits
covered, and for the conditional models the share of samples that are the digit asked for,
guided (scale ``GUIDANCE_SCALE``) and unguided (scale 1). The DCGAN and the VAE come from the
cache when lessons 05 and 06 kept them there, else they are trained here with the same recipes.

Run:  .venv/bin/python benchmarks/diffusion.py        (AIGC_FAST=1 for a quick pass)
      .venv/bin/python benchmarks/diffusion.py --unet-seconds 900 --curve aigc_course/data/diffusion_long_run.json
      (a longer, time-budgeted U-Net run; its FID is measured at the checkpoints and saved as a curve)
Prints one JSON object on its last line.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import torch

from aigc_course import gan
from aigc_course.config import get_device, is_fast
from aigc_course.data import load_mnist5k
from aigc_course.diffusion import recipes, train_denoiser
from aigc_course.diffusion.evaluate import measure, requested_digits, sample_digits
from aigc_course.diffusion.latent import decode_codes, vae_codes
from aigc_course.diffusion.rivals import lesson05_dcgan, lesson06_conv_vae
from aigc_course.metrics import fid_real_floor, get_digit_classifier
from aigc_course import vae as V
from _common import MachineLoad, write_json

N_SAMPLES = 1000


def rounded(quality) -> dict:
    return {"fid": round(quality.fid, 2), "covered": quality.covered,
            "asked": None if quality.asked is None else round(quality.asked, 4), "seconds": round(quality.seconds, 2)}


def main() -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--unet-seconds", type=float, default=None,
                        help="train the U-Net for this many seconds instead of the lesson's steps")
    parser.add_argument("--checkpoints", type=int, default=6, help="FID measurements along a --unet-seconds run")
    parser.add_argument("--curve", type=Path, default=None, help="write the long run's FID curve here (JSON)")
    args = parser.parse_args()

    load = MachineLoad()
    torch.manual_seed(0)
    train_images, train_labels = load_mnist5k("train")
    test_images, _ = load_mnist5k("test")
    classifier = get_digit_classifier(progress=False)
    requested = requested_digits(N_SAMPLES)
    guided = dict(guidance_scale=recipes.GUIDANCE_SCALE, sampling_steps=recipes.DDIM_STEPS)

    def quality(model, **settings):
        images, seconds = sample_digits(model, requested, **dict(guided, **settings))
        return measure(images, test_images, classifier, requested, seconds)

    result: dict = {"device": str(get_device()), "fast_mode": is_fast(), "torch_threads": torch.get_num_threads(),
                    "n_samples": N_SAMPLES, "fid_real_floor": round(fid_real_floor(classifier), 3),
                    "guidance_scale": recipes.GUIDANCE_SCALE, "ddim_steps": recipes.DDIM_STEPS}

    dcgan = lesson05_dcgan(train_images, progress=False)
    images = gan.sample(dcgan.model, N_SAMPLES, seed=1234)
    q = measure(images, test_images, classifier)
    result.update(fid_dcgan=round(q.fid, 2), coverage_dcgan=q.covered, train_seconds_dcgan=round(dcgan.train_seconds, 1),
                  dcgan_from_cache=dcgan.reused)
    conv_vae = lesson06_conv_vae(train_images, progress=False)
    images = V.sample(conv_vae.model, N_SAMPLES, torch.Generator().manual_seed(1))
    q = measure(images, test_images, classifier)
    result.update(fid_conv_vae=round(q.fid, 2), coverage_conv_vae=q.covered,
                  train_seconds_conv_vae=round(conv_vae.train_seconds, 1), conv_vae_from_cache=conv_vae.reused)

    # the pixel-space U-Net
    torch.manual_seed(0)
    unet, ema = recipes.with_ema(recipes.make_unet())
    curve: list[dict] = []
    settings = dict(recipes.UNET_RECIPE)
    if args.unet_seconds is None:
        history = train_denoiser(unet, recipes.SCHEDULE, train_images * 2 - 1, train_labels, ema=ema,
                                 steps=recipes.unet_steps(), progress=False, **settings)
    else:
        marks = [args.unet_seconds * (k + 1) / args.checkpoints for k in range(args.checkpoints)]

        def checkpoint(history) -> None:
            if marks and history.seconds[-1] >= marks[0]:
                marks.pop(0)
                q = quality(ema)
                curve.append({"train_seconds": round(history.seconds[-1], 1), "steps": history.steps[-1],
                              "loss": round(sum(history.train_loss[-100:]) / 100, 5), **rounded(q)})
                print(curve[-1], flush=True)

        history = train_denoiser(unet, recipes.SCHEDULE, train_images * 2 - 1, train_labels, ema=ema,
                                 steps=10**6, max_seconds=args.unet_seconds, callback=checkpoint, log_every=20,
                                 progress=False, **settings)
    q = quality(ema)
    unguided = quality(ema, guidance_scale=1.0)
    result.update(train_seconds_diffusion=round(history.train_seconds, 1), steps_diffusion=len(history.steps),
                  ms_per_step_diffusion=round(1000 * history.train_seconds / len(history.steps), 1),
                  fid_diffusion=round(q.fid, 2), coverage_diffusion=q.covered,
                  sample_seconds_per_1000_ddim=round(q.seconds * 1000 / N_SAMPLES, 2),
                  asked_guided_diffusion=round(q.asked, 4), asked_unguided_diffusion=round(unguided.asked, 4),
                  fid_unguided_diffusion=round(unguided.fid, 2))

    # latent diffusion on the VAE's codes
    codes = vae_codes(conv_vae.model, train_images)
    torch.manual_seed(0)
    denoiser, latent_ema = recipes.with_ema(recipes.make_latent_denoiser())
    latent_history = train_denoiser(denoiser, recipes.SCHEDULE, codes.codes, train_labels, ema=latent_ema,
                                    steps=recipes.latent_steps(), progress=False, **recipes.LATENT_RECIPE)
    decode = lambda z: decode_codes(conv_vae.model, z, codes.scale)  # noqa: E731
    latent = dict(decode=decode, shape=(codes.codes.shape[1],))
    q = quality(latent_ema, **latent)
    unguided = quality(latent_ema, guidance_scale=1.0, **latent)
    result.update(train_seconds_latent=round(latent_history.train_seconds, 1), fid_latent=round(q.fid, 2),
                  coverage_latent=q.covered, sample_seconds_per_1000_latent=round(q.seconds * 1000 / N_SAMPLES, 3),
                  asked_guided_latent=round(q.asked, 4), asked_unguided_latent=round(unguided.asked, 4))
    if curve:
        result["curve"] = curve
    if args.curve is not None:
        write_json(args.curve, {"model": "lesson 07 U-Net (recipes.make_unet, UNET_RECIPE)",
                                "params": sum(p.numel() for p in unet.parameters()),
                                "sampling": f"DDIM {recipes.DDIM_STEPS} steps, guidance {recipes.GUIDANCE_SCALE}, "
                                            f"{N_SAMPLES} samples", "fid_dcgan": result["fid_dcgan"],
                                "fid_real_floor": result["fid_real_floor"], "curve": curve,
                                "load_average": load.record()})
    result["load_average"] = load.record()
    return result


if __name__ == "__main__":
    import json

    started = time.perf_counter()
    figures = main()
    figures["total_seconds"] = round(time.perf_counter() - started, 1)
    print(json.dumps(figures))

"""Benchmark for lesson 05: GAN training speed and sample quality on MNIST-5k.

Trains the article's MLP GAN and the DCGAN with the lesson's settings
(:func:`aigc_course.gan.lesson_config`), then measures 1,000 samples of each against
the 1,000 real test digits with the shared digit classifier: classifier-feature FID
(beside the real-train-vs-real-test floor) and class coverage. Speed: median
milliseconds per training step over several short runs, and the full training time
(wall clock, and process CPU time, which is less distorted when the machine is shared).

Run:  .venv/bin/python benchmarks/gan.py        (AIGC_FAST=1 for a quick pass)
Prints one JSON object on its last line.
"""

from __future__ import annotations

import json
import os
import statistics
import time

import torch

from aigc_course.config import get_device, is_fast
from aigc_course.data import load_mnist5k
from aigc_course.gan import GANConfig, lesson_config, make_gan, sample, train_gan
from aigc_course.metrics import class_coverage, classifier_accuracy, classifier_fid, fid_real_floor, get_digit_classifier
from _common import MachineLoad

N_SAMPLES = 1000


def ms_per_step(kind: str, images: torch.Tensor, steps: int = 30, repeats: int = 3) -> float:
    """Median wall-clock milliseconds per training step (batch 64) over ``repeats`` short runs."""
    times = []
    for repeat in range(repeats):
        torch.manual_seed(repeat)
        generator, discriminator = make_gan(kind)
        history = train_gan(generator, discriminator, images, GANConfig(steps=steps, seed=repeat), progress=False)
        times.append(1000 * history.seconds / steps)
    return statistics.median(times)


def main() -> dict:
    load = MachineLoad()
    device = get_device()
    train_images, _ = load_mnist5k("train")
    test_images, test_labels = load_mnist5k("test")

    start = time.perf_counter()
    classifier = get_digit_classifier(progress=False)  # trained once and cached; a measuring instrument
    classifier_seconds = time.perf_counter() - start
    result: dict = {
        "device": str(device),
        "fast_mode": is_fast(),
        "torch_threads": torch.get_num_threads(),
        "classifier_test_accuracy": round(classifier_accuracy(classifier, test_images, test_labels), 4),
        "classifier_load_or_train_seconds": round(classifier_seconds, 2),
        "fid_real_floor": round(fid_real_floor(classifier), 3),
        "n_samples": N_SAMPLES,
        "train_seconds": {},
        "train_cpu_seconds": {},  # process CPU time, all threads: less sensitive to other load than wall time
        "ms_per_step_median": {},
        "steps": {},
    }
    for kind in ("mlp", "dcgan"):
        result["ms_per_step_median"][kind] = round(ms_per_step(kind, train_images), 2)
        torch.manual_seed(0)
        generator, discriminator = make_gan(kind)
        config = lesson_config(kind, snapshot_steps=())
        cpu_start = time.process_time()
        history = train_gan(generator, discriminator, train_images, config, progress=False)
        result["train_cpu_seconds"][kind] = round(time.process_time() - cpu_start, 2)
        samples = sample(generator, N_SAMPLES, seed=1234)
        coverage = class_coverage(samples, classifier)
        result["steps"][kind] = config.steps
        result["train_seconds"][kind] = round(history.seconds, 2)
        result[f"fid_{kind}"] = round(classifier_fid(samples, test_images, classifier), 3)
        result[f"coverage_{kind}"] = coverage.classes_covered
        result[f"kl_from_uniform_{kind}"] = round(coverage.kl_from_uniform, 4)
        result[f"histogram_{kind}"] = coverage.histogram
        result[f"final_d_real_{kind}"] = round(history.d_real[-1], 3)
        result[f"final_d_fake_{kind}"] = round(history.d_fake[-1], 3)
    # ratios measured in this run: how far above the real-data floor each GAN is, and DCGAN vs MLP
    result["fid_ratio_mlp_to_floor"] = round(result["fid_mlp"] / result["fid_real_floor"], 2)
    result["fid_ratio_dcgan_to_floor"] = round(result["fid_dcgan"] / result["fid_real_floor"], 2)
    result["fid_ratio_dcgan_to_mlp"] = round(result["fid_dcgan"] / result["fid_mlp"], 3)
    result["step_cost_ratio_dcgan_to_mlp"] = round(result["ms_per_step_median"]["dcgan"] / result["ms_per_step_median"]["mlp"], 2)
    result["load_average"] = load.record()
    return result


if __name__ == "__main__":
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    print(json.dumps(main()))

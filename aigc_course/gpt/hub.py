"""Saving and loading GPTs as ordinary Hugging Face model folders (safetensors), offline first.

A folder written by :func:`save_pretrained` holds ``config.json`` and ``model.safetensors``
exactly as ``transformers.GPT2LMHeadModel.save_pretrained`` writes them (plus
``char_vocab.json`` for a character model), so ``GPT2LMHeadModel.from_pretrained(folder)``
opens it too. :func:`load_pretrained` reads such a folder, or, only with the online
opt-in, a model name on the Hugging Face Hub such as ``"gpt2"``.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from ..config import cache_dir, require_online
from .chars import VOCAB_FILE, CharTokenizer
from .model import GPT, from_hf_model, to_hf_model

#: Where the course keeps the Shakespeare GPT trained in notebook 03.
def default_model_dir() -> Path:
    """``<cache>/models/shakespeare-char-gpt``: the folder notebook 03 saves its trained model to."""
    return cache_dir() / "models" / "shakespeare-char-gpt"


def save_pretrained(model: GPT, folder: str | os.PathLike, tokenizer: CharTokenizer | None = None) -> Path:
    """Write ``model`` (and a character tokenizer) as a Hugging Face GPT-2 folder; returns the folder.

    The folder is written next to its final place and then moved in, so a crash never
    leaves half a model behind; an existing folder of the same name is replaced.
    """
    if not isinstance(model, GPT):
        raise TypeError(f"model must be an aigc_course.gpt.GPT, got {type(model).__name__}")
    target = Path(folder)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        to_hf_model(model).cpu().save_pretrained(staging, safe_serialization=True)
        if tokenizer is not None:
            tokenizer.save(staging)
        if target.exists():
            old = target.with_name(f".{target.name}-old")
            shutil.rmtree(old, ignore_errors=True)
            target.rename(old)
            staging.rename(target)
            shutil.rmtree(old, ignore_errors=True)
        else:
            staging.rename(target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


def _looks_like_path(name: str) -> bool:
    return os.sep in name or "\\" in name or name.startswith(".") or name.startswith("~") or Path(name).is_absolute()


def _hub_name_or_folder(name_or_path: str | os.PathLike) -> tuple[Path | None, str | None]:
    if not isinstance(name_or_path, (str, os.PathLike)) or not str(name_or_path).strip():
        raise ValueError(f"name_or_path must be a folder or a Hub model name such as 'gpt2', got {name_or_path!r}")
    path = Path(name_or_path).expanduser()
    if path.is_dir():
        return path, None
    name = str(name_or_path)
    if isinstance(name_or_path, os.PathLike) or _looks_like_path(name) or name.count("/") > 1:
        raise FileNotFoundError(f"model folder {path} does not exist")
    return None, name


_OFFLINE_INSTEAD = (f"a local folder written by aigc_course.gpt.save_pretrained, e.g. the Shakespeare model "
                    f"that notebook 03 trains and saves (aigc_course.gpt.default_model_dir())")


def load_pretrained(name_or_path: str | os.PathLike, device: str | None = None) -> GPT:
    """Load a GPT-2 into our written-out :class:`~aigc_course.gpt.model.GPT`.

    - A local folder (ours or any ``GPT2LMHeadModel`` folder) always works offline.
    - A Hub name such as ``"gpt2"`` needs ``AIGC_ONLINE=1``; offline it raises
      :class:`aigc_course.config.OfflineError` at once, saying how to opt in and which
      local model to use instead (no silent empty model, no waiting on the network).
    """
    folder, hub_name = _hub_name_or_folder(name_or_path)
    if hub_name is not None:  # decide before importing transformers, so the offline answer is instant
        require_online(f"the pretrained {hub_name!r} weights", instead=_OFFLINE_INSTEAD)
    from transformers import GPT2LMHeadModel

    if folder is not None:
        if not (folder / "config.json").is_file():
            raise FileNotFoundError(f"{folder} has no config.json: it is not a saved model folder")
        hf_model = GPT2LMHeadModel.from_pretrained(folder, local_files_only=True)
    else:
        hf_model = GPT2LMHeadModel.from_pretrained(hub_name)
    model = from_hf_model(hf_model).eval()
    return model.to(device) if device is not None else model


def load_tokenizer(name_or_path: str | os.PathLike):
    """The tokenizer that belongs to a model: a :class:`CharTokenizer` for our character
    models, otherwise a ``GPT2TokenizerFast`` (a Hub name needs ``AIGC_ONLINE=1``)."""
    folder, hub_name = _hub_name_or_folder(name_or_path)
    if folder is not None and (folder / VOCAB_FILE).is_file():
        return CharTokenizer.load(folder)
    if hub_name is not None:
        require_online(f"the {hub_name!r} tokenizer", instead="aigc_course.data.load_gpt2_tokenizer() (GPT-2's "
                       "real tokenizer, installed with the course) or " + _OFFLINE_INSTEAD)
    from transformers import GPT2TokenizerFast

    if folder is not None:
        tokenizer = GPT2TokenizerFast.from_pretrained(folder, local_files_only=True)
    else:
        tokenizer = GPT2TokenizerFast.from_pretrained(hub_name)
    if len(tokenizer) <= 1:  # transformers 5 can silently build an empty tokenizer
        raise RuntimeError(f"the tokenizer from {name_or_path} is empty ({len(tokenizer)} tokens)")
    return tokenizer

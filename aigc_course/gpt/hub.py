"""Saving and loading GPTs as ordinary Hugging Face model folders (safetensors), offline first.

A folder written by :func:`save_pretrained` holds ``config.json`` and ``model.safetensors``
exactly as ``transformers.GPT2LMHeadModel.save_pretrained`` writes them (plus
``char_vocab.json`` for a character model), so ``GPT2LMHeadModel.from_pretrained(folder)``
opens it too. :func:`load_pretrained` reads such a folder, or, only with the online
opt-in, a model id on the Hugging Face Hub such as ``"gpt2"`` or ``"openai-community/gpt2"``.

A name is a local path when it exists on disk or is written like one (it starts with
``./``, ``../``, ``/``, ``~`` or a drive letter such as ``C:``, or holds a backslash);
anything else of the form ``name`` or ``organisation/name`` is a Hub id.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from ..config import cache_dir, require_online
from ..validate import check_path
from .chars import VOCAB_FILE, CharTokenizer
from .config import GPTConfig
from .model import _IGNORED, GPT, from_hf_model, to_hf_model

if TYPE_CHECKING:
    import torch
    from transformers import GPT2Config

#: A Hugging Face Hub model id: ``name`` or ``organisation/name`` (letters, digits, ``-``, ``_``, ``.``).
_HUB_ID = re.compile(r"[A-Za-z0-9][\w.-]{0,95}(/[A-Za-z0-9][\w.-]{0,95})?")
#: Files that can hold a model folder's weights, in the order transformers prefers them.
WEIGHT_FILES = ("model.safetensors", "model.safetensors.index.json", "pytorch_model.bin")

#: Where the course keeps the Shakespeare GPT trained in notebook 04.
def default_model_dir() -> Path:
    """``<cache>/models/shakespeare-char-gpt``: the folder notebook 04 saves its trained model to."""
    return cache_dir() / "models" / "shakespeare-char-gpt"


def save_pretrained(model: GPT, folder: str | os.PathLike, tokenizer: CharTokenizer | None = None) -> Path:
    """Write ``model`` (and a character tokenizer) as a Hugging Face GPT-2 folder; returns the folder.

    The folder is written next to its final place and then moved in, so a crash never
    leaves half a model behind; an existing folder of the same name is replaced.
    ``tokenizer`` (optional) is a :class:`CharTokenizer` whose ids fit the model's vocabulary.
    """
    if not isinstance(model, GPT):
        raise TypeError(f"model must be an aigc_course.gpt.GPT, got {type(model).__name__}")
    target = check_path(folder, "folder").expanduser()
    if tokenizer is not None:
        if not isinstance(tokenizer, CharTokenizer):
            raise TypeError(f"tokenizer must be a CharTokenizer or None, got {type(tokenizer).__name__}")
        if len(tokenizer) > model.config.vocab_size:
            raise ValueError(f"tokenizer has {len(tokenizer)} characters but the model's vocabulary only "
                             f"{model.config.vocab_size} ids: they do not belong together")
    if target.exists() and not target.is_dir():
        raise NotADirectoryError(f"{target} is a file; give the folder to write the model into")
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


def _written_like_a_path(name: str) -> bool:
    """``./x``, ``../x``, ``/x``, ``~/x``, ``C:\\x``, ``.`` or anything with a backslash: meant as a path."""
    return (name in (".", "..") or name.startswith(("./", "../", "/", "~")) or "\\" in name
            or re.match(r"[A-Za-z]:", name) is not None)


def _hub_name_or_folder(name_or_path: str | os.PathLike) -> tuple[Path | None, str | None]:
    """``(folder, None)`` for a local path, ``(None, hub_id)`` for a Hub id; the path need not exist yet
    only when it is a Hub id."""
    if not isinstance(name_or_path, (str, os.PathLike)):
        raise TypeError(f"name_or_path must be a folder (str or pathlib.Path) or a Hub model id such as "
                        f"'gpt2', got {type(name_or_path).__name__} {name_or_path!r}")
    name = os.fspath(name_or_path)
    if not isinstance(name, str) or not name.strip():
        raise ValueError(f"name_or_path must be a folder or a Hub model id such as 'gpt2', got {name_or_path!r}")
    path = Path(name).expanduser()
    try:
        exists = path.exists()
    except (OSError, ValueError):  # e.g. a NUL character or a name too long for the file system
        exists = False
    if exists or isinstance(name_or_path, os.PathLike) or _written_like_a_path(name):
        if not exists:
            raise FileNotFoundError(f"model folder {path} does not exist")
        if not path.is_dir():
            raise NotADirectoryError(f"{path} is a file; give the folder that holds config.json")
        return path, None
    if _HUB_ID.fullmatch(name) is None or ".." in name or "--" in name:
        raise FileNotFoundError(f"model folder {path} does not exist, and {name!r} is not a Hub model id "
                                f"such as 'gpt2' or 'openai-community/gpt2'")
    return None, name


_OFFLINE_INSTEAD = (f"a local folder written by aigc_course.gpt.save_pretrained, e.g. the Shakespeare model "
                    f"that notebook 04 trains and saves (aigc_course.gpt.default_model_dir())")


def load_pretrained(name_or_path: str | os.PathLike, device: "str | torch.device | None" = None) -> GPT:
    """Load a GPT-2 into our written-out :class:`~aigc_course.gpt.model.GPT`.

    - A local folder (ours or any ``GPT2LMHeadModel`` folder) always works offline. A
      damaged ``config.json`` or weights file raises ``ValueError`` naming the file, and
      so does a weights file that lacks some of the model's tensors (transformers would
      fill them with random numbers).
    - A Hub id such as ``"gpt2"`` or ``"openai-community/gpt2"`` needs ``AIGC_ONLINE=1``;
      offline it raises :class:`aigc_course.config.OfflineError` at once, saying how to opt
      in and which local model to use instead (no silent empty model, no waiting on the network).

    ``device``: where to put the model (``"cpu"``, ``"cuda"``, ...; ``None`` leaves it on the CPU).
    """
    folder, hub_name = _hub_name_or_folder(name_or_path)
    device = _check_device(device)
    if hub_name is not None:  # decide before importing transformers, so the offline answer is instant
        require_online(f"the pretrained {hub_name!r} weights (no local folder of that name exists)",
                       instead=_OFFLINE_INSTEAD)
    from transformers import GPT2LMHeadModel

    if folder is not None:
        hf_config = _read_config(folder)
        weights = next((folder / name for name in WEIGHT_FILES if (folder / name).is_file()), None)
        if weights is None:
            raise FileNotFoundError(f"{folder} has no weights file (one of {', '.join(WEIGHT_FILES)})")
        try:
            hf_model, info = GPT2LMHeadModel.from_pretrained(folder, config=hf_config, local_files_only=True,
                                                             output_loading_info=True)
        except Exception as error:  # any failure to parse the file means it is damaged
            raise ValueError(f"{weights} is damaged or does not fit {folder / 'config.json'}: "
                             f"{type(error).__name__}: {str(error)[:300]}") from error
        source = str(weights)
    else:
        hf_model, info = GPT2LMHeadModel.from_pretrained(hub_name, output_loading_info=True)
        source = f"the Hub model {hub_name!r}"
    missing = sorted(k for k in info.get("missing_keys", ()) if not k.endswith(_IGNORED) and k != "lm_head.weight")
    if missing or info.get("mismatched_keys") or info.get("error_msgs"):
        raise ValueError(f"{source} is incomplete or damaged: missing tensors {missing[:5]}, wrong shapes "
                         f"{sorted(info.get('mismatched_keys') or ())[:5]}, errors {list(info.get('error_msgs') or ())[:3]}")
    model = from_hf_model(hf_model).eval()
    return model.to(device) if device is not None else model


def _check_device(device: object) -> "str | torch.device | None":
    """``device`` if torch understands it (``None``, ``"cpu"``, ``"cuda:0"``, a ``torch.device``)."""
    import torch

    if device is None or isinstance(device, torch.device):
        return device
    if not isinstance(device, str):
        raise TypeError(f"device must be a str such as 'cpu' or 'cuda', a torch.device or None, got "
                        f"{type(device).__name__} {device!r}")
    try:
        torch.device(device)
    except (RuntimeError, ValueError):
        raise ValueError(f"device must be a device name such as 'cpu', 'cuda' or 'cuda:0', got {device!r}") from None
    return device


def _read_config(folder: Path) -> "GPT2Config":
    """The folder's ``config.json`` as a ``GPT2Config`` this model supports; ``ValueError`` naming the file if not."""
    from transformers import GPT2Config

    path = folder / "config.json"
    if not path.is_file():
        raise FileNotFoundError(f"{folder} has no config.json: it is not a saved model folder")
    try:
        hf_config = GPT2Config.from_pretrained(folder, local_files_only=True)
    except Exception as error:  # not JSON, not an object, fields of the wrong type...
        raise ValueError(f"{path} is damaged: {type(error).__name__}: {str(error)[:300]}") from error
    try:
        GPTConfig.from_hf(hf_config)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{path} does not describe a GPT-2 this course's GPT can load: {error}") from error
    return hf_config


def load_tokenizer(name_or_path: str | os.PathLike):
    """The tokenizer that belongs to a model: a :class:`CharTokenizer` for our character
    models, otherwise a ``GPT2TokenizerFast`` (a Hub id needs ``AIGC_ONLINE=1``)."""
    folder, hub_name = _hub_name_or_folder(name_or_path)
    if folder is not None and (folder / VOCAB_FILE).is_file():
        return CharTokenizer.load(folder)
    if hub_name is not None:
        require_online(f"the {hub_name!r} tokenizer (no local folder of that name exists)", instead="aigc_course.data.load_gpt2_tokenizer() (GPT-2's "
                       "real tokenizer, installed with the course) or " + _OFFLINE_INSTEAD)
    from transformers import GPT2TokenizerFast

    if folder is not None:
        try:
            tokenizer = GPT2TokenizerFast.from_pretrained(folder, local_files_only=True)
        except Exception as error:  # a damaged tokenizer.json / vocab.json / merges.txt
            raise ValueError(f"the tokenizer files in {folder} are damaged or missing: "
                             f"{type(error).__name__}: {str(error)[:300]}") from error
    else:
        tokenizer = GPT2TokenizerFast.from_pretrained(hub_name)
    if len(tokenizer) <= 1:  # transformers 5 can silently build an empty tokenizer
        raise RuntimeError(f"the tokenizer from {name_or_path} is empty ({len(tokenizer)} tokens)")
    return tokenizer

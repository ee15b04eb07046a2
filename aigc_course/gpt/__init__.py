"""GPT-2 written out in PyTorch, trained on a CPU, saved as an ordinary Hugging Face folder.

- :mod:`.config`   ``GPTConfig`` (sizes) <-> ``transformers.GPT2Config``
- :mod:`.model`    the model itself, and weight conversion to/from ``GPT2LMHeadModel``
- :mod:`.chars`    a character tokenizer (losses in nats per character)
- :mod:`.compare`  the GPT against n-grams: loss by position in the window, copying
- :mod:`.hub`      ``save_pretrained`` / ``load_pretrained`` (offline first)
- :mod:`.recipes`  the course's Shakespeare configurations

It trains and is scored with the course's one loop and evaluation for sequence models,
:mod:`aigc_course.neural_lm.train` and :mod:`aigc_course.neural_lm.evaluate`, exported here too;
its held-out figure is :func:`aigc_course.per_char.nats_per_char`, as for every course model.
"""

from ..neural_lm.evaluate import token_losses
from ..neural_lm.train import History, TrainConfig, learning_rate_at, train
from .chars import CharTokenizer
from .config import GPTConfig
from .hub import default_model_dir, load_pretrained, load_tokenizer, save_pretrained
from .model import GPT, from_hf_model, hf_to_ours, ours_to_hf, to_hf_model

__all__ = [
    "CharTokenizer", "GPTConfig", "GPT", "from_hf_model", "to_hf_model", "hf_to_ours", "ours_to_hf",
    "TrainConfig", "History", "train", "learning_rate_at", "token_losses",
    "save_pretrained", "load_pretrained", "load_tokenizer", "default_model_dir",
]

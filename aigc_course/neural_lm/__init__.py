"""The neural-language-model lesson's package (between n-grams and GPT-2): models and the training loop.

- :mod:`~aigc_course.neural_lm.autodiff`: backpropagation written out, on single numbers.
- :mod:`~aigc_course.neural_lm.models`: a bigram table of logits, Bengio's MLP, an RNN
  written out, and PyTorch's GRU/LSTM, all with the interface of the course's GPT.
- :mod:`~aigc_course.neural_lm.bigram`: the counted bigram of lesson 02, found by gradient descent.
- :mod:`~aigc_course.neural_lm.train`: the course's one training loop for sequence models
  (the GPT lesson trains with it too).
"""

from .autodiff import Scalar, scalars
from .bigram import add_k_bigram, fit_bigram, pair_counts, pseudo_count_loss
from .models import MLPLM, BigramLM, RecurrentLM, RNNCell
from .train import History, TrainConfig, learning_rate_at, train

__all__ = ["Scalar", "scalars", "BigramLM", "MLPLM", "RNNCell", "RecurrentLM", "pair_counts", "add_k_bigram",
           "pseudo_count_loss", "fit_bigram", "TrainConfig", "History", "train", "learning_rate_at"]

"""Bad input to the GPT lesson's public functions: a clear TypeError/ValueError naming the parameter.

Each row is (callable, kwargs, error type, fragment the message must contain); the
fragment is the parameter's name (or the file's), so a message that does not say what
was wrong fails. Valid edge cases and damaged files are tested below the tables.
"""

import functools
import json
import math

import numpy as np
import pytest
import torch

from aigc_course.gpt import (GPT, CharTokenizer, GPTConfig, TrainConfig, from_hf_model, hf_to_ours, learning_rate_at,
                             load_pretrained, load_tokenizer, ours_to_hf, save_pretrained, to_hf_model, token_losses,
                             train)
from aigc_course.gpt.compare import CopyDetector, gpt_loss_by_position, ngram_loss_by_position, window_starts
from aigc_course.gpt.parity import max_logit_difference
from aigc_course.gpt.recipes import long_training, train_shakespeare_gpt
from aigc_course.gpt.show import attention_maps, plot_attention, plot_loss_vs_seconds, plot_next_token_cuts
from aigc_course.gpt.tokenization import chars_per_token, count_tokens, train_byte_bpe
from aigc_course.neural_lm.train import estimate_val_loss, random_windows
from aigc_course.per_char import bits_per_char, nats_per_char
from aigc_course.sampling import (MAX_NEW_TOKENS, MIN_TEMPERATURE, apply_temperature, apply_top_k, apply_top_p,
                                  check_sampling_settings, generate, kept_tokens, next_token, process_logits,
                                  sample_text)
from aigc_course.widgets.gpt import decoding_widget

NAN, INF = float("nan"), float("inf")


@functools.lru_cache(maxsize=None)
def tok() -> CharTokenizer:
    return CharTokenizer.from_text("abc de\n")  # 7 characters


@functools.lru_cache(maxsize=None)
def model() -> GPT:
    torch.manual_seed(0)
    return GPT(GPTConfig(vocab_size=7, n_positions=16, n_embd=8, n_layer=2, n_head=2)).eval()


def stream(n=100, high=7):
    return torch.randint(0, high, (n,), generator=torch.Generator().manual_seed(0))


def detector() -> CopyDetector:
    return CopyDetector("the quick brown fox\n")


def logits(*shape):
    return torch.randn(*shape or (2, 7), generator=torch.Generator().manual_seed(0))


def call(method_of, name):
    """A method of an object made on demand (so that building fixtures is part of the test)."""
    return lambda **kwargs: getattr(method_of(), name)(**kwargs)


def forward(**kwargs):
    return model()(**kwargs)


TEXT = "abc de\n" * 4  # 28 characters


CHARS = [
    (CharTokenizer, dict(chars=5), TypeError, "chars"),
    (CharTokenizer, dict(chars=["ab", "c"]), ValueError, "chars"),
    (CharTokenizer, dict(chars=[1, "a"]), ValueError, "chars"),
    (CharTokenizer, dict(chars=""), ValueError, "chars"),
    (CharTokenizer.from_text, dict(text=b"abc"), TypeError, "text"),
    (CharTokenizer.from_text, dict(text=""), ValueError, "text"),
    (call(tok, "encode"), dict(text=["a"]), TypeError, "text"),
    (call(tok, "encode"), dict(text="abz"), ValueError, "'z'"),
    (call(tok, "encode_tensor"), dict(text=None), TypeError, "text"),
    (call(tok, "decode"), dict(ids=[-1]), ValueError, "ids"),  # used to decode as the last character
    (call(tok, "decode"), dict(ids=[0, 7]), ValueError, "ids"),
    (call(tok, "decode"), dict(ids=torch.tensor([-1])), ValueError, "ids"),
    (call(tok, "decode"), dict(ids=torch.zeros(2, 2, dtype=torch.long)), ValueError, "ids"),
    (call(tok, "decode"), dict(ids=torch.tensor([0.5])), TypeError, "ids"),
    (call(tok, "decode"), dict(ids=np.array([3, 9])), ValueError, "ids"),
    (call(tok, "decode"), dict(ids="abc"), TypeError, "ids"),
    (call(tok, "decode"), dict(ids=[1.0]), TypeError, "ids"),
    (call(tok, "decode"), dict(ids=[True]), TypeError, "ids"),
    (call(tok, "decode"), dict(ids={2, 1}), TypeError, "ids"),  # a set has no order
    (call(tok, "save"), dict(folder=None), TypeError, "folder"),
    (CharTokenizer.load, dict(folder=3), TypeError, "folder"),
]

CONFIG = [
    (GPTConfig, dict(vocab_size=0), ValueError, "vocab_size"),
    (GPTConfig, dict(vocab_size=10**9), ValueError, "vocab_size"),
    (GPTConfig, dict(vocab_size=True), TypeError, "vocab_size"),
    (GPTConfig, dict(n_positions=64.0), TypeError, "n_positions"),
    (GPTConfig, dict(n_positions=10**7), ValueError, "n_positions"),
    (GPTConfig, dict(n_embd=10**6), ValueError, "n_embd"),
    (GPTConfig, dict(n_layer=10**6), ValueError, "n_layer"),
    (GPTConfig, dict(n_head="4"), TypeError, "n_head"),
    (GPTConfig, dict(n_embd=30, n_head=4), ValueError, "divisible"),
    (GPTConfig, dict(dropout=NAN), ValueError, "dropout"),
    (GPTConfig, dict(dropout=1.0), ValueError, "dropout"),
    (GPTConfig, dict(dropout=-0.1), ValueError, "dropout"),
    (GPTConfig, dict(layer_norm_epsilon=0.0), ValueError, "layer_norm_epsilon"),
    (GPTConfig, dict(layer_norm_epsilon=INF), ValueError, "layer_norm_epsilon"),
    (GPTConfig, dict(vocab_size=500_000, n_embd=16_384, n_head=16), ValueError, "MAX_PARAMETERS"),
    (GPTConfig.from_hf, dict(hf={"n_embd": 8}), TypeError, "hf"),
]

MODEL = [
    (GPT, dict(config={"n_layer": 2}), TypeError, "config"),
    (forward, dict(ids=[[1, 2]]), TypeError, "ids"),
    (forward, dict(ids=torch.zeros(1, 4)), ValueError, "int64"),
    (forward, dict(ids=torch.tensor([[0, 7]])), ValueError, "ids"),  # used to be an IndexError deep in Embedding
    (forward, dict(ids=torch.tensor([[-1, 0]])), ValueError, "ids"),
    (forward, dict(ids=torch.zeros(1, 17, dtype=torch.long)), ValueError, "context window"),
    (forward, dict(ids=torch.zeros(1, 4, dtype=torch.long), targets=torch.full((1, 4), 9)), ValueError, "targets"),
    (forward, dict(ids=torch.zeros(1, 4, dtype=torch.long), targets=torch.zeros(1, 3, dtype=torch.long)),
     ValueError, "targets"),
    (forward, dict(ids=torch.zeros(1, 4, dtype=torch.long), use_cache="yes"), TypeError, "use_cache"),
    (forward, dict(ids=torch.zeros(1, 4, dtype=torch.long), return_attention=1), TypeError, "return_attention"),
    (forward, dict(ids=torch.zeros(1, 1, dtype=torch.long), past=[1]), ValueError, "past"),
    (forward, dict(ids=torch.zeros(1, 1, dtype=torch.long), past=[(torch.zeros(2, 2, 3, 4),) * 2] * 2),
     ValueError, "past"),
    (from_hf_model, dict(hf_model="gpt2"), TypeError, "hf_model"),
    (to_hf_model, dict(model=torch.nn.Linear(2, 2)), TypeError, "model"),
    (hf_to_ours, dict(hf_state=[1]), TypeError, "hf_state"),
    (hf_to_ours, dict(hf_state={"h.0.attn.c_attn.weight": torch.zeros(3)}), ValueError, "hf_state"),
    (ours_to_hf, dict(state={"lm_head.weight": "w"}), TypeError, "state"),
]

TRAIN = [
    (TrainConfig, dict(learning_rate=INF), ValueError, "learning_rate"),  # used to train to NaN silently
    (TrainConfig, dict(learning_rate=NAN), ValueError, "learning_rate"),
    (TrainConfig, dict(learning_rate=0), ValueError, "learning_rate"),
    (TrainConfig, dict(learning_rate=5.0), ValueError, "learning_rate"),
    (TrainConfig, dict(learning_rate="3e-4"), TypeError, "learning_rate"),
    (TrainConfig, dict(max_steps=10**9), ValueError, "max_steps"),  # without a time budget: a hang
    (TrainConfig, dict(max_steps=10**10, max_seconds=10), ValueError, "max_steps"),
    (TrainConfig, dict(max_steps=2.0), TypeError, "max_steps"),
    (TrainConfig, dict(max_steps=True), TypeError, "max_steps"),
    (TrainConfig, dict(batch_size=0), ValueError, "batch_size"),
    (TrainConfig, dict(batch_size=10**6), ValueError, "batch_size"),
    (TrainConfig, dict(batch_size=65_536, block_size=1024), ValueError, "batch_size"),
    (TrainConfig, dict(block_size=10**6), ValueError, "block_size"),
    (TrainConfig, dict(min_lr_ratio=1.5), ValueError, "min_lr_ratio"),
    (TrainConfig, dict(min_lr_ratio=NAN), ValueError, "min_lr_ratio"),
    (TrainConfig, dict(warmup_steps=-1), ValueError, "warmup_steps"),
    (TrainConfig, dict(weight_decay=-0.1), ValueError, "weight_decay"),
    (TrainConfig, dict(weight_decay=INF), ValueError, "weight_decay"),
    (TrainConfig, dict(betas=(0.9,)), TypeError, "betas"),
    (TrainConfig, dict(betas="ab"), TypeError, "betas"),
    (TrainConfig, dict(betas=(0.9, 1.0)), ValueError, "betas[1]"),
    (TrainConfig, dict(betas=(NAN, 0.99)), ValueError, "betas[0]"),
    (TrainConfig, dict(grad_clip=0), ValueError, "grad_clip"),
    (TrainConfig, dict(grad_clip=NAN), ValueError, "grad_clip"),
    (TrainConfig, dict(eval_every=0), ValueError, "eval_every"),
    (TrainConfig, dict(eval_windows=0), ValueError, "eval_windows"),
    (TrainConfig, dict(eval_windows=10**6), ValueError, "eval_windows"),
    (TrainConfig, dict(max_seconds=INF), ValueError, "max_seconds"),
    (TrainConfig, dict(max_seconds=-1.0), ValueError, "max_seconds"),
    (TrainConfig, dict(max_seconds=10**9), ValueError, "max_seconds"),
    (TrainConfig, dict(eval_every_seconds=NAN), ValueError, "eval_every_seconds"),
    (TrainConfig, dict(seed=-1), ValueError, "seed"),
    (TrainConfig, dict(seed=1.5), TypeError, "seed"),
    (learning_rate_at, dict(progress=NAN, config=TrainConfig(), step=0), ValueError, "progress"),
    (learning_rate_at, dict(progress=0.5, config=TrainConfig(), step=-1), ValueError, "step"),
    (learning_rate_at, dict(progress=0.5, config={"learning_rate": 1e-3}, step=0), TypeError, "config"),
    (train, dict(model=torch.nn.Linear(2, 2), train_ids=stream(), valid_ids=stream(), config=TrainConfig(block_size=8)),
     TypeError, "model"),
    (lambda **kw: train(model(), **kw), dict(train_ids=stream().float(), valid_ids=stream(),
                                            config=TrainConfig(block_size=8)), ValueError, "train_ids"),
    (lambda **kw: train(model(), **kw), dict(train_ids=stream(high=9), valid_ids=stream(),
                                            config=TrainConfig(block_size=8)), ValueError, "train_ids"),
    (lambda **kw: train(model(), **kw), dict(train_ids=stream(), valid_ids=stream(9),
                                            config=TrainConfig(block_size=8)), ValueError, "valid_ids"),
    (lambda **kw: train(model(), **kw), dict(train_ids=stream(), valid_ids=stream(), config={"max_steps": 1}),
     TypeError, "config"),
    (lambda **kw: train(model(), stream(), stream(), TrainConfig(block_size=8), **kw), dict(progress="no"),
     TypeError, "progress"),
    (lambda **kw: train(model(), stream(), stream(), TrainConfig(block_size=8), **kw), dict(callback=5),
     TypeError, "callback"),
    (random_windows, dict(ids=stream(), batch_size=0, block_size=8, generator=torch.Generator()),
     ValueError, "batch_size"),
    (random_windows, dict(ids=stream(5), batch_size=2, block_size=8, generator=torch.Generator()),
     ValueError, "ids"),
    (random_windows, dict(ids=stream(), batch_size=2, block_size=8, generator=0), TypeError, "generator"),
    (lambda **kw: estimate_val_loss(model(), **kw), dict(x=torch.zeros(2, 4, dtype=torch.long),
                                                         y=torch.zeros(2, 5, dtype=torch.long)), ValueError, "x and y"),
    (lambda **kw: estimate_val_loss(model(), torch.zeros(2, 4, dtype=torch.long), torch.zeros(2, 4, dtype=torch.long),
                                    **kw), dict(batch_size=0), ValueError, "batch_size"),
]

EVALUATE = [
    (token_losses, dict(model=None, ids=stream()), TypeError, "model"),
    (lambda **kw: token_losses(model(), **kw), dict(ids=torch.tensor([0, 7])), ValueError, "ids"),
    (lambda **kw: token_losses(model(), **kw), dict(ids=stream().float()), ValueError, "ids"),
    (lambda **kw: token_losses(model(), **kw), dict(ids=torch.tensor([1])), ValueError, "ids"),
    (lambda **kw: token_losses(model(), stream(), **kw), dict(stride=0), ValueError, "stride"),
    (lambda **kw: token_losses(model(), stream(), **kw), dict(stride=17), ValueError, "stride"),
    (lambda **kw: token_losses(model(), stream(), **kw), dict(stride=2.5), TypeError, "stride"),
    (lambda **kw: token_losses(model(), stream(), **kw), dict(batch_size=0), ValueError, "batch_size"),
    (lambda **kw: token_losses(model(), stream(), **kw), dict(batch_size=10**6), ValueError, "batch_size"),
    (lambda **kw: token_losses(model(), stream(), **kw), dict(progress=1), TypeError, "progress"),
    (lambda **kw: nats_per_char(model(), tokenizer=tok(), **kw), dict(text=5), TypeError, "text"),
    (lambda **kw: nats_per_char(model(), tokenizer=tok(), **kw), dict(text=""), ValueError, "text"),
    (lambda **kw: nats_per_char(model(), **kw), dict(tokenizer=None, text="abc"), TypeError, "tokenizer"),
    (bits_per_char, dict(nats=NAN), ValueError, "nats"),
    (bits_per_char, dict(nats="1.5"), TypeError, "nats"),
]

HUB = [
    (save_pretrained, dict(model="model", folder="x"), TypeError, "model"),
    (lambda **kw: save_pretrained(model(), **kw), dict(folder=5), TypeError, "folder"),
    (lambda **kw: save_pretrained(model(), "unused", **kw), dict(tokenizer="abc"), TypeError, "tokenizer"),
    (lambda **kw: save_pretrained(model(), "unused", **kw), dict(tokenizer=CharTokenizer("abcdefghij")),
     ValueError, "tokenizer"),
    (load_pretrained, dict(name_or_path=5), TypeError, "name_or_path"),
    (load_pretrained, dict(name_or_path=" "), ValueError, "name_or_path"),
    (load_pretrained, dict(name_or_path="./no/such/folder"), FileNotFoundError, "does not exist"),
    (load_pretrained, dict(name_or_path="no/such/deep/folder"), FileNotFoundError, "Hub model id"),
    (load_pretrained, dict(name_or_path="bad name!"), FileNotFoundError, "Hub model id"),
    (load_pretrained, dict(name_or_path="gpt2", device=5), TypeError, "device"),
    (load_pretrained, dict(name_or_path="gpt2", device="toaster"), ValueError, "device"),
    (load_tokenizer, dict(name_or_path=3.5), TypeError, "name_or_path"),
]

COMPARE = [
    (window_starts, dict(text_length=-1, window=4, n_windows=2), ValueError, "text_length"),
    (window_starts, dict(text_length=100, window=0, n_windows=2), ValueError, "window"),
    (window_starts, dict(text_length=100, window=True, n_windows=2), TypeError, "window"),
    (window_starts, dict(text_length=100, window=4, n_windows=0), ValueError, "n_windows"),
    (window_starts, dict(text_length=10, window=20, n_windows=2), ValueError, "room"),
    (window_starts, dict(text_length=10**12, window=1, n_windows=10**12), ValueError, "n_windows"),  # memory
    (gpt_loss_by_position, dict(model=model(), tokenizer=None, text=TEXT, starts=[0]), TypeError, "tokenizer"),
    (gpt_loss_by_position, dict(model=None, tokenizer=tok(), text=TEXT, starts=[0]), TypeError, "model"),
    (lambda **kw: gpt_loss_by_position(model(), tok(), **kw), dict(text=5, starts=[0]), TypeError, "text"),
    (lambda **kw: gpt_loss_by_position(model(), tok(), TEXT, **kw), dict(starts=[12]), ValueError, "starts[0]"),
    (lambda **kw: gpt_loss_by_position(model(), tok(), TEXT, **kw), dict(starts=[0, -1]), ValueError, "starts[1]"),
    (lambda **kw: gpt_loss_by_position(model(), tok(), TEXT, **kw), dict(starts=[]), ValueError, "starts"),
    (lambda **kw: gpt_loss_by_position(model(), tok(), TEXT, **kw), dict(starts="0"), TypeError, "starts"),
    (lambda **kw: gpt_loss_by_position(model(), tok(), TEXT, [0], **kw), dict(window=17), ValueError, "window"),
    (ngram_loss_by_position, dict(lm=None, text=TEXT, starts=[0], window=4), TypeError, "lm"),
    (CopyDetector, dict(corpus=5), TypeError, "corpus"),
    (CopyDetector, dict(corpus=""), ValueError, "corpus"),
    (call(detector, "copied_fraction"), dict(text=5, k=3), TypeError, "text"),
    (call(detector, "copied_fraction"), dict(text="the", k=0), ValueError, "k"),
    (call(detector, "copied_fraction"), dict(text="the", k=2.0), TypeError, "k"),
    (call(detector, "longest_copy"), dict(text=None), TypeError, "text"),
    (call(detector, "longest_copy"), dict(text="the", limit=0), ValueError, "limit"),
]

RECIPES = [
    (long_training, dict(minutes=INF), ValueError, "minutes"),  # an endless time budget
    (long_training, dict(minutes=NAN), ValueError, "minutes"),
    (long_training, dict(minutes=0), ValueError, "minutes"),
    (long_training, dict(minutes=10**9), ValueError, "minutes"),
    (long_training, dict(minutes="30"), TypeError, "minutes"),
    (train_shakespeare_gpt, dict(config="SMALL"), TypeError, "config"),
    (train_shakespeare_gpt, dict(training={"max_steps": 10}), TypeError, "training"),
    (max_logit_difference, dict(shapes="abc"), TypeError, "shapes"),
    (max_logit_difference, dict(shapes=[(76, 64, 32, 2)]), TypeError, "shapes[0]"),
    (max_logit_difference, dict(shapes=[(76, 64, 30, 2, 4)]), ValueError, "divisible"),
    (max_logit_difference, dict(seed=-1), ValueError, "seed"),
    (max_logit_difference, dict(batch=0), ValueError, "batch"),
    (max_logit_difference, dict(batch=10**6), ValueError, "batch"),
]

SHOW = [
    (attention_maps, dict(model=None, tokenizer=tok(), text="ab"), TypeError, "model"),
    (attention_maps, dict(model=model(), tokenizer="abc", text="ab"), TypeError, "tokenizer"),
    (lambda **kw: attention_maps(model(), tok(), **kw), dict(text=""), ValueError, "text"),
    (lambda **kw: attention_maps(model(), tok(), **kw), dict(text="a" * 17), ValueError, "text"),
    (lambda **kw: attention_maps(model(), tok(), **kw), dict(text=5), TypeError, "text"),
    (lambda **kw: plot_attention(model(), tok(), "ab", **kw), dict(layer=2), ValueError, "layer"),
    (lambda **kw: plot_attention(model(), tok(), "ab", **kw), dict(layer=-3), ValueError, "layer"),
    (lambda **kw: plot_attention(model(), tok(), "ab", **kw), dict(head=2), ValueError, "head"),
    (lambda **kw: plot_attention(model(), tok(), "ab", **kw), dict(head=1.0), TypeError, "head"),
    (plot_next_token_cuts, dict(probs=[0.5, 0.5], labels="ab", kept=torch.ones(2, dtype=torch.bool)),
     ValueError, "probs"),
    (plot_next_token_cuts, dict(probs=torch.tensor([NAN, 0.5]), labels=["a", "b"], kept=torch.ones(2, dtype=torch.bool)),
     ValueError, "probs"),
    (plot_next_token_cuts, dict(probs=torch.tensor([0.5, 0.5]), labels=["a", "b"], kept=torch.ones(3, dtype=torch.bool)),
     ValueError, "kept"),
    (plot_next_token_cuts, dict(probs=torch.tensor([0.5, 0.5]), labels=["a"], kept=torch.ones(2, dtype=torch.bool)),
     ValueError, "labels"),
    (plot_next_token_cuts, dict(probs=torch.tensor([0.5, 0.5]), labels=["a", "b"], kept=torch.ones(2, dtype=torch.bool),
                                top=0), ValueError, "top"),
    (plot_loss_vs_seconds, dict(curves=[1, 2]), TypeError, "curves"),
    (plot_loss_vs_seconds, dict(curves={"gpt": ([1, 2], [3.0])}), ValueError, "curves['gpt']"),
    (plot_loss_vs_seconds, dict(curves={}, levels={"3-gram": NAN}), ValueError, "levels['3-gram']"),
    (plot_loss_vs_seconds, dict(curves={}, levels=[1.0]), TypeError, "levels"),
]

TOKENIZATION = [
    (count_tokens, dict(tokenizer=None, text="abc"), TypeError, "tokenizer"),
    (count_tokens, dict(tokenizer=None, text=""), ValueError, "text"),
    (count_tokens, dict(tokenizer=None, text=5), TypeError, "text"),
    (train_byte_bpe, dict(text=""), ValueError, "text"),
    (train_byte_bpe, dict(text="abc", vocab_size=100), ValueError, "vocab_size"),
    (train_byte_bpe, dict(text="abc", vocab_size=10**9), ValueError, "vocab_size"),
    (train_byte_bpe, dict(text="abc", vocab_size=300.0), TypeError, "vocab_size"),
    (train_byte_bpe, dict(text="abc", min_frequency=0), ValueError, "min_frequency"),
    (chars_per_token, dict(tokenizer=None, text=""), ValueError, "text"),  # used to divide by zero
    (chars_per_token, dict(tokenizer="gpt2", text="abc"), TypeError, "tokenizer"),
]

SAMPLING = [
    (check_sampling_settings, dict(temperature=NAN), ValueError, "temperature"),
    (check_sampling_settings, dict(temperature=INF), ValueError, "temperature"),
    (check_sampling_settings, dict(temperature=0), ValueError, "greedy"),
    (check_sampling_settings, dict(temperature=1e-9), ValueError, "temperature"),
    (check_sampling_settings, dict(temperature="hot"), TypeError, "temperature"),
    (check_sampling_settings, dict(top_k=0), ValueError, "top_k"),
    (check_sampling_settings, dict(top_k=2.5), TypeError, "top_k"),
    (check_sampling_settings, dict(top_k=True), TypeError, "top_k"),
    (check_sampling_settings, dict(top_p=0.0), ValueError, "top_p"),
    (check_sampling_settings, dict(top_p=NAN), ValueError, "top_p"),
    (check_sampling_settings, dict(top_p=1.5), ValueError, "top_p"),
    (apply_temperature, dict(logits=logits(), temperature=0), ValueError, "temperature"),
    (apply_temperature, dict(logits=2.5, temperature=0.5), ValueError, "logits"),  # used to return 5.0
    (apply_top_k, dict(logits=[1.0, 2.0], top_k=1), ValueError, "logits"),
    (apply_top_p, dict(logits=None, top_p=0.5), ValueError, "logits"),
    (apply_top_k, dict(logits=logits(), top_k=0), ValueError, "top_k"),
    (apply_top_k, dict(logits=logits(), top_k=None), TypeError, "top_k"),
    (apply_top_p, dict(logits=logits(), top_p=2), ValueError, "top_p"),
    (process_logits, dict(logits=[1.0, 2.0]), ValueError, "logits"),
    (process_logits, dict(logits=torch.tensor([[NAN, 1.0]])), ValueError, "logits"),
    (process_logits, dict(logits=torch.tensor([[1, 2]])), ValueError, "logits"),
    (next_token, dict(logits=torch.tensor([[NAN, 1.0]])), ValueError, "logits"),  # argmax would pick the NaN
    (next_token, dict(logits=logits(), do_sample="yes"), TypeError, "do_sample"),
    (next_token, dict(logits=logits(), do_sample=True, generator=0), TypeError, "generator"),
    (next_token, dict(logits=logits(), top_k=5), ValueError, "do_sample"),  # greedy would ignore top_k
    (lambda **kw: generate(model(), **kw), dict(ids=[[0, 1]], max_new_tokens=2), TypeError, "ids[0]"),
    (lambda **kw: generate(model(), **kw), dict(ids=[0, 7], max_new_tokens=2), ValueError, "ids[1]"),
    (lambda **kw: generate(model(), **kw), dict(ids=torch.tensor([[0, 7]]), max_new_tokens=2), ValueError, "ids"),
    (lambda **kw: generate(model(), **kw), dict(ids=torch.tensor([[-1]]), max_new_tokens=2), ValueError, "ids"),
    (lambda **kw: generate(model(), **kw), dict(ids="abc", max_new_tokens=2), TypeError, "ids"),
    (lambda **kw: generate(model(), **kw), dict(ids=[], max_new_tokens=2), ValueError, "ids"),
    (lambda **kw: generate(model(), torch.tensor([[1]]), **kw), dict(max_new_tokens=10**12), ValueError,
     "max_new_tokens"),  # used to run (practically) for ever
    (lambda **kw: generate(model(), torch.tensor([[1]]), **kw), dict(max_new_tokens=5.0), TypeError, "max_new_tokens"),
    (lambda **kw: generate(model(), torch.tensor([[1]]), **kw), dict(max_new_tokens=True), TypeError,
     "max_new_tokens"),
    (lambda **kw: generate(model(), torch.tensor([[1]]), 2, **kw), dict(use_cache="no"), TypeError, "use_cache"),
    (lambda **kw: generate(model(), torch.tensor([[1]]), 2, **kw), dict(do_sample=True, temperature=NAN),
     ValueError, "temperature"),
    (lambda **kw: generate(model(), torch.tensor([[1]]), 2, **kw), dict(temperature=0.5), ValueError, "do_sample"),
    (lambda **kw: generate(model(), torch.tensor([[1]]), 2, **kw), dict(do_sample=1), TypeError, "do_sample"),
    (generate, dict(model="gpt2", ids=torch.tensor([[1]]), max_new_tokens=2), TypeError, "model"),
    (kept_tokens, dict(logits=logits()), ValueError, "logits"),
    (kept_tokens, dict(logits=logits(7), top_k=0), ValueError, "top_k"),
    (lambda **kw: sample_text(model(), tok(), **kw), dict(prompt=5), TypeError, "prompt"),
    (lambda **kw: sample_text(model(), tok(), **kw), dict(prompt=""), ValueError, "prompt"),
    (lambda **kw: sample_text(model(), tok(), **kw), dict(prompt="xyz"), ValueError, "prompt"),
    (lambda **kw: sample_text(model(), tok(), "ab", **kw), dict(seed=-1), ValueError, "seed"),
    (lambda **kw: sample_text(model(), tok(), "ab", **kw), dict(seed=1.5), TypeError, "seed"),
    (lambda **kw: sample_text(model(), tok(), "ab", **kw), dict(max_new_tokens=10**9), ValueError, "max_new_tokens"),
    (lambda **kw: sample_text(model(), **kw), dict(tokenizer=None, prompt="ab"), TypeError, "tokenizer"),
    (lambda **kw: sample_text(model(), tok(), "a" * 17, **kw), dict(), ValueError, "context window"),
]

WIDGET = [
    (decoding_widget, dict(model=None, tokenizer=tok()), TypeError, "model"),
    (lambda **kw: decoding_widget(model(), **kw), dict(tokenizer=None), TypeError, "tokenizer"),
    (lambda **kw: decoding_widget(model(), tok(), **kw), dict(prompt=""), ValueError, "prompt"),
    (lambda **kw: decoding_widget(model(), tok(), **kw), dict(prompt="a" * 17), ValueError, "prompt"),
    (lambda **kw: decoding_widget(model(), tok(), **kw), dict(prompt="xyz"), ValueError, "prompt"),
    (lambda **kw: decoding_widget(model(), tok(), "ab", **kw), dict(max_new_tokens=10**6), ValueError,
     "max_new_tokens"),
]

TABLES = {"chars": CHARS, "config": CONFIG, "model": MODEL, "train": TRAIN, "evaluate": EVALUATE, "hub": HUB,
          "compare": COMPARE, "recipes": RECIPES, "show": SHOW, "tokenization": TOKENIZATION, "sampling": SAMPLING,
          "widgets.gpt": WIDGET}
CASES = [pytest.param(*case, id=f"{module}-{i}-{case[3]}") for module, table in TABLES.items()
         for i, case in enumerate(table)]


@pytest.mark.parametrize("function, kwargs, error, fragment", CASES)
def test_bad_input_is_refused_with_a_clear_message(function, kwargs, error, fragment, monkeypatch):
    monkeypatch.delenv("AIGC_ONLINE", raising=False)
    with pytest.raises(error) as raised:
        function(**kwargs)
    assert fragment in str(raised.value), str(raised.value)


def test_every_module_has_cases():
    assert all(len(table) >= 5 for table in TABLES.values())


# --------------------------------------------------------------------------------------
# Valid edge cases still work
# --------------------------------------------------------------------------------------

def test_valid_edge_cases_of_the_tokenizer_and_configs():
    assert tok().decode([]) == "" and tok().decode(np.array([2, 3])) == "ab" and tok().decode(torch.tensor([0])) == "\n"
    assert CharTokenizer("a").tokens == ["a"]
    config = GPTConfig(vocab_size=np.int64(7), n_positions=16, n_embd=8, n_layer=1, n_head=2, dropout=0)
    assert type(config.vocab_size) is int and config.dropout == 0.0 and json.dumps(config.to_dict())
    assert GPTConfig().num_parameters() == 124_439_808  # GPT-2 small
    assert GPTConfig(n_embd=1600, n_layer=48, n_head=25).num_parameters() < 2e9  # GPT-2 XL still allowed
    timed = TrainConfig(max_steps=10**9, max_seconds=1.0, eval_every=10**9)  # "until the time is up"
    assert timed.max_steps == 10**9
    assert TrainConfig(grad_clip=INF, betas=[0.9, 0.95]).betas == (0.9, 0.95)  # inf: no clipping
    assert learning_rate_at(1.3, TrainConfig(warmup_steps=0), 10) == pytest.approx(TrainConfig().learning_rate * 0.1)


def test_valid_edge_cases_of_decoding():
    ids = generate(model(), [1, 2], 3)  # a plain list is one prompt
    assert ids.shape == (1, 5) and ids[0, :2].tolist() == [1, 2]
    assert torch.equal(generate(model(), torch.tensor([[1, 2]]), 3, top_p=1.0), ids)  # top_p=1.0 cuts nothing
    assert generate(model(), torch.tensor([[1]]), 2, do_sample=True, temperature=MIN_TEMPERATURE).shape == (1, 3)
    assert MAX_NEW_TOKENS == 100_000
    assert len(sample_text(model(), tok(), "\n", 4)) == 4  # a newline alone is a valid prompt
    probs, kept = kept_tokens(torch.tensor([0.0, -INF, 1.0]))  # -inf (a removed token) is fine
    assert kept.tolist() == [True, False, True] and probs[1] == 0


def test_valid_edge_cases_of_evaluation_and_copies():
    one = GPT(GPTConfig(vocab_size=7, n_positions=1, n_embd=8, n_layer=1, n_head=1)).eval()
    assert token_losses(one, stream(10)).shape == (9,)  # a window of 1: stride 1
    assert math.isinf(bits_per_char(INF)) and bits_per_char(math.log(2)) == pytest.approx(1.0)
    assert window_starts(100, 10, 10**6) == window_starts(100, 10, 9)  # more windows than fit: as many as fit
    copies = detector()
    assert copies.copied_fraction("", 3) == 0.0 and copies.longest_copy("") == (0, "")
    assert copies.copied_fraction("xx", 3) == 0.0 and copies.longest_copy("zzz") == (0, "")
    assert copies.longest_copy("quick brown", limit=5) == (5, "quick")
    assert copies.copied_fraction("the quick brown fox jumps\n", 40) == 0.0  # k longer than the corpus


# --------------------------------------------------------------------------------------
# Damaged files name the file and say what is wrong
# --------------------------------------------------------------------------------------

@pytest.fixture()
def saved(tmp_path):
    return save_pretrained(model(), tmp_path / "model", tok())


@pytest.mark.parametrize("content, fragment", [
    ("{not json", "not a UTF-8 JSON"),
    ('{"letters": ["a"]}', '"chars"'),
    ('{"chars": []}', '"chars"'),
    ('{"chars": ["b", "a"]}', "sorted"),
    ('{"chars": ["a", "a"]}', "sorted"),
    ('{"chars": ["ab"]}', "single characters"),
    ('[1, 2]', '"chars"'),
])
def test_damaged_character_vocabulary(saved, content, fragment):
    (saved / "char_vocab.json").write_text(content, encoding="utf-8")
    for load in (CharTokenizer.load, load_tokenizer):
        with pytest.raises(ValueError, match=fragment) as raised:
            load(saved)
        assert "char_vocab.json" in str(raised.value)
    (saved / "char_vocab.json").write_bytes(b"\xff\xfe\x00")
    with pytest.raises(ValueError, match="char_vocab.json"):
        CharTokenizer.load(saved)


def test_damaged_config(saved):
    (saved / "config.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(ValueError, match="config.json is damaged"):
        load_pretrained(saved)
    config = json.loads(json.dumps({"model_type": "gpt2", "n_embd": 15, "n_head": 2, "n_layer": 1,
                                    "n_positions": 16, "vocab_size": 7}))
    (saved / "config.json").write_text(json.dumps(config), encoding="utf-8")
    with pytest.raises(ValueError, match="config.json"):
        load_pretrained(saved)


def test_damaged_or_incomplete_weights(saved):
    safetensors = pytest.importorskip("safetensors.torch")
    weights = saved / "model.safetensors"
    state = safetensors.load_file(weights)
    state.pop("transformer.h.0.mlp.c_fc.weight")  # transformers would fill it with random numbers
    safetensors.save_file(state, weights, metadata={"format": "pt"})
    with pytest.raises(ValueError, match="missing tensors") as raised:
        load_pretrained(saved)
    assert "model.safetensors" in str(raised.value)
    weights.write_bytes(weights.read_bytes()[:100])  # cut short
    with pytest.raises(ValueError, match="model.safetensors is damaged"):
        load_pretrained(saved)
    weights.unlink()
    with pytest.raises(FileNotFoundError, match="no weights file"):
        load_pretrained(saved)

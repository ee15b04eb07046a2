"""Model folders: save_pretrained / load_pretrained round trip, offline rule, character tokenizer."""

import time

import pytest
import torch

from aigc_course.config import OfflineError
from aigc_course.gpt import GPT, CharTokenizer, GPTConfig, load_pretrained, load_tokenizer, save_pretrained


@pytest.fixture()
def small_model():
    torch.manual_seed(0)
    return GPT(GPTConfig(vocab_size=12, n_positions=16, n_embd=16, n_layer=2, n_head=2)).eval()


def test_round_trip_keeps_logits_and_tokenizer(tmp_path, small_model):
    tokenizer = CharTokenizer.from_text("to be or not\n!?")
    folder = save_pretrained(small_model, tmp_path / "model", tokenizer)
    assert (folder / "model.safetensors").is_file() and (folder / "config.json").is_file()
    assert not list(tmp_path.glob(".model-*"))  # no staging folder left behind
    again = load_pretrained(folder)
    ids = torch.randint(0, 12, (2, 16))
    with torch.no_grad():
        assert torch.equal(again(ids)["logits"], small_model(ids)["logits"])
    assert load_tokenizer(folder).tokens == tokenizer.tokens
    save_pretrained(small_model, folder, tokenizer)  # saving over an existing folder replaces it
    assert load_pretrained(str(folder)).config == small_model.config


def test_saved_folder_is_an_ordinary_transformers_model(tmp_path, small_model):
    transformers = pytest.importorskip("transformers")
    folder = save_pretrained(small_model, tmp_path / "m")
    hf = transformers.GPT2LMHeadModel.from_pretrained(folder, local_files_only=True).eval()
    ids = torch.randint(0, 12, (1, 16))
    with torch.no_grad():
        assert (hf(ids).logits - small_model(ids)["logits"]).abs().max() <= 1e-5


def test_hub_name_offline_fails_at_once_with_instructions(monkeypatch):
    monkeypatch.delenv("AIGC_ONLINE", raising=False)
    started = time.perf_counter()
    with pytest.raises(OfflineError) as error:
        load_pretrained("gpt2")
    assert time.perf_counter() - started < 1.0
    message = str(error.value)
    assert "AIGC_ONLINE=1" in message and "save_pretrained" in message
    with pytest.raises(OfflineError, match="load_gpt2_tokenizer"):
        load_tokenizer("gpt2")


def test_missing_folders_and_bad_names(tmp_path):
    with pytest.raises(FileNotFoundError):
        load_pretrained(tmp_path / "nothing-here")
    with pytest.raises(FileNotFoundError):
        load_pretrained("./no/such/folder")
    with pytest.raises(FileNotFoundError, match="config.json"):
        load_pretrained(tmp_path)
    with pytest.raises(ValueError):
        load_pretrained("")
    with pytest.raises(TypeError):
        save_pretrained("not a model", tmp_path / "x")


def test_char_tokenizer():
    tokenizer = CharTokenizer.from_text("hello\n")
    assert len(tokenizer) == 5 and tokenizer.tokens == ["\n", "e", "h", "l", "o"]
    assert tokenizer.decode(tokenizer.encode("hello\nhole")) == "hello\nhole"
    with pytest.raises(ValueError, match="'z'"):
        tokenizer.encode("zoo")
    with pytest.raises(ValueError):
        tokenizer.decode([99])
    with pytest.raises(ValueError):
        CharTokenizer([])


def _fake_hub_loader(calls, model):
    """Stands in for GPT2LMHeadModel.from_pretrained: records the name, returns ``model``'s weights."""
    from aigc_course.gpt import to_hf_model

    def from_pretrained(name, **kwargs):
        calls.append(name)
        hf = to_hf_model(model)
        info = {"missing_keys": set(), "unexpected_keys": set(), "mismatched_keys": set(), "error_msgs": []}
        return (hf, info) if kwargs.get("output_loading_info") else hf

    return from_pretrained


@pytest.mark.parametrize("hub_id", ["gpt2", "openai-community/gpt2", "distilbert/distilgpt2"])
def test_organisation_hub_ids_load_online(monkeypatch, tmp_path, small_model, hub_id):
    transformers = pytest.importorskip("transformers")
    monkeypatch.chdir(tmp_path)  # no folder of that name here
    monkeypatch.setenv("AIGC_ONLINE", "1")
    calls = []
    monkeypatch.setattr(transformers.GPT2LMHeadModel, "from_pretrained", _fake_hub_loader(calls, small_model))
    loaded = load_pretrained(hub_id)
    assert calls == [hub_id] and loaded.config == small_model.config


@pytest.mark.parametrize("hub_id", ["openai-community/gpt2", "gpt2-medium"])
def test_organisation_hub_ids_offline_fail_at_once(monkeypatch, tmp_path, small_model, hub_id):
    transformers = pytest.importorskip("transformers")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("AIGC_ONLINE", raising=False)
    calls = []
    monkeypatch.setattr(transformers.GPT2LMHeadModel, "from_pretrained", _fake_hub_loader(calls, small_model))
    with pytest.raises(OfflineError, match="AIGC_ONLINE=1"):
        load_pretrained(hub_id)
    with pytest.raises(OfflineError, match=hub_id):
        load_tokenizer(hub_id)
    assert calls == []


def test_an_existing_folder_with_a_slash_is_local_not_a_hub_id(monkeypatch, tmp_path, small_model):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("AIGC_ONLINE", raising=False)
    save_pretrained(small_model, tmp_path / "my-org" / "my-model", CharTokenizer.from_text("abc\n"))
    assert load_pretrained("my-org/my-model").config == small_model.config
    assert load_tokenizer("my-org/my-model").tokens == ["\n", "a", "b", "c"]
    with pytest.raises(FileNotFoundError, match="does not exist"):
        load_pretrained("./my-org/other-model")  # written as a path: never a Hub id
    with pytest.raises(FileNotFoundError, match="Hub model id"):
        load_pretrained("my-org/my-model/extra")  # neither a folder nor a Hub id
    (tmp_path / "weights.bin").write_bytes(b"")
    with pytest.raises(NotADirectoryError, match="weights.bin"):
        load_pretrained("weights.bin")

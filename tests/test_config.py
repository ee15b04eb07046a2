import os
from pathlib import Path

import pytest
import torch

from aigc_course import config


def test_seed_everything_makes_draws_repeatable():
    g1 = config.seed_everything(7)
    a = (torch.rand(3), torch.rand(3, generator=g1))
    g2 = config.seed_everything(7)
    b = (torch.rand(3), torch.rand(3, generator=g2))
    assert torch.equal(a[0], b[0]) and torch.equal(a[1], b[1])
    config.seed_everything(8)
    assert not torch.equal(torch.rand(3), a[0])


@pytest.mark.parametrize("bad", [-1, 2**32, 1.5, "3", True])
def test_seed_everything_rejects_bad_seeds(bad):
    with pytest.raises((TypeError, ValueError), match="seed"):
        config.seed_everything(bad)


def test_get_device_default_and_overrides(monkeypatch):
    monkeypatch.delenv("AIGC_DEVICE", raising=False)
    expected = "cuda" if torch.cuda.is_available() else ("mps" if torch.backends.mps.is_available() else "cpu")
    assert config.get_device().type == expected
    assert config.get_device("cpu").type == "cpu"
    monkeypatch.setenv("AIGC_DEVICE", "cpu")
    assert config.get_device().type == "cpu"


def test_get_device_errors_name_the_problem(monkeypatch):
    with pytest.raises(ValueError, match="unknown"):
        config.get_device("tpu")
    if not torch.cuda.is_available():
        with pytest.raises(RuntimeError, match="CUDA is not available"):
            config.get_device("cuda")


def test_fast_mode_flag(monkeypatch):
    monkeypatch.setenv("AIGC_FAST", "1")
    assert config.is_fast() and config.fast_or(100, 5) == 5
    monkeypatch.setenv("AIGC_FAST", "0")
    assert not config.is_fast() and config.fast_or(100, 5) == 100
    monkeypatch.setenv("AIGC_FAST", "maybe")
    with pytest.raises(ValueError, match="AIGC_FAST"):
        config.is_fast()


def test_cache_and_user_folders_follow_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("AIGC_CACHE", str(tmp_path / "c"))
    monkeypatch.setenv("AIGC_HOME", str(tmp_path / "h"))
    assert config.cache_dir() == tmp_path / "c" and (tmp_path / "c").is_dir()
    assert config.user_data_dir() == tmp_path / "h" and (tmp_path / "h").is_dir()


def test_offline_is_the_default_and_fails_at_once(monkeypatch):
    monkeypatch.delenv("AIGC_ONLINE", raising=False)
    assert not config.online_allowed()
    with pytest.raises(config.OfflineError, match="AIGC_ONLINE=1") as info:
        config.require_online("the pretrained 'gpt2' weights", instead="the model trained in lesson 04")
    assert "lesson 04" in str(info.value)
    monkeypatch.setenv("AIGC_ONLINE", "1")
    config.require_online("anything")  # no error once opted in


def test_a_training_step_on_the_cpu_agrees_with_itself():
    check = config.check_training_device("cpu")
    assert check.ok and len(check.cpu_losses) == 5
    assert check.cpu_losses[-1] < check.cpu_losses[0]  # the step trains
    assert check.max_relative_difference <= config.DEVICE_AGREEMENT_RTOL


def _fake_mps(monkeypatch, broken: bool):
    """Pretend MPS is present; its 'training step' is the CPU's, or one that drifts."""
    real = config._tiny_training_losses
    monkeypatch.delenv("AIGC_DEVICE", raising=False)
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(config, "mps_available", lambda: True)
    monkeypatch.setattr(config, "_tiny_training_losses",
                        lambda device: tuple(x * (1.05 if broken and device == "mps" else 1.0)
                                             for x in real("cpu")))
    config._mps_is_trustworthy.cache_clear()


def test_get_device_falls_back_to_the_cpu_when_mps_trains_wrongly(monkeypatch, capsys):
    _fake_mps(monkeypatch, broken=True)
    try:
        assert config.get_device().type == "cpu"
        assert "disagrees with the CPU" in capsys.readouterr().err
        assert not config.check_training_device("mps").ok
    finally:
        config._mps_is_trustworthy.cache_clear()


def test_get_device_picks_mps_when_it_agrees_with_the_cpu(monkeypatch):
    _fake_mps(monkeypatch, broken=False)
    try:
        assert config.check_training_device("mps").ok
        # torch.device("mps") can be constructed on any machine; nothing is run on it here
        assert config.get_device().type == "mps"
    finally:
        config._mps_is_trustworthy.cache_clear()


def test_device_check_refuses_nan_losses():
    check = config.DeviceCheck("mps", (1.0, 0.9), (float("nan"), 0.9))
    assert not check.ok

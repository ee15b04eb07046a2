"""The CPU speed-ups change memory layout and kernels, never the maths."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from aigc_course.speedups import adam, adamw, channels_last, has_convolutions


def _conv_net() -> nn.Module:
    torch.manual_seed(0)
    return nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.ReLU(), nn.ConvTranspose2d(4, 1, 4, stride=2, padding=1))


def test_channels_last_restores_the_usual_layout_even_after_an_error():
    net = _conv_net()
    with pytest.raises(RuntimeError, match="inside"):
        with channels_last(net) as active:
            assert active and net[0].weight.is_contiguous(memory_format=torch.channels_last)
            raise RuntimeError("inside")
    assert all(p.is_contiguous() for p in net.parameters())


def test_channels_last_leaves_models_without_convolutions_alone():
    mlp = nn.Sequential(nn.Linear(3, 2))
    assert not has_convolutions(mlp) and has_convolutions(mlp, _conv_net())
    with channels_last(mlp) as active:
        assert not active


def test_channels_last_gives_the_same_outputs_and_gradients():
    x = torch.rand(5, 1, 8, 8)
    plain = _conv_net()
    fast = _conv_net()
    expected = plain(x)
    expected.square().sum().backward()
    with channels_last(fast):
        got = fast(x)
        got.square().sum().backward()
    # float32 results from a different kernel order: agree to rounding (~1e-6 relative), not bit for bit
    torch.testing.assert_close(got, expected, rtol=1e-5, atol=1e-6)
    for a, b in zip(fast.parameters(), plain.parameters()):
        torch.testing.assert_close(a.grad, b.grad, rtol=1e-4, atol=1e-5)


def _assert_same_steps(plain: nn.Module, opt_plain, fused: nn.Module, opt_fused) -> None:
    """Five steps of each optimiser on the same loss leave the two copies of the net equal to rounding."""
    assert opt_fused.defaults["fused"]
    x = torch.rand(4, 1, 8, 8)
    for _ in range(5):
        for net, opt in ((plain, opt_plain), (fused, opt_fused)):
            opt.zero_grad()
            net(x).square().mean().backward()
            opt.step()
    for a, b in zip(fused.parameters(), plain.parameters()):
        torch.testing.assert_close(a, b, rtol=1e-5, atol=1e-6)  # the same update, rounded in another order


def test_fused_adam_takes_the_same_steps_as_plain_adam():
    plain, fused = _conv_net(), _conv_net()
    _assert_same_steps(plain, torch.optim.Adam(plain.parameters(), lr=1e-2, weight_decay=1e-3),
                       fused, adam(fused.parameters(), lr=1e-2, weight_decay=1e-3))


def test_fused_adamw_takes_the_same_steps_as_plain_adamw_with_parameter_groups():
    plain, fused = _conv_net(), _conv_net()

    def groups(net):  # weight decay on the kernels only, as the training loop does
        return [{"params": [p for p in net.parameters() if p.dim() >= 2], "weight_decay": 0.1},
                {"params": [p for p in net.parameters() if p.dim() < 2], "weight_decay": 0.0}]

    _assert_same_steps(plain, torch.optim.AdamW(groups(plain), lr=1e-2), fused, adamw(groups(fused), lr=1e-2))

"""Bad input at the shared boundary: validate, config, plotting, report and runner.

Each case names the callable, its arguments, the error type and a fragment of the message
that must name the parameter, so a learner can see what to change.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from aigc_course import config, machine, plotting, report, runner
from aigc_course.validate import (check_choice, check_finite_tensor, check_float, check_float_batch, check_int,
                                  check_optional_int,
                                  check_probability, check_str, check_token_ids, check_tokens)

NAN, INF = float("nan"), float("inf")

CASES = [
    # validate: the building blocks
    (check_int, (True, "steps"), {}, TypeError, "steps"),
    (check_int, (2.0, "steps"), {}, TypeError, "steps"),
    (check_int, ("3", "steps"), {}, TypeError, "steps"),
    (check_int, (0, "steps"), {"minimum": 1}, ValueError, "steps must be an int >= 1"),
    (check_int, (10**12, "steps"), {"minimum": 1, "maximum": 10**6}, ValueError, "between 1 and 1,000,000"),
    (check_optional_int, (-1, "top_k"), {"minimum": 1}, ValueError, "top_k"),
    (check_float, (NAN, "lr"), {"minimum": 0.0}, ValueError, "lr must be a number, got NaN"),
    (check_float, (INF, "lr"), {"minimum": 0.0}, ValueError, "lr must be finite"),
    (check_float, (-INF, "lr"), {"allow_inf": True, "minimum": 0.0}, ValueError, "lr must be >= 0.0"),
    (check_float, (0.0, "lr"), {"minimum": 0.0, "exclusive_minimum": True}, ValueError, "lr must be > 0.0"),
    (check_float, (True, "lr"), {}, TypeError, "lr"),
    (check_float, ("0.1", "lr"), {}, TypeError, "lr"),
    (check_probability, (1.5, "p"), {}, ValueError, "p must be >= 0.0 and <= 1.0"),
    (check_probability, (0.0, "p"), {"allow_zero": False}, ValueError, "p must be > 0.0"),
    (check_str, (3, "text"), {}, TypeError, "text must be a str"),
    (check_str, ("  ", "text"), {"allow_empty": False}, ValueError, "text must be a non-empty str"),
    (check_choice, ("kn2", "smoothing", ("mle", "kn")), {}, ValueError, "smoothing must be one of 'mle', 'kn'"),
    (check_choice, ([1], "smoothing", ("mle",)), {}, ValueError, "smoothing"),
    (check_choice, (True, "order", (1, 2)), {}, ValueError, "order"),
    (check_tokens, ("the cat",), {}, TypeError, "tokens must be a sequence of str tokens, not a single str"),
    (check_tokens, (["the", 3],), {}, TypeError, "tokens[1] must be a str"),
    (check_tokens, ([],), {"allow_empty": False}, ValueError, "tokens must hold at least one token"),
    (check_tokens, (5,), {}, TypeError, "tokens"),
    (check_token_ids, ([1, -1], "ids", 5), {}, ValueError, "ids[1] = -1 is outside the vocabulary [0, 5)"),
    (check_token_ids, ([1, 5], "ids", 5), {}, ValueError, "ids[1] = 5"),
    (check_token_ids, ([1, 2.0], "ids", 5), {}, TypeError, "ids[1] must be an int"),
    (check_token_ids, (torch.tensor([[0, 7]]), "ids", 5), {}, ValueError, "ids holds token id 7"),
    (check_token_ids, (torch.tensor([0.0]), "ids", 5), {}, TypeError, "ids must hold integer token ids"),
    (check_token_ids, ("abc", "ids", 5), {}, TypeError, "ids"),
    (check_finite_tensor, (torch.tensor([1.0, NAN]), "images"), {}, ValueError, "images holds 1 NaN"),
    (check_finite_tensor, ([1.0], "images"), {}, TypeError, "images must be a torch.Tensor"),
    (check_float_batch, ([1.0], "z", (4,)), {}, TypeError, "z must be a torch.Tensor of shape (N, 4)"),
    (check_float_batch, (torch.zeros(2, 3), "z", (4,)), {}, ValueError, "z must have shape (N, 4), got (2, 3)"),
    (check_float_batch, (torch.zeros(2, 4, dtype=torch.long), "z", (4,)), {}, TypeError, "z must be a float tensor"),
    # config
    (config.seed_everything, (True,), {}, TypeError, "seed"),
    (config.seed_everything, (2**32,), {}, ValueError, "seed"),
    (config.seed_everything, (-1,), {}, ValueError, "seed"),
    (config.get_device, ("tpu",), {}, ValueError, "unknown"),
    (config.get_device, (3,), {}, TypeError, "prefer"),
    # plotting
    (plotting.image_grid, (torch.rand(2, 28, 28),), {}, ValueError, "images must have shape (N, C, H, W)"),
    (plotting.image_grid, (torch.rand(0, 1, 28, 28),), {}, ValueError, "N >= 1"),
    (plotting.image_grid, (np.zeros((2, 1, 4, 4)),), {}, TypeError, "images must be a torch.Tensor"),
    (plotting.image_grid, (torch.full((2, 1, 4, 4), NAN),), {}, ValueError, "NaN"),
    (plotting.image_grid, (torch.rand(2, 1, 4, 4),), {"nrow": 0}, ValueError, "nrow"),
    (plotting.image_grid, (torch.rand(2, 1, 4, 4),), {"nrow": True}, TypeError, "nrow"),
    (plotting.image_grid, (torch.rand(2, 1, 4, 4),), {"padding": -1}, ValueError, "padding"),
    (plotting.show_images, (torch.rand(2, 1, 4, 4),), {"scale": NAN}, ValueError, "scale"),
    (plotting.plot_curves, ([1, 2, 3],), {}, TypeError, "curves must be a mapping"),
    (plotting.plot_curves, ({"train": "abc"},), {}, TypeError, "curves['train']"),
    (plotting.plot_curves, ({"train": [1, 2]},), {"x": [1]}, ValueError, "curve 'train' has 2 values"),
    (plotting.plot_bars, ("abc", [1, 2, 3]), {}, TypeError, "labels"),
    (plotting.plot_bars, (["a"], [1, 2]), {}, ValueError, "same length"),
    (plotting.plot_heatmap, (np.zeros(3),), {}, ValueError, "matrix must be 2-D"),
    (plotting.plot_scatter_2d, (np.zeros((3, 3)),), {}, ValueError, "points must have shape (N, 2)"),
    # report
    (report.key_result, ("", 1.0), {}, ValueError, "name"),
    (report.key_result, (None, 1.0), {}, TypeError, "name"),
    (report.key_result, ("loss", 1.0, 3), {}, TypeError, "unit"),
    (report.parse_key_results, (None,), {}, TypeError, "text"),
    # runner
    (runner.run_notebook, ("no-such-notebook.ipynb",), {}, ValueError, "not a notebook file"),
    (runner.run_course, ("notebooks/01_language_models.ipynb",), {}, TypeError, "notebooks must be a list"),
    (runner.run_course, (["x.ipynb"],), {"timeout": NAN}, ValueError, "timeout"),
    (runner.run_course, (["x.ipynb"],), {"timeout": 0}, ValueError, "timeout must be > 0.0"),
    (runner.course_notebooks, ("no-such-folder",), {}, FileNotFoundError, "does not exist"),
    # machine
    (machine.machine_speed, (0,), {}, ValueError, "repeats"),
    (machine.machine_speed, (2.5,), {}, TypeError, "repeats"),
]


@pytest.mark.parametrize("call, args, kwargs, error, message", CASES,
                         ids=[f"{c[0].__name__}-{i}" for i, c in enumerate(CASES)])
def test_bad_input_is_refused_with_a_message_naming_the_parameter(call, args, kwargs, error, message):
    with pytest.raises(error) as info:
        call(*args, **kwargs)
    assert message in str(info.value)


def test_valid_edge_cases_pass_and_come_back_as_plain_python_values():
    assert check_int(np.int64(3), "n", minimum=3, maximum=3) == 3 and type(check_int(np.int64(3), "n")) is int
    assert check_float(np.float32(0.5), "p", minimum=0, maximum=1) == 0.5
    assert check_float(INF, "limit", allow_inf=True) == INF
    assert check_float(3, "lr") == 3.0 and type(check_float(3, "lr")) is float
    assert check_probability(1.0, "p") == 1.0 and check_probability(0.0, "p") == 0.0
    assert check_optional_int(None, "top_k", minimum=1) is None
    assert check_tokens(("a", "b")) == ["a", "b"] and check_tokens([]) == []
    assert check_token_ids(torch.tensor([], dtype=torch.long), "ids", 3).numel() == 0
    assert check_token_ids([0, 4], "ids", 5) == [0, 4]
    assert check_choice("kn", "smoothing", ("mle", "kn")) == "kn"
    assert torch.equal(check_finite_tensor(torch.tensor([1, 2]), "labels"), torch.tensor([1, 2]))
    assert math.isclose(check_float(1e-300, "eps", minimum=0.0, exclusive_minimum=True), 1e-300)


def test_folders_that_cannot_be_used_get_a_clear_error(monkeypatch, tmp_path):
    afile = tmp_path / "a-file"
    afile.write_text("x", encoding="utf-8")
    monkeypatch.setenv("AIGC_CACHE", str(afile))
    with pytest.raises(NotADirectoryError, match="AIGC_CACHE"):
        config.cache_dir()
    monkeypatch.setenv("AIGC_HOME", str(afile / "below-a-file"))
    with pytest.raises(OSError, match="AIGC_HOME"):
        config.user_data_dir()

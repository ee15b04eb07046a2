"""A slider for the guidance scale of a class-conditional diffusion model.

Each change redraws :func:`aigc_course.diffusion.plots.show_guidance` (its static twin, which
the notebook also calls): twenty digits, two of each, from the same starting noise, so only the
guidance changes between pictures. One redraw samples 20 digits with 10 DDIM steps: about a
second on a CPU.
"""

from __future__ import annotations

import torch

from ..diffusion.plots import show_guidance
from ..diffusion.schedule import NoiseSchedule
from ..language import tr
from ..validate import check_float


def guidance_slider(model: torch.nn.Module, schedule: NoiseSchedule, maximum: float = 8.0):
    """An ipywidgets box: a guidance-scale slider in [0, ``maximum``] (default 3) and the sampled digits."""
    import ipywidgets as widgets
    import matplotlib.pyplot as plt

    maximum = check_float(maximum, "maximum", minimum=1.0, maximum=100.0)
    scale = widgets.FloatSlider(value=3.0, min=0.0, max=maximum, step=0.5, description=tr("guidance", "引导强度"),
                                continuous_update=False)
    out = widgets.Output()

    def redraw(*_):
        with out:
            out.clear_output(wait=True)
            show_guidance(model, schedule, scale.value)
            plt.show()

    scale.observe(redraw, names="value")
    redraw()
    return widgets.VBox([scale, out])

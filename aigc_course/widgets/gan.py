"""A widget to walk between two points of a GAN's latent space.

Two seeds choose latent vectors ``z_a`` and ``z_b``; a slider moves ``t`` from 0 to 1
along the path between them (spherical by default). The widget redraws
:func:`aigc_course.gan.show_latent_mix`, its static twin, which the notebook also
calls. One generator pass of three images per update: a few milliseconds on a CPU.
"""

from __future__ import annotations

from torch import nn

from ..gan import show_latent_mix


def latent_mixer(generator: nn.Module, max_seed: int = 99):
    """Return an ipywidgets box: seed A, seed B, position ``t`` and a spherical/straight toggle."""
    import ipywidgets as widgets
    import matplotlib.pyplot as plt

    if not hasattr(generator, "z_dim"):
        raise TypeError(f"generator must be a GAN generator with a z_dim attribute, got {type(generator).__name__}")
    if isinstance(max_seed, bool) or not isinstance(max_seed, int) or max_seed < 1:
        raise ValueError(f"max_seed must be an int >= 1, got {max_seed!r}")
    seed_a = widgets.IntSlider(value=0, min=0, max=max_seed, description="seed A")
    seed_b = widgets.IntSlider(value=1, min=0, max=max_seed, description="seed B")
    t = widgets.FloatSlider(value=0.5, min=0.0, max=1.0, step=0.05, description="t")
    spherical = widgets.Checkbox(value=True, description="spherical path (slerp)")
    out = widgets.Output()

    def redraw(*_):
        with out:
            out.clear_output(wait=True)
            show_latent_mix(generator, seed_a.value, seed_b.value, t.value, spherical.value)
            plt.show()

    for control in (seed_a, seed_b, t, spherical):
        control.observe(redraw, names="value")
    redraw()
    return widgets.VBox([widgets.HBox([seed_a, seed_b]), widgets.HBox([t, spherical]), out])

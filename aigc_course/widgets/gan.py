"""A widget to walk between two points of a GAN's latent space.

Two seeds choose latent vectors ``z_a`` and ``z_b``; a slider moves ``t`` from 0 to 1
along the path between them (spherical by default). The widget redraws
:func:`aigc_course.gan.show_latent_mix`, its static twin, which the notebook also
calls. One generator pass of three images per update: a few milliseconds on a CPU.
"""

from __future__ import annotations

from torch import nn

from ..gan import MAX_SEED, show_latent_mix
from ..language import tr
from ..validate import check_int_compat


def latent_mixer(generator: nn.Module, max_seed: int = 99):
    """Return an ipywidgets box: seed A, seed B, position ``t`` and a spherical/straight toggle.

    The seed sliders run from 0 to ``max_seed`` (1 to :data:`aigc_course.gan.MAX_SEED`).
    """
    import ipywidgets as widgets
    import matplotlib.pyplot as plt

    if not isinstance(generator, nn.Module) or not isinstance(getattr(generator, "z_dim", None), int):
        raise TypeError(f"generator must be a GAN generator with a z_dim attribute, got {type(generator).__name__}")
    max_seed = check_int_compat(max_seed, "max_seed", minimum=1, maximum=MAX_SEED)
    seed_a = widgets.IntSlider(value=0, min=0, max=max_seed, description=tr("seed A", "种子 A"))
    seed_b = widgets.IntSlider(value=1, min=0, max=max_seed, description=tr("seed B", "种子 B"))
    t = widgets.FloatSlider(value=0.5, min=0.0, max=1.0, step=0.05, description="t")
    spherical = widgets.Checkbox(value=True, description=tr("spherical path (slerp)", "球面路径（slerp）"))
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

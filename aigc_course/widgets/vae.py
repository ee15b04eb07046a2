"""A widget to walk through the latent plane of a 2-D VAE.

Two sliders choose ``(z1, z2)``; the widget redraws
:func:`aigc_course.vae.plots.show_latent_point` (its static twin, which the
notebook also calls) with the decoded digit. One decoder pass per update: well
under a second on a CPU.
"""

from __future__ import annotations

import torch

from ..validate import check_float
from ..vae.models import BaseVAE, _check_vae
from ..vae.plots import MAX_LATENT, _check_codes_and_labels, show_latent_point


def latent_explorer(model: BaseVAE, codes: torch.Tensor | None = None, labels: torch.Tensor | None = None,
                    limit: float = 3.0):
    """Return an ipywidgets box with sliders for ``z1`` and ``z2`` in ``[-limit, limit]`` and the picture.

    ``codes`` ``(N, 2)`` and ``labels`` ``(N,)``: optional points (e.g. the test
    digits' codes) drawn behind the marker so the learner sees which class lives where.
    ``limit`` is in (0, :data:`~aigc_course.vae.plots.MAX_LATENT`].
    """
    import ipywidgets as widgets
    import matplotlib.pyplot as plt

    if _check_vae(model).latent_dim != 2:
        raise ValueError(f"latent_explorer needs a model with latent_dim == 2, this one has {model.latent_dim}")
    limit = check_float(limit, "limit", minimum=0.0, maximum=MAX_LATENT, exclusive_minimum=True)
    z1 = widgets.FloatSlider(value=0.0, min=-limit, max=limit, step=0.1, description="z1")
    z2 = widgets.FloatSlider(value=0.0, min=-limit, max=limit, step=0.1, description="z2")
    _check_codes_and_labels(codes, labels)  # now: errors inside the redraw would only show in the output area
    out = widgets.Output()

    def redraw(*_):
        with out:
            out.clear_output(wait=True)
            show_latent_point(model, z1.value, z2.value, codes=codes, labels=labels)
            plt.show()

    z1.observe(redraw, names="value")
    z2.observe(redraw, names="value")
    redraw()
    return widgets.VBox([widgets.HBox([z1, z2]), out])

"""Pictures of the neural-LM lesson: the loss curve drawn live during training."""

from __future__ import annotations

from typing import Callable

from ..language import tr
from ..validate import check_str
from .train import History

__all__ = ["live_loss_plot"]


def live_loss_plot(title: str = "", ylabel: str = "loss (nats per character)") -> Callable[[History], None]:
    """A ``callback`` for :func:`~aigc_course.neural_lm.train.train` that redraws the loss curves in place.

    After each validation it draws the training loss of every batch and the held-out
    loss so far (if the trainer measures one) against the step, in one figure that updates where it
    is shown (in a notebook; elsewhere each redraw is displayed anew). The executed
    notebook and its HTML keep the last drawing: the whole run.
    """
    import matplotlib.pyplot as plt
    from IPython.display import display

    title = check_str(title, "title")
    ylabel = check_str(ylabel, "ylabel")
    default_ylabel = ylabel == "loss (nats per character)"
    shown = None

    def redraw(history: History) -> None:
        nonlocal shown
        fig, ax = plt.subplots(figsize=(6.5, 3.2))
        ax.plot(history.steps, history.train_loss, alpha=0.4, lw=0.8, label=tr("training batches", "训练小批量"))
        if history.val_steps:
            ax.plot(history.val_steps, history.val_loss, marker="o", label=tr("held-out windows", "留出文本窗口"))
        shown_ylabel = tr("loss (nats per character)", "损失（纳特/字符）") if default_ylabel else ylabel
        ax.set(xlabel=tr("step", "步数"), ylabel=shown_ylabel, title=title)
        ax.grid(alpha=0.3)
        ax.legend()
        plt.close(fig)  # shown through the display handle only, not again at the end of the cell
        if shown is None:
            shown = display(fig, display_id=True)
        else:
            shown.update(fig)

    return redraw

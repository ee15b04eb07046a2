"""A widget to explore an n-gram model's next-token distribution.

Type a context (words separated by spaces, or plain characters for a character
model) and move the temperature slider; the bar chart redraws with
:func:`aigc_course.ngram.plots.show_next_tokens`, its static twin that the notebook
also calls. One distribution over the vocabulary per update: milliseconds.
"""

from __future__ import annotations

from ..language import tr
from ..ngram.model import NGramLM
from ..ngram.plots import show_next_tokens
from ..validate import check_bool, check_int_compat, check_str


def parse_context(text: str, characters: bool) -> list[str]:
    """The context typed in the box as tokens: its characters, or its space-separated words."""
    check_str(text, "text")
    characters = check_bool(characters, "characters")
    return list(text) if characters else text.split()


def next_token_explorer(lm: NGramLM, context: str = "", characters: bool = False, top: int = 15):
    """Return an ipywidgets box: a context text box, a temperature slider and the bar chart.

    ``characters=True`` treats the typed text as characters (for a model fitted on
    :func:`~aigc_course.ngram.char_sentences`); otherwise it is split on spaces.
    An empty box means the start of a sentence. ``top`` >= 1 bars.
    """
    import ipywidgets as widgets
    import matplotlib.pyplot as plt

    if not isinstance(lm, NGramLM):
        raise TypeError(f"lm must be a fitted NGramLM, got {type(lm).__name__}")
    if lm.vocab is None:
        raise ValueError("lm must be a fitted NGramLM: call .fit(sentences) first")
    check_str(context, "context")
    characters = check_bool(characters, "characters")
    top = check_int_compat(top, "top", minimum=1)
    box = widgets.Text(value=context, description=tr("context", "上下文"),
                       placeholder=tr("start of a sentence", "句子开头"),
                       continuous_update=True, layout=widgets.Layout(width="420px"))
    temperature = widgets.FloatSlider(value=1.0, min=0.1, max=3.0, step=0.1, description=tr("temperature", "温度"))
    out = widgets.Output()

    def redraw(*_):
        tokens = ["<s>"] + parse_context(box.value, characters)
        with out:
            out.clear_output(wait=True)
            show_next_tokens(lm, tokens, top=top, temperature=temperature.value)
            plt.show()

    box.observe(redraw, names="value")
    temperature.observe(redraw, names="value")
    redraw()
    return widgets.VBox([widgets.HBox([box, temperature]), out])

"""A tokeniser playground: type any text, see it through every tokeniser of lesson 01.

The output redraws with :func:`aigc_course.text.show_tokenizations`, the static twin
that the notebook also calls. One pass over a short text: milliseconds.
"""

from __future__ import annotations

from ..language import tr
from ..text import show_tokenizations
from ..validate import check_bool, check_str


def tokenizer_playground(text: str = "I can't wait: 生成式人工智能 is here 🤖!", lower: bool = False):
    """Return an ipywidgets box: a text area, a lower-case switch and the tokenisations below."""
    import ipywidgets as widgets

    text, lower = check_str(text, "text"), check_bool(lower, "lower")
    box = widgets.Textarea(value=text, description=tr("text", "文本"), continuous_update=True,
                           layout=widgets.Layout(width="600px", height="60px"))
    lowercase = widgets.Checkbox(value=lower, description=tr("lower-case words", "单词转小写"))
    out = widgets.Output()

    def redraw(*_):
        with out:
            out.clear_output(wait=True)
            show_tokenizations(box.value, lower=lowercase.value)

    box.observe(redraw, names="value")
    lowercase.observe(redraw, names="value")
    redraw()
    return widgets.VBox([widgets.HBox([box, lowercase]), out])

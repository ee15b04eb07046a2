"""Decoding widget for lesson 04: sliders for temperature, top-k and top-p on a trained GPT.

Its plain-function twin is :func:`aigc_course.sampling.sample_text` (plus
:func:`aigc_course.gpt.show.plot_next_token_cuts` for the picture), which the notebook
also calls so that exported HTML and CI show real results.
"""

from __future__ import annotations

import torch

from ..gpt.model import GPT
from ..gpt.show import plot_next_token_cuts
from ..language import tr
from ..sampling import kept_tokens, sample_text
from ..validate import check_int, check_str

#: Most characters one redraw generates (each slider move regenerates them).
MAX_WIDGET_TOKENS = 2_000


def decoding_widget(model: GPT, tokenizer, prompt: str = "ROMEO:\n", max_new_tokens: int = 120):
    """Sliders (temperature, top-k, top-p, seed) that redraw the next-character distribution with its
    cut and a sampled continuation of ``prompt``. Each update costs one short generation (< 1 s).

    ``tokenizer`` is the model's :class:`~aigc_course.gpt.CharTokenizer`; ``prompt`` a non-empty
    str of at most ``n_positions`` characters; ``max_new_tokens`` 1 .. :data:`MAX_WIDGET_TOKENS`.
    """
    if not isinstance(model, GPT):
        raise TypeError(f"model must be an aigc_course.gpt.GPT, got {type(model).__name__}")
    if not all(hasattr(tokenizer, name) for name in ("tokens", "encode", "decode")):
        raise TypeError(f"tokenizer must be a CharTokenizer (the bars are labelled with its characters), "
                        f"got {type(tokenizer).__name__}")
    prompt = check_str(prompt, "prompt")
    if not 1 <= len(prompt) <= model.config.n_positions:
        raise ValueError(f"prompt must hold 1 to {model.config.n_positions} characters, got {len(prompt):,}")
    max_new_tokens = check_int(max_new_tokens, "max_new_tokens", minimum=1, maximum=MAX_WIDGET_TOKENS)
    try:
        prompt_ids = tokenizer.encode(prompt)
    except ValueError as error:  # a character the tokenizer does not know
        raise ValueError(f"prompt cannot be encoded: {error}") from None
    import ipywidgets as widgets
    import matplotlib.pyplot as plt
    from IPython.display import display

    temperature = widgets.FloatSlider(value=1.0, min=0.1, max=2.0, step=0.05,
                                      description=tr("temperature", "温度"))
    top_k = widgets.IntSlider(value=0, min=0, max=len(tokenizer),
                              description=tr("top-k (0=off)", "top-k（0=关闭）"))
    top_p = widgets.FloatSlider(value=1.0, min=0.05, max=1.0, step=0.05, description="top-p")
    seed = widgets.IntSlider(value=0, min=0, max=20, description=tr("seed", "种子"))
    output = widgets.Output()
    device = next(model.parameters()).device
    with torch.no_grad():
        ids = torch.tensor([prompt_ids], dtype=torch.long, device=device)
        last_logits = model(ids)["logits"][0, -1].cpu()

    def redraw(*_):
        k = top_k.value or None
        probs, kept = kept_tokens(last_logits, temperature.value, k, top_p.value)
        text = sample_text(model, tokenizer, prompt, max_new_tokens, temperature=temperature.value, top_k=k,
                           top_p=top_p.value, seed=seed.value)
        with output:
            output.clear_output(wait=True)
            fig, ax = plt.subplots(figsize=(7, 2.5))
            plot_next_token_cuts(probs, tokenizer.tokens, kept, ax=ax,
                                 title=tr(f"next character after {prompt!r}: {int(kept.sum())} kept",
                                          f"{prompt!r} 之后的下一个字符：保留 {int(kept.sum())} 个"))
            plt.show()
            plt.close(fig)
            print(prompt + text)

    for control in (temperature, top_k, top_p, seed):
        control.observe(redraw, names="value")
    redraw()
    box = widgets.VBox([widgets.HBox([temperature, top_k]), widgets.HBox([top_p, seed]), output])
    display(box)
    return box

"""Plot titles, axis labels, legends and widget labels follow the learner's language (``AIGC_LANG``)."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from aigc_course.diffusion.plots import plot_schedule  # noqa: E402
from aigc_course.diffusion.schedule import NoiseSchedule  # noqa: E402
from aigc_course.gan import GANHistory, plot_history  # noqa: E402
from aigc_course.ngram import NGramLM  # noqa: E402
from aigc_course.ngram.plots import show_next_tokens  # noqa: E402
from aigc_course.plotting import plot_curves  # noqa: E402
from aigc_course.vae.plots import plot_beta_sweep  # noqa: E402

# No CJK font is set up here (the maintainer configures one elsewhere); only the strings are checked.
pytestmark = pytest.mark.filterwarnings("ignore:Glyph .* missing from font")


def _has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def _words(ax) -> list[str]:
    """The title, both axis labels and the legend entries of ``ax``."""
    words = [ax.get_title(), ax.get_xlabel(), ax.get_ylabel()]
    legend = ax.get_legend()
    if legend is not None:
        words += [t.get_text() for t in legend.get_texts()]
    return [w for w in words if w]


def _draw_all() -> list:
    history = GANHistory(step=[0, 1, 2], d_loss=[1.3, 1.2, 1.1], g_loss=[0.7, 0.8, 0.9],
                         d_real=[0.6, 0.55, 0.5], d_fake=[0.4, 0.45, 0.5])
    lm = NGramLM(2, "mkn").fit([["the", "cat", "sat"], ["the", "dog", "sat"]])
    return [
        plot_schedule(NoiseSchedule(steps=10)),
        plot_beta_sweep({0.5: (90.0, 30.0), 1.0: (95.0, 25.0)}),
        *plot_history(history).axes,
        show_next_tokens(lm, ["<s>", "the"], top=2),
        plot_curves({"train": [3.0, 2.0, 1.5]}),
    ]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_plot_words_are_in_the_learners_language(monkeypatch, lang):
    monkeypatch.setenv("AIGC_LANG", lang)
    try:
        for ax in _draw_all():
            words = _words(ax)
            assert words, "every picture has a title or axis labels"
            if lang == "zh":
                assert _has_chinese(ax.get_title()) or _has_chinese(ax.get_xlabel()) or \
                    _has_chinese(ax.get_ylabel()), words
            else:
                assert not any(_has_chinese(w) for w in words), words
    finally:
        plt.close("all")


def test_english_labels_are_unchanged(monkeypatch):
    monkeypatch.setenv("AIGC_LANG", "en")
    try:
        ax = plot_curves({"train": [3.0, 2.0]})
        assert (ax.get_xlabel(), ax.get_ylabel()) == ("step", "loss")
        ax = plot_schedule(NoiseSchedule(steps=10))
        assert ax.get_title() == "the linear schedule, T = 10"
        assert [t.get_text() for t in ax.get_legend().get_texts()][:2] == [
            "signal  sqrt(alpha_bar_t)", "noise  sqrt(1 - alpha_bar_t)"]
    finally:
        plt.close("all")


def test_default_labels_follow_the_language_but_a_callers_own_label_is_kept(monkeypatch):
    monkeypatch.setenv("AIGC_LANG", "zh")
    try:
        ax = plot_curves({"train": [3.0, 2.0]})
        assert (ax.get_xlabel(), ax.get_ylabel()) == ("步数", "损失")
        ax = plot_curves({"train": [3.0, 2.0]}, xlabel="batch", ylabel="loss (nats per pair)")
        assert (ax.get_xlabel(), ax.get_ylabel()) == ("batch", "loss (nats per pair)")
    finally:
        plt.close("all")


def test_widget_labels_follow_the_language(monkeypatch):
    pytest.importorskip("ipywidgets")
    from aigc_course.widgets.ngram import next_token_explorer

    lm = NGramLM(2).fit([["the", "cat", "sat"]])
    try:
        for lang, expected in (("zh", ("上下文", "温度")), ("en", ("context", "temperature"))):
            monkeypatch.setenv("AIGC_LANG", lang)
            text, temperature = next_token_explorer(lm, context="the").children[0].children
            assert (text.description, temperature.description) == expected
    finally:
        plt.close("all")

"""Chinese plot text is drawn with real glyphs: a system CJK font if there is one, else the packaged Noto Sans CJK."""

import copy

import matplotlib
import pytest
from matplotlib import font_manager

from aigc_course import fonts


def test_chinese_text_can_be_drawn_here():
    assert fonts.can_draw_chinese()


def test_use_cjk_font_keeps_the_latin_font_first():
    with matplotlib.rc_context():
        family = fonts.use_cjk_font()
        assert family is not None
        assert matplotlib.rcParams["font.family"][-1] == family
        assert matplotlib.rcParams["font.family"][0] == "DejaVu Sans"  # Latin text looks as it always did
        fonts.use_cjk_font()  # a second call adds nothing
        assert matplotlib.rcParams["font.family"].count(family) == 1


@pytest.fixture
def machine_without_cjk_fonts(monkeypatch):
    manager = copy.copy(font_manager.fontManager)
    cjk = set(fonts.SYSTEM_CJK_FAMILIES) | {"Noto Sans CJK SC"}
    manager.ttflist = [f for f in font_manager.fontManager.ttflist if f.name not in cjk]
    monkeypatch.setattr(font_manager, "fontManager", manager)
    monkeypatch.setattr(font_manager, "findSystemFonts", lambda *args, **kwargs: [])
    return manager


def test_without_a_system_font_the_packaged_noto_sans_cjk_is_used(machine_without_cjk_fonts):
    assert fonts.cjk_family() == "Noto Sans CJK SC"
    packaged = [f for f in machine_without_cjk_fonts.ttflist if f.name == "Noto Sans CJK SC"]
    assert packaged and all(f.weight == 400 for f in packaged)  # no "failed to find weight normal" log


def test_without_any_cjk_font_there_is_none_to_use(machine_without_cjk_fonts, monkeypatch):
    monkeypatch.setattr(fonts, "_packaged_font", lambda: None)
    assert fonts.cjk_family() is None

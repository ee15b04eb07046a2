"""Chinese glyphs in plots: find a CJK font and put it behind Matplotlib's usual font.

Matplotlib's default font (DejaVu Sans) has no Chinese characters, so Chinese plot text
would be drawn as empty boxes. :func:`use_cjk_font` keeps DejaVu Sans first (Latin text
looks the same as always) and adds a CJK font after it, which Matplotlib (>= 3.6) falls
back to glyph by glyph. The font comes from the system when it has one (Windows, macOS
and most desktop Linux do); otherwise from the OFL-licensed Noto Sans CJK that the course
installs from PyPI (the ``manimgx-fonts-cjk`` package). ``aigc-course doctor`` calls
:func:`can_draw_chinese` and says how to fix a machine where neither is found.
"""

from __future__ import annotations

import importlib.util
import warnings
from dataclasses import replace
from pathlib import Path

__all__ = ["SYSTEM_CJK_FAMILIES", "cjk_family", "use_cjk_font", "can_draw_chinese"]

#: CJK font families looked for on the system, best first (Linux, Windows, macOS names).
SYSTEM_CJK_FAMILIES = (
    "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN",
    "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "Microsoft YaHei", "DengXian", "SimHei",
    "PingFang SC", "Hiragino Sans GB", "Heiti SC", "STHeiti", "Droid Sans Fallback", "Arial Unicode MS",
)
_PACKAGED = ("manimgx_fonts_cjk", "NotoSansCJK-VF.otf.ttc", "Noto Sans CJK SC")
#: Parts of the file names of CJK fonts, for system fonts Matplotlib's font cache has not seen yet.
_CJK_FILE_HINTS = ("wqy", "noto", "cjk", "sourcehan", "msyh", "simhei", "deng", "pingfang", "hiragino", "heiti",
                   "droidsansfallback", "arialuni")


def _packaged_font() -> Path | None:
    module, filename, _ = _PACKAGED
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(list(spec.submodule_search_locations)[0]) / filename
    return path if path.is_file() else None


def cjk_family() -> str | None:
    """The name of a font family that has Chinese glyphs, registering the packaged one if needed; None if none."""
    from matplotlib import font_manager

    manager = font_manager.fontManager
    found = _first_cjk_family(manager)
    if found is None:  # a font installed after Matplotlib built its cache (often a .ttc collection)
        known = {font.fname for font in manager.ttflist}
        for path in font_manager.findSystemFonts():
            if path not in known and any(hint in Path(path).name.lower() for hint in _CJK_FILE_HINTS):
                try:
                    manager.addfont(path)
                except (OSError, RuntimeError, ValueError):  # an unreadable font file is skipped
                    continue
        found = _first_cjk_family(manager)
    if found is not None:
        return found
    path = _packaged_font()
    if path is None:
        return None
    manager.addfont(str(path))
    # a variable font reports its lightest weight; call it normal so Matplotlib does not log a fallback each time
    manager.ttflist = [replace(font, weight=400) if font.fname == str(path) else font for font in manager.ttflist]
    return _PACKAGED[2]


def _first_cjk_family(manager) -> str | None:
    installed = {font.name for font in manager.ttflist}
    return next((family for family in SYSTEM_CJK_FAMILIES if family in installed), None)


def use_cjk_font() -> str | None:
    """Make Matplotlib fall back to a CJK font for Chinese characters; return its family (None: none found)."""
    import matplotlib

    family = cjk_family()
    if family is None:
        return None
    families = [f for f in matplotlib.rcParams["font.family"] if f != family]
    if families == ["sans-serif"]:
        families = [matplotlib.rcParams["font.sans-serif"][0]]  # DejaVu Sans: Latin text keeps its look
    matplotlib.rcParams["font.family"] = [*families, family]
    return family


def can_draw_chinese() -> bool:
    """True when Matplotlib draws a Chinese title with real glyphs (no "missing from font" warning)."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    with matplotlib.rc_context():
        use_cjk_font()
        figure = Figure(figsize=(2, 1))
        FigureCanvasAgg(figure)
        figure.suptitle("困惑度 纳特/字符")
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            figure.canvas.draw()
    return not any("missing from font" in str(w.message) for w in caught)

"""Local copies of the scripts the course's HTML pages need, so they work with no internet.

An HTML page written from a notebook needs three scripts: MathJax 2.7 (equations),
require.js and the Jupyter widget manager's embed script (live ipywidgets). This module
knows where the course keeps local copies of them and copies them next to the pages:

- MathJax comes with the Python package ``jupyter-server-mathjax`` (a course dependency):
  :func:`mathjax_dir`.
- require.js and ``@jupyter-widgets/html-manager`` come from npm: ``make web-assets``
  (run by ``make venv``) installs ``web/package.json`` into ``web/node_modules``:
  :func:`widget_files`. A learner who never ran it gets ``None`` there; pages are then
  written without live widgets (each widget shows its text form), never with a script
  from the internet.

:func:`copy_web_assets` copies what is present into ``OUT/_static/`` and returns the
relative URLs (:class:`WebAssets`) a page in ``OUT`` or in a folder below it uses, so the
whole ``OUT`` folder can be copied to a USB stick or served by any static web server.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .io import atomic_path
from .language import tr
from .validate import check_int

__all__ = ["STATIC_DIRNAME", "MATHJAX_CONFIG", "WebAssets", "WidgetFiles", "mathjax_dir", "web_dir",
           "widget_files", "copy_web_assets", "widgets_hint"]

#: The folder inside an output folder that holds the copied scripts.
STATIC_DIRNAME = "_static"

#: The MathJax 2.7 configuration the pages load: the only combined one jupyter-server-mathjax
#: ships (TeX and MathML input, HTML-CSS output), plus the Safe extension.
MATHJAX_CONFIG = "TeX-AMS-MML_HTMLorMML-full,Safe"

#: Where, inside ``OUT/_static``, each asset goes.
_MATHJAX_SUBDIR = "mathjax"
_REQUIRE_JS_NAME = "require.js"
_EMBED_NAME = "embed-amd.js"
_HTML_MANAGER_SUBDIR = "html-manager"


def mathjax_dir() -> Path:
    """The folder of MathJax 2.7 from ``jupyter-server-mathjax``: ``MathJax.js``, ``config/``, ``jax/``, ``fonts/``...

    About 12 MB on disk. A page loads ``<this folder>/MathJax.js?config=`` + :data:`MATHJAX_CONFIG`
    (with the folder's copy at a relative URL). Its only web font is STIX-Web, so a page sets
    ``"HTML-CSS": {webFont: "STIX-Web", availableFonts: [], imageFont: null}`` in its MathJax
    configuration (as ``aigc_course/offline_page.html.j2`` does). Raises ``FileNotFoundError``
    (in the learner's language) when the package is not installed.
    """
    try:
        import jupyter_server_mathjax
    except ImportError as exc:
        raise FileNotFoundError(tr(
            "MathJax is missing: the package jupyter-server-mathjax is not installed; run `make venv`",
            "缺少 MathJax：没有安装 jupyter-server-mathjax 包；请运行 `make venv`")) from exc
    folder = Path(jupyter_server_mathjax.__file__).resolve().parent / "static"
    if not (folder / "MathJax.js").is_file():
        raise FileNotFoundError(tr(f"MathJax is missing: {folder / 'MathJax.js'} does not exist; reinstall with `make venv`",
                                   f"缺少 MathJax：{folder / 'MathJax.js'} 不存在；请用 `make venv` 重新安装"))
    return folder


def web_dir() -> Path:
    """The course's ``web/`` folder (``package.json``; ``node_modules/`` after ``make web-assets``)."""
    return Path(__file__).resolve().parent.parent / "web"


@dataclass(frozen=True)
class WidgetFiles:
    """The installed widget scripts: require.js and the html-manager's ``dist/`` folder (``embed-amd.js`` in it)."""

    require_js: Path
    html_manager_dist: Path


def widget_files(node_modules: Path | str | None = None) -> WidgetFiles | None:
    """The require.js file and html-manager ``dist/`` folder in ``node_modules``, or ``None`` if either is missing.

    ``node_modules`` defaults to ``web/node_modules`` (filled by ``make web-assets``).
    """
    root = Path(node_modules) if node_modules is not None else web_dir() / "node_modules"
    require_js = root / "requirejs" / "require.js"
    dist = root / "@jupyter-widgets" / "html-manager" / "dist"
    if require_js.is_file() and (dist / _EMBED_NAME).is_file():
        return WidgetFiles(require_js, dist)
    return None


@dataclass(frozen=True)
class WebAssets:
    """The URLs a page uses for the local scripts, relative to the page's folder ('' = not available).

    ``widgets`` is ``False`` when the widget manager is not installed: pages must then be written
    without widget state, so each widget falls back to its text output.
    """

    mathjax_url: str
    require_js_url: str
    widget_renderer_url: str

    @property
    def widgets(self) -> bool:
        return bool(self.widget_renderer_url)

    def below(self, depth: int) -> "WebAssets":
        """The same URLs for a page ``depth`` folders below the output folder (``OUT/zh`` is depth 1)."""
        prefix = "../" * check_int(depth, "depth", minimum=0)
        return WebAssets(*(prefix + url if url else "" for url in
                           (self.mathjax_url, self.require_js_url, self.widget_renderer_url)))


#: The html-manager's ``dist/`` files a page needs: the AMD embed script and the icon fonts it loads
#: from its own folder (the other bundles and the source maps are left out).
_HTML_MANAGER_SUFFIXES = (".woff2", ".woff", ".ttf", ".eot", ".svg")


def _copy_file(source: Path, target: Path) -> None:
    """Copy ``source`` to ``target`` atomically, unless ``target`` already has its size and modification time."""
    if target.is_file():
        have, want = target.stat(), source.stat()
        if have.st_size == want.st_size and int(have.st_mtime) == int(want.st_mtime):
            return
    target.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(target) as temp:
        shutil.copy2(source, temp)


def _copy_tree(source: Path, target: Path) -> None:
    """Copy every file below folder ``source`` to the same place below ``target``."""
    for path in sorted(source.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            _copy_file(path, target / path.relative_to(source))


def copy_web_assets(out_dir: Path | str, *, node_modules: Path | str | None = None) -> WebAssets:
    """Copy MathJax (and the widget scripts where installed) into ``out_dir/_static`` and return their URLs.

    The URLs are relative to ``out_dir`` (use :meth:`WebAssets.below` for pages in a sub-folder).
    MathJax (about 12 MB) is always copied; a missing package raises ``FileNotFoundError``. The
    widget scripts (require.js, the html-manager's ``embed-amd.js`` and its icon fonts, about
    6 MB) only when :func:`widget_files` finds them. Files already copied are skipped, so calling
    this once per page costs little.
    """
    static = Path(out_dir) / STATIC_DIRNAME
    static.mkdir(parents=True, exist_ok=True)
    base = PurePosixPath(STATIC_DIRNAME)
    _copy_tree(mathjax_dir(), static / _MATHJAX_SUBDIR)
    mathjax_url = f"{base / _MATHJAX_SUBDIR / 'MathJax.js'}?config={MATHJAX_CONFIG}"
    found = widget_files(node_modules)
    if found is None:
        return WebAssets(mathjax_url, "", "")
    _copy_file(found.require_js, static / _REQUIRE_JS_NAME)
    for path in sorted(found.html_manager_dist.iterdir()):
        if path.name == _EMBED_NAME or path.suffix in _HTML_MANAGER_SUFFIXES:
            _copy_file(path, static / _HTML_MANAGER_SUBDIR / path.name)
    return WebAssets(mathjax_url, str(base / _REQUIRE_JS_NAME), str(base / _HTML_MANAGER_SUBDIR / _EMBED_NAME))


def widgets_hint() -> str:
    """The one-line message, in the learner's language, for pages written without live widgets."""
    return tr("HTML pages show widgets as text: the widget scripts are not installed. "
              "Run `make web-assets` once with a network connection for live widgets.",
              "HTML 页面中的控件以文字显示：没有安装控件脚本。"
              "请在联网时运行一次 `make web-assets`，即可得到可交互的控件。")

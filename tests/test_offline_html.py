"""The HTML pages the runner writes load nothing from outside their build folder.

Every written page is parsed: a ``<script src>``, ``<link href>``, CSS ``@import`` or ``url(...)``,
or a URL in an inline script that points at the internet (``http:``, ``https:``, ``//``), at
``file:`` or at an absolute path fails the test, and every local reference must name a file
inside the build folder. The widget state comes from ``ipywidgets.embed`` (no kernel needed)
except in the one test that executes a notebook through the runner.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import ipywidgets
import nbformat
import pytest
from ipywidgets.embed import embed_data

from aigc_course import runner, web_assets
from aigc_course.machine import MachineSpeed
from aigc_course.runner import run_course, run_notebook, write_html
from aigc_course.web_assets import WebAssets, copy_web_assets

STATE_MIME = "application/vnd.jupyter.widget-state+json"
VIEW_MIME = "application/vnd.jupyter.widget-view+json"
EQUATION = r"The area is $A = \pi r^2$, and $$\sum_{i=1}^{n} i = \frac{n(n+1)}{2}$$"
#: Script types the browser runs (the rest, e.g. widget state JSON, are data).
JS_TYPES = {"", "text/javascript", "application/javascript", "module"}
OUTSIDE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//|/)", re.IGNORECASE)  # a scheme, protocol-relative or absolute


class _Page(HTMLParser):
    """Collects a page's referenced URLs (where they were found) and its inline scripts and styles."""

    def __init__(self) -> None:
        super().__init__()
        self.refs: list[tuple[str, str]] = []
        self.inline_js: list[str] = []
        self.styles: list[str] = []
        self._open: tuple[str, str] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "script" and "src" in a:
            self.refs.append(("<script src>", a["src"]))
        if tag == "link" and "href" in a:
            self.refs.append(("<link href>", a["href"]))
        if "style" in a:
            self.styles.append(a["style"])
        if tag in ("script", "style"):
            self._open, self._text = (tag, a.get("type", "").lower()), []

    def handle_data(self, data: str) -> None:
        if self._open:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if self._open and tag == self._open[0]:
            text = "".join(self._text)
            if tag == "style":
                self.styles.append(text)
            elif self._open[1] in JS_TYPES:
                self.inline_js.append(text)
            self._open = None


def _css_refs(css: str) -> list[tuple[str, str]]:
    found = [("@import", m) for m in re.findall(r"""@import\s+(?:url\()?\s*['"]?([^'")\s;]+)""", css)]
    return found + [("url()", m) for m in re.findall(r"""url\(\s*['"]?([^'")]+?)['"]?\s*\)""", css)]


def offline_problems(build: Path) -> list[str]:
    """Every reference in ``build``'s HTML pages (and its CSS files) that leaves ``build`` or names no file."""
    build = build.resolve()
    problems = []
    pages = sorted(build.rglob("*.html"))
    assert pages, f"no HTML page written under {build}"
    for page_path in pages:
        page = _Page()
        page.feed(page_path.read_text(encoding="utf-8"))
        refs = list(page.refs)
        for css in page.styles:
            refs += _css_refs(css)
        for js in page.inline_js:
            refs += [("widget renderer", m) for m in re.findall(r"widgetRendererSrc\s*=\s*'([^']*)'", js)]
            refs += [("inline script", m) for m in re.findall(r"""['"`(]\s*((?:https?:|file:)?//[^'"`)\s]*)""", js)]
        for css_file in build.rglob("*.css"):
            refs += [(f"{css_file.name}", m) for m in _css_refs(css_file.read_text(encoding="utf-8", errors="replace"))]
        for where, url in refs:
            url = url.strip()
            if not url or url.startswith(("data:", "#")):
                continue
            if OUTSIDE.match(url):
                problems.append(f"{page_path.relative_to(build)}: {where} points outside the build folder: {url}")
                continue
            target = (page_path.parent / unquote(urlsplit(url).path)).resolve()
            if build not in target.parents:
                problems.append(f"{page_path.relative_to(build)}: {where} leaves the build folder: {url}")
            elif not target.is_file():
                problems.append(f"{page_path.relative_to(build)}: {where} names a missing file: {url}")
    return problems


def widget_notebook() -> nbformat.NotebookNode:
    """A notebook with an equation in Markdown and an IntSlider output with its saved widget state."""
    slider = ipywidgets.IntSlider(value=7, min=0, max=10, description="n")
    data = embed_data(views=[slider])
    nb = nbformat.v4.new_notebook()
    output = nbformat.v4.new_output("display_data", data={VIEW_MIME: data["view_specs"][0], "text/plain": repr(slider)})
    nb.cells = [nbformat.v4.new_markdown_cell(EQUATION), nbformat.v4.new_code_cell("slider", outputs=[output])]
    nb.metadata["widgets"] = {STATE_MIME: data["manager_state"]}
    return nb


@pytest.fixture
def fake_node_modules(tmp_path):
    """The two npm packages' files the pages use, as tiny stand-ins (the real ones: make web-assets)."""
    root = tmp_path / "node_modules"
    (root / "requirejs").mkdir(parents=True)
    (root / "requirejs" / "require.js").write_text("/* stand-in */", encoding="utf-8")
    dist = root / "@jupyter-widgets" / "html-manager" / "dist"
    dist.mkdir(parents=True)
    for name in ("embed-amd.js", "abc123.woff2", "embed-amd.js.map", "embed.js"):
        (dist / name).write_text("/* stand-in */", encoding="utf-8")
    return root


def test_the_check_catches_a_page_that_loads_from_the_internet(tmp_path):
    from nbconvert import HTMLExporter

    body, _ = HTMLExporter().from_notebook_node(widget_notebook())  # nbconvert's defaults: scripts from a CDN
    (tmp_path / "page.html").write_text(body, encoding="utf-8")
    problems = offline_problems(tmp_path)
    assert any("<script src> points outside" in p and "mathjax" in p.lower() for p in problems), problems
    assert any("widget renderer points outside" in p for p in problems), problems
    (tmp_path / "page.html").write_text('<link href="_static/none.css"><style>@import "/etc/x.css";</style>', encoding="utf-8")
    assert len(offline_problems(tmp_path)) == 2


def test_page_with_widgets_loads_everything_from_the_build_folder(tmp_path, fake_node_modules):
    build = tmp_path / "build"
    assets = write_html(widget_notebook(), build / "lesson.html", node_modules=fake_node_modules)
    assert assets.widgets and assets == WebAssets("_static/mathjax/MathJax.js?config=TeX-AMS-MML_HTMLorMML-full,Safe",
                                                  "_static/require.js", "_static/html-manager/embed-amd.js")
    assert offline_problems(build) == []
    html = (build / "lesson.html").read_text(encoding="utf-8")
    assert '<script src="_static/require.js">' in html and "'_static/html-manager/embed-amd.js'" in html
    assert f'<script type="{STATE_MIME}">' in html and f'<script type="{VIEW_MIME}">' in html
    assert r"$A = \pi r^2$" in html  # left for MathJax to typeset in the browser
    copied = sorted(p.name for p in (build / "_static" / "html-manager").iterdir())
    assert copied == ["abc123.woff2", "embed-amd.js"]  # no source maps, no second bundle
    for config in assets.mathjax_url.split("?config=")[1].split(","):  # MathJax loads config/NAME.js for each
        assert (build / "_static" / "mathjax" / "config" / f"{config}.js").is_file(), config
    assert (build / "_static" / "mathjax" / "fonts" / "HTML-CSS" / "STIX-Web").is_dir()


def test_without_the_widget_scripts_widgets_fall_back_to_text_and_nothing_points_outside(tmp_path):
    build = tmp_path / "build"
    nb = widget_notebook()
    assets = write_html(nb, build / "lesson.html", node_modules=tmp_path / "never-installed")
    assert not assets.widgets and assets.require_js_url == ""
    assert offline_problems(build) == []
    html = (build / "lesson.html").read_text(encoding="utf-8")
    assert "IntSlider(value=7" in html and STATE_MIME not in html and VIEW_MIME not in html
    assert "require.js" not in html and "widgetRendererSrc" not in html and "_static/mathjax/MathJax.js" in html
    assert not (build / "_static" / "html-manager").exists()
    assert STATE_MIME in nb.metadata["widgets"]  # the caller's notebook keeps its state


def test_a_page_in_the_chinese_edition_folder_finds_its_scripts(tmp_path, fake_node_modules):
    build = tmp_path / "build"
    write_html(widget_notebook(), build / "lesson.html", node_modules=fake_node_modules)
    write_html(widget_notebook(), build / "zh" / "lesson.html", node_modules=fake_node_modules)
    assert offline_problems(build) == []
    assert (build / "zh" / "_static" / "require.js").is_file()  # OUT/zh can be copied on its own


def test_relative_urls_for_a_page_below_the_output_folder(tmp_path, fake_node_modules):
    assets = copy_web_assets(tmp_path, node_modules=fake_node_modules)
    assert assets.below(0) == assets
    assert assets.below(1).require_js_url == "../_static/require.js"
    assert WebAssets("m.js", "", "").below(2) == WebAssets("../../m.js", "", "")
    with pytest.raises(ValueError, match="depth must be an int >= 0"):
        assets.below(-1)
    for bad in (1.5, True):
        with pytest.raises(TypeError, match="depth must be an int"):
            assets.below(bad)


def test_copying_again_skips_files_already_there(tmp_path, fake_node_modules):
    copy_web_assets(tmp_path, node_modules=fake_node_modules)
    mathjax = tmp_path / "_static" / "mathjax" / "MathJax.js"
    before = mathjax.stat().st_ino
    copy_web_assets(tmp_path, node_modules=fake_node_modules)
    assert mathjax.stat().st_ino == before
    assert not list(tmp_path.rglob("*.tmp"))


def test_the_course_run_says_once_how_to_get_live_widgets(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(web_assets, "web_dir", lambda: tmp_path / "no-web")
    speed = MachineSpeed(gflops=85.0, threads=2, cores=2, load_average=0.5, processor="test CPU")
    monkeypatch.setattr(runner, "machine_speed", lambda: speed)  # no speed measured
    monkeypatch.setattr(runner, "run_notebook", lambda path, *a, **k: runner.NotebookResult(Path(path).name, "ok", 0.1))
    for lang, words in (("en", "make web-assets"), ("zh", "控件以文字显示")):
        monkeypatch.setenv("AIGC_LANG", lang)
        run_course([tmp_path / "01_a.ipynb", tmp_path / "02_b.ipynb"], tmp_path / lang, progress=True)
        assert capsys.readouterr().out.count(words) == 1
        assert words in (tmp_path / lang / "report.md").read_text(encoding="utf-8")


def test_bad_inputs(tmp_path):
    with pytest.raises(TypeError, match="nb must be a notebook"):
        write_html({"cells": []}, tmp_path / "x.html")
    with pytest.raises(ValueError, match="html_path must end in .html"):
        write_html(widget_notebook(), tmp_path / "x.htm")


@pytest.mark.slow
def test_an_executed_notebook_keeps_its_widgets_in_the_page(tmp_path):
    """Through the kernel: nbclient saves the widget state, and the page shows the widget live where it can."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(EQUATION),
                nbformat.v4.new_code_cell("import ipywidgets\nipywidgets.IntSlider(value=3, description='k')")]
    nbformat.write(nb, tmp_path / "01_widget.ipynb")
    result = run_notebook(tmp_path / "01_widget.ipynb", tmp_path / "build", timeout=60, progress=False)
    assert result.ok, result.error
    assert offline_problems(tmp_path / "build") == []
    html = (tmp_path / "build" / "01_widget.html").read_text(encoding="utf-8")
    executed = nbformat.read(tmp_path / "build" / "01_widget.ipynb", as_version=4)
    assert STATE_MIME in executed.metadata["widgets"]
    if web_assets.widget_files() is None:  # make web-assets never ran here: the text form
        assert "IntSlider(value=3" in html and STATE_MIME not in html
    else:
        assert STATE_MIME in html and "_static/html-manager/embed-amd.js" in html

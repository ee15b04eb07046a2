"""The course website (`make book`) in headless Chromium: built from stand-in executed notebooks,
served by a plain static server on 127.0.0.1 and opened from its folder (file://).

Nothing here executes a notebook: the stand-ins are written with their outputs (an equation in
the text, a picture, printed text, a progress bar widget), two lessons per edition. Every page
is loaded; its pictures must load, its equations be typeset by the local MathJax, every link
into the site must resolve, the search must find a term in each edition, and no request may
leave the machine. A screenshot of the front page goes to the test's temporary folder.
"""

from __future__ import annotations

import base64
import importlib.util
import io
import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest


REPO = Path(__file__).resolve().parents[2]
BOOK_PACKAGES = ("sphinx", "myst_nb", "sphinx_book_theme", "sphinx_external_toc")

pytestmark = pytest.mark.skipif(
    any(importlib.util.find_spec(name) is None for name in BOOK_PACKAGES),
    reason="the website's packages are missing: `pip install -c constraints.txt -e '.[book]'` (make book does it)")

# Wait for MathJax 2 to finish typesetting (its queue runs the callback after the page's math).
JS_MATHJAX_DONE = """() => new Promise((done, fail) => {
  const start = Date.now();
  const poll = () => {
    if (window.MathJax && MathJax.Hub && MathJax.Hub.Queue) { MathJax.Hub.Queue(() => done(true)); return; }
    if (Date.now() - start > 15000) { fail(new Error("MathJax never loaded")); return; }
    setTimeout(poll, 50);
  };
  poll();
})"""
JS_IMAGES = "() => Array.from(document.images).map(i => ({src: i.src, complete: i.complete, width: i.naturalWidth}))"
JS_LINKS = "() => Array.from(document.querySelectorAll('a[href]')).map(a => a.href)"
# Typeset math: MathJax 2's HTML-CSS, CommonHTML and SVG outputs (MathJax 3 would make mjx-container).
JS_TYPESET = "() => document.querySelectorAll('.MathJax, .MathJax_Display, .MathJax_CHTML, .MathJax_SVG, mjx-container').length"
JS_RAW_TEX = "() => Array.from(document.querySelectorAll('.math')).filter(e => /\\\\(prod|frac)/.test(e.innerText)).length"


def _png(width: int, height: int) -> str:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 60, 30)).save(buffer, format="PNG")
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _stand_in(number: int, chinese: bool) -> dict:
    """An executed lesson as `make course` writes it, small: text with equations, a picture, a widget."""
    title = f"{number:02d} · " + ("替身课程" if chinese else "A stand-in lesson")
    text = ("困惑度是语言模型的尺子：" if chinese else "A language model's perplexity is its yardstick: ") + \
        "$$ p(w_1, \\dots, w_n) = \\prod_{i=1}^{n} p(w_i \\mid w_{<i}) $$ and inline $\\frac{1}{n}$."
    state = {"bar": {"model_name": "HBoxModel", "state": {"children": ["IPY_MODEL_a", "IPY_MODEL_b", "IPY_MODEL_c"]}},
             "a": {"model_name": "HTMLModel", "state": {"value": "training: 100%"}},
             "b": {"model_name": "FloatProgressModel", "state": {"value": 10, "max": 10}},
             "c": {"model_name": "HTMLModel", "state": {"value": " 10/10 [00:01&lt;00:00]"}}}
    outputs = [
        {"output_type": "stream", "name": "stdout", "text": f"perplexity {40 + number}\n"},
        {"output_type": "display_data", "metadata": {},
         "data": {"image/png": _png(120, 80), "text/plain": "<Figure size 120x80>"}},
        {"output_type": "display_data", "metadata": {},
         "data": {"application/vnd.jupyter.widget-view+json": {"model_id": "bar", "version_major": 2},
                  "text/plain": "training:   0%|"}},
    ]
    return {
        "nbformat": 4, "nbformat_minor": 5,
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
                     "language_info": {"name": "python"},
                     "widgets": {"application/vnd.jupyter.widget-state+json": {"state": state, "version_major": 2}}},
        "cells": [
            {"cell_type": "markdown", "id": "title", "metadata": {}, "source": f"# {title}\n\n{text}"},
            {"cell_type": "code", "id": "code", "metadata": {}, "execution_count": 1,
             "source": "print('perplexity', 42)", "outputs": outputs},
        ],
    }


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    from aigc_course.book import build_book

    root = tmp_path_factory.mktemp("book")
    for folder, chinese in ((root / "build", False), (root / "build" / "zh", True)):
        folder.mkdir(parents=True, exist_ok=True)
        for number, name in ((1, "01_first_stand_in"), (2, "02_second_stand_in")):
            (folder / f"{name}.ipynb").write_text(json.dumps(_stand_in(number, chinese), ensure_ascii=False),
                                                  encoding="utf-8")
    result = build_book(root / "build", root / "site", config_dir=REPO / "book", source_dir=root / "source", quiet=True)
    assert result.editions == ("en", "zh")
    assert result.pages == 7, "a front page and two lessons per edition, and the Chinese glossary"
    return result.site


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(site):
    """`python -m http.server` on 127.0.0.1 serving the site; yields its base URL."""
    port = _free_port()
    process = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
                                "--directory", str(site)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                _get(base)
                break
            except (urllib.error.URLError, ConnectionError):
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("the static server did not start")
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def _get(url: str) -> tuple[int, bytes]:
    """GET ``url`` directly (no proxy from the environment: the site is on this machine)."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, b""




class Recorder:
    """A page whose every request is recorded; anything not on this machine is refused as well."""

    def __init__(self, browser, base: str):
        self.base, self.requests, self.failed, self.errors = base, [], [], []
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.context.route("**/*", lambda route: route.continue_() if self.local(route.request.url) else route.abort())
        self.page = self.context.new_page()
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("response", lambda response: response.status >= 400 and self.failed.append(
            f"{response.status} {response.url}"))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))

    def local(self, url: str) -> bool:
        return url.startswith((self.base, "file://", "data:", "blob:", "about:"))

    def outside(self) -> list[str]:
        return [url for url in self.requests if not self.local(url)]


def _pages(site: Path) -> list[str]:
    """Every HTML page of the site, as paths relative to it."""
    return sorted(str(p.relative_to(site)) for p in site.rglob("*.html")
                  if not {"_static", "_sources"} & set(p.relative_to(site).parts))


def _check_page(page, url: str, *, lesson: bool) -> list[str]:
    """Open ``url``; check its pictures and (on a lesson) its equations; return the links on it."""
    page.goto(url, wait_until="load")
    images = page.evaluate(JS_IMAGES)
    broken = [i["src"][:80] for i in images if not (i["complete"] and i["width"] > 0)]
    assert not broken, f"{url}: pictures that did not load: {broken}"
    if lesson:
        assert any(i["src"].endswith(".png") for i in images), f"{url}: the lesson's figure is not on the page"
        page.evaluate(JS_MATHJAX_DONE)
        assert page.evaluate(JS_TYPESET) >= 2, f"{url}: the equations were not typeset by MathJax"
        assert page.evaluate(JS_RAW_TEX) == 0, f"{url}: raw LaTeX is left on the page"
    return page.evaluate(JS_LINKS)


def _search(page, url: str) -> int:
    page.goto(url, wait_until="load")
    # Sphinx's search writes its summary ("Search finished, found ...") once every result is listed
    page.wait_for_function("() => { const s = document.querySelector('#search-results .search-summary');"
                           " return s && s.innerText.trim().length > 0; }", timeout=15000)
    return page.locator("#search-results ul.search li").count()


def test_book_over_a_static_server(site, server, chromium, tmp_path):
    recorder = Recorder(chromium, server)
    page = recorder.page
    links: set[str] = set()
    pages = _pages(site)
    assert {"index.html", "01_first_stand_in.html", "zh/index.html", "zh/02_second_stand_in.html",
            "search.html", "zh/search.html"} <= set(pages)
    for name in pages:
        links.update(_check_page(page, server + name, lesson=Path(name).name[:2].isdigit()))

    # every link into the site resolves (fragments aside), the notebook downloads among them
    inside = sorted({link.split("#")[0] for link in links if link.startswith(server)})
    missing = [link for link in inside if _get(link)[0] != 200]
    assert not missing, f"links to pages that are not there: {missing}"
    downloads = [link for link in inside if link.endswith(".ipynb")]
    assert any(link.endswith("/_sources/01_first_stand_in.ipynb") for link in downloads), downloads
    assert any("/zh/_sources/" in link for link in downloads), "the Chinese edition's notebooks are downloadable too"
    notebook = json.loads(_get(downloads[0])[1])
    assert any(cell.get("outputs") for cell in notebook["cells"]), "the download is the executed notebook"
    assert server + "zh/index.html" in inside and server + "index.html" in inside, "the editions link each other"

    # the front page: the intro, the lessons in order in the navigation
    page.goto(server, wait_until="load")
    navigation = page.locator("nav.bd-links a").all_inner_texts()
    assert [t.strip() for t in navigation if t.strip()[:2].isdigit()] == \
        ["01 · A stand-in lesson", "02 · A stand-in lesson"], navigation
    page.screenshot(path=str(tmp_path / "book_front.png"), full_page=True)

    assert _search(page, server + "search.html?q=perplexity") >= 2, "the search finds the term in both lessons"
    assert _search(page, server + "zh/search.html?q=" + urllib.parse.quote("困惑度")) >= 1, "the Chinese search"
    assert _search(page, server + "search.html?q=zyxwvut") == 0, "the search does not find what is not there"

    assert not recorder.failed, f"requests that failed: {recorder.failed}"
    assert not recorder.errors, f"script errors on the pages: {recorder.errors}"
    assert not recorder.outside(), f"requests outside this machine: {recorder.outside()}"
    assert len(recorder.requests) > len(pages), "the recorder saw the requests"
    recorder.context.close()


def test_book_from_its_folder(site, chromium):
    """Opened as files (a USB stick, no server): pictures, equations and the search still work."""
    recorder = Recorder(chromium, site.as_uri() + "/")
    page = recorder.page
    for name in ("01_first_stand_in.html", "zh/02_second_stand_in.html"):
        _check_page(page, (site / name).as_uri(), lesson=True)
    links = _check_page(page, (site / "index.html").as_uri(), lesson=False)
    assert (site / "zh" / "index.html").as_uri() in links, "the front page links to the Chinese edition"
    assert not recorder.errors, f"script errors on the pages: {recorder.errors}"
    assert _search(page, (site / "search.html").as_uri() + "?q=perplexity") >= 2
    # From file:// the browser refuses the search's fetch of each found page for its excerpt (the
    # results are listed, without excerpts); that is the only error the search page may raise there.
    assert set(recorder.errors) <= {"Failed to fetch"}, f"script errors on the search page: {recorder.errors}"
    assert not recorder.outside(), f"requests outside this machine: {recorder.outside()}"
    recorder.context.close()

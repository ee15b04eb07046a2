"""A page written by the runner renders its equations and widgets in Chromium with no internet.

The page (an equation in Markdown, an IntSlider with its saved state) is opened twice: served by a
plain static web server on 127.0.0.1, and straight from disk (``file://``, a double-click). Every
request that leaves the page's origin is aborted and recorded, and so is every failed load, so a
script fetched from the internet or a file missing from ``_static/`` fails the test. MathJax must
have typeset the equation and the widget manager must have drawn the slider.
"""

from __future__ import annotations

import functools
import http.server
import threading

import ipywidgets
import nbformat
import pytest
from ipywidgets.embed import embed_data

from aigc_course import web_assets
from aigc_course.runner import write_html

pytestmark = pytest.mark.browser

EQUATION = r"Energy: $E = mc^2$, and $$\sum_{i=1}^{n} i = \frac{n(n+1)}{2}$$"


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    """build/lesson.html with live widgets, and the build folder."""
    if web_assets.widget_files() is None:
        pytest.skip("the widget scripts are not installed: run `make web-assets` (with a network) once")
    slider = ipywidgets.IntSlider(value=7, min=0, max=10, description="n")
    data = embed_data(views=[slider])
    nb = nbformat.v4.new_notebook()
    output = nbformat.v4.new_output("display_data", data={
        "application/vnd.jupyter.widget-view+json": data["view_specs"][0], "text/plain": repr(slider)})
    nb.cells = [nbformat.v4.new_markdown_cell(EQUATION), nbformat.v4.new_code_cell("slider", outputs=[output])]
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": data["manager_state"]}
    build = tmp_path_factory.mktemp("build")
    assert write_html(nb, build / "lesson.html").widgets
    return build




@pytest.fixture(scope="module")
def server(page):
    """A static web server for the build folder on 127.0.0.1 (a random free port)."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(page))
    handler.log_message = lambda *args: None
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def _open_offline(chromium, url: str, allowed_prefix: str):
    """Open ``url`` with every request outside ``allowed_prefix`` aborted; return the tab and what went wrong."""
    context = chromium.new_context()
    blocked: list[str] = []
    failed: list[str] = []

    def route(request_route):
        if request_route.request.url.startswith(allowed_prefix):
            request_route.continue_()
        else:
            blocked.append(request_route.request.url)
            request_route.abort()

    context.route("**/*", route)
    tab = context.new_page()
    tab.on("requestfailed", lambda request: failed.append(f"{request.url} ({request.failure})")
           if not request.url.startswith(("about:", "data:")) else None)  # no load: an empty frame, inline data
    tab.on("response", lambda response: failed.append(f"{response.url} ({response.status})")
           if response.status >= 400 else None)
    tab.goto(url)
    return tab, blocked, failed


def _check_rendered(tab, blocked, failed):
    tab.wait_for_selector(".MathJax, .MathJax_Display", state="attached", timeout=20_000)
    slider = tab.wait_for_selector(".widget-slider", timeout=20_000)
    assert slider.is_visible()
    tab.wait_for_timeout(500)  # let MathJax's font loads settle
    text = tab.inner_text("body")
    assert "$E = mc^2$" not in text and "\\frac" not in text  # typeset, not raw LaTeX
    assert "IntSlider(value=" not in text
    assert tab.locator(".widget-readout").first.inner_text().strip() == "7"
    assert blocked == [], f"requests to outside the build folder: {blocked}"
    assert failed == [], f"failed loads: {failed}"


def test_served_page_renders_math_and_widgets_offline(chromium, server):
    tab, blocked, failed = _open_offline(chromium, f"{server}/lesson.html", server + "/")
    try:
        _check_rendered(tab, blocked, failed)
    finally:
        tab.context.close()


def test_page_opened_from_disk_renders_math_and_widgets_offline(chromium, page):
    tab, blocked, failed = _open_offline(chromium, (page / "lesson.html").as_uri(), page.as_uri() + "/")
    try:
        _check_rendered(tab, blocked, failed)
    finally:
        tab.context.close()

"""Browser tests: JupyterLab driven by Playwright in the system Chromium.

Every test here carries the ``browser`` marker (select with ``-m browser``, leave out
with ``-m "not browser"``). Where Chromium or Playwright is missing the tests are
skipped with the reason and the command that fixes it, never failed.

One JupyterLab server (fast mode: ``AIGC_FAST=1`` in its environment, so kernels
inherit it) and one headless Chromium serve the whole session. Playwright's sync API allows
one instance per thread, so every test takes the browser from the ``chromium`` fixture.
"""

from __future__ import annotations

import importlib.util
import json
import os
import time
from pathlib import Path

import pytest
from folder_marks import mark_folder
from jupyterlab_driver import CHROMIUM_ARGS, CHROMIUM_CANDIDATES, SCREENSHOT_DIR, LabBrowser, find_chromium
from lab_server import LabServer

HERE = Path(__file__).resolve().parent


def _missing() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    if find_chromium() is None:
        return (f"Chromium not found at {' or '.join(map(str, CHROMIUM_CANDIDATES))}: "
                "install it with `apt-get install chromium` (Debian/Ubuntu, as root) to run the browser tests")
    if importlib.util.find_spec("playwright") is None:
        return "the Python package playwright is missing: `pip install -e '.[dev]'`"
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    mark_folder(items, HERE, pytest.mark.browser, _missing())


@pytest.fixture(scope="session")
def lab_server():
    """JupyterLab on 127.0.0.1, random port and token, in a temporary folder, fast mode."""
    with LabServer(env={"AIGC_FAST": "1"}) as server:
        yield server


@pytest.fixture(scope="session")
def chromium():
    """The session's one Playwright and one headless system Chromium (a playwright Browser)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(find_chromium()), args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="session")
def lab_browser(lab_server, chromium):
    with LabBrowser(lab_server, chromium=chromium) as browser:
        yield browser


@pytest.fixture(scope="session")
def browser_reports():
    """Collects each notebook's report; at the end writes build/screenshots/browser_report.json
    with the wall time of the notebook tests, server and browser start included (the
    notebook test asks for this fixture before the server)."""
    reports: dict = {}
    start = time.monotonic()
    yield reports
    if reports:
        summary = {
            "wall_seconds": round(time.monotonic() - start, 1),
            "load_average": [round(x, 2) for x in os.getloadavg()] if hasattr(os, "getloadavg") else None,
            "notebooks": reports,
        }
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        (SCREENSHOT_DIR / "browser_report.json").write_text(
            json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )

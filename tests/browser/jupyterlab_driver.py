"""Drive the course the way a learner meets it: JupyterLab in a headless Chromium.

Two pieces, both usable as context managers:

- :class:`lab_server.LabServer` starts ``jupyter lab`` on 127.0.0.1 with a random free
  port and a random token in a throw-away folder, and stops it however the test ends.
- :class:`LabBrowser` launches the system Chromium through Playwright (Playwright's
  own browser download is not used) and opens notebooks in that server.

:meth:`LabBrowser.open` opens a notebook in a new tab and returns a :class:`NotebookRun`:
``run_all`` runs every cell from the *Run* menu and waits (with a bounded timeout)
until the kernel is idle and no cell is queued; then it can list error outputs,
widgets that fell back to text, and poke every rendered widget to check that its
output responds. :func:`check_notebook` does all of that and takes the screenshot;
the lesson test and the helpers' own tests both go through it.

The checks are generic: they rely on the DOM classes ipywidgets 8 gives its views
(``.jupyter-widgets``, ``.widget-slider``, ``.widget-dropdown``, ``.widget-button``,
``.widget-output``...) and on the plain-text repr a widget shows when it cannot render
(``IntSlider(value=...)``, ``VBox(children=...)``). The JavaScript it runs in the page
lives in ``page_scripts.py``.
"""

from __future__ import annotations

import json
import os
import re
import time
import urllib.error
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lab_server import REPO, LabServer
from page_scripts import (
    CONTROL_ROOTS,
    CONTROL_SELECTORS,
    JS_MUTATIONS,
    JS_OBSERVE,
    JS_PROMPTS,
    JS_SCROLL_BOX,
    JS_SCROLL_TO,
    JS_SETUP,
    JS_SIGNATURE,
    JS_TAG_CONTROL,
    JS_TEXT_OUTPUTS,
    JS_TRACEBACKS,
)

SCREENSHOT_DIR = REPO / "build" / "screenshots"

# Debian's wrapper script is /usr/bin/chromium; the binary behind it skips a noisy shell wrapper.
CHROMIUM_CANDIDATES = (Path("/usr/lib/chromium/chromium"), Path("/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",  # needed as root; harmless otherwise in a throw-away headless browser
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
# The text/plain repr of an ipywidget, e.g. "IntSlider(value=3, ...)" or "VBox(children=(...))".
# Shown instead of the widget when the front end cannot render it.
WIDGET_TEXT_FALLBACK = re.compile(
    r"\b(?:[A-Z][A-Za-z]*(?:Slider|Box|Dropdown|Button|Buttons|Text|Textarea|Output|Progress|"
    r"Checkbox|Select|Play|Label|HTML|Image|Tab|Accordion|Picker))\((?:value|children|description|options|outputs)="
)
# What the widget manager shows when a model cannot be found or rendered.
WIDGET_RENDER_ERRORS = ("Error displaying widget", "Loading widget...")
# Chromium cannot capture a page much taller than this in one screenshot (CSS px, scale 1).
MAX_SHOT_PX = 15000
# How long to wait, after a widget update has settled, for an error to reach the log console.
LOG_SETTLE_MS = 1000


def find_chromium() -> Path | None:
    """The system Chromium executable, or None when it is not installed."""
    for path in CHROMIUM_CANDIDATES:
        if path.is_file() and os.access(path, os.X_OK):
            return path
    return None


# --------------------------------------------------------------------------------------
# What a run found
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CellError:
    """An error output: ``cell`` is the 0-based index among all cells of the notebook,
    -1 for an error that only reached JupyterLab's log console (a widget callback)."""

    cell: int
    ename: str
    evalue: str

    def __str__(self) -> str:
        where = f"cell {self.cell}" if self.cell >= 0 else "the log console"
        return f"{where}: {self.ename}: {self.evalue}"


@dataclass(frozen=True)
class WidgetView:
    """A widget displayed in a cell's output area (ipywidgets view, rendered in the DOM)."""

    cell: int  # 0-based index among all cells
    index: int  # its number among all widget views of the notebook (document order)
    classes: str  # the CSS classes of its root element, e.g. "widget-vbox widget-interact"
    controls: tuple[str, ...]  # kinds of controls inside it, e.g. ("slider", "dropdown", "button")

    @property
    def interactive(self) -> bool:
        return bool(self.controls)


@dataclass(frozen=True)
class PokeResult:
    """What happened when one control of a widget was changed."""

    widget: WidgetView
    control: str  # kind, e.g. "slider"
    label: str  # its description or text, to name it in messages
    changed: bool  # the widget's non-control content (text, images) differs afterwards
    rerendered: bool  # something outside the controls was redrawn (even if identical)
    new_errors: tuple[str, ...]  # tracebacks that appeared in the cell's outputs
    seconds: float

    @property
    def visible(self) -> bool:
        """The control changed what is shown. A slider, dropdown or text box must change
        the content; a button may redraw the same thing (e.g. "sample again" with a fixed
        seed), so a redraw counts for it."""
        return self.changed or (self.control in ("button", "toggle-button") and self.rerendered)

    @property
    def responded(self) -> bool:
        """The control did something visible and raised nothing."""
        return self.visible and not self.new_errors

    def __str__(self) -> str:
        state = "changed" if self.changed else ("redrawn" if self.rerendered else "did NOT change")
        text = f"widget #{self.widget.index} (cell {self.widget.cell}) {self.control} {self.label!r}: output {state} after {self.seconds:.1f} s"
        if self.new_errors:
            text += "; new error: " + " | ".join(e.splitlines()[-1][:200] for e in self.new_errors)
        return text


class NotebookTimeout(TimeoutError):
    """The notebook did not finish within the allowed time."""


# --------------------------------------------------------------------------------------
# The browser
# --------------------------------------------------------------------------------------


class LabBrowser:
    """Headless system Chromium, driven by Playwright, pointed at a :class:`LabServer`."""

    def __init__(
        self, server: LabServer, width: int = 1400, height: int = 1000, screenshot_dir: Path = SCREENSHOT_DIR,
        chromium: Any = None,
    ) -> None:
        """``chromium``: a Playwright browser already launched (one Playwright per thread: a second
        ``sync_playwright()`` beside a running one fails), used and left open; None launches our own."""
        self.server = server
        self.screenshot_dir = Path(screenshot_dir)
        self.viewport = {"width": width, "height": height}
        self._playwright: Any = None
        self._browser: Any = chromium
        self._owns_browser = chromium is None

    def start(self) -> "LabBrowser":
        from playwright.sync_api import sync_playwright

        if not self._owns_browser:
            return self

        executable = find_chromium()
        if executable is None:
            raise RuntimeError(f"no Chromium at {' or '.join(map(str, CHROMIUM_CANDIDATES))}")
        self._playwright = sync_playwright().start()
        try:
            self._browser = self._playwright.chromium.launch(
                executable_path=str(executable), args=CHROMIUM_ARGS, headless=True
            )
        except BaseException:
            self._playwright.stop()
            raise
        return self

    def stop(self) -> None:
        if not self._owns_browser:
            return
        browser, self._browser = self._browser, None
        playwright, self._playwright = self._playwright, None
        try:
            if browser is not None:
                browser.close()
        finally:
            if playwright is not None:
                playwright.stop()

    def __enter__(self) -> "LabBrowser":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def open(self, notebook: str, timeout: float = 90.0) -> "NotebookRun":
        """Open ``notebooks/<notebook>`` in a new tab and wait until its kernel is ready."""
        if self._browser is None:
            raise RuntimeError("the browser has not been started")
        if not (self.server.notebooks_dir / notebook).is_file():
            raise ValueError(f"notebook must be a file in the server's notebooks folder, got {notebook!r}")
        page = self._browser.new_page(viewport=self.viewport)
        run = NotebookRun(self.server, page, notebook, self.screenshot_dir)
        try:
            run._open(timeout)
        except BaseException:
            run.screenshot(suffix="-failed")
            page.close()
            raise
        return run


class NotebookRun:
    """One notebook open in one browser tab. Create with :meth:`LabBrowser.open`."""

    def __init__(self, server: LabServer, page: Any, notebook: str, screenshot_dir: Path = SCREENSHOT_DIR) -> None:
        self.server = server
        self.screenshot_dir = Path(screenshot_dir)
        self.page = page
        self.notebook = notebook
        self.path = server.notebooks_dir / notebook
        self.console_errors: list[str] = []
        self.kernel_dialogs = 0  # "Select Kernel" dialogs answered (notebook without kernelspec)
        self.run_seconds: float | None = None
        page.on("console", lambda m: m.type == "error" and self.console_errors.append(m.text))
        page.on("pageerror", lambda e: self.console_errors.append(f"page error: {e}"))

    # -- opening and running ----------------------------------------------------------------

    def _status_text(self) -> str:
        return self.page.evaluate(
            "() => { const s = document.querySelector('#jp-main-statusbar'); return s ? s.innerText : ''; }"
        )

    def _kernel(self) -> dict[str, Any] | None:
        """The kernel of this notebook's session, from the server's REST API."""
        for session in self.server.api("GET", "/api/sessions"):
            if session.get("path", "").endswith(f"notebooks/{self.notebook}") and session.get("kernel"):
                return session["kernel"]
        return None

    def _open(self, timeout: float) -> None:
        page = self.page
        url = f"{self.server.url}/lab/tree/notebooks/{self.notebook}?token={self.server.token}&reset"
        page.goto(url, timeout=timeout * 1000)
        page.wait_for_selector(".jp-NotebookPanel .jp-Notebook .jp-Cell", timeout=timeout * 1000)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            dialog = page.locator(".jp-Dialog .jp-mod-accept")
            if dialog.count():
                # A notebook without kernelspec metadata asks which kernel to use; a
                # learner would press "Select" (the default, Python 3) as well.
                dialog.first.click()
                self.kernel_dialogs += 1
            kernel = self._kernel()
            status = self._status_text()
            if (kernel and kernel.get("connections", 0) >= 1 and kernel.get("execution_state") == "idle"
                    and re.search(r"\|\s*Idle", status)):
                break
            time.sleep(0.3)
        else:
            raise NotebookTimeout(f"{self.notebook}: the kernel was not ready after {timeout:.0f} s "
                                  f"(status bar: {self._status_text()!r})")
        # Give the notebook the whole width: hide the file browser (Ctrl+B toggles it).
        page.locator(".jp-NotebookPanel .jp-Notebook").first.click(position={"x": 5, "y": 5})
        page.keyboard.press("Control+b")

    def _menu(self, menu: str, command: str) -> None:
        self.page.locator(".lm-MenuBar-item", has_text=re.compile(rf"^{re.escape(menu)}$")).click()
        self.page.locator(f'.lm-Menu-item[data-command="{command}"]').click()

    def prompts(self) -> list[str | None]:
        """The input prompt of every cell ("[3]:", "[*]:", "[ ]:"), None for markdown/raw cells."""
        return self.page.evaluate(JS_PROMPTS)

    def run_all(self, timeout: float) -> float:
        """Run all cells from the Run menu and wait until they finished; returns the seconds taken.

        Finished means: the kernel reports idle (REST API and status bar), no cell
        shows ``[*]``, and this held for a second. Raises :class:`NotebookTimeout`
        after ``timeout`` seconds, naming the cell that was still running.
        """
        if timeout <= 0:
            raise ValueError(f"timeout must be > 0 seconds, got {timeout}")
        start = time.monotonic()
        self._menu("Run", "runmenu:run-all")
        deadline = start + timeout
        started = False
        quiet_since: float | None = None
        while True:
            now = time.monotonic()
            prompts = self.prompts()
            if all(p is None for p in prompts):  # nothing to run: markdown only
                break
            busy = any(p is not None and "*" in p for p in prompts)
            ran = any(p is not None and re.search(r"\[\d+\]", p) for p in prompts)
            started = started or busy or ran
            kernel = self._kernel()
            idle = (kernel is not None and kernel.get("execution_state") == "idle"
                    and bool(re.search(r"\|\s*Idle", self._status_text())))
            if started and not busy and idle:
                quiet_since = quiet_since or now
                if now - quiet_since >= 1.0:
                    break
            else:
                quiet_since = None
            if now > deadline:
                running = [i for i, p in enumerate(prompts) if p is not None and "*" in p]
                raise NotebookTimeout(
                    f"{self.notebook}: still running after {timeout:.0f} s"
                    + (f" (cell {running[0]} shows [*])" if running else "")
                )
            time.sleep(0.25)
        self.run_seconds = time.monotonic() - start
        self.page.evaluate(JS_SETUP, [CONTROL_SELECTORS, CONTROL_ROOTS])
        return self.run_seconds

    def save(self, timeout: float = 30.0) -> dict[str, Any]:
        """Save from the File menu, wait until the tab is clean, and return the saved notebook JSON."""
        before = self.path.stat().st_mtime_ns
        self._menu("File", "docmanager:save")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            dirty = self.page.locator(".jp-mod-current.jp-mod-dirty, .lm-TabBar-tab.jp-mod-current.jp-mod-dirty").count()
            if not dirty and self.path.stat().st_mtime_ns != before:
                break
            time.sleep(0.2)
        else:
            raise TimeoutError(f"{self.notebook}: not saved within {timeout:.0f} s")
        return json.loads(self.path.read_text(encoding="utf-8"))

    # -- checks -------------------------------------------------------------------------------

    def error_outputs(self) -> list[CellError]:
        """Every error output, read from the saved notebook (error outputs and plain stderr
        look alike in the DOM), plus tracebacks shown in the page that the file lacks
        (e.g. inside an Output widget)."""
        saved = self.save()
        errors = [
            CellError(ci, out.get("ename", "?"), out.get("evalue", ""))
            for ci, cell in enumerate(saved["cells"])
            for out in cell.get("outputs", [])
            if out.get("output_type") == "error"
        ]
        for text in self.log_errors():
            last = [line for line in text.splitlines() if line.strip()]
            errors.append(CellError(-1, "error in the log console", last[-1][:300] if last else ""))
        known = {e.cell for e in errors}
        for ci, cell_text in self._dom_tracebacks_by_cell():
            if ci not in known:
                last = [line for line in cell_text.splitlines() if line.strip()]
                errors.append(CellError(ci, "Traceback shown in page", last[-1][:300] if last else ""))
        return errors

    def _dom_tracebacks_by_cell(self) -> list[tuple[int, str]]:
        found = []
        count = self.page.evaluate("() => window.__aigc.cells.length")
        for ci in range(count):
            for text in self.page.evaluate(JS_TRACEBACKS, ci):
                found.append((ci, text))
        return found

    def unexecuted_cells(self) -> list[int]:
        """Code cells with source that never ran (Run All stops at the first error)."""
        saved = json.loads(self.path.read_text(encoding="utf-8"))
        return [
            ci for ci, cell in enumerate(saved["cells"])
            if cell["cell_type"] == "code" and "".join(cell["source"]).strip() and cell.get("execution_count") is None
        ]

    def text_fallbacks(self) -> list[tuple[int, str]]:
        """Widgets shown as text instead of rendered: their repr (``IntSlider(value=...)``)
        or the widget manager's "Error displaying widget" message; (cell, text) pairs."""
        found = []
        for ci, text in self.page.evaluate(JS_TEXT_OUTPUTS):
            if WIDGET_TEXT_FALLBACK.search(text) or text.startswith(WIDGET_RENDER_ERRORS):
                found.append((ci, text.strip()[:200]))
        return found

    def widgets(self) -> list[WidgetView]:
        """Every widget view rendered in a cell's outputs, in document order."""
        views = self.page.evaluate(JS_SETUP, [CONTROL_SELECTORS, CONTROL_ROOTS])
        return [WidgetView(v["cell"], v["index"], v["classes"], tuple(v["controls"])) for v in views]

    def cell_seconds(self) -> list[tuple[int, float]]:
        """(cell, seconds) for every code cell that finished, slowest first, from the
        execution times JupyterLab recorded in the saved file (``recordTiming``)."""
        from datetime import datetime

        saved = json.loads(self.path.read_text(encoding="utf-8"))
        found = []
        for ci, cell in enumerate(saved["cells"]):
            timing = cell.get("metadata", {}).get("execution", {})
            start, end = timing.get("iopub.execute_input"), timing.get("shell.execute_reply")
            if start and end:
                seconds = (datetime.fromisoformat(end.replace("Z", "+00:00"))
                           - datetime.fromisoformat(start.replace("Z", "+00:00"))).total_seconds()
                found.append((ci, seconds))
        return sorted(found, key=lambda item: -item[1])

    def interrupt(self, timeout: float = 30.0) -> None:
        """Interrupt the kernel (as the stop button does) and wait until it is idle."""
        kernel = self._kernel()
        if kernel is None:
            return
        self.server.api("POST", f"/api/kernels/{kernel['id']}/interrupt")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            kernel = self._kernel()
            if kernel is None or kernel.get("execution_state") == "idle":
                return
            time.sleep(0.3)

    def log_errors(self) -> list[str]:
        """Errors in JupyterLab's log console for this notebook: where a widget callback's
        exception goes when it is not raised inside an ``Output`` widget."""
        title = self.page.evaluate(
            "() => { const e = document.querySelector('.jp-LogConsoleStatusItem [title]');"
            " return e ? e.getAttribute('title') : ''; }"
        )
        match = re.search(r"(\d+) log entr", title or "")
        if not match or int(match.group(1)) == 0:
            return []
        if not self.page.locator(".jp-LogConsolePanel").count():
            self.page.locator(".jp-LogConsoleStatusItem [title]").first.click()
            self.page.wait_for_selector(".jp-LogConsolePanel", timeout=10_000)
        return self.page.evaluate(
            "() => Array.from(document.querySelectorAll('.jp-LogConsolePanel .jp-OutputArea-child'))"
            ".filter(e => e.querySelector('[data-log-level=\"error\"]') || (e.textContent || '').includes('Traceback'))"
            ".map(e => (e.querySelector('.jp-OutputArea-output') || e).textContent)"
        )

    def saved_widget_outputs(self) -> int:
        """How many outputs of the saved file carry the widget mime type (what the kernel displayed)."""
        saved = json.loads(self.path.read_text(encoding="utf-8"))
        return sum(
            WIDGET_MIME in out.get("data", {})
            for cell in saved["cells"] for out in cell.get("outputs", [])
        )

    def poke(self, widget: WidgetView, kind: str | None = None, timeout: float = 20.0) -> PokeResult | None:
        """Change one control of ``widget`` the way a learner would, and watch its cell's outputs.

        ``kind`` picks the control (a key of :data:`CONTROL_SELECTORS`); by default the
        first kind present in preference order (slider, dropdown, ...). Waits until the
        output changes (or ``timeout`` seconds pass), then until the kernel is idle and
        the page has been still for half a second. Returns None when no control of that
        kind can be changed now (hidden, disabled, or a dropdown with one option).
        """
        if kind is None:
            if not widget.controls:
                raise ValueError(f"widget #{widget.index} has no control to change")
            kind = widget.controls[0]
        if kind not in widget.controls:
            raise ValueError(f"kind must be one of the widget's controls {widget.controls}, got {kind!r}")
        # Tag the control in the page, then address it by that tag. (The widget's root may be
        # the control itself, e.g. a bare slider, which a scoped locator would not match.)
        found = self.page.evaluate(JS_TAG_CONTROL, [widget.index, CONTROL_SELECTORS[kind]])
        if found == "missing":
            raise RuntimeError(f"widget #{widget.index}: no {kind} control found in the page any more")
        if found == "unusable":
            return None  # every control of this kind is hidden or disabled right now
        control = self.page.locator("[data-aigc-control]").first
        if not self._has_alternative(kind, control):
            return None  # e.g. a dropdown with a single option
        control.scroll_into_view_if_needed()
        before = self.page.evaluate(JS_SIGNATURE, widget.cell)
        errors_before = set(self.page.evaluate(JS_TRACEBACKS, widget.cell))
        log_before = len(self.log_errors())
        self.page.evaluate(JS_OBSERVE, widget.cell)
        start = time.monotonic()
        label = self._change(kind, control)
        deadline = start + timeout
        changed = False
        while time.monotonic() < deadline:
            mutations, _ = self.page.evaluate(JS_MUTATIONS)
            if mutations or self.page.evaluate(JS_SIGNATURE, widget.cell) != before:
                break
            time.sleep(0.1)
        # Let the update finish: kernel idle and the outputs still for 0.5 s.
        while time.monotonic() < deadline:
            mutations, still_ms = self.page.evaluate(JS_MUTATIONS)
            kernel = self._kernel()
            if (not mutations or still_ms > 500) and kernel and kernel.get("execution_state") == "idle":
                break
            time.sleep(0.1)
        seconds = time.monotonic() - start
        # The log console's counter updates a moment after the kernel goes idle.
        self.page.wait_for_timeout(LOG_SETTLE_MS)
        mutations, _ = self.page.evaluate(JS_MUTATIONS)
        self.page.evaluate("() => window.__aigc.observer && window.__aigc.observer.disconnect()")
        changed = self.page.evaluate(JS_SIGNATURE, widget.cell) != before
        new_errors = tuple(t for t in self.page.evaluate(JS_TRACEBACKS, widget.cell) if t not in errors_before)
        new_errors += tuple(self.log_errors()[log_before:])
        return PokeResult(widget, kind, label, changed, mutations > 0, new_errors, seconds)

    def _has_alternative(self, kind: str, control: Any) -> bool:
        """False when a choice control offers nothing else to pick."""
        if kind in ("dropdown", "select"):
            return control.evaluate("s => s.options.length") > 1
        if kind in ("toggle-buttons", "radio"):
            group = ".widget-toggle-buttons" if kind == "toggle-buttons" else ".widget-radio-box"
            item = ".widget-toggle-button" if kind == "toggle-buttons" else "input[type=radio]"
            return control.evaluate(f"(e) => e.closest('{group}').querySelectorAll('{item}').length") > 1
        return True

    def _change(self, kind: str, control: Any) -> str:
        """Change one control; returns a label naming it."""
        if kind == "slider":
            now = float(control.get_attribute("aria-valuenow") or 0)
            top = float(control.get_attribute("aria-valuemax") or 0)
            control.focus()
            self.page.keyboard.press("ArrowLeft" if now >= top else "ArrowRight")
            return self._label(control, ".widget-slider")
        if kind in ("dropdown", "select"):
            values = control.evaluate("s => Array.from(s.options).map(o => o.value)")
            current = control.evaluate("s => s.value")
            others = [v for v in values if v != current]
            if not others:
                raise ValueError("the dropdown offers no other value to pick")
            control.select_option(others[0])
            return self._label(control, ".widget-dropdown, .widget-select")
        if kind == "toggle-buttons":
            group = control.locator("xpath=ancestor::*[contains(@class,'widget-toggle-buttons')][1]")
            target = group.locator(".widget-toggle-button:not(.mod-active)").first
            label = target.inner_text()  # before the click: the locator re-resolves afterwards
            target.click()
            return label
        if kind == "radio":
            group = control.locator("xpath=ancestor::*[contains(@class,'widget-radio-box')][1]")
            target = group.locator("input[type=radio]:not(:checked)").first
            target.check()
            return self._label(control, ".widget-radio")
        if kind == "text":
            if control.get_attribute("type") == "number":
                control.focus()
                self.page.keyboard.press("ArrowUp")
                self.page.keyboard.press("Enter")
            else:
                control.fill((control.input_value() or "") + " more")
                self.page.keyboard.press("Tab" if control.evaluate("e => e.tagName") == "TEXTAREA" else "Enter")
            return self._label(control, ".widget-text, .widget-textarea")
        if kind == "checkbox":
            control.click()
            return control.evaluate("e => (e.closest('label') || e).textContent.trim()")
        if kind in ("toggle-button", "button"):
            control.click()
            return control.inner_text() or control.get_attribute("title") or kind
        raise ValueError(f"kind must be one of {list(CONTROL_SELECTORS)}, got {kind!r}")

    @staticmethod
    def _label(control: Any, root: str) -> str:
        return control.evaluate(
            "(e, root) => { const r = e.closest(root); const l = r && r.querySelector('.widget-label');"
            " return l ? l.textContent : ''; }",
            root,
        )

    # -- pictures and cleanup ------------------------------------------------------------------

    def screenshot(self, suffix: str = "", folder: Path | None = None) -> Path:
        """A picture of the whole notebook, saved as ``<folder>/<notebook stem><suffix>.png``.

        The viewport grows to show every cell at once, menus and status bar included.
        A notebook taller than Chromium can capture in one go (``MAX_SHOT_PX``) is
        captured in slices of its scroll area, stitched into one picture.
        """
        folder = Path(folder) if folder is not None else self.screenshot_dir
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{Path(self.notebook).stem}{suffix}.png"
        height = self.viewport_height_needed()
        old = self.page.viewport_size
        try:
            if height <= MAX_SHOT_PX:
                if height > old["height"]:
                    self.page.set_viewport_size({"width": old["width"], "height": height})
                    self.page.wait_for_timeout(500)
                self.page.screenshot(path=str(path))
            else:
                self._stitched_screenshot(path, old["width"])
        finally:
            self.page.set_viewport_size(old)
        return path

    def _stitched_screenshot(self, path: Path, width: int, slice_px: int = 4000) -> None:
        from io import BytesIO

        from PIL import Image

        self.page.set_viewport_size({"width": width, "height": slice_px})
        self.page.wait_for_timeout(500)
        box = self.page.evaluate(JS_SCROLL_BOX)
        total = box["content"]
        slices, y = [], 0
        while y < total:
            actual = self.page.evaluate(JS_SCROLL_TO, y)  # the browser clamps at the end
            self.page.wait_for_timeout(150)
            png = self.page.screenshot(clip={"x": box["left"], "y": box["top"], "width": box["width"],
                                             "height": box["client"]})
            image = Image.open(BytesIO(png))
            skip = y - actual  # rows already in the previous slice
            take = min(box["client"] - skip, total - y)
            if take <= 0:
                break
            slices.append(image.crop((0, skip, image.width, skip + take)))
            y += take
        self.page.evaluate(JS_SCROLL_TO, 0)
        picture = Image.new("RGB", (slices[0].width, sum(s.height for s in slices)), "white")
        top = 0
        for piece in slices:
            picture.paste(piece, (0, top))
            top += piece.height
        picture.save(path)

    def viewport_height_needed(self) -> int:
        """Viewport height that shows every cell at once: the last cell's bottom edge in the
        notebook's scroll area, plus the menus and status bar around it."""
        return int(self.page.evaluate(
            "() => { const s = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-WindowedPanel-outer');"
            " const cells = s ? s.querySelectorAll('.jp-Cell') : [];"
            " if (!cells.length) return window.innerHeight;"
            " const bottom = cells[cells.length - 1].getBoundingClientRect().bottom - s.getBoundingClientRect().top + s.scrollTop;"
            " return Math.ceil(bottom + (window.innerHeight - s.clientHeight) + 40); }"
        ))

    def close(self) -> None:
        """Close the tab and shut the notebook's kernel down."""
        kernel = None
        try:
            kernel = self._kernel()
        finally:
            self.page.close()
            if kernel:
                try:
                    self.server.api("DELETE", f"/api/kernels/{kernel['id']}")
                except urllib.error.HTTPError:
                    pass


def describe(run: NotebookRun) -> str:
    """A few lines for a failure message: console errors and the server log tail."""
    lines = []
    if run.console_errors:
        lines.append("browser console errors:\n  " + "\n  ".join(e[:300] for e in run.console_errors[-10:]))
    lines.append("JupyterLab log tail:\n" + run.server.log_tail(1500))
    return "\n".join(lines)


# --------------------------------------------------------------------------------------
# The whole check, as the browser test runs it
# --------------------------------------------------------------------------------------


@dataclass
class NotebookReport:
    """Everything :func:`check_notebook` found about one notebook."""

    notebook: str
    run_seconds: float | None = None
    total_seconds: float = 0.0
    errors: list[CellError] = field(default_factory=list)
    unexecuted: list[int] = field(default_factory=list)
    text_fallbacks: list[tuple[int, str]] = field(default_factory=list)
    widgets: list[WidgetView] = field(default_factory=list)
    saved_widget_outputs: int = 0
    pokes: list[PokeResult] = field(default_factory=list)
    screenshot: Path | None = None
    kernel_dialogs: int = 0
    problems: list[str] = field(default_factory=list)  # failures that are not one of the above
    notes: str = ""
    strict_controls: bool = False  # every poked control must change the output, not just one per widget
    skipped_controls: list[str] = field(default_factory=list)  # hidden, disabled or single-choice controls
    slowest_cells: list[tuple[int, float]] = field(default_factory=list)  # (cell, seconds), slowest first

    @property
    def failures(self) -> list[str]:
        """Each reason the notebook fails the course's browser check; empty when it passes."""
        out = list(self.problems)
        out += [f"error output in {e}" for e in self.errors]
        if self.unexecuted:
            out.append(f"code cells never ran: {self.unexecuted}")
        out += [f"widget shown as text in cell {ci}: {text!r}" for ci, text in self.text_fallbacks]
        out += [f"control raised an error: {p}" for p in self.pokes if p.new_errors]
        if self.strict_controls:
            out += [f"control did not work: {p}" for p in self.pokes if not p.visible]
        else:
            for widget in self.widgets:
                pokes = [p for p in self.pokes if p.widget == widget]
                if pokes and not any(p.visible for p in pokes):
                    out += [f"no control of widget #{widget.index} (cell {widget.cell}) changed its output: "
                            + "; ".join(str(p) for p in pokes)]
        return out

    def quiet_controls(self) -> list[PokeResult]:
        """Controls that changed nothing visible (allowed when another control of the widget did)."""
        return [p for p in self.pokes if not p.visible]

    def summary(self) -> str:
        ran = f"ran in {self.run_seconds:.1f} s" if self.run_seconds is not None else "did not finish"
        lines = [f"{self.notebook}: {ran} "
                 f"({self.total_seconds:.1f} s with opening and checks), "
                 f"{len(self.widgets)} widget views, {sum(w.interactive for w in self.widgets)} interactive, "
                 f"screenshot {self.screenshot}"]
        if self.slowest_cells:
            lines.append("  slowest cells: " + ", ".join(f"cell {ci} {sec:.1f} s" for ci, sec in self.slowest_cells))
        lines += [f"  {p}" for p in self.pokes]
        if self.quiet_controls() and not self.strict_controls:
            lines.append("  note: some controls changed nothing visible in this state (another control of "
                         "the same widget did): " + ", ".join(f"{p.control} {p.label!r}" for p in self.quiet_controls()))
        if self.skipped_controls:
            lines.append("  note: nothing to change (hidden, disabled or one choice): " + ", ".join(self.skipped_controls))
        if self.saved_widget_outputs != len(self.widgets):
            lines.append(f"  note: {self.saved_widget_outputs} widget outputs saved, {len(self.widgets)} widget "
                         "views on the page (closed widgets, e.g. finished progress bars, leave the page)")
        if self.kernel_dialogs:
            lines.append("  note: the notebook has no kernelspec metadata; JupyterLab asked for a kernel")
        lines += [f"  FAIL {f}" for f in self.failures]
        return "\n".join(lines)


def check_notebook(
    browser: LabBrowser,
    notebook: str,
    run_timeout: float = 300.0,
    poke_timeout: float = 20.0,
    every_kind: bool = True,
    strict_controls: bool = False,
) -> NotebookReport:
    """Open ``notebooks/<notebook>`` in the browser, run all, and check what a learner sees.

    Checks: no error output, every code cell ran, no widget fell back to text, and for
    every interactive widget, changing its controls (the first of each kind with
    ``every_kind``, else only the first in preference order) raises nothing and at
    least one of them changes its cell's output (every one with ``strict_controls``:
    a form may rightly ignore a slider until a required field is filled in).
    A screenshot goes to the browser's ``screenshot_dir`` (default ``build/screenshots/``) as ``<name>.png`` (``<name>-failed.png`` when a
    check fails). Never raises for a failing notebook: read ``report.failures``.
    """
    report = NotebookReport(notebook, strict_controls=strict_controls)
    start = time.monotonic()
    try:
        run = browser.open(notebook)
    except Exception as exc:  # the notebook could not even be opened
        report.problems.append(f"could not open: {exc}")
        report.total_seconds = time.monotonic() - start
        return report
    try:
        report.kernel_dialogs = run.kernel_dialogs
        try:
            report.run_seconds = run.run_all(run_timeout)
        except NotebookTimeout as exc:
            report.problems.append(str(exc))
            run.interrupt()  # then save, to learn which cells took the time
            run.save()
            report.slowest_cells = run.cell_seconds()[:3]
            return report
        report.errors = run.error_outputs()  # saves the notebook
        report.slowest_cells = run.cell_seconds()[:3]
        report.unexecuted = run.unexecuted_cells()
        report.text_fallbacks = run.text_fallbacks()
        report.widgets = run.widgets()
        report.saved_widget_outputs = run.saved_widget_outputs()
        for widget in report.widgets:
            kinds = widget.controls if every_kind else widget.controls[:1]
            for kind in kinds:
                result = run.poke(widget, kind, timeout=poke_timeout)
                if result is None:
                    report.skipped_controls.append(f"widget #{widget.index} {kind}")
                else:
                    report.pokes.append(result)
        return report
    except Exception as exc:  # the page misbehaved: report it as a failure with context
        report.problems.append(f"{type(exc).__name__}: {exc}")
        return report
    finally:
        try:
            suffix, stale = ("-failed", "") if report.failures else ("", "-failed")
            (run.screenshot_dir / f"{Path(notebook).stem}{stale}.png").unlink(missing_ok=True)
            report.screenshot = run.screenshot(suffix=suffix)
        except Exception as exc:
            report.problems.append(f"screenshot failed: {exc}")
        if report.failures:
            report.notes = describe(run)
        run.close()
        report.total_seconds = time.monotonic() - start

"""The browser check must fail when the course is broken, and pass when it is not.

Small notebooks written here break in one way each (a cell raises, a widget shows as
text, a control is not linked to its output, a callback raises) and go through the
same :func:`check_notebook` the lesson test uses. A healthy notebook with a slider,
a dropdown and a button linked to an ``Output``, and an ``interact`` plot, must pass.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from jupyterlab_driver import LabBrowser, LabServer, check_notebook

pytestmark = pytest.mark.browser

HEALTHY_WIDGET = """\
import ipywidgets as widgets
from IPython.display import display

slider = widgets.IntSlider(value=3, min=0, max=10, description="n")
dropdown = widgets.Dropdown(options=["a", "b", "c"], value="a", description="letter")
button = widgets.Button(description="Again")
out = widgets.Output()
clicks = 0

def render(*_):
    out.clear_output(wait=True)
    with out:
        print(f"n={slider.value} letter={dropdown.value} clicks={clicks}")

def on_click(_):
    global clicks
    clicks += 1
    render()

slider.observe(render, "value")
dropdown.observe(render, "value")
button.on_click(on_click)
render()
display(widgets.VBox([widgets.HBox([slider, dropdown, button]), out]))
"""

INTERACT_PLOT = """\
%matplotlib inline
import matplotlib.pyplot as plt
import ipywidgets as widgets

def draw(k=2):
    plt.plot(range(k + 1))
    plt.show()

widgets.interact(draw, k=(1, 10));
"""

NOTHING_TO_CHANGE = """\
import ipywidgets as widgets
from IPython.display import display

only = widgets.Dropdown(options=["the only model"], description="model")  # one choice: nothing to pick
off = widgets.Button(description="export", disabled=True)  # disabled until there is something to export
size = widgets.IntSlider(value=1, min=1, max=5, description="size")
log = widgets.Output()
size.observe(lambda change: log.append_stdout(f"size={change['new']}\\n"), "value")
display(widgets.VBox([only, off, size, log]))
"""

UNLINKED_CONTROL = """\
import ipywidgets as widgets
from IPython.display import display

slider = widgets.IntSlider(value=3, min=0, max=10, description="ignored")
out = widgets.Output()
with out:
    print("this never changes")
display(widgets.VBox([slider, out]))  # nobody observes the slider
"""

CALLBACK_RAISES = """\
import ipywidgets as widgets
from IPython.display import display

slider = widgets.IntSlider(value=3, min=0, max=10, description="k")
out = widgets.Output()

def render(change):
    out.clear_output()
    with out:
        raise RuntimeError(f"deliberately broken for k={change['new']}")

slider.observe(render, "value")
display(widgets.VBox([slider, out]))
"""

CALLBACK_RAISES_AFTER_DRAWING = """\
import ipywidgets as widgets
from IPython.display import display

slider = widgets.IntSlider(value=3, min=0, max=10, description="k")
out = widgets.Output()

def render(change):
    with out:
        out.clear_output()
        print("k =", change["new"])
    # Outside the Output: the learner only sees this in JupyterLab's log console.
    raise RuntimeError("deliberately broken after drawing")

slider.observe(render, "value")
display(widgets.VBox([slider, out]))
"""

ONE_DEAD_CONTROL = """\
import ipywidgets as widgets
from IPython.display import display

slider = widgets.IntSlider(value=3, min=0, max=10, description="n")
dropdown = widgets.Dropdown(options=["a", "b"], value="a", description="dead")  # never observed
out = widgets.Output()

def render(*_):
    with out:
        out.clear_output(wait=True)
        print("n =", slider.value)

slider.observe(render, "value")
render()
display(widgets.VBox([slider, dropdown, out]))
"""

WIDGET_AS_TEXT = """\
from IPython.display import display
# What a learner sees when the widgets extension is missing: the widget's text repr.
display({"text/plain": "VBox(children=(IntSlider(value=3, description='n', max=10), Output()))"}, raw=True)
"""


def write_notebook(folder: Path, name: str, *sources: str) -> Path:
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    notebook.cells = [nbformat.v4.new_markdown_cell(f"# {name}")]
    notebook.cells += [nbformat.v4.new_code_cell(source) for source in sources]
    path = folder / f"{name}.ipynb"
    nbformat.write(notebook, path)
    return path


@pytest.fixture()
def browser(lab_server, chromium, tmp_path):
    """The session's server, with screenshots of these throw-away notebooks kept out of build/."""
    with LabBrowser(lab_server, screenshot_dir=tmp_path / "screenshots", chromium=chromium) as browser:
        yield browser


def run(server: LabServer, browser: LabBrowser, path: Path, **kwargs):
    server.add_notebook(path)
    report = check_notebook(browser, path.name, run_timeout=120, poke_timeout=5, **kwargs)
    print(report.summary())
    assert report.screenshot is not None and report.screenshot.is_file()
    return report


def test_healthy_notebook_passes(lab_server, browser, tmp_path):
    path = write_notebook(tmp_path, "healthy", "print('hello')", HEALTHY_WIDGET, INTERACT_PLOT, NOTHING_TO_CHANGE)
    report = run(lab_server, browser, path)
    assert report.failures == []
    assert [w.controls for w in report.widgets] == [
        ("slider", "dropdown", "button"), ("slider",), ("slider", "dropdown", "button")]
    assert len(report.pokes) == 5 and all(p.changed for p in report.pokes)
    assert report.skipped_controls == ["widget #2 dropdown", "widget #2 button"]
    assert report.screenshot.name == "healthy.png"


def test_cell_that_raises_fails(lab_server, browser, tmp_path):
    path = write_notebook(tmp_path, "raises", "x = 1", "raise ValueError('deliberately broken')", "print('never')")
    report = run(lab_server, browser, path)
    assert [(e.cell, e.ename) for e in report.errors] == [(2, "ValueError")]
    assert report.unexecuted == [3]  # Run All stops at the error
    assert report.failures and report.screenshot.name == "raises-failed.png"


def test_widget_shown_as_text_fails(lab_server, browser, tmp_path):
    path = write_notebook(tmp_path, "as_text", WIDGET_AS_TEXT)
    report = run(lab_server, browser, path)
    assert [ci for ci, _ in report.text_fallbacks] == [1]
    assert report.widgets == []
    assert any("shown as text" in f for f in report.failures)


def test_widgets_without_the_extension_fail(chromium, tmp_path):
    """The real failure: JupyterLab without @jupyter-widgets/jupyterlab-manager shows every widget as text."""
    path = write_notebook(tmp_path, "no_extension", HEALTHY_WIDGET)
    with LabServer(disabled_extensions=["@jupyter-widgets/jupyterlab-manager"]) as server, \
            LabBrowser(server, screenshot_dir=tmp_path / "screenshots", chromium=chromium) as browser:
        report = run(server, browser, path)
    assert report.widgets == []
    assert report.text_fallbacks and "VBox(children=" in report.text_fallbacks[0][1]
    assert report.failures


def test_unlinked_control_fails(lab_server, browser, tmp_path):
    path = write_notebook(tmp_path, "unlinked", UNLINKED_CONTROL)
    report = run(lab_server, browser, path)
    assert [(p.control, p.changed, p.rerendered) for p in report.pokes] == [("slider", False, False)]
    assert any("changed its output" in f for f in report.failures)


def test_callback_that_raises_fails(lab_server, browser, tmp_path):
    path = write_notebook(tmp_path, "callback_raises", CALLBACK_RAISES)
    report = run(lab_server, browser, path)
    assert report.errors == []  # running the cells was fine...
    (poke,) = report.pokes
    assert poke.new_errors and "deliberately broken" in poke.new_errors[0]  # ...moving the slider was not
    assert not poke.responded and report.failures


def test_callback_error_in_the_log_console_fails(lab_server, browser, tmp_path):
    path = write_notebook(tmp_path, "callback_log", CALLBACK_RAISES_AFTER_DRAWING)
    report = run(lab_server, browser, path)
    (poke,) = report.pokes
    assert poke.changed  # the output did change...
    assert any("deliberately broken after drawing" in e for e in poke.new_errors)  # ...but the callback raised
    assert not poke.responded and report.failures


def test_one_dead_control_fails_only_the_strict_check(lab_server, browser, tmp_path):
    """By default a widget needs one working control (a form may ignore a slider until a
    required field is filled); ``strict_controls`` asks every control to work."""
    path = write_notebook(tmp_path, "one_dead", ONE_DEAD_CONTROL)
    lenient = run(lab_server, browser, path)
    assert [(p.control, p.changed) for p in lenient.pokes] == [("slider", True), ("dropdown", False)]
    assert lenient.failures == [] and [p.control for p in lenient.quiet_controls()] == ["dropdown"]
    strict = run(lab_server, browser, path, strict_controls=True)
    assert strict.failures and "dropdown" in strict.failures[0]


def test_notebook_that_hangs_fails_in_bounded_time(lab_server, browser, tmp_path):
    path = write_notebook(tmp_path, "hangs", "x = 1", "import time\ntime.sleep(600)", "print('never')")
    lab_server.add_notebook(path)
    report = check_notebook(browser, path.name, run_timeout=10)
    print(report.summary())
    assert any("still running after 10 s (cell 2 shows [*])" in f for f in report.failures)
    assert report.total_seconds < 120  # interrupted, not waited out
    assert report.slowest_cells and report.slowest_cells[0][0] == 2  # the sleeping cell is named

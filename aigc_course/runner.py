"""Execute the course's notebooks, write executed copies and HTML, and report timings.

This is what ``aigc-course run`` and ``make course`` use. Each notebook runs in a
fresh kernel in its own folder, offline (``HF_HUB_OFFLINE=1`` unless the learner
opted in with ``AIGC_ONLINE=1``), in the default mode or, with ``fast=True``, with
``AIGC_FAST=1``. A failing cell stops that notebook and is reported by number,
first source line and error; the other notebooks still run. With ``solutions=True``
every exercise cell holds its reference solution (the instructor copy, see
:mod:`aigc_course.instructor`); write those copies to a folder of their own.

The HTML pages load MathJax and the widget scripts from ``OUT/_static/`` (copied there by
:mod:`aigc_course.web_assets`) at relative URLs, never from the internet, so an output
folder works offline, copied to a USB stick or served by any static web server.
"""

from __future__ import annotations

import json
import os
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Iterator, Sequence

import psutil

from .instructor import fill_in_solutions
from .io import write_atomically
from .kernel_usage import KernelUsageMonitor
from .language import Text, tr
from .machine import machine_speed
from .report import parse_key_results
from .resources import lesson_files
from .validate import check_float
from .web_assets import WebAssets, copy_web_assets, widgets_hint

if TYPE_CHECKING:
    from nbformat import NotebookNode

DEFAULT_TIMEOUT_S = 1200  # per notebook; the longest lesson is budgeted at 5 minutes

#: nbconvert's lab page with local scripts only (see the comment at its top).
_PAGE_TEMPLATE = Path(__file__).resolve().parent / "offline_page.html.j2"

#: How a status is shown to the reader of the report (``NotebookResult.status`` itself stays ``"ok"``...).
_STATUS_SHOWN = {"ok": Text("ok", "成功"), "failed": Text("failed", "失败"), "timeout": Text("timeout", "超时")}


def _shown(status: str) -> str:
    """``status`` in the reader's language (an unknown status as it is)."""
    return str(_STATUS_SHOWN.get(status, status))


@dataclass
class NotebookResult:
    """Outcome of one notebook: ``status`` is ``"ok"``, ``"failed"`` or ``"timeout"``."""

    notebook: str
    status: str
    seconds: float
    key_results: list[str] = field(default_factory=list)
    error: str = ""
    executed: str = ""
    html: str = ""
    #: the kernel's (and its children's) peak resident memory, MB; None where it could not be watched
    peak_memory_mb: float | None = None
    #: the kernel's user + system CPU time, s (divided by ``seconds``: the cores it kept busy)
    cpu_seconds: float | None = None

    @property
    def ok(self) -> bool:
        return self.status == "ok"


def course_notebooks(folder: Path | str = "notebooks") -> list[Path]:
    """The lesson notebooks in ``folder`` in course order (two-digit prefix, e.g. ``01_...``)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(tr(f"folder {folder} does not exist: run from the course's top folder or pass notebooks",
                                   f"文件夹 {folder} 不存在：请在课程的顶层文件夹中运行，或者指定要运行的笔记本"))
    return lesson_files(folder)


@contextmanager
def _kernel_environment(fast: bool) -> Iterator[None]:
    """Set the variables a kernel inherits at start-up, and restore them afterwards."""
    wanted = {"AIGC_FAST": "1" if fast else "0", "PYTHONWARNINGS": os.environ.get("PYTHONWARNINGS", "ignore::DeprecationWarning")}
    if os.environ.get("AIGC_ONLINE", "").strip().lower() not in {"1", "true", "yes", "on"}:
        wanted["HF_HUB_OFFLINE"] = "1"
    saved = {k: os.environ.get(k) for k in wanted}
    os.environ.update(wanted)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _describe_failure(nb, error: BaseException) -> str:
    """Name the first cell with an error output: its number, first source line and the error."""
    code_cells = [c for c in nb.cells if c.cell_type == "code"]
    for number, cell in enumerate(code_cells, start=1):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                first_line = next((l for l in cell.source.splitlines() if l.strip()), "")
                return tr(f"code cell {number} ({first_line[:70]!r}): {output.get('ename')}: {output.get('evalue')}",
                          f"第 {number} 个代码单元格（{first_line[:70]!r}）：{output.get('ename')}: {output.get('evalue')}")
    return f"{type(error).__name__}: {str(error).strip().splitlines()[-1] if str(error).strip() else ''}"


def _collect_key_results(nb) -> list[str]:
    text = "".join(
        out.get("text", "") for cell in nb.cells if cell.cell_type == "code"
        for out in cell.get("outputs", []) if out.get("output_type") == "stream"
    )
    return parse_key_results(text)


def write_html(nb: NotebookNode, html_path: Path | str, *, node_modules: Path | str | None = None) -> WebAssets:
    """Write notebook ``nb`` (an ``nbformat`` node) as the HTML page ``html_path``, with no script from the internet.

    MathJax and, where ``make web-assets`` installed them, the widget scripts are copied into
    ``_static/`` beside the page (files already there are kept) and loaded at relative URLs.
    Without the widget scripts the page is written without widget state, so each widget shows
    its text output instead. ``node_modules``: where to look for the widget scripts (default
    ``web/node_modules``). Returns the URLs used (``.widgets`` tells whether widgets are live).
    """
    from nbconvert import HTMLExporter
    from nbformat import NotebookNode

    if not isinstance(nb, NotebookNode) or "cells" not in nb:
        raise TypeError(tr(f"nb must be a notebook read with nbformat (nbformat.read), got {type(nb).__name__}",
                           f"nb 必须是用 nbformat 读入的笔记本（nbformat.read），而不是 {type(nb).__name__}"))
    html_path = Path(html_path)
    if html_path.suffix != ".html":
        raise ValueError(tr(f"html_path must end in .html, got {str(html_path)!r}",
                            f"html_path 必须以 .html 结尾，而不是 {str(html_path)!r}"))
    html_path.parent.mkdir(parents=True, exist_ok=True)
    assets = copy_web_assets(html_path.parent, node_modules=node_modules)
    if not assets.widgets and "widgets" in nb.metadata:
        # a shallow copy: the caller's notebook (and so the executed .ipynb) keeps its widget state
        metadata = NotebookNode({key: value for key, value in nb.metadata.items() if key != "widgets"})
        nb = NotebookNode({**nb, "metadata": metadata})
    exporter = HTMLExporter(template_file=str(_PAGE_TEMPLATE), mathjax_url=assets.mathjax_url,
                            require_js_url=assets.require_js_url, widget_renderer_url=assets.widget_renderer_url)
    body, _ = exporter.from_notebook_node(nb)
    write_atomically(html_path, body.encode("utf-8"))
    return assets


def run_notebook(path: Path | str, out_dir: Path | str = "build", *, fast: bool = False,
                 timeout: float = DEFAULT_TIMEOUT_S, progress: bool = True, solutions: bool = False) -> NotebookResult:
    """Execute one notebook; write ``out_dir/NAME.ipynb`` (with outputs) and ``out_dir/NAME.html``.

    ``timeout`` (seconds) bounds the whole notebook, not just one cell. ``solutions``
    fills every exercise cell with its reference solution before running.
    """
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
    from tqdm.auto import tqdm

    path = Path(path)
    if not path.is_file() or path.suffix != ".ipynb":
        raise ValueError(tr(f"path {str(path)!r} is not a notebook file (.ipynb)",
                            f"path {str(path)!r} 不是笔记本文件（.ipynb）"))
    timeout = check_float(timeout, "timeout", minimum=0.0, exclusive_minimum=True)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    nb = nbformat.read(path, as_version=4)
    if solutions:
        fill_in_solutions(nb, path.name[:2], path.resolve().parent.parent / "solutions")
    n_code = sum(c.cell_type == "code" for c in nb.cells)
    bar = tqdm(total=n_code, desc=path.name, unit=tr("cell", "单元格"), disable=not progress, leave=True)
    start = time.perf_counter()

    monitor: KernelUsageMonitor | None = None

    def before_cell(**_):  # the notebook's remaining time budget becomes the cell's timeout
        nonlocal monitor
        remaining = timeout - (time.perf_counter() - start)
        client.timeout = max(1, int(remaining))
        if monitor is None:  # the kernel is running by the first cell: watch its memory and CPU time
            monitor = _watch_kernel(client)

    def after_cell(**_):
        bar.update(1)
        if monitor is not None:
            monitor.sample()  # the last sample must come before the kernel shuts down

    client = NotebookClient(
        nb, timeout=int(timeout), kernel_name="python3", allow_errors=False,
        resources={"metadata": {"path": str(path.parent.resolve())}},
        on_cell_start=before_cell, on_cell_complete=after_cell,
    )
    status, error = "ok", ""
    with _kernel_environment(fast):
        try:
            client.execute()
        except CellTimeoutError as exc:
            status, error = "timeout", tr(f"over the {timeout:.0f} s budget: {_describe_failure(nb, exc)}",
                                          f"超出了 {timeout:.0f} 秒的时间预算：{_describe_failure(nb, exc)}")
        except (CellExecutionError, DeadKernelError) as exc:
            status, error = "failed", _describe_failure(nb, exc)
        finally:
            bar.close()
    seconds = time.perf_counter() - start
    usage = monitor.stop() if monitor is not None else None
    executed = out_dir / path.name
    nbformat.write(nb, executed)
    html_path = out_dir / f"{path.stem}.html"
    write_html(nb, html_path)
    return NotebookResult(path.name, status, round(seconds, 1), _collect_key_results(nb), error,
                          str(executed), str(html_path),
                          usage.peak_memory_mb if usage else None, usage.cpu_seconds if usage else None)


def _watch_kernel(client) -> KernelUsageMonitor | None:
    """A started monitor of the client's kernel process, or None where its process id is unknown
    (a kernel provisioner other than jupyter_client's local one)."""
    pid = getattr(getattr(getattr(client, "km", None), "provisioner", None), "pid", None)
    if not isinstance(pid, int):
        return None
    try:
        return KernelUsageMonitor(pid).start()
    except (psutil.Error, ValueError):
        return None


def _figure(value: float | None, digits: int = 0) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def format_report(results: Sequence[NotebookResult]) -> str:
    """A Markdown table: notebook, status, seconds, the kernel's CPU seconds and peak memory
    (:mod:`aigc_course.kernel_usage`), key results; then the errors (in the reader's language)."""
    lines = [tr("| notebook | status | seconds | CPU seconds | peak memory (MB) | key results |",
                "| 笔记本 | 状态 | 秒数 | CPU 秒数 | 内存峰值（MB） | 关键结果 |"), "|---|---|---:|---:|---:|---|"]
    for r in results:
        lines.append(f"| {r.notebook} | {_shown(r.status)} | {r.seconds:.1f} | {_figure(r.cpu_seconds, 1)} "
                     f"| {_figure(r.peak_memory_mb)} | {'; '.join(r.key_results) or '-'} |")
    total = sum(r.seconds for r in results)
    passed = sum(r.ok for r in results)
    cpu = [r.cpu_seconds for r in results if r.cpu_seconds is not None]
    peaks = [r.peak_memory_mb for r in results if r.peak_memory_mb is not None]
    cpu_total, peak = _figure(sum(cpu) if cpu else None, 1), _figure(max(peaks) if peaks else None)
    lines.append(tr(f"| **total** | {passed}/{len(results)} ok | {total:.1f} | {cpu_total} | {peak} (largest) | |",
                    f"| **合计** | {passed}/{len(results)} 成功 | {total:.1f} | {cpu_total} | {peak}（最大值） | |"))
    failures = [r for r in results if not r.ok]
    if failures:
        lines += ["", tr("Failures:", "失败的笔记本：")]
        lines += [tr(f"- {r.notebook}: {r.error}", f"- {r.notebook}：{r.error}") for r in failures]
    return "\n".join(lines)


def run_course(notebooks: Sequence[Path | str] | None = None, out_dir: Path | str = "build", *,
               fast: bool = False, timeout: float = DEFAULT_TIMEOUT_S, progress: bool = True,
               solutions: bool = False) -> list[NotebookResult]:
    """Run ``notebooks`` (default: every lesson in ``notebooks/``) in order and write the report.

    Writes ``out_dir/report.md`` and ``out_dir/report.json`` and returns the results. Both
    record the machine's speed before and after the run (:func:`aigc_course.machine.machine_speed`),
    so the seconds can be compared with another machine's.
    """
    if isinstance(notebooks, (str, Path)):
        raise TypeError(tr(f"notebooks must be a list of notebook paths, not a single path ({str(notebooks)!r}); "
                           "wrap it in a list",
                           f"notebooks 必须是笔记本路径的列表，而不是单个路径（{str(notebooks)!r}）；"
                           "请把它放进一个列表"))
    timeout = check_float(timeout, "timeout", minimum=0.0, exclusive_minimum=True)
    paths = [Path(p) for p in notebooks] if notebooks else course_notebooks()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    live_widgets = copy_web_assets(out_dir).widgets
    if progress and not live_widgets:
        print(widgets_hint(), flush=True)
    speed_before = machine_speed()
    results = []
    for index, path in enumerate(paths, start=1):
        if progress:
            print(f"[{index}/{len(paths)}] {path.name}", flush=True)
        results.append(run_notebook(path, out_dir, fast=fast, timeout=timeout, progress=progress, solutions=solutions))
        if progress and not results[-1].ok:
            failed = results[-1]
            print(tr(f"    {failed.status}: {failed.error}", f"    {_shown(failed.status)}：{failed.error}"), flush=True)
    out_dir.mkdir(parents=True, exist_ok=True)
    report = format_report(results)
    mode = "fast" if fast else "default"
    speed_after = machine_speed()
    copy = tr(", instructor copy: reference solutions filled in", "，教师版：已填入参考答案") if solutions else ""
    machine = tr(f"Machine before the run: {speed_before.line()}.\nMachine after the run: {speed_after.line()}.",
                 f"运行前的机器：{speed_before.line()}。\n运行后的机器：{speed_after.line()}。")
    heading = tr(f"# Course run ({mode} mode{copy})", f"# 课程运行报告（{'快速' if fast else '默认'}模式{copy}）")
    pages = "" if live_widgets else f"{widgets_hint()}\n\n"
    (out_dir / "report.md").write_text(f"{heading}\n\n{machine}\n\n{pages}{report}\n", encoding="utf-8")
    payload = {"mode": mode, "solutions": solutions, "machine_before": speed_before.to_dict(), "machine_after": speed_after.to_dict(),
               "results": [asdict(r) for r in results]}
    (out_dir / "report.json").write_text(json.dumps(payload, indent=2, ensure_ascii=False), encoding="utf-8")
    return results

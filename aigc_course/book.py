"""The course website ("the book"): the executed lessons as a static site that works offline.

``make book`` runs ``python -m aigc_course.book``. It takes the notebooks ``make course``
executed (``build/*.ipynb``, and ``build/zh/*.ipynb`` where the Chinese edition was run),
never executes anything itself, and builds them with the parts of Jupyter Book 1.x (Sphinx,
MyST-NB, sphinx-book-theme, sphinx-external-toc) into ``build/book/`` (English) and
``build/book/zh/`` (Chinese). Each edition is its own Sphinx project, so its search splits
words the way its language needs (Chinese with jieba) and the theme speaks its language.

For each edition it first assembles a source folder under ``build/book_source/<edition>/``:

- the Sphinx settings ``book/conf.py`` (the edition's language and title are given to Sphinx
  on its command line; ``mathjax_path`` points at the local copy of MathJax);
- its intro page (``book/intro.md`` or ``book/intro.zh.md``) as ``index.md``, the front page,
  with a link to the other edition when that one is built too;
- a generated ``_toc.yml``: the intro, then the lessons in course order;
- a static copy of each executed notebook (:func:`static_notebook`): widget views, which
  need a kernel or scripts from the internet, become text;
- the Markdown pages the lessons link to (the Chinese edition's glossary), and the glossary's
  terms as words the Chinese search keeps whole (:func:`glossary_words`);
- ``_static/mathjax/``: MathJax 2.7 from :func:`aigc_course.web_assets.mathjax_dir`.

The site loads no font, stylesheet or script from outside it, so it works from the folder
(``file://``) and from any static web server.
"""

from __future__ import annotations

import argparse
import copy
import html
import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from .io import write_atomically
from .language import Text, tr
from .resources import lesson_files
from .validate import check_path, check_str

__all__ = ["EDITIONS", "WIDGET_NOTE", "SEARCH_WORDS", "Edition", "BookResult", "lesson_notebooks", "static_notebook",
           "toc_yaml", "glossary_words", "assemble_edition", "build_book", "main"]

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
_BAR_WIDTH = 10  # characters of a progress bar written as text, as tqdm draws it in a terminal


@dataclass(frozen=True)
class Edition:
    """One language of the site: where its executed notebooks are and where its pages go.

    ``folder`` is the edition's folder below the build folder (``build/zh``) and below the site
    (``build/book/zh``); ``""`` for English, which is at the top of both.
    """

    code: str  # "en" or "zh"
    folder: str
    language: str  # Sphinx's language: the theme's words and the search's word splitting
    title: str
    intro: str  # its intro page in book/
    other_link: str  # the line of its intro page that links to the other edition
    extra_pages: tuple[str, ...] = ()  # Markdown pages of the course the lessons link to, after the lessons


EDITIONS = (
    Edition("en", "", "en", "AIGC from Zero", "intro.md",
            '<p>中文版（Chinese edition）：<a href="zh/index.html">AIGC 从零开始</a></p>'),
    Edition("zh", "zh", "zh_CN", "AIGC 从零开始", "intro.zh.md",
            '<p>English edition（英文版）：<a href="../index.html">AIGC from Zero</a></p>',
            ("notebooks/zh/GLOSSARY.md",)),  # each Chinese lesson links to the glossary
)


@dataclass(frozen=True)
class BookResult:
    """What :func:`build_book` made: the site folder, its editions, pages and seconds per edition."""

    site: Path
    editions: tuple[str, ...]
    pages: int  # HTML pages: the front page and the lessons of each edition (search and genindex not counted)
    seconds: dict[str, float]


def lesson_notebooks(folder: Path | str) -> list[Path]:
    """The executed lessons in ``folder`` in course order (``NN_name.ipynb``); ``[]`` when there are none."""
    folder = check_path(folder, "folder")
    return lesson_files(folder)


# --------------------------------------------------------------------------------------
# Notebooks made static
# --------------------------------------------------------------------------------------


#: What a page shows in place of an interactive widget (the page's edition picks the language).
WIDGET_NOTE = Text("[interactive widget: run this notebook in JupyterLab to use it]",
                   "[交互控件：请在 JupyterLab 中运行这个笔记本来使用它]")


def _model(state: dict[str, Any], ref: object) -> dict[str, Any] | None:
    """The saved model a widget reference (``"IPY_MODEL_<id>"`` or a bare id) names, or None."""
    if not isinstance(ref, str):
        return None
    found = state.get(ref.removeprefix("IPY_MODEL_"))
    return found if isinstance(found, dict) else None


def _progress_text(state: dict[str, Any], model: dict[str, Any]) -> str | None:
    """A tqdm bar (an HBox of HTML, progress and HTML) as tqdm writes it in a terminal, or None."""
    if model.get("model_name") != "HBoxModel":
        return None
    children = [_model(state, ref) for ref in model.get("state", {}).get("children", [])]
    if len(children) != 3 or any(child is None for child in children):
        return None
    prefix, bar, postfix = children
    if (prefix["model_name"], postfix["model_name"]) != ("HTMLModel", "HTMLModel") or \
            bar["model_name"] not in ("FloatProgressModel", "IntProgressModel"):
        return None
    value, top = bar["state"].get("value", 0), bar["state"].get("max", 0)
    if not isinstance(value, (int, float)) or not isinstance(top, (int, float)) or top <= 0:
        return None
    filled = max(0, min(_BAR_WIDTH, int(_BAR_WIDTH * value / top)))  # whole blocks, as tqdm draws them
    left = html.unescape(str(prefix["state"].get("value", ""))).replace("\u2007", " ")
    right = html.unescape(str(postfix["state"].get("value", ""))).replace("\u2007", " ")
    return f"{left}|{'█' * filled}{' ' * (_BAR_WIDTH - filled)}|{right}"


def static_notebook(nb: dict[str, Any], *, chinese: bool = False) -> dict[str, Any]:
    """A copy of the executed notebook ``nb`` (a notebook as a JSON dict) for a static page.

    A static page has no kernel, and live widgets would need scripts from the internet: the
    saved widget state is dropped and each widget view becomes a text output instead, a
    progress bar as the line tqdm prints in a terminal, any other widget as a note to run the
    notebook in JupyterLab (:data:`WIDGET_NOTE`, in Chinese when ``chinese``, for the Chinese
    edition). Everything else is kept as it is.
    """
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        raise TypeError(tr(f"nb must be a notebook (a dict with a list of cells), got {type(nb).__name__}",
                           f"nb 必须是笔记本（带有单元格列表的 dict），却得到了 {type(nb).__name__}"))
    out = copy.deepcopy(nb)
    saved = out.get("metadata", {}).pop("widgets", {})
    state = saved.get(WIDGET_STATE, {}).get("state", {}) if isinstance(saved, dict) else {}
    for cell in out["cells"]:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if WIDGET_VIEW not in data:
                continue
            model = _model(state, data[WIDGET_VIEW].get("model_id"))
            text = (_progress_text(state, model) if model else None) or (WIDGET_NOTE.zh if chinese else WIDGET_NOTE.en)
            output["data"] = {"text/plain": text}
    return out


# --------------------------------------------------------------------------------------
# Source folders
# --------------------------------------------------------------------------------------


#: The file in an edition's source folder with the words its search must keep whole (see ``book/conf.py``).
SEARCH_WORDS = "search_words.txt"


def glossary_words(glossary: str) -> list[str]:
    """The Chinese terms of the glossary's table (its first column), one word each, for the search.

    Sphinx's Chinese search cuts text into words with jieba, and finds a query only when it
    is one of those words; jieba alone cuts 困惑度 (perplexity) into 困惑 and 度. Given to jieba
    as its user dictionary, these terms stay whole (and their parts are still found). Terms
    with a space (``n 元语法``) cannot be jieba words and are left out.
    """
    import re

    words: list[str] = []
    body = False  # the rows after a table's header and its |---| line
    for line in check_str(glossary, "glossary").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if not line.lstrip().startswith("|"):
            body = False
            continue
        if set("".join(cells)) <= set("-: "):
            body = True
            continue
        if not body:
            continue
        for term in re.split(r"[、，,/]", re.sub(r"[（(][^）)]*[）)]", "", cells[0])):
            term = term.strip()
            if term and " " not in term and re.search(r"[\u4e00-\u9fff]", term) and term not in words:
                words.append(term)
    return words



def toc_yaml(root: str, chapters: Sequence[str]) -> str:
    """The ``_toc.yml`` of a Jupyter Book: the page ``root``, then ``chapters`` in order (names without suffix)."""
    for name in [root, *chapters]:
        if not isinstance(name, str) or not name or any(c in name for c in ":\n\"'#"):
            raise ValueError(tr(f"a page name must be a plain file name without suffix, got {name!r}",
                                f"页面名必须是不带后缀的普通文件名，却得到了 {name!r}"))
    lines = ["# Made by aigc_course.book from the executed notebooks; do not edit.", "format: jb-book",
             f"root: {root}"]
    if chapters:
        lines.append("chapters:")
        lines += [f"- file: {name}" for name in chapters]
    return "\n".join(lines) + "\n"


def _write_if_changed(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` (atomically) unless it already holds exactly that: Sphinx then skips the page."""
    if not (path.is_file() and path.read_bytes() == data):
        write_atomically(path, data)


def assemble_edition(edition: Edition, notebooks: Sequence[Path], source: Path, config_dir: Path, *,
                     other_edition: bool, course_dir: Path | None = None) -> list[str]:
    """Write the Sphinx source of ``edition`` into ``source``; returns its page names (``index``, the intro, then the lessons).

    ``notebooks`` are the executed lessons in order; ``other_edition`` adds the link to the
    other edition to the intro page; the edition's extra pages come from ``course_dir`` (default:
    :func:`aigc_course.resources.course_root`). Files left from an earlier build that are no longer part
    of the book are removed; unchanged files are not rewritten, so Sphinx rebuilds only what changed.
    """
    from .resources import course_root
    from .web_assets import mathjax_dir

    extras = [(course_dir or course_root()) / page for page in edition.extra_pages]
    source.mkdir(parents=True, exist_ok=True)
    keep = {"_static", "conf.py", "index.md", "_toc.yml", SEARCH_WORDS, *(path.name for path in [*notebooks, *extras])}
    for entry in source.iterdir():
        if entry.name not in keep:
            shutil.rmtree(entry) if entry.is_dir() and not entry.is_symlink() else entry.unlink()
    mathjax, copied = mathjax_dir(), source / "_static" / "mathjax"
    marker, origin = source / "_static" / ".mathjax-copied-from", str(mathjax).encode("utf-8")
    if not (marker.is_file() and marker.read_bytes() == origin):  # 12 MB: copied once, not on every build
        shutil.copytree(mathjax, copied, dirs_exist_ok=True)
        write_atomically(marker, origin)
    _write_if_changed(source / "conf.py", (config_dir / "conf.py").read_bytes())
    intro = (config_dir / edition.intro).read_text(encoding="utf-8")
    if other_edition:
        title, _, rest = intro.partition("\n")
        intro = f"{title}\n\n{edition.other_link}\n{rest}"
    _write_if_changed(source / "index.md", intro.encode("utf-8"))  # the front page: index.html
    for path in notebooks:
        page = static_notebook(json.loads(path.read_text(encoding="utf-8")), chinese=edition.code == "zh")
        _write_if_changed(source / path.name, json.dumps(page, ensure_ascii=False, indent=1).encode("utf-8"))
    for path in extras:
        _write_if_changed(source / path.name, path.read_bytes())
        if path.name == "GLOSSARY.md":
            words = glossary_words(path.read_text(encoding="utf-8"))
            _write_if_changed(source / SEARCH_WORDS, "".join(f"{word}\n" for word in words).encode("utf-8"))
    chapters = [path.stem for path in [*notebooks, *extras]]
    _write_if_changed(source / "_toc.yml", toc_yaml("index", chapters).encode("utf-8"))
    return ["index", *chapters]


# --------------------------------------------------------------------------------------
# The build
# --------------------------------------------------------------------------------------


def _sphinx(edition: Edition, source: Path, html_dir: Path, doctrees: Path, *, quiet: bool) -> subprocess.Popen:
    """Start Sphinx on ``source``, writing the HTML into ``html_dir`` (doctrees kept in ``doctrees``).

    Sphinx prints only its warnings, or nothing when ``quiet`` (then they come with an error).
    """
    command = [sys.executable, "-m", "sphinx", "-b", "html", "-d", str(doctrees), "--keep-going", "-q",
               "-D", f"language={edition.language}", "-D", f"project={edition.title}",
               "-D", f"html_title={edition.title}", str(source), str(html_dir)]
    env = {**os.environ, "PYTHONWARNINGS": os.environ.get("PYTHONWARNINGS", "ignore::DeprecationWarning")}
    pipe = subprocess.PIPE if quiet else None
    return subprocess.Popen(command, env=env, stdout=pipe, stderr=subprocess.STDOUT if quiet else None, text=True)


def _check_installed() -> None:
    """Raise ``FileNotFoundError`` saying how to install the website's packages when they are missing."""
    try:
        import myst_nb  # noqa: F401
        import sphinx_book_theme  # noqa: F401
        import sphinx_external_toc  # noqa: F401
    except ImportError:
        raise FileNotFoundError(tr("the packages that build the website are not installed: run `make book` "
                                   "(it installs them), or `pip install -c constraints.txt -e '.[book]'`",
                                   "没有安装构建网站所需的包：请运行 `make book`（它会安装这些包），"
                                   "或者 `pip install -c constraints.txt -e '.[book]'`")) from None


def _remove_stale_pages(html_dir: Path, pages: Sequence[str]) -> None:
    """Remove the pages (and their downloads) of lessons no longer in the book: Sphinx leaves them behind."""
    for page in html_dir.glob("*.html"):
        if page.stem not in {*pages, "search", "genindex"}:
            page.unlink()
            for download in (html_dir / "_sources").glob(f"{page.stem}.*"):
                download.unlink()


def _count_pages(site: Path) -> int:
    skip = {"search.html", "genindex.html"}
    return sum(1 for page in site.rglob("*.html") if page.name not in skip and "_static" not in page.parts
               and "_sources" not in page.parts)


def build_book(build_dir: Path | str = "build", out_dir: Path | str = "build/book", *,
               config_dir: Path | str = "book", source_dir: Path | str = "build/book_source",
               quiet: bool = False) -> BookResult:
    """Build the site from the executed notebooks in ``build_dir`` (and ``build_dir/zh``) into ``out_dir``.

    Raises ``FileNotFoundError`` (saying to run ``make course`` first) when ``build_dir`` holds
    no executed lesson. The Chinese edition is built when ``build_dir/zh`` holds executed
    lessons (``make course EDITION=all``), and goes to ``out_dir/zh``. The editions build at
    the same time, one Sphinx each. ``source_dir`` keeps the assembled sources and Sphinx's
    doctrees, so a second build only redoes the pages that changed. Raises ``RuntimeError``
    with Sphinx's output when an edition does not build.
    """
    build_dir, out_dir = check_path(build_dir, "build_dir"), check_path(out_dir, "out_dir")
    config_dir, source_dir = check_path(config_dir, "config_dir"), check_path(source_dir, "source_dir")
    found = {e.code: lesson_notebooks(build_dir / e.folder) for e in EDITIONS}
    if not found["en"]:
        raise FileNotFoundError(tr(f"no executed notebooks in {build_dir}/ (NN_name.ipynb): run `make course` first "
                                   "(`make course EDITION=all` for the Chinese edition as well)",
                                   f"{build_dir}/ 中没有执行过的笔记本（NN_name.ipynb）：请先运行 `make course`"
                                   "（`make course EDITION=all` 会同时运行中文版）"))
    _check_installed()
    editions = [e for e in EDITIONS if found[e.code]]
    for edition in EDITIONS:
        if edition not in editions and edition.folder and (out_dir / edition.folder).is_dir():
            shutil.rmtree(out_dir / edition.folder)  # an edition no longer built: no page of it stays
    started: dict[str, tuple[subprocess.Popen, float]] = {}
    for edition in editions:
        source = source_dir / edition.code
        pages = assemble_edition(edition, found[edition.code], source, config_dir, other_edition=len(editions) > 1)
        html_dir = out_dir / edition.folder if edition.folder else out_dir
        _remove_stale_pages(html_dir, pages)
        started[edition.code] = (_sphinx(edition, source, html_dir, source_dir / f"_doctrees_{edition.code}",
                                         quiet=quiet), time.perf_counter())
    seconds, failed = {}, []
    for code, (process, start) in started.items():
        output, _ = process.communicate()
        seconds[code] = round(time.perf_counter() - start, 1)
        if process.returncode != 0:
            failed.append(tr(f"the {code} edition of the website did not build (Sphinx exited with {process.returncode})",
                             f"网站的 {code} 版没有构建成功（Sphinx 的退出状态为 {process.returncode}）")
                          + (f"\n{output[-4000:]}" if output else ""))
    if failed:
        raise RuntimeError("\n".join(failed))
    return BookResult(out_dir, tuple(e.code for e in editions), _count_pages(out_dir), seconds)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m aigc_course.book [--build DIR] [--out DIR]``: build the site; 1 (with the reason) if it cannot."""
    parser = argparse.ArgumentParser(prog="python -m aigc_course.book",
                                     description=tr("Build the course website from the executed notebooks.",
                                                    "用执行过的笔记本构建课程网站。"))
    parser.add_argument("--build", default="build", help=tr("folder of the executed notebooks (default: build)",
                                                            "执行过的笔记本所在的文件夹（默认：build）"))
    parser.add_argument("--out", default="build/book", help=tr("where the site goes (default: build/book)",
                                                               "网站输出的位置（默认：build/book）"))
    parser.add_argument("--config", default="book", help=tr("folder of the configuration and intro pages (default: book)",
                                                            "配置文件和首页所在的文件夹（默认：book）"))
    args = parser.parse_args(argv)
    try:
        result = build_book(args.build, args.out, config_dir=args.config,
                            source_dir=str(Path(args.build) / "book_source"))
    except (FileNotFoundError, RuntimeError) as error:
        print(error, file=sys.stderr)
        return 1
    if "zh" not in result.editions:
        print(tr("The Chinese edition was not built: build/zh/ holds no executed notebooks "
                 "(run `make course EDITION=zh` to add it).",
                 "没有构建中文版：build/zh/ 中没有执行过的笔记本（运行 `make course EDITION=zh` 即可加上）。"))
    timing = ", ".join(f"{code} {s:.0f} s" for code, s in result.seconds.items())
    print(tr(f"Course website: {result.site}/index.html ({result.pages} pages; {timing}). It works offline: open it "
             f"in a browser, or serve it with `python -m http.server --directory {result.site}`.",
             f"课程网站：{result.site}/index.html（{result.pages} 个页面；{timing}）。无需联网：用浏览器直接打开，"
             f"或者用 `python -m http.server --directory {result.site}` 提供访问。"))
    return 0


if __name__ == "__main__":
    sys.exit(main())

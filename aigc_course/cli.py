"""The ``aigc-course`` command: run the course, check the environment, or copy the lessons to work in.

    aigc-course run [NOTEBOOK ...] [--fast] [--solutions] [--out DIR] [--timeout SECONDS] [--edition en|zh|all]
    aigc-course doctor
    aigc-course edition [--hashes NOTEBOOK]
    aigc-course notebooks DEST [--edition en|zh|all] [--force]
    aigc-course wheelhouse build|verify|install ...   (the offline kit, see aigc_course/kit/)
    aigc-course hub serve|add|password|list ...       (the classroom server, see aigc_course/classroom/)

Everything it prints, help included, is in the learner's language (``AIGC_LANG=zh`` for Chinese,
see :mod:`aigc_course.language`); the parser is built when the command runs, so it is too.
"""

from __future__ import annotations

import argparse
import os
import sys
from contextlib import contextmanager
from typing import Iterator, Sequence

from .language import language, tr


class _HelpFormatter(argparse.HelpFormatter):
    """argparse's formatter, with the ``usage:`` prefix in Chinese when the learner reads Chinese."""

    def add_usage(self, usage, actions, groups, prefix=None):
        if prefix is None and language() == "zh":
            prefix = "用法："
        super().add_usage(usage, actions, groups, prefix)


class _Parser(argparse.ArgumentParser):
    """An ``ArgumentParser`` whose own words (``-h``'s help, the section titles) follow the learner's language.

    Its sub-command parsers are ``_Parser`` too (argparse makes them of the parser's own class).
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", _HelpFormatter)
        add_help = kwargs.pop("add_help", True)
        super().__init__(*args, add_help=False, **kwargs)
        if language() == "zh":
            self._positionals.title = "位置参数"
            self._optionals.title = "选项"
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS,
                              help=tr("show this help message and exit", "显示这条帮助信息并退出"))


def _run(args: argparse.Namespace) -> int:
    from .runner import course_notebooks, format_report, run_course

    editions = ("en", "zh") if args.edition == "all" else (args.edition,)
    if args.notebooks and len(editions) > 1:
        print(tr("name notebooks with one edition only (--edition en or zh), not with --edition all",
                 "指定笔记本时只能选一个版本（--edition en 或 zh），不能与 --edition all 同用"))
        return 2
    base = args.out or ("build/instructor" if args.solutions else "build")
    ok = True
    for edition in editions:
        folder = args.notebooks_dir if edition == "en" else f"{args.notebooks_dir}/{edition}"
        out = base if edition == "en" else f"{base}/{edition}"
        with _edition_language(edition):  # the Chinese edition's kernels and report speak Chinese
            notebooks = args.notebooks or course_notebooks(folder)
            if not notebooks:
                print(tr(f"no notebooks found in {folder}/ (expected names like 01_intro.ipynb)",
                         f"在 {folder}/ 中没有找到笔记本（文件名应形如 01_intro.ipynb）"))
                continue
            results = run_course(notebooks, out, fast=args.fast, timeout=args.timeout, solutions=args.solutions)
            print()
            print(format_report(results))
            print(tr(f"\nExecuted notebooks and HTML: {out}/   report: {out}/report.md",
                     f"\n执行后的笔记本和 HTML：{out}/   报告：{out}/report.md"))
        ok = ok and all(r.ok for r in results)
    return 0 if ok else 1


@contextmanager
def _edition_language(edition: str) -> Iterator[None]:
    """``AIGC_LANG`` set to ``edition`` for a non-English edition while it runs, then restored."""
    saved = os.environ.get("AIGC_LANG")
    if edition != "en":
        os.environ["AIGC_LANG"] = edition
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop("AIGC_LANG", None)
        else:
            os.environ["AIGC_LANG"] = saved


def _doctor(_: argparse.Namespace) -> int:
    from .doctor import run_checks

    results = run_checks()
    for check in results:
        print(check.line(), flush=True)
    failed = [c for c in results if not c.ok]
    passed = f"{len(results) - len(failed)}/{len(results)}"
    print(tr(f"\n{passed} checks passed" + ("" if not failed else "; fix the FAIL lines above"),
             f"\n{passed} 项检查通过" + ("" if not failed else "；请按上面“失败”各行的修复方法处理")))
    return 1 if failed else 0


def _edition(args: argparse.Namespace) -> int:
    from pathlib import Path

    from .edition import build, problems, source_hash, translated_notebooks

    folder = Path(args.notebooks_dir)
    if args.hashes:
        import json

        notebook = json.loads(Path(args.hashes).read_text(encoding="utf-8"))
        for cell in notebook["cells"]:
            if cell["cell_type"] == "markdown":
                print(f"<!-- cell {cell['id']} | en {source_hash(''.join(cell['source']))} -->")
        return 0
    found = []
    for english in translated_notebooks(folder):
        built = build(english)
        print(tr(f"built {built}", f"已生成 {built}"))
        found += problems(english)
    for problem in found:
        print(f"  - {problem}")
    if not found:
        print(tr("the Chinese edition is current", "中文版已是最新"))
    else:
        print(tr(f"{len(found)} problem(s): translate or update those cells",
                 f"{len(found)} 个问题：请翻译或更新这些单元格"))
    return 1 if found else 0


def _notebooks(args: argparse.Namespace) -> int:
    from .course_copy import copy_course

    try:
        report = copy_course(args.dest, edition=args.edition, force=args.force)
    except (ValueError, TypeError, OSError) as error:
        print(tr(f"aigc-course notebooks: {error}", f"aigc-course notebooks：{error}"))
        return 2
    for line in report.lines():
        print(line)
    folder = report.dest / "notebooks" / ("zh" if report.edition == "zh" else "")
    print(tr(f"open the lessons with:  jupyter lab {folder}", f"用这条命令打开课程：jupyter lab {folder}"))
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The command's parser, its help in the learner's language of this moment (build it when the command runs)."""
    parser = _Parser(prog="aigc-course", description=tr("AIGC from Zero: run the course or check your setup.",
                                                        "AIGC 从零开始：运行课程，或检查你的环境。"))
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help=tr("execute notebooks, write executed copies, HTML and a timing report",
                                        "执行笔记本，写出执行后的副本、HTML 和一份计时报告"))
    run.add_argument("notebooks", nargs="*", help=tr("notebooks to run (default: every notebooks/NN_*.ipynb in order)",
                                                     "要运行的笔记本（默认：按顺序运行所有 notebooks/NN_*.ipynb）"))
    run.add_argument("--fast", action="store_true", help=tr("AIGC_FAST=1: shrink data and training for a quick pass",
                                                            "AIGC_FAST=1：缩小数据和训练规模，快速跑一遍"))
    run.add_argument("--solutions", action="store_true",
                     help=tr("instructor copy: fill every exercise with its reference solution (default --out build/instructor)",
                             "教师版：在每道练习中填入参考答案（默认 --out build/instructor）"))
    run.add_argument("--out", default=None, help=tr("output folder (default: build, or build/instructor with --solutions)",
                                                    "输出文件夹（默认：build；加 --solutions 时为 build/instructor）"))
    run.add_argument("--timeout", type=float, default=1200, help=tr("seconds allowed per notebook (default: 1200)",
                                                                    "每个笔记本允许运行的秒数（默认：1200）"))
    run.add_argument("--edition", choices=("en", "zh", "all"), default="en",
                     help=tr("which edition to run: en (notebooks/, into OUT), zh (notebooks/zh/, into OUT/zh) or all",
                             "运行哪个版本：en（notebooks/，写入 OUT）、zh（notebooks/zh/，写入 OUT/zh）或 all（两者）"))
    run.add_argument("--notebooks-dir", default="notebooks", help=argparse.SUPPRESS)
    run.set_defaults(func=_run)
    doctor = sub.add_parser("doctor", help=tr("check Python, torch, data sources and JupyterLab, offline",
                                              "离线检查 Python、torch、数据来源和 JupyterLab"))
    doctor.set_defaults(func=_doctor)
    edition = sub.add_parser("edition", help=tr("build notebooks/zh/ (the Chinese edition) from the English notebooks "
                                                "and their translation files, and list missing or stale translations",
                                                "用英文笔记本及其翻译文件生成 notebooks/zh/（中文版），"
                                                "并列出缺失或过时的翻译"))
    edition.add_argument("--hashes", metavar="NOTEBOOK", default=None,
                         help=tr("print the block header (cell id and hash) of every Markdown cell of an English notebook",
                                 "打印英文笔记本中每个 Markdown 单元格的块头（单元格 id 和哈希值）"))
    edition.add_argument("--notebooks-dir", default="notebooks", help=argparse.SUPPRESS)
    edition.set_defaults(func=_edition)
    notebooks = sub.add_parser("notebooks", help=tr("copy the lessons and solutions into a folder of your own, or update "
                                                    "that copy: files you changed are kept, the new version beside them",
                                                    "把课程笔记本和参考答案复制到你自己的文件夹，或更新这份副本："
                                                    "你改过的文件保持不变，新版本写在旁边"))
    notebooks.add_argument("dest", metavar="DEST", help=tr("the folder to copy the course into (created if needed)",
                                                           "课程要复制到的文件夹（不存在时会创建）"))
    notebooks.add_argument("--edition", choices=("en", "zh", "all"), default="en",
                           help=tr("which lessons: en (notebooks/), zh (notebooks/zh/) or all (default: en)",
                                   "复制哪个版本：en（notebooks/）、zh（notebooks/zh/）或 all（两者；默认 en）"))
    notebooks.add_argument("--force", action="store_true",
                           help=tr("also replace the files you changed; your versions are kept beside them as "
                                   "NAME.bak-<time>", "连你改过的文件也换成新版本；你的版本另存在旁边，名为 NAME.bak-<时间>"))
    notebooks.set_defaults(func=_notebooks)
    from .kit.command import add_wheelhouse_parser

    add_wheelhouse_parser(sub)
    from .classroom.command import add_hub_parser

    add_hub_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())

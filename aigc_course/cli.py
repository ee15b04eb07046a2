"""The ``aigc-course`` command: run the course, or check the environment.

    aigc-course run [NOTEBOOK ...] [--fast] [--solutions] [--out DIR] [--timeout SECONDS]
    aigc-course doctor
    aigc-course edition [--hashes NOTEBOOK]
"""

from __future__ import annotations

import argparse
import sys
from typing import Sequence


def _run(args: argparse.Namespace) -> int:
    from .runner import course_notebooks, format_report, run_course

    notebooks = args.notebooks or course_notebooks(args.notebooks_dir)
    if not notebooks:
        print(f"no notebooks found in {args.notebooks_dir}/ (expected names like 01_intro.ipynb)")
        return 0
    args.out = args.out or ("build/instructor" if args.solutions else "build")
    results = run_course(notebooks, args.out, fast=args.fast, timeout=args.timeout, solutions=args.solutions)
    print()
    print(format_report(results))
    print(f"\nExecuted notebooks and HTML: {args.out}/   report: {args.out}/report.md")
    return 0 if all(r.ok for r in results) else 1


def _doctor(_: argparse.Namespace) -> int:
    from .doctor import run_checks

    results = run_checks()
    for check in results:
        print(check.line(), flush=True)
    failed = [c for c in results if not c.ok]
    print(f"\n{len(results) - len(failed)}/{len(results)} checks passed" + ("" if not failed else "; fix the FAIL lines above"))
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
        print(f"built {build(english)}")
        found += problems(english)
    for problem in found:
        print(f"  - {problem}")
    print("the Chinese edition is current" if not found else f"{len(found)} problem(s): translate or update those cells")
    return 1 if found else 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="aigc-course", description="AIGC from Zero: run the course or check your setup.")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="execute notebooks, write executed copies, HTML and a timing report")
    run.add_argument("notebooks", nargs="*", help="notebooks to run (default: every notebooks/NN_*.ipynb in order)")
    run.add_argument("--fast", action="store_true", help="AIGC_FAST=1: shrink data and training for a quick pass")
    run.add_argument("--solutions", action="store_true",
                     help="instructor copy: fill every exercise with its reference solution (default --out build/instructor)")
    run.add_argument("--out", default=None, help="output folder (default: build, or build/instructor with --solutions)")
    run.add_argument("--timeout", type=float, default=1200, help="seconds allowed per notebook (default: 1200)")
    run.add_argument("--notebooks-dir", default="notebooks", help=argparse.SUPPRESS)
    run.set_defaults(func=_run)
    doctor = sub.add_parser("doctor", help="check Python, torch, data sources and JupyterLab, offline")
    doctor.set_defaults(func=_doctor)
    edition = sub.add_parser("edition", help="build notebooks/zh/ (the Chinese edition) from the English notebooks "
                                             "and their translation files, and list missing or stale translations")
    edition.add_argument("--hashes", metavar="NOTEBOOK", default=None,
                         help="print the block header (cell id and hash) of every Markdown cell of an English notebook")
    edition.add_argument("--notebooks-dir", default="notebooks", help=argparse.SUPPRESS)
    edition.set_defaults(func=_edition)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())

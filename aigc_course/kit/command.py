"""``aigc-course wheelhouse build|verify|install``: the offline kit from the command line.

    aigc-course wheelhouse build   [--out DIR] [--with-dev] [--project DIR]
    aigc-course wheelhouse verify  [DIR]
    aigc-course wheelhouse install [--from DIR] [--venv DIR] [--project DIR]

The Makefile runs it with the system Python (``python3 -m aigc_course.cli wheelhouse ...``)
because there is no ``.venv`` yet when a laptop is installed. A bad argument or a damaged kit
prints one message, naming what is wrong, and exits with status 1.
"""

from __future__ import annotations

import argparse
import sys

from ..language import tr

__all__ = ["add_wheelhouse_parser", "wheelhouse_command"]

DEFAULT_KIT = "wheelhouse"


def add_wheelhouse_parser(commands: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add ``wheelhouse`` and its three actions to the ``aigc-course`` parser's sub-commands."""
    parser = commands.add_parser("wheelhouse", help=tr(
        "the offline kit: download every wheel into a folder, check it, install a laptop from it",
        "离线工具包：把所有 wheel 下载到一个文件夹，核对它，并用它安装笔记本电脑"))
    actions = parser.add_subparsers(dest="action", required=True)
    build = actions.add_parser("build", help=tr("download the kit (needs the network); make wheelhouse",
                                                "下载工具包（需要网络）；即 make wheelhouse"))
    build.add_argument("--out", default=DEFAULT_KIT, help=tr(f"the kit's folder (default: {DEFAULT_KIT})",
                                                             f"工具包的文件夹（默认：{DEFAULT_KIT}）"))
    build.add_argument("--with-dev", action="store_true", help=tr(
        "also the test tools (the dev extra: pytest, nbval, playwright ...)",
        "同时收录测试工具（dev 可选依赖：pytest、nbval、playwright 等）"))
    verify = actions.add_parser("verify", help=tr("check every file of a kit against its MANIFEST.json",
                                                  "按 MANIFEST.json 核对工具包的每个文件"))
    verify.add_argument("kit", nargs="?", default=DEFAULT_KIT, help=tr(f"the kit's folder (default: {DEFAULT_KIT})",
                                                                       f"工具包的文件夹（默认：{DEFAULT_KIT}）"))
    install = actions.add_parser("install", help=tr("check the kit, then install .venv from it with no network; "
                                                    "make install-offline",
                                                    "先核对工具包，再不联网地用它安装 .venv；即 make install-offline"))
    install.add_argument("--from", dest="kit", default=DEFAULT_KIT, help=tr(
        f"the kit's folder, e.g. /media/usb/wheelhouse (default: {DEFAULT_KIT})",
        f"工具包的文件夹，例如 /media/usb/wheelhouse（默认：{DEFAULT_KIT}）"))
    install.add_argument("--venv", default=".venv", help=tr("the virtual environment to create (default: .venv)",
                                                            "要创建的虚拟环境（默认：.venv）"))
    for action in (build, install):
        action.add_argument("--project", default=".", help=tr("the course's folder (default: .)",
                                                              "课程所在的文件夹（默认：.）"))
    parser.set_defaults(func=wheelhouse_command)
    return parser


def wheelhouse_command(args: argparse.Namespace) -> int:
    """Run the action ``args.action``; 0 on success, 1 with one message on stderr otherwise."""
    from .build import build_kit, summary
    from .install import install_from_kit
    from .manifest import verify_kit

    try:
        if args.action == "build":
            manifest = build_kit(args.out, args.project, with_dev=args.with_dev)
            print(summary(manifest, args.out))
        elif args.action == "verify":
            manifest = verify_kit(args.kit)
            print(tr("every file matches the manifest", "所有文件都与清单一致"))
            print(summary(manifest, args.kit))
        else:
            install_from_kit(args.kit, args.venv, args.project)
    except (ValueError, TypeError, RuntimeError, OSError) as error:
        print(tr(f"error: {error}", f"错误：{error}"), file=sys.stderr)
        return 1
    return 0

"""The widget scripts of the HTML pages in the kit: ``wheelhouse/npm/``, and their install with no network.

``make web-assets`` installs ``web/package.json`` with npm (see ``web/README.md``). For the kit,
that install is made once with a network in a scratch folder, which gives a lockfile (the exact
tree, nested versions included); ``npm pack`` then saves every package of that tree as a
tarball into ``wheelhouse/npm/``, beside ``package.json`` and ``package-lock.json``.

On a laptop, the lockfile is pointed at those tarballs (each package's ``resolved`` becomes
``file:`` its tarball in the kit; npm still checks each one's ``integrity``) and ``npm ci
--offline`` rebuilds the same tree from it into ``web/node_modules``. Without npm on
the laptop this is skipped with a note: only HTML pages written there need these scripts.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from ..language import tr
from .pipcalls import Runner

__all__ = ["NPM_DIR", "packed_specs", "tarball_name", "local_lock", "build_npm", "install_npm"]

NPM_DIR = "npm"
_LOCK = "package-lock.json"
_PACKAGE = "package.json"
_QUIET = ["--ignore-scripts", "--no-audit", "--no-fund"]


def packed_specs(lock: dict[str, Any]) -> list[str]:
    """``name@version`` of every package an npm lockfile (``lockfileVersion`` 2 or 3) installs, each once, sorted.

    An alias (``"base7": "npm:@jupyter-widgets/base@4"``) is saved under its real name, which the
    lockfile keeps in ``name``; links and the root are not packages of the registry.
    """
    packages = lock.get("packages")
    if not isinstance(packages, dict):
        raise ValueError(tr("lock must be an npm lockfile of version 2 or 3 (with 'packages'), got "
                            f"lockfileVersion {lock.get('lockfileVersion')!r}",
                            "lock 必须是第 2 或第 3 版的 npm 锁文件（含 'packages'），却得到了 lockfileVersion "
                            f"{lock.get('lockfileVersion')!r}"))
    return sorted({f"{name}@{entry['version']}" for _, name, entry in _registry_packages(packages)})


def _registry_packages(packages: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    """(lockfile path, real package name, entry) of each package from the registry; not the root, not links."""
    found = []
    for path, entry in packages.items():
        if not path or entry.get("link") or "node_modules/" not in path:
            continue
        found.append((path, entry.get("name") or path.rsplit("node_modules/", 1)[1], entry))
    return found


def tarball_name(name: str, version: str) -> str:
    """The file ``npm pack name@version`` writes: ``@jupyter-widgets/base``, 6.0.12 -> ``jupyter-widgets-base-6.0.12.tgz``."""
    return f"{name.lstrip('@').replace('/', '-')}-{version}.tgz"


def local_lock(lock: dict[str, Any], folder: Path) -> dict[str, Any]:
    """A copy of ``lock`` whose every package resolves to its tarball in ``folder`` (``file:``, absolute).

    ``ValueError`` naming the first package whose tarball is not there.
    """
    packages = dict(lock.get("packages") or {})
    for path, name, entry in _registry_packages(packages):
        tarball = Path(folder).resolve() / tarball_name(name, entry["version"])
        if not tarball.is_file():
            raise ValueError(tr(f"the kit has no npm tarball for {name}@{entry['version']} ({tarball.name}); "
                                "build the kit again", f"工具包中没有 {name}@{entry['version']} 的 npm 包"
                                                       f"（{tarball.name}）；请重新生成工具包"))
        packages[path] = {**entry, "resolved": f"file:{tarball}"}
    return {**lock, "packages": packages}


def build_npm(out: Path, project: Path, runner: Runner, npm: str | None) -> list[str]:
    """Save the packages of ``project/web/package.json`` into ``out/npm/``; the tarballs' names (``[]``: none).

    Nothing to do without ``web/package.json``; without npm, a note says the kit has no widget scripts.
    """
    package = project / "web" / _PACKAGE
    if not package.is_file():
        return []
    if npm is None:
        print(tr("npm is not installed: the kit gets no widget scripts for offline HTML pages (the lessons do not "
                 "need them); install Node.js and build the kit again to add them",
                 "未安装 npm：工具包不含离线 HTML 页面所需的控件脚本（课程本身不需要它们）；"
                 "安装 Node.js 后重新生成工具包即可加入"), flush=True)
        return []
    target = out / NPM_DIR
    target.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="aigc-kit-npm-") as scratch:
        scratch_path = Path(scratch)
        shutil.copy2(package, scratch_path / _PACKAGE)
        cache = str(scratch_path / "cache")
        runner([npm, "install", "--prefix", scratch, "--package-lock=true", "--cache", cache, *_QUIET], None)
        lock = json.loads((scratch_path / _LOCK).read_text(encoding="utf-8"))
        before = set(os.listdir(target))
        runner([npm, "pack", *packed_specs(lock), "--pack-destination", str(target), "--cache", cache,
                "--loglevel=warn"], None)  # without it, npm lists every file of every package
        shutil.copy2(scratch_path / _PACKAGE, target / _PACKAGE)
        shutil.copy2(scratch_path / _LOCK, target / _LOCK)
    return sorted(set(os.listdir(target)) - before - {_PACKAGE, _LOCK})


def install_npm(kit: Path, project: Path, runner: Runner, npm: str | None) -> bool:
    """Install the kit's npm packages into ``project/web/node_modules`` with no network; whether it did.

    Skipped, with a note, when the kit has none, npm is missing, or ``web/package.json`` is not the
    one the kit was built from. The old ``node_modules`` is replaced only once the new one is complete.
    """
    folder, web = kit / NPM_DIR, project / "web"
    if not (folder / _LOCK).is_file() or not (web / _PACKAGE).is_file():
        return False
    if npm is None:
        print(tr("npm is not installed here: the widget scripts for offline HTML pages are skipped (the lessons "
                 "do not need them)", "这里没有安装 npm：跳过离线 HTML 页面所需的控件脚本（课程本身不需要它们）"))
        return False
    if (web / _PACKAGE).read_bytes() != (folder / _PACKAGE).read_bytes():
        print(tr(f"web/{_PACKAGE} differs from the kit's {NPM_DIR}/{_PACKAGE}: the widget scripts are skipped; "
                 "build the kit again, or run make web-assets with a network",
                 f"web/{_PACKAGE} 与工具包中的 {NPM_DIR}/{_PACKAGE} 不同：跳过控件脚本；"
                 "请重新生成工具包，或联网运行 make web-assets"))
        return False
    scratch = Path(tempfile.mkdtemp(prefix=".offline-npm-", dir=web)).resolve()  # beside node_modules: a rename
    try:
        shutil.copy2(folder / _PACKAGE, scratch / _PACKAGE)
        lock = local_lock(json.loads((folder / _LOCK).read_text(encoding="utf-8")), folder)
        (scratch / _LOCK).write_text(json.dumps(lock, indent=2), encoding="utf-8")
        runner([npm, "ci", "--prefix", str(scratch), "--offline", "--cache", str(scratch / "cache"), *_QUIET], None)
        (scratch / "node_modules" / ".installed").touch()  # make web-assets' stamp: installed and current
        shutil.rmtree(web / "node_modules", ignore_errors=True)
        os.replace(scratch / "node_modules", web / "node_modules")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return True

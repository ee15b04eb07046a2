"""The offline kit (aigc_course/kit/): its manifest written and checked on a tiny fake wheelhouse, the build and
install steps with pip replaced by a recorder, and the command's and the Makefile's argument errors. No network."""

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from aigc_course import cli
from aigc_course.kit import build, install, npm, target
from aigc_course.kit.manifest import (MANIFEST_NAME, check_kit, format_size, kit_files, read_manifest, verify_kit,
                                      write_manifest)
from aigc_course.kit.project import requirements

ROOT = Path(__file__).resolve().parents[1]
WHEELS = {"torch-2.14.1-cp311-cp311-manylinux_2_28_x86_64.whl": b"pretend torch" * 100,
          "jieba-0.42.1-py3-none-any.whl": b"pretend jieba",
          "npm/widget-manager-1.0.0.tgz": b"pretend npm tarball"}
INFO = {"platform": target.TARGET_TEXT, **target.TARGET, "extras": ["dev"], "course": "aigc-course 0.1.0"}


@pytest.fixture
def kit(tmp_path: Path) -> Path:
    folder = tmp_path / "wheelhouse"
    for name, data in WHEELS.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    (folder / ".DS_Store").write_bytes(b"left by an operating system")
    write_manifest(folder, INFO)
    return folder


class Recorder:
    """Stands in for running pip: records each command and its environment, runs nothing."""

    def __init__(self):
        self.calls = []

    def __call__(self, command, env):
        self.calls.append((list(command), env))


def test_manifest_lists_every_file_with_its_size_and_sha256(kit):
    data = json.loads((kit / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert [entry["file"] for entry in data["files"]] == sorted(WHEELS)  # the hidden file is not part of the kit
    for entry in data["files"]:
        assert entry["size"] == len(WHEELS[entry["file"]])
        assert entry["sha256"] == hashlib.sha256(WHEELS[entry["file"]]).hexdigest()
    assert data["file_count"] == 3 and data["total_bytes"] == sum(map(len, WHEELS.values()))
    assert data["info"]["extras"] == ["dev"]
    assert check_kit(kit) == [] and verify_kit(kit).total_bytes == data["total_bytes"]


def test_a_damaged_file_is_named_whether_its_size_or_only_its_bytes_differ(kit):
    torch = kit / "torch-2.14.1-cp311-cp311-manylinux_2_28_x86_64.whl"
    flipped = bytearray(torch.read_bytes())
    flipped[10] ^= 1  # same size, one bit changed
    torch.write_bytes(bytes(flipped))
    (kit / "jieba-0.42.1-py3-none-any.whl").write_bytes(b"pretend")  # cut short
    problems = check_kit(kit)
    assert [(p.kind, p.file) for p in problems] == [("damaged", "jieba-0.42.1-py3-none-any.whl"),
                                                    ("damaged", torch.name)]
    assert "7 bytes" in problems[0].detail and "SHA-256" in problems[1].detail
    with pytest.raises(ValueError, match=r"2 problem\(s\)") as error:
        verify_kit(kit)
    assert torch.name in str(error.value) and "jieba-0.42.1-py3-none-any.whl" in str(error.value)


def test_a_missing_and_an_extra_file_are_named(kit):
    (kit / "npm" / "widget-manager-1.0.0.tgz").unlink()
    (kit / "torch-2.13.0+cpu-cp311-cp311-manylinux_2_28_x86_64.whl").write_bytes(b"not the kit's torch")
    (kit / "._jieba-0.42.1-py3-none-any.whl").write_bytes(b"macOS metadata")  # hidden: ignored
    problems = check_kit(kit)
    assert [(p.kind, p.file) for p in problems] == [("missing", "npm/widget-manager-1.0.0.tgz"),
                                                    ("extra", "torch-2.13.0+cpu-cp311-cp311-manylinux_2_28_x86_64.whl")]
    assert "remove it" in problems[1].message()


def test_problems_are_told_in_chinese(kit, monkeypatch):
    monkeypatch.setenv("AIGC_LANG", "zh")
    (kit / "jieba-0.42.1-py3-none-any.whl").unlink()
    with pytest.raises(ValueError, match="缺失：jieba-0.42.1-py3-none-any.whl"):
        verify_kit(kit)


def test_a_folder_without_a_manifest_or_with_a_bad_one_is_refused(kit, tmp_path):
    with pytest.raises(ValueError, match="is not a folder"):
        check_kit(tmp_path / "no-such-stick")
    (kit / MANIFEST_NAME).unlink()
    with pytest.raises(ValueError, match="not a finished kit"):
        check_kit(kit)
    (kit / MANIFEST_NAME).write_text("{not json", encoding="utf-8")
    with pytest.raises(ValueError, match="JSONDecodeError"):
        read_manifest(kit)
    escape = {"format": 1, "files": [{"file": "../../etc/passwd", "size": 1, "sha256": "0" * 64}]}
    (kit / MANIFEST_NAME).write_text(json.dumps(escape), encoding="utf-8")
    with pytest.raises(ValueError, match="outside the kit"):
        read_manifest(kit)
    (kit / MANIFEST_NAME).write_text(json.dumps({"format": 2, "files": []}), encoding="utf-8")
    with pytest.raises(ValueError, match="format 1"):
        read_manifest(kit)


def test_kit_files_and_sizes():
    assert format_size(3_921_000_000) == "3.92 GB" and format_size(512_000) == "0.5 MB"
    with pytest.raises(ValueError, match="WHEELHOUSE"):
        kit_files("  ")


def test_requirements_come_from_pyproject_with_the_dev_extra_on_request():
    runtime = requirements(ROOT)
    assert any(r.startswith("torch") for r in runtime) and not any(r.startswith("pytest") for r in runtime)
    with_dev = requirements(ROOT, ("dev",))
    assert with_dev[:len(runtime)] == runtime and any(r.startswith("pytest") for r in with_dev)
    with pytest.raises(ValueError, match="'gpu' is not an extra"):
        requirements(ROOT, ("gpu",))


def test_glibc_needed_is_the_newest_any_wheel_asks_for():
    names = ["numpy-2.4.6-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
             "torch-2.14.1-cp311-cp311-manylinux_2_28_x86_64.whl", "jieba-0.42.1-py3-none-any.whl",
             "old-1.0-cp311-cp311-manylinux1_x86_64.whl"]
    assert target.glibc_needed(names) == (2, 28)
    assert target.glibc_needed(names[2:]) == (2, 5)
    assert target.glibc_needed(["jieba-0.42.1-py3-none-any.whl", "MANIFEST.json"]) is None


def test_install_checks_the_kit_before_it_creates_anything(kit, tmp_path):
    (kit / "jieba-0.42.1-py3-none-any.whl").write_bytes(b"damaged on the stick")
    runner = Recorder()
    with pytest.raises(ValueError, match="damaged: jieba-0.42.1-py3-none-any.whl"):
        install.install_from_kit(kit, tmp_path / "venv", ROOT, runner=runner)
    assert runner.calls == [] and not (tmp_path / "venv").exists()


def test_install_refuses_a_kit_for_another_python(kit, tmp_path):
    manifest = json.loads((kit / MANIFEST_NAME).read_text(encoding="utf-8"))
    manifest["info"]["python"] = "3.12"
    (kit / MANIFEST_NAME).write_text(json.dumps(manifest), encoding="utf-8")
    runner = Recorder()
    with pytest.raises(ValueError, match=r"python \S+ \(the kit: 3.12\)"):
        install.install_from_kit(kit, tmp_path / "venv", ROOT, runner=runner)
    assert runner.calls == []


@pytest.mark.skipif(target.this_platform() != target.TARGET, reason="the fake kit is for x86_64 Linux, CPython 3.11")
def test_install_asks_pip_for_the_kit_alone(kit, tmp_path, monkeypatch):
    monkeypatch.setenv("PIP_FIND_LINKS", "/somewhere/else")
    monkeypatch.setattr(target.platform, "libc_ver", lambda: ("glibc", "2.36"))
    runner = Recorder()
    install.install_from_kit(kit, tmp_path / "venv", ROOT, python="python3.11", npm=None, runner=runner)
    (venv_command, venv_env), (pip_command, pip_env) = runner.calls
    assert venv_command == ["python3.11", "-m", "venv", str(tmp_path / "venv")] and venv_env is None
    assert pip_command[:3] == [str(tmp_path / "venv" / "bin" / "python"), "-m", "pip"]
    assert pip_command[3:7] == ["install", "--no-index", "--find-links", str(kit.resolve())]
    assert pip_command[-2:] == ["-e", f"{ROOT}[dev]"]  # the extras the kit holds
    assert pip_env["PIP_CONFIG_FILE"] == os.devnull and "PIP_FIND_LINKS" not in pip_env


def test_install_refuses_an_old_glibc(kit, tmp_path, monkeypatch):
    monkeypatch.setattr(target, "this_platform", lambda: dict(target.TARGET))
    monkeypatch.setattr(target.platform, "libc_ver", lambda: ("glibc", "2.27"))
    with pytest.raises(ValueError, match="need glibc 2.28 or newer; this system has glibc 2.27"):
        install.install_from_kit(kit, tmp_path / "venv", ROOT, runner=Recorder())


def _fake_pip(command, env):
    """What pip would leave behind: a download writes a wheel and a source archive, a wheel build writes a wheel."""
    if command[3] == "download":
        dest = Path(command[command.index("--dest") + 1])
        (dest / "numpy-2.4.6-cp311-cp311-manylinux_2_17_x86_64.whl").write_bytes(b"numpy")
        (dest / "jieba-0.42.1.tar.gz").write_bytes(b"jieba source")
    elif command[3] == "wheel":
        name = "jieba-0.42.1-py3-none-any.whl" if command[-1].endswith(".tar.gz") else "aigc_course-0.1.0-py3-none-any.whl"
        (Path(command[command.index("--wheel-dir") + 1]) / name).write_bytes(b"built " + name.encode())


def test_build_turns_sources_into_wheels_checks_offline_and_writes_the_manifest_last(tmp_path, monkeypatch):
    monkeypatch.setattr(target, "this_platform", lambda: dict(target.TARGET))
    calls = []
    manifest = build.build_kit(tmp_path / "kit", ROOT, with_dev=True, python="py", npm=None,
                               runner=lambda command, env: (calls.append((list(command), env)),
                                                            _fake_pip(command, env)))
    assert [f.file for f in manifest.files] == ["aigc_course-0.1.0-py3-none-any.whl", "jieba-0.42.1-py3-none-any.whl",
                                                "numpy-2.4.6-cp311-cp311-manylinux_2_17_x86_64.whl"]
    assert manifest.info["extras"] == ["book", "dev"] and manifest.info["built_from_source"] == ["jieba-0.42.1.tar.gz"]
    download, backend = calls[0][0], calls[1][0]
    assert download[:8] == ["py", "-m", "pip", "download", "--dest", str(tmp_path / "kit"), "-c",
                            str(ROOT / "constraints.txt")]
    assert any(r.startswith("pytest") for r in download) and backend[8:] == ["setuptools>=64"]
    course = calls[3][0]
    assert course[3:5] == ["wheel", "--no-deps"] and course[-1] == str(ROOT)
    dry_run, env = calls[-1]
    assert {"--no-index", "--dry-run", "--ignore-installed"} <= set(dry_run) and env["PIP_CONFIG_FILE"] == os.devnull
    assert check_kit(tmp_path / "kit") == []
    with pytest.raises(ValueError, match="already a finished kit"):
        build.build_kit(tmp_path / "kit", ROOT, runner=Recorder())


def test_build_refuses_another_platform_before_downloading(tmp_path, monkeypatch):
    monkeypatch.setattr(target, "this_platform", lambda: {**target.TARGET, "machine": "arm64", "system": "Darwin"})
    runner = Recorder()
    with pytest.raises(ValueError, match="system Darwin .*machine arm64"):
        build.build_kit(tmp_path / "kit", ROOT, runner=runner)
    assert runner.calls == [] and not (tmp_path / "kit").exists()
    with pytest.raises(TypeError, match="with_dev must be True or False"):
        build.build_kit(tmp_path / "kit", ROOT, with_dev=1, runner=runner)


def test_the_command_verifies_and_names_a_damaged_file(kit, capsys):
    assert cli.main(["wheelhouse", "verify", str(kit)]) == 0
    assert "every file matches the manifest" in capsys.readouterr().out
    (kit / "jieba-0.42.1-py3-none-any.whl").write_bytes(b"x")
    assert cli.main(["wheelhouse", "verify", str(kit)]) == 1
    assert "damaged: jieba-0.42.1-py3-none-any.whl" in capsys.readouterr().err


def test_the_command_rejects_bad_arguments(tmp_path, capsys):
    with pytest.raises(SystemExit) as stop:
        cli.main(["wheelhouse"])
    assert stop.value.code == 2 and "action" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        cli.main(["wheelhouse", "install", "--wheelhouse", "x"])
    assert cli.main(["wheelhouse", "install", "--from", "", "--venv", str(tmp_path / "v")]) == 1
    assert "WHEELHOUSE must name the kit's folder" in capsys.readouterr().err
    assert cli.main(["wheelhouse", "install", "--from", str(tmp_path / "nowhere"), "--venv", str(tmp_path / "v")]) == 1
    assert "is not a folder" in capsys.readouterr().err and not (tmp_path / "v").exists()


MAKE = shutil.which("make")


def _make(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([MAKE, "--no-print-directory", *args, f"PYTHON={sys.executable}"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120, env={**os.environ, "AIGC_LANG": "en"})


@pytest.mark.skipif(MAKE is None, reason="needs make")
def test_make_install_offline_names_the_damaged_file_and_creates_no_venv(kit, tmp_path):
    (kit / "torch-2.14.1-cp311-cp311-manylinux_2_28_x86_64.whl").write_bytes(b"cut")
    result = _make("install-offline", f"WHEELHOUSE={kit}", f"VENV={tmp_path / 'venv'}")
    assert result.returncode != 0
    assert "damaged: torch-2.14.1-cp311-cp311-manylinux_2_28_x86_64.whl" in result.stderr
    assert not (tmp_path / "venv").exists()
    empty = _make("install-offline", "WHEELHOUSE=", f"VENV={tmp_path / 'venv'}")
    assert empty.returncode != 0 and "WHEELHOUSE must name the kit's folder" in empty.stderr


@pytest.mark.skipif(MAKE is None, reason="needs make")
def test_make_wheelhouse_passes_its_variables_and_help_documents_them():
    assert "--with-dev" in _make("-n", "wheelhouse", "WITH_DEV=1").stdout
    plain = _make("-n", "wheelhouse", "WITH_DEV=0", "WHEELHOUSE=/media/usb/kit").stdout
    assert "--with-dev" not in plain and "--out '/media/usb/kit'" in plain
    usage = _make("help").stdout
    assert "make wheelhouse" in usage and "WITH_DEV=1" in usage and "install-offline WHEELHOUSE=" in usage


LOCK = {"lockfileVersion": 3, "packages": {
    "": {"name": "aigc-course-web-assets", "dependencies": {"requirejs": "2.3.8"}},
    "node_modules/requirejs": {"version": "2.3.8", "resolved": "r/requirejs-2.3.8.tgz"},
    "node_modules/@jupyter-widgets/base": {"version": "6.0.10"},
    "node_modules/@jupyter-widgets/base7": {"name": "@jupyter-widgets/base", "version": "4.1.7"},  # an alias
    "node_modules/@jupyter-widgets/controls7/node_modules/@lumino/widgets": {"version": "1.37.2"},  # nested
    "node_modules/@lumino/widgets": {"version": "2.7.1"},
    "node_modules/local-thing": {"link": True, "resolved": "../elsewhere"}}}


def test_packed_specs_names_every_package_of_the_lockfile_once():
    assert npm.packed_specs(LOCK) == ["@jupyter-widgets/base@4.1.7", "@jupyter-widgets/base@6.0.10",
                                      "@lumino/widgets@1.37.2", "@lumino/widgets@2.7.1", "requirejs@2.3.8"]
    with pytest.raises(ValueError, match="lockfileVersion 1"):
        npm.packed_specs({"lockfileVersion": 1, "dependencies": {}})


def test_a_lockfile_is_pointed_at_the_kits_tarballs_and_a_missing_one_is_named(tmp_path):
    assert npm.tarball_name("@jupyter-widgets/base", "6.0.12") == "jupyter-widgets-base-6.0.12.tgz"
    for spec in npm.packed_specs(LOCK)[1:]:
        name, version = spec.rsplit("@", 1)
        (tmp_path / npm.tarball_name(name, version)).write_bytes(b"t")
    with pytest.raises(ValueError, match=r"no npm tarball for @jupyter-widgets/base@4.1.7 \(jupyter-widgets-base-4.1.7"):
        npm.local_lock(LOCK, tmp_path)
    assert "resolved" not in LOCK["packages"]["node_modules/@lumino/widgets"]  # the original is left as it was


def _fake_npm(calls):
    def runner(command, env):
        calls.append(list(command))
        if command[1] == "install":  # the scratch install writes its lockfile
            (Path(command[command.index("--prefix") + 1]) / "package-lock.json").write_text(json.dumps(LOCK))
        elif command[1] == "pack":
            for spec in command[2:command.index("--pack-destination")]:
                name, version = spec.lstrip("@").replace("/", "-").rsplit("@", 1)
                (Path(command[command.index("--pack-destination") + 1]) / f"{name}-{version}.tgz").write_bytes(b"t")
        elif command[1] == "ci":  # the offline install builds node_modules in the scratch folder, from its lockfile
            scratch = Path(command[command.index("--prefix") + 1])
            calls.append(json.loads((scratch / "package-lock.json").read_text(encoding="utf-8")))
            (scratch / "node_modules" / "requirejs").mkdir(parents=True)
    return runner


def _project(tmp_path: Path) -> Path:
    project = tmp_path / "course"
    (project / "web" / "node_modules" / "old").mkdir(parents=True)
    (project / "web" / "package.json").write_text('{"dependencies": {"requirejs": "2.3.8"}}', encoding="utf-8")
    return project


def test_npm_packages_are_packed_into_the_kit_and_installed_offline(tmp_path, capsys):
    project, out, calls = _project(tmp_path), tmp_path / "kit", []
    out.mkdir()
    packed = npm.build_npm(out, project, _fake_npm(calls), "npm")
    assert len(packed) == 5 and "jupyter-widgets-base-4.1.7.tgz" in packed
    assert calls[1][1] == "pack" and "--pack-destination" in calls[1]
    assert (out / "npm" / "package-lock.json").is_file() and (out / "npm" / "package.json").is_file()
    calls.clear()
    assert npm.install_npm(out, project, _fake_npm(calls), "npm")
    (ci, lock), tarballs = calls, (out / "npm").resolve()
    assert ci[:2] == ["npm", "ci"] and "--offline" in ci
    assert lock["packages"]["node_modules/@jupyter-widgets/base7"]["resolved"] == \
        f"file:{tarballs / 'jupyter-widgets-base-4.1.7.tgz'}"
    assert "resolved" not in lock["packages"][""] and lock["packages"]["node_modules/local-thing"]["link"]
    modules = project / "web" / "node_modules"
    assert (modules / "requirejs").is_dir() and (modules / ".installed").is_file() and not (modules / "old").exists()
    assert sorted(p.name for p in (project / "web").iterdir()) == ["node_modules", "package.json"]  # no scratch left


def test_npm_install_is_skipped_with_a_note_without_npm_or_for_another_package_json(tmp_path, capsys):
    project, out = _project(tmp_path), tmp_path / "kit"
    out.mkdir()
    assert npm.build_npm(out, project, Recorder(), None) == [] and "npm is not installed" in capsys.readouterr().out
    npm.build_npm(out, project, _fake_npm([]), "npm")
    runner = Recorder()
    assert not npm.install_npm(out, project, runner, None)
    (project / "web" / "package.json").write_text('{"dependencies": {"requirejs": "2.3.9"}}', encoding="utf-8")
    assert not npm.install_npm(out, project, runner, "npm") and runner.calls == []
    assert "differs from the kit's npm/package.json" in capsys.readouterr().out
    assert (project / "web" / "node_modules" / "old").is_dir()  # left as it was


def test_the_kit_command_needs_nothing_beyond_the_standard_library(tmp_path):
    """A laptop runs it with a bare system Python, before .venv exists: ``-S`` hides every installed package."""
    result = subprocess.run([sys.executable, "-S", "-m", "aigc_course.cli", "wheelhouse", "verify",
                             str(tmp_path / "stick")], cwd=ROOT, capture_output=True, text=True, timeout=60,
                            env={**os.environ, "AIGC_LANG": "en"})
    assert result.returncode == 1 and "is not a folder" in result.stderr, result.stderr

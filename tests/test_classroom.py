"""The classroom server's parts that need no root and no running hub: its settings file, passwords
and roster, control-group limits on a fake tree, JupyterHub's configuration as built, the learners'
Python, and the command's errors. The hub itself, under load, is tested in ``tests/classroom/``."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from traitlets.config import Config

from aigc_course import cli
from aigc_course.classroom import accounts, environment
from aigc_course.classroom.hub_config import CULLER_SCOPES, configure
from aigc_course.classroom.limits import GROUP, CgroupLimits, detect
from aigc_course.classroom.settings import ClassroomSettings, check_account_name, load_settings

ROOT = Path(__file__).resolve().parents[1]


def _settings_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "classroom.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_settings_file_holds_the_defaults():
    """hub/classroom.toml documents every setting with its default value; a teacher edits only what differs."""
    shipped = load_settings(ROOT / "hub" / "classroom.toml")
    assert shipped == ClassroomSettings(state_dir=ROOT / "hub" / "state")
    assert shipped.memory_bytes == 3 * 2**30


def test_an_empty_settings_file_is_a_working_classroom_with_its_state_beside_it(tmp_path):
    settings = load_settings(_settings_file(tmp_path, ""))
    assert settings.state_dir == tmp_path.resolve() / "state" and settings.port == 8000
    absolute = load_settings(_settings_file(tmp_path, f'[hub]\nstate_dir = "{tmp_path / "elsewhere"}"\n'))
    assert absolute.state_dir == tmp_path / "elsewhere"


@pytest.mark.parametrize("text, words", [
    ("[hub]\nprot = 8000\n", "unknown key hub.prot; [hub] takes host, port"),
    ("[limit]\ncpus = 1\n", "unknown section [limit]"),
    ("[hub]\nport = 70000\n", "hub.port must be an int between 1 and 65,535"),
    ("[hub]\nport = 8081\n", "must differ"),
    ("[hub]\nedition = \"fr\"\n", "hub.edition"),
    ("[hub]\nteacher = \"Root Admin\"\n", "hub.teacher must be 1-31 characters"),
    ("[hub]\ncourse_folder = \"../elsewhere\"\n", "hub.course_folder must be a folder inside the learner's home"),
    ("[limits]\nmemory_gb = -1\n", "limits.memory_gb must be >= 0"),
    ("[hub\n", "is not valid TOML"),
    ("[hub]\ntls_cert = \"/etc/ssl/room.pem\"\n", "hub.tls_cert and hub.tls_key go together"),
    ("[hub]\ntls_cert = \"/nowhere/c.pem\"\ntls_key = \"/nowhere/k.pem\"\n", "hub.tls_cert: there is no file"),
])
def test_a_bad_setting_is_named_with_what_is_allowed(tmp_path, text, words):
    with pytest.raises(ValueError, match=None) as error:
        load_settings(_settings_file(tmp_path, text))
    assert words in str(error.value)


def test_a_setting_of_the_wrong_type_is_named(tmp_path):
    with pytest.raises(TypeError, match="limits.cpus must be a number"):
        load_settings(_settings_file(tmp_path, '[limits]\ncpus = "two"\n'))
    with pytest.raises(FileNotFoundError, match="does not exist"):
        load_settings(tmp_path / "missing.toml")


@pytest.mark.parametrize("name", ["ana", "wang_li", "_svc", "a-2"])
def test_account_names_jupyterhub_and_useradd_both_accept(name):
    assert check_account_name(name) == name


@pytest.mark.parametrize("name", ["", "Ana", "2ana", "ana li", "a" * 32, "ana;rm"])
def test_other_account_names_are_refused(name):
    with pytest.raises(ValueError):
        check_account_name(name)


def test_passwords_are_random_and_free_of_look_alikes():
    passwords = {accounts.new_password() for _ in range(200)}
    assert len(passwords) == 200
    for password in passwords:
        groups = password.split("-")
        assert [len(g) for g in groups] == [4, 4, 4]
        assert set("".join(groups)) <= set(accounts.PASSWORD_ALPHABET)
    assert not set("01lio") & set(accounts.PASSWORD_ALPHABET)


def test_the_roster_ignores_blank_lines_and_comments(tmp_path):
    settings = ClassroomSettings(state_dir=tmp_path)
    assert accounts.read_roster(settings) == []
    (tmp_path / "learners.txt").write_text("# week 1\nana\n\n bo \n", encoding="utf-8")
    assert accounts.read_roster(settings) == ["ana", "bo"]


def test_accounts_and_their_passwords_need_root(monkeypatch, tmp_path):
    monkeypatch.setattr(accounts.os, "geteuid", lambda: 1000)
    with pytest.raises(PermissionError, match="needs root: run it with sudo"):
        accounts.add_accounts(["ana"], ClassroomSettings(state_dir=tmp_path))
    with pytest.raises(PermissionError, match="needs root"):
        accounts.reset_password("ana")


def test_a_system_account_never_joins_a_class(monkeypatch, tmp_path):
    monkeypatch.setattr(accounts.os, "geteuid", lambda: 0)
    with pytest.raises(ValueError, match="'root' is a system account"):
        accounts.add_accounts(["ana_new", "root"], ClassroomSettings(state_dir=tmp_path))
    assert not (tmp_path / "learners.txt").exists(), "nothing is written before every name is checked"


def _fake_tree(root: Path, version: int) -> Path:
    if version == 2:
        (root / "cgroup.controllers").parent.mkdir(parents=True, exist_ok=True)
        (root / "cgroup.controllers").write_text("cpuset cpu io memory pids\n")
    else:
        for controller, files in {"memory": ["memory.limit_in_bytes"], "cpu": ["cpu.cfs_quota_us"]}.items():
            (root / controller).mkdir(parents=True)
            for name in files:
                (root / controller / name).write_text("-1\n")
    return root


@pytest.mark.parametrize("version", [1, 2])
def test_limits_are_written_and_read_back_in_either_cgroup_version(tmp_path, monkeypatch, version):
    monkeypatch.setattr("os.geteuid", lambda: 0)
    groups = detect(_fake_tree(tmp_path, version))
    assert isinstance(groups, CgroupLimits) and groups.version == version
    groups.prepare("ana", 3 * 2**30, 1.5)
    assert groups.read("ana") == (3 * 2**30, 1.5)
    if version == 2:
        assert (tmp_path / GROUP / "ana" / "memory.max").read_text() == str(3 * 2**30)
        assert (tmp_path / GROUP / "ana" / "cpu.max").read_text() == "150000 100000"
        assert (tmp_path / GROUP / "cgroup.subtree_control").read_text() == "+memory +cpu"
    else:
        assert (tmp_path / "cpu" / GROUP / "ana" / "cpu.cfs_quota_us").read_text() == "150000"
    groups.prepare("bo", 0, 0)  # 0: no limit, as the kernel spells it
    assert groups.read("bo") == (0, 0.0)
    groups.join("ana", 4242)
    assert all((folder / "cgroup.procs").read_text() == "4242" for folder in groups.folders("ana"))


def test_without_control_groups_the_reason_is_given(tmp_path, monkeypatch):
    monkeypatch.setattr("os.geteuid", lambda: 0)
    assert "no memory and cpu control groups" in detect(tmp_path)
    (tmp_path / "cgroup.controllers").write_text("pids io\n")
    assert "lacks the memory or cpu controller" in detect(tmp_path)
    monkeypatch.setattr("os.geteuid", lambda: 1000)
    assert "root" in detect(tmp_path)


def test_jupyterhub_is_configured_for_a_class(tmp_path):
    settings = ClassroomSettings(state_dir=tmp_path / "state", teacher="ms_li", idle_minutes=30, edition="zh")
    (tmp_path / "state").mkdir()
    (tmp_path / "state" / "learners.txt").write_text("ana\nbo\n", encoding="utf-8")
    c = Config()
    configure(c, settings, "/opt/course/bin/python")
    assert c.Authenticator.allowed_users == {"ana", "bo", "ms_li"} and c.Authenticator.admin_users == {"ms_li"}
    assert c.JupyterHub.authenticator_class == "pam"
    assert c.JupyterHub.cleanup_servers is False and c.ConfigurableHTTPProxy.should_start is False
    assert c.Spawner.cmd == ["/opt/course/bin/python", "-m", "aigc_course.classroom.singleuser"]
    assert c.Spawner.environment["AIGC_LANG"] == "zh" and c.Spawner.environment["HF_HUB_OFFLINE"] == "1"
    assert c.Spawner.default_url == "/lab/tree/notebooks/zh"
    assert c.CourseSpawner.memory_bytes == 3 * 2**30 and c.CourseSpawner.cpus == 1.0
    culler = next(s for s in c.JupyterHub.services if s["name"] == "idle-culler")
    assert "--timeout=1800" in culler["command"]
    assert {"name": "idle-culler", "scopes": CULLER_SCOPES, "services": ["idle-culler"]} in c.JupyterHub.load_roles
    # the secrets it made are the hub's alone
    for secret in ("proxy_auth_token", "classroom_api_token"):
        assert (tmp_path / "state" / secret).stat().st_mode & 0o777 == 0o600


def test_with_idle_minutes_0_nothing_is_culled(tmp_path):
    c = Config()
    configure(c, ClassroomSettings(state_dir=tmp_path, idle_minutes=0, memory_gb=0), sys.executable)
    assert [s["name"] for s in c.JupyterHub.services] == ["classroom"]
    assert c.CourseSpawner.memory_bytes == 0


def test_a_python_of_another_minor_version_is_refused_for_learners(tmp_path):
    with pytest.raises(ValueError, match=r"--python must be a Python 3\.\d+"):
        environment.build_learner_env(tmp_path / "env", "/bin/true")


def test_when_learners_cannot_run_python_both_ways_out_are_named(tmp_path, monkeypatch):
    monkeypatch.setattr(environment, "runs_for_others", lambda python: f"{python}: Permission denied")
    with pytest.raises(PermissionError) as error:
        environment.learner_python(tmp_path / "classroom.toml")
    assert "make hub-env" in str(error.value) and "/opt" in str(error.value)


def test_the_hub_command_names_a_bad_settings_file(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(accounts.os, "geteuid", lambda: 0)  # the name is checked before any account is made
    bad = _settings_file(tmp_path, "[hub]\nport = 0\n")
    assert cli.main(["hub", "list", "--settings", str(bad)]) == 2
    assert "aigc-course hub list: hub.port must be an int between 1 and 65,535, got 0" in capsys.readouterr().out
    assert cli.main(["hub", "add", "Not A Name", "--settings", str(_settings_file(tmp_path, ""))]) == 2
    assert "learner name must be 1-31 characters" in capsys.readouterr().out


def test_the_kubernetes_recipe_makes_the_same_choices_as_the_one_server_classroom():
    """hub/kubernetes/config.yaml (Zero to JupyterHub) restates hub/classroom.toml's defaults in the
    chart's terms; a default changed in one place must change in the other."""
    import yaml

    defaults = ClassroomSettings()
    values = yaml.safe_load((ROOT / "hub" / "kubernetes" / "config.yaml").read_text(encoding="utf-8"))
    single = values["singleuser"]
    assert values["hub"]["config"]["Authenticator"]["admin_users"] == [defaults.teacher]
    assert values["hub"]["config"]["NativeAuthenticator"]["open_signup"] is False
    assert single["cmd"] == ["python", "-m", "aigc_course.classroom.singleuser"]
    assert single["extraEnv"]["AIGC_CLASSROOM_FOLDER"] == defaults.course_folder
    assert single["extraEnv"]["AIGC_CLASSROOM_EDITION"] == defaults.edition
    assert single["memory"]["limit"] == f"{defaults.memory_gb:g}G"  # KubeSpawner's G is 2**30 bytes, as here
    assert float(single["cpu"]["limit"]) == defaults.cpus
    assert values["cull"]["timeout"] == defaults.idle_minutes * 60 and values["cull"]["enabled"] is True
    dockerfile = (ROOT / "hub" / "kubernetes" / "Dockerfile").read_text(encoding="utf-8")
    assert '-c /tmp/course/constraints.txt "/tmp/course[hub]"' in dockerfile  # the course's own pins
    assert "USER 1000:100" in dockerfile and single["storage"]["homeMountPath"] == "/home/jovyan"
    assert 'CMD ["python", "-m", "aigc_course.classroom.singleuser"]' in dockerfile

"""The Tutor plugin (tutor-contrib-coach/), rendered by the real Tutor 21 (Ulmo) and 22 (Verawood) from PyPI.

`make tutor-venvs` installs each Tutor with our plugin in a virtualenv of its own; the fixtures
of conftest.py run `tutor plugins enable coach` and `tutor --root <tmp> config save --set ...` in
a fresh root (no Docker is needed for that). The checks read what Tutor wrote: the LMS and Studio
settings, the openedx Dockerfile, the docker compose files of `tutor local` and `tutor dev`, and
the Kubernetes manifests. The timers service is compared with Tutor's own lms-worker, so that it
runs the same image with the same settings, configuration and volumes, and its command is run
once (with --once) on the stand-in LMS of tests/plugin_project/.
tests/platform/test_platform_settings_order.py executes the rendered settings.
"""
import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from coach_xblock.conf import DEFAULTS

pytestmark = pytest.mark.slow  # runs Tutor about forty times; once per `make test`, not on each database

PROJECT = Path(__file__).resolve().parent / "plugin_project"
SETTINGS_FILES = ["lms/production.py", "cms/production.py", "lms/development.py", "cms/development.py"]
BLOCK = re.compile(r"^COACH_XBLOCK = (\{.*?^\})$", re.S | re.M)


def read(root, path):
    return (root / "env" / path).read_text(encoding="utf-8")


def coach_xblock_of(text):
    """The dict the settings file assigns to COACH_XBLOCK (a literal; read without running the file)."""
    blocks = BLOCK.findall(text)
    assert len(blocks) == 1, "one COACH_XBLOCK assignment per settings file"
    return ast.literal_eval(blocks[0])


def services(root, path):
    return yaml.safe_load(read(root, path))["services"]


def deployments(root):
    return {doc["metadata"]["name"]: doc for doc in yaml.safe_load_all(read(root, "k8s/deployments.yml"))
            if doc and doc.get("kind") == "Deployment"}


def expected_settings(values):
    """coach-xblock's defaults but USE_CELERY, LMS_ROOT_URL and REPORT_STORAGE (the platform's), with the operator's
    values."""
    chosen = {key.removeprefix("COACH_"): value for key, value in values.items()}
    return {name: chosen.get(name, default) for name, default in DEFAULTS.items()
            if name not in ("USE_CELERY", "LMS_ROOT_URL", "REPORT_STORAGE")}


@pytest.mark.parametrize("path", SETTINGS_FILES)
def test_the_lms_and_studio_settings_carry_the_operators_values_and_coach_xblocks_defaults(tutor_env, path):
    root, values = tutor_env
    text = read(root, f"apps/openedx/settings/{path}")

    assert coach_xblock_of(text) == expected_settings(values)
    assert "USE_CELERY" not in coach_xblock_of(text), "the platform's default, kept by the plugin settings"


def test_the_openedx_image_installs_the_operators_requirement_with_the_platforms_python_requirements(tutor_env):
    root, values = tutor_env
    dockerfile = read(root, "build/openedx/Dockerfile")

    install = f"$PIP_COMMAND install '{values['COACH_PIP_REQUIREMENT']}'"
    assert dockerfile.count(install) == 1
    assert dockerfile.index("requirements/edx/base.txt") < dockerfile.index(install)
    assert dockerfile.index(install) < dockerfile.index("FROM python AS nodejs-requirements"), (
        "in the stage that builds /openedx/venv, which the LMS, Studio and the workers run")


def test_tutor_local_runs_the_timers_beside_the_lms_worker_with_its_image_settings_and_volumes(tutor_env):
    root, values = tutor_env
    ours = services(root, "local/docker-compose.yml")["coach-timers"]
    worker = services(root, "local/docker-compose.prod.yml")["lms-worker"]

    assert ours["command"] == ["./manage.py", "lms", "coach_notifications", "--interval",
                               str(values["COACH_TIMERS_INTERVAL"])]
    assert ours["image"] == worker["image"]
    assert ours["environment"] == worker["environment"] == {
        "SERVICE_VARIANT": "lms", "DJANGO_SETTINGS_MODULE": "lms.envs.tutor.production"}
    assert ours["volumes"] == worker["volumes"]
    assert (ours["restart"], ours["depends_on"]) == (worker["restart"], worker["depends_on"])


def test_the_timers_command_tutor_renders_does_a_round_in_the_lms(tutor_env, tmp_path):
    root, _values = tutor_env
    command = services(root, "local/docker-compose.yml")["coach-timers"]["command"]
    assert command[:2] == ["./manage.py", "lms"], "edx-platform's manage.py, LMS settings"
    (tmp_path / "lms.env.yml").write_text("{}\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(PROJECT), "DJANGO_SETTINGS_MODULE": "lms.envs.production",
           "LMS_CFG": str(tmp_path / "lms.env.yml"), "PLUGIN_PROJECT_DB": str(tmp_path / "lms.sqlite3")}
    # Its arguments, on the stand-in LMS, plus --once: one round, then the command returns.
    script = ("import sys, django; django.setup(); from django.core.management import call_command; "
              "call_command('migrate', verbosity=0); call_command(*sys.argv[1:])")
    result = subprocess.run([sys.executable, "-c", script, *command[2:], "--once"], cwd=tmp_path, env=env,
                            capture_output=True, text=True, check=False, timeout=120)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "escalated 0, nudged 0, closed 0, sent 0, reports made 0, expired 0"


def test_tutor_dev_runs_the_timers_in_the_development_image_and_settings(tutor_env):
    root, _values = tutor_env
    dev = services(root, "dev/docker-compose.yml")
    ours, lms = dev["coach-timers"], dev["lms"]

    assert ours["image"] == lms["image"]
    assert ours["environment"] == lms["environment"] == {"DJANGO_SETTINGS_MODULE": "lms.envs.tutor.development"}
    assert ours["volumes"] == lms["volumes"]
    assert "command" not in ours, "the command of local/docker-compose.yml, which `tutor dev` loads first"


def test_kubernetes_runs_the_timers_like_the_lms_worker(tutor_env):
    root, values = tutor_env
    found = deployments(root)
    ours, worker = found["coach-timers"]["spec"], found["lms-worker"]["spec"]
    (container,), (worker_container,) = ours["template"]["spec"]["containers"], worker["template"]["spec"]["containers"]

    assert ours["replicas"] == 1
    assert container["args"] == ["./manage.py", "lms", "coach_notifications", "--interval",
                                 str(values["COACH_TIMERS_INTERVAL"])]
    for key in ("image", "env", "volumeMounts", "securityContext"):
        assert container[key] == worker_container[key], key
    assert ours["template"]["spec"]["volumes"] == worker["template"]["spec"]["volumes"]
    assert ours["template"]["spec"]["securityContext"] == worker["template"]["spec"]["securityContext"]


def test_by_default_the_plugin_renders_coach_xblocks_own_defaults(tutor, tmp_path):
    tutor.run(tmp_path, "plugins", "enable", "coach")

    assert coach_xblock_of(read(tmp_path, "apps/openedx/settings/lms/production.py")) == expected_settings({})
    assert "$PIP_COMMAND install 'coach-xblock'" in read(tmp_path, "build/openedx/Dockerfile")
    assert services(tmp_path, "local/docker-compose.yml")["coach-timers"]["command"][-2:] == ["--interval", "60"]


def test_without_timers_no_service_is_rendered(tutor, tmp_path):
    tutor.run(tmp_path, "plugins", "enable", "coach")
    tutor.run(tmp_path, "config", "save", "--set", "COACH_RUN_TIMERS=false")

    assert "coach-timers" not in services(tmp_path, "local/docker-compose.yml")
    assert "coach-timers" not in (services(tmp_path, "dev/docker-compose.yml") or {})
    assert "coach-timers" not in deployments(tmp_path)
    assert "COACH_XBLOCK = {" in read(tmp_path, "apps/openedx/settings/lms/production.py")


@pytest.mark.parametrize(("assignment", "message"), [
    ("COACH_NUDGE_AFTER_DAYS=soon", "COACH_NUDGE_AFTER_DAYS must be a whole number of at least 1, not 'soon'"),
    ("COACH_TIMERS_INTERVAL=0", "COACH_TIMERS_INTERVAL must be a whole number of at least 1, not 0"),
    ("COACH_EXPORT_USERNAMES=sometimes", "COACH_EXPORT_USERNAMES must be true or false, not 'sometimes'"),
    ('COACH_WEBHOOKS=[{"url": "ftp://hooks.example.org", "secret": "s"}]', "COACH_WEBHOOKS must be a list of"),
    ('COACH_WEBHOOKS=[{"url": "https://hooks.example.org"}]', "COACH_WEBHOOKS must be a list of"),
    ("COACH_PIP_REQUIREMENT=coach-xblock'; rm -rf /", "COACH_PIP_REQUIREMENT must be a pip requirement"),
    ("COACH_EMAIL_FROM_ADDRESS=coaching", "COACH_EMAIL_FROM_ADDRESS must be an email address"),
    ("COACH_CLOSE_AFTER_DAYS=7", "COACH_CLOSE_AFTER_DAYS must be greater than COACH_NUDGE_AFTER_DAYS"),
])
def test_a_bad_value_stops_config_save_with_a_message_naming_it_and_renders_nothing(tutor, tmp_path, assignment,
                                                                                     message):
    tutor.run(tmp_path, "plugins", "enable", "coach")
    settings = tmp_path / "env" / "apps" / "openedx" / "settings" / "lms" / "production.py"
    before = settings.read_text(encoding="utf-8")

    refused = tutor.run(tmp_path, "config", "save", "--set", assignment, check=False)

    assert refused.returncode != 0
    assert message in refused.stdout + refused.stderr
    assert settings.read_text(encoding="utf-8") == before, "the environment keeps its last good rendering"

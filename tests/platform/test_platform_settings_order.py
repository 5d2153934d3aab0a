"""In which order the plugins' settings and an operator's Tutor settings apply, and what coach-xblock reads then.

The order, read in the platform's and Tutor's code (Open edX Ulmo and Verawood; Tutor 21 and 22):

1. openedx/edx-platform `lms/envs/common.py` (and `cms/envs/common.py`): near its end,
   `INSTALLED_APPS.extend(get_plugin_apps(ProjectType.LMS))` then
   `add_plugins(__name__, ProjectType.LMS, SettingsType.COMMON)`: our `plugin_settings` runs.
2. `lms/envs/production.py`: `from .common import *`, every key of the YAML file named by
   LMS_CFG (Tutor's `lms.env.yml`, patch `lms-env`) put in the module, and at the bottom
   `add_plugins(__name__, ProjectType.LMS, SettingsType.PRODUCTION)`: `plugin_settings` runs again.
   `lms/envs/devstack.py` (development) does `from .production import *`, then
   `add_plugins(..., SettingsType.DEVSTACK)`.
3. overhangio/tutor `tutor/templates/apps/openedx/settings/lms/production.py` (rendered to
   `lms/envs/tutor/production.py`, the DJANGO_SETTINGS_MODULE of Tutor's containers):
   `from lms.envs.production import *`, then `partials/common_lms.py`, which includes
   `partials/common_all.py` ending with the patch `openedx-common-settings`, then the patch
   `openedx-lms-common-settings`, and last `openedx-lms-production-settings`.
   `settings/lms/development.py` does the same after `from lms.envs.devstack import *`, with the
   patches `openedx-development-settings` and `openedx-lms-development-settings` last. Studio's
   files (`settings/cms/...`) follow the same pattern.

So every settings patch of Tutor runs after every plugin settings function: an operator's
`COACH_XBLOCK = {...}` there replaces whatever the plugin put in COACH_XBLOCK.

The stand-ins: `tests/plugin_project/lms_settings.py` (common.py, with edx-django-utils'
real `add_plugins`), `tests/plugin_project/lms/envs/production.py` and `devstack.py`, their CMS
twins. Tutor's file is first written here as its template lays it out, the operator's patch in
place; then it is the file the real Tutor rendered with our Tutor plugin (tutor-contrib-coach),
cut to the lines that matter: its star-import of the platform's settings and the COACH_XBLOCK
block of our plugin, checked to come in that order. The rest of a rendered file needs the whole
platform (xmodule, codejail, its MODULESTORE...) and creates folders under /openedx.
"""
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent / "plugin_project"

READ_SETTINGS = """
    import json
    import django
    django.setup()
    from django.conf import settings
    from coach_xblock.conf import DEFAULTS, setting
    print(json.dumps({
        "setting": {name: setting(name) for name in DEFAULTS},
        "operator": getattr(settings, "COACH_XBLOCK", None),
    }))
"""


def run_tutor_settings(tmp_path, tutor_settings, *, yaml_tokens=None):
    """What coach-xblock reads under `tutor_settings` (the text of Tutor's settings module) on the stand-ins."""
    (tmp_path / "tutor_settings.py").write_text(tutor_settings, encoding="utf-8")
    config = tmp_path / "env.yml"
    config.write_text(json.dumps(yaml_tokens or {}), encoding="utf-8")  # JSON is YAML
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(tmp_path), str(PROJECT)]),
        "DJANGO_SETTINGS_MODULE": "tutor_settings",
        "PLUGIN_PROJECT_DB": str(tmp_path / "platform.sqlite3"),
        "LMS_CFG": str(config),
        "CMS_CFG": str(config),
    }
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(READ_SETTINGS)],
        cwd=tmp_path, env=env, capture_output=True, text=True, check=False, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def tutor_file(platform_module, operator_patch):
    """Tutor's settings module as its template lays it out: the platform's settings, then the patches."""
    return f"from {platform_module} import *  # noqa\n\n# openedx-common-settings\n{operator_patch}\n"


# What our README told operators to write in a Tutor settings patch.
HOOK = {"url": "https://hooks.example.org/c", "secret": "s"}
OPERATOR_PATCH = f"COACH_XBLOCK = {{'NUDGE_AFTER_DAYS': 7, 'WEBHOOKS': [{HOOK!r}]}}"
TUTOR_MODULES = ["lms.envs.production", "cms.envs.production", "lms.envs.devstack", "cms.envs.devstack"]


@pytest.mark.parametrize("platform_module", TUTOR_MODULES)
def test_an_operator_dict_in_a_tutor_patch_keeps_the_platform_defaults(tmp_path, platform_module):
    found = run_tutor_settings(tmp_path, tutor_file(platform_module, OPERATOR_PATCH))

    assert found["operator"] == {"NUDGE_AFTER_DAYS": 7, "WEBHOOKS": [HOOK]}
    assert found["setting"]["USE_CELERY"] is True, "Celery still sends the notifications in Open edX"
    assert found["setting"]["NUDGE_AFTER_DAYS"] == 7
    assert found["setting"]["WEBHOOKS"] == [HOOK]
    assert found["setting"]["CLOSE_AFTER_DAYS"] == 28, "a key the operator left out keeps its default"


@pytest.mark.parametrize("platform_module", ["lms.envs.production", "lms.envs.devstack"])
def test_an_operator_who_turns_celery_off_in_a_tutor_patch_is_obeyed(tmp_path, platform_module):
    found = run_tutor_settings(tmp_path, tutor_file(platform_module, 'COACH_XBLOCK = {"USE_CELERY": False}'))

    assert found["setting"]["USE_CELERY"] is False


def test_an_operator_dict_in_the_yaml_file_keeps_the_platform_defaults_too(tmp_path):
    found = run_tutor_settings(tmp_path, tutor_file("lms.envs.production", ""),
                               yaml_tokens={"COACH_XBLOCK": {"CLOSE_AFTER_DAYS": 40}})

    assert found["operator"] == {"CLOSE_AFTER_DAYS": 40}
    assert (found["setting"]["USE_CELERY"], found["setting"]["CLOSE_AFTER_DAYS"]) == (True, 40)


def test_without_any_operator_setting_coach_xblock_reads_the_platform_defaults_then_its_own(tmp_path):
    found = run_tutor_settings(tmp_path, tutor_file("lms.envs.production", ""))

    assert found["setting"]["USE_CELERY"] is True
    assert found["setting"]["NUDGE_AFTER_DAYS"] == 14


RENDERED = [("lms/production.py", "lms.envs.production"), ("cms/production.py", "cms.envs.production"),
            ("lms/development.py", "lms.envs.devstack"), ("cms/development.py", "cms.envs.devstack")]


@pytest.mark.slow
@pytest.mark.parametrize(("path", "platform_module"), RENDERED)
def test_the_settings_tutor_renders_with_our_plugin_keep_the_platform_defaults(tutor_env, tmp_path, path,
                                                                               platform_module):
    root, values = tutor_env
    text = (root / "env" / "apps" / "openedx" / "settings" / path).read_text(encoding="utf-8")
    star_import = f"from {platform_module} import *"
    start, end = text.index("# coach-xblock (tutor-contrib-coach)"), text.index("# end of coach-xblock's settings")
    assert text.index(star_import) < start < end, "the platform's settings (and the plugins') come first"

    found = run_tutor_settings(tmp_path, f"{star_import}  # noqa\n{text[start:end]}")

    assert found["setting"]["USE_CELERY"] is True, "Celery still sends the notifications in Open edX"
    chosen = {key.removeprefix("COACH_"): value for key, value in values.items()}
    for name in ("NUDGE_AFTER_DAYS", "CLOSE_AFTER_DAYS", "EMAIL_FROM_NAME", "EMAIL_FROM_ADDRESS", "WEBHOOKS",
                 "EXPORT_USERNAMES"):
        assert found["setting"][name] == chosen[name], name
    assert found["setting"]["DELIVERY_MAX_ATTEMPTS"] == 8, "what the operator left alone keeps its default"

"""A plain `pip install .` (not editable) into a fresh virtualenv serves the block with its JS and CSS.

This proves the wheel carries the templates, scripts, styles, catalogues and migrations, and that
nothing reads them from the source tree: the check runs outside the repository. The wheel carries
nothing else: the Tutor plugin of the repository (tutor-contrib-coach/) is a package of its own, and
the development tools (dev/: the workbench settings and URLs, the benchmark) are never installed;
the workbench runs here with dev/ of the source on PYTHONPATH, as in development.
"""
import json
import os
import shutil
import subprocess
import textwrap
import venv
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

RENDER = textwrap.dedent(
    """
    import json, os, re, sys
    os.environ["DJANGO_SETTINGS_MODULE"] = "coach_dev.workbench_settings"
    import django
    django.setup()
    from django.core.management import call_command
    call_command("migrate", run_syncdb=True, verbosity=0)
    import coach_xblock
    from django.test import Client
    from workbench.runtime_util import reset_global_state
    reset_global_state()
    client = Client()
    learner = client.get("/scenario/coach_checkin.1/?student=mathilde").content.decode()
    coach = client.get("/scenario/coach_checkin.1/?student=coach_karim").content.decode()
    usage = re.findall(r"data-usage='([^']+coach_checkin[^']*)'", learner)[0]
    asked = client.post(
        f"/handler/{usage}/ask/?student=mathilde",
        '{"working_on": "my skills", "stuck_on": "I cannot name my skills at all", "tried": "the online test",'
        ' "client_token": "packaged"}',
        content_type="application/json",
    )
    desk = client.get("/coach-xblock/courses/define-your-skills-coach-check-ins/desk/?student=coach_karim")
    journal = client.get("/coach-xblock/courses/define-your-skills-coach-check-ins/coaching/?student=mathilde")
    import importlib.metadata, importlib.util
    print("FILE", coach_xblock.__file__)
    print("TOP_LEVEL", sorted({f.parts[0] for f in importlib.metadata.files("coach-xblock")
                               if not f.parts[0].endswith(".dist-info")}))
    print("TUTOR_PLUGIN", importlib.util.find_spec("tutorcoach") is not None)
    print("DEV_TOOLS", sorted(str(f) for f in importlib.metadata.files("coach-xblock")
                              if any(word in str(f) for word in ("workbench_settings", "workbench_urls", "benchmark"))))
    from django.core.management import get_commands
    print("COMMANDS", json.dumps({name: app for name, app in get_commands().items() if name.startswith("coach")}))
    print("LEARNER_JS", "function CoachCheckinLearner" in learner)
    print("COACH_SUMMARY", "open the coach desk" in coach)
    page = desk.content.decode()
    print("DESK", desk.status_code, "var CoachCheckinL10n" in page and ".coach-checkin" in page and "<table" in page)
    print("CSS", ".coach-checkin" in learner)
    mine = journal.content.decode()
    print("JOURNAL", journal.status_code, "var CoachCheckinL10n" in mine and ".coach-checkin" in mine
          and "<article" in mine)
    print("FORM", "Where are you stuck?" in learner)
    print("ASK", asked.status_code)
    french = Client(HTTP_ACCEPT_LANGUAGE="fr").get("/scenario/coach_checkin.1/?student=mathilde").content.decode()
    print("FRENCH", "Envoyer à un coach" in french and "Envoi en cours…" in french)
    print("COURSE_TAB", json.dumps([ep.value for ep in importlib.metadata.entry_points(group="openedx.course_tab")
                                    if ep.dist.name == "coach-xblock"]))
    print("TAB_LOADED", "coach_xblock.tab" in sys.modules or importlib.util.find_spec("xmodule") is not None)
    """
)


@pytest.mark.slow
def test_non_editable_install_renders_the_block(tmp_path):
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    # Build from a copy without the build leftovers of earlier installs (pip builds in the tree).
    source = tmp_path / "source"
    shutil.copytree(REPO, source, symlinks=True, ignore=shutil.ignore_patterns(
        ".git", ".venv*", "build", "dist", "*.egg-info", "var", "__pycache__", ".*_cache", "workbench"))
    subprocess.run([*pip, f"{source}[workbench]"], check=True, cwd=tmp_path)
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    result = subprocess.run(
        [str(python), "-c", RENDER], cwd=run_dir, capture_output=True, text=True, check=False,
        env={**os.environ, "PYTHONPATH": str(source / "dev")},
    )
    assert result.returncode == 0, result.stderr
    lines = dict(line.split(" ", 1) for line in result.stdout.splitlines())
    assert lines["FILE"].startswith(str(env_dir)), "the package must come from the virtualenv, not the source tree"
    assert lines["LEARNER_JS"] == "True"
    assert lines["COACH_SUMMARY"] == "True"
    assert lines["DESK"] == "200 True", "the desk's templates, script and styles ship in the package"
    assert lines["CSS"] == "True"
    assert lines["FORM"] == "True"
    assert lines["ASK"] == "200"
    assert lines["TOP_LEVEL"] == "['coach_xblock']", "the Tutor plugin (tutor-contrib-coach/) is a package of its own"
    assert lines["TUTOR_PLUGIN"] == "False"
    assert lines["DEV_TOOLS"] == "[]", "the workbench settings and URLs and the benchmark stay in dev/"
    assert json.loads(lines["COMMANDS"]) == {
        "coach_notifications": "coach_xblock", "coach_benchmark": "coach_dev", "coach_http_bench": "coach_dev",
    }
    assert lines["FRENCH"] == "True", "the catalogues (locale/) and the coach_i18n tags must be in the wheel"
    assert lines["JOURNAL"] == "200 True", "the journal's template, script and styles ship in the package"
    assert json.loads(lines["COURSE_TAB"]) == ["coach_xblock.tab:CoachDeskTab", "coach_xblock.tab:CoachJournalTab"], (
        "the LMS finds the desk's and the learner's tabs")
    assert lines["TAB_LOADED"] == "False", "outside Open edX nothing loads the tab, which needs the platform"


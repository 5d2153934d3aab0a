"""coach-xblock as an Open edX plugin app, loaded the way edx-platform loads its plugins.

Each check runs in a fresh interpreter (a subprocess) on the stand-in project of
`tests/plugin_project/`: its settings list no `coach_xblock` in INSTALLED_APPS, but add
`edx_django_utils.plugins.get_plugin_apps(...)` and call `add_plugins(__name__, ..., "common")`
like edx-platform's `lms/envs/common.py` and `cms/envs/common.py`, and its URLs are the plugin
apps' (`get_plugin_url_patterns`) like edx-platform's `lms/urls.py`; after `django.setup()` the
script calls `connect_plugin_receivers("lms.djangoapp")` like edx-platform's plugins app does in
its `ready()`. Each subprocess migrates its own fresh SQLite file and prints what it found as
one line of JSON, which the test then reads.

edx-platform is not on PyPI: its retirement signal module is a stand-in of the project
(`openedx/core/djangoapps/user_api/accounts/signals.py`), and outside Open edX the plugin
knows a Django user by their username (`identity.anonymous_ids_of`).
"""
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.apps import apps

PROJECT = Path(__file__).resolve().parent / "plugin_project"
# Every migration the package ships, in order: the plugin system must apply them all.
MIGRATIONS = sorted(path.stem for path in (Path(apps.get_app_config("coach_xblock").path) / "migrations").glob("0*.py"))


def run_in_project(tmp_path, script, *, settings="lms_settings", operator=None):
    """Run `script` in a fresh interpreter of the stand-in project; the JSON it printed last."""
    env = {
        **os.environ,
        "PYTHONPATH": str(PROJECT),
        "DJANGO_SETTINGS_MODULE": settings,
        "PLUGIN_PROJECT_DB": str(tmp_path / "lms.sqlite3"),
        "OPERATOR_COACH_XBLOCK": json.dumps(operator or {}),
    }
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)],
        cwd=tmp_path, env=env, capture_output=True, text=True, check=False, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------- installing the plugin

SETUP = """
    import io, json
    import base_settings
    import django
    from django.conf import settings

    django.setup()

    from django.apps import apps
    from django.contrib import admin
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.recorder import MigrationRecorder
    from edx_django_utils.plugins import connect_plugin_receivers

    connect_plugin_receivers("lms.djangoapp")
    from openedx.core.djangoapps.user_api.accounts.signals import USER_RETIRE_LMS_CRITICAL

    config = apps.get_app_config("coach_xblock")
    call_command("check")
    call_command("migrate", verbosity=0)
    changes = io.StringIO()
    try:
        call_command("makemigrations", "coach_xblock", "--check", "--dry-run", stdout=changes)
        missing_migrations = False
    except SystemExit:
        missing_migrations = True
    from coach_xblock.models import Delivery

    print(json.dumps({
        "listed_by_hand": any("coach_xblock" in app for app in base_settings.INSTALLED_APPS),
        "installed_apps": [app for app in settings.INSTALLED_APPS if "coach" in app],
        "config": f"{type(config).__module__}.{type(config).__qualname__}",
        "models": sorted(model.__name__ for model in config.get_models()),
        "coach_xblock_setting": settings.COACH_XBLOCK,
        "applied": sorted(
            name for app, name in MigrationRecorder(connection).applied_migrations() if app == config.label
        ),
        "tables": sorted(t for t in connection.introspection.table_names() if t.startswith("coach_xblock_")),
        "missing_migrations": missing_migrations,
        "admin_lists_deliveries": admin.site.is_registered(Delivery),
        "retirement_receivers": len(USER_RETIRE_LMS_CRITICAL.receivers),
    }))
"""

OPERATOR = {"NUDGE_AFTER_DAYS": 7, "WEBHOOKS": [{"url": "https://hooks.example.org/coach", "secret": "s3cret"}]}


@pytest.mark.parametrize("project", ["lms", "cms"])
def test_the_plugin_system_installs_the_app_its_settings_and_its_migrations(tmp_path, project):
    found = run_in_project(tmp_path, SETUP, settings=f"{project}_settings", operator=OPERATOR)

    assert found["listed_by_hand"] is False
    assert found["installed_apps"] == ["coach_xblock.apps.CoachXBlockConfig"]
    assert found["config"] == "coach_xblock.apps.CoachXBlockConfig"
    assert found["models"] == ["CheckinMessage", "CheckinRequest", "DailyStats", "Delivery", "LearnerPreference"]
    # plugin_settings turns Celery on, and keeps what the operator set before it ran.
    assert found["coach_xblock_setting"] == {**OPERATOR, "USE_CELERY": True}
    assert found["applied"] == MIGRATIONS
    assert found["tables"] == [
        "coach_xblock_checkinmessage", "coach_xblock_checkinrequest", "coach_xblock_dailystats",
        "coach_xblock_delivery", "coach_xblock_learnerpreference",
    ]
    assert found["missing_migrations"] is False, "the models and their migrations agree"
    assert found["admin_lists_deliveries"] is True
    assert found["retirement_receivers"] == 1


def test_an_operator_who_turns_celery_off_is_obeyed(tmp_path):
    found = run_in_project(tmp_path, SETUP, operator={"USE_CELERY": False})

    assert found["coach_xblock_setting"] == {"USE_CELERY": False}


def test_studio_connects_no_retirement_receiver(tmp_path):
    found = run_in_project(tmp_path, """
        import json
        import django
        django.setup()
        from edx_django_utils.plugins import connect_plugin_receivers
        from openedx.core.djangoapps.user_api.accounts.signals import USER_RETIRE_LMS_CRITICAL
        connect_plugin_receivers("cms.djangoapp")
        print(json.dumps({"receivers": len(USER_RETIRE_LMS_CRITICAL.receivers)}))
    """, settings="cms_settings")

    assert found["receivers"] == 0, "the LMS retires users; Studio has no such signal to hear"


# ---------------------------------------------------------------- URLs

URLS = """
    import json
    import os
    import django
    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import resolve, reverse
    from edx_django_utils.plugins import get_plugin_url_patterns

    call_command("migrate", verbosity=0)
    setup_test_environment()  # the test client's host, "testserver", is allowed
    from coach_xblock import views

    project = {"lms_settings": "lms.djangoapp", "cms_settings": "cms.djangoapp"}[os.environ["DJANGO_SETTINGS_MODULE"]]
    link = views.export_link("course-v1:Demo+Career+2026", "requests", "coach_karim")
    match = resolve(link)
    client = Client()
    download = client.get(link)
    tampered = client.get(link[:-2] + "x/")
    print(json.dumps({
        "mounted": [str(pattern.pattern) for pattern in get_plugin_url_patterns(project)],
        "reversed": reverse("coach_xblock:export_download", kwargs={"token": "a-token"}),
        "view": f"{match.func.__module__}.{match.func.__name__}",
        "namespace": match.namespace,
        "status": download.status_code,
        "streaming": download.streaming,
        "body": b"".join(download.streaming_content).decode(),
        "tampered": tampered.status_code,
    }))
"""


@pytest.mark.parametrize("project", ["lms", "cms"])
def test_the_plugin_system_mounts_the_export_download(tmp_path, project):
    found = run_in_project(tmp_path, URLS, settings=f"{project}_settings")

    assert found["mounted"] == ["^coach-xblock/"]
    assert found["reversed"] == "/coach-xblock/export/a-token/"
    assert (found["view"], found["namespace"]) == ("coach_xblock.views.export_download", "coach_xblock")
    assert (found["status"], found["streaming"]) == (200, True)
    assert found["body"].startswith("request_id,learner,"), "an empty course: the header line only"
    assert found["body"].count("\r\n") == 1
    assert found["tampered"] == 403


# ---------------------------------------------------------------- retirement

RETIREMENT = """
    import json
    from datetime import timedelta
    import django
    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.utils import timezone
    from edx_django_utils.plugins import connect_plugin_receivers

    connect_plugin_receivers("lms.djangoapp")
    connect_plugin_receivers("lms.djangoapp")  # a second call must not double the receiver
    from openedx.core.djangoapps.user_api.accounts.signals import USER_RETIRE_LMS_CRITICAL

    call_command("migrate", verbosity=0)
    from coach_xblock import notifications, workflow
    from coach_xblock.models import CheckinMessage, CheckinRequest, Delivery, LearnerPreference
    from coach_xblock.workflow import CheckinPoint, Person

    COURSE = "course-v1:Demo+Career+2026"
    karim = Person("coach_karim", "Karim", "karim@example.com")
    lea = Person("coach_lea", "Léa", "lea@example.com")
    mathilde = Person("mathilde", "Mathilde", "mathilde@example.org")
    paul = Person("paul", "Paul", "paul@example.org")
    zoe = Person("zoe", "Zoé", "zoe@example.org")
    skills = CheckinPoint(COURSE, "block-v1:Demo+Career+2026+type@coach_checkin+block@skills", "Naming my skills",
                          "skills", coaches=(karim, lea))
    feasibility = CheckinPoint(COURSE, "block-v1:Demo+Career+2026+type@coach_checkin+block@feasibility",
                               "Is my project feasible?", "feasibility", coaches=(karim, lea))
    now = timezone.now()
    texts = {"working_on": "Moving from network technician to IT trainer.",
             "stuck_on": "I know my job, but I do not know how to name my skills.",
             "tried": "An online skills test and a first draft of my list of skills."}

    def ask(point, learner, minutes):
        return workflow.ask_for_help(point, learner, client_token="t", now=now + timedelta(minutes=minutes), **texts)

    def answer(request, coach, minutes):
        at = now + timedelta(minutes=minutes)
        workflow.claim_request(COURSE, request.pk, coach, now=at)
        return workflow.coach_reply(COURSE, request.pk, coach, "Start from the verbs of your assignments.", now=at)

    def reply(point, learner, request, minutes):
        workflow.learner_reply(point, learner, request.pk, "Here is my list of skills.",
                               now=now + timedelta(minutes=minutes))

    # Mathilde asked at both points; Karim answered her at "skills" and she replied.
    hers = ask(skills, mathilde, 0)
    answer(hers, karim, 1)
    hers_too = ask(feasibility, mathilde, 2)
    # Paul: Karim answered him, then Léa; then Karim answered at "feasibility".
    pauls = ask(skills, paul, 3)
    answer(pauls, karim, 4)
    reply(skills, paul, pauls, 5)
    answer(pauls, lea, 6)
    pauls_too = ask(feasibility, paul, 7)
    answer(pauls_too, karim, 8)
    # What is due so far is sent (to the locmem backend): these deliveries are "sent".
    notifications.deliver_due(now=now + timedelta(minutes=9))
    # Then more happens, and stays pending: Mathilde's reply, Paul's reply to Karim, Zoé's request
    # that Karim claimed.
    reply(skills, mathilde, hers, 10)
    reply(feasibility, paul, pauls_too, 11)
    zoes = ask(skills, zoe, 12)
    workflow.claim_request(COURSE, zoes.pk, karim, now=timezone.now())
    workflow.set_email_preferences(COURSE, paul, answer_emails=False, reminder_emails=True)

    def rows():
        return {
            "requests": list(CheckinRequest.objects.order_by("pk").values()),
            "messages": list(CheckinMessage.objects.order_by("pk").values()),
            "deliveries": list(Delivery.objects.order_by("pk").values()),
            "preferences": list(LearnerPreference.objects.order_by("pk").values()),
        }

    def dump():
        return json.loads(json.dumps(rows(), default=str))

    users = {
        "mathilde": User.objects.create_user("mathilde", "mathilde@example.org"),
        "coach_karim": User.objects.create_user("coach_karim", "karim@example.com"),
    }
    ids = {"hers": hers.pk, "hers_too": hers_too.pk, "pauls": pauls.pk, "pauls_too": pauls_too.pk, "zoes": zoes.pk}
    before = dump()
    USER_RETIRE_LMS_CRITICAL.send(sender=None, user=users["mathilde"])
    after_learner = dump()
    USER_RETIRE_LMS_CRITICAL.send(sender=None, user=users["coach_karim"])
    after_coach = dump()
    print(json.dumps({"ids": ids, "before": before, "after_learner": after_learner, "after_coach": after_coach,
                      "receivers": len(USER_RETIRE_LMS_CRITICAL.receivers)}))
"""


@pytest.fixture(scope="module")
def retirement(tmp_path_factory):
    """The rows before and after the LMS retires Mathilde (a learner), then Karim (a coach)."""
    return run_in_project(tmp_path_factory.mktemp("retirement"), RETIREMENT, operator={"USE_CELERY": False})


def of_requests(rows, request_ids):
    """The rows of these requests, and of their messages and deliveries."""
    return (
        [r for r in rows["requests"] if r["id"] in request_ids],
        [m for m in rows["messages"] if m["request_id"] in request_ids],
        [d for d in rows["deliveries"] if d["request_id"] in request_ids],
    )


def test_the_story_before_retirement_is_what_the_checks_below_need(retirement):
    before, ids = retirement["before"], retirement["ids"]
    assert retirement["receivers"] == 1
    statuses = {d["status"] for d in before["deliveries"]}
    assert statuses == {"sent", "pending"}
    karims = [d for d in before["deliveries"] if d["recipient"] == "karim@example.com"]
    assert {d["status"] for d in karims} == {"sent", "pending"}
    assert any(r["claimed_by"] == "coach_karim" for r in before["requests"])
    assert {r["learner_id"] for r in before["requests"] if r["id"] in (ids["hers"], ids["hers_too"])} == {"mathilde"}
    assert any(m["author_id"] == "coach_karim" for m in before["messages"])


def test_a_retired_learners_requests_threads_and_notifications_are_deleted(retirement):
    before, after, ids = retirement["before"], retirement["after_learner"], retirement["ids"]
    hers = {ids["hers"], ids["hers_too"]}
    others = {ids["pauls"], ids["pauls_too"], ids["zoes"]}

    assert of_requests(after, hers) == ([], [], [])
    assert of_requests(after, others) == of_requests(before, others), "other learners' requests stay whole"
    assert "mathilde" not in json.dumps(after).lower()
    assert after["preferences"] == before["preferences"]


def test_a_retired_coach_disappears_from_every_thread_claim_and_address_list(retirement):
    after = retirement["after_coach"]

    messages = {m["id"]: m for m in after["messages"] if m["author_role"] == "coach"}
    karims_before = {m["id"] for m in retirement["after_learner"]["messages"] if m["author_id"] == "coach_karim"}
    assert karims_before, "Karim wrote answers"
    assert {(messages[i]["author_id"], messages[i]["author_name"]) for i in karims_before} == {("", "Retired coach")}
    assert ("coach_lea", "Léa") in {(m["author_id"], m["author_name"]) for m in messages.values()}, "Léa's stay hers"

    for request in after["requests"]:
        assert (request["claimed_by"], request["claimed_by_name"]) != ("coach_karim", "Karim")
        assert request["last_coach_id"] != "coach_karim" and request["last_coach_email"] != "karim@example.com"
        assert [c["id"] for c in request["coaches"]] == ["coach_lea"]
    zoes = next(r for r in after["requests"] if r["id"] == retirement["ids"]["zoes"])
    assert (zoes["claimed_by"], zoes["claimed_by_name"], zoes["claim_expires_at"]) == ("", "", None)
    pauls_too = next(r for r in after["requests"] if r["id"] == retirement["ids"]["pauls_too"])
    assert (pauls_too["last_coach_id"], pauls_too["last_coach_name"]) == ("", "Retired coach")
    pauls = next(r for r in after["requests"] if r["id"] == retirement["ids"]["pauls"])
    assert (pauls["last_coach_id"], pauls["last_coach_name"]) == ("coach_lea", "Léa"), "Léa answered last there"

    to_karim = [d for d in after["deliveries"] if d["recipient"] == "karim@example.com"]
    assert not [d for d in to_karim if d["status"] != "sent"], "no pending delivery is addressed to him"
    assert not to_karim and not [d for d in after["deliveries"] if d["recipient_name"] == "Karim"]
    sent_to_someone = [d for d in retirement["after_learner"]["deliveries"]
                       if d["recipient"] == "karim@example.com" and d["status"] == "sent"]
    kept = {d["id"]: d for d in after["deliveries"]}
    assert sent_to_someone and all((kept[d["id"]]["recipient"], kept[d["id"]]["recipient_name"]) == ("", "")
                                   for d in sent_to_someone), "what was sent stays counted, without his address"

    replied = [d for d in after["deliveries"] if d["request_id"] == retirement["ids"]["pauls_too"]
               and d["event"] == "learner_replied"]
    assert [(d["recipient"], d["recipient_name"], d["status"]) for d in replied] == [
        ("lea@example.com", "Léa", "pending")], "Paul's reply to Karim, still unsent, now goes to Léa"
    reply = next(m for m in after["messages"] if m["request_id"] == retirement["ids"]["pauls_too"]
                 and m["author_role"] == "learner")
    assert replied[0]["message_id"] == reply["id"]

    text = json.dumps(after)
    assert "karim" not in text.lower(), "nothing of Karim is left anywhere"
    assert len(after["requests"]) == len(retirement["after_learner"]["requests"]), "no request is deleted"


# ---------------------------------------------------------------- PII annotations


def test_every_model_of_the_app_declares_its_pii():
    models = list(apps.get_app_config("coach_xblock").get_models())
    assert models

    for model in models:
        doc = model.__doc__ or ""
        assert ".. pii:" in doc or ".. no_pii:" in doc, f"{model.__name__} has no PII annotation"
        if ".. pii:" in doc:
            assert ".. pii_types:" in doc and ".. pii_retirement:" in doc, model.__name__

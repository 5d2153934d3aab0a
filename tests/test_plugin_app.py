"""coach-xblock as an Open edX plugin app, loaded the way edx-platform loads its plugins.

Each check runs in a fresh interpreter (a subprocess) on the stand-in project of
`tests/plugin_project/`: its settings list no `coach_xblock` in INSTALLED_APPS, but add
`edx_django_utils.plugins.get_plugin_apps(...)` and call `add_plugins(__name__, ..., "common")`
like edx-platform's `lms/envs/common.py` and `cms/envs/common.py`, and its URLs are the plugin
apps' (`get_plugin_url_patterns`) like edx-platform's `lms/urls.py`; after `django.setup()` the
script calls `connect_plugin_receivers("lms.djangoapp")` like edx-platform's plugins app does in
its `ready()`. Each subprocess migrates its own fresh SQLite file and prints what it found as
one line of JSON, which the test then reads.

edx-platform is not on PyPI: the project has stand-ins, at the platform's dotted paths, of what the
plugin meets of it (see tests/plugin_project/README.md): the retirement signals and views, and the
models the retirement receiver reads (UserRetirementStatus, AnonymousUserId, UserProfile).
"""
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.apps import apps

TESTS = Path(__file__).resolve().parent
PROJECT = TESTS / "plugin_project"
# Every migration the package ships, in order: the plugin system must apply them all.
MIGRATIONS = sorted(path.stem for path in (Path(apps.get_app_config("coach_xblock").path) / "migrations").glob("0*.py"))


def run_in_project(tmp_path, script, *, settings="lms_settings", operator=None):
    """Run `script` in a fresh interpreter of the stand-in project; the JSON it printed last."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(PROJECT), str(TESTS)]),  # the stand-ins, and the story (tests/story/)
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


# The start of a script that reads the plugin's pages in the stand-in LMS as signed-in people
# (tests/platform/test_platform_*_http.py): Django set up and migrated, two courses, `people` to fill
# (username -> User), and `browser(name)`, a client signed in as that user (None: nobody) whose POSTs need the
# page's CSRF token.
LMS_PAGES = """
    import json, re
    import django
    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", run_syncdb=True, verbosity=0)
    from common.djangoapps.student import roles
    from common.djangoapps.student.models import CourseEnrollment, UserProfile, anonymous_id_for_user
    from opaque_keys.edx.keys import CourseKey

    from coach_xblock.domain import CheckinPoint, Person
    from story import ask

    CAREER, PITCH = "course-v1:Demo+Career+2026", "course-v1:Demo+Pitch+2026"
    career, pitch = CourseKey.from_string(CAREER), CourseKey.from_string(PITCH)
    people = {}

    def browser(name):
        client = Client(enforce_csrf_checks=True)
        if name:
            client.force_login(people[name])
        return client
"""


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
    from openedx.core.djangoapps.user_api.accounts.signals import USER_RETIRE_LMS_MISC

    config = apps.get_app_config("coach_xblock")
    call_command("check")
    call_command("migrate", verbosity=0)
    changes = io.StringIO()
    try:
        call_command("makemigrations", "coach_xblock", "--check", "--dry-run", stdout=changes)
        missing_migrations = False
    except SystemExit:
        missing_migrations = True
    from coach_xblock.conf import DEFAULTS, setting
    from coach_xblock.models import Delivery

    print(json.dumps({
        "listed_by_hand": any("coach_xblock" in app for app in base_settings.INSTALLED_APPS),
        "installed_apps": [app for app in settings.INSTALLED_APPS if "coach" in app],
        "config": f"{type(config).__module__}.{type(config).__qualname__}",
        "models": sorted(model.__name__ for model in config.get_models()),
        "coach_xblock_setting": settings.COACH_XBLOCK,
        "read": {name: setting(name) for name in DEFAULTS},
        "applied": sorted(
            name for app, name in MigrationRecorder(connection).applied_migrations() if app == config.label
        ),
        "tables": sorted(t for t in connection.introspection.table_names() if t.startswith("coach_xblock_")),
        "missing_migrations": missing_migrations,
        "admin_lists_deliveries": admin.site.is_registered(Delivery),
        "retirement_receivers": len(USER_RETIRE_LMS_MISC.receivers),
    }))
"""

OPERATOR = {"NUDGE_AFTER_DAYS": 7, "WEBHOOKS": [{"url": "https://hooks.example.org/coach", "secret": "s3cret"}]}


@pytest.mark.parametrize("project", ["lms", "cms"])
def test_the_plugin_system_installs_the_app_its_settings_and_its_migrations(tmp_path, project):
    found = run_in_project(tmp_path, SETUP, settings=f"{project}_settings", operator=OPERATOR)

    assert found["listed_by_hand"] is False
    assert found["installed_apps"] == ["coach_xblock.apps.CoachXBlockConfig"]
    assert found["config"] == "coach_xblock.apps.CoachXBlockConfig"
    assert found["models"] == [
        "CheckinMessage", "CheckinRequest", "CoachNote", "CourseCoach", "DailyStats", "Delivery", "LearnerBlock",
        "LearnerPreference", "ModerationRecord", "Report", "SavedReply",
    ]
    # plugin_settings turns Celery on beside the operator's dict, which it leaves as the operator wrote it.
    assert found["coach_xblock_setting"] == OPERATOR
    assert found["read"]["USE_CELERY"] is True
    assert (found["read"]["NUDGE_AFTER_DAYS"], found["read"]["WEBHOOKS"]) == (7, OPERATOR["WEBHOOKS"])
    assert found["applied"] == MIGRATIONS
    assert found["tables"] == [
        "coach_xblock_checkinmessage", "coach_xblock_checkinrequest", "coach_xblock_coachnote",
        "coach_xblock_coursecoach", "coach_xblock_dailystats", "coach_xblock_delivery",
        "coach_xblock_learnerblock", "coach_xblock_learnerpreference", "coach_xblock_moderationrecord",
        "coach_xblock_report", "coach_xblock_savedreply",
    ]
    assert found["missing_migrations"] is False, "the models and their migrations agree"
    assert found["admin_lists_deliveries"] is True
    assert found["retirement_receivers"] == 1


def test_an_operator_who_turns_celery_off_is_obeyed(tmp_path):
    found = run_in_project(tmp_path, SETUP, operator={"USE_CELERY": False})

    assert found["read"]["USE_CELERY"] is False


def test_studio_connects_no_retirement_receiver(tmp_path):
    found = run_in_project(tmp_path, """
        import json
        import django
        django.setup()
        from edx_django_utils.plugins import connect_plugin_receivers
        from openedx.core.djangoapps.user_api.accounts.signals import USER_RETIRE_LMS_MISC
        connect_plugin_receivers("cms.djangoapp")
        print(json.dumps({"receivers": len(USER_RETIRE_LMS_MISC.receivers)}))
    """, settings="cms_settings")

    assert found["receivers"] == 0, "the LMS retires users; Studio has no such signal to hear"


def test_an_lms_offers_the_timers_command_and_no_development_tool(tmp_path):
    """`./manage.py lms coach_benchmark` is unknown in Open edX: the benchmark, which fills and empties
    the database it is given, is a development tool (dev/), never installed with the package."""
    found = run_in_project(tmp_path, """
        import json
        import django
        django.setup()
        from django.core.management import CommandError, call_command, get_commands
        try:
            call_command("coach_benchmark", "--sizes", "1")
            refused = None
        except CommandError as error:
            refused = str(error)
        commands = {name: app for name, app in get_commands().items() if name.startswith("coach")}
        print(json.dumps({"commands": commands, "refused": refused}))
    """)

    assert found["commands"] == {"coach_notifications": "coach_xblock"}
    assert found["refused"] == "Unknown command: 'coach_benchmark'"


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
    from coach_xblock import exports

    project = {"lms_settings": "lms.djangoapp", "cms_settings": "cms.djangoapp"}[os.environ["DJANGO_SETTINGS_MODULE"]]
    link = exports.export_link("course-v1:Demo+Career+2026", "requests", "coach_karim")
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

    assert "^coach-xblock/" in found["mounted"], "beside other plugin apps' URLs (edx-toggles' here, as in the LMS)"
    assert found["reversed"] == "/coach-xblock/export/a-token/"
    assert (found["view"], found["namespace"]) == ("coach_xblock.views.export_download", "coach_xblock")
    assert (found["status"], found["streaming"]) == (200, True)
    assert found["body"].startswith("request_id,learner,"), "an empty course: the header line only"
    assert found["body"].count("\r\n") == 1
    assert found["tampered"] == 403


# ---------------------------------------------------------------- retirement

# The platform's retirement, in its order (the stand-ins of tests/plugin_project/: the views of
# openedx/core/djangoapps/user_api/accounts/views.py, UserRetirementStatus, AnonymousUserId). Learners
# and coaches are known to blocks by their anonymous id in each course, as the LMS's user service
# gives it; the course team's addresses are the users' emails when a learner asks.
RETIREMENT = """
    import io, json, logging
    from datetime import timedelta
    import django
    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.utils import timezone
    from edx_django_utils.plugins import connect_plugin_receivers

    connect_plugin_receivers("lms.djangoapp")
    connect_plugin_receivers("lms.djangoapp")  # a second call must not double the receiver
    from common.djangoapps.student.models import AnonymousUserId, UserProfile, anonymous_id_for_user
    from openedx.core.djangoapps.user_api.accounts import signals, views
    from openedx.core.djangoapps.user_api.models import UserRetirementStatus

    call_command("migrate", run_syncdb=True, verbosity=0)  # the stand-in apps have no migrations
    from coach_xblock import notifications, workflow
    from coach_xblock.domain import CheckinPoint, Person
    from coach_xblock.models import CourseCoach
    from story import answer, ask, claim, reply, snapshot

    warnings = io.StringIO()
    handler = logging.StreamHandler(warnings)
    logging.getLogger("coach_xblock").addHandler(handler)

    CAREER, PITCH = "course-v1:Demo+Career+2026", "course-v1:Demo+Pitch+2026"
    NAMES = {"mathilde": "Mathilde Durand", "paul": "Paul Lefèvre", "zoe": "Zoé Petit", "noah": "Noah Girard",
             "coach_karim": "Karim Haddad", "coach_lea": "Léa Martin"}
    ADDRESSES = {"mathilde": "mathilde.durand@example.org", "coach_karim": "karim.haddad@example.com",
                 "coach_lea": "lea.martin@example.com"}
    users = {}
    for username, name in NAMES.items():
        users[username] = User.objects.create_user(username, ADDRESSES.get(username, f"{username}@example.org"))
        UserProfile.objects.create(user=users[username], name=name)

    def person(username, course):
        # What the LMS's user service tells the block about the user viewing it in `course`.
        user = User.objects.get(pk=users[username].pk)
        return Person(anonymous_id_for_user(user, course), user.profile.name, user.email, user.username)

    def point(course, name, topic):
        coaches = (person("coach_karim", course), person("coach_lea", course))
        return CheckinPoint(course, f"block-v1:{course[10:]}+type@coach_checkin+block@{name}", name, topic,
                            coaches=coaches)

    now = timezone.now()
    minutes = iter(range(1000))

    def at():
        return now + timedelta(minutes=next(minutes))

    def rows():
        return json.loads(json.dumps(snapshot(), default=str))  # every table of the app

    mathilde, paul, zoe, noah, karim, lea = (
        person(name, CAREER) for name in ("mathilde", "paul", "zoe", "noah", "coach_karim", "coach_lea"))
    mathilde_in_pitch, paul_in_pitch, karim_in_pitch = (
        person(name, PITCH) for name in ("mathilde", "paul", "coach_karim"))
    skills, feasibility = point(CAREER, "skills", "skills"), point(CAREER, "feasibility", "feasibility")
    pitch = point(PITCH, "pitch", "other")
    # Mathilde asked in both courses; Karim answered her in both.
    hers = [answer(ask(skills, mathilde, token="t", now=at()), karim, now=at()),
            ask(feasibility, mathilde, token="t", now=at()),
            answer(ask(pitch, mathilde_in_pitch, token="t", now=at()), karim_in_pitch, now=at())]
    # Paul: Karim answered him, he replied, Léa answered; Karim answered him at two other points.
    pauls = answer(ask(skills, paul, token="t", now=at()), karim, now=at())
    reply(skills, paul, pauls, now=at())
    answer(pauls, lea, now=at() + timedelta(hours=1))  # once the follow-up's hour for Karim is over
    pauls_too = answer(ask(feasibility, paul, token="t", now=at()), karim, now=at())
    pauls_pitch = answer(ask(pitch, paul_in_pitch, token="t", now=at()), karim_in_pitch, now=at())
    # Zoé's request, which Karim holds.
    zoes = ask(skills, zoe, token="t", now=at())
    claim(zoes, karim, now=timezone.now())
    for learner in ("mathilde", "paul"):
        workflow.set_email_preferences(CAREER, person(learner, CAREER), answer_emails=False, reminder_emails=True)
    # The desks' coach lists: the course teams added Karim, Léa and Mathilde (a learner of Career, a peer
    # coach of Pitch); Karim and Léa added others.
    for course, username, added_by in ((CAREER, "coach_karim", "coach_lea"), (PITCH, "coach_karim", "coach_lea"),
                                       (PITCH, "mathilde", "coach_karim"), (PITCH, "paul", "coach_karim"),
                                       (CAREER, "zoe", "coach_lea")):
        CourseCoach.objects.create(course_key=course, username=username, added_by=added_by)
    # Moderation: Karim reported Mathilde's request at "feasibility"; Léa blocked her, Karim blocked Paul.
    workflow.report_request(CAREER, hers[1].pk, karim, "Insults the coaches.", now=at())
    workflow.block_learner(CAREER, mathilde.user_id, lea, "Insulted the coaches twice.", now=at())
    workflow.block_learner(CAREER, paul.user_id, karim, "Posts the same request again and again.", now=at())
    notifications.deliver_due(now=at())  # to the locmem backend: these deliveries are "sent"

    # Mathilde and Karim delete their accounts (DeactivateLogoutView): their emails are retired at once.
    deactivated = [views.deactivate_logout(users[name]) for name in ("mathilde", "coach_karim")]
    # Days pass before the retirement driver runs. Paul replies to Karim's answers (emailed to the
    # address Karim had when he answered); Noah asks, and the course team now lists Karim's retired address.
    reply(feasibility, paul, pauls_too, now=at())
    reply(pitch, paul_in_pitch, pauls_pitch, now=at())
    noahs = ask(point(CAREER, "skills", "skills"), noah, token="t", now=at())
    before = rows()

    # The driver's steps for each of them: retire_misc (USER_RETIRE_LMS_MISC), then retire (..._CRITICAL).
    misc = {"mathilde": views.retire_misc("mathilde")}
    after_learner = rows()
    misc["coach_karim"] = views.retire_misc("coach_karim")
    after_coach = rows()
    critical = {name: views.retire(name) for name in ("mathilde", "coach_karim")}
    after_critical = rows()

    # The signal comes again once his username is replaced (a step retried, another app resending it), and a
    # row names him by his old username meanwhile (restored from a backup): his original username finds it.
    CourseCoach.objects.create(course_key=CAREER, username="coach_karim", added_by="")
    signals.USER_RETIRE_LMS_CRITICAL.send(sender=None, user=User.objects.get(pk=users["coach_karim"].pk))
    after_resent = rows()

    # Léa is retired by other means: an administrator replaced her address, and the platform kept no
    # UserRetirementStatus. The signal still comes.
    lea_user = users["coach_lea"]
    lea_user.email = "retired-by-hand@retired.invalid"
    lea_user.save()
    signals.USER_RETIRE_LMS_MISC.send(sender=None, user=lea_user)
    after_lea = rows()

    # Noah's account goes through a pipeline without the retire_misc step: only the last signal comes.
    signals.USER_RETIRE_LMS_CRITICAL.send(sender=None, user=users["noah"])
    after_noah = rows()

    print(json.dumps({
        "ids": {"hers": [r.pk for r in hers], "pauls": pauls.pk, "pauls_too": pauls_too.pk,
                "pauls_pitch": pauls_pitch.pk, "zoes": zoes.pk, "noahs": noahs.pk},
        "anonymous_ids": {name: list(AnonymousUserId.objects.filter(user=user).values_list("anonymous_user_id",
                                                                                               flat=True))
                          for name, user in users.items()},
        "originals": {name: list(UserRetirementStatus.objects.filter(user=users[name]).values(
            "original_username", "original_email", "original_name", "retired_email"))
            for name in ("mathilde", "coach_karim")},
        "deactivated": deactivated, "misc": misc, "critical": critical,
        "before": before, "after_learner": after_learner, "after_coach": after_coach,
        "after_critical": after_critical, "after_resent": after_resent, "after_lea": after_lea,
        "after_noah": after_noah,
        "usernames": {name: User.objects.get(pk=user.pk).username for name, user in users.items()},
        "receivers": {"misc": len(signals.USER_RETIRE_LMS_MISC.receivers),
                      "critical": len(signals.USER_RETIRE_LMS_CRITICAL.receivers)},
        "log": warnings.getvalue(),
    }, ensure_ascii=False))
"""


# The tables of the rows the script prints (the story's snapshot: every table of the app).
REQUESTS, MESSAGES, DELIVERIES, PREFERENCES, STATS, LISTS, RECORDS, BLOCKS = (
    f"coach_xblock.{name}"
    for name in ("CheckinRequest", "CheckinMessage", "Delivery", "LearnerPreference", "DailyStats", "CourseCoach",
                 "ModerationRecord", "LearnerBlock")
)


@pytest.fixture(scope="module")
def retirement(tmp_path_factory):
    """Our rows as Mathilde (a learner), then Karim (a coach), then Léa (a coach) are retired."""
    return run_in_project(tmp_path_factory.mktemp("retirement"), RETIREMENT, operator={"USE_CELERY": False})


def of_requests(rows, request_ids):
    """The rows of these requests, and of their messages and deliveries."""
    return (
        [r for r in rows[REQUESTS] if r["id"] in request_ids],
        [m for m in rows[MESSAGES] if m["request_id"] in request_ids],
        [d for d in rows[DELIVERIES] if d["request_id"] in request_ids],
    )


def traces(rows, *needles):
    """The needles (lower case) found anywhere in these rows."""
    text = json.dumps(rows, ensure_ascii=False).lower()
    return [needle for needle in needles if needle.lower() in text]


def test_the_story_before_retirement_is_what_the_checks_below_need(retirement):
    before, ids = retirement["before"], retirement["ids"]
    karim = retirement["originals"]["coach_karim"][0]
    assert retirement["deactivated"] == [[204, ""], [204, ""]]
    assert (karim["original_username"], karim["original_email"], karim["original_name"]) == (
        "coach_karim", "karim.haddad@example.com", "Karim Haddad")
    assert len(retirement["anonymous_ids"]["coach_karim"]) == 2, "one anonymous id in each course"
    to_karim = [d for d in before[DELIVERIES] if d["recipient"] == karim["original_email"]]
    assert {d["status"] for d in to_karim} == {"sent", "pending"}, "a reply waits to be emailed to his old address"
    assert any(d["recipient"] == karim["retired_email"] for d in before[DELIVERIES]), "Noah's ask"
    assert any(c["email"] == karim["retired_email"] for c in of_requests(before, [ids["noahs"]])[0][0]["coaches"])
    assert any(r["claimed_by"] in retirement["anonymous_ids"]["coach_karim"] for r in before[REQUESTS])
    assert traces(before, "Karim Haddad", "Mathilde Durand", "mathilde.durand@example.org",
                  *retirement["anonymous_ids"]["mathilde"], *retirement["anonymous_ids"]["coach_karim"])
    assert before[STATS]


def test_the_plugin_forgets_a_user_at_the_step_the_platforms_course_apps_do(retirement):
    assert retirement["receivers"] == {"misc": 1, "critical": 1}
    assert retirement["misc"] == {"mathilde": [204, ""], "coach_karim": [204, ""]}
    assert retirement["critical"] == {"mathilde": [204, ""], "coach_karim": [204, ""]}
    assert retirement["after_critical"] == retirement["after_coach"], "nothing was left for the last step"


def test_a_pipeline_without_the_misc_step_still_forgets_the_user(retirement):
    before, after, ids = retirement["after_lea"], retirement["after_noah"], retirement["ids"]
    assert of_requests(before, [ids["noahs"]])[0], "Noah's request was there"
    assert of_requests(after, [ids["noahs"]]) == ([], [], [])
    assert traces(after, "noah", "girard", *retirement["anonymous_ids"]["noah"]) == []


def test_a_retired_learners_requests_threads_notifications_and_choices_are_deleted(retirement):
    before, after, ids = retirement["before"], retirement["after_learner"], retirement["ids"]
    others = [ids["pauls"], ids["pauls_too"], ids["pauls_pitch"], ids["zoes"], ids["noahs"]]

    assert of_requests(after, ids["hers"]) == ([], [], [])
    assert of_requests(after, others) == of_requests(before, others), "other learners' requests stay whole"
    assert len(after[PREFERENCES]) == len(before[PREFERENCES]) - 1
    assert after[STATS] == before[STATS], "the counters hold no one"
    assert traces(after, "mathilde", "durand", *retirement["anonymous_ids"]["mathilde"]) == []
    assert len(after[LISTS]) == len(before[LISTS]) - 1, "she left the desk's list of Pitch, no one else did"
    assert [(r["action"], r["learner_name"]) for r in before[RECORDS]] == [
        ("reported", "Mathilde Durand"), ("blocked", "Mathilde Durand"), ("blocked", "Paul Lefèvre")]
    assert [(r["action"], r["learner_name"]) for r in after[RECORDS]] == [("blocked", "Paul Lefèvre")]
    assert [b["learner_name"] for b in after[BLOCKS]] == ["Paul Lefèvre"], "her block went, Paul's stays"


def test_a_retired_coach_leaves_no_id_name_or_address_in_any_row(retirement):
    after, ids = retirement["after_coach"], retirement["ids"]
    karim = retirement["originals"]["coach_karim"][0]

    assert traces(after, "karim", "haddad", "coach_karim", karim["original_email"], karim["retired_email"],
                  *retirement["anonymous_ids"]["coach_karim"]) == []
    assert {(m["author_id"], m["author_name"]) for m in after[MESSAGES] if m["author_role"] == "coach"} == {
        ("", "Retired coach"), (retirement["anonymous_ids"]["coach_lea"][0], "Léa Martin")}
    zoes = of_requests(after, [ids["zoes"]])[0][0]
    assert (zoes["claimed_by"], zoes["claimed_by_name"], zoes["claim_expires_at"]) == ("", "", None)
    assert [(c["name"], c["email"]) for r in after[REQUESTS] for c in r["coaches"]] == [
        ("Léa Martin", "lea.martin@example.com")] * len(after[REQUESTS])
    answered_by_him = of_requests(after, [ids["pauls_too"], ids["pauls_pitch"]])[0]
    assert {(r["last_coach_id"], r["last_coach_name"], r["last_coach_email"]) for r in answered_by_him} == {
        ("", "Retired coach", "")}
    assert len(after[REQUESTS]) == len(retirement["after_learner"][REQUESTS]), "no request is deleted"
    assert sorted((r["course_key"][10:], r["username"], r["added_by"]) for r in after[LISTS]) == [
        ("Demo+Career+2026", "zoe", "coach_lea"), ("Demo+Pitch+2026", "paul", "")], "whom he added stays listed"
    assert after[STATS] == retirement["before"][STATS]
    assert [(r["action"], r["actor_id"], r["actor_name"], r["reason"]) for r in after[RECORDS]] == [
        ("blocked", "", "Retired coach", "Posts the same request again and again.")], "his block of Paul stays"
    assert [(b["learner_name"], b["blocked_by_id"], b["blocked_by_name"]) for b in after[BLOCKS]] == [
        ("Paul Lefèvre", "", "Retired coach")]


def test_what_was_sent_to_a_retired_coach_stays_counted_and_his_pending_mail_goes_to_the_other_coaches(retirement):
    before, after, ids = retirement["after_learner"], retirement["after_coach"], retirement["ids"]
    karim = retirement["originals"]["coach_karim"][0]

    sent_to_him = [d["id"] for d in before[DELIVERIES] if d["status"] == "sent"
                   and d["recipient"] == karim["original_email"]]
    kept = {d["id"]: d for d in after[DELIVERIES]}
    assert sent_to_him and {(kept[i]["recipient"], kept[i]["recipient_name"]) for i in sent_to_him} == {("", "")}
    assert not [d for d in after[DELIVERIES] if d["status"] != "sent" and not d["recipient"]]

    for request_id in (ids["pauls_too"], ids["pauls_pitch"]):
        replied = [(d["recipient"], d["recipient_name"], d["status"]) for d in after[DELIVERIES]
                   if d["request_id"] == request_id and d["event"] == "learner_replied"]
        assert replied == [("lea.martin@example.com", "Léa Martin", "pending")], "Paul's reply now goes to Léa"
    noahs_asked = [d["recipient"] for d in after[DELIVERIES] if d["request_id"] == ids["noahs"]
                   and d["channel"] == "email"]
    assert noahs_asked == ["lea.martin@example.com"], "nothing waits for his retired address either"


def test_a_signal_after_the_username_is_replaced_finds_the_original_username(retirement):
    assert retirement["usernames"]["coach_karim"].startswith("retired__user_")
    assert retirement["after_resent"] == retirement["after_critical"], "the row naming his old username went"


def test_a_coach_retired_without_a_retirement_record_is_scrubbed_by_ids_and_recorded_addresses(retirement):
    after = retirement["after_lea"]

    assert traces(after, "coach_lea", "léa", "martin", "lea.martin@example.com", "retired-by-hand",
                  *retirement["anonymous_ids"]["coach_lea"]) == []
    assert all(r["coaches"] == [] for r in after[REQUESTS])
    assert "has no UserRetirementStatus" in retirement["log"]
    assert "lea.martin@example.com" not in retirement["log"], "the log names the user by id, never by address"


# ---------------------------------------------------------------- PII annotations


def test_every_model_of_the_app_declares_its_pii():
    models = list(apps.get_app_config("coach_xblock").get_models())
    assert models

    for model in models:
        doc = model.__doc__ or ""
        assert ".. pii:" in doc or ".. no_pii:" in doc, f"{model.__name__} has no PII annotation"
        if ".. pii:" in doc:
            assert ".. pii_types:" in doc and ".. pii_retirement:" in doc, model.__name__

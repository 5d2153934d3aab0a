"""The story of DESIGN.md, shared by every test: its people, what they write, and what they do.

Mathilde and Paul are learners, Karim and Léa coach their course. This module holds them as the
workflow knows them (conftest.py gives each as a fixture: `mathilde`, `paul`, `karim`, `lea`), the
texts of Mathilde's form, the story's actions at the domain level (`ask`, `claim`, `answer`, `reply`,
`resolve`, `withdraw`: calls of coach_xblock.workflow, for a test's setup; the tests of an action
call it themselves), and the proof that a refused call changed nothing (`snapshot`, `unchanged`,
`refused`). The same story over HTTP, through the workbench, is in `story.workbench`; in a browser,
in `story.browser`; the timers' clock and cast in `story.timers`; the notification outbox in
`story.outbox`; the CSV exports' data and readers in `story.exports`.
"""
import dataclasses
from contextlib import contextmanager
from datetime import UTC, datetime
from itertools import count

import pytest
from django.apps import apps
from django.db import connection

from coach_xblock import workflow
from coach_xblock.domain import CheckinPoint, Person
from coach_xblock.models import CheckinMessage, CheckinRequest, Delivery

COURSE = "course-v1:Demo+Career+2026"  # the course of the check-in points below
OTHER_COURSE = "course-v1:Other+Course+2026"
MISSING_ID = 999_999  # the id of no request
#: The story's clock, where a test sets it: Tuesday 10 March 2026, 9:00 UTC (a morning, so that the hours
#: a test adds never spill into another day).
T0 = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)

#: Two check-in points of the course (conftest.py's fixtures skills_point and feasibility_point).
SKILLS_POINT = CheckinPoint(
    course_key=COURSE, point_id="block-v1:Demo+Career+2026+type@coach_checkin+block@skills",
    title="Naming my skills", topic="skills", max_open_requests=1, min_length=20, max_length=2000,
)
FEASIBILITY_POINT = CheckinPoint(
    course_key=COURSE, point_id="block-v1:Demo+Career+2026+type@coach_checkin+block@feasibility",
    title="Is my project feasible?", topic="feasibility",
)

# ---------------------------------------------------------------- the people

#: The people of the story, as the workflow knows them (conftest.py's fixtures of the same names).
PEOPLE = {
    "mathilde": Person(user_id="anon-mathilde", display_name="Mathilde"),
    "paul": Person(user_id="anon-paul", display_name="Paul"),
    "karim": Person(user_id="coach_karim", display_name="Karim"),
    "lea": Person(user_id="coach_lea", display_name="Léa"),
}
#: Their addresses, where a test is about what they are sent.
ADDRESSES = {
    "mathilde": "mathilde@example.org",
    "paul": "paul@example.org",
    "karim": "karim@example.com",
    "lea": "lea@example.com",
}

#: The same people in the workbench: `?student=<id>` picks the user, the scenarios' coach lists name the coaches.
MATHILDE, PAUL = "mathilde", "paul"
KARIM, LEA = "coach_karim", "coach_lea"


def reachable(name):
    """The person `name` of PEOPLE, with their address."""
    return dataclasses.replace(PEOPLE[name], email=ADDRESSES[name])


_newcomers = count(1)


def newcomer():
    """A learner who never asked anything yet: another one at each call."""
    number = next(_newcomers)
    return Person(user_id=f"anon-learner-{number}", display_name=f"Learner {number}")


def learner_of(request):
    """The learner who asked `request`, as the workflow knows her."""
    return Person(user_id=request.learner_id, display_name=request.learner_name)


# ---------------------------------------------------------------- what they write

#: Mathilde's form at "Define your skills".
ASK = {
    "working_on": "Moving from network technician to IT trainer.",
    "stuck_on": "I know my job, but I do not know how to name my skills.",
    "tried": "An online skills test and a first draft of my list of skills.",
    "link": "https://tests.example.org/results/skills-test",
}
#: The same form, as she fills it at the French unit.
ASK_IN_FRENCH = {
    "working_on": "Mes compétences de technicienne réseau",
    "stuck_on": "Je ne sais pas nommer mes compétences de technicienne pour un recruteur",
    "tried": "Le test en ligne",
    "link": "",
}
ANSWER = "Start from your verbs: each one is a skill once you add its context."
REPLY = "Here is my list: network configuration, user training, incident diagnosis."


# ---------------------------------------------------------------- what they do (domain level)


def ask(point, learner, *, token="token-1", now=None, **changes):
    """`learner` sends the form ASK, with `changes` (fields, or other arguments of ask_for_help), at `point`."""
    return workflow.ask_for_help(point, learner, client_token=token, now=now, **{**ASK, **changes})


def claim(request, coach, *, now=None, **options):
    """`coach` claims `request`."""
    return workflow.claim_request(request.course_key, request.pk, coach, now=now, **options)


def answer(request, coach, body=ANSWER, *, now=None, **options):
    """`coach` claims `request` and answers it with `body`, both at `now`; the request answered."""
    claim(request, coach, now=now, **options)
    return workflow.coach_reply(request.course_key, request.pk, coach, body, now=now, **options)


def reply(point, learner, request, body=REPLY, *, now=None, **options):
    """`learner` replies to the answer to `request` with `body`."""
    return workflow.learner_reply(point, learner, request.pk, body, now=now, **options)


def resolve(point, learner, request, rating=5, comment="", *, now=None, **options):
    """`learner` marks `request` resolved and rates the help."""
    return workflow.resolve_request(point, learner, request.pk, rating, comment, now=now, **options)


def withdraw(point, learner, request, *, now=None, **options):
    """`learner` withdraws `request`."""
    return workflow.withdraw_request(point, learner, request.pk, now=now, **options)


def reload(row):
    """`row` (a request, a delivery ...) as it stands now in the database."""
    return type(row).objects.get(pk=row.pk)


def thread_of(request):
    """The messages of `request`, in order."""
    return list(CheckinMessage.objects.filter(request_id=request.pk).order_by("created_at", "id"))


def rows_of(request_ids):
    """The rows of these requests, of their messages and of their deliveries."""
    request_ids = sorted(request_ids)
    return (
        list(CheckinRequest.objects.filter(pk__in=request_ids).order_by("pk").values()),
        list(CheckinMessage.objects.filter(request_id__in=request_ids).order_by("pk").values()),
        list(Delivery.objects.filter(request_id__in=request_ids).order_by("pk").values()),
    )


# ---------------------------------------------------------------- refused changes nothing


def _tables():
    """Every model of our app, as Django lists them (a model added later is in), and the workbench's stored
    block fields (settings and learner state) where the workbench runs."""
    models = list(apps.get_app_config("coach_xblock").get_models())
    if apps.is_installed("workbench"):
        models.append(apps.get_model("workbench", "XBlockState"))
    return models


def snapshot():
    """Every row of every table of the app, by table: what a refused call must leave as it was."""
    return {model._meta.label: list(model.objects.order_by("pk").values()) for model in _tables()}


@contextmanager
def unchanged():
    """The block runs and changes no row of any table of the app."""
    before = snapshot()
    yield
    assert snapshot() == before, "a refused call changed the database"


@contextmanager
def refused(error, match=None):
    """The block raises `error` (a WorkflowError class), with a message matching `match`, and changes nothing."""
    with unchanged(), pytest.raises(error, match=match) as info:
        yield info


# ---------------------------------------------------------------- two people at once


@contextmanager
def meanwhile(action, when):
    """Run `action` (someone else's call) just before the first SQL statement of this thread for which
    `when(sql, earlier_sqls)` is true: a deterministic interleaving of two people's calls."""
    earlier, fired = [], []

    def wrapper(execute, sql, params, many, context):
        if not fired and when(sql, earlier):
            fired.append(sql)
            action()
        earlier.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield
    assert fired, "the interleaving point was never reached"


def at_first(keyword):
    """A `when` for meanwhile(): just before this thread's first statement that starts with `keyword`."""
    return lambda sql, _earlier: sql.lstrip().upper().startswith(keyword)

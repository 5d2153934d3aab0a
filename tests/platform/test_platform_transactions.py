"""Races as the platform runs our transactions: two coaches claiming at once, a double submit, tabs asking at once.

Each call runs in a thread of its own, on a database connection of its own, all released at once
(`at_the_same_moment`), on the real test database: SQLite, PostgreSQL or MariaDB (the MySQL family that
Open edX and Tutor run on; `make test` runs this module on each).

How the platform wraps our workflow's transactions, as read in its code (Ulmo, Tutor 21, and Verawood, Tutor 22):
- The LMS database is opened with ATOMIC_REQUESTS on and no isolation level: edx-platform's
  lms/envs/common.py (DATABASES "default": ATOMIC_REQUESTS True, OPTIONS {}) and Tutor's
  tutor/templates/apps/openedx/config/partials/auth.yml (DATABASES "default": ATOMIC_REQUESTS true, OPTIONS
  init_command "SET sql_mode='STRICT_TRANS_TABLES'" and charset utf8mb4), which lms/envs/production.py loads over
  the former. With no isolation level, Django opens MySQL connections at READ COMMITTED (its own default), not the
  server's REPEATABLE READ. scripts/mariadb connects the same way.
- The LMS's XBlock handler view runs outside any request transaction: lms/djangoapps/courseware/block_render.py,
  handle_xblock_callback (and handle_xblock_callback_noauth) carry @transaction.non_atomic_requests. Our
  `transaction.atomic()` is then the outermost one: `lms_handler` below.
- Studio's preview handler has no such mark: cms/djangoapps/contentstore/views/preview.py, preview_handler
  (@login_required, @xframe_options_exempt) runs inside the request's transaction (ATOMIC_REQUESTS), after the
  request has read the user (login_required) and its course role (get_user_role, while preparing the runtime).
  Our transactions are then savepoints of it, and it holds our locks until the request ends: `studio_handler`.

On MariaDB each race also runs in the LMS at REPEATABLE READ, the server's own default, which an operator may
choose: there a read for update of a missing row locks the gap where it would go, and two transactions inserting
into that gap deadlock; and a transaction's plain reads all see the snapshot taken at its first one. Studio at
REPEATABLE READ is left out: there the request's own first read fixes what our reads see, which no lock of ours
can change (the README says what that costs).
"""
import sqlite3
import threading
from contextlib import closing

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, connections, transaction
from story import COURSE, ask

from coach_xblock import workflow
from coach_xblock.domain import Conflict
from coach_xblock.models import CheckinRequest, DailyStats


def lms_handler(call):
    """`call` as the LMS's handle_xblock_callback runs it: outside any request transaction."""
    return call


def studio_handler(call):
    """`call` as Studio's preview_handler runs it: in the request's transaction, after the request's own reads."""
    def handle():
        with transaction.atomic():
            get_user_model().objects.filter(pk=1).exists()  # login_required and get_user_role read the user first
            return call()
    return handle


# (handler, isolation level): the platform's own, then on MySQL/MariaDB the LMS at the server's default.
WAYS = [
    pytest.param(lms_handler, None, id="lms"),
    pytest.param(studio_handler, None, id="studio"),
]
if connection.vendor == "mysql":
    WAYS.append(pytest.param(lms_handler, "repeatable read", id="lms-repeatable-read"))

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.parametrize("handler, isolation", WAYS),
]


@pytest.fixture
def at_the_same_moment(transactional_db, tmp_path, handler, isolation):
    """Return `race(*calls)`: run each call through `handler` in a thread of its own, on a connection of its own
    (at `isolation`, or as configured), all released at once; return what each returned or raised, in order.

    On PostgreSQL and MariaDB each thread has its own connection to the test database, and a writer waits
    for the other's locks. On SQLite a second writer on the test database may fail at once with "database
    table is locked" (no busy timeout applies). So on SQLite the race runs on a copy of it in a file, where a
    writer waits (timeout below).
    """
    default = connections["default"]
    settings_dict = default.settings_dict
    if default.vendor == "sqlite":
        default.ensure_connection()
        path = tmp_path / "race.sqlite3"
        with closing(sqlite3.connect(path)) as target:
            default.connection.backup(target)
        settings_dict = {**settings_dict, "NAME": str(path), "OPTIONS": {**settings_dict["OPTIONS"], "timeout": 30}}
    if isolation:
        settings_dict = {**settings_dict, "OPTIONS": {**settings_dict["OPTIONS"], "isolation_level": isolation}}

    def connect():
        """Point this thread's default connection at the race's database, with the race's options."""
        if settings_dict is not default.settings_dict:
            connections["default"] = type(default)(settings_dict, "default")

    def race(*calls):
        start = threading.Barrier(len(calls), timeout=30)
        outcomes = [None] * len(calls)

        def run(index, call):
            connect()
            try:
                start.wait()
                outcomes[index] = handler(call)()
            except Exception as error:  # kept for the test's assertions, whatever it is
                outcomes[index] = error
            finally:
                connection.close()

        threads = [threading.Thread(target=run, args=pair) for pair in enumerate(calls)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert not any(thread.is_alive() for thread in threads)
        return outcomes

    connect()  # the test itself reads and writes where the threads do
    yield race
    connections["default"].close()
    connections["default"] = default


def test_two_coaches_claiming_at_the_same_moment_get_one_winner_and_one_refusal(
        at_the_same_moment, skills_point, mathilde, karim, lea):
    request = ask(skills_point, mathilde, token="token-1")

    outcomes = dict(zip(
        (karim.display_name, lea.display_name),
        at_the_same_moment(*(lambda coach=coach: workflow.claim_request(COURSE, request.pk, coach)
                             for coach in (karim, lea))),
        strict=True,
    ))

    winners = [name for name, outcome in outcomes.items() if isinstance(outcome, CheckinRequest)]
    losers = {name: outcome for name, outcome in outcomes.items() if name not in winners}
    assert len(winners) == 1 and len(losers) == 1, outcomes
    [(loser, refusal)] = losers.items()
    assert isinstance(refusal, Conflict), refusal
    assert f"{winners[0]} is already working on request #{request.pk}" in refusal.message
    row = CheckinRequest.objects.get(pk=request.pk)
    assert row.claimed_by_name == winners[0] != loser
    assert CheckinRequest.objects.count() == 1


@pytest.mark.parametrize("attempt", range(3))
def test_a_double_submit_at_the_same_moment_makes_one_request(at_the_same_moment, skills_point, mathilde, attempt):
    """Two clicks of the same form race on two connections: both get the one request created."""
    outcomes = at_the_same_moment(*[lambda: ask(skills_point, mathilde, token="same-form")] * 2)

    assert all(isinstance(outcome, CheckinRequest) for outcome in outcomes), outcomes
    assert len({outcome.pk for outcome in outcomes}) == 1
    assert CheckinRequest.objects.count() == 1


@pytest.mark.parametrize("attempt", range(3))
@pytest.mark.parametrize("tabs", [2, 3])
@pytest.mark.parametrize("first_ask_of_the_day", [True, False], ids=["first-ask-of-the-day", "later-that-day"])
def test_asking_from_several_tabs_at_the_same_moment_keeps_to_the_open_request_limit(
        at_the_same_moment, skills_point, mathilde, paul, tabs, first_ask_of_the_day, attempt):
    """Different forms (tabs) sent at once, where one open request is allowed: one is made, the others refused.

    At the first ask of the day at the point, its counters row of the day does not exist yet: every tab makes
    it at once. Later that day (Paul asked there first) every tab finds it made.
    """
    if not first_ask_of_the_day:
        ask(skills_point, paul, token="paul-1")
    others = set(CheckinRequest.objects.values_list("pk", flat=True))

    outcomes = at_the_same_moment(*(lambda token=f"tab-{tab}": ask(skills_point, mathilde, token=token)
                                    for tab in range(tabs)))

    made = [outcome for outcome in outcomes if isinstance(outcome, CheckinRequest)]
    refusals = [outcome for outcome in outcomes if not isinstance(outcome, CheckinRequest)]
    assert len(made) == 1 and all(isinstance(refusal, Conflict) for refusal in refusals), outcomes
    assert all("You already have 1 open request here" in refusal.message for refusal in refusals)
    assert set(CheckinRequest.objects.values_list("pk", flat=True)) - others == {made[0].pk}
    assert sum(DailyStats.objects.filter(point_id=skills_point.point_id).values_list("asked", flat=True)) == (
        len(others) + 1)

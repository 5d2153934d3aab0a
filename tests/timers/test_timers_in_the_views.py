"""What the pages show of the timers: overdue requests in the coach's queue and request, and requests
closed for no reply for the learner and in the queue."""
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from story import answer, ask, reload
from story.desk import request_ids
from story.timers import KARIM, MATHILDE, PAUL
from story.workbench import Point, checkin_blocks, person
from workbench.runtime import WorkbenchRuntime

from coach_xblock import identity, workflow

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------- what the pages show of the timers


def test_the_coach_sees_overdue_requests_marked_in_the_queue_and_the_request(fresh_workbench, client):
    # The pages read the real clock: one request was asked 49 hours ago, one 47 hours ago.
    skills_block, _feasibility_block = checkin_blocks(WorkbenchRuntime("mathilde"))
    point = skills_block.checkin_point(asking=True)
    late = ask(point, MATHILDE, now=timezone.now() - timedelta(hours=49))
    early = ask(point, PAUL, now=timezone.now() - timedelta(hours=47))
    skills = Point(client, identity.point_id(skills_block))

    queue = skills.desk.page("desk_course", "coach_karim")
    rows = dict(re.findall(r'<tr data-request-id="(\d+)">(.*?)</tr>', queue, re.S))
    assert "coach-badge-overdue" in rows[str(late.pk)] and "coach-badge-overdue" not in rows[str(early.pk)]
    assert skills.desk.queue_ids("coach_karim", overdue="1") == [late.pk]

    late_detail = skills.desk.page("desk_request", "coach_karim", request_id=late.pk)
    assert '<span class="coach-badge coach-badge-overdue">Overdue</span>' in late_detail
    early_detail = skills.desk.page("desk_request", "coach_karim", request_id=early.pk)
    assert '<span class="coach-badge coach-badge-overdue">' not in early_detail


def close_a_request_in_the_workbench(learner=MATHILDE):
    """A request of the English workbench unit, answered 30 days ago and closed for no reply."""
    skills_block, _feasibility_block = checkin_blocks(WorkbenchRuntime("mathilde"))
    point = skills_block.checkin_point(asking=True)
    asked_at = timezone.now() - timedelta(days=30)
    request = answer(ask(point, learner, now=asked_at), KARIM, now=asked_at + timedelta(hours=1))
    assert workflow.nudge_and_close_silent(now=timezone.now()) == (0, 1)
    return Point(Client(), identity.point_id(skills_block)), reload(request)


def test_a_request_closed_for_no_reply_shows_so_to_the_learner_and_under_all_in_the_queue(fresh_workbench):
    skills, closed = close_a_request_in_the_workbench(person("mathilde"))

    state = skills.ok("learner_state", "mathilde")
    assert [(r["id"], r["status"], r["status_label"]) for r in state["requests"]] == [
        (closed.pk, "closed", "Closed: no reply")]
    assert state["can_ask"] is True
    assert "Reply to your coach" not in state["html"] and "mark as resolved" not in state["html"]
    everything = skills.desk.page("desk_course", "coach_karim", query={"status": "all"})
    assert request_ids(everything) == [closed.pk]
    assert "Closed: no reply" in everything


def test_a_coach_lists_the_requests_closed_for_no_reply(fresh_workbench):
    skills, closed = close_a_request_in_the_workbench()

    queue = skills.desk.page("desk_course", "coach_karim", query={"status": "closed"})

    assert request_ids(queue) == [closed.pk]
    assert '<option value="closed" selected>' in queue

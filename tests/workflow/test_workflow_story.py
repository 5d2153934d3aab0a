"""The story of DESIGN.md at the domain level: Mathilde asks, Karim answers twice, she resolves and rates."""
from datetime import timedelta

import pytest
from story import COURSE, ask, refused, reload, thread_of

from coach_xblock import queries, workflow
from coach_xblock.domain import CheckinPoint, Conflict, RequestStatus

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------- the story of DESIGN.md


def test_mathilde_asks_karim_answers_twice_and_she_resolves_and_rates(
        skills_point, feasibility_point, mathilde, karim, lea, t0):
    minutes = lambda n: t0 + timedelta(minutes=n)  # noqa: E731
    jobs_point = CheckinPoint(COURSE, "block-v1:Demo+Career+2026+type@coach_checkin+block@jobs",
                              "Exploring jobs", "jobs")
    # Her two earlier check-ins in the course: one resolved with Léa's help, one withdrawn.
    earlier = ask(feasibility_point, mathilde, token="earlier-1")
    workflow.claim_request(COURSE, earlier.pk, lea, now=minutes(-300))
    workflow.coach_reply(COURSE, earlier.pk, lea, "Check the training budget first.", now=minutes(-290))
    workflow.resolve_request(feasibility_point, mathilde, earlier.pk, 4, now=minutes(-280))
    withdrawn = ask(jobs_point, mathilde, token="earlier-2")
    workflow.withdraw_request(jobs_point, mathilde, withdrawn.pk, now=minutes(-200))

    # At "Define your skills" she is stuck, and asks.
    request = ask(skills_point, mathilde, token="skills-1")
    assert reload(request).status_label() == "Waiting for a coach"

    # Karim opens the course's queue, oldest first, and finds her request.
    page = queries.CoachQueue(COURSE).page()
    assert [row.pk for row in page.rows] == [request.pk]

    # He claims it: no other coach takes it meanwhile.
    workflow.claim_request(COURSE, request.pk, karim, now=minutes(0))
    with refused(Conflict, match="Karim is already working"):
        workflow.claim_request(COURSE, request.pk, lea, now=minutes(1))

    # He sees her two earlier check-ins, then answers with tips.
    shown, others = queries.coach_request_detail(COURSE, request.pk)
    assert shown.pk == request.pk and {r.pk for r in others} == {earlier.pk, withdrawn.pk}
    workflow.coach_reply(COURSE, request.pk, karim, "Name each task as a skill: I configured, I trained...",
                         now=minutes(10))

    # Mathilde reads his answer and replies with a revised list.
    [mine] = queries.learner_requests(skills_point.point_id, mathilde.user_id)
    assert mine.status == RequestStatus.ANSWERED and mine.messages.get().author_name == "Karim"
    workflow.learner_reply(skills_point, mathilde, request.pk, "My revised list: configuring, training, ...",
                           now=minutes(60))
    assert [row.pk for row in queries.CoachQueue(COURSE).page().rows] == [request.pk]

    # Karim answers again.
    workflow.claim_request(COURSE, request.pk, karim, now=minutes(70))
    workflow.coach_reply(COURSE, request.pk, karim, "Much better: add 'diagnosing'.", now=minutes(75))

    # She marks it resolved and rates the help.
    workflow.resolve_request(skills_point, mathilde, request.pk, 5, "Clear and kind, thank you.", now=minutes(90))

    row = reload(request)
    assert (row.status, row.rating, row.rating_comment) == (RequestStatus.RESOLVED, 5, "Clear and kind, thank you.")
    assert (row.first_answered_at, row.closed_at) == (minutes(10), minutes(90))
    assert [(m.author_name, m.created_at) for m in thread_of(row)] == [
        ("Karim", minutes(10)), ("Mathilde", minutes(60)), ("Karim", minutes(75))]
    assert queries.CoachQueue(COURSE).page().rows == []
    assert [r.pk for r in queries.CoachQueue(COURSE, status="resolved").page().rows] == [earlier.pk, request.pk]

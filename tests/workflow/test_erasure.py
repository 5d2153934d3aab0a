"""Erasing, on the real test database (SQLite, PostgreSQL or MariaDB): a retired coach, and a learner's requests
at a point when staff clear her state there.

The whole retirement, in the platform's order, is played in tests/test_plugin_app.py; these tests
check, on each database the suite runs on, the searches behind it: a coach is found by their ids,
by their address whatever its case, and by the addresses our rows recorded beside their ids, and
is taken out of the coach lists kept as JSON. The instructor dashboard's reset, in the platform's
order, is played in tests/platform/test_platform_instructor_reset.py; here the block's
clear_student_state is called as the platform calls it.
"""
import dataclasses
from datetime import timedelta

import pytest
from django.utils import timezone
from story import COURSE, OTHER_COURSE, PEOPLE, T0, answer, ask, reload, reply, rows_of, unchanged
from story.timers import TA
from story.workbench import ENGLISH_COURSE, checkin_blocks, person
from workbench.runtime import WorkbenchRuntime

from coach_xblock import identity, notifications, workflow
from coach_xblock.domain import Forbidden, Person, RequestStatus
from coach_xblock.models import CheckinMessage, CheckinRequest, CoachNote, CourseCoach, Delivery, SavedReply

pytestmark = pytest.mark.django_db

KARIM = Person("anon-karim", "Karim Haddad", "Karim.Haddad@Example.com")
LEA = Person("anon-lea", "Léa Martin", "lea.martin@example.com")
MATHILDE = Person("anon-mathilde", "Mathilde", "mathilde@example.org")


@pytest.fixture
def point(skills_point):
    return dataclasses.replace(skills_point, coaches=(KARIM, LEA))


def answered_by_karim(point):
    """Mathilde's request, answered by Karim; what was due is sent."""
    request = ask(point, MATHILDE)
    at = timezone.now() + timedelta(minutes=1)
    answer(request, KARIM, now=at)
    notifications.deliver_due(now=at + timedelta(minutes=1))
    return request


def coaches_of(request):
    return [(c["id"], c["email"]) for c in CheckinRequest.objects.get(pk=request.pk).coaches]


# ---------------------------------------------------------------- a retired coach, found by id and by address


def test_a_coach_listed_under_an_id_we_do_not_know_is_found_by_address_whatever_its_case(point):
    listed_elsewhere = dataclasses.replace(point, coaches=(dataclasses.replace(KARIM, user_id="student"), LEA))
    request = ask(listed_elsewhere, MATHILDE)
    notifications.deliver_due()
    assert Delivery.objects.filter(recipient=KARIM.email, status="sent").exists()

    workflow.scrub_coach(["anon-karim"], emails=["karim.haddad@example.com"])

    assert coaches_of(request) == [("anon-lea", "lea.martin@example.com")]
    assert sorted(Delivery.objects.values_list("recipient", "recipient_name")) == [
        ("", ""), ("lea.martin@example.com", "Léa Martin")]


def test_without_his_original_address_a_coach_is_found_by_the_addresses_recorded_beside_his_ids(point):
    request = answered_by_karim(point)
    assert Delivery.objects.filter(recipient=KARIM.email).count() == 1

    workflow.scrub_coach(["anon-karim"], emails=["retired__user_1f2e@retired.invalid"])

    scrubbed = CheckinRequest.objects.get(pk=request.pk)
    assert (scrubbed.last_coach_id, scrubbed.last_coach_email) == ("", "")
    assert coaches_of(request) == [("anon-lea", "lea.martin@example.com")]
    assert not Delivery.objects.filter(recipient__iexact=KARIM.email).exists()
    assert not Delivery.objects.filter(recipient_name="Karim Haddad").exists()


def test_scrubbing_a_coach_leaves_the_other_coach_and_the_learner_alone(point):
    request = answered_by_karim(point)
    to_others = list(Delivery.objects.exclude(recipient=KARIM.email).order_by("pk").values())

    workflow.scrub_coach(["anon-karim"], emails=[KARIM.email])

    assert list(Delivery.objects.exclude(recipient="").order_by("pk").values()) == to_others
    kept = CheckinRequest.objects.get(pk=request.pk)
    assert (kept.learner_id, kept.learner_name, kept.learner_email) == ("anon-mathilde", "Mathilde",
                                                                        "mathilde@example.org")
    assert (kept.first_coach_id, kept.last_coach_id) == ("", "")


# ---------------------------------------------------------------- scrub_coach, in the coach lists kept as JSON


def test_scrubbing_a_coach_takes_them_out_of_every_coach_list(skills_point, mathilde, paul, karim, lea):
    """The lists holding the coach are found by a text search in their JSON (`coaches__icontains`: text on
    SQLite and MariaDB, jsonb on PostgreSQL), then filtered exactly: a coach whose id only contains the retired
    one, or spells it in capitals, stays."""
    near_namesakes = (Person("coach_karim2", "Karim B."), Person("COACH_KARIM", "Karim C."))
    hers = ask(dataclasses.replace(skills_point, coaches=(karim, lea)), mathilde)
    his = ask(dataclasses.replace(skills_point, coaches=near_namesakes), paul)

    workflow.scrub_coach([karim.user_id])

    assert reload(hers).coaches == [{"id": "coach_lea", "name": "Léa", "email": "", "language": ""}]
    assert [coach["id"] for coach in reload(his).coaches] == ["coach_karim2", "COACH_KARIM"]


# ---------------------------------------------------------------- the coaches' notes and saved replies


def notes_and_replies(skills_point):
    """Karim's and Léa's notes on Mathilde and on Paul, in two courses; a saved reply of each coach."""
    karim, lea = PEOPLE["karim"], PEOPLE["lea"]
    elsewhere = dataclasses.replace(skills_point, course_key=OTHER_COURSE, point_id="block-v1:Other+skills")
    for point in (skills_point, elsewhere):
        for learner in (PEOPLE["mathilde"], PEOPLE["paul"]):
            ask(point, learner)
            workflow.add_note(point.course_key, learner.user_id, karim, f"Karim on {learner.display_name}.")
            workflow.add_note(point.course_key, learner.user_id, lea, f"Léa on {learner.display_name}.")
    workflow.save_reply(COURSE, skills_point.point_id, karim, "Verbs", "Start from your verbs.")
    workflow.save_reply(COURSE, skills_point.point_id, lea, "Context", "Add the context of each skill.")


def test_forgetting_a_learner_deletes_the_coaches_notes_on_her_in_every_course(skills_point):
    notes_and_replies(skills_point)
    on_paul = list(CoachNote.objects.filter(learner_id="anon-paul").order_by("pk").values())
    replies = list(SavedReply.objects.order_by("pk").values())

    workflow.forget_learner(["anon-mathilde", ""])

    assert not CoachNote.objects.filter(learner_id="anon-mathilde").exists()
    assert list(CoachNote.objects.order_by("pk").values()) == on_paul
    assert list(SavedReply.objects.order_by("pk").values()) == replies


def test_a_retired_coachs_notes_and_saved_replies_stay_signed_retired_coach(skills_point):
    notes_and_replies(skills_point)
    leas = [
        list(CoachNote.objects.filter(author_id="coach_lea").order_by("pk").values()),
        list(SavedReply.objects.filter(author_id="coach_lea").values()),
    ]

    workflow.scrub_coach(["coach_karim"])

    assert set(CoachNote.objects.exclude(author_id="coach_lea").values_list("author_id", "author_name")) == {
        ("", "Retired coach")}
    assert sorted(CoachNote.objects.filter(author_id="").values_list("course_key", "body")) == [
        (COURSE, "Karim on Mathilde."), (COURSE, "Karim on Paul."),
        (OTHER_COURSE, "Karim on Mathilde."), (OTHER_COURSE, "Karim on Paul.")]
    assert list(SavedReply.objects.filter(title="Verbs").values_list("author_id", "author_name", "body")) == [
        ("", "Retired coach", "Start from your verbs.")]
    assert [
        list(CoachNote.objects.filter(author_id="coach_lea").order_by("pk").values()),
        list(SavedReply.objects.filter(author_id="coach_lea").values()),
    ] == leas, "the other coach's stay as they were"


def test_a_retired_coachs_note_is_deleted_by_the_course_team_only(skills_point):
    ask(skills_point, PEOPLE["mathilde"])
    note = workflow.add_note(COURSE, "anon-mathilde", PEOPLE["karim"], "Prefers examples.")
    workflow.scrub_coach(["coach_karim"])
    nobody = Person(user_id="", display_name="")

    for someone in (PEOPLE["lea"], nobody):
        with unchanged(), pytest.raises(Forbidden):
            workflow.delete_note(COURSE, note.pk, someone)
    workflow.delete_note(COURSE, note.pk, PEOPLE["lea"], as_course_team=True)
    assert not CoachNote.objects.exists()


# ---------------------------------------------------------------- clear_student_state


def test_staff_clearing_mathildes_state_deletes_her_requests_at_this_point_only(fresh_workbench):
    skills_block, feasibility_block = checkin_blocks(WorkbenchRuntime("staff"))
    skills, feasibility = skills_block.checkin_point(asking=True), feasibility_block.checkin_point(asking=True)
    mathilde = person("mathilde")
    paul = person("paul")

    hers = answer(ask(skills, mathilde, now=T0), person("coach_karim"), now=TA)
    reply(skills, mathilde, hers, now=TA + timedelta(hours=1))
    hers_elsewhere = answer(ask(feasibility, mathilde, now=T0), person("coach_karim"), now=TA)
    pauls = answer(ask(skills, paul, now=T0), person("coach_karim"), now=TA)
    assert CheckinMessage.objects.filter(request=hers).count() == 2
    assert Delivery.objects.filter(request=hers).count() == 4  # asked x 2 coaches, answered, learner replied
    kept = rows_of([hers_elsewhere.pk, pauls.pk])

    skills_block.clear_student_state(
        user_id="mathilde", course_id=ENGLISH_COURSE, item_id=identity.point_id(skills_block),
        requesting_user_id="staff",
    )

    assert not CheckinRequest.objects.filter(pk=hers.pk).exists()
    assert not CheckinMessage.objects.filter(request_id=hers.pk).exists()
    assert not Delivery.objects.filter(request_id=hers.pk).exists()
    assert rows_of(CheckinRequest.objects.values_list("pk", flat=True)) == kept, "the other requests stay whole"

    # She starts afresh at this point.
    assert ask(skills, mathilde, now=TA + timedelta(days=1), token="token-2").status == RequestStatus.OPEN


def test_clearing_the_state_of_a_learner_without_requests_changes_nothing(fresh_workbench):
    skills_block, _feasibility_block = checkin_blocks(WorkbenchRuntime("staff"))
    answer(ask(skills_block.checkin_point(asking=True), person("paul"), now=T0), person("coach_karim"), now=TA)
    with unchanged():
        skills_block.clear_student_state(
            user_id="mathilde", course_id=ENGLISH_COURSE, item_id=identity.point_id(skills_block),
            requesting_user_id="staff",
        )


# ---------------------------------------------------------------- a retired user on the desks' coach lists


def listing():
    return sorted(CourseCoach.objects.values_list("course_key", "username", "added_by"))


def test_a_retired_user_leaves_every_desks_coach_list_and_those_they_added_stay(db):
    for course, username, added_by in [
        ("course-v1:Demo+Career+2026", "Karim", "ines"), ("course-v1:Demo+Pitch+2026", "karim", "ines"),
        ("course-v1:Demo+Career+2026", "lea", "karim"), ("course-v1:Demo+Pitch+2026", "noah", "KARIM"),
        ("course-v1:Demo+Career+2026", "karima", "ines"),
    ]:
        CourseCoach.objects.create(course_key=course, username=username, added_by=added_by)

    workflow.forget_coach_listing(["retired__user_5f3a", "karim", ""])

    assert listing() == [
        ("course-v1:Demo+Career+2026", "karima", "ines"),  # another username, however alike
        ("course-v1:Demo+Career+2026", "lea", ""),
        ("course-v1:Demo+Pitch+2026", "noah", ""),
    ], "found whatever the case of the username"


def test_forgetting_a_user_nobody_listed_changes_nothing(db):
    CourseCoach.objects.create(course_key="course-v1:Demo+Career+2026", username="lea", added_by="ines")
    with unchanged():
        workflow.forget_coach_listing(["paul", ""])
        workflow.forget_coach_listing([])

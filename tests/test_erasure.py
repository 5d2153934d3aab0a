"""Erasing a retired coach, on the real test database (SQLite, or PostgreSQL): how they are found.

The whole retirement, in the platform's order, is played in tests/test_plugin_app.py; these tests
check, on each database the suite runs on, the searches behind it: a coach is found by their ids,
by their address whatever its case, and by the addresses our rows recorded beside their ids.
"""
import dataclasses
from datetime import timedelta

import pytest
from django.utils import timezone

from coach_xblock import notifications, workflow
from coach_xblock.domain import Person
from coach_xblock.models import CheckinRequest, Delivery

pytestmark = pytest.mark.django_db

KARIM = Person("anon-karim", "Karim Haddad", "Karim.Haddad@Example.com")
LEA = Person("anon-lea", "Léa Martin", "lea.martin@example.com")
MATHILDE = Person("anon-mathilde", "Mathilde", "mathilde@example.org")
TEXTS = {
    "working_on": "Moving from network technician to IT trainer.",
    "stuck_on": "I know my job, but I do not know how to name my skills.",
    "tried": "An online skills test and a first draft of my list of skills.",
}


@pytest.fixture
def point(skills_point):
    return dataclasses.replace(skills_point, coaches=(KARIM, LEA))


def answered_by_karim(point):
    """Mathilde's request, answered by Karim; what was due is sent."""
    request = workflow.ask_for_help(point, MATHILDE, client_token="t", **TEXTS)
    at = timezone.now() + timedelta(minutes=1)
    workflow.claim_request(point.course_key, request.pk, KARIM, now=at)
    workflow.coach_reply(point.course_key, request.pk, KARIM, "Start from the verbs of your tasks.", now=at)
    notifications.deliver_due(now=at + timedelta(minutes=1))
    return request


def coaches_of(request):
    return [(c["id"], c["email"]) for c in CheckinRequest.objects.get(pk=request.pk).coaches]


def test_a_coach_listed_under_an_id_we_do_not_know_is_found_by_address_whatever_its_case(point):
    listed_elsewhere = dataclasses.replace(point, coaches=(dataclasses.replace(KARIM, user_id="student"), LEA))
    request = workflow.ask_for_help(listed_elsewhere, MATHILDE, client_token="t", **TEXTS)
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

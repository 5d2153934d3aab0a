"""A learner's email choices, once per course, on her coaching journal (they left each block): a POST form,
its CSRF token, a redirect (303) after a success; a refusal shows the journal again with the reason (400)
and saves nothing."""
from urllib.parse import parse_qs, urlsplit

import lxml.html
import pytest
from django.test import Client
from story import MATHILDE, PAUL
from story.desk import desk_path, with_student
from story.workbench import ENGLISH_COURSE

from coach_xblock.models import LearnerPreference

pytestmark = pytest.mark.django_db


def boxes(html):
    """{checkbox name: ticked} of the journal's email form."""
    form = lxml.html.fromstring(html).xpath("//form[contains(@class, 'coach-preferences-form')]")[0]
    return {box.get("name"): box.get("checked") is not None for box in form.xpath(".//input[@type='checkbox']")}


def saved():
    return [(p.course_key, p.learner_id, p.answer_emails, p.reminder_emails) for p in LearnerPreference.objects.all()]


def test_mathilde_turns_answer_emails_off_and_keeps_reminders(en, fr, journal):
    assert boxes(journal.page(MATHILDE)) == {"answer_emails": True, "reminder_emails": True}

    response = journal.post(MATHILDE, {"reminder_emails": "1"})

    assert response.status_code == 303
    location = urlsplit(response["Location"])
    assert location.path == desk_path("journal", ENGLISH_COURSE)
    assert parse_qs(location.query) == {"student": [MATHILDE], "done": ["preferences"]}
    page = journal.client.get(response["Location"]).content.decode()
    assert "Your email choices were saved." in page
    assert boxes(page) == {"answer_emails": False, "reminder_emails": True}
    assert saved() == [(ENGLISH_COURSE, MATHILDE, False, True)]
    assert boxes(journal.page(PAUL)) == {"answer_emails": True, "reminder_emails": True}
    french = with_student(desk_path("journal", fr.skills.course_key), MATHILDE)
    assert boxes(journal.client.get(french).content.decode()) == {"answer_emails": True, "reminder_emails": True}, (
        "the French unit is another course")

    # She changes her mind: the same row is updated.
    assert journal.post(MATHILDE, {"answer_emails": "1"}).status_code == 303
    assert saved() == [(ENGLISH_COURSE, MATHILDE, True, False)]


def test_the_choice_holds_at_every_check_in_of_the_course(en, journal):
    journal.post(MATHILDE, {})
    for point in (en.skills, en.feasibility):
        assert point.ok("learner_state", MATHILDE)["preferences"] == {"answer_emails": False, "reminder_emails": False}


@pytest.mark.parametrize("data", [
    {"answer_emails": "maybe"}, {"answer_emails": "0"}, {"reminder_emails": ["1", "1"]}, {"answer_emails": ""},
], ids=["maybe", "zero", "twice", "empty"])
def test_anything_but_a_ticked_or_absent_box_is_refused_and_nothing_changes(journal, data):
    journal.post(MATHILDE, {"answer_emails": "1"})

    text = journal.refused(MATHILDE, "journal_preferences", data, method="post", status=400, says="choose yes or no")

    assert 'role="alert"' in text, "the journal again, with the reason beside the form"
    assert saved() == [(ENGLISH_COURSE, MATHILDE, True, False)]


def test_the_form_needs_the_pages_csrf_token(en, journal):
    browser = Client(enforce_csrf_checks=True)
    path = with_student(desk_path("journal_preferences", ENGLISH_COURSE), MATHILDE)

    assert browser.post(path, {}).status_code == 403
    assert saved() == []

    page = browser.get(with_student(desk_path("journal", ENGLISH_COURSE), MATHILDE)).content.decode()
    token = lxml.html.fromstring(page).xpath("//input[@name='csrfmiddlewaretoken']/@value")[0]
    assert browser.post(path, {"csrfmiddlewaretoken": token}).status_code == 303
    assert saved() == [(ENGLISH_COURSE, MATHILDE, False, False)]


def test_the_block_shows_no_email_form_but_a_link_to_the_journal(en):
    """(Its handler `email_preferences` is gone too: tests/handlers/test_malformed_input.py lists the handlers.)"""
    for point in (en.skills, en.feasibility):
        panel = lxml.html.fromstring(point.ok("learner_state", MATHILDE)["html"])
        assert not panel.xpath("//form[contains(@class, 'coach-preferences-form')]")
        assert not panel.xpath("//input[@type='checkbox']")
        link = panel.xpath("//p[@class='coach-journal-link']/a")[0]
        assert link.text == "Your coaching in this course, and your email choices"
        assert link.get("href") == with_student(desk_path("journal", ENGLISH_COURSE), MATHILDE)

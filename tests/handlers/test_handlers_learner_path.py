"""The learner's path at a block, as its HTML says it: the tips come first (the ask form behind "Still stuck? Ask a
coach", yet open without JavaScript), and after asking the panel says whether an email will come with the answer."""
import pytest
from story import MATHILDE, PAUL
from story.desk import desk_path, with_student
from story.workbench import ENGLISH_COURSE, ask_payload, page

from coach_xblock import rendering

pytestmark = pytest.mark.django_db

OPEN_ASK = "Still stuck? Ask a coach"
EMAIL_COMES = "You will get an email when a coach answers."
NO_EMAIL = "You chose not to get an email when a coach answers: come back to this page to read the answer."


def test_with_tips_the_button_opening_the_form_is_there_for_the_script_and_the_form_shows_without_it(client, en):
    html = page(client, en.url, PAUL)
    assert html.index("Before you ask, try this") < html.index(OPEN_ASK) < html.index('data-action="ask"')
    button = html[html.index('class="coach-button coach-primary coach-open-ask"'):].split(">", 1)[0]
    assert " hidden" in button  # shown by learner.js only
    form = html[html.index('<form class="coach-form coach-ask-form"'):].split(">", 1)[0]
    assert "data-tips-first" in form and "hidden" not in form


def test_without_tips_the_form_shows_as_before_with_no_button():
    context = {
        "can_ask": True, "tips": [], "requests": [], "point": None, "preferences": {}, "typical_hours": 48,
        "block": None,
    }
    html = rendering.render("learner_panel.html", context)
    assert OPEN_ASK not in html
    assert "data-tips-first" not in html
    assert 'data-action="ask"' in html


def test_after_asking_the_panel_says_an_email_will_come_with_the_answer(en):
    state = en.skills.ok("ask", MATHILDE, ask_payload())
    assert EMAIL_COMES in state["html"]
    assert EMAIL_COMES not in en.skills.ok("learner_state", MATHILDE)["html"]  # said once, after sending


def test_after_asking_a_learner_who_turned_answer_emails_off_is_told_to_come_back(en):
    chosen = en.skills.client.post(with_student(desk_path("journal_preferences", ENGLISH_COURSE), PAUL),
                                   {"reminder_emails": "1"})  # on the journal: answer emails off
    assert chosen.status_code == 303
    state = en.skills.ok("ask", PAUL, ask_payload())
    assert NO_EMAIL in state["html"]
    assert EMAIL_COMES not in state["html"]

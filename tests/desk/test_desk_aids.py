"""Saved replies and private notes on the desk: the course's saved replies page (create, edit, delete), their
insertion beside the answer, the notes on a learner beside her request; every refusal shown with its reason and
the draft kept, changing nothing; outsiders get 403 on every address and see nothing of them."""
import html as html_lib

import pytest
from django.test import Client
from story import ASK_IN_FRENCH, KARIM, LEA, MATHILDE, PAUL, snapshot
from story.desk import desk_path, with_student
from story.workbench import ENGLISH_UNIT, FRENCH_UNIT, open_unit, page

from coach_xblock import identity
from coach_xblock.models import CoachNote, CourseCoach, SavedReply

pytestmark = pytest.mark.django_db

INES = "coach_ines"  # a coach the course team added on the desk: she coaches, she does not manage the course
OUTSIDERS = [MATHILDE, PAUL, "coach_someone_else", "student_1", ""]
VERBS = "Start from your verbs: each one is a skill once you add its context."
NOTE = "Prefers concrete examples; mentioned an interview on 20 March."
XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def points(desk):
    """The English course's check-in points: skills, feasibility."""
    return identity.course_points(desk.course)


@pytest.fixture
def verbs(desk, points):
    """Karim's saved reply "Verbs" at the skills point (its id)."""
    desk_post_ok(desk, "desk_replies", KARIM, {"point_id": points[0].point_id, "title": "Verbs", "body": VERBS})
    return SavedReply.objects.get().pk


@pytest.fixture
def ines(desk):
    """Inès, added as a coach of the course on the desk."""
    CourseCoach.objects.create(course_key=desk.course, username=INES)
    return INES


@pytest.fixture
def note(desk, asked):
    """Karim's note on Mathilde, beside her request (its id)."""
    desk.done("desk_note_add", KARIM, asked, {"body": NOTE})
    return CoachNote.objects.get().pk


def desk_post_ok(desk, name, student, data, **kwargs):
    """POST a form of the saved replies page that must succeed: a 303 back to that page."""
    response = desk.post(name, student, data, **kwargs)
    assert response.status_code == 303, (response.status_code, response.content[:500])
    assert desk_path("desk_replies", desk.course) in response["Location"]
    return response


def note_deleted(desk, coach, request_id, note_id):
    """`coach` deletes a note beside the request: a 303 back to the request."""
    response = desk.post("desk_note_delete", coach, request_id=request_id, note_id=note_id)
    assert response.status_code == 303, (response.status_code, response.content[:500])
    assert "done=note_deleted" in response["Location"]


# ---------------------------------------------------------------- saved replies


def test_the_page_lists_every_point_of_the_course_with_a_form_for_a_new_reply(desk, points):
    html = desk.page("desk_replies")
    assert [point.title for point in points] == ["Naming my skills", "Is my project feasible?"]
    for point in points:
        assert f"New saved reply for “{point.title}”" in html
        assert f'name="point_id" value="{point.point_id}"' in html
    assert html.count("No saved reply here yet.") == 2


def test_a_coach_saves_a_reply_another_edits_it_a_third_deletes_it(desk, points, ines):
    response = desk_post_ok(desk, "desk_replies", KARIM,
                            {"point_id": points[0].point_id, "title": "Verbs", "body": VERBS})
    assert "done=reply_saved" in response["Location"]
    saved = SavedReply.objects.get()
    assert (saved.course_key, saved.point_id, saved.title, saved.body, saved.author_id) == (
        desk.course, points[0].point_id, "Verbs", VERBS, KARIM)
    html = desk.page("desk_replies", LEA, query={"done": "reply_saved"})
    assert "The saved reply is saved" in html and "<summary>Verbs</summary>" in html and VERBS in html

    desk_post_ok(desk, "desk_reply_edit", LEA, {"point_id": points[0].point_id, "title": "Verbs first",
                                                "body": "Name the verbs."}, reply_id=saved.pk)
    edited = SavedReply.objects.get()
    assert (edited.title, edited.body, edited.author_id) == ("Verbs first", "Name the verbs.", KARIM)

    desk_post_ok(desk, "desk_reply_delete", ines, {}, reply_id=saved.pk)
    assert not SavedReply.objects.exists()
    assert "The saved reply is deleted." in desk.page("desk_replies", KARIM, query={"done": "reply_deleted"})


@pytest.mark.parametrize(("title", "body", "says"), [
    pytest.param("", VERBS, "Title: this field is required", id="no-title"),
    pytest.param("t" * 121, VERBS, "Title: write at most 120 characters", id="title-too-long"),
    pytest.param("Context", "  ", "Saved reply: this field is required", id="no-text"),
    pytest.param("Context", "b" * 10001, "at most 10,000 characters", id="text-too-long"),
])
def test_a_refused_reply_shows_the_reason_and_keeps_the_draft(desk, points, title, body, says):
    html = desk.refused("desk_replies", KARIM, {"point_id": points[1].point_id, "title": title, "body": body},
                        status=400, says=says)
    assert 'role="alert"' in html
    if body.strip():
        assert f">{body}</textarea>" in html
    if title:
        assert f'value="{title}"' in html


def test_a_second_reply_titled_alike_at_the_point_is_refused_and_kept_as_a_draft(desk, points, verbs):
    html = desk.refused("desk_replies", LEA, {"point_id": points[0].point_id, "title": "verbs", "body": "Mine."},
                        status=409, says="already titled “verbs”")
    assert ">Mine.</textarea>" in html


@pytest.mark.parametrize("point_id", ["", "block-v1:another+point", "coach_checkin.0.skills"])
def test_a_reply_at_a_point_not_of_the_course_is_refused(desk, fr, point_id):
    if point_id == "coach_checkin.0.skills":  # the French course's skills point
        point_id = identity.course_points(fr.skills.course_key)[0].point_id
    desk.refused("desk_replies", KARIM, {"point_id": point_id, "title": "Verbs", "body": VERBS}, status=400,
                 says="Choose a check-in point of this course.")


def test_editing_a_reply_deleted_meanwhile_keeps_the_draft_in_the_new_reply_form(desk, points, verbs):
    desk_post_ok(desk, "desk_reply_delete", LEA, {}, reply_id=verbs)
    html = desk.refused("desk_reply_edit", KARIM, {"point_id": points[0].point_id, "title": "Verbs, edited",
                                                   "body": "My edited text."},
                        status=404, says="another coach may have deleted it", reply_id=verbs)
    assert ">My edited text.</textarea>" in html and 'value="Verbs, edited"' in html


def test_unknown_replies_and_those_of_another_course_are_not_found(desk, fr, points, verbs):
    desk.refused("desk_reply_delete", KARIM, {}, status=404, says="no saved reply #999999", reply_id=999_999)
    french = identity.course_points(fr.skills.course_key)[0].point_id
    other = Client()
    response = other.post(with_student(desk_path("desk_replies", fr.skills.course_key), KARIM),
                          {"point_id": french, "title": "Verbes", "body": "Partez des verbes."})
    assert response.status_code == 303
    theirs = SavedReply.objects.get(course_key=fr.skills.course_key).pk
    desk.refused("desk_reply_delete", KARIM, {}, status=404, reply_id=theirs)
    desk.refused("desk_reply_edit", KARIM, {"point_id": points[0].point_id, "title": "Taken", "body": "Taken."},
                 status=404, reply_id=theirs)
    assert "Partez des verbes." not in desk.page("desk_replies")


def test_what_coaches_type_is_escaped(desk, points, claimed):
    desk_post_ok(desk, "desk_replies", KARIM, {"point_id": points[0].point_id, "title": XSS, "body": XSS})
    for html in (desk.page("desk_replies"), desk.page("desk_request", request_id=claimed)):
        assert XSS not in html
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html.replace("&#x27;", "'")


# ---------------------------------------------------------------- inserting a saved reply into an answer


def test_the_holder_of_the_claim_picks_a_saved_reply_of_the_point_beside_the_answer(desk, points, verbs, claimed):
    desk_post_ok(desk, "desk_replies", KARIM, {"point_id": points[1].point_id, "title": "Budget", "body": "Costs."})
    html = desk.page("desk_request", request_id=claimed)
    assert '<div class="coach-reply-picker" data-target="coach-answer" hidden>' in html
    assert f'<option value="{verbs}">Verbs</option>' in html
    assert f'<pre class="coach-body">{VERBS}</pre>' in html, "without JavaScript, the text to copy"
    assert "Budget" not in html, "only the saved replies of the request's point"


def test_without_a_saved_reply_the_request_page_offers_to_write_one(desk, claimed):
    html = desk.page("desk_request", request_id=claimed)
    assert '<div class="coach-reply-picker"' not in html
    assert "No saved reply for this check-in point: write one" in html


# ---------------------------------------------------------------- notes on a learner


def test_a_coach_writes_a_note_and_every_coach_reads_it_beside_her_requests(desk, asked, ines):
    response = desk.done("desk_note_add", KARIM, asked, {"body": NOTE})
    assert "done=note_added" in response["Location"]
    stored = CoachNote.objects.get()
    assert (stored.course_key, stored.learner_id, stored.body, stored.author_id) == (desk.course, MATHILDE, NOTE,
                                                                                      KARIM)
    for coach in (KARIM, LEA, ines):
        html = desk.page("desk_request", coach, request_id=asked)
        assert f"Private notes on {MATHILDE}" in html and NOTE in html


def test_a_note_follows_the_learner_to_her_other_requests_not_to_others(desk, en, asked, note):
    hers_elsewhere = en.feasibility.ask(MATHILDE)
    pauls = en.skills.ask(PAUL)
    assert NOTE in desk.page("desk_request", request_id=hers_elsewhere)
    assert NOTE not in desk.page("desk_request", request_id=pauls)


def test_no_note_reaches_the_learner(desk, en, asked, note):
    assert NOTE not in page(en.skills.client, ENGLISH_UNIT, MATHILDE)
    assert NOTE not in en.skills.post("learner_state", MATHILDE).content.decode()


@pytest.mark.parametrize(("body", "says"), [
    pytest.param("", "Your note: this field is required", id="empty"),
    pytest.param(" \n", "Your note: this field is required", id="whitespace"),
    pytest.param("n" * 2001, "Your note: write at most 2,000 characters", id="too-long"),
])
def test_a_refused_note_shows_the_reason_and_keeps_the_draft(desk, asked, body, says):
    html = desk.refused("desk_note_add", KARIM, {"body": body}, status=400, says=says, request_id=asked)
    assert 'id="coach-notes-error" role="alert"' in html
    if body.strip():
        assert f">{body}</textarea>" in html


def test_its_author_and_the_course_team_delete_a_note_another_coach_may_not(desk, asked, note, ines):
    assert "Delete note 1" not in desk.page("desk_request", ines, request_id=asked)
    html = desk.refused("desk_note_delete", ines, status=403, says="Only the coach who wrote this note",
                        request_id=asked, note_id=note)
    assert NOTE in html
    desk.done("desk_note_add", ines, asked, {"body": "Inès's own note."})
    own = CoachNote.objects.get(author_id=ines).pk
    note_deleted(desk, ines, asked, own)
    assert "Delete note 1" in desk.page("desk_request", LEA, request_id=asked), "Léa manages the course"
    note_deleted(desk, LEA, asked, note)
    assert not CoachNote.objects.exists()


def test_notes_of_unknown_requests_or_of_another_course_are_not_found(desk, fr, asked, note):
    theirs = fr.skills.ask(MATHILDE)
    desk.refused("desk_note_add", KARIM, {"body": NOTE}, status=404, request_id=theirs)
    desk.refused("desk_note_add", KARIM, {"body": NOTE}, status=404, request_id=999_999)
    desk.refused("desk_note_delete", KARIM, {}, status=404, request_id=asked, note_id=999_999)
    desk.refused("desk_note_delete", KARIM, {}, status=404, request_id=theirs, note_id=note)


# ---------------------------------------------------------------- who may


def new_urls(desk, request_id, reply_id, note_id):
    """Every address this module adds to a course's desk, with its method and a valid body."""
    return [
        ("get", desk_path("desk_replies", desk.course), None),
        ("post", desk_path("desk_replies", desk.course), {"point_id": "x", "title": "Mine", "body": "Mine."}),
        ("post", desk_path("desk_reply_edit", desk.course, reply_id=reply_id), {"title": "Mine", "body": "Mine."}),
        ("post", desk_path("desk_reply_delete", desk.course, reply_id=reply_id), {}),
        ("post", desk_path("desk_note_add", desk.course, request_id=request_id), {"body": "Mine."}),
        ("post", desk_path("desk_note_delete", desk.course, request_id=request_id, note_id=note_id), {}),
    ]


@pytest.mark.parametrize("student", OUTSIDERS)
def test_outsiders_get_403_on_every_address_see_nothing_and_change_nothing(desk, asked, verbs, note, student):
    before = snapshot()
    for method, path, data in new_urls(desk, asked, verbs, note):
        response = getattr(desk.client, method)(with_student(path, student), data or {})
        assert response.status_code == 403, (path, response.status_code)
        text = response.content.decode()
        assert "Only the coaches of this course" in text
        assert VERBS not in text and NOTE not in text and "Verbs" not in text
    assert snapshot() == before


def test_coaches_of_another_course_get_403(desk, fr, asked, verbs, note):
    CourseCoach.objects.create(course_key=fr.skills.course_key, username=INES)
    before = snapshot()
    for method, path, data in new_urls(desk, asked, verbs, note):
        assert getattr(desk.client, method)(with_student(path, INES), data or {}).status_code == 403, path
    assert snapshot() == before


def test_forms_refuse_get_and_need_the_csrf_token(desk, asked, verbs, note):
    for _method, path, _data in new_urls(desk, asked, verbs, note)[2:]:
        assert desk.client.get(with_student(path, KARIM)).status_code == 405, path
    before = snapshot()
    browser = Client(enforce_csrf_checks=True)
    for _method, path, data in new_urls(desk, asked, verbs, note)[1:]:
        assert browser.post(with_student(path, KARIM), data).status_code == 403, path
    assert snapshot() == before


# ---------------------------------------------------------------- in French


def text_of(content):
    """Text as a reader sees it: entities decoded, non-breaking spaces as spaces."""
    return html_lib.unescape(content).replace("\xa0", " ")


def test_a_french_coach_reads_saved_replies_and_notes_in_french(fresh_workbench):
    french = Client(HTTP_ACCEPT_LANGUAGE="fr")
    desk = open_unit(french, FRENCH_UNIT).skills.desk
    request_id = open_unit(french, FRENCH_UNIT).skills.ask(MATHILDE, **ASK_IN_FRENCH)
    point = identity.course_points(desk.course)[0]
    response = desk.post("desk_replies", KARIM, {"point_id": point.point_id, "title": "Verbes", "body": "Partez."})
    assert response.status_code == 303
    desk.claim(KARIM, request_id)

    replies = text_of(desk.page("desk_replies", KARIM))
    assert "Réponses enregistrées" in replies
    assert "Nouvelle réponse enregistrée pour « Nommer mes compétences »" in replies
    request = text_of(desk.page("desk_request", KARIM, request_id=request_id))
    for text in ("Notes privées sur", "Ajouter la note", "Insérer", "1 réponse enregistrée de ce point de coaching"):
        assert text in request
    refused = text_of(desk.refused("desk_note_add", KARIM, {"body": " "}, status=400, request_id=request_id))
    assert "« Votre note » : ce champ est obligatoire." in refused
    assert ">Saved replies<" not in replies + request and "Private notes" not in request

"""What coaches keep beside their answers: saved replies per check-in point (shared by the course's coaches) and
private notes on a learner (their author or the course team deletes them); every refusal changes nothing, and
no note reaches anything a learner sees or any export."""
import dataclasses
from datetime import timedelta

import pytest
from story import COURSE, MATHILDE, MISSING_ID, OTHER_COURSE, ask, at_first, meanwhile, refused, snapshot
from story.exports import messages_csv, requests_csv
from story.workbench import ENGLISH_UNIT, page, person

from coach_xblock import queries, workflow
from coach_xblock.domain import (
    MAX_COACH_REPLY_LENGTH,
    MAX_ID,
    MAX_NOTE_LENGTH,
    MAX_SAVED_REPLY_TITLE,
    Conflict,
    Forbidden,
    InvalidInput,
    NotFound,
)
from coach_xblock.models import CheckinRequest, CoachNote, SavedReply

pytestmark = pytest.mark.django_db

VERBS = "Start from your verbs: each one is a skill once you add its context."
NOTE = "Former network technician; prefers concrete examples. Mentioned a job interview on 20 March."
#: What is not the number of a row, and the error it meets.
NOT_AN_ID = [
    pytest.param("3", id="text"), pytest.param(0, id="zero"), pytest.param(-1, id="negative"),
    pytest.param(True, id="bool"), pytest.param(1.0, id="float"), pytest.param(MAX_ID + 1, id="too-big"),
    pytest.param(None, id="none"), pytest.param([1], id="list"),
]


def in_other_course(point):
    """The same check-in point, in another course."""
    return dataclasses.replace(point, course_key=OTHER_COURSE, point_id=point.point_id + "-other")


@pytest.fixture
def verbs(skills_point, karim, t0):
    """Karim's saved reply "Verbs" at the skills point."""
    return workflow.save_reply(COURSE, skills_point.point_id, karim, "Verbs", VERBS, now=t0)


@pytest.fixture
def note(asked, karim, t0):
    """Karim's note on Mathilde, who asked at the skills point."""
    return workflow.add_note(COURSE, asked.learner_id, karim, NOTE, now=t0)


def changed_tables(before):
    """The tables whose rows differ from the snapshot `before`."""
    after = snapshot()
    return {label for label, rows in after.items() if rows != before[label]}


# ---------------------------------------------------------------- saved replies: create, edit, delete, read


def test_a_coach_saves_a_reply_at_a_check_in_point(skills_point, karim, t0):
    before = snapshot()
    saved = workflow.save_reply(COURSE, skills_point.point_id, karim, "  Verbs \n first ", f"  {VERBS}\n", now=t0)

    row = SavedReply.objects.get(pk=saved.pk)
    assert (row.course_key, row.point_id, row.title, row.body) == (COURSE, skills_point.point_id, "Verbs first", VERBS)
    assert (row.author_id, row.author_name, row.created_at, row.updated_at) == ("coach_karim", "Karim", t0, t0)
    assert changed_tables(before) == {"coach_xblock.SavedReply"}, "saving a reply writes nothing else"


def test_another_coach_of_the_course_edits_it_and_its_author_stays(verbs, feasibility_point, lea, t0):
    later = t0 + timedelta(hours=2)
    edited = workflow.save_reply(COURSE, feasibility_point.point_id, lea, "Verbs, then context", "Name the verbs.",
                                 reply_id=verbs.pk, now=later)

    row = SavedReply.objects.get(pk=verbs.pk)
    assert edited.pk == verbs.pk and SavedReply.objects.count() == 1
    assert (row.point_id, row.title, row.body) == (feasibility_point.point_id, "Verbs, then context", "Name the verbs.")
    assert (row.author_id, row.author_name, row.created_at, row.updated_at) == ("coach_karim", "Karim", t0, later)


def test_editing_a_reply_may_keep_its_title(verbs, skills_point, lea):
    workflow.save_reply(COURSE, skills_point.point_id, lea, "VERBS", "Shorter.", reply_id=verbs.pk)
    assert SavedReply.objects.get(pk=verbs.pk).title == "VERBS"


def test_another_coach_deletes_it(verbs, lea):
    workflow.delete_reply(COURSE, verbs.pk, lea)
    assert not SavedReply.objects.exists()


def test_saved_replies_are_read_by_title_ignoring_case_by_point_of_one_course(
    skills_point, feasibility_point, karim, lea, django_assert_num_queries
):
    for title in ("verbs", "Context", "ask for an example", "Bilan de compétences"):
        workflow.save_reply(COURSE, skills_point.point_id, karim, title, f"About {title}.")
    workflow.save_reply(COURSE, feasibility_point.point_id, lea, "Budget", "Count the costs.")
    workflow.save_reply(OTHER_COURSE, skills_point.point_id, lea, "Elsewhere", "Another course.")

    with django_assert_num_queries(1):
        found = queries.saved_replies(COURSE, skills_point.point_id)

    assert [reply["title"] for reply in found] == ["ask for an example", "Bilan de compétences", "Context", "verbs"]
    assert set(found[0]) == {"id", "point_id", "title", "body", "author_name", "created_at", "updated_at"}
    assert found[0]["body"] == "About ask for an example." and found[0]["author_name"] == "Karim"
    assert [reply["title"] for reply in queries.saved_replies(COURSE, feasibility_point.point_id)] == ["Budget"]
    assert queries.saved_replies(COURSE, "block-v1:no-such-point") == []
    with django_assert_num_queries(1):
        by_point = queries.saved_replies_by_point(COURSE)
    assert by_point == {skills_point.point_id: found, feasibility_point.point_id: queries.saved_replies(
        COURSE, feasibility_point.point_id)}


def test_a_title_and_a_text_at_their_exact_limits_are_kept(skills_point, karim):
    title, body = "t" * MAX_SAVED_REPLY_TITLE, "b" * MAX_COACH_REPLY_LENGTH
    saved = workflow.save_reply(COURSE, skills_point.point_id, karim, title, body)
    assert (saved.title, saved.body) == (title, body)


def test_the_same_title_at_another_point_or_in_another_course_is_fine(verbs, feasibility_point, skills_point, lea):
    workflow.save_reply(COURSE, feasibility_point.point_id, lea, "Verbs", VERBS)
    workflow.save_reply(OTHER_COURSE, skills_point.point_id, lea, "Verbs", VERBS)
    assert SavedReply.objects.count() == 3


# ---------------------------------------------------------------- saved replies: refusals


SAVED_REPLY_REFUSALS = [
    pytest.param({"title": None}, "Title: this field is required", id="title-none"),
    pytest.param({"title": ""}, "Title: this field is required", id="title-empty"),
    pytest.param({"title": " \n\t "}, "Title: this field is required", id="title-whitespace"),
    pytest.param({"title": "t" * (MAX_SAVED_REPLY_TITLE + 1)}, r"Title: write at most 120 characters \(you wrote 121\)",
                 id="title-too-long"),
    pytest.param({"title": 42}, "Title: expected text", id="title-int"),
    pytest.param({"title": ["Verbs"]}, "Title: expected text", id="title-list"),
    pytest.param({"body": ""}, "Saved reply: this field is required", id="body-empty"),
    pytest.param({"body": "   "}, "Saved reply: this field is required", id="body-whitespace"),
    pytest.param({"body": "b" * (MAX_COACH_REPLY_LENGTH + 1)}, "at most 10,000 characters", id="body-too-long"),
    pytest.param({"body": {"text": VERBS}}, "Saved reply: expected text", id="body-dict"),
    pytest.param({"point_id": ""}, "Choose a check-in point of this course", id="point-empty"),
    pytest.param({"point_id": "  "}, "Choose a check-in point of this course", id="point-whitespace"),
    pytest.param({"point_id": 7}, "Choose a check-in point of this course", id="point-int"),
    pytest.param({"point_id": None}, "Choose a check-in point of this course", id="point-none"),
    pytest.param({"point_id": "p" * 256}, "Choose a check-in point of this course", id="point-too-long"),
]


@pytest.mark.parametrize(("changes", "says"), SAVED_REPLY_REFUSALS)
def test_saving_a_reply_refuses_bad_input_and_changes_nothing(verbs, skills_point, lea, changes, says):
    fields = {"point_id": skills_point.point_id, "title": "Context", "body": "Add the context.", **changes}
    with refused(InvalidInput, match=says):
        workflow.save_reply(COURSE, fields["point_id"], lea, fields["title"], fields["body"])
    with refused(InvalidInput, match=says):
        workflow.save_reply(COURSE, fields["point_id"], lea, fields["title"], fields["body"], reply_id=verbs.pk)


@pytest.mark.parametrize("reply_id", NOT_AN_ID)
def test_editing_or_deleting_what_is_not_the_number_of_a_reply_is_refused(verbs, skills_point, lea, reply_id):
    if reply_id is not None:  # no reply_id: a new saved reply
        with refused(InvalidInput, match="Expected the number of a saved reply"):
            workflow.save_reply(COURSE, skills_point.point_id, lea, "Context", "Add it.", reply_id=reply_id)
    with refused(InvalidInput, match="Expected the number of a saved reply"):
        workflow.delete_reply(COURSE, reply_id, lea)


def test_a_second_reply_titled_alike_at_the_same_point_is_refused(verbs, skills_point, lea):
    with refused(Conflict, match="already titled “VERBS”") as info:
        workflow.save_reply(COURSE, skills_point.point_id, lea, "  VERBS ", "Another text.")
    assert info.value.status == 409


def test_renaming_a_reply_to_the_title_of_another_is_refused(verbs, skills_point, lea):
    context = workflow.save_reply(COURSE, skills_point.point_id, lea, "Context", "Add the context.")
    with refused(Conflict, match="already titled “verbs”"):
        workflow.save_reply(COURSE, skills_point.point_id, lea, "verbs", "Renamed.", reply_id=context.pk)


def test_an_unknown_reply_is_not_found(verbs, skills_point, lea):
    with refused(NotFound, match=f"no saved reply #{MISSING_ID} in this course"):
        workflow.save_reply(COURSE, skills_point.point_id, lea, "Context", "Add it.", reply_id=MISSING_ID)
    with refused(NotFound, match=f"no saved reply #{MISSING_ID} in this course"):
        workflow.delete_reply(COURSE, MISSING_ID, lea)


def test_a_reply_of_another_course_is_not_found_there(verbs, skills_point, lea):
    with refused(NotFound, match=f"no saved reply #{verbs.pk} in this course"):
        workflow.save_reply(OTHER_COURSE, skills_point.point_id, lea, "Mine now", "Taken.", reply_id=verbs.pk)
    with refused(NotFound, match=f"no saved reply #{verbs.pk} in this course"):
        workflow.delete_reply(OTHER_COURSE, verbs.pk, lea)


def test_editing_a_reply_another_coach_deleted_meanwhile_is_not_found_and_nothing_comes_back(verbs, skills_point,
                                                                                            karim, lea):
    """Léa opened the edit form; Karim deletes the reply as she sends it (before her transaction): it must not
    come back."""
    delete = lambda: workflow.delete_reply(COURSE, verbs.pk, karim)  # noqa: E731
    with meanwhile(delete, when=at_first("SAVEPOINT")), pytest.raises(NotFound, match="another coach may have deleted"):
        workflow.save_reply(COURSE, skills_point.point_id, lea, "Verbs", "Edited.", reply_id=verbs.pk)
    assert not SavedReply.objects.exists()


def test_deleting_a_reply_twice_is_not_found_the_second_time(verbs, lea, karim):
    workflow.delete_reply(COURSE, verbs.pk, lea)
    with refused(NotFound):
        workflow.delete_reply(COURSE, verbs.pk, karim)


# ---------------------------------------------------------------- notes: add, read, delete


def test_a_coach_writes_a_note_on_a_learner_beside_her_requests(asked, karim, t0):
    before = snapshot()
    written = workflow.add_note(COURSE, asked.learner_id, karim, f"\n  {NOTE}  ", now=t0)

    row = CoachNote.objects.get(pk=written.pk)
    assert (row.course_key, row.learner_id, row.body, row.created_at) == (COURSE, "anon-mathilde", NOTE, t0)
    assert (row.author_id, row.author_name) == ("coach_karim", "Karim")
    assert changed_tables(before) == {"coach_xblock.CoachNote"}, "a note writes nothing else: no event, no email"


def test_notes_on_a_learner_are_read_newest_first_for_one_course(
    asked, skills_point, mathilde, paul, karim, lea, t0, django_assert_num_queries
):
    elsewhere = ask(in_other_course(skills_point), mathilde)
    ask(skills_point, paul)
    first = workflow.add_note(COURSE, "anon-mathilde", karim, "First call.", now=t0)
    second = workflow.add_note(COURSE, "anon-mathilde", lea, "Second call.", now=t0 + timedelta(days=1))
    same_time = workflow.add_note(COURSE, "anon-mathilde", lea, "Right after.", now=t0 + timedelta(days=1))
    workflow.add_note(COURSE, "anon-paul", karim, "About Paul.", now=t0)
    workflow.add_note(OTHER_COURSE, elsewhere.learner_id, karim, "In another course.", now=t0)

    with django_assert_num_queries(1):
        found = queries.notes_on(COURSE, "anon-mathilde")

    assert [note["id"] for note in found] == [same_time.pk, second.pk, first.pk]
    assert found[2] == {"id": first.pk, "learner_id": "anon-mathilde", "author_id": "coach_karim",
                        "author_name": "Karim", "body": "First call.", "created_at": t0}
    assert queries.notes_on(COURSE, "anon-nobody") == []
    with django_assert_num_queries(1):
        assert queries.request_learner(COURSE, asked.pk) == "anon-mathilde"
    assert queries.request_learner(OTHER_COURSE, asked.pk) is None
    assert queries.request_learner(COURSE, MISSING_ID) is None


def test_a_note_at_its_exact_limit_is_kept(asked, karim):
    assert workflow.add_note(COURSE, asked.learner_id, karim, "n" * MAX_NOTE_LENGTH).body == "n" * MAX_NOTE_LENGTH


def test_its_author_deletes_a_note(note, karim):
    workflow.delete_note(COURSE, note.pk, karim)
    assert not CoachNote.objects.exists()


def test_the_course_team_deletes_any_note(note, lea):
    workflow.delete_note(COURSE, note.pk, lea, as_course_team=True)
    assert not CoachNote.objects.exists()


# ---------------------------------------------------------------- notes: refusals


NOTE_REFUSALS = [
    pytest.param({"body": None}, "Your note: this field is required", id="body-none"),
    pytest.param({"body": ""}, "Your note: this field is required", id="body-empty"),
    pytest.param({"body": " \n "}, "Your note: this field is required", id="body-whitespace"),
    pytest.param({"body": "n" * (MAX_NOTE_LENGTH + 1)},
                 r"Your note: write at most 2,000 characters \(you wrote 2,001\)", id="body-too-long"),
    pytest.param({"body": 12}, "Your note: expected text", id="body-int"),
    pytest.param({"body": [NOTE]}, "Your note: expected text", id="body-list"),
    pytest.param({"learner_id": ""}, "Expected the id of a learner of this course", id="learner-empty"),
    pytest.param({"learner_id": " "}, "Expected the id of a learner of this course", id="learner-whitespace"),
    pytest.param({"learner_id": None}, "Expected the id of a learner of this course", id="learner-none"),
    pytest.param({"learner_id": 42}, "Expected the id of a learner of this course", id="learner-int"),
    pytest.param({"learner_id": "l" * 256}, "Expected the id of a learner of this course", id="learner-too-long"),
]


@pytest.mark.parametrize(("changes", "says"), NOTE_REFUSALS)
def test_a_note_refuses_bad_input_and_changes_nothing(asked, karim, changes, says):
    fields = {"learner_id": asked.learner_id, "body": NOTE, **changes}
    with refused(InvalidInput, match=says):
        workflow.add_note(COURSE, fields["learner_id"], karim, fields["body"])


def test_no_note_on_a_learner_without_a_request_in_the_course(asked, skills_point, paul, karim):
    """Paul asked in another course only; nobody at all is known as anon-nobody."""
    ask(in_other_course(skills_point), paul)
    for learner_id in (paul.user_id, "anon-nobody"):
        with refused(NotFound, match="no request in this course: notes are written beside their requests"):
            workflow.add_note(COURSE, learner_id, karim, NOTE)
    with refused(NotFound):
        workflow.add_note(OTHER_COURSE, asked.learner_id, karim, NOTE)


def test_another_coach_cannot_delete_a_note_they_did_not_write(note, lea):
    with refused(Forbidden, match="Only the coach who wrote this note, or the course team") as info:
        workflow.delete_note(COURSE, note.pk, lea)
    assert info.value.status == 403


@pytest.mark.parametrize("note_id", NOT_AN_ID)
def test_deleting_what_is_not_the_number_of_a_note_is_refused(note, karim, note_id):
    with refused(InvalidInput, match="Expected the number of a note"):
        workflow.delete_note(COURSE, note_id, karim, as_course_team=True)


def test_an_unknown_note_or_one_of_another_course_is_not_found(note, karim):
    with refused(NotFound, match=f"no note #{MISSING_ID} in this course"):
        workflow.delete_note(COURSE, MISSING_ID, karim, as_course_team=True)
    with refused(NotFound, match=f"no note #{note.pk} in this course"):
        workflow.delete_note(OTHER_COURSE, note.pk, karim, as_course_team=True)


# ---------------------------------------------------------------- a learner never sees a note


def test_no_note_reaches_the_learners_page_her_state_or_the_exports(en):
    """Mathilde asks in the English unit; Karim writes a note on her; her page, her state as her script reads it,
    the course's CSV exports show nothing of it."""
    secret = "PRIVATE-NOTE-7f3a: anxious about the interview"
    request_id = en.skills.ask(MATHILDE)
    course = en.skills.course_key
    learner_id = CheckinRequest.objects.get(pk=request_id).learner_id
    workflow.add_note(course, learner_id, person("coach_karim"), secret)

    assert secret not in page(en.skills.client, ENGLISH_UNIT, MATHILDE)
    for point in (en.skills, en.feasibility):
        assert "PRIVATE-NOTE" not in point.post("learner_state", MATHILDE).content.decode()
    assert queries.notes_on(course, learner_id)[0]["body"] == secret
    exported = [*requests_csv(course), *messages_csv(course)]
    assert exported and not any("PRIVATE-NOTE" in value for row in exported for value in row.values())

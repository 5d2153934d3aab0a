"""Moderation on the desk: a coach reports Mathilde's request (it leaves the queue, its texts are hidden from the
coaches, nobody claims or answers it, she cannot add to it and is told so at the block); the course team reviews
it on its own page (dismiss: back as it was; uphold: closed) and blocks or unblocks a learner (who then cannot
ask at any point of the course: 403, nothing written). Every step is recorded and told to the tracking log (ids
only); every refusal shows its reason and changes nothing; the course team's pages are refused (403) to the
course's other coaches; a retired learner's records and blocks go, a retired coach's name goes from theirs.

In the workbench the coaches named in the scenario's blocks (Karim, Léa) are the course team; Inès, added on
the desk, coaches without being of it.
"""
import html as html_lib
import json
import logging

import pytest
from story import ASK, KARIM, LEA, MATHILDE, PAUL, REPLY, snapshot
from story.desk import desk_path, request_ids
from story.exports import as_dicts, parse

from coach_xblock import exports, queries, workflow
from coach_xblock.models import CheckinRequest, CourseCoach, LearnerBlock, ModerationRecord

pytestmark = pytest.mark.django_db

INES = "coach_ines"
REASON = "Insults the coaches and threatens them."
XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def ines(desk):
    """Inès, added as a coach of the course on the desk: she coaches, she is not of the course team."""
    CourseCoach.objects.create(course_key=desk.course, username=INES)
    return INES


@pytest.fixture
def reported(desk, asked, ines):
    """Mathilde's open request, reported by Inès (its id)."""
    desk.done("desk_report", INES, asked, {"reason": REASON})
    return asked


def moderated(desk, name, student, data=None, *, done, **kwargs):
    """POST a course team's form that must succeed: a 303 to the moderation page saying `done`."""
    response = desk.post(name, student, data, **kwargs)
    assert response.status_code == 303, (response.status_code, response.content[:500])
    assert desk_path("desk_moderation", desk.course) in response["Location"]
    assert f"done={done}" in response["Location"]
    return response


def panel(point, learner=MATHILDE):
    """The learner's panel at `point`, as the block renders it."""
    return point.ok("learner_state", learner)["html"]


def status_of(request_id):
    return CheckinRequest.objects.get(pk=request_id).status


# ---------------------------------------------------------------- a coach reports a request


def test_a_reported_request_leaves_the_queue_and_its_texts_show_to_no_coach(en, desk, asked, ines):
    assert desk.queue_ids(LEA) == [asked]
    response = desk.done("desk_report", INES, asked, {"reason": REASON})
    assert "done=reported" in response["Location"]
    assert "You reported this request" in desk.page("desk_request", INES, query={"done": "reported"},
                                                       request_id=asked)

    request = CheckinRequest.objects.get(pk=asked)
    assert (request.status, request.status_before_review) == ("under_review", "open")
    [record] = ModerationRecord.objects.values("action", "actor_id", "reason", "request_id", "learner_id")
    assert record == {"action": "reported", "actor_id": INES, "reason": REASON, "request_id": asked,
                      "learner_id": MATHILDE}

    assert desk.queue_ids(LEA) == []
    assert "done=none_waiting" in desk.get("desk_next", LEA)["Location"]
    assert queries.backlogs([desk.course]) == {}, "no longer counted as waiting"
    for coach in (LEA, INES, KARIM):
        html = desk.page("desk_request", coach, request_id=asked)
        for text in ASK.values():
            if text:
                assert html_lib.escape(text) not in html and text not in html
        assert f"Reported by {INES} on" in html and "under review by the course team" in html
    listed = desk.page("desk_course", LEA, query={"status": "under_review"})
    assert request_ids(listed) == [asked]
    assert "Reported: its text is hidden." in listed and ASK["stuck_on"] not in listed


def test_the_csv_exports_leave_out_what_a_reported_request_says(en, desk, asked, ines):
    desk.answer(KARIM, asked, "An answer in the thread.")
    other = en.feasibility.ask(PAUL)
    desk.done("desk_report", INES, asked, {"reason": REASON})
    rows = {int(row["request_id"]): row for row in as_dicts(parse(exports.export_requests(desk.course)))}
    assert rows[asked]["status"] == "under_review"
    assert [rows[asked][name] for name in ("working_on", "stuck_on", "tried", "link")] == ["", "", "", ""]
    assert rows[other]["stuck_on"] == ASK["stuck_on"]
    messages = as_dicts(parse(exports.export_messages(desk.course)))
    assert all(int(message["request_id"]) != asked for message in messages)


def test_nobody_claims_or_answers_a_reported_request(desk, asked, ines):
    desk.claim(KARIM, asked)
    desk.done("desk_report", INES, asked, {"reason": REASON})
    assert CheckinRequest.objects.get(pk=asked).claimed_by == "", "the report ended Karim's claim"
    for coach, name, data in ((LEA, "desk_claim", {}), (KARIM, "desk_answer", {"body": "Here is my answer."})):
        desk.refused(name, coach, data, status=409, says="the course team is reviewing it", request_id=asked)


def test_mathilde_is_told_at_the_block_and_cannot_add_to_her_reported_request(en, desk, asked, ines):
    desk.answer(KARIM, asked)
    desk.done("desk_report", INES, asked, {"reason": REASON})
    assert status_of(asked) == "under_review"
    assert CheckinRequest.objects.get(pk=asked).status_before_review == "answered"
    html = panel(en.skills)
    assert "A coach reported this request; the course team is reviewing it. You cannot add to it meanwhile." in html
    assert 'data-action="reply"' not in html and 'data-action="resolve"' not in html
    says = "the course team is reviewing it. You cannot add to it meanwhile."
    en.skills.refused("reply", MATHILDE, {"request_id": asked, "body": REPLY}, status=409, says=says)
    en.skills.refused("resolve", MATHILDE, {"request_id": asked, "rating": 5}, status=409, says=says)
    en.skills.refused("withdraw", MATHILDE, {"request_id": asked}, status=409, says=says)


@pytest.mark.parametrize(("reason", "status", "says"), [
    pytest.param("", 400, "Reason: this field is required", id="no-reason"),
    pytest.param("   ", 400, "Reason: this field is required", id="blank-reason"),
    pytest.param("r" * 1001, 400, "Reason: write at most 1,000 characters", id="reason-too-long"),
])
def test_a_report_without_a_good_reason_is_refused_and_keeps_the_draft(desk, asked, ines, reason, status, says):
    html = desk.refused("desk_report", INES, {"reason": reason}, status=status, says=says, request_id=asked)
    assert 'role="alert"' in html and "<details class=\"coach-report\" open>" in html
    if reason.strip():
        assert f">{reason}</textarea>" in html
    assert desk.queue_ids(LEA) == [asked]


def test_a_report_sent_twice_is_recorded_once(desk, reported):
    desk.refused("desk_report", LEA, {"reason": REASON}, status=409, says="is already reported", request_id=reported)
    assert ModerationRecord.objects.count() == 1


def test_a_request_no_longer_alive_cannot_be_reported(en, desk, asked):
    en.skills.withdraw(MATHILDE, asked)
    desk.refused("desk_report", KARIM, {"reason": REASON}, status=409, says="can be reported", request_id=asked)


def test_a_report_of_no_request_of_the_course_is_404(desk, asked):
    desk.refused("desk_report", KARIM, {"reason": REASON}, status=404, says="no request #999999",
                 request_id=999_999)


# ---------------------------------------------------------------- the course team reviews it


def test_the_course_team_reads_the_report_and_the_texts_on_the_review_page(desk, reported):
    html = desk.page("desk_moderation", KARIM)
    assert request_ids(html) == [reported]
    assert REASON in html and INES in html and ASK["stuck_on"] not in html
    review = desk.page("desk_review", KARIM, request_id=reported)
    assert html_lib.escape(ASK["stuck_on"]) in review and REASON in review
    assert "Dismiss the report" in review and "Uphold the report" in review
    assert f"Block {MATHILDE}</button>" in review and "is blocked since" not in review


def test_dismissed_the_request_is_back_in_the_queue_as_it_was(desk, reported):
    moderated(desk, "desk_dismiss", LEA, {"reason": "A clumsy wording, not an insult."}, done="dismissed",
              request_id=reported)
    request = CheckinRequest.objects.get(pk=reported)
    assert (request.status, request.status_before_review) == ("open", "")
    assert desk.queue_ids(INES) == [reported]
    assert html_lib.escape(ASK["stuck_on"]) in desk.page("desk_request", INES, request_id=reported)
    assert list(ModerationRecord.objects.order_by("pk").values_list("action", "actor_id")) == [
        ("reported", INES), ("dismissed", LEA)]
    assert "The report is dismissed" in desk.page("desk_moderation", KARIM, query={"done": "dismissed"})
    desk.refused("desk_uphold", KARIM, status=409, says="is not under review", request_id=reported)


def test_upheld_the_request_is_closed_and_its_texts_stay_hidden(en, desk, reported):
    moderated(desk, "desk_uphold", KARIM, done="upheld", request_id=reported)
    request = CheckinRequest.objects.get(pk=reported)
    assert (request.status, request.closed_at is not None) == ("removed", True)
    html = desk.page("desk_request", INES, request_id=reported)
    assert ASK["stuck_on"] not in html and "the course team closed it" in html
    assert "A coach reported this request and the course team closed it." in panel(en.skills)
    assert en.skills.ask() != reported, "she may ask again (she is not blocked)"
    desk.refused("desk_dismiss", KARIM, status=409, says="is not under review", request_id=reported)


@pytest.mark.parametrize("name", ["desk_dismiss", "desk_uphold"])
def test_a_decision_on_a_request_not_reported_is_refused(desk, asked, name):
    desk.refused(name, KARIM, status=409, says="is not under review", request_id=asked)


def test_a_decision_with_a_reason_too_long_is_refused_and_kept(desk, reported):
    html = desk.refused("desk_uphold", KARIM, {"reason": "w" * 1001}, status=400, says="at most 1,000",
                        request_id=reported)
    assert ">" + "w" * 1001 + "</textarea>" in html


# ---------------------------------------------------------------- the course team blocks a learner


def test_a_blocked_learner_sees_why_she_cannot_ask_at_any_point_and_is_refused(en, desk, asked):
    moderated(desk, "desk_block", KARIM, {"reason": REASON}, done="blocked", request_id=asked)
    block = LearnerBlock.objects.get()
    assert (block.learner_id, block.learner_name, block.reason, block.blocked_by_id) == (
        MATHILDE, MATHILDE, REASON, KARIM)
    html = desk.page("desk_moderation", LEA)
    assert "Blocked learners" in html and REASON in html and f"Unblock {MATHILDE}" in html
    review = desk.page("desk_review", LEA, request_id=asked)
    assert f"{MATHILDE} is blocked since" in review and f"Unblock {MATHILDE}" in review

    for point in (en.skills, en.feasibility):
        shown = panel(point)
        assert "The course team has blocked you from asking the coaches of this course." in shown
        assert 'data-action="ask"' not in shown
        assert point.ok("learner_state", MATHILDE)["can_ask"] is False
        point.refused("ask", MATHILDE, {**ASK, "client_token": "blocked-1"}, status=403, says="blocked you")
    assert 'data-action="ask"' in panel(en.skills, PAUL), "Paul is not blocked"


def test_a_blocked_learner_still_replies_to_an_answer(en, desk, asked):
    desk.answer(KARIM, asked)
    moderated(desk, "desk_block", KARIM, {"reason": REASON}, done="blocked", request_id=asked)
    en.skills.reply(MATHILDE, asked)
    assert status_of(asked) == "open"


def test_unblocked_she_may_ask_again(en, desk, asked):
    en.skills.withdraw(MATHILDE, asked)
    moderated(desk, "desk_block", KARIM, {"reason": REASON}, done="blocked", request_id=asked)
    moderated(desk, "desk_unblock", LEA, {"learner_id": MATHILDE}, done="unblocked")
    assert not LearnerBlock.objects.exists()
    assert en.skills.ask() != asked
    assert list(ModerationRecord.objects.order_by("pk").values_list("action", "actor_id")) == [
        ("blocked", KARIM), ("unblocked", LEA)]
    desk.refused("desk_unblock", LEA, {"learner_id": MATHILDE}, status=404, says="is not blocked")


@pytest.mark.parametrize(("reason", "status", "says"), [
    pytest.param("", 400, "Reason: this field is required", id="no-reason"),
    pytest.param("r" * 1001, 400, "at most 1,000 characters", id="reason-too-long"),
])
def test_a_block_without_a_good_reason_is_refused_and_kept(desk, asked, reason, status, says):
    html = desk.refused("desk_block", KARIM, {"reason": reason}, status=status, says=says, request_id=asked)
    if reason:
        assert f">{reason}</textarea>" in html


def test_a_block_sent_twice_is_recorded_once(desk, asked):
    moderated(desk, "desk_block", KARIM, {"reason": REASON}, done="blocked", request_id=asked)
    desk.refused("desk_block", LEA, {"reason": REASON}, status=409, says="already blocked", request_id=asked)
    assert ModerationRecord.objects.count() == 1


@pytest.mark.parametrize("learner_id", ["", "anon-nobody", "x" * 300])
def test_unblocking_who_is_not_blocked_is_404(desk, asked, learner_id):
    desk.refused("desk_unblock", KARIM, {"learner_id": learner_id}, status=404, says="is not blocked")


# ---------------------------------------------------------------- only the course team


@pytest.mark.parametrize(("name", "method", "data", "with_request"), [
    ("desk_moderation", "get", None, False),
    ("desk_review", "get", None, True),
    ("desk_dismiss", "post", {}, True),
    ("desk_uphold", "post", {}, True),
    ("desk_block", "post", {"reason": REASON}, True),
    ("desk_unblock", "post", {"learner_id": MATHILDE}, False),
])
def test_a_coach_outside_the_course_team_gets_403_and_changes_nothing(desk, reported, name, method, data,
                                                                        with_request):
    LearnerBlock.objects.create(course_key=desk.course, learner_id=MATHILDE, reason=REASON)
    kwargs = {"request_id": reported} if with_request else {}
    text = desk.refused(name, INES, data, status=403, says="Only the course's staff and instructors", method=method,
                        **kwargs)
    assert ASK["stuck_on"] not in text and REASON not in text
    assert "Moderation" not in desk.page("desk_course", INES), "no link she could not follow"
    assert "Moderation" in desk.page("desk_course", KARIM)


@pytest.mark.parametrize("name", ["desk_report", "desk_dismiss", "desk_uphold", "desk_block", "desk_unblock"])
def test_moderation_forms_refuse_get(desk, asked, name):
    kwargs = {} if name == "desk_unblock" else {"request_id": asked}
    before = snapshot()
    assert desk.get(name, KARIM, **kwargs).status_code == 405
    assert snapshot() == before


def test_reasons_are_shown_escaped(desk, asked, ines):
    desk.done("desk_report", INES, asked, {"reason": XSS})
    moderated(desk, "desk_block", KARIM, {"reason": XSS}, done="blocked", request_id=asked)
    for html in (desk.page("desk_moderation", KARIM), desk.page("desk_review", KARIM, request_id=asked)):
        assert XSS not in html and html_lib.escape(XSS) in html


# ---------------------------------------------------------------- recorded, told, forgotten


def test_each_step_is_told_to_the_tracking_log_with_ids_never_a_reason(desk, asked, ines, caplog):
    caplog.set_level(logging.INFO, logger="coach_xblock.events")
    desk.done("desk_report", INES, asked, {"reason": REASON})
    moderated(desk, "desk_dismiss", KARIM, {"reason": "Fine after all."}, done="dismissed", request_id=asked)
    desk.done("desk_report", INES, asked, {"reason": REASON})
    moderated(desk, "desk_uphold", KARIM, done="upheld", request_id=asked)
    moderated(desk, "desk_block", KARIM, {"reason": REASON}, done="blocked", request_id=asked)
    moderated(desk, "desk_unblock", LEA, {"learner_id": MATHILDE}, done="unblocked")
    events = [record.getMessage().split(" ", 1) for record in caplog.records if record.name == "coach_xblock.events"]
    names = [name for name, _data in events if name.startswith("coach_checkin.moderation.")]
    assert names == [f"coach_checkin.moderation.{action}" for action in
                     ("reported", "dismissed", "reported", "upheld", "blocked", "unblocked")]
    for _name, data in events:
        assert REASON not in data and "Fine after all" not in data
    data = [json.loads(data) for name, data in events if name.startswith("coach_checkin.moderation.")]
    assert data[0] == {"request_id": asked, "course_id": desk.course, "point_id": data[0]["point_id"],
                       "topic": "skills", "status": "under_review", "learner_id": MATHILDE, "actor_id": INES}
    assert data[-1] == {"course_id": desk.course, "learner_id": MATHILDE, "actor_id": LEA}


def test_a_retired_learner_leaves_no_record_nor_block(desk, asked, ines):
    desk.done("desk_report", INES, asked, {"reason": REASON})
    moderated(desk, "desk_block", KARIM, {"reason": REASON}, done="blocked", request_id=asked)
    LearnerBlock.objects.create(course_key="another-course", learner_id=MATHILDE, reason=REASON)
    ModerationRecord.objects.create(course_key=desk.course, learner_id=PAUL, action="blocked", reason="Paul's")

    workflow.forget_learner([MATHILDE])

    assert not LearnerBlock.objects.exists()
    assert list(ModerationRecord.objects.values_list("learner_id", flat=True)) == [PAUL]


def test_a_retired_coach_is_blanked_in_the_records_and_blocks_they_made(desk, asked, ines):
    desk.done("desk_report", INES, asked, {"reason": REASON})
    moderated(desk, "desk_block", KARIM, {"reason": REASON}, done="blocked", request_id=asked)

    workflow.scrub_coach([KARIM])

    assert sorted(ModerationRecord.objects.values_list("action", "actor_id", "actor_name")) == [
        ("blocked", "", "Retired coach"), ("reported", INES, INES)]
    block = LearnerBlock.objects.get()
    assert (block.blocked_by_id, block.blocked_by_name, block.reason) == ("", "Retired coach", REASON)
    assert "Retired coach" in desk.page("desk_moderation", LEA)


def test_a_reset_of_her_state_deletes_the_request_and_keeps_the_record_without_it(desk, reported):
    workflow.delete_learner_requests([MATHILDE])
    record = ModerationRecord.objects.get()
    assert (record.request_id, record.action, record.learner_id) == (None, "reported", MATHILDE)
    assert request_ids(desk.page("desk_moderation", KARIM)) == []

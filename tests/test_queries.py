"""The read side (coach_xblock.queries) on the real test database (SQLite, or PostgreSQL).

Requests are made through the workflow, except where many rows are needed: there
`bulk_rows()` inserts them with chosen `created_at` values.
"""
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from story import COURSE, OTHER_COURSE, answer, ask, claim, refused, reply, resolve, withdraw

from coach_xblock import queries, workflow
from coach_xblock.domain import CheckinPoint, InvalidInput, NotFound, Person
from coach_xblock.models import CheckinRequest
from coach_xblock.queries import CoachQueue, Cursor

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

pytestmark = pytest.mark.django_db


def bulk_rows(count, *, step=timedelta(minutes=1), course=COURSE, point_id="point-bulk", start=START, learner_id=None):
    """Insert `count` open requests created `step` apart from `start`; return their ids, oldest first."""
    CheckinRequest.objects.bulk_create(
        CheckinRequest(
            course_key=course, point_id=point_id, point_title="Bulk point", topic="skills",
            learner_id=learner_id or f"anon-{i}", learner_name=f"Learner {i}", client_token=f"bulk-{i}",
            working_on="A project.", stuck_on=f"Request number {i}.", tried="Nothing yet.",
            created_at=start + i * step,
        )
        for i in range(count)
    )
    return list(CheckinRequest.objects.filter(course_key=course, point_id=point_id)
                .order_by("created_at", "id").values_list("pk", flat=True))


def ids(page_or_rows):
    rows = page_or_rows.rows if isinstance(page_or_rows, queries.QueuePage) else page_or_rows
    return [row.pk for row in rows]


def walk_forward(queue):
    """Every page from the first one, following next_cursor."""
    pages = [queue.page()]
    while pages[-1].next_cursor:
        pages.append(queue.page(after=pages[-1].next_cursor))
    return pages


def walk_backward(queue, last_page):
    """Every page from `last_page` back to the first one, following previous_cursor; in reading order."""
    pages = [last_page]
    while pages[-1].previous_cursor:
        pages.append(queue.page(before=pages[-1].previous_cursor))
    return pages[::-1]


# ---------------------------------------------------------------- a course with one request in each state


@pytest.fixture
def course(skills_point, feasibility_point, mathilde, paul, karim, lea):
    """Requests of the demo course in every status, oldest first, and one request of another course."""
    zoe, hugo, ines = (Person(f"anon-{name.lower()}", name) for name in ("Zoé", "Hugo", "Inès"))
    at = timezone.now()
    made = {"open_skills": ask(skills_point, mathilde)}
    made["answered"] = answer(ask(skills_point, paul), karim, now=at)
    made["resolved"] = answer(ask(feasibility_point, zoe), lea, now=at)
    resolve(feasibility_point, zoe, made["resolved"], now=at + timedelta(minutes=5))
    made["withdrawn"] = ask(feasibility_point, hugo)
    withdraw(feasibility_point, hugo, made["withdrawn"])
    made["open_feasibility"] = ask(feasibility_point, ines)
    elsewhere = CheckinPoint(OTHER_COURSE, "block-v1:Other+Course+2026+type@coach_checkin+block@x", "Other", "skills")
    made["other_course"] = ask(elsewhere, mathilde)
    return {name: request.pk for name, request in made.items()}


# ---------------------------------------------------------------- CoachQueue: filters and order


def test_the_default_queue_is_the_open_requests_of_the_course_oldest_first(course):
    page = CoachQueue(COURSE).page()
    assert ids(page) == [course["open_skills"], course["open_feasibility"]]
    assert (page.next_cursor, page.previous_cursor) == (None, None)


@pytest.mark.parametrize("status, expected", [
    ("open", ["open_skills", "open_feasibility"]),
    ("answered", ["answered"]),
    ("resolved", ["resolved"]),
    ("withdrawn", ["withdrawn"]),
    ("closed", []),
    ("all", ["open_skills", "answered", "resolved", "withdrawn", "open_feasibility"]),
])
def test_the_queue_filters_by_status(course, status, expected):
    assert ids(CoachQueue(COURSE, status=status).page()) == [course[name] for name in expected]


@pytest.mark.parametrize("status, expected", [
    ("all", ["open_skills", "answered"]),
    ("open", ["open_skills"]),
    ("answered", ["answered"]),
    ("resolved", []),
])
def test_the_queue_filters_by_point(course, skills_point, status, expected):
    page = CoachQueue(COURSE, point_id=skills_point.point_id, status=status).page()
    assert ids(page) == [course[name] for name in expected]


def test_the_newest_order_reverses_the_queue(course):
    oldest = ids(CoachQueue(COURSE, status="all").page())
    assert ids(CoachQueue(COURSE, status="all", order="newest").page()) == oldest[::-1]


@pytest.mark.parametrize("status", queries.QUEUE_STATUSES)
@pytest.mark.parametrize("order", queries.QUEUE_ORDERS)
def test_another_course_requests_never_show(course, status, order):
    assert course["other_course"] not in ids(CoachQueue(COURSE, status=status, order=order).page())
    assert ids(CoachQueue(OTHER_COURSE, status="all", order=order).page()) == [course["other_course"]]


@pytest.mark.parametrize("kwargs", [{"status": "expired"}, {"status": "OPEN"}, {"status": ""}, {"order": "random"},
                                    {"order": "oldest first"}])
def test_an_unknown_status_or_order_is_invalid_input(kwargs):
    with refused(InvalidInput):
        CoachQueue(COURSE, **kwargs)


# ---------------------------------------------------------------- CoachQueue: keyset pages


def test_a_page_holds_25_rows():
    expected = bulk_rows(30)
    first = CoachQueue(COURSE).page()
    assert queries.PAGE_SIZE == 25 and ids(first) == expected[:25]
    assert ids(CoachQueue(COURSE).page(after=first.next_cursor)) == expected[25:]


@pytest.mark.parametrize("order", ["oldest", "newest"])
@pytest.mark.parametrize("step", [timedelta(minutes=1), timedelta(microseconds=1), timedelta(0)],
                         ids=["minutes-apart", "microseconds-apart", "same-created_at"])
def test_cursors_walk_60_rows_forward_and_back_without_duplicates_or_gaps(order, step):
    expected = bulk_rows(60, step=step)
    if order == "newest":
        expected.reverse()
    queue = CoachQueue(COURSE, order=order)

    forward = walk_forward(queue)
    assert [len(page.rows) for page in forward] == [25, 25, 10]
    assert [pk for page in forward for pk in ids(page)] == expected
    assert forward[0].previous_cursor is None and forward[-1].next_cursor is None
    assert all(page.next_cursor for page in forward[:-1]) and all(page.previous_cursor for page in forward[1:])

    backward = walk_backward(queue, forward[-1])
    assert [ids(page) for page in backward] == [ids(page) for page in forward]
    assert backward[0].previous_cursor is None and backward[0].next_cursor == forward[0].next_cursor


def test_rows_with_the_same_created_at_are_ordered_by_id():
    bulk_rows(3, point_id="point-a", step=timedelta(0))
    bulk_rows(3, point_id="point-b", step=timedelta(0))  # same created_at, ids after point-a's
    same = CheckinRequest.objects.order_by("id").values_list("pk", flat=True)
    assert ids(CoachQueue(COURSE).page()) == list(same)
    assert ids(CoachQueue(COURSE, order="newest").page()) == list(same)[::-1]


def test_a_cursor_page_in_the_middle_can_go_both_ways():
    expected = bulk_rows(60)
    queue = CoachQueue(COURSE)
    middle = queue.page(after=queue.page().next_cursor)
    assert ids(queue.page(before=middle.previous_cursor)) == expected[:25]
    assert ids(queue.page(after=middle.next_cursor)) == expected[50:]


def test_the_queue_of_a_point_pages_only_that_point():
    bulk_rows(30, point_id="point-a")
    expected = bulk_rows(30, point_id="point-b", start=START + timedelta(seconds=30))
    queue = CoachQueue(COURSE, point_id="point-b")
    assert [pk for page in walk_forward(queue) for pk in ids(page)] == expected


def test_an_empty_queue_has_one_empty_page():
    page = CoachQueue(COURSE).page()
    assert (page.rows, page.next_cursor, page.previous_cursor) == ([], None, None)


def test_a_cursor_round_trips():
    for moment in (START, START + timedelta(microseconds=123456), datetime(1969, 12, 31, tzinfo=UTC)):
        assert Cursor.decode(Cursor(moment, 42).encode()) == Cursor(moment, 42)


@pytest.mark.parametrize("cursor", ["garbage", "1.2.3", "abc.1", "1.abc", "1", ".", "99999999999999999999999.1",
                                    "-99999999999999999.1", 42, ["1.2"]])
@pytest.mark.parametrize("direction", ["after", "before"])
def test_an_invalid_cursor_is_invalid_input(cursor, direction):
    bulk_rows(3)
    with refused(InvalidInput, match="queue position is not valid"):
        CoachQueue(COURSE).page(**{direction: cursor})


def test_asking_for_next_and_previous_at_once_is_invalid_input():
    bulk_rows(30)
    page = CoachQueue(COURSE).page()
    with refused(InvalidInput):
        CoachQueue(COURSE).page(after=page.next_cursor, before=page.next_cursor)


@pytest.mark.parametrize("count", [30, 300])
@pytest.mark.parametrize("order", ["oldest", "newest"])
def test_every_page_costs_one_query_without_offset_whatever_the_depth(count, order):
    bulk_rows(count)
    queue = CoachQueue(COURSE, status="all", order=order)
    seen, cursor = [], None
    while True:
        with CaptureQueriesContext(connection) as captured:
            page = queue.page(after=cursor)
            rows = [queries.queue_row_dict(row) for row in page.rows]
        assert len(captured) == 1, captured.captured_queries
        sql = captured.captured_queries[0]["sql"].upper()
        assert "OFFSET" not in sql and "LIMIT 26" in sql
        seen += [row["id"] for row in rows]
        if not page.next_cursor:
            break
        cursor = page.next_cursor
    assert len(seen) == len(set(seen)) == count

    with CaptureQueriesContext(connection) as captured:
        previous = queue.page(before=page.previous_cursor)
        [queries.queue_row_dict(row) for row in previous.rows]
    assert len(captured) == 1 and "OFFSET" not in captured.captured_queries[0]["sql"].upper()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="reads SQLite's query plan; other planners choose by size")
@pytest.mark.parametrize("point_id", [None, "point-bulk"])
@pytest.mark.parametrize("status", ["open", "all"])
@pytest.mark.parametrize("order", ["oldest", "newest"])
@pytest.mark.parametrize("depth", ["first", "after", "before"])
def test_every_page_is_read_from_an_index_in_its_order_without_sorting(point_id, status, order, depth):
    bulk_rows(80)
    queue = CoachQueue(COURSE, point_id=point_id, status=status, order=order)
    middle = queue.page(after=queue.page().next_cursor)
    cursors = {"first": {}, "after": {"after": middle.next_cursor}, "before": {"before": middle.previous_cursor}}

    with CaptureQueriesContext(connection) as captured:
        queue.page(**cursors[depth])
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + captured.captured_queries[0]["sql"])
        plan = " | ".join(str(row[-1]) for row in cursor.fetchall())

    assert "USING INDEX coach_req_" in plan and "TEMP B-TREE" not in plan, plan


def test_queue_rows_carry_aware_times_equal_to_the_stored_ones(skills_point, mathilde):
    request = ask(skills_point, mathilde)
    stored = CheckinRequest.objects.get(pk=request.pk)

    [row] = CoachQueue(COURSE).page().rows

    assert row.created_at == stored.created_at and row.created_at.tzinfo is not None
    assert row.due_at == stored.due_at and row.claim_expires_at is None
    assert (row.pk, row.status, row.stuck_on, row.point_title) == (
        stored.pk, stored.status, stored.stuck_on, stored.point_title)


# ---------------------------------------------------------------- queue rows


@pytest.fixture
def claimed_row(skills_point, mathilde, karim):
    """Mathilde's request claimed by Karim at the returned moment, read back from the queue."""
    request = ask(skills_point, mathilde)
    at = timezone.now()
    claim(request, karim, now=at)
    [row] = CoachQueue(COURSE).page().rows
    return row, at


def test_a_row_names_the_coach_while_the_claim_is_active(claimed_row):
    row, at = claimed_row
    data = queries.queue_row_dict(row, now=at + timedelta(minutes=29))
    assert data["claimed_by_name"] == "Karim"
    assert data["claim_expires_at"] == (at + timedelta(minutes=30)).isoformat()
    assert data["status"] == "open" and data["status_label"] == "A coach is on it"


@pytest.mark.parametrize("after", [timedelta(minutes=30), timedelta(minutes=31)])
def test_a_row_names_no_coach_once_the_claim_expired(claimed_row, after):
    row, at = claimed_row
    data = queries.queue_row_dict(row, now=at + after)
    assert (data["claimed_by_name"], data["claim_expires_at"]) == ("", None)


def test_a_row_status_label_follows_the_same_clock_as_its_claim(claimed_row):
    row, at = claimed_row
    data = queries.queue_row_dict(row, now=at + timedelta(minutes=31))
    assert (data["claimed_by_name"], data["status_label"]) == ("", "Waiting for a coach")


def test_a_released_claim_names_no_coach(claimed_row, karim):
    row, at = claimed_row
    workflow.release_claim(COURSE, row.pk, karim)
    [row] = CoachQueue(COURSE).page().rows
    data = queries.queue_row_dict(row, now=at + timedelta(minutes=1))
    assert (data["claimed_by_name"], data["claim_expires_at"], data["status_label"]) == ("", None,
                                                                                         "Waiting for a coach")


def test_a_queue_row_as_data(skills_point, mathilde):
    request = ask(skills_point, mathilde, stuck_on=" ".join(f"word{i}" for i in range(30)))
    [row] = CoachQueue(COURSE).page().rows
    data = queries.queue_row_dict(row, now=row.created_at + timedelta(hours=2))
    assert data == {
        "id": request.pk, "learner_name": "Mathilde", "point_id": skills_point.point_id,
        "point_title": "Naming my skills", "topic": "skills", "status": "open",
        "status_label": "Waiting for a coach", "created_at": row.created_at.isoformat(), "age_seconds": 7200,
        "excerpt": " ".join(f"word{i}" for i in range(20)) + "…", "claimed_by_name": "", "claim_expires_at": None,
        "overdue": False, "followup": False, "reserved_for": "", "asked_again": False,
    }


def test_a_row_is_overdue_once_it_waited_past_the_expected_response_time(skills_point, mathilde):
    ask(skills_point, mathilde)
    [row] = CoachQueue(COURSE).page().rows
    hours = timedelta(hours=skills_point.expected_response_hours)
    assert not queries.queue_row_dict(row, now=row.created_at + hours - timedelta(seconds=1))["overdue"]
    assert queries.queue_row_dict(row, now=row.created_at + hours)["overdue"]


# ---------------------------------------------------------------- excerpt


def test_excerpt_cuts_at_20_words_with_an_ellipsis():
    text = " ".join(f"w{i}" for i in range(21))
    assert queries.excerpt(text) == " ".join(f"w{i}" for i in range(20)) + "…"


def test_excerpt_keeps_20_words_or_fewer_whole():
    twenty = " ".join(f"w{i}" for i in range(20))
    assert queries.excerpt(twenty) == twenty
    assert queries.excerpt("Short  text,\n\nsplit\tacross lines. ") == "Short text, split across lines."
    assert queries.excerpt("") == ""


# ---------------------------------------------------------------- learner_requests


@pytest.fixture
def mathilde_history(skills_point, feasibility_point, mathilde, paul, karim):
    """Mathilde's resolved then new request at the skills point; her and Paul's requests elsewhere."""
    at = timezone.now()
    first = answer(ask(skills_point, mathilde, token="first"), karim, now=at + timedelta(minutes=1))
    reply(skills_point, mathilde, first, "My revised list.", now=at + timedelta(minutes=10))
    answer(first, karim, now=at + timedelta(minutes=21))
    resolve(skills_point, mathilde, first, now=at + timedelta(minutes=30))
    second = ask(skills_point, mathilde, token="second")
    feasibility = ask(feasibility_point, mathilde)
    pauls = ask(skills_point, paul)
    return {"first": first.pk, "second": second.pk, "feasibility": feasibility.pk, "paul": pauls.pk, "at": at}


def test_learner_requests_are_hers_at_the_point_newest_first_with_their_thread_in_2_queries(
        mathilde_history, skills_point, mathilde, django_assert_num_queries):
    at = mathilde_history["at"]
    with django_assert_num_queries(2):
        found = queries.learner_requests(skills_point.point_id, mathilde.user_id)
        data = [queries.request_dict(request) for request in found]

    assert [d["id"] for d in data] == [mathilde_history["second"], mathilde_history["first"]]
    assert data[0]["messages"] == []
    assert [(m["author_role"], m["author_name"], m["created_at"]) for m in data[1]["messages"]] == [
        ("coach", "Karim", (at + timedelta(minutes=1)).isoformat()),
        ("learner", "Mathilde", (at + timedelta(minutes=10)).isoformat()),
        ("coach", "Karim", (at + timedelta(minutes=21)).isoformat()),
    ]
    assert (data[1]["status"], data[1]["rating"]) == ("resolved", 5)


def test_learner_requests_of_nobody_are_empty(mathilde_history, skills_point):
    assert queries.learner_requests(skills_point.point_id, "anon-nobody") == []


def test_count_open_at_point_counts_open_and_answered_requests(mathilde_history, skills_point, feasibility_point,
                                                               karim):
    assert queries.count_open_at_point(COURSE, skills_point.point_id) == 2  # Mathilde's second and Paul's
    answer(CheckinRequest.objects.get(pk=mathilde_history["paul"]), karim, now=timezone.now())
    assert queries.count_open_at_point(COURSE, skills_point.point_id) == 2
    assert queries.count_open_at_point(COURSE, feasibility_point.point_id) == 1
    assert queries.count_open_at_point(OTHER_COURSE, skills_point.point_id) == 0


# ---------------------------------------------------------------- coach_request_detail


def test_coach_request_detail_gives_the_thread_and_her_other_requests_in_the_course(
        mathilde_history, mathilde, django_assert_num_queries):
    elsewhere = CheckinPoint(OTHER_COURSE, "block-v1:Other+Course+2026+type@coach_checkin+block@x", "Other", "skills")
    ask(elsewhere, mathilde)

    with django_assert_num_queries(3):
        request, others = queries.coach_request_detail(COURSE, mathilde_history["first"])
        data = queries.request_dict(request)
        history = [queries.queue_row_dict(other) for other in others]

    assert data["id"] == mathilde_history["first"] and data["course_key"] == COURSE
    assert [m["author_role"] for m in data["messages"]] == ["coach", "learner", "coach"]
    assert [h["id"] for h in history] == [mathilde_history["feasibility"], mathilde_history["second"]]
    assert {h["learner_name"] for h in history} == {"Mathilde"}


def test_coach_request_detail_shows_at_most_20_other_requests_newest_first():
    bulk_rows(25, learner_id="anon-mathilde")
    newest_first = list(CheckinRequest.objects.order_by("-created_at").values_list("pk", flat=True))

    request, others = queries.coach_request_detail(COURSE, newest_first[0])
    assert ids(others) == newest_first[1:21]


def test_coach_request_detail_of_another_course_or_an_unknown_id_is_not_found(mathilde_history):
    with refused(NotFound):
        queries.coach_request_detail(OTHER_COURSE, mathilde_history["first"])
    with refused(NotFound, match="no request #999999 in this course"):
        queries.coach_request_detail(COURSE, 999_999)


# ---------------------------------------------------------------- the desk's filters, courses and backlogs


def test_the_queue_filters_by_topic_overdue_and_age(skills_point, feasibility_point, mathilde, paul):
    skills = ask(skills_point, mathilde)
    feasibility = ask(feasibility_point, paul)
    assert ids(CoachQueue(COURSE, topic="feasibility").page()) == [feasibility.pk]
    due = CheckinRequest.objects.get(pk=skills.pk).due_at
    assert ids(CoachQueue(COURSE, overdue_at=due).page()) == [skills.pk]
    assert ids(CoachQueue(COURSE, overdue_at=due - timedelta(seconds=1)).page()) == []
    assert ids(CoachQueue(COURSE, asked_before=skills.created_at).page()) == [skills.pk]
    assert ids(CoachQueue(COURSE, asked_before=skills.created_at - timedelta(seconds=1)).page()) == []


def test_one_queue_across_courses_pages_by_keyset(mathilde):
    ours = bulk_rows(30, course=COURSE, point_id="p1")
    theirs = bulk_rows(30, course=OTHER_COURSE, point_id="p2", start=START + timedelta(seconds=30))
    queue = CoachQueue([COURSE, OTHER_COURSE])
    with CaptureQueriesContext(connection) as queries_run:
        first = queue.page()
    assert len(queries_run) == 1
    second = queue.page(after=first.next_cursor)
    merged = sorted(ours + theirs, key=lambda pk: CheckinRequest.objects.get(pk=pk).created_at)
    assert ids(first) + ids(second) == merged[:50]
    assert ids(CoachQueue([]).page()) == []


def test_backlogs_count_waiting_and_overdue_requests_per_course_and_per_point(skills_point, feasibility_point,
                                                                             mathilde, paul, karim):
    skills = ask(skills_point, mathilde)
    ask(feasibility_point, paul)
    due = CheckinRequest.objects.get(pk=skills.pk).due_at
    assert queries.backlogs([COURSE, OTHER_COURSE], due) == {COURSE: queries.Backlog(waiting=2, overdue=1)}
    by_point = queries.backlogs([COURSE], due, by="point_id")
    assert by_point == {skills_point.point_id: queries.Backlog(1, 1), feasibility_point.point_id: queries.Backlog(1, 0)}
    answer(skills, karim)
    assert queries.backlogs([COURSE], due, point_id=skills_point.point_id) == {}


@pytest.mark.skipif(connection.vendor != "sqlite", reason="reads SQLite's query plan; other planners choose by size")
@pytest.mark.parametrize("status", ["open", "all"])
@pytest.mark.parametrize("depth", ["first", "after"])
def test_the_queue_across_courses_reads_each_course_from_an_index_and_sorts_one_page_per_course(status, depth):
    """`course_key IN (...)` would sort every matching row of the courses; one index seek per course
    bounded to a page, merged, sorts at most a page per course."""
    courses = [COURSE, OTHER_COURSE, "course-v1:Third+Course+2026"]
    for number, course in enumerate(courses):
        bulk_rows(60, course=course, point_id=f"p{number}", start=START + number * timedelta(seconds=20))
    queue = CoachQueue(courses, status=status)
    cursors = {"first": {}, "after": {"after": queue.page().next_cursor}}

    with CaptureQueriesContext(connection) as captured:
        queue.page(**cursors[depth])
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + captured.captured_queries[0]["sql"])
        plan = [str(row[-1]) for row in cursor.fetchall()]

    reads = [step for step in plan if "coach_xblock_checkinrequest" in step]
    assert len(reads) == len(courses) and all("USING INDEX coach_req_course" in step for step in reads), plan


def test_the_points_requests_name_come_from_the_counters_then_one_seek_per_point_the_course_no_longer_has(
        skills_point, feasibility_point, mathilde, paul, django_assert_num_queries):
    renamed = CheckinPoint(COURSE, feasibility_point.point_id, "Is it feasible?", "feasibility")
    ask(skills_point, mathilde)
    ask(feasibility_point, mathilde, now=timezone.now() - timedelta(days=2))
    ask(renamed, paul)
    ask(CheckinPoint(OTHER_COURSE, "other-point", "Elsewhere", "skills"), paul)
    bulk_rows(40, point_id=skills_point.point_id)  # more requests add no query

    with django_assert_num_queries(2):  # the counters' points, then the one point the course no longer has
        found = queries.recorded_points(COURSE, known={skills_point.point_id})
    with CaptureQueriesContext(connection) as captured:
        queries.recorded_points(COURSE)

    assert found == [(feasibility_point.point_id, "Is it feasible?")], "the title of its newest request"
    assert "coach_xblock_dailystats" in captured.captured_queries[0]["sql"]
    assert sorted(point for point, _title in queries.recorded_points(COURSE)) == sorted(
        [skills_point.point_id, feasibility_point.point_id])
    workflow.delete_learner_requests([mathilde.user_id, paul.user_id], point_id=feasibility_point.point_id)
    assert queries.recorded_points(COURSE, known={skills_point.point_id}) == [], "no request names it any more"

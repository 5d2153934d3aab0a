"""The course's queue on the desk: filters in the URL, keyset pages, the backlog, the course across points."""
import re

import pytest
from django.utils import timezone
from story import KARIM, MATHILDE, PAUL
from story.desk import request_ids

from coach_xblock.models import CheckinRequest

pytestmark = pytest.mark.django_db


def test_the_queue_lists_the_whole_course_and_filters_by_point_and_topic(desk, en):
    skills = [en.skills.ask(learner) for learner in (MATHILDE, PAUL)]
    feasibility = [en.feasibility.ask(learner) for learner in (MATHILDE, PAUL)]
    assert desk.queue_ids() == sorted(skills + feasibility)
    assert desk.queue_ids(point=en.skills.usage_id) == skills
    assert desk.queue_ids(topic="feasibility") == feasibility
    page = desk.page("desk_course", query={"point": en.skills.usage_id, "topic": "skills"})
    assert f'<option value="{en.skills.usage_id}" selected>' in page
    assert '<option value="skills" selected>' in page
    assert '<data class="coach-number" value="4">4</data> requests wait for a coach' in desk.page("desk_course")


def test_overdue_and_age_filters(desk, en):
    old = en.skills.ask(MATHILDE)
    fresh = en.feasibility.ask(PAUL)
    CheckinRequest.objects.filter(pk=old).update(
        created_at=timezone.now() - timezone.timedelta(days=3), due_at=timezone.now() - timezone.timedelta(days=1)
    )
    assert desk.queue_ids(overdue="1") == [old]
    assert desk.queue_ids(age="2d") == [old]
    assert desk.queue_ids(age="1h") == [old]
    assert desk.queue_ids() == [old, fresh]
    assert '<data class="coach-number" value="1">1</data> overdue' in desk.page("desk_course")


@pytest.mark.parametrize(
    ("filters", "says"),
    [
        pytest.param({"status": "pending"}, "status", id="status-unknown"),
        pytest.param({"order": "random"}, "order", id="order-unknown"),
        pytest.param({"topic": "cooking"}, "topic", id="topic-unknown"),
        pytest.param({"age": "3y"}, "age", id="age-unknown"),
        pytest.param({"point": "block-v1:Other+x"}, "check-in point", id="point-of-nowhere"),
        pytest.param({"after": "forged"}, "not valid", id="cursor-forged"),
        pytest.param({"before": "1.99999999999999999999"}, "not valid", id="cursor-beyond"),
    ],
)
def test_unknown_filters_are_refused_with_a_reason(desk, asked, filters, says):
    desk.refused("desk_course", KARIM, filters, status=400, says=says, method="get")


@pytest.fixture
def thirty_requests(en):
    """Fifteen learners ask at both points of the English course: thirty open requests, oldest first."""
    ids = []
    for n in range(1, 16):
        ids.append(en.skills.ask(f"learner{n:02}"))
        ids.append(en.feasibility.ask(f"learner{n:02}"))
    return ids


def _link(html, label):
    import re

    found = re.search(rf'<a class="coach-button" href="([^"]+)">{label}</a>', html)
    return found.group(1).replace("&amp;", "&") if found else None


def test_the_queue_pages_thirty_requests_as_25_then_5_and_back(desk, thirty_requests):
    first = desk.page("desk_course")
    assert request_ids(first) == thirty_requests[:25]
    assert _link(first, "Previous page") is None
    second = desk.client.get(_link(first, "Next page")).content.decode()
    assert request_ids(second) == thirty_requests[25:]
    assert _link(second, "Next page") is None
    back = desk.client.get(_link(second, "Previous page")).content.decode()
    assert request_ids(back) == thirty_requests[:25]


def test_pages_keep_the_filters(desk, en, thirty_requests):
    first = desk.page("desk_course", query={"order": "newest", "status": "all"})
    link = _link(first, "Next page")
    assert "order=newest" in link and "status=all" in link and f"student={KARIM}" in link
    assert request_ids(desk.client.get(link).content.decode()) == list(reversed(thirty_requests))[25:]


def test_a_cursor_of_any_value_still_shows_only_this_course(desk, fr, thirty_requests):
    french = fr.skills.ask()
    for cursor in ("0.0", "-1.-1", "1.9223372036854775807"):
        ids = desk.queue_ids(after=cursor, status="all")
        assert french not in ids
        assert set(ids) <= set(thirty_requests)


@pytest.mark.parametrize("language, headings", [
    ("en", ["Learner", "Check-in point", "Asked", "Where they are stuck", "Status"]),
    ("fr", ["Apprenant·e", "Point de coaching", "Envoyées", "Point de blocage", "Statut"]),
])
def test_each_row_names_its_columns_in_the_pages_language(desk, thirty_requests, language, headings):
    """On a narrow screen each cell shows its column's heading (data-label): every row, translated."""
    desk.client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    page = desk.page("desk_course")
    assert re.findall(r'<th scope="col">([^<]*)</th>', page) == headings
    rows = re.findall(r'<tr data-request-id="\d+">(.*?)</tr>', page, re.S)
    assert len(rows) == 25
    for row in rows:
        assert re.findall(r'<td data-label="([^"]*)"', row) == headings

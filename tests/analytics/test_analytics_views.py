"""The coach-only `analytics` handler, and where coaches, authors and learners see the figures."""

import lxml.html
import pytest
from story import KARIM, MATHILDE, PAUL, ask
from story.desk import Desk
from story.workbench import ENGLISH_COURSE, ENGLISH_UNIT

from coach_xblock import analytics
from coach_xblock.domain import CheckinPoint, Person

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------- the analytics handler

XSS_TOPIC = "<script>alert(1)</script>"


@pytest.fixture
def story(en):
    """Mathilde asked at skills, got Karim's answer and resolved with 4 stars; Paul waits at feasibility."""
    mathildes = en.skills.ask(MATHILDE)
    en.skills.answer(KARIM, mathildes, "Start from your verbs.")
    en.skills.resolve(MATHILDE, mathildes, 4)
    en.feasibility.ask(PAUL)
    return en


def _numbers_of(html):
    """The <dl> of the analytics as {term: text}, and the by-topic table as [(topic, asked, resolved)]."""
    tree = lxml.html.fragment_fromstring(html, create_parent="div")
    terms = [dt.text_content().strip() for dt in tree.xpath("//dl[contains(@class, 'coach-numbers')]/dt")]
    values = [dd.text_content().strip() for dd in tree.xpath("//dl[contains(@class, 'coach-numbers')]/dd")]
    table = [
        tuple(cell.text_content().strip() for cell in row.xpath("./th|./td"))
        for row in tree.xpath("//table[contains(@class, 'coach-topics')]/tbody/tr")
    ]
    return dict(zip(terms, values, strict=True)), table


def test_analytics_handler_refuses_learners(story):
    skills_block = story.skills
    for payload in ({}, {"scope": "point"}, {"scope": "course", "period": "all"}):
        skills_block.refused("analytics", MATHILDE, payload, status=403, says="course team")  # the message alone


@pytest.mark.parametrize("payload, says", [
    ({"scope": "unit"}, "scope"),
    ({"scope": 3}, "scope"),
    ({"period": "12"}, "Unknown period"),
    ({"scope": "point", "period": "year"}, "Unknown period"),
])
def test_analytics_handler_refuses_a_bad_scope_or_period(story, payload, says):
    skills_block = story.skills

    skills_block.refused("analytics", KARIM, payload, status=400, says=says)


def test_analytics_handler_gives_the_numbers_of_the_point(story):
    skills_block = story.skills

    data = skills_block.ok("analytics", KARIM, {"scope": "point", "period": "7"})["analytics"]

    assert data == {
        "period": "7", "asked": 1, "open_now": 0, "overdue_now": 0, "answered": 1, "median_wait_minutes": 15,
        "p90_wait_minutes": 15, "resolved": 1, "share_resolved": 1.0, "mean_rating": 4.0, "not_helped": 0,
        "by_topic": [["skills", 1, 1]],
    }


def test_analytics_handler_gives_the_numbers_of_the_course_by_default(story):
    skills_block, feasibility_block = story.skills, story.feasibility

    from_skills = skills_block.ok("analytics", KARIM)
    from_feasibility = feasibility_block.ok("analytics", KARIM, {"scope": "course", "period": "30"})

    data = from_skills["analytics"]
    assert (data["period"], data["asked"], data["open_now"], data["answered"], data["resolved"]) == ("30", 2, 1, 1, 1)
    assert data["share_resolved"] == 0.5 and data["mean_rating"] == 4.0
    assert data["by_topic"] == [["feasibility", 1, 0], ["skills", 1, 1]]
    assert from_feasibility["analytics"] == data


def test_analytics_html_has_an_svg_chart_and_a_table_of_the_numbers(story):
    skills_block = story.skills

    html = skills_block.ok("analytics", KARIM, {"scope": "course"})["html"]

    tree = lxml.html.fragment_fromstring(html, create_parent="div")
    charts_ = tree.xpath("//svg")
    assert len(charts_) == 1
    assert charts_[0].get("role") == "img"
    title_id = charts_[0].get("aria-labelledby")
    assert tree.xpath(f"//svg/title[@id='{title_id}']")[0].text_content().strip()
    numbers, table = _numbers_of(html)
    assert table == [("Feasibility of the project", "1", "0"), ("Skills", "1", "1")]
    assert numbers == {
        "Requests asked": "2",
        "Open now": "1",
        "Overdue now": "0",
        "First answer, median": "within 15 minutes",
        "First answer, 9 in 10 within": "within 15 minutes",
        "Resolved": "1 (50 %)",
        "Mean rating": "4.0 out of 5",
        "Did not help": "0",
    }
    selected = tree.xpath("//select[@name='period']/option[@selected]")
    assert [option.get("value") for option in selected] == ["30"]


def test_analytics_html_without_requests_has_no_chart(en):
    skills_block = en.skills

    html = skills_block.ok("analytics", KARIM, {"scope": "point", "period": "all"})["html"]

    assert "<svg" not in html
    numbers, table = _numbers_of(html)
    assert table == []
    assert numbers["Requests asked"] == "0"
    assert numbers["First answer, median"] == "no answer yet"
    assert numbers["Resolved"] == "no request yet"
    assert numbers["Mean rating"] == "no rating yet"


def test_analytics_html_escapes_author_and_learner_text(en):
    skills_block = en.skills
    # An author's point of the same workbench course with a topic of their own making.
    point = CheckinPoint(course_key=skills_block.course_key, point_id="authored-point", title=XSS_TOPIC,
                         topic=XSS_TOPIC)
    ask(point, Person("anon-x", XSS_TOPIC), token="xss", working_on=XSS_TOPIC,
        stuck_on=f"{XSS_TOPIC} is where I am stuck", tried=XSS_TOPIC)

    result = skills_block.ok("analytics", KARIM, {"scope": "course"})

    assert result["analytics"]["by_topic"] == [[XSS_TOPIC, 1, 0]]
    html = result["html"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script" not in html
    _numbers, table = _numbers_of(html)
    assert table == [(XSS_TOPIC, "1", "0")]


# ---------------------------------------------------------------- where people see it


def test_the_coach_sees_the_course_analytics_on_the_desk_and_the_exports_under_the_queue(client, story):
    desk = Desk(client, ENGLISH_COURSE)
    analytics = desk.page("desk_analytics", KARIM)
    numbers, _table = _numbers_of(analytics[analytics.index('<section class="coach-analytics"'):])
    assert numbers["Requests asked"] == "2" and numbers["Open now"] == "1"
    queue = desk.page("desk_course", KARIM)
    assert f"/desk/export/requests/?student={KARIM}" in queue
    assert f"/desk/export/messages/?student={KARIM}" in queue
    assert 'name="period"' in analytics and 'name="student" value="coach_karim"' in analytics


def test_the_author_sees_the_points_analytics_under_its_settings(client, story):
    html = client.get(f"{ENGLISH_UNIT}author_view/?student={MATHILDE}").content.decode()
    first = html.index("coach-checkin-author")
    author_view = html[first:html.index("coach-checkin-author", first + 1)]  # the skills point's block
    numbers, table = _numbers_of(author_view[author_view.index("<section"):])
    assert numbers["Requests asked"] == "1", "the skills point alone"
    assert table == [("Skills", "1", "1")]
    assert 'data-action="analytics"' not in author_view, "no period to choose without the coach's script"


def test_learners_are_told_the_measured_wait_once_there_is_enough_data(client, en):
    skills_block = en.skills
    for number in range(analytics.TYPICAL_WAIT_MIN_ANSWERS):
        skills_block.answer(KARIM, skills_block.ask(f"learner-{number}"), "Start from your verbs.")
    html = skills_block.ok("learner_state", MATHILDE)["html"]
    assert "A coach usually answers within 1 hour." in html, "answered at once: the first bucket, 15 minutes"
    assert "within 48 hours" not in html

"""The course team's workload figures (coach_xblock.workload) and their fragment (charts.workload_context,
static/html/desk_workload.html): per coach, per point, the course's totals; never anything per learner."""
import dataclasses
from datetime import timedelta

import lxml.html
import pytest
from django.db import connection
from django.template import Context
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from story import COURSE, OTHER_COURSE, T0, answer, ask, claim, newcomer, reply

from coach_xblock import charts, workflow
from coach_xblock.domain import Person
from coach_xblock.rendering import ENGINE
from coach_xblock.workload import CoachWorkload, PointWorkload, course_workload

pytestmark = pytest.mark.django_db

HOUR, DAY = timedelta(hours=1), timedelta(days=1)


def first_answered(point, coach, asked_at, wait, learner=None):
    """A request (a newcomer's, unless `learner`) asked at `asked_at` and first answered by `coach` `wait` later."""
    learner = learner or newcomer()
    return answer(ask(point, learner, now=asked_at, token=f"t-{asked_at.isoformat()}"), coach, now=asked_at + wait)


def coach_row(workload, name):
    """The row of the coach called `name`."""
    [row] = [row for row in workload.coaches if row.name == name]
    return row


# ---------------------------------------------------------------- nothing yet


def test_the_workload_of_a_course_without_requests(skills):
    workload = course_workload(COURSE, now=T0)

    assert (workload.coaches, workload.points) == ((), ())
    assert (workload.answered_7, workload.answered_30, workload.held_now, workload.waiting, workload.overdue) == (
        0, 0, 0, 0, 0)
    assert (workload.median_first_answer_7, workload.median_first_answer_30) == (None, None)


# ---------------------------------------------------------------- per coach: answered, over 7 and 30 days


def test_an_answer_of_8_days_ago_counts_in_30_days_not_in_7(skills, karim):
    first_answered(skills, karim, T0 - 9 * DAY, DAY)
    first_answered(skills, karim, T0 - 3 * DAY, 2 * HOUR)
    first_answered(skills, karim, T0 - 40 * DAY, HOUR)  # before both periods

    row = coach_row(course_workload(COURSE, now=T0), "Karim")

    assert row == CoachWorkload(
        coach_id=karim.user_id, name="Karim", answered_7=1, answered_30=2,
        median_first_answer_7=2 * HOUR, median_first_answer_30=13 * HOUR, held_now=0,
    )


def test_a_request_counts_once_per_coach_however_many_answers(skills, mathilde, karim, lea):
    """Karim answers, Mathilde replies, Léa answers, Mathilde replies, Karim answers again: Karim answered one
    request (twice), Léa one; the course answered one. Only Karim answered it first."""
    request = first_answered(skills, karim, T0 - 2 * DAY, HOUR, learner=mathilde)
    reply(skills, mathilde, request, now=T0 - 2 * DAY + 2 * HOUR)
    answer(request, lea, now=T0 - 2 * DAY + 3 * HOUR)
    reply(skills, mathilde, request, now=T0 - 2 * DAY + 4 * HOUR)
    answer(request, karim, now=T0 - 2 * DAY + 5 * HOUR)

    workload = course_workload(COURSE, now=T0)

    assert [(row.name, row.answered_7, row.answered_30) for row in workload.coaches] == [
        ("Karim", 1, 1), ("Léa", 1, 1)]
    assert (workload.answered_7, workload.answered_30) == (1, 1)
    assert coach_row(workload, "Léa").median_first_answer_30 is None
    assert coach_row(workload, "Karim").median_first_answer_30 == HOUR


def test_an_answer_after_now_does_not_count(skills, karim):
    first_answered(skills, karim, T0 - HOUR, 2 * HOUR)

    assert course_workload(COURSE, now=T0).coaches == ()


def test_a_coach_shows_with_their_latest_name(skills, karim):
    first_answered(skills, karim, T0 - 3 * DAY, HOUR)
    first_answered(skills, dataclasses.replace(karim, display_name="Karim Haddad"), T0 - 2 * DAY, HOUR)

    assert [row.name for row in course_workload(COURSE, now=T0).coaches] == ["Karim Haddad"]


def test_another_course_counts_apart(skills, karim):
    other = dataclasses.replace(skills, course_key=OTHER_COURSE, point_id="other-point")
    first_answered(other, karim, T0 - DAY, HOUR)
    ask(other, newcomer(), now=T0 - HOUR)

    workload = course_workload(COURSE, now=T0)

    assert (workload.coaches, workload.points, workload.answered_30) == ((), (), 0)
    assert course_workload(OTHER_COURSE, now=T0).answered_30 == 1


# ---------------------------------------------------------------- medians of the first-answer times


def test_the_median_of_an_odd_count_is_the_middle_wait(skills, karim):
    for hours in (6, 1, 2):
        first_answered(skills, karim, T0 - DAY, hours * HOUR)

    assert coach_row(course_workload(COURSE, now=T0), "Karim").median_first_answer_7 == 2 * HOUR


def test_the_median_of_an_even_count_is_the_mean_of_the_two_middle_waits(skills, lea):
    for hours in (10, 1, 3, 2):
        first_answered(skills, lea, T0 - 2 * DAY, hours * HOUR)

    assert coach_row(course_workload(COURSE, now=T0), "Léa").median_first_answer_7 == 2.5 * HOUR


def test_the_course_median_takes_every_coach_first_answers(skills, karim, lea):
    for hours in (1, 2, 6):
        first_answered(skills, karim, T0 - DAY, hours * HOUR)
    for hours in (1, 2, 3, 10):
        first_answered(skills, lea, T0 - 2 * DAY, hours * HOUR)
    first_answered(skills, lea, T0 - 20 * DAY, 30 * HOUR)  # in 30 days only: 1, 1, 2, 2, 3, 6, 10, 30

    workload = course_workload(COURSE, now=T0)

    assert workload.median_first_answer_7 == 2 * HOUR  # 1, 1, 2, 2, 3, 6, 10
    assert workload.median_first_answer_30 == 2.5 * HOUR
    assert coach_row(workload, "Léa").median_first_answer_30 == 3 * HOUR  # 1, 2, 3, 10, 30


def test_waits_of_equal_length_are_each_counted(skills, karim):
    for hours in (1, 1, 1, 5, 5):
        first_answered(skills, karim, T0 - DAY, hours * HOUR)

    assert coach_row(course_workload(COURSE, now=T0), "Karim").median_first_answer_7 == HOUR


# ---------------------------------------------------------------- held now


def test_only_unexpired_claims_are_held(skills, karim, lea):
    claim(ask(skills, newcomer(), now=T0 - 2 * HOUR), karim, now=T0 - 10 * timedelta(minutes=1))
    claim(ask(skills, newcomer(), now=T0 - 2 * HOUR), lea, now=T0 - 40 * timedelta(minutes=1))  # expired
    answered = first_answered(skills, lea, T0 - DAY, HOUR)

    workload = course_workload(COURSE, now=T0)

    assert [(row.name, row.held_now) for row in workload.coaches] == [("Karim", 1), ("Léa", 0)]
    assert workload.held_now == 1
    assert answered.claimed_by == ""


# ---------------------------------------------------------------- per point


def test_each_point_counts_its_waiting_and_overdue_requests(skills, feasibility, karim):
    ask(skills, newcomer(), now=T0 - 50 * HOUR)  # past the 48 hours expected
    ask(skills, newcomer(), now=T0 - HOUR)
    ask(feasibility, newcomer(), now=T0 - 2 * HOUR)
    first_answered(feasibility, karim, T0 - 60 * HOUR, HOUR)  # answered: waits for no coach
    claim(ask(feasibility, newcomer(), now=T0 - 3 * HOUR), karim, now=T0 - HOUR)  # a claim: still waiting

    workload = course_workload(COURSE, now=T0)

    assert workload.points == (
        PointWorkload(feasibility.point_id, "Is my project feasible?", waiting=2, overdue=0),
        PointWorkload(skills.point_id, "Naming my skills", waiting=2, overdue=1),
    )
    assert (workload.waiting, workload.overdue) == (4, 1)


def test_a_point_shows_the_title_of_its_latest_request(skills):
    ask(skills, newcomer(), now=T0 - 2 * HOUR)
    ask(dataclasses.replace(skills, title="Naming my strengths"), newcomer(), now=T0 - HOUR)

    assert [point.title for point in course_workload(COURSE, now=T0).points] == ["Naming my strengths"]


# ---------------------------------------------------------------- retired coaches


def test_retired_coaches_are_gathered_under_one_label_and_keep_their_counts(skills, karim, lea):
    zoe = Person(user_id="coach_zoe", display_name="Zoé")
    first_answered(skills, karim, T0 - DAY, HOUR)
    first_answered(skills, lea, T0 - DAY, 2 * HOUR)
    first_answered(skills, lea, T0 - 10 * DAY, 4 * HOUR)
    first_answered(skills, zoe, T0 - 2 * DAY, 6 * HOUR)
    claim(ask(skills, newcomer(), now=T0 - HOUR), zoe, now=T0 - 5 * timedelta(minutes=1))

    workflow.scrub_coach([lea.user_id, zoe.user_id])
    workload = course_workload(COURSE, now=T0)

    assert [row.name for row in workload.coaches] == ["Karim", "Retired coach"]
    retired = coach_row(workload, "Retired coach")
    assert retired.retired and retired.coach_id == ""
    assert (retired.answered_7, retired.answered_30, retired.held_now) == (2, 3, 0)  # Zoé's claim went with her
    assert (retired.median_first_answer_7, retired.median_first_answer_30) == (4 * HOUR, 4 * HOUR)
    assert (workload.answered_7, workload.answered_30) == (3, 4)


def test_the_retired_label_speaks_the_viewer_language(skills, lea):
    first_answered(skills, lea, T0 - DAY, HOUR)
    workflow.scrub_coach([lea.user_id])

    with translation.override("fr"):
        assert [row.name for row in course_workload(COURSE, now=T0).coaches] == ["Coach (compte supprimé)"]


# ---------------------------------------------------------------- a fixed number of queries


def _queries_of_workload():
    with CaptureQueriesContext(connection) as captured:
        course_workload(COURSE, now=T0)
    return len(captured.captured_queries)


def _busy_week(skills, feasibility, coaches, requests):
    for number in range(requests):
        point = skills if number % 2 else feasibility
        coach = coaches[number % len(coaches)]
        asked_at = T0 - (number % 25 + 1) * DAY
        request = first_answered(point, coach, asked_at, (number % 7 + 1) * HOUR)
        if number % 3 == 0:
            reply(point, Person(request.learner_id, request.learner_name), request, now=asked_at + 10 * HOUR)
        if number % 4 == 0:
            ask(point, newcomer(), now=T0 - (number % 5) * DAY)


def test_the_workload_costs_the_same_few_queries_whatever_the_number_of_requests(skills, feasibility, karim, lea):
    zoe = Person(user_id="coach_zoe", display_name="Zoé")
    _busy_week(skills, feasibility, [karim], 3)
    small = _queries_of_workload()
    _busy_week(skills, feasibility, [karim, lea, zoe], 60)
    claim(ask(skills, newcomer(), now=T0 - HOUR), lea, now=T0 - HOUR / 4)
    big = _queries_of_workload()

    assert small == big == 9
    workload = course_workload(COURSE, now=T0)
    assert len(workload.coaches) == 3 and workload.answered_30 == 63 and workload.held_now == 1


# ---------------------------------------------------------------- durations in words


@pytest.mark.parametrize("duration, words, iso", [
    (timedelta(seconds=20), "under 1 min", "PT20S"),
    (timedelta(minutes=1), "1 min", "PT1M"),
    (timedelta(minutes=59, seconds=20), "59 min", "PT59M"),
    (timedelta(minutes=59, seconds=40), "1 h", "PT1H"),
    (timedelta(hours=2, minutes=10), "2 h 10 min", "PT2H10M"),
    (2.5 * HOUR, "2 h 30 min", "PT2H30M"),
    (timedelta(hours=23, minutes=59), "23 h 59 min", "PT23H59M"),
    (DAY, "1 d", "P1D"),
    (timedelta(days=3, hours=4, minutes=20), "3 d 4 h", "P3DT4H"),
])
def test_durations_in_words(duration, words, iso):
    assert charts.duration_in_words(duration) == {"words": words, "iso": iso}
    assert charts.duration_in_words(None) is None


def test_durations_in_french():
    with translation.override("fr"):
        assert charts.duration_in_words(timedelta(hours=2, minutes=10))["words"] == "2 h 10 min"
        assert charts.duration_in_words(timedelta(days=3, hours=4))["words"] == "3 j 4 h"
        assert charts.duration_in_words(timedelta(seconds=5))["words"] == "moins d’une minute"


# ---------------------------------------------------------------- the fragment


def render(now=T0):
    """desk_workload.html as the desk includes it, for the story's course at `now`."""
    return ENGINE.get_template("desk_workload.html").render(Context(charts.workload_context(COURSE, now=now)))


def text_of(html):
    """What a person reads: the text of the fragment, its entities decoded, its spaces folded."""
    return " ".join(" ".join(lxml.html.fromstring(html).itertext()).split())


@pytest.fixture
def busy_course(skills, feasibility, mathilde, paul, karim, lea):
    """Karim and Léa answered Mathilde and Paul; Paul waits at the feasibility point, overdue; Karim holds
    a request of Paul's; a retired coach answered once."""
    zoe = Person(user_id="coach_zoe", display_name="Zoé")
    first_answered(skills, karim, T0 - 3 * DAY, 2 * HOUR + 10 * timedelta(minutes=1), learner=mathilde)
    first_answered(feasibility, lea, T0 - 10 * DAY, 5 * HOUR, learner=paul)
    first_answered(feasibility, zoe, T0 - 2 * DAY, 3 * HOUR, learner=mathilde)
    workflow.scrub_coach([zoe.user_id])
    ask(feasibility, paul, now=T0 - 50 * HOUR, token="paul-late")
    claim(ask(skills, paul, now=T0 - HOUR, token="paul-now"), karim, now=T0 - 5 * timedelta(minutes=1))


def test_the_fragment_shows_each_coach_and_point_and_the_course(busy_course):
    html = render()
    tree = lxml.html.fromstring(html)

    rows = [[" ".join(cell.text_content().split()) for cell in row.xpath("th|td")]
            for row in tree.xpath("(//table)[1]/tbody/tr|(//table)[1]/tfoot/tr")]
    assert rows == [
        ["Karim", "1", "1", "2 h 10 min", "2 h 10 min", "1"],
        ["Léa", "0", "1", "none", "5 h", "0"],
        ["Retired coach", "1", "1", "3 h", "3 h", "0"],
        ["Whole course", "2", "3", "2 h 35 min", "3 h", "1"],
    ]
    assert tree.xpath("(//table)[1]//time/@datetime")[:2] == ["PT2H10M", "PT2H10M"]
    points = [[" ".join(cell.text_content().split()) for cell in row.xpath("th|td")]
              for row in tree.xpath("(//table)[2]/tbody/tr|(//table)[2]/tfoot/tr")]
    assert points == [["Is my project feasible?", "1", "1"], ["Naming my skills", "1", "0"], ["Whole course", "2", "1"]]


def test_the_chart_is_an_image_with_a_text_alternative_and_the_table_numbers(busy_course):
    tree = lxml.html.fromstring(render())
    [chart] = tree.xpath("//svg")

    assert chart.get("role") == "img"
    title = chart.xpath("title")[0]
    assert chart.get("aria-labelledby") == title.get("id")
    assert title.text == "Requests answered per coach over the last 30 days"
    assert chart.xpath("desc")[0].text == "Karim: 1 request; Léa: 1 request; Retired coach: 1 request"
    # lxml.html reads attribute names in lower case
    assert chart.get("viewbox") == f"0 0 {charts.WORKLOAD_WIDTH} {3 * charts.WORKLOAD_ROW}"
    widths = [int(rect.get("width")) for rect in chart.xpath("rect")]
    assert widths == [charts.WORKLOAD_BAR_ROOM] * 3


def test_the_fragment_names_no_learner(busy_course, mathilde, paul):
    html = render()

    for learner in (mathilde, paul):
        assert learner.display_name not in html and learner.user_id not in html
    assert "Mathilde" not in text_of(render())


def test_the_fragment_escapes_names_and_titles(skills, karim):
    first_answered(dataclasses.replace(skills, title="<b>Skills</b>"), dataclasses.replace(
        karim, display_name="<script>alert(1)</script>"), T0 - DAY, HOUR)
    ask(dataclasses.replace(skills, title="<b>Skills</b>"), newcomer(), now=T0 - HOUR)

    html = render()

    assert "<script>alert" not in html and "<b>Skills" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "&lt;b&gt;Skills&lt;/b&gt;" in html


def test_a_long_name_is_cut_in_the_chart_only(skills, karim):
    long_name = "Karim " + "Haddad-" * 10
    first_answered(skills, dataclasses.replace(karim, display_name=long_name), T0 - DAY, HOUR)

    tree = lxml.html.fromstring(render())

    [label] = tree.xpath("//svg/text[@class='coach-chart-label']")
    assert len(label.text) == charts.WORKLOAD_NAME_LENGTH and label.text.endswith("…")
    assert tree.xpath("(//table)[1]/tbody/tr/th")[0].text == long_name


def test_the_fragment_of_a_quiet_course(skills):
    text = text_of(render())

    assert "No coach answered a request in the last 30 days, and no coach holds one now." in text
    assert "No request is waiting for a coach now." in text


def test_the_fragment_in_french(busy_course):
    with translation.override("en"):
        english = text_of(render())
    with translation.override("fr"):
        html = render()
    french = text_of(html)

    assert "La charge de travail des coachs" in french and "Coach (compte supprimé)" in french
    assert "Karim\xa0: 1 demande" in lxml.html.fromstring(html).xpath("//svg/desc")[0].text
    for english_words in ("Per coach", "Whole course", "Held now", "none", "Waiting", "Requests answered",
                          "30 days"):
        assert english_words in english and english_words not in french
    assert "2 h 10 min" in french

"""The learner's coaching journal of a course: every request of hers at every point, newest first, with its
status, dates, ask, thread and a link to its unit; nobody else's, whoever asks and however."""
import lxml.html
import pytest
from story import KARIM, MATHILDE, PAUL, ask
from story.desk import desk_path, with_student
from story.journal import journal_request_ids
from story.workbench import ENGLISH_COURSE

from coach_xblock.domain import CheckinPoint, Person
from coach_xblock.learner_data import JOURNAL_PAGE_SIZE
from coach_xblock.models import CheckinRequest
from coach_xblock.queries import Cursor

pytestmark = pytest.mark.django_db


def test_a_learner_who_never_asked_reads_a_clear_empty_journal(journal):
    page = journal.page(PAUL)

    assert "You have not asked a coach anything in this course yet." in page
    assert journal_request_ids(page) == []
    assert "Older requests" not in page


def test_mathilde_reads_both_her_requests_newest_first_with_status_thread_and_unit(en, journal):
    at_skills = en.skills.ask(MATHILDE)
    at_feasibility = en.feasibility.ask(MATHILDE)
    en.skills.answer(KARIM, at_skills, "Start from your **verbs**.")

    html = journal.page(MATHILDE)
    page = lxml.html.fromstring(html)

    assert journal_request_ids(html) == [at_feasibility, at_skills]
    skills = page.xpath(f"//article[@data-request-id='{at_skills}']")[0]
    assert skills.xpath(".//h3//span[@class='coach-request-point']")[0].text == "Naming my skills"
    assert skills.xpath(".//span[contains(@class, 'coach-badge')]")[0].text == "Answered"
    assert "Topic: Skills" in skills.text_content()
    assert skills.xpath(".//div[contains(@class, 'coach-formatted')]//strong")[0].text == "verbs"
    assert skills.xpath(".//time/@datetime"), "dates in <time> elements, shown in the viewer's zone by the script"
    unit = skills.xpath(".//a[@class='coach-unit-link']/@href")[0]
    assert unit.startswith("http") and "/scenario/coach_checkin.1/" in unit and "student=mathilde" in unit
    feasibility = page.xpath(f"//article[@data-request-id='{at_feasibility}']")[0]
    assert feasibility.xpath(".//span[contains(@class, 'coach-badge')]")[0].text == "Waiting for a coach"


def test_no_learner_sees_anothers_requests(en, fr, journal):
    hers = en.skills.ask(MATHILDE)
    his = en.skills.ask(PAUL)
    fr.skills.ask(MATHILDE)  # another course: never in this course's journal

    assert journal.ids(MATHILDE) == [hers]
    assert journal.ids(PAUL) == [his]
    assert "Mathilde" not in journal.page(PAUL) and "mathilde" not in journal.page(PAUL)


def test_guessed_ids_and_cursors_show_nothing_of_anyone_else(en, journal):
    hers = CheckinRequest.objects.get(pk=en.skills.ask(MATHILDE))
    beyond = Cursor(hers.created_at.replace(year=hers.created_at.year + 1), hers.pk + 1).encode()

    for query in ({"learner_id": MATHILDE}, {"request_id": hers.pk}, {"after": beyond}):
        assert hers.pk not in journal.ids(PAUL, **query)
    response = journal.client.get(desk_path("journal", ENGLISH_COURSE) + f"?student={PAUL}&student={MATHILDE}")
    assert journal_request_ids(response.content.decode()) in ([], [hers.pk])  # one user per request, never both
    assert journal.ids(PAUL, after=beyond) == []


def test_a_coach_reads_only_his_own_requests_as_a_learner(en, journal):
    en.skills.ask(MATHILDE)
    point = CheckinPoint(ENGLISH_COURSE, en.skills.usage_id, "Naming my skills", "skills")
    his = ask(point, Person(user_id=KARIM, display_name=KARIM), token="karim-learns")

    assert journal.ids(KARIM) == [his.pk], "a coach may be a learner too: his own requests, nobody else's"


def test_many_requests_are_paged_newest_first_by_keyset(en, journal):
    points = [
        CheckinPoint(ENGLISH_COURSE, f"{en.skills.usage_id}-{n}", f"Point {n}", "skills", max_open_requests=8)
        for n in range(3)
    ]
    made = [ask(point, Person(MATHILDE, "Mathilde"), token=f"t{n}").pk for point in points for n in range(8)]
    newest_first = sorted(made, key=lambda pk: (CheckinRequest.objects.get(pk=pk).created_at, pk), reverse=True)

    first = lxml.html.fromstring(journal.page(MATHILDE))
    older = first.xpath("//nav[@class='coach-pager']//a[text()='Older requests']/@href")[0]
    second = journal.client.get(older).content.decode()

    assert journal_request_ids(lxml.html.tostring(first, encoding=str)) == newest_first[:JOURNAL_PAGE_SIZE]
    assert journal_request_ids(second) == newest_first[JOURNAL_PAGE_SIZE:]
    assert "Your latest requests" in second and "Older requests" not in second


def test_a_cursor_that_is_not_one_is_refused_with_a_reason(en, journal):
    en.skills.ask(MATHILDE)

    journal.refused(MATHILDE, data={"after": "nonsense"}, status=400, says="This page of your journal does not exist")


def test_a_course_that_does_not_exist_is_404_and_a_nameless_visitor_403(en, journal):
    response = journal.client.get(with_student(desk_path("journal", "no-such-course"), MATHILDE))
    assert response.status_code == 404 and "There is no such course." in response.content.decode()
    journal.refused(" ", status=403, says="Sign in to read your coaching")


def test_learner_and_coach_text_is_escaped_and_links_are_only_web_links(en, journal):
    script = "<script>alert('stuck')</script>"
    request_id = en.skills.ask(MATHILDE, stuck_on=f"I am stuck {script} here, help me please.")
    en.skills.answer(KARIM, request_id, "<img src=x onerror=alert(1)> [click](javascript:alert(2))")
    CheckinRequest.objects.filter(pk=request_id).update(unit_url="javascript:alert(3)", point_title=script)

    html = journal.page(MATHILDE)
    page = lxml.html.fromstring(html)

    assert script not in html and "&lt;script&gt;" in html
    assert not page.xpath("//img") and "onerror" not in html.replace("onerror=alert(1)&gt;", "")
    assert not [href for href in page.xpath("//a/@href") if "javascript" in href.lower()]
    assert not page.xpath("//a[@class='coach-unit-link']")
    assert not [s for s in page.xpath("//script/text()") if "alert(" in s]


@pytest.mark.parametrize("name", ["journal", "journal_data"])
def test_pages_refuse_post_and_the_form_refuses_get(journal, name):
    kwargs = {"file": "json"} if name == "journal_data" else {}
    assert journal.post(MATHILDE, {}, name, **kwargs).status_code == 405
    assert journal.get(MATHILDE, "journal_preferences").status_code == 405


def test_a_page_costs_two_queries_whatever_the_number_of_requests_and_messages(en):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from coach_xblock.learner_data import journal_page

    point = CheckinPoint(ENGLISH_COURSE, en.skills.usage_id, "Naming my skills", "skills", max_open_requests=20)
    counts = []
    for made in (1, 12):
        while CheckinRequest.objects.filter(learner_id=MATHILDE).count() < made:
            token = f"q{CheckinRequest.objects.count()}"
            en.skills.answer(KARIM, ask(point, Person(MATHILDE, "Mathilde"), token=token).pk)
        with CaptureQueriesContext(connection) as queries:
            page = journal_page(ENGLISH_COURSE, MATHILDE)
            [len(request.messages.all()) for request in page.requests]
        counts.append(len(queries))
    assert counts == [2, 2]

"""A coach of several courses: the home page lists every course they coach with its backlog, and one queue
across them; the block in a unit shows a coach only its point's summary and the way to the desk."""
import re

import pytest
from story import KARIM, MATHILDE
from story.desk import desk_path, request_ids, with_student
from story.workbench import page

from coach_xblock.models import CourseCoach

pytestmark = pytest.mark.django_db


def test_the_home_page_lists_every_course_coached_and_one_queue_across_them(client, en, fr):
    english = en.skills.ask()
    french = fr.feasibility.ask()
    response = client.get(with_student(desk_path("desk_home"), KARIM))
    assert response.status_code == 200
    html = response.content.decode()
    assert en.skills.course_key in html and fr.skills.course_key in html
    assert request_ids(html) == [english, french]
    assert f'href="{desk_path("desk_course", en.skills.course_key)}?student={KARIM}"' in html


def test_a_coach_of_one_course_sees_only_it(client, en, fr):
    en.skills.ask()
    french = fr.skills.ask()
    CourseCoach.objects.create(course_key=fr.skills.course_key, username="coach_ines")
    html = client.get(with_student(desk_path("desk_home"), "coach_ines")).content.decode()
    assert request_ids(html) == [french]
    assert en.skills.course_key not in html


def test_the_block_shows_a_coach_its_points_backlog_and_the_desk_link(client, en):
    en.skills.ask()
    en.skills.ask("paul")
    en.feasibility.ask()
    html = page(client, en.url, KARIM)
    summaries = re.findall(r'<p class="coach-summary">(.*?)</p>', html, re.S)
    assert [re.sub(r"<[^>]+>", "", s).split(" · ")[0] for s in summaries] == [
        "2 requests wait here", "1 request waits here"]
    link = f'href="{desk_path("desk_course", en.skills.course_key)}?student={KARIM}"'
    assert html.count(link) == 2
    assert "<table" not in html  # no queue in the unit any more
    assert "open the coach desk" not in page(client, en.url, MATHILDE)


def test_the_course_team_reads_the_workload_per_coach_and_per_point_never_per_learner(desk, en):
    answered = en.skills.ask()
    desk.answer(KARIM, answered)
    en.feasibility.ask("paul")
    page = desk.page("desk_workload", KARIM)
    assert "The coaches&#x27; workload" in page or "The coaches' workload" in page
    assert KARIM in page and "Is my project feasible?" in page
    assert MATHILDE not in page and "paul" not in page
    assert f'href="{desk_path("desk_workload", desk.course)}?student={KARIM}"' in desk.page("desk_course", KARIM)
    CourseCoach.objects.create(course_key=desk.course, username="coach_ines")
    desk.refused("desk_workload", "coach_ines", status=403, method="get", says="Only the course")
    assert "/desk/workload/" not in desk.page("desk_course", "coach_ines")

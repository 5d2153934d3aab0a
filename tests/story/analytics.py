"""The story's analytics: a course where learners asked at every point, rated some answers low and said
others did not help, for the browser and accessibility tests of the analytics pages.

Requests at the scenario's points are asked, answered and resolved through coach_xblock.workflow. Points of
other topics (an author's points of the same workbench course) hold per-day counters of thousands of requests
(DailyStats rows, as coach_xblock.counters writes them), so the chart draws numbers of five characters. The
learner whom an answer did not help says so through that action (workflow.not_helped) and asks again.
"""
from django.utils import timezone

from coach_xblock import workflow
from coach_xblock.domain import CheckinPoint, Person
from coach_xblock.models import DailyStats

from . import answer, ask, learner_of, newcomer, resolve

COURSES = {"en": "define-your-skills-coach-check-ins", "fr": "definir-mes-competences-coach-check-ins"}
KARIM_PERSON = Person(user_id="coach_karim", display_name="coach_karim")
COMMENT = "<b>Not</b> what I asked: I wanted examples from my job."
NOT_HELPED = "Still lost; the answer was about another job."
# An author's points of other topics, with long titles, and thousands of requests asked there.
BUSY_POINTS = (
    ("job_search", "Finding a job in my new field, with a network of former colleagues", 12_000, 9_500),
    ("orientation", "Choosing between two training programmes", 2_000, 1_999),
    ("other", "Anything else about my career project", 15, 3),
)


def point_of(course, number, topic, title):
    return CheckinPoint(course_key=course, point_id=f"{course}.coach_checkin.d{number}.u0", title=title, topic=topic)


def seed(lang):
    """The course of `lang`: a low rating with a comment at its first point, a 'did not help' at its second,
    and the busy points. Returns the course id."""
    course = COURSES[lang]
    skills = point_of(course, 0, "skills", "Naming my skills")
    feasibility = point_of(course, 1, "feasibility", "Is my project feasible?")
    low = answer(ask(skills, newcomer(), token="low"), KARIM_PERSON)
    resolve(skills, learner_of(low), low, 1, COMMENT)
    helpless = answer(ask(feasibility, newcomer(), token="helpless"), KARIM_PERSON)
    workflow.not_helped(feasibility, learner_of(helpless), helpless.pk, NOT_HELPED, "ask_again")
    today = timezone.now().date()
    DailyStats.objects.bulk_create([
        DailyStats(course_key=course, point_id=f"{course}.busy-{topic}", topic=topic, day=today, asked=asked,
                   answered=asked, resolved=resolved, rating_sum=4 * resolved, rating_count=resolved,
                   waited_120=asked)
        for topic, _title, asked, resolved in BUSY_POINTS
    ])
    return course

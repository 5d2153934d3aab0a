"""The language of a coach's emails in Open edX: the one the coach chose in their account, else the course's.

A stand-in of openedx/openedx-platform (master; Ulmo and Verawood read the same), at the platform's dotted
paths in tests/plugin_project/:

- openedx/core/djangoapps/user_api/models.py, `UserPreference` (a key and a text value per user, the rows
  reached as `user.preferences`); the key of the language a person chooses in their account settings is
  openedx/core/djangoapps/lang_pref/__init__.py, `LANGUAGE_KEY = "pref-lang"` (lang_pref/api.py and
  the LMS's language middleware read it to choose the pages' language);
- xmodule/modulestore/mixed.py, `MixedModuleStore.get_course` (None for an unknown course), and
  xmodule/course_block.py, the settings field `language` ("Course Language" in Studio's Advanced
  Settings, None until the course team sets it);
- common/djangoapps/student/roles.py and models.py, as tests/platform/test_platform_course_roles.py.

Mathilde asks in two courses; the emails to their coaches are recorded with each coach's language and
written in it, subject prefix included. The script runs in a fresh interpreter of the stand-in LMS.
"""
import pytest
from test_plugin_app import run_in_project

LANGUAGES = """
    import json
    import django
    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command

    call_command("migrate", run_syncdb=True, verbosity=0)
    from common.djangoapps.student import roles
    from common.djangoapps.student.models import UserProfile
    from opaque_keys.edx.keys import CourseKey
    from openedx.core.djangoapps.user_api.models import UserPreference
    from xmodule.modulestore.django import modulestore

    from coach_xblock import identity, notifications
    from coach_xblock.domain import CheckinPoint, Person
    from coach_xblock.models import Channel, Delivery
    from story import answer, ask, reply

    CAREER, PITCH = "course-v1:Demo+Career+2026", "course-v1:Demo+Pitch+2026"
    career, pitch = CourseKey.from_string(CAREER), CourseKey.from_string(PITCH)
    modulestore().publish(career, [], language="fr")  # the course team set "Course Language" to French
    modulestore().publish(pitch, [])  # no course language
    people = {}
    for username, course, preference in (("ines", career, "en"), ("sam", career, None),
                                         ("olivia", pitch, "fr"), ("paulo", pitch, None)):
        people[username] = user = User.objects.create_user(username, f"{username}@example.org")
        UserProfile.objects.create(user=user, name=username.title())
        roles.CourseStaffRole(course).add_users(user)
        if preference:
            UserPreference.objects.create(user=user, key="pref-lang", value=preference)
    UserPreference.objects.create(user=people["sam"], key="time_zone", value="Europe/Paris")  # not a language

    mathilde = Person("mathilde-anon", "Mathilde", "mathilde@example.org", "mathilde")
    found = {"recorded": {}, "subjects": {}}
    for key, course in ((CAREER, career), (PITCH, pitch)):
        coaches = tuple(identity._open_edx_course_team(key))
        point = CheckinPoint(key, str(course.make_usage_key("coach_checkin", "skills")), "Mes compétences", "skills",
                             coaches=coaches)
        request = ask(point, mathilde)
        if key == CAREER:  # Sam answers; Mathilde's reply goes to him alone
            answer(request, next(coach for coach in coaches if coach.username == "sam"))
            reply(point, mathilde, request)
    emails = Delivery.objects.filter(channel=Channel.EMAIL).select_related("request", "message").order_by("pk")
    for delivery in emails:
        name = f"{delivery.event} {delivery.recipient.split('@')[0]}"
        found["recorded"][name] = delivery.language
        found["subjects"][name] = notifications.render_email(delivery)[0]
    print(json.dumps(found))
"""


@pytest.fixture(scope="module")
def found(tmp_path_factory):
    return run_in_project(tmp_path_factory.mktemp("languages"), LANGUAGES)


def test_a_coachs_email_is_in_the_language_of_their_account_else_the_courses_else_the_sites(found):
    assert found["recorded"] == {
        "asked ines": "en",  # her account says English, in a French course
        "asked sam": "fr",  # no choice of his own: the course's language
        "asked olivia": "fr",  # her account says French, in a course without a language
        "asked paulo": "",  # neither: the site's LANGUAGE_CODE when sent
        "answered mathilde": "en-us",  # a learner's emails: the language she asked in (the active one)
        "learner_replied sam": "fr",  # the coach who answered last, in his language
    }


def test_the_subject_and_its_prefix_are_written_in_that_language(found):
    subjects = found["subjects"]
    for french in ("asked sam", "asked olivia"):
        assert subjects[french].startswith("[Accompagnement] Mathilde demande de l"), french
        assert subjects[french].endswith("aide sur «\xa0Mes compétences\xa0»"), french
    assert subjects["learner_replied sam"].startswith("[Accompagnement] Mathilde a réagi à votre réponse")
    assert subjects["asked ines"] == subjects["asked paulo"] == "[Coaching] Mathilde asks for help at “Mes compétences”"

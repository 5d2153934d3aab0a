"""The data of the exports' tests: Mathilde's request typed like formulas, answered twice and resolved,
Paul's, someone's in another course; and the same through the workbench's handlers."""
import dataclasses
from datetime import timedelta

import pytest
from story import KARIM, MATHILDE, OTHER_COURSE, PAUL, T0, answer, ask, reply, resolve
from story.exports import AT_SUM, CMD, HYPERLINK, MINUS, PHONE

from coach_xblock.domain import Person
from coach_xblock.models import CheckinRequest


@pytest.fixture
def learners():
    """Mathilde and Paul as Open edX knows them: an anonymous id, a username, a name and an email."""
    return (
        Person(user_id="a1b2c3-mathilde", display_name="Mathilde Dupont", email="mathilde@example.org",
               username="mathilde.dupont"),
        Person(user_id="d4e5f6-paul", display_name="Paul Martin", email="paul@example.org", username="paul_m"),
    )


@pytest.fixture
def story(skills_point, feasibility_point, learners, karim, lea):
    """Mathilde's request at skills, typed like formulas, answered twice and resolved; Paul waits at
    feasibility; someone asks in another course. Returns (mathilde's, paul's) requests, reloaded."""
    mathilde, paul = learners
    mine = ask(skills_point, mathilde, token="m1", now=T0, working_on=PHONE, stuck_on=HYPERLINK, tried=MINUS,
               link="https://example.org/results")
    answer(mine, karim, AT_SUM, now=T0 + timedelta(hours=3))
    reply(skills_point, mathilde, mine, "=1+1 is what I tried next", now=T0 + timedelta(hours=4))
    answer(mine, lea, 'Good, now "group" them,\nthen rank them.', now=T0 + timedelta(hours=5))
    resolve(skills_point, mathilde, mine, 4, CMD, now=T0 + timedelta(days=1))
    pauls = ask(feasibility_point, paul, token="p1", now=T0 + timedelta(hours=1),
                working_on="Opening a bike repair shop.", tried="Counted the shops nearby.", link="",
                stuck_on="I do not know whether the town needs one more shop.")
    elsewhere = dataclasses.replace(skills_point, course_key=OTHER_COURSE, point_id="block-v1:Other+skills")
    other = ask(elsewhere, Person("anon-other", "Other Learner", username="other"), token="o1", now=T0,
                working_on="Another course", stuck_on="Stuck somewhere else entirely.", tried="Nothing", link="")
    answer(other, karim, "An answer in another course.", now=T0)
    return CheckinRequest.objects.get(pk=mine.pk), CheckinRequest.objects.get(pk=pauls.pk)


@pytest.fixture
def units(en, fr):
    """The English and French units, with requests asked in both courses through the handlers."""
    asked = en.skills.ask(MATHILDE, stuck_on=HYPERLINK)
    en.skills.answer(KARIM, asked, AT_SUM)
    en.feasibility.ask(PAUL)
    fr.skills.ask(PAUL, stuck_on="Je ne sais pas nommer mes compétences.")
    return en, fr

"""The waiting learner's poll: with the version her page shows and nothing changed, `learner_state` answers
{"unchanged": true, "version", "waiting"} from one query of ours and draws no template; anything that changes
what she sees (a claim, an answer, a message, a new status) changes the version and brings the whole panel.

Issue 13: a poll re-rendered the whole panel every 30 s and the browser threw it away when nothing changed.
"""
import pytest
from django.db import connection
from django.test.signals import template_rendered
from django.test.utils import CaptureQueriesContext
from story import KARIM, MATHILDE, PAUL

from coach_xblock import queries
from coach_xblock.models import CheckinRequest

pytestmark = pytest.mark.django_db


def poll(point, student, version):
    """A poll with `version`: its answer, the SQL on our tables it ran, the templates it drew."""
    drawn = []

    def listen(sender, template, **kwargs):
        drawn.append(template.name)

    template_rendered.connect(listen)
    try:
        with CaptureQueriesContext(connection) as captured:
            answer = point.ok("learner_state", student, {"version": version})
    finally:
        template_rendered.disconnect(listen)
    ours = [query["sql"] for query in captured.captured_queries if "coach_xblock_" in query["sql"]]
    return answer, ours, drawn


def test_nothing_new_is_said_in_one_query_without_drawing(en):
    en.skills.ask()
    shown = en.skills.ok("learner_state", MATHILDE)

    answer, ours, drawn = poll(en.skills, MATHILDE, shown["version"])

    assert answer == {"unchanged": True, "version": shown["version"], "waiting": True}
    requests = [sql for sql in ours if "coach_xblock_checkin" in sql]
    assert len(requests) == 1 and drawn == [], "one query of her requests (the other: who is a coach), no template"


@pytest.mark.parametrize("change", ["claim", "answer", "reply"])
def test_whatever_she_would_see_change_brings_the_panel(en, change):
    request_id = en.skills.ask()
    if change in ("answer", "reply"):
        en.skills.answer(KARIM, request_id)
    shown = en.skills.ok("learner_state", MATHILDE)

    if change == "claim":
        en.skills.claim(KARIM, request_id)
    elif change == "answer":
        en.skills.reply(MATHILDE, request_id)
        shown = en.skills.ok("learner_state", MATHILDE)
        en.skills.answer(KARIM, request_id, "Here is the rest.")
    else:
        en.skills.reply(MATHILDE, request_id)

    answer, _ours, drawn = poll(en.skills, MATHILDE, shown["version"])
    assert "unchanged" not in answer and answer["version"] != shown["version"]
    assert f'data-request-id="{request_id}"' in answer["html"] and "learner_panel.html" in drawn


def test_the_quick_version_is_the_panels_version(en):
    request_id = en.skills.ask()
    point_id = CheckinRequest.objects.get(pk=request_id).point_id
    steps = (lambda: None, lambda: en.skills.claim(KARIM, request_id), lambda: en.skills.answer(KARIM, request_id),
             lambda: en.skills.ok("resolve", MATHILDE, {"request_id": request_id, "rating": 4}))
    versions = set()
    for step in steps:
        step()
        full = en.skills.ok("learner_state", MATHILDE)
        assert queries.learner_version(point_id, MATHILDE) == (full["version"], full["waiting"])
        versions.add(full["version"])
    assert len(versions) == len(steps)


def test_an_old_version_or_none_brings_the_panel_and_a_version_not_text_is_refused(en):
    en.skills.ask()
    assert "html" in en.skills.ok("learner_state", MATHILDE, {"version": "0123456789abcdef"})
    assert "html" in en.skills.ok("learner_state", MATHILDE, {})
    for bad in (12, ["a"], {"v": 1}, True):
        en.skills.refused("learner_state", MATHILDE, {"version": bad}, status=400, says="version: expected text")


def test_another_learners_version_tells_her_nothing(en):
    en.skills.ask()
    mathildes = en.skills.ok("learner_state", MATHILDE)["version"]

    answer, _ours, _drawn = poll(en.skills, PAUL, mathildes)

    assert "unchanged" not in answer and answer["requests"] == []

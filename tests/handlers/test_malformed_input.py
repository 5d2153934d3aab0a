"""Malformed requests to every handler of the block, ours and inherited, through the workbench over HTTP.

Each one gets a 4xx answer with a message a person understands, and changes nothing: no request or
message row, and no setting (the workbench keeps the block's settings in its XBlockState table).
The handlers are found on the class, so that a handler added later is covered or fails the guard.
Settings are saved only by those who may edit the course: in the workbench, the block's coaches
(see identity.may_edit_settings; tests/platform/test_platform_studio_edits.py covers Studio and the LMS).
"""
import json

import pytest
from django.test import Client
from story import KARIM, MATHILDE, unchanged
from story.workbench import ENGLISH_UNIT, Point, page
from workbench.models import XBlockState

from coach_xblock.block import CoachCheckinBlock

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_workbench")]

HANDLERS = sorted(
    name for name in dir(CoachCheckinBlock) if getattr(getattr(CoachCheckinBlock, name), "_is_xblock_handler", False)
)
# Every handler of the block takes JSON (coaches work on the desk, whose forms tests/desk/ covers).
JSON_HANDLERS = HANDLERS
DEEP = "[" * 5000


def test_the_handlers_covered_here_are_all_the_handlers_of_the_block():
    assert HANDLERS == [
        "analytics", "ask", "learner_state", "not_helped", "preview_message", "reply", "resolve",
        "submit_studio_edits", "withdraw",
    ]


@pytest.fixture
def robust(client, en):
    """The English skills point, reached by a client that turns a server error into a 500 answer."""
    return Point(Client(raise_request_exception=False), en.skills.usage_id)


@pytest.fixture
def asked(robust):
    """Mathilde's open request at that point."""
    return robust.ask()


# Bodies no JSON handler can read


@pytest.mark.parametrize("student", [MATHILDE, KARIM])
def test_a_deeply_nested_body_is_answered_400_by_every_json_handler(robust, asked, student):
    for handler in JSON_HANDLERS:
        error = robust.refused(handler, student, raw=DEEP, status=400)
        assert error == "Send the fields as a JSON object.", handler


@pytest.mark.parametrize("raw", ["{not json", '{"values": ', "\ufeff{}", "[" * 500 + "]" * 500])
def test_any_unreadable_or_non_object_body_is_answered_400_by_every_json_handler(robust, asked, raw):
    for handler in JSON_HANDLERS:
        robust.refused(handler, KARIM, raw=raw, status=400)


def test_every_json_handler_answers_get_with_405_and_allows_post(robust):
    for handler in JSON_HANDLERS:
        with unchanged():
            response = robust.client.get(f"/handler/{robust.usage_id}/{handler}/?student={KARIM}")
        assert response.status_code == 405, handler
        assert response["Allow"] == "POST"
        assert response.json()["error"] == "Send this request with POST."


# Saving settings: only the course team (in the workbench, the block's coaches)


@pytest.mark.parametrize("student", [MATHILDE, "paul", ""])
def test_a_learner_cannot_save_settings_nor_make_herself_a_coach(robust, student):
    values = {"prompt": "Hacked prompt.", "coach_ids": f"coach_karim {student}", "max_open_requests": 20}
    error = robust.refused("submit_studio_edits", student, {"values": values, "defaults": []}, status=403)
    assert error == "Only the course team can change these settings."
    robust.refused("submit_studio_edits", student, {"values": {}, "defaults": ["prompt", "coach_ids"]}, status=403)
    if student:
        robust.desk.refused("desk_course", student, status=403, method="get")  # still no coach
        assert "Hacked prompt." not in page(robust.client, ENGLISH_UNIT, student)


def test_a_coach_saves_settings_and_resets_one_to_its_default(robust):
    values = {"prompt": "Name one skill first.", "max_open_requests": 2}
    assert robust.ok("submit_studio_edits", KARIM, {"values": values, "defaults": []}) == {"result": "success"}
    html = page(robust.client, ENGLISH_UNIT, MATHILDE)
    assert "Name one skill first." in html
    assert robust.ok("submit_studio_edits", KARIM, {"values": {}, "defaults": ["prompt"]}) == {"result": "success"}
    assert "Stuck on this step?" in page(robust.client, ENGLISH_UNIT, MATHILDE)


SHAPES = [
    pytest.param({}, "values", id="empty-object"),
    pytest.param({"values": {}}, "defaults", id="defaults-missing"),
    pytest.param({"defaults": []}, "values", id="values-missing"),
    pytest.param({"values": [], "defaults": []}, "values", id="values-list"),
    pytest.param({"values": "prompt", "defaults": []}, "values", id="values-string"),
    pytest.param({"values": 5, "defaults": []}, "values", id="values-number"),
    pytest.param({"values": None, "defaults": []}, "values", id="values-null"),
    pytest.param({"values": {}, "defaults": "prompt"}, "defaults", id="defaults-string"),
    pytest.param({"values": {}, "defaults": [1]}, "defaults", id="defaults-of-numbers"),
    pytest.param({"values": {}, "defaults": {"prompt": 1}}, "defaults", id="defaults-object"),
    pytest.param({"values": {"prompt": ["a", "list"]}, "defaults": []}, "Prompt: expected text.", id="text-list"),
    pytest.param({"values": {"prompt": {"a": 1}}, "defaults": []}, "Prompt: expected text.", id="text-object"),
    pytest.param({"values": {"tips": 12}, "defaults": []}, "Self-help tips: expected text.", id="text-number"),
    pytest.param({"values": {"display_name": None}, "defaults": []}, "Display name: expected text.", id="text-null"),
    pytest.param({"values": {"topic": True}, "defaults": []}, "Topic: expected text.", id="topic-bool"),
    pytest.param({"values": {"coach_ids": ["coach_karim"]}, "defaults": []}, "Coach user ids: expected text.",
                 id="coach-ids-list"),
    pytest.param({"values": {"max_open_requests": [3]}, "defaults": []},
                 "Open requests per learner: enter a whole number.", id="number-list"),
    pytest.param({"values": {"min_length": {"n": 3}}, "defaults": []},
                 "Minimum length (characters): enter a whole number.", id="number-object"),
    pytest.param({"values": {"nope": 1}, "defaults": []}, "“nope”", id="unknown-setting"),
    pytest.param({"values": {}, "defaults": ["nope"]}, "“nope”", id="unknown-default"),
    pytest.param({"values": {"prompt": "New.", "nope": 1}, "defaults": []}, "“nope”", id="unknown-beside-known"),
]


@pytest.mark.parametrize(("body", "says"), SHAPES)
def test_a_malformed_settings_save_is_answered_400_and_saves_nothing(robust, body, says):
    error = robust.refused("submit_studio_edits", KARIM, body, status=400)
    assert says in error


@pytest.mark.parametrize(
    ("values", "says"),
    [
        pytest.param({"max_open_requests": 2.5}, "Open requests per learner: enter a whole number, not “2.5”.",
                     id="float"),
        pytest.param({"max_open_requests": True}, "Open requests per learner: enter a whole number, not “true”.",
                     id="bool"),
        pytest.param({"max_open_requests": "three"}, "Open requests per learner: enter a whole number, not “three”.",
                     id="word"),
        pytest.param({"max_length": "9" * 60}, "Maximum length (characters): enter a number from 1 to 20,000, not 9",
                     id="huge"),
    ],
)
def test_a_number_the_editor_could_not_send_is_refused_by_validation_naming_field_and_value(robust, values, says):
    with unchanged():
        response = robust.post("submit_studio_edits", KARIM, {"values": values, "defaults": []})
    assert response.status_code == 400, response.content
    assert [m["text"] for m in response.json()["error"]["messages"]][0].startswith(says)


def test_a_number_sent_as_decimal_text_is_saved_as_that_number(robust):
    assert robust.ok("submit_studio_edits", KARIM, {"values": {"max_open_requests": "012"}, "defaults": []})
    assert robust.ok("learner_state", MATHILDE)["can_ask"] is True
    assert [json.loads(row["state"]).get("max_open_requests") for row in XBlockState.objects.values()].count(12) == 1

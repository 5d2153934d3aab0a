"""What the course team sees and edits: the author view, the Studio editor, and saving settings."""

import pytest
from django.test import Client
from story import KARIM, MATHILDE, unchanged
from story.workbench import Point, page

pytestmark = pytest.mark.django_db


def test_author_view_shows_the_settings_counts_and_for_the_team_where_coaches_answer(client, en, asked):
    team_view = page(client, f"{en.url}author_view/", KARIM)
    assert "Expected response time" in team_view
    assert "48 hours" in team_view
    assert "Open requests at this point" in team_view
    assert 'data-action="analytics"' in team_view, "the team chooses the period of the analytics"
    assert f'href="http://127.0.0.1:8000{en.url}"' in team_view, "coaches answer in the course"
    assert "Coach queue" not in team_view, "authoring is not where coaches answer"
    assert f'data-request-id="{asked}"' not in team_view

    learner_view = page(client, f"{en.url}author_view/", MATHILDE)
    assert "Expected response time" in learner_view
    assert "Coach queue" not in learner_view
    assert 'data-action="analytics"' not in learner_view
    assert f'data-request-id="{asked}"' not in learner_view


def test_studio_view_renders_the_editable_settings(client, en):
    html = page(client, f"{en.url}studio_view/", KARIM)
    for field in ("display_name", "prompt", "tips", "topic", "max_open_requests", "min_length", "coach_ids"):
        assert f'data-field-name="{field}"' in html
    assert "Expected response time (hours)" in html


# Studio edits


def test_studio_edit_with_valid_values_changes_the_learner_view(client, en):
    new_prompt = "New prompt: tell us which skill you cannot name yet."
    result = en.skills.ok(
        "submit_studio_edits", KARIM, {"values": {"prompt": new_prompt, "expected_response_hours": 24}, "defaults": []}
    )
    assert result == {"result": "success"}
    html = page(client, en.url, MATHILDE)
    assert new_prompt in html
    assert "A coach usually answers within 24 hours." in html


@pytest.mark.parametrize(
    "values",
    [
        pytest.param({"max_open_requests": 0}, id="max_open_requests-0"),
        pytest.param({"topic": "nope"}, id="unknown-topic"),
        pytest.param({"min_length": 300, "max_length": 200}, id="min-above-max"),
        pytest.param({"display_name": "   "}, id="blank-display-name"),
        pytest.param({"expected_response_hours": 721}, id="hours-721"),
        pytest.param({"max_length": 20001}, id="max_length-20001"),
    ],
)
def test_studio_edit_with_invalid_values_is_refused_and_changes_nothing(client, en, values):
    with unchanged():
        response = en.skills.post("submit_studio_edits", KARIM, {
            "values": {"prompt": "This prompt must not be saved.", **values}, "defaults": [],
        })
    assert response.status_code == 400, response.content
    messages = response.json()["error"]["messages"]
    assert messages
    refused = "min_length" if "min_length" in values else next(iter(values))
    assert [(m["type"], m["field"]) for m in messages] == [("error", refused)], "each error names its setting"
    html = page(client, en.url, MATHILDE)
    assert "This prompt must not be saved." not in html
    assert "You know your job but not how to name your skills?" in html


@pytest.mark.parametrize("field", ["expected_response_hours", "max_open_requests", "min_length", "max_length"])
def test_studio_edit_with_an_emptied_number_field_is_refused_with_a_message(en, field):
    studio = Point(Client(raise_request_exception=False), en.skills.usage_id)
    with unchanged():
        response = studio.post("submit_studio_edits", KARIM, {"values": {field: None}, "defaults": []})
    assert response.status_code == 400, response.status_code
    assert "enter a whole number" in str(response.json()["error"]["messages"])
    assert [m["field"] for m in response.json()["error"]["messages"]] == [field]

"""The learner's preview of a reply written in Markdown (`preview_message`): the HTML it will show as,
for a text within the point's limits; a clear 400 for anything else; never a change."""
import lxml.html
import pytest
from story import KARIM, MATHILDE, unchanged
from story.workbench import page

pytestmark = pytest.mark.django_db

MARKDOWN_REPLY = "Thanks! I **rewrote** my list:\n\n- networks\n- teaching\n\nMy CV: https://example.org/cv"


def test_the_preview_shows_the_reply_formatted_and_saves_nothing(en, answered):
    with unchanged():
        html = en.skills.ok("preview_message", MATHILDE, {"body": MARKDOWN_REPLY})["html"]
    assert "<strong>rewrote</strong>" in html
    assert "<ul>\n<li>networks</li>\n<li>teaching</li>\n</ul>" in html
    [link] = lxml.html.fragment_fromstring(html, create_parent="div").iter("a")
    assert (link.get("href"), link.get("target")) == ("https://example.org/cv", "_blank")


def test_the_preview_is_what_the_thread_shows_once_sent(client, en, answered):
    preview = en.skills.ok("preview_message", MATHILDE, {"body": MARKDOWN_REPLY})["html"]
    en.skills.reply(MATHILDE, answered, MARKDOWN_REPLY)
    assert preview in en.skills.ok("learner_state", MATHILDE)["html"]
    assert preview in en.skills.desk.page("desk_request", KARIM, request_id=answered)
    assert preview in page(client, en.url, MATHILDE)


def test_raw_html_in_a_preview_shows_as_text(en):
    html = en.skills.ok("preview_message", MATHILDE, {"body": "<script>alert(1)</script>[x](javascript:alert(2))"})
    assert html == {"html": "<p>&lt;script&gt;alert(1)&lt;/script&gt;[x](javascript:alert(2))</p>"}


@pytest.mark.parametrize("body", ["", "   \n ", None])
def test_an_empty_text_previews_as_nothing(en, body):
    assert en.skills.ok("preview_message", MATHILDE, {"body": body}) == {"html": ""}
    assert en.skills.ok("preview_message", MATHILDE, {}) == {"html": ""}


def test_a_text_at_the_points_limit_previews(en):
    assert en.skills.ok("preview_message", MATHILDE, {"body": " " + "x" * 2000 + " "})["html"] == f"<p>{'x' * 2000}</p>"


@pytest.mark.parametrize(
    ("body", "says"),
    [
        pytest.param("x" * 2001, "Your reply: write at most 2,000 characters (you wrote 2,001).", id="too-long"),
        pytest.param("x" * 30000, "write at most 2,000 characters", id="longer-than-any-message"),
        pytest.param(42, "Your reply: expected text.", id="number"),
        pytest.param(["a", "list"], "Your reply: expected text.", id="list"),
        pytest.param({"a": "dict"}, "Your reply: expected text.", id="dict"),
        pytest.param(True, "Your reply: expected text.", id="bool"),
    ],
)
def test_a_wrong_body_is_refused_with_a_clear_message(en, answered, body, says):
    en.skills.refused("preview_message", MATHILDE, {"body": body}, status=400, says=says)


def test_an_anonymous_visitor_gets_no_preview(en):
    en.skills.refused("preview_message", "", {"body": "*hello*"}, status=403)


@pytest.mark.parametrize("raw", ['["*a*"]', "{not json", '"*a*"'])
def test_a_body_that_is_not_a_json_object_is_refused(en, raw):
    en.skills.refused("preview_message", MATHILDE, raw=raw, status=400)


def test_the_preview_answers_only_post(client, en):
    response = client.get(f"/handler/{en.skills.usage_id}/preview_message/?student={MATHILDE}")
    assert response.status_code == 405

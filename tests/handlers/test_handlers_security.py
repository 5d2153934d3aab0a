"""What no handler lets through: bodies that are not a JSON object, GET, request ids of
every wrong type, another course's requests, a forged CSRF token; and every text people wrote, escaped
wherever it is shown."""
import json

import lxml.html
import pytest
from django.test import Client
from story import KARIM, MATHILDE, unchanged
from story.desk import REQUEST_ACTIONS
from story.workbench import LEARNER_ACTIONS, MISSING, ask_payload, page

from coach_xblock.models import CheckinRequest

pytestmark = pytest.mark.django_db

XSS = "<script>alert(1)</script><img src=x onerror=alert(2)>"
XSS_ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;"


def _assert_escaped(html):
    """The XSS text shows escaped, and nothing of it runs."""
    assert XSS_ESCAPED in html
    assert "<script>alert(1)" not in html
    assert "<img src=x" not in html


# Bodies that are not a JSON object, and GET


ALL_HANDLERS = [
    "learner_state",
    "ask",
    "reply",
    "withdraw",
    "resolve",
    "preview_message",
]


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param('[{"request_id": 1}]', id="list"),
        pytest.param('"a string"', id="string"),
        pytest.param("42", id="number"),
        pytest.param("null", id="null"),
        pytest.param("{not json", id="invalid-json"),
        pytest.param(b"\xff\xfe{}", id="invalid-utf8"),
    ],
)
@pytest.mark.parametrize("student", [MATHILDE, KARIM])
def test_a_body_that_is_not_a_json_object_is_refused_by_every_handler(en, asked, raw, student):
    for handler in ALL_HANDLERS:
        en.skills.refused(handler, student, raw=raw, status=400)


def test_handlers_answer_only_post(client, en):
    for handler in ALL_HANDLERS:
        with unchanged():
            response = client.get(f"/handler/{en.skills.usage_id}/{handler}/?student={KARIM}")
        assert response.status_code == 405, handler


# request_id: every wrong type, unknown ids


BAD_REQUEST_IDS = [
    pytest.param(MISSING, id="missing"),
    pytest.param(None, id="null"),
    pytest.param(True, id="true"),
    pytest.param(False, id="false"),
    pytest.param("1", id="string"),
    pytest.param(1.0, id="float"),
    pytest.param(0, id="zero"),
    pytest.param(-1, id="negative"),
    pytest.param([1], id="list"),
    pytest.param(2**63, id="beyond-int64"),
]


def _with_id(extra, request_id):
    payload = dict(extra)
    if request_id is not MISSING:
        payload["request_id"] = request_id
    return payload


@pytest.mark.parametrize("request_id", BAD_REQUEST_IDS)
@pytest.mark.parametrize("handler", sorted(LEARNER_ACTIONS))
def test_learner_actions_refuse_a_request_id_that_is_not_a_number(en, answered, handler, request_id):
    en.skills.refused(handler, MATHILDE, _with_id(LEARNER_ACTIONS[handler], request_id), status=400, says="request_id")


@pytest.mark.parametrize("unknown", [pytest.param(999, id="999"), pytest.param(2**63 - 1, id="largest-int64")])
@pytest.mark.parametrize("handler", sorted(LEARNER_ACTIONS))
def test_learner_actions_on_an_unknown_request_answer_404(en, answered, handler, unknown):
    en.skills.refused(handler, MATHILDE, {**LEARNER_ACTIONS[handler], "request_id": unknown}, status=404)


# Courses are separate


def test_a_request_of_the_french_course_is_invisible_and_untouchable_from_the_english_one(client, en, fr):
    french = fr.skills.ask(stuck_on="Je ne sais pas nommer mes compétences de technicienne réseau.")

    assert en.skills.queue_ids(status="all") == []
    assert en.feasibility.queue_ids(status="all") == []
    assert "compétences de technicienne" not in page(client, en.url, KARIM)
    for name, (method, data) in REQUEST_ACTIONS.items():
        en.skills.desk.refused(name, KARIM, data, status=404, says="in this course", method=method, request_id=french)
    for handler, payload in LEARNER_ACTIONS.items():
        en.skills.refused(handler, MATHILDE, {**payload, "request_id": french}, status=404)
    assert en.skills.ok("learner_state", MATHILDE)["requests"] == []

    # Seen from its own course, it is there.
    assert fr.feasibility.queue_ids() == [french]
    assert f"Request #{french}" in fr.skills.desk.page("desk_request", KARIM, request_id=french)


def test_a_learners_history_shown_to_coaches_stays_within_the_course(en, fr):
    fr.feasibility.ask()
    english = en.skills.ask()
    assert "None: this is their first request." in en.skills.desk.page("desk_request", KARIM, request_id=english)


# Escaping learner and coach text


def test_learner_and_coach_text_is_escaped_wherever_it_is_shown(client, en):
    earlier = en.feasibility.ask(working_on=XSS, stuck_on=XSS, tried=XSS)
    en.feasibility.withdraw(MATHILDE, earlier)
    request_id = en.skills.ask(working_on=XSS, stuck_on=XSS, tried=XSS)
    en.skills.answer(KARIM, request_id, body=XSS)
    en.skills.reply(MATHILDE, request_id, XSS)

    learner_state = en.skills.ok("learner_state", MATHILDE)
    assert learner_state["requests"][0]["stuck_on"] == XSS  # JSON carries the text as written
    _assert_escaped(learner_state["html"])
    _assert_escaped(page(client, en.url, MATHILDE))
    _assert_escaped(en.skills.desk.page("desk_course", KARIM))
    detail = en.skills.desk.page("desk_request", KARIM, request_id=request_id)
    _assert_escaped(detail)
    assert detail.count(XSS_ESCAPED) >= 6  # 3 fields, 2 thread messages, the earlier request
    coach_unit = page(client, en.url, KARIM)  # the point's summary: no learner text at all
    assert "<script>alert(1)" not in coach_unit and XSS_ESCAPED not in coach_unit

    en.skills.ok("resolve", MATHILDE, {"request_id": request_id, "rating": 2, "comment": XSS})
    _assert_escaped(en.skills.ok("learner_state", MATHILDE)["html"])
    _assert_escaped(en.skills.desk.page("desk_request", KARIM, request_id=request_id))


# Markdown that tries to smuggle a script in: links and images to javascript: or data:, raw HTML.
MARKDOWN_XSS = (
    "[a](javascript:alert(1)) ![b](javascript:alert(2)) [c](data:text/html,<script>alert(3)</script>) "
    "[d](JaVaScRiPt:alert(4)) <a href=\"javascript:alert(5)\">e</a> <img src=x onerror=alert(6)> "
    "[f][bad]\n\n[bad]: javascript:alert(7)"
)


def assert_messages_inert(html):
    """In every message of the thread, no element that runs or loads anything, no event attribute, and
    links only to http, https or mailto addresses."""
    bodies = lxml.html.document_fromstring(html).find_class("coach-body")
    assert bodies
    for body in bodies:
        for element in body.iter():
            assert element.tag in {"div", "p", "br", "em", "strong", "ul", "ol", "li", "a", "code", "pre", "blockquote"}
            assert not [name for name in element.attrib if name.startswith("on") or name in ("src", "style")]
            if element.tag == "a":
                assert element.get("href", "").split(":")[0] in ("http", "https", "mailto"), element.get("href")


def test_markdown_links_and_images_never_run_a_script_wherever_messages_are_shown(client, en):
    request_id = en.skills.ask()
    en.skills.answer(KARIM, request_id, body=MARKDOWN_XSS)
    en.skills.reply(MATHILDE, request_id, MARKDOWN_XSS)
    for html in (
        en.skills.ok("learner_state", MATHILDE)["html"],
        page(client, en.url, MATHILDE),
        en.skills.desk.page("desk_request", KARIM, request_id=request_id),
        en.skills.ok("preview_message", MATHILDE, {"body": MARKDOWN_XSS})["html"].join(
            ['<div class="coach-body">', "</div>"]
        ),
    ):
        assert_messages_inert(html)
        assert "javascript:" in html  # shown as the text it is


def test_a_learner_name_made_of_html_is_escaped_in_the_coach_queue(en):
    en.skills.ask(learner="<b>eve</b>")
    html = en.skills.desk.page("desk_course", KARIM)
    assert "&lt;b&gt;eve&lt;/b&gt;" in html
    assert "<b>eve</b>" not in html


def test_a_link_is_shown_as_written_with_its_quotes_escaped(en):
    link = 'https://example.org/a"onmouseover="alert(1)'
    request_id = en.skills.ask(link=link)
    html = en.skills.desk.page("desk_request", KARIM, request_id=request_id)
    assert 'href="https://example.org/a&quot;onmouseover=&quot;alert(1)"' in html
    assert 'onmouseover="alert' not in html


def test_author_text_is_escaped_for_learners_coaches_and_authors(client, en):
    values = {"display_name": XSS, "prompt": XSS, "tips": XSS}
    en.skills.ok("submit_studio_edits", KARIM, {"values": values, "defaults": []})
    en.skills.ask()  # the request carries the point's title into the coach queue
    for html in (
        page(client, en.url, MATHILDE),
        page(client, en.url, KARIM),
        page(client, f"{en.url}author_view/", KARIM),
        en.skills.desk.page("desk_course", KARIM),
    ):
        _assert_escaped(html)


# CSRF


def test_handlers_require_the_csrf_token_of_the_page(en):
    browser = Client(enforce_csrf_checks=True)
    url = f"/handler/{en.skills.usage_id}/ask/?student={MATHILDE}"
    body = json.dumps(ask_payload(client_token="csrf"))

    with unchanged():
        refused = browser.post(url, data=body, content_type="application/json")
    assert refused.status_code == 403
    assert CheckinRequest.objects.count() == 0

    page(browser, en.url, MATHILDE)
    token = browser.cookies["csrftoken"].value
    with unchanged():
        forged = browser.post(url, data=body, content_type="application/json", HTTP_X_CSRFTOKEN="wrong" * 7)
    assert forged.status_code == 403
    assert CheckinRequest.objects.count() == 0

    accepted = browser.post(url, data=body, content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert accepted.status_code == 200, accepted.content
    assert CheckinRequest.objects.get().learner_id == MATHILDE

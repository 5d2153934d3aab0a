"""What the emails and the webhooks say: sender, prefix and link back to the unit, texts escaped in
HTML and verbatim in text, the learner's language, a webhook body without learner text, its signature."""
import html
import json
from datetime import timedelta

import lxml.html
import pytest
from django.utils import translation
from receivers import is_genuine
from story import ANSWER, ASK, COURSE, REPLY, answer, ask
from story.outbox import (
    FROM_ADDRESS,
    FROM_NAME,
    PREFIX,
    SECRET,
    UNIT_URL,
    configured,
    deliveries,
    drain,
    email_to,
    received,
)

from coach_xblock import notifications, workflow
from coach_xblock.models import Channel

pytestmark = pytest.mark.django_db


LEARNER_TEXTS = (ASK["working_on"], ASK["stuck_on"], ASK["tried"], ASK["link"])


# ---------------------------------------------------------------- what the emails say


def test_an_email_has_the_prefix_the_sender_and_the_link_back_to_the_unit(smtp, point, mathilde_, karim_, t0):
    with configured():
        ask(point, mathilde_, now=t0)
        notifications.deliver_due(now=t0)
        delivery = email_to(karim_.email)
        subject, _text, _html = notifications.render_email(delivery)
    message = received(smtp, delivery)

    assert message.subject == subject
    assert subject.startswith(PREFIX) and "Mathilde" in subject and "“Naming my skills”" in subject
    [sender] = message.message["From"].addresses
    assert (sender.display_name, sender.addr_spec) == (FROM_NAME, FROM_ADDRESS)
    assert message.mail_from == FROM_ADDRESS
    [to] = message.message["To"].addresses
    assert (to.display_name, to.addr_spec) == ("Karim", karim_.email)
    assert message.message_id == f"<{delivery.key}@coach-xblock>"
    assert message.message["X-Coach-Event"] == "asked"
    assert "Hello Karim," in message.text
    assert f"Claim it in the coach queue: {UNIT_URL}" in message.text
    assert f'<a href="{html.escape(UNIT_URL)}"' in message.html
    assert "Hello Karim," in message.html


def test_the_learner_sees_the_link_back_to_the_unit_in_both_parts(smtp, point, mathilde_, karim_, t0):
    with configured():
        answer(ask(point, mathilde_, now=t0), karim_, now=t0)
        notifications.deliver_due(now=t0)
    [message] = smtp.to(mathilde_.email)
    assert message.subject.startswith(PREFIX) and "“Naming my skills”" in message.subject
    assert f"Read it, reply or mark it resolved: {UNIT_URL}" in message.text
    assert f'<a href="{html.escape(UNIT_URL)}"' in message.html


SCRIPT = "My CV says <script>alert('x')</script> & \"IT trainer\": how do I name <b>skills</b>?"


def test_texts_people_wrote_are_escaped_in_html_and_verbatim_in_text(smtp, point, mathilde_, karim_, lea_, t0):
    with configured():
        request = ask(point, mathilde_, now=t0, stuck_on=SCRIPT)
        answer(request, lea_, body=f"Answer: {SCRIPT}", now=t0)
        workflow.learner_reply(point, mathilde_, request.pk, f"Reply: {SCRIPT}", now=t0)
        notifications.deliver_due(now=t0)

    [asked] = smtp.to(karim_.email)
    [answered] = smtp.to(mathilde_.email)
    replied = smtp.to(lea_.email)[-1]
    for message, text in ((asked, SCRIPT), (answered, f"Answer: {SCRIPT}"), (replied, f"Reply: {SCRIPT}")):
        assert text in message.text
        assert "<script>" not in message.html and "<b>skills" not in message.html
        assert "&lt;script&gt;" in message.html and "&lt;b&gt;skills&lt;/b&gt;" in message.html
        document = lxml.html.document_fromstring(message.html)
        assert text in document.text_content()  # a reader sees the text as written ...
        assert not document.xpath("//script | //b")  # ... and none of it is HTML
    # The request's fields are escaped by Django (quotes too); the messages, written in Markdown, by
    # formatting.to_html (quotes need no escaping outside attributes).
    assert html.escape(SCRIPT) in asked.html


MARKDOWN = (
    "**Well done.** Next:\n\n- read https://example.org/guide\n- [your CV](javascript:alert(1))\n\n"
    "![tracker](https://example.org/pixel.png) <img src=x onerror=alert(2)>"
)


def test_messages_in_markdown_are_formatted_in_html_and_as_written_in_text(smtp, point, mathilde_, karim_, lea_, t0):
    with configured():
        request = ask(point, mathilde_, now=t0)
        answer(request, lea_, body=MARKDOWN, now=t0)
        workflow.learner_reply(point, mathilde_, request.pk, MARKDOWN, now=t0)
        notifications.deliver_due(now=t0)

    for message in (smtp.to(mathilde_.email)[-1], smtp.to(lea_.email)[-1]):
        assert MARKDOWN in message.text
        [quote] = lxml.html.document_fromstring(message.html).iter("blockquote")
        assert quote.find("p/strong").text == "Well done."
        items = [li.text_content() for li in quote.iter("li")]
        assert items == ["read https://example.org/guide", "[your CV](javascript:alert(1))"]
        assert [(a.get("href"), a.get("target"), a.get("rel")) for a in quote.iter("a")] == [
            ("https://example.org/guide", "_blank", "noopener noreferrer nofollow ugc"),
            ("https://example.org/pixel.png", "_blank", "noopener noreferrer nofollow ugc"),
        ]
        assert "<img" not in message.html and "onerror=alert(2)" in quote.text_content()


MULTILINE = "First, my job: network technician.\nSecond, my goal: IT trainer.\n\nWhere do I start?"


def test_the_learner_line_breaks_survive_in_the_coach_email(smtp, point, mathilde_, karim_, t0):
    with configured():
        ask(point, mathilde_, now=t0, stuck_on=MULTILINE)
        notifications.deliver_due(now=t0)
    [message] = smtp.to(karim_.email)
    assert "network technician.\nSecond" in message.text
    assert "network technician.<br>Second" in message.html


def test_a_learner_who_asked_in_french_reads_the_answer_email_in_french(smtp, point, mathilde_, karim_, t0):
    with configured():
        with translation.override("fr"):
            request = ask(point, mathilde_, now=t0)
        answer(request, karim_, now=t0)  # the coach works in English
        notifications.deliver_due(now=t0)
    assert request.language == "fr"
    assert email_to(mathilde_.email).language == "fr"
    assert email_to(karim_.email).language == ""  # the coaches' emails: the site's language
    [message] = smtp.to(mathilde_.email)
    assert '<html lang="fr">' in message.html
    assert "Bonjour Mathilde," in message.text and "Bonjour Mathilde," in message.html
    for english in ("A coach answered you", "answered your request", "Read it, reply or mark it resolved", "Hello"):
        assert english not in message.subject + message.text + message.html
    [to_coach] = smtp.to(karim_.email)
    assert "Hello Karim," in to_coach.text


def test_an_answer_email_delayed_by_retries_still_tells_its_own_answer(smtp, point, mathilde_, karim_, lea_, t0):
    smtp.stop()  # the first answer's email cannot leave yet
    with configured(DELIVERY_RETRY_BASE_SECONDS=60):
        request = answer(ask(point, mathilde_, now=t0), karim_, body="First answer, by Karim.", now=t0)
        notifications.deliver_due(now=t0)
        workflow.learner_reply(point, mathilde_, request.pk, REPLY, now=t0 + timedelta(seconds=10))
        # Léa answers once the hour kept for Karim on the follow-up is over (domain.FOLLOWUP_PRIORITY).
        answer(request, lea_, body="Second answer, by Léa.", now=t0 + timedelta(hours=1, seconds=20))
        smtp.start()
        drain(t0 + timedelta(hours=1, minutes=5), timedelta(minutes=1))
    first, second = deliveries(channel=Channel.EMAIL, recipient=mathilde_.email)
    assert "Second answer, by Léa." in received(smtp, second).text
    assert "First answer, by Karim." in received(smtp, first).text
    assert "Karim answered your request" in received(smtp, first).text


# ---------------------------------------------------------------- what the webhooks say


def test_the_webhook_body_carries_the_event_and_no_learner_text(smtp, hook, point, mathilde_, karim_, t0):
    statuses = []
    with configured(hook):
        request = ask(point, mathilde_, now=t0, stuck_on=SCRIPT)
        statuses.append(request.status)
        notifications.deliver_due(now=t0)
        request = answer(request, karim_, now=t0)
        statuses.append(request.status)
        notifications.deliver_due(now=t0)
        request = workflow.learner_reply(point, mathilde_, request.pk, REPLY, now=t0)
        statuses.append(request.status)
        notifications.deliver_due(now=t0)

    private = (*LEARNER_TEXTS[:1], *LEARNER_TEXTS[2:], SCRIPT, "alert", ANSWER, "your verbs", REPLY,
               "incident diagnosis", mathilde_.display_name, mathilde_.email, karim_.email)
    webhooks = deliveries(channel=Channel.WEBHOOK)
    assert [d.event for d in webhooks] == ["asked", "answered", "learner_replied"]
    assert statuses == ["open", "answered", "open"]
    for delivery, status in zip(webhooks, statuses, strict=True):
        accepted = hook.accepted[str(delivery.key)]
        body = json.loads(accepted.raw_body)
        assert {key: body[key] for key in ("event", "delivery_id", "request_id", "course_key", "status")} == {
            "event": delivery.event, "delivery_id": str(delivery.key), "request_id": request.pk,
            "course_key": COURSE, "status": status,
        }
        assert body["point_id"] == point.point_id and body["unit_url"] == UNIT_URL
        assert accepted.key == body["delivery_id"] and accepted.event == delivery.event
        raw = accepted.raw_body.decode()
        for text in private:
            assert text not in raw and json.dumps(text)[1:-1] not in raw
        for field in ("working_on", "stuck_on", "tried", "link", "learner_name", "learner_email", "messages"):
            assert field not in body
        assert not set(notifications.webhook_body(delivery)) & {"working_on", "stuck_on", "tried", "link"}
    assert hook.bad_signatures == []


def test_the_signature_is_the_hmac_the_readme_tells_receivers_to_check(smtp, hook, point, mathilde_, t0):
    with configured(hook):
        ask(point, mathilde_, now=t0)
        notifications.deliver_due(now=t0)
    [hit] = hook.hits
    assert hit.headers["Content-Type"] == "application/json"
    assert hit.headers["X-Coach-Signature"] == notifications.sign(hit.raw_body, SECRET)
    assert is_genuine(hit.raw_body, hit.headers["X-Coach-Signature"], SECRET)
    assert not is_genuine(hit.raw_body, hit.headers["X-Coach-Signature"], "another secret")
    assert not is_genuine(hit.raw_body + b" ", hit.headers["X-Coach-Signature"], SECRET)

"""Everything at once, under faults: over 500 events, each notification arriving exactly once."""
import time
from datetime import timedelta

import pytest
from receivers import is_genuine
from story import COURSE, answer, ask
from story.outbox import SECRET, configured, deliveries, drain, message_id

from coach_xblock import notifications, workflow
from coach_xblock.domain import Person
from coach_xblock.models import Channel, Delivery, DeliveryStatus

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------- everything at once, under faults


@pytest.mark.slow
def test_over_500_events_through_every_fault_each_notification_arrives_exactly_once(
    smtp, hook_down, point, karim_, lea_, t0
):
    started = time.monotonic()
    hook = hook_down
    step = timedelta(seconds=8)
    clock = [t0]
    coaches = (karim_, lea_)
    learners = [Person(f"anon-{i:03d}", f"Learner {i}", f"learner{i:03d}@learners.example") for i in range(300)]
    requests, events, errors_seen = {}, [], {}

    def tick():
        clock[0] += step
        return clock[0]

    def asks(numbers):
        for i in numbers:
            requests[i] = ask(point, learners[i], token=f"t-{i}", now=tick(),
                              stuck_on=f"Learner {i} is stuck: <script>secret-{i}</script> naming skills.")
            events.append(("asked", i))

    def answers(numbers):
        for i in numbers:
            requests[i] = answer(requests[i], coaches[i % 2], body=f"Coach answer {i}: private-{i}", now=tick())
            events.append(("answered", i))

    def replies(numbers):
        for i in numbers:
            requests[i] = workflow.learner_reply(point, learners[i], requests[i].pk, f"Reply {i}: private-{i}",
                                                 now=tick())
            events.append(("learner_replied", i))

    def rounds(count, fault, expected_error):
        """Delivery rounds under `fault`; check the fault was met: some delivery waits with that error."""
        for _round in range(count):
            notifications.deliver_due(now=tick(), limit=10_000)
        waiting = Delivery.objects.filter(status=DeliveryStatus.PENDING, last_error__contains=expected_error)
        errors_seen[fault] = waiting.count()
        assert errors_seen[fault], f"the fault '{fault}' was never met"

    for i in range(0, 300, 10):  # one learner in ten turned the answer emails off
        workflow.set_email_preferences(COURSE, learners[i], answer_emails=False, reminder_emails=True)

    with configured(hook, DELIVERY_MAX_ATTEMPTS=1000, DELIVERY_RETRY_BASE_SECONDS=1,
                    DELIVERY_RETRY_MAX_SECONDS=step.seconds, WEBHOOK_TIMEOUT_SECONDS=0.5):
        # 1. The webhook receiver is down.
        asks(range(0, 60))
        answers(range(0, 20))
        rounds(2, "webhook receiver down", "ConnectionError: ")
        # 2. It is up, but answers 500.
        hook.start()
        hook.fail_status = 500
        asks(range(60, 120))
        answers(range(20, 50))
        replies(range(0, 10))
        rounds(2, "webhook answers 500", "HTTPError: 500 Server Error")
        # 3. It answers, but the first few answers come after the timeout (though it processed them).
        hook.fail_status = None
        hook.slow_next, hook.slow_seconds = 4, 1.5
        asks(range(120, 180))
        answers(range(50, 80))
        rounds(1, "webhook slower than the timeout", "ReadTimeout: ")
        # 4. The SMTP server refuses: 554 on DATA, then 550 on RCPT.
        smtp.refuse = "data"
        asks(range(180, 240))
        answers(range(80, 110))
        replies(range(10, 30))
        rounds(2, "SMTP 554 on DATA", "SMTPDataError: (554")
        smtp.refuse = "rcpt"
        rounds(1, "SMTP 550 on RCPT", "(550, b'5.1.1")
        # 5. The SMTP server is down.
        smtp.stop()
        asks(range(240, 300))
        answers(range(110, 150))
        replies(range(30, 50))
        rounds(2, "SMTP down", "ConnectionRefusedError: ")
        # Every fault cleared: rounds until nothing is pending.
        smtp.refuse = None
        smtp.start()
        drain(tick(), step)

    everything = deliveries()
    emails = [d for d in everything if d.channel == Channel.EMAIL]
    webhooks = [d for d in everything if d.channel == Channel.WEBHOOK]
    print(f"\n{len(events)} events, {len(everything)} deliveries ({len(emails)} emails, {len(webhooks)} webhooks), "
          f"{len(hook.hits)} HTTP requests, {sum(hook.duplicates.values())} duplicates deduped, "
          f"faults met: {errors_seen}, {time.monotonic() - started:.1f} s")

    assert len(events) >= 500 and len(everything) >= 500
    # Who: 2 coaches + 1 webhook per ask; the learner (unless opted out) + 1 webhook per answer;
    # the coach who answered + 1 webhook per reply.
    opted_out = sum(1 for _event, i in events if _event == "answered" and i % 10 == 0)
    assert len(everything) == 3 * 300 + 2 * 150 - opted_out + 2 * 50
    assert len(webhooks) == len(events)

    # Every delivery sent, after retries.
    assert {d.status for d in everything} == {DeliveryStatus.SENT}
    assert max(d.attempts for d in everything) > 1

    # Every email arrived exactly once, to its recipient, and nothing else arrived.
    assert smtp.message_ids() == {message_id(d): 1 for d in emails}
    by_id = {m.message_id: m for m in smtp.messages}
    for delivery in emails:
        message = by_id[message_id(delivery)]
        assert message.rcpt_tos == [delivery.recipient]
        assert message.message["X-Coach-Event"] == delivery.event

    # Every webhook key arrived and was processed exactly once, signed, carrying its event.
    assert hook.bad_signatures == []
    assert all(is_genuine(hit.raw_body, hit.headers.get("X-Coach-Signature"), SECRET) for hit in hook.hits)
    assert sorted(hook.accepted) == sorted(str(d.key) for d in webhooks)
    for delivery in webhooks:
        accepted = hook.accepted[str(delivery.key)]
        assert accepted.event == accepted.body["event"] == delivery.event
        assert accepted.body["delivery_id"] == str(delivery.key)
        assert accepted.body["request_id"] == delivery.request_id
    # Duplicates at the HTTP level: only the slow answers' retries, each deduped by its key.
    assert len(hook.slow_keys) == 4
    assert hook.duplicates == {key: 1 for key in hook.slow_keys}
    # No learner or coach text in any webhook that left.
    assert not [hit for hit in hook.hits if b"secret-" in hit.raw_body or b"private-" in hit.raw_body]

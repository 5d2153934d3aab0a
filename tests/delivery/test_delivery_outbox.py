"""The outbox itself: failed deliveries sent again from the admin, a sent one never again, a leased
one left to its worker; deliveries written in the transaction of the action, and none for a refused action."""
from datetime import timedelta

import pytest
from django.db import transaction
from story import ANSWER, COURSE, REPLY, ask, reachable, refused, reload, unchanged
from story.outbox import SECRET, configured, deliveries, email_to, message_id

from coach_xblock import notifications, workflow
from coach_xblock.domain import Conflict
from coach_xblock.models import Channel, CheckinRequest, Delivery, DeliveryStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client, django_user_model):
    """The Django test client, logged in as a superuser."""
    client.force_login(django_user_model.objects.create_superuser("admin", "admin@example.com", "pw"))
    return client


CHANGELIST = "/admin/coach_xblock/delivery/"


def test_a_failed_delivery_shows_in_the_admin_and_is_sent_again_from_it(
    smtp, hook, superuser_client, point, mathilde_, karim_, lea_, paul, t0
):
    hook.fail_status, smtp.refuse = 500, "data"
    with configured(hook, DELIVERY_MAX_ATTEMPTS=1):
        ask(point, mathilde_, now=t0)
        notifications.deliver_due(now=t0)
        assert {d.status for d in deliveries()} == {DeliveryStatus.FAILED}
        hook.fail_status, smtp.refuse = None, None
        ask(point, reachable("paul"), now=t0)
        notifications.deliver_due(now=t0)
        sent = deliveries(status=DeliveryStatus.SENT)
        assert len(sent) == 3

        page = superuser_client.get(CHANGELIST, {"status__exact": "failed"})
        assert page.status_code == 200
        content = page.content.decode()
        assert "SMTPDataError: (554" in content
        assert "HTTPError: 500 Server Error" in content
        assert karim_.email in content and lea_.email in content
        failed = deliveries(status=DeliveryStatus.FAILED)
        for delivery in failed:
            assert f'name="_selected_action" value="{delivery.pk}"' in content
        for delivery in sent:
            assert f'name="_selected_action" value="{delivery.pk}"' not in content

        sent_rows = Delivery.objects.filter(pk__in=[d.pk for d in sent]).order_by("pk").values
        sent_before = list(sent_rows())
        response = superuser_client.post(
            CHANGELIST, {"action": "send_again", "_selected_action": [d.pk for d in failed + sent]}
        )
        assert response.status_code == 302
        assert "3 deliveries will be sent again." in superuser_client.get(response.url).content.decode()
        assert [(d.status, d.attempts) for d in deliveries(pk__in=[d.pk for d in failed])] == [
            (DeliveryStatus.PENDING, 0)
        ] * 3
        assert list(sent_rows()) == sent_before  # sent ones: untouched
        assert notifications.deliver_due() == 3  # the admin resends for "now", the real clock

    assert {d.status for d in deliveries()} == {DeliveryStatus.SENT}
    assert smtp.message_ids() == {message_id(d): 1 for d in deliveries(channel=Channel.EMAIL)}
    assert sorted(hook.accepted) == sorted(str(d.key) for d in deliveries(channel=Channel.WEBHOOK))
    assert not hook.duplicates
    assert not superuser_client.get(CHANGELIST, {"status__exact": "failed"}).context["cl"].result_count


def test_a_sent_delivery_is_never_sent_again(smtp, hook, point, mathilde_, t0):
    with configured(hook):
        ask(point, mathilde_, now=t0)
        assert notifications.deliver_due(now=t0) == 3
        with unchanged():
            assert notifications.resend(Delivery.objects.all(), now=t0) == 0
        with unchanged():
            for later in (timedelta(0), timedelta(hours=1), timedelta(days=30)):
                assert notifications.deliver_due(now=t0 + later) == 0
    assert len(smtp.messages) == 2 and len(hook.hits) == 1


def test_a_leased_delivery_is_skipped_until_its_lease_runs_out(smtp, point, mathilde_, karim_, lea_, t0):
    with configured(DELIVERY_LEASE_SECONDS=300):
        ask(point, mathilde_, now=t0)
        delivery = email_to(karim_.email)
        assert notifications._lease(delivery.pk, t0)  # another worker took it and is sending it
        assert not notifications._lease(delivery.pk, t0)  # ... so a second one cannot
        assert notifications.deliver_due(now=t0) == 1  # the other coach's email only
        assert notifications.deliver_due(now=t0 + timedelta(seconds=299)) == 0
        assert reload(delivery).attempts == 0
        assert [m.rcpt_tos for m in smtp.messages] == [[lea_.email]]
        # The other worker died without a word: once its lease ran out, the delivery is due again.
        assert notifications.deliver_due(now=t0 + timedelta(seconds=300)) == 1
    assert reload(delivery).status == DeliveryStatus.SENT
    assert smtp.message_ids()[message_id(delivery)] == 1


# ---------------------------------------------------------------- the outbox and the transaction


def test_a_rolled_back_ask_leaves_neither_the_request_nor_its_deliveries(point, mathilde_, t0):
    class Abort(Exception):
        pass

    with configured(WEBHOOKS=[{"url": "http://127.0.0.1:9/hook", "secret": SECRET}]):
        with pytest.raises(Abort), transaction.atomic():
            request = ask(point, mathilde_, now=t0)
            assert Delivery.objects.filter(request=request).count() == 3  # written with the request...
            raise Abort
    assert not CheckinRequest.objects.exists()  # ... and gone with it
    assert not Delivery.objects.exists()


def test_a_refused_action_writes_no_delivery(smtp, point, mathilde_, karim_, lea_, t0):
    with configured():
        request = ask(point, mathilde_, token="first", now=t0)
        assert Delivery.objects.count() == 2
        with unchanged():
            assert ask(point, mathilde_, token="first", now=t0).pk == request.pk  # a double click: no second ask
        with refused(Conflict):
            ask(point, mathilde_, token="second", now=t0)  # beyond max_open_requests
        with refused(Conflict):
            workflow.coach_reply(COURSE, request.pk, karim_, ANSWER, now=t0)  # not claimed
        workflow.claim_request(COURSE, request.pk, karim_, now=t0)
        with refused(Conflict):
            workflow.coach_reply(COURSE, request.pk, lea_, ANSWER, now=t0)  # Karim's claim
        with refused(Conflict):
            workflow.learner_reply(point, mathilde_, request.pk, REPLY, now=t0)  # not answered yet
        assert Delivery.objects.count() == 2

"""What the workflow's actions share: checking what people send, finding a request, writing a message."""
from urllib.parse import urlparse

from .. import notifications
from ..domain import Conflict, Forbidden, InvalidInput, NotFound, no_request_in_course
from ..i18n import gettext as _
from ..i18n import number
from ..models import CheckinMessage, CheckinRequest

# The columns of a coach's claim, as an UPDATE leaves them when the claim ends.
NO_CLAIM = {"claimed_by": "", "claimed_by_name": "", "claim_expires_at": None}


def checked_text(value, label, *, max_length, min_length=1, required=True):
    """`value` stripped, or InvalidInput naming the field `label`."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise InvalidInput(_("{field}: expected text.").format(field=label))
    value = value.strip()
    if not value:
        if required:
            raise InvalidInput(_("{field}: this field is required.").format(field=label))
        return value
    if len(value) < min_length:
        raise InvalidInput(
            _("{field}: write at least {min} characters (you wrote {count}).").format(
                field=label, min=number(min_length), count=number(len(value))
            )
        )
    if len(value) > max_length:
        raise InvalidInput(
            _("{field}: write at most {max} characters (you wrote {count}).").format(
                field=label, max=number(max_length), count=number(len(value))
            )
        )
    return value


def checked_link(value, max_length):
    """An optional http(s) link of at most `max_length` characters, or InvalidInput."""
    link = checked_text(value, _("Link"), max_length=max_length, required=False)
    if link:
        try:
            parsed = urlparse(link)
            valid = parsed.scheme in ("http", "https") and bool(parsed.hostname)
        except ValueError:
            valid = False
        if not valid:
            raise InvalidInput(_("Link: enter a full web address starting with http:// or https://."))
    return link


def coach_request(course_key, request_id):
    """The request `request_id` of the course, or NotFound."""
    request = CheckinRequest.objects.filter(course_key=course_key, pk=request_id).first()
    if request is None:
        raise no_request_in_course(request_id)
    return request


def learner_request(point_id, learner, request_id):
    """The learner's own request `request_id` at this point, or NotFound / Forbidden."""
    request = CheckinRequest.objects.filter(point_id=point_id, pk=request_id).first()
    if request is None:
        raise NotFound(_("There is no request #{id} at this check-in.").format(id=request_id))
    if request.learner_id != learner.user_id:
        raise Forbidden(_("This request belongs to another learner."))
    return request


def add_message(request, role, author, body, now, event):
    """Write `author`'s message (`role`) in the thread of `request` and the notifications of `event` it
    causes, which quote it; call inside the transaction of the change. Returns the message."""
    message = CheckinMessage.objects.create(
        request=request, author_role=role, author_id=author.user_id, author_name=author.display_name, body=body,
        created_at=now,
    )
    request.refresh_from_db()
    notifications.record(request, event, now, message=message)
    return message


def as_changed(request, changed, refusal):
    """`request` as the action's conditional UPDATE left it; Conflict with `refusal`, naming the request's
    {id} and its {status} now, when that UPDATE changed nothing (a request under review says so instead)."""
    request.refresh_from_db()
    if not changed and request.is_under_review():
        raise Conflict(_("A coach reported request #{id}; the course team is reviewing it. You cannot add to it "
                         "meanwhile.").format(id=request.pk))
    if not changed:
        raise Conflict(refusal.format(id=request.pk, status=request.get_status_display()))
    return request

"""Tracking events: one for each change of a request's state, for Open edX analytics.

Open edX learns what happens in a course from its tracking log (read by Aspects and by the
platform's own reports). An XBlock writes to it with `runtime.publish(block, name, data)`: in the
LMS the platform adds the course and the user to the event (xmodule/services.py,
EventPublishingService.publish). The timers run outside any block (a Celery task or a command):
their events go to the platform's tracker directly (event-tracking's `tracker.emit`, as the
platform's own tasks do), or to the log where there is no tracker (the workbench).

Every event carries ids, the check-in point, the topic and the request's status; never a word a
learner or a coach wrote. The moderation of a course (a coach reports a request, the course team dismisses
or upholds the report, blocks or unblocks a learner) has events of its own, under MODERATION_PREFIX, sent
from the coach desk to the platform's tracker: ids only, never the reason written.
"""
import json
import logging

log = logging.getLogger(__name__)

PREFIX = "coach_checkin.request."
ASKED = "asked"
CLAIMED = "claimed"
RELEASED = "released"
ANSWERED = "answered"
REPLIED = "replied"
RESOLVED = "resolved"
WITHDRAWN = "withdrawn"
CLOSED = "closed"
NOT_HELPED = "not_helped"  # the learner said the coaching did not help (the status says whether asked again)
ACTIONS = (ASKED, CLAIMED, RELEASED, ANSWERED, REPLIED, RESOLVED, WITHDRAWN, CLOSED, NOT_HELPED)

MODERATION_PREFIX = "coach_checkin.moderation."
REPORTED = "reported"
DISMISSED = "dismissed"
UPHELD = "upheld"
BLOCKED = "blocked"
UNBLOCKED = "unblocked"
MODERATION_ACTIONS = (REPORTED, DISMISSED, UPHELD, BLOCKED, UNBLOCKED)


def name_of(action):
    """The event name of `action` in the tracking log."""
    return PREFIX + action


def event_data(request, **extra):
    """What an event says of `request`: ids, point, topic, status, and `extra` (numbers, flags)."""
    return {
        "request_id": request.pk,
        "course_id": request.course_key,
        "point_id": request.point_id,
        "topic": request.topic,
        "status": str(request.status),
        "learner_id": request.learner_id,
        **extra,
    }


def _platform_tracker():
    """event-tracking's default tracker, as Open edX registers it; None outside Open edX."""
    try:
        from eventtracking import tracker
    except ImportError:
        return None
    try:
        return tracker.get_tracker()
    except KeyError:  # installed, but no tracker registered (not an Open edX process)
        return None


def _emit(name, course_key, data):
    """Send one event to the platform's tracker, or to the log without one."""
    platform_tracker = _platform_tracker()
    if platform_tracker is None:
        log.info("%s %s", name, json.dumps(data, sort_keys=True))
        return
    with platform_tracker.context(name, {"course_id": course_key}):
        platform_tracker.emit(name, data)


def to_tracker(action, request, **extra):
    """Emit an event outside any block: to the platform's tracker, or to the log without one."""
    _emit(name_of(action), request.course_key, event_data(request, **extra))


def moderation_to_tracker(action, course_key, learner_id, actor_id, request=None):
    """Emit the moderation event `action` (one of MODERATION_ACTIONS) of the course: the learner's and the
    actor's ids, and the request's (ids, point, topic, status) when it concerns one; never the reason."""
    data = event_data(request) if request is not None else {"course_id": course_key, "learner_id": learner_id}
    _emit(MODERATION_PREFIX + action, course_key, {**data, "actor_id": actor_id})


def from_block(block):
    """A publisher for the workflow that sends events through `block`'s runtime."""

    def publish(action, request, **extra):
        block.runtime.publish(block, name_of(action), event_data(request, **extra))

    return publish

"""Read side of a course's moderation, for the coach desk: the reports waiting for the course team, the
learners it blocked, the record of every step, and whether a learner may ask (as plain data).

Each function costs a fixed number of SQL queries whatever the number of rows.
"""
from .domain import RequestStatus
from .models import CheckinRequest, LearnerBlock, ModerationAction, ModerationRecord

HISTORY_LIMIT = 50  # the latest steps the moderation page lists
RECORD_FIELDS = ("id", "learner_id", "learner_name", "learner_username", "request_id", "action", "actor_id",
                 "actor_name", "reason", "created_at")
BLOCK_FIELDS = ("learner_id", "learner_name", "learner_username", "reason", "blocked_by_name", "blocked_at")


def _labelled(record):
    return {**record, "action_label": ModerationAction(record["action"]).label}


def is_blocked(course_key, learner_id):
    """Whether the course team blocked the learner from asking in the course (1 query)."""
    return LearnerBlock.objects.filter(course_key=course_key, learner_id=learner_id).exists()


def block_of(course_key, learner_id):
    """The learner's block in the course as plain data (who, when, why), or None (1 query)."""
    return LearnerBlock.objects.filter(course_key=course_key, learner_id=learner_id).values(*BLOCK_FIELDS).first()


def blocked_learners(course_key):
    """The learners blocked in the course, the latest first: who, by whom, when, why (1 query)."""
    return list(LearnerBlock.objects.filter(course_key=course_key).order_by("-blocked_at", "-id").values(*BLOCK_FIELDS))


def latest_report(course_key, request_id):
    """The last report of the request (who reported it, when, why), or None (1 query)."""
    found = ModerationRecord.objects.filter(
        course_key=course_key, request_id=request_id, action=ModerationAction.REPORTED
    ).order_by("-created_at", "-id")
    record = found.values(*RECORD_FIELDS).first()
    return _labelled(record) if record else None


def pending_reports(course_key):
    """The course's requests under review, the longest waiting first, each with its last report (2 queries)."""
    requests = list(
        CheckinRequest.objects.filter(course_key=course_key, status=RequestStatus.UNDER_REVIEW)
        .order_by("created_at", "id").only("id", "learner_name", "point_title", "created_at", "status")
    )
    reports = {}
    for record in (
        ModerationRecord.objects.filter(request_id__in=[r.pk for r in requests], action=ModerationAction.REPORTED)
        .order_by("created_at", "id").values(*RECORD_FIELDS)
    ):
        reports[record["request_id"]] = _labelled(record)
    return [{"request": request, "report": reports.get(request.pk)} for request in requests]


def request_records(course_key, request_id):
    """Every moderation step about the request, oldest first (1 query)."""
    found = ModerationRecord.objects.filter(course_key=course_key, request_id=request_id)
    return [_labelled(record) for record in found.order_by("created_at", "id").values(*RECORD_FIELDS)]


def course_records(course_key, limit=HISTORY_LIMIT):
    """The course's latest moderation steps, newest first (1 query)."""
    found = ModerationRecord.objects.filter(course_key=course_key).order_by("-created_at", "-id")
    return [_labelled(record) for record in found.values(*RECORD_FIELDS)[:limit]]

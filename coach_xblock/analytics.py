"""The counters behind author analytics, kept up to date by the workflow in its own transactions.

Times to the first coach answer are kept as a histogram of fixed buckets, one DailyStats column
each: the median and the 90th percentile are read as "answered within <bucket>", which is how
people say it anyway.
"""
from datetime import UTC

from django.db.models import F

from .models import LONGER, WAIT_BUCKETS, DailyStats, wait_field


def wait_bucket(seconds):
    """The bucket (upper bound in minutes, or LONGER) of a wait of `seconds`."""
    minutes = seconds / 60
    return next((bound for bound in WAIT_BUCKETS if minutes <= bound), LONGER)


def lock_point_day(course_key, point_id, topic, when):
    """The counters row of a point on the day of `when`, made if missing, locked until the transaction ends."""
    row, _created = DailyStats.objects.select_for_update().get_or_create(
        course_key=course_key, point_id=point_id, day=when.astimezone(UTC).date(), defaults={"topic": topic}
    )
    return row


def _row(request):
    """The locked counters row of the request's point and ask day."""
    return lock_point_day(request.course_key, request.point_id, request.topic, request.created_at)


def count_asked(request):
    """A request was asked."""
    DailyStats.objects.filter(pk=_row(request).pk).update(asked=F("asked") + 1)


def count_first_answer(request, now):
    """A request got its first coach answer at `now`."""
    field = wait_field(wait_bucket((now - request.created_at).total_seconds()))
    DailyStats.objects.filter(pk=_row(request).pk).update(answered=F("answered") + 1, **{field: F(field) + 1})


def count_resolved(request, rating):
    """A request was resolved with `rating`."""
    DailyStats.objects.filter(pk=_row(request).pk).update(
        resolved=F("resolved") + 1, rating_sum=F("rating_sum") + rating, rating_count=F("rating_count") + 1
    )


def percentile_bucket(histogram, share):
    """The bucket (minutes, LONGER, or None without data) under which `share` of the waits fall."""
    total = sum(histogram.values())
    if not total:
        return None
    seen = 0
    for bound in (*WAIT_BUCKETS, LONGER):
        seen += histogram.get(str(bound), 0)
        if seen >= share * total:
            return bound
    return LONGER

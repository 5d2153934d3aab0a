"""The counters behind author analytics, kept up to date by the workflow in its own transactions.

Times to the first coach answer are kept as a histogram of fixed buckets: the median and the
90th percentile are read as "answered within <bucket>", which is how people say it anyway.
"""
from datetime import UTC

from django.db.models import F

from .models import DailyStats

# Upper bounds of the buckets, in minutes: 15 min ... 2 weeks, then "longer".
WAIT_BUCKETS = (15, 30, 60, 120, 180, 240, 360, 480, 720, 960, 1440, 2160, 2880, 4320, 5760, 7200, 10080, 20160)
LONGER = 0  # the bucket of waits beyond the last bound


def wait_bucket(seconds):
    """The bucket (upper bound in minutes, or LONGER) of a wait of `seconds`."""
    minutes = seconds / 60
    return next((bound for bound in WAIT_BUCKETS if minutes <= bound), LONGER)


def _row(request):
    """The locked counters row of the request's point and ask day."""
    day = request.created_at.astimezone(UTC).date()
    row, _created = DailyStats.objects.select_for_update().get_or_create(
        course_key=request.course_key, point_id=request.point_id, day=day, defaults={"topic": request.topic}
    )
    return row


def count_asked(request):
    """A request was asked."""
    DailyStats.objects.filter(pk=_row(request).pk).update(asked=F("asked") + 1)


def count_first_answer(request, now):
    """A request got its first coach answer at `now`."""
    row = _row(request)
    bucket = str(wait_bucket((now - request.created_at).total_seconds()))
    histogram = dict(row.wait_histogram)
    histogram[bucket] = histogram.get(bucket, 0) + 1
    DailyStats.objects.filter(pk=row.pk).update(answered=F("answered") + 1, wait_histogram=histogram)


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

"""The counters behind author analytics, written by the workflow in the transactions of its actions.

One DailyStats row per point and day of asking: requests asked, answered, resolved, the times learners
said the coaching did not help, their ratings,
and the times to the first coach answer as a histogram of fixed buckets (`domain.WAIT_BUCKETS`), one
column each. `coach_xblock.analytics` reads them.
"""
from datetime import UTC

from django.db import connections, router
from django.db.models import F

from .domain import wait_bucket
from .models import DailyStats, wait_field


def lock_point_day(course_key, point_id, topic, when):
    """Lock the counters row of a point on the day of `when`, made if missing, until the transaction ends.

    One statement makes the row or finds it, and takes its exclusive lock either way, whoever does the same at
    once: an insert that, on a duplicate, updates the row to what it is (MySQL's INSERT ... ON DUPLICATE KEY
    UPDATE; ON CONFLICT DO UPDATE elsewhere). A read for update of a missing row, then an insert, deadlocks on
    MySQL: at REPEATABLE READ two transactions lock the row's gap, then both insert into it; at READ COMMITTED
    (Open edX's) a failed insert leaves a shared lock that three transactions at once cannot all upgrade. Being a
    write, it also leaves a REPEATABLE READ transaction's snapshot to its first read, after the wait.
    """
    key = {"course_key": course_key, "point_id": point_id, "day": when.astimezone(UTC).date()}
    database = router.db_for_write(DailyStats)
    with_target = connections[database].features.supports_update_conflicts_with_target
    DailyStats.objects.using(database).bulk_create(
        [DailyStats(topic=topic, **key)], update_conflicts=True, update_fields=["day"],
        unique_fields=list(key) if with_target else None,
    )


def _add(request, **increments):
    """Add to the counters of the request's point on its ask day, made if missing, waiting for their lock."""
    lock_point_day(request.course_key, request.point_id, request.topic, request.created_at)
    _increment(request, **increments)


def _increment(request, **increments):
    """Add to the counters of the request's point on its ask day, whose lock the transaction holds."""
    DailyStats.objects.filter(
        course_key=request.course_key, point_id=request.point_id, day=request.created_at.astimezone(UTC).date()
    ).update(**increments)


def count_asked(request):
    """A request was asked, in a transaction that locked the counters of its point's day (`lock_point_day`)
    before anything else, as `workflow.ask_for_help` does: they are not locked a second time."""
    _increment(request, asked=F("asked") + 1)


def count_first_answer(request, now):
    """A request got its first coach answer at `now`."""
    field = wait_field(wait_bucket((now - request.created_at).total_seconds()))
    _add(request, answered=F("answered") + 1, **{field: F(field) + 1})


def count_resolved(request, rating):
    """A request was resolved with `rating`."""
    _add(request, resolved=F("resolved") + 1, rating_sum=F("rating_sum") + rating, rating_count=F("rating_count") + 1)


def count_not_helped(request, rating=None):
    """The learner said the coaching of a request did not help, with `rating` when they closed it with one."""
    increments = {"not_helped": F("not_helped") + 1}
    if rating is not None:
        increments.update(rating_sum=F("rating_sum") + rating, rating_count=F("rating_count") + 1)
    _add(request, **increments)

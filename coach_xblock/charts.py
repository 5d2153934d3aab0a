"""What the analytics templates draw: bar geometry, waits, durations and periods in words."""
from .analytics import COMMENTS_SHOWN, PERIODS, PointFigures
from .domain import LONGER
from .i18n import gettext as _
from .i18n import ngettext
from .workload import LONG_DAYS, SHORT_DAYS, course_workload

# The analytics chart (analytics.html): per topic, its name above its two bars (asked, resolved), their numbers
# right-aligned at the chart's end. Drawn in CSS pixels at any width (no viewBox scaling the text down): the
# bars are shares of the chart's width, so it reads at 13 px on a 320 px phone as on a desktop.
BAR_ROOM = 75  # percent of the chart's width for the longest bar; the numbers have the rest
ROW_HEIGHT = 52
CHART_LABEL_LENGTH = 28  # longer labels are cut in the chart; the table beside it shows them whole


def wait_in_words(minutes):
    """'within 9 hours', 'within 30 minutes', 'more than two weeks', or 'no answer yet'."""
    if minutes is None:
        return _("no answer yet")
    if minutes == LONGER:
        return _("more than two weeks")
    if minutes < 60:
        return ngettext("within %(count)d minute", "within %(count)d minutes", minutes) % {"count": minutes}
    hours = minutes // 60
    return ngettext("within %(count)d hour", "within %(count)d hours", hours) % {"count": hours}


def period_label(period):
    """'the last 30 days', or 'all time': a period of `analytics.PERIODS` in words."""
    days = PERIODS[period]
    if days is None:
        return _("all time")
    return ngettext("the last %(count)d day", "the last %(count)d days", days) % {"count": days}


def period_choices():
    """(period, words) of every period analytics cover, as the period form offers them."""
    return [(period, period_label(period)) for period in PERIODS]


def analytics_context(stats, topics, points=(), by_point=None, comments=()):
    """The template context of `stats` (analytics.Analytics); `topics` maps topic values to labels. With
    `points` ((point id, title) of the course, in course order) and `by_point` ({point id:
    analytics.PointFigures}), one row per point (then any point counted that `points` does not list, under
    its id); `comments` (analytics.LearnerComment) are the low ratings' and "did not help" comments."""
    most = max((asked for _topic, asked, _resolved in stats.by_topic), default=0) or 1
    bars = []
    for row, (topic, asked, resolved) in enumerate(stats.by_topic):
        top = row * ROW_HEIGHT
        label = str(topics.get(topic, topic))
        bars.append({
            "label": label,
            "short_label": _cut(label, CHART_LABEL_LENGTH),
            "asked": asked,
            "resolved": resolved,
            "y": top,
            "label_y": top + 13,
            "asked_y": top + 19,
            "resolved_y": top + 35,
            "asked_width": round(BAR_ROOM * asked / most, 1),  # percent of the chart's width
            "resolved_width": round(BAR_ROOM * resolved / most, 1),
            "asked_value_y": top + 30,
            "resolved_value_y": top + 46,
        })
    return {
        "stats": stats,
        "period": period_label(stats.period),
        "chart": {"height": max(ROW_HEIGHT * len(bars), ROW_HEIGHT), "bars": bars},
        "median": wait_in_words(stats.median_wait_minutes),
        "p90": wait_in_words(stats.p90_wait_minutes),
        "share_resolved": None if stats.share_resolved is None else round(100 * stats.share_resolved),
        "mean_rating": None if stats.mean_rating is None else round(stats.mean_rating, 1),
        "by_point": None if by_point is None else _point_rows(points, by_point),
        "comments_shown": COMMENTS_SHOWN,
        "comments": [
            {"point": comment.point_title, "at": comment.at, "rating": comment.rating, "text": comment.text}
            for comment in comments
        ],
    }


def _point_rows(points, by_point):
    """One row per point: its title, its figures (analytics.PointFigures, none asked for a point without
    requests in the period) and their words."""
    listed = list(points)
    known = {point_id for point_id, _title in listed}
    listed += [(point_id, point_id) for point_id in by_point if point_id not in known]
    rows = []
    for point_id, title in listed:
        figures = by_point.get(point_id) or PointFigures.none_asked(point_id)
        rows.append({
            "title": title,
            "figures": figures,
            "median": wait_in_words(figures.median_wait_minutes),
            "p90": wait_in_words(figures.p90_wait_minutes),
            "share_resolved": None if figures.share_resolved is None else round(100 * figures.share_resolved),
            "mean_rating": None if figures.mean_rating is None else round(figures.mean_rating, 1),
        })
    return rows


# The workload chart (desk_workload.html): one bar per coach, its name above it, readable at 320 px.
WORKLOAD_WIDTH = 300
WORKLOAD_ROW = 34
WORKLOAD_BAR_ROOM = 250
WORKLOAD_NAME_LENGTH = 36  # longer names are cut in the chart; the table beside it shows them whole


def duration_in_words(duration):
    """{"words": "2 h 10 min", "iso": "PT2H10M"} of a timedelta (rounded to the minute, to the hour
    beyond a day), or None for None: what a <time> element shows and holds."""
    if duration is None:
        return None
    minutes = round(duration.total_seconds() / 60)
    if minutes < 1:
        return {"words": _("under 1 min"), "iso": f"PT{round(duration.total_seconds())}S"}
    if minutes < 60:
        return {"words": _("%(minutes)d min") % {"minutes": minutes}, "iso": f"PT{minutes}M"}
    if minutes < 24 * 60:
        hours, minutes = divmod(minutes, 60)
        if not minutes:
            return {"words": _("%(hours)d h") % {"hours": hours}, "iso": f"PT{hours}H"}
        return {"words": _("%(hours)d h %(minutes)d min") % {"hours": hours, "minutes": minutes},
                "iso": f"PT{hours}H{minutes}M"}
    days, hours = divmod(round(minutes / 60), 24)
    if not hours:
        return {"words": _("%(days)d d") % {"days": days}, "iso": f"P{days}D"}
    return {"words": _("%(days)d d %(hours)d h") % {"days": days, "hours": hours}, "iso": f"P{days}DT{hours}H"}


def _cut(name, length=WORKLOAD_NAME_LENGTH):
    return name if len(name) <= length else name[: length - 1] + "…"


def workload_context(course_key, now=None):
    """The context of desk_workload.html for `course_key` at `now` (default: now): the coaches' rows
    and chart, the points' rows, the course's totals (workload.course_workload), in the active language."""
    workload = course_workload(course_key, now=now)
    most = max((coach.answered_30 for coach in workload.coaches), default=0) or 1
    coaches, bars = [], []
    for row, coach in enumerate(workload.coaches):
        coaches.append({
            "name": coach.name, "retired": coach.retired, "answered_7": coach.answered_7,
            "answered_30": coach.answered_30, "median_7": duration_in_words(coach.median_first_answer_7),
            "median_30": duration_in_words(coach.median_first_answer_30), "held_now": coach.held_now,
        })
        width = round(WORKLOAD_BAR_ROOM * coach.answered_30 / most)
        top = row * WORKLOAD_ROW
        bars.append({
            "label": _cut(coach.name), "value": coach.answered_30, "width": width, "value_x": width + 4,
            "label_y": top + 12, "bar_y": top + 17, "value_y": top + 26,
        })
    return {
        "workload": workload,
        "short_days": SHORT_DAYS,
        "long_days": LONG_DAYS,
        "coaches": coaches,
        "points": workload.points,
        "totals": {
            "answered_7": workload.answered_7, "answered_30": workload.answered_30,
            "median_7": duration_in_words(workload.median_first_answer_7),
            "median_30": duration_in_words(workload.median_first_answer_30),
            "held_now": workload.held_now, "waiting": workload.waiting, "overdue": workload.overdue,
        },
        "chart": {"width": WORKLOAD_WIDTH, "height": max(WORKLOAD_ROW * len(bars), WORKLOAD_ROW), "bars": bars},
    }

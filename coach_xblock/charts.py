"""What the analytics template draws: bar geometry, waits and periods in words."""
from .analytics import PERIODS
from .domain import LONGER
from .i18n import gettext as _
from .i18n import ngettext

CHART_WIDTH = 480
LABEL_WIDTH = 170
BAR_ROOM = 260
ROW_HEIGHT = 26


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


def analytics_context(stats, topics):
    """The template context of `stats` (analytics.Analytics); `topics` maps topic values to labels."""
    most = max((asked for _topic, asked, _resolved in stats.by_topic), default=0) or 1
    bars = []
    for row, (topic, asked, resolved) in enumerate(stats.by_topic):
        asked_width = round(BAR_ROOM * asked / most)
        resolved_width = round(BAR_ROOM * resolved / most)
        bars.append({
            "label": str(topics.get(topic, topic)),
            "asked": asked,
            "resolved": resolved,
            "y": row * ROW_HEIGHT,
            "asked_width": asked_width,
            "resolved_width": resolved_width,
            "asked_end": LABEL_WIDTH + asked_width + 4,
            "resolved_end": LABEL_WIDTH + resolved_width + 4,
        })
    return {
        "stats": stats,
        "period": period_label(stats.period),
        "chart": {"width": CHART_WIDTH, "height": max(ROW_HEIGHT * len(bars), ROW_HEIGHT), "left": LABEL_WIDTH,
                  "bars": bars},
        "median": wait_in_words(stats.median_wait_minutes),
        "p90": wait_in_words(stats.p90_wait_minutes),
        "share_resolved": None if stats.share_resolved is None else round(100 * stats.share_resolved),
        "mean_rating": None if stats.mean_rating is None else round(stats.mean_rating, 1),
    }

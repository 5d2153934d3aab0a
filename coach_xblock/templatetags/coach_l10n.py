"""`{% load coach_l10n %}`: instants and numbers, marked up for the viewer's time zone and language.

The server cannot know the viewer's time zone, so it writes every instant in UTC inside a `<time>`
element that the scripts rewrite in the browser's zone and language (`CoachCheckinCommon.localize`,
static/js/common.js), and every number a person reads inside a `<data>` element that they format
for the viewer's locale. What the server writes is the text read without JavaScript: in the page's
language, a date-time saying it is UTC, a relative time reading naturally ("just now", never
"0 minutes ago"). docs/times.md describes the convention.
"""
from datetime import UTC, datetime

from django import template
from django.utils import formats, timezone
from django.utils.html import format_html

from ..i18n import gettext, ngettext, number

register = template.Library()

#: The ways an instant is shown: `data-format` of its `<time>` element.
FORMATS = ("relative", "datetime", "date", "time")

DAYS_IN_MONTH = 30
DAYS_IN_YEAR = 365


def in_utc(moment):
    """`moment` as an aware datetime in UTC (a naive one is taken in Django's default time zone)."""
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, timezone.get_default_timezone())
    return moment.astimezone(UTC)


def iso_utc(moment):
    """'2026-11-28T22:18:28Z': the machine-readable instant of a `<time>` (whole seconds, UTC)."""
    return in_utc(moment).strftime("%Y-%m-%dT%H:%M:%SZ")


def ago(moment, now=None):
    """How long ago `moment` was, in the active language: 'just now' under a minute (and for a moment
    a little ahead of the server's clock), then minutes, hours, days, months or years ago."""
    seconds = ((now or timezone.now()) - in_utc(moment)).total_seconds()
    if seconds < 60:
        return gettext("just now")
    minutes = int(seconds // 60)
    if minutes < 60:
        return ngettext("%(count)d minute ago", "%(count)d minutes ago", minutes) % {"count": minutes}
    hours = minutes // 60
    if hours < 24:
        return ngettext("%(count)d hour ago", "%(count)d hours ago", hours) % {"count": hours}
    days = hours // 24
    if days < DAYS_IN_MONTH:
        return ngettext("%(count)d day ago", "%(count)d days ago", days) % {"count": days}
    if days < DAYS_IN_YEAR:
        months = days // DAYS_IN_MONTH
        return ngettext("%(count)d month ago", "%(count)d months ago", months) % {"count": months}
    years = days // DAYS_IN_YEAR
    return ngettext("%(count)d year ago", "%(count)d years ago", years) % {"count": years}


def utc_text(moment, shape):
    """The fallback text of `moment` shown as `shape` (one of FORMATS but "relative"), in UTC, in the
    active language's formats; a date-time and a time say that they are in UTC."""
    moment = in_utc(moment)
    if shape == "date":
        return formats.date_format(moment, "SHORT_DATE_FORMAT")
    text = formats.date_format(moment, "DATETIME_FORMAT" if shape == "datetime" else "TIME_FORMAT")
    return gettext("%(moment)s (UTC)") % {"moment": text}


@register.filter
def coach_ago(moment):
    """`{{ moment|coach_ago }}`: 'just now', '3 minutes ago', ... as plain text ('' for no moment)."""
    return ago(moment) if isinstance(moment, datetime) else ""


@register.filter
def coach_time(moment, shape="datetime"):
    """`{{ moment|coach_time:"relative" }}` (or "datetime", "date", "time"): the `<time>` element of
    `moment` ('' for no moment). A relative one carries its UTC date-time in its title."""
    if not isinstance(moment, datetime):
        return ""
    if shape not in FORMATS:
        raise template.TemplateSyntaxError(f"coach_time: the format is one of {', '.join(FORMATS)}, not {shape!r}")
    if shape == "relative":
        return format_html(
            '<time datetime="{}" data-format="relative" title="{}">{}</time>',
            iso_utc(moment), utc_text(moment, "datetime"), ago(moment),
        )
    return format_html(
        '<time datetime="{}" data-format="{}">{}</time>', iso_utc(moment), shape, utc_text(moment, shape)
    )


def _number(value, decimals):
    """(value, text) of the number `value`: its machine-readable value, and its text in the active language."""
    decimals = int(decimals)
    return f"{value:.{decimals}f}", number(value, decimals)


def _is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


@register.filter
def coach_number(value, decimals=0):
    """`{{ count|coach_number }}` (`{{ mean|coach_number:1 }}` for one decimal): the `<data>` element of a
    number a person reads, grouped and punctuated for the active language ('' for no number)."""
    if not _is_number(value):
        return ""
    return format_html('<data class="coach-number" value="{}">{}</data>', *_number(value, decimals))


@register.filter
def coach_svg_number(value):
    """`{{ count|coach_svg_number }}`: the same inside an SVG `<text>`, where HTML's `<data>` cannot be:
    a `<tspan>` carrying the value in `data-value`."""
    if not _is_number(value):
        return ""
    return format_html('<tspan class="coach-number" data-value="{}">{}</tspan>', *_number(value, 0))

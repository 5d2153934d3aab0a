"""The one template engine of the block's views and the coach desk's pages: static/html/, auto-escaped.

Templates load `coach_i18n` (our catalogue first) and may include each other; every render gets the
limits the templates show and set on their fields, and the active language.
"""
import importlib.resources
from datetime import timedelta

from django.template import Context, Engine
from django.utils import translation

from . import domain, queries

ENGINE = Engine(
    dirs=[str(importlib.resources.files(__package__) / "static" / "html")],
    libraries={
        "coach_i18n": "coach_xblock.templatetags.coach_i18n",
        "coach_l10n": "coach_xblock.templatetags.coach_l10n",
        "coach_formatting": "coach_xblock.templatetags.coach_formatting",
    },
)

# The limits the templates show and set on their fields (maxlength, hints, claim buttons, excerpts).
LIMITS = {
    "link": domain.MAX_LINK_LENGTH,
    "comment": domain.MAX_COMMENT_LENGTH,
    "coach_reply": domain.MAX_COACH_REPLY_LENGTH,
    "claim_minutes": domain.CLAIM_MINUTES,
    "followup_minutes": domain.FOLLOWUP_PRIORITY // timedelta(minutes=1),
    "note": domain.MAX_NOTE_LENGTH,
    "saved_reply_title": domain.MAX_SAVED_REPLY_TITLE,
    "username": domain.MAX_USERNAME_LENGTH,
    "moderation_reason": domain.MAX_MODERATION_REASON,
    "ratings": domain.RATINGS,
    "excerpt_words": queries.EXCERPT_WORDS,
}


def render(template, context):
    """Render one of static/html/ with `context`, the limits and the active language."""
    context = Context({**context, "limits": LIMITS, "language": translation.get_language() or "en"})
    return ENGINE.get_template(template).render(context)


def static_text(path):
    """The text of one of the package's static files (static/js/..., static/css/...)."""
    return (importlib.resources.files(__package__) / "static" / path).read_text(encoding="utf-8")

"""`{% load coach_formatting %}{{ message.body|markdown }}`: a message written in Markdown, shown as safe HTML.

The HTML is `coach_xblock.formatting.to_html`'s: raw HTML shows as text, links open in a new tab, and
nothing but the allow-list of formatting.py reaches the page or the email.
"""
from django import template
from django.utils.safestring import mark_safe

from .. import formatting

register = template.Library()


@register.filter(name="markdown", is_safe=True)
def markdown(text):
    """The safe HTML of a message written in Markdown."""
    return mark_safe(formatting.to_html(str(text or "")))

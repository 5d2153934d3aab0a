"""`{% load coach_i18n %}`: Django's `trans` and `blocktrans` tags, translated from our catalogue first.

The tags are Django's own (same syntax, so `makemessages` extracts them); each renders while our
catalogue is the active one (`coach_xblock.i18n.catalogue_active`), so that the platform's catalogue
cannot replace our words. Every template of the package loads this library, never Django's `i18n`.
"""
from django import template
from django.templatetags import i18n as django_i18n

from .. import i18n

register = template.Library()


class OurCatalogueNode(template.Node):
    """One of Django's translation nodes, rendered with our catalogue first."""

    def __init__(self, node):
        self.node = node

    def render(self, context):
        with i18n.catalogue_active():
            return self.node.render(context)


@register.tag("trans")
def translate(parser, token):
    """`{% trans "text" %}`, with an optional `context "..."`, as in Django."""
    return OurCatalogueNode(django_i18n.do_translate(parser, token))


@register.tag("blocktrans")
def block_translate(parser, token):
    """`{% blocktrans %}...{% endblocktrans %}`, with `with`, `count`, `context` as in Django."""
    return OurCatalogueNode(django_i18n.do_block_translate(parser, token))

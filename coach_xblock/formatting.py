"""Messages written in Markdown, shown as safe HTML: the one place that turns a message's text into HTML.

`to_html` reads CommonMark (markdown-it-py) with raw HTML off, so whatever HTML a person types shows
as text; bare http(s) links and e-mail addresses become links (linkify-it-py); line breaks stay
where the writer put them. The HTML then goes through nh3 with an allow-list: paragraphs, line
breaks, emphasis, lists, links, code and quotes. A heading is shown as a bold paragraph (a message
must not add headings to the outline of the page around it) and an image as a link to it (nothing
is loaded from elsewhere, in the page or the email). Links may point to http, https and mailto
only, and open in a new tab with rel="noopener noreferrer nofollow ugc".

The text part of an email keeps the message as written: Markdown reads as plain text.
"""
import functools

import nh3
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml

from . import domain

# The longest text rendered: the longest a coach's answer or a learner's text may be.
MAX_SOURCE_LENGTH = max(domain.MAX_COACH_REPLY_LENGTH, domain.MAX_LENGTH.maximum)

URL_SCHEMES = ("http", "https", "mailto")
TAGS = {"p", "br", "em", "strong", "ul", "ol", "li", "a", "code", "pre", "blockquote"}
ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
LINK_REL = "noopener noreferrer nofollow ugc"
LINK_TARGET = {"a": {"target": "_blank"}}


def _is_allowed_url(url):
    """True for an absolute link of an allowed scheme (no relative link, no javascript:, data: ...)."""
    scheme, colon, rest = url.strip().partition(":")
    return bool(colon and rest) and scheme.lower() in URL_SCHEMES


def _keep_allowed_links(tag, attribute, value):
    """nh3's attribute filter: an href survives only when it is an absolute http, https or mailto link."""
    if tag == "a" and attribute == "href" and not _is_allowed_url(value):
        return None
    return value


def _heading_as_bold_paragraph(open_tag):
    def render(self, tokens, idx, options, env):
        return "<p><strong>" if open_tag else "</strong></p>\n"

    return render


def _image_as_link(self, tokens, idx, options, env):
    """`![description](url)`: a link to the image, named by its description (or its address)."""
    token = tokens[idx]
    url = token.attrGet("src") or ""
    label = self.renderInlineAsText(token.children or [], options, env) or url
    return f'<a href="{escapeHtml(url)}">{escapeHtml(label)}</a>'


def _parser():
    md = MarkdownIt("commonmark", {"html": False, "linkify": True, "breaks": True}).enable("linkify")
    md.linkify.set({"fuzzy_link": False})  # "www.example.org" or "notes.py" stay text: a link shows its scheme
    md.validateLink = _is_allowed_url
    md.add_render_rule("heading_open", _heading_as_bold_paragraph(True))
    md.add_render_rule("heading_close", _heading_as_bold_paragraph(False))
    md.add_render_rule("image", _image_as_link)
    return md


_MARKDOWN = _parser()
# Messages kept rendered per process; a typical one is a few hundred characters, the longest allowed
# 20,000 (then about 30 MB at worst).
RENDERED_KEPT = 512


def to_html(text):
    """The HTML of a message written in Markdown, safe to put in a page or an email as it is.

    Raises ValueError for a text longer than any message may be (`MAX_SOURCE_LENGTH`): callers
    show texts the workflow has checked, or check them first.
    """
    text = text or ""
    if len(text) > MAX_SOURCE_LENGTH:
        raise ValueError(f"a message is at most {MAX_SOURCE_LENGTH} characters long")
    return _rendered(text)


@functools.lru_cache(maxsize=RENDERED_KEPT)
def _rendered(text):
    """`to_html` of a checked text. Kept for the messages a process shows most (a thread is drawn again at
    every visit and every answer): rendering and cleaning one costs about a tenth of a millisecond, which a
    50-message thread would pay fifty times."""
    return nh3.clean(
        _MARKDOWN.render(text),
        tags=TAGS,
        attributes=ATTRIBUTES,
        attribute_filter=_keep_allowed_links,
        url_schemes=set(URL_SCHEMES),
        link_rel=LINK_REL,
        set_tag_attribute_values=LINK_TARGET,
        strip_comments=True,
    ).strip()

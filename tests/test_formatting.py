"""Messages written in Markdown become safe HTML (coach_xblock.formatting.to_html, and the `markdown` filter).

Each case is a text a learner or a coach could send, rendered by the real markdown-it-py and nh3;
the HTML is read back with lxml to check what a browser would build from it.
"""
import lxml.html
import pytest
from django.template import Context, Engine

from coach_xblock import domain
from coach_xblock.formatting import MAX_SOURCE_LENGTH, to_html

REL = "noopener noreferrer nofollow ugc"


def fragment(text):
    """The elements a browser builds from `to_html(text)`, in a <div>."""
    return lxml.html.fragment_fromstring(to_html(text), create_parent="div")


def tags_of(text):
    return [element.tag for element in fragment(text).iter() if element.tag != "div"]


def test_paragraphs_and_line_breaks_stay_where_the_writer_put_them():
    html = to_html("First, my job.\nSecond, my goal.\n\nWhere do I start?")
    assert html == "<p>First, my job.<br>\nSecond, my goal.</p>\n<p>Where do I start?</p>"


def test_emphasis_code_and_quotes():
    assert to_html("*one* **two** `three`") == "<p><em>one</em> <strong>two</strong> <code>three</code></p>"
    assert tags_of("> You said\n\n```\nprint(1)\n```") == ["blockquote", "p", "pre", "code"]


def test_lists_keep_their_numbering():
    assert tags_of("- a\n- b") == ["ul", "li", "li"]
    assert to_html("3. three\n4. four") == '<ol start="3">\n<li>three</li>\n<li>four</li>\n</ol>'


@pytest.mark.parametrize(
    "text, href",
    [
        pytest.param("[the guide](https://example.org/guide)", "https://example.org/guide", id="markdown-link"),
        pytest.param("see https://example.org/a_(b) now", "https://example.org/a_(b)", id="bare-url"),
        pytest.param("<http://example.org>", "http://example.org", id="autolink"),
        pytest.param("write to coach@example.org", "mailto:coach@example.org", id="bare-email"),
        pytest.param("[mail](mailto:coach@example.org)", "mailto:coach@example.org", id="mailto"),
    ],
)
def test_links_open_safely_in_a_new_tab(text, href):
    [link] = fragment(text).iter("a")
    assert link.get("href") == href
    assert link.get("target") == "_blank"
    assert link.get("rel") == REL


def test_a_link_keeps_only_its_address_and_title():
    [link] = fragment('[guide](https://example.org "The guide")').iter("a")
    assert dict(link.attrib) == {"href": "https://example.org", "title": "The guide", "target": "_blank", "rel": REL}


def test_only_addresses_with_a_scheme_become_links():
    assert tags_of("notes.py, www.example.org and example.org") == ["p"]


@pytest.mark.parametrize(
    "text",
    [
        "[click](javascript:alert(1))",
        "[click](JavaScript:alert(document.cookie))",
        "[click](java\tscript:alert(1))",
        "[click](vbscript:msgbox(1))",
        "[click](data:text/html,<script>alert(1)</script>)",
        "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "[click](file:///etc/passwd)",
        "[click](/courses/other/instructor)",
        "[click](//evil.example.org)",
        "<javascript:alert(1)>",
        "[click][ref]\n\n[ref]: javascript:alert(1)",
    ],
)
def test_links_to_anything_but_http_https_or_mailto_are_dropped(text):
    html = to_html(text)
    assert "href" not in html
    assert not list(fragment(text).iter("a"))


def test_an_image_is_a_link_to_it_never_an_img():
    html = to_html("![my CV](https://example.org/cv.png) ![](https://example.org/x.png)")
    assert "<img" not in html
    links = list(fragment("![my CV](https://example.org/cv.png) ![](https://example.org/x.png)").iter("a"))
    assert [(a.text, a.get("href")) for a in links] == [
        ("my CV", "https://example.org/cv.png"),
        ("https://example.org/x.png", "https://example.org/x.png"),
    ]
    assert "<img" not in to_html("![x](data:image/png;base64,iVBORw0KGgo=)")
    assert "href" not in to_html("![x](data:image/png;base64,iVBORw0KGgo=)")


def test_a_heading_is_a_bold_paragraph():
    assert to_html("# Next steps\nTitle\n===") == "<p><strong>Next steps</strong></p>\n<p><strong>Title</strong></p>"


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(2)>",
        '<a href="javascript:alert(1)">x</a>',
        "<b>skills</b>",
        "<iframe src=/evil></iframe>",
        "<!-- hidden -->",
        '<p onclick="alert(1)">x</p>',
        "<svg onload=alert(1)>",
        "<style>body{display:none}</style>",
    ],
)
def test_raw_html_is_shown_as_text(text):
    html = to_html(text)
    assert fragment(text).text_content() == text
    assert [element.tag for element in fragment(text).iter()] == ["div", "p"]
    assert "<" + text[1:] not in html


def test_the_script_payload_of_the_handlers_tests_shows_escaped():
    payload = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    assert to_html(payload) == "<p>&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;</p>"


def test_an_empty_message_is_empty():
    assert to_html("") == ""
    assert to_html(None) == ""


def test_the_longest_message_renders_and_a_longer_text_is_refused():
    assert MAX_SOURCE_LENGTH >= domain.MAX_COACH_REPLY_LENGTH
    assert MAX_SOURCE_LENGTH >= domain.MAX_LENGTH.maximum
    deep = ">" * MAX_SOURCE_LENGTH  # nested quotes: markdown-it stops nesting at its own limit
    assert to_html(deep).startswith("<blockquote>")
    assert to_html("*a* " * (MAX_SOURCE_LENGTH // 4)).count("<em>") == MAX_SOURCE_LENGTH // 4
    with pytest.raises(ValueError):
        to_html("a" * (MAX_SOURCE_LENGTH + 1))


def test_the_markdown_filter_marks_its_html_safe_and_escapes_the_rest():
    engine = Engine(libraries={"coach_formatting": "coach_xblock.templatetags.coach_formatting"})
    template = engine.from_string("{% load coach_formatting %}<div>{{ body|markdown }}</div>")
    html = template.render(Context({"body": "**Well done** <b>x</b> https://example.org"}))
    assert html.startswith("<div><p><strong>Well done</strong> &lt;b&gt;x&lt;/b&gt; <a href=")
    assert f'target="_blank" rel="{REL}"' in html

"""The analytics in Chromium at 320 px, in English and in French: the chart of requests by topic reads on a
phone (its text at least 11 px, nothing cut, overlapping or wider than the screen), the tables beside it hold
the same figures, and the page never scrolls sideways (the table of the points scrolls in its own region).

The desk's analytics page of the course, and Studio's author view of a point (the workbench's author_view).
"""
import pytest
from playwright.sync_api import expect
from story.analytics import seed
from story.browser import desk_address

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

LOCALES = {"en": "en-US", "fr": "fr-FR"}
UNITS = {"en": "/scenario/coach_checkin.1/", "fr": "/scenario/coach_checkin.0/"}
MIN_FONT_PX = 11

CHART_LAYOUT = """(svg) => {
    const box = svg.getBoundingClientRect();
    const scale = box.width / svg.viewBox.baseVal.width;
    const rect = (r) => ({left: r.left, right: r.right, top: r.top, bottom: r.bottom});
    const texts = Array.from(svg.querySelectorAll('text'), (text) => ({
        text: text.textContent, box: rect(text.getBoundingClientRect()),
        font: parseFloat(getComputedStyle(text).fontSize) * scale,
    }));
    const bars = Array.from(svg.querySelectorAll('rect'), (bar) => rect(bar.getBoundingClientRect()));
    return {svg: rect(box), texts, bars};
}"""


def overlap(a, b):
    """Whether two boxes share more than a pixel's sliver."""
    return min(a["right"], b["right"]) - max(a["left"], b["left"]) > 1 and (
        min(a["bottom"], b["bottom"]) - max(a["top"], b["top"]) > 1)


def assert_chart_reads(page):
    """Every text of the chart at least MIN_FONT_PX, inside the chart, overlapping no other text nor a bar."""
    layout = page.locator("svg.coach-chart").evaluate(CHART_LAYOUT)
    svg, texts, bars = layout["svg"], layout["texts"], layout["bars"]
    assert texts, "a chart with text"
    small = [(t["text"], round(t["font"], 1)) for t in texts if t["font"] < MIN_FONT_PX]
    assert small == [], f"text under {MIN_FONT_PX} px on screen"
    cut = [t["text"] for t in texts if t["box"]["left"] < svg["left"] - 0.5 or t["box"]["right"] > svg["right"] + 0.5]
    assert cut == [], "text running out of the chart"
    crossing = [
        (a["text"], b["text"]) for i, a in enumerate(texts) for b in texts[i + 1:] if overlap(a["box"], b["box"])]
    assert crossing == [], "texts over each other"
    on_bars = [t["text"] for t in texts for bar in bars if overlap(t["box"], bar)]
    assert on_bars == [], "text over a bar"
    return texts


def page_overflow(page):
    return page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")


def table_rows(page, table):
    return page.locator(f"table.{table} tbody tr").evaluate_all(
        "(rows) => rows.map((row) => Array.from(row.querySelectorAll('th, td'), (cell) => cell.textContent.trim()))")


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_desks_analytics_read_at_320_px(open_page, snap, lang):
    course = seed(lang)
    page = open_page(desk_address(course, "desk_analytics"), "coach_karim", LOCALES[lang], 320)
    expect(page.locator("table.coach-points")).to_be_visible()

    texts = assert_chart_reads(page)
    assert page_overflow(page) <= 0, "the page scrolls sideways"
    topics = table_rows(page, "coach-topics")
    chart_numbers = [t["text"] for t in texts][1::3] + [t["text"] for t in texts][2::3]
    table_numbers = [row[1] for row in topics] + [row[2] for row in topics]
    assert sorted(n.replace("\u202f", "").replace("\u00a0", "").replace(",", "") for n in chart_numbers) == sorted(
        n.replace("\u202f", "").replace("\u00a0", "").replace(",", "") for n in table_numbers), "the same figures"
    assert len(table_rows(page, "coach-points")) == 5, "two points of the scenario, three of other topics"
    rights = page.locator(".coach-table-scroll").evaluate_all(
        "(all) => all.map((r) => r.getBoundingClientRect().right)")
    assert len(rights) == 2 and max(rights) <= 320, "each table scrolls in its own region, inside the screen"
    assert page.locator("ul.coach-comments li").count() == 2
    assert "<b>Not</b>" in page.locator("ul.coach-comments").inner_text()
    snap(page, f"{lang}-desk-analytics-320px")
    assert page.errors == []


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_author_views_analytics_read_at_320_px(open_page, snap, lang):
    seed(lang)
    page = open_page(f"{UNITS[lang]}author_view/", "coach_karim", LOCALES[lang], 320)
    block = page.locator('[data-usage$=".coach_checkin.d0.u0"]')
    expect(block.locator("svg.coach-chart")).to_be_visible()

    layout = block.locator("svg.coach-chart").evaluate(CHART_LAYOUT)
    assert all(t["font"] >= MIN_FONT_PX for t in layout["texts"]), layout["texts"]
    fits = page.evaluate("""() => Array.from(document.querySelectorAll('.coach-checkin'), (b) => ({
        content: b.scrollWidth - b.clientWidth, window: Math.ceil(b.getBoundingClientRect().right) - innerWidth}))""")
    assert all(f["content"] <= 1 and f["window"] <= 0 for f in fits), fits
    assert block.locator("ul.coach-comments li").count() == 1
    snap(page, f"{lang}-author-view-320px")

    # The author asks for the whole course: a row per point, and the course's comments.
    block.locator("select[name=scope]").select_option("course")
    block.locator("form.coach-period button").click()
    expect(block.locator("table.coach-points tbody tr")).to_have_count(5)
    expect(block.locator("ul.coach-comments li")).to_have_count(2)
    expect(block.locator("select[name=period]")).to_be_focused()
    expect(block.locator("select[name=scope]")).to_have_value("course")
    fits = page.evaluate("""() => Array.from(document.querySelectorAll('.coach-checkin'), (b) => ({
        content: b.scrollWidth - b.clientWidth, window: Math.ceil(b.getBoundingClientRect().right) - innerWidth}))""")
    assert all(f["content"] <= 1 and f["window"] <= 0 for f in fits), fits
    snap(page, f"{lang}-author-view-course-320px")
    assert page.errors == []

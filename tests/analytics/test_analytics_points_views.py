"""Where authors and coaches read the figures of each check-in point and the learners' comments of low ratings
and of coaching that did not help: the desk's analytics page, the block's `analytics` handler (scope course)
and Studio's author view (its own point), through the workbench and Django's test client."""
import lxml.html
import pytest
from story import KARIM, MATHILDE, PAUL
from story.desk import Desk
from story.workbench import ENGLISH_COURSE, ENGLISH_UNIT

pytestmark = pytest.mark.django_db

XSS = "<script>alert(1)</script><img src=x onerror=alert(2)>"


@pytest.fixture
def story(en):
    """At skills Mathilde rated Karim's answer 1 with a comment; at feasibility Paul said it did not help."""
    mathildes = en.skills.ask(MATHILDE)
    en.skills.answer(KARIM, mathildes, "Start from your verbs.")
    en.skills.resolve(MATHILDE, mathildes, 1, f"Not what I asked {XSS}")
    pauls = en.feasibility.ask(PAUL)
    en.feasibility.answer(KARIM, pauls, "Look at the job offers.")
    en.feasibility.not_helped(PAUL, pauls, "ask_again", f"Still lost.\nReally {XSS}")
    return en


def points_table(html):
    """The table of the points as [(title, asked, answered, median, p90, resolved, rating, not helped)]."""
    tree = lxml.html.fromstring(html)
    return [
        tuple(cell.text_content().strip() for cell in row.xpath("./th|./td"))
        for row in tree.xpath("//table[contains(@class, 'coach-points')]/tbody/tr")
    ]


def comments_of(html):
    tree = lxml.html.fromstring(html)
    return [
        (item.xpath(".//p")[0].text_content().strip(), item.xpath(".//blockquote")[0].text_content().strip())
        for item in tree.xpath("//ul[contains(@class, 'coach-comments')]/li")
    ]


def assert_safe(html):
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;" in html
    assert "Mathilde" not in html.split('class="coach-comments"')[-1].split("</ul>")[0]
    assert "anon-" not in html


def test_the_desk_shows_a_row_per_point_and_the_comments_newest_first(client, story):
    html = Desk(client, ENGLISH_COURSE).page("desk_analytics", KARIM, query={"period": "7"})

    assert points_table(html) == [
        ("Naming my skills", "1", "1", "within 15 minutes", "within 15 minutes", "100 %", "1.0", "0"),
        ("Is my project feasible?", "1", "1", "within 15 minutes", "within 15 minutes", "0 %", "–", "1"),
    ]
    comments = comments_of(html)
    # Mathilde rated Karim's answer, then Paul said his did not help: his is the newest.
    assert [text for _meta, text in comments] == [f"Still lost.Really {XSS}", f"Not what I asked {XSS}"]
    metas = dict((text.split()[0], meta) for meta, text in comments)
    assert metas["Not"].startswith("Naming my skills, rated 1 out of 5, ")
    assert metas["Still"].startswith("Is my project feasible?, did not help, ")
    assert_safe(html)
    assert "Still lost.<br>Really" in html


def test_the_desk_refuses_an_unknown_period_and_strangers(client, story):
    desk = Desk(client, ENGLISH_COURSE)
    desk.refused("desk_analytics", KARIM, {"period": "365"}, status=400, says="Unknown period", method="get")
    desk.refused("desk_analytics", MATHILDE, {"period": "7"}, status=403, method="get")


def test_the_handler_with_scope_course_gives_the_points_and_the_comments(story):
    result = story.skills.ok("analytics", KARIM, {"scope": "course", "period": "30"})

    assert [(row["title"], row["asked"], row["not_helped"], row["mean_rating"]) for row in result["by_point"]] == [
        ("Naming my skills", 1, 0, 1.0), ("Is my project feasible?", 1, 1, None)]
    assert {comment["rating"] for comment in result["comments"]} == {1, None}
    assert all(set(comment) == {"point_id", "point_title", "at", "rating", "text"} for comment in result["comments"])
    assert points_table(result["html"])[1][-1] == "1"
    assert_safe(result["html"])


def test_the_handler_with_scope_point_gives_its_own_comments_and_no_table(story):
    result = story.skills.ok("analytics", KARIM, {"scope": "point", "period": "30"})

    assert result["by_point"] is None and points_table(result["html"]) == []
    assert [comment["text"] for comment in result["comments"]] == [f"Not what I asked {XSS}"]
    [(meta, _text)] = comments_of(result["html"])
    assert meta.startswith("rated 1 out of 5, "), "its own point: no title to repeat"


def test_the_author_view_shows_the_points_comments_to_the_course_team_only(client, story):
    def skills_author_view(student):
        html = client.get(f"{ENGLISH_UNIT}author_view/?student={student}").content.decode()
        first = html.index("coach-checkin-author")
        return html[first:html.index("coach-checkin-author", first + 1)]

    as_coach = skills_author_view(KARIM)
    assert [text for _meta, text in comments_of(as_coach)] == [f"Not what I asked {XSS}"]
    assert_safe(as_coach)
    as_stranger = skills_author_view(MATHILDE)
    assert "coach-comments" not in as_stranger and "Not what I asked" not in as_stranger

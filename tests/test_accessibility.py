"""Accessibility (WCAG 2.1 AA): every view and state passes axe-core, and the story is played with the keyboard only.

axe-core (tests/js, installed with `npm ci --prefix tests/js`) is injected into each page and
judges our blocks only (`[data-block-type=coach_checkin]`), not the workbench around them, with
the WCAG 2.0 and 2.1 A and AA rules. Beside axe, each state is checked for what axe's WCAG rules
leave out: our headings start at h3 (the unit page holds h1 and h2) and never skip a level, our
blocks say the language they are written in, and every control is at least 44 x 44 px.

Then Mathilde, Karim and Léa use only the keyboard: Tab, Enter, Space, arrows and typing. What
changed takes the focus, the new status is said in a live region, an error names its field and
is tied to it, and a button in flight is disabled, busy and spinning, and sends once.
"""
import os
from pathlib import Path

import pytest
from playwright.sync_api import expect
from story import ANSWER, ASK, REPLY
from story.browser import (
    desk_address,
    fill_ask_form,
    open_request_on_desk,
    post_desk_form,
    post_from_page,
    request_article,
)
from story.workbench import ask_payload

from coach_xblock.models import CheckinRequest, CourseCoach

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

AXE = Path(__file__).resolve().parent / "js" / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
OUR_BLOCKS = "[data-block-type=coach_checkin]"

UNITS = {"en": "/scenario/coach_checkin.1/", "fr": "/scenario/coach_checkin.0/"}
BROWSER_LOCALES = {"en": "en-US", "fr": "fr-FR"}
# The first check-in point of each unit ("Naming my skills", "Nommer mes compétences").
FIRST = '[data-usage$=".coach_checkin.d0.u0"]'
VIEWS = [pytest.param(lang, width, id=f"{lang}-{width}px") for lang in ("en", "fr") for width in (1280, 320)]
STORY_VIEWS = [pytest.param("en", 1280, id="en-1280px"), pytest.param("fr", 320, id="fr-320px")]

# What the people of the story write.
THANKS = "Thank you, this helped me a lot."

STATUS = {
    "en": {"open": "Waiting for a coach", "answered": "Answered", "resolved": "Resolved"},
    "fr": {"open": "En attente d’un coach", "answered": "Répondue", "resolved": "Résolue"},
}


# axe-core and the checks beside it


@pytest.fixture(scope="session")
def axe_script():
    """The path of axe.min.js; the axe tests skip without it, unless CI requires the browser tests."""
    if not AXE.exists():
        message = f"{AXE} is missing: run `npm ci --prefix tests/js`"
        if os.environ.get("COACH_TEST_REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    return str(AXE)


def axe_violations(page, axe_script, scope=OUR_BLOCKS):
    """The WCAG 2.0/2.1 A and AA violations axe-core finds in `scope` of `page` (our blocks in a unit; the
    whole page on the desk, which is ours)."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(path=axe_script)
    return page.evaluate(
        """async ([selector, tags]) => {
            const results = await axe.run({include: [[selector]]}, {runOnly: {type: 'tag', values: tags}});
            return results.violations.map((v) => ({
                id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                nodes: v.nodes.map((n) => ({target: n.target.join(' '), html: n.html, summary: n.failureSummary})),
            }));
        }""",
        [scope, AXE_TAGS],
    )


def structure_problems(page, lang, scope=OUR_BLOCKS, top=3):
    """Headings that do not start at h`top` (h3 in a unit, h1 on a desk page) or skip a level, blocks that do
    not say their language, and controls smaller than 44 x 44 px (links inside a sentence excepted)."""
    return page.evaluate(
        """([selector, lang, top]) => {
            const problems = [];
            const controls = 'button, select, textarea, label.coach-star, label.coach-checkbox, '
                + 'input:not([type=radio]):not([type=checkbox]):not([type=hidden])';
            for (const block of document.querySelectorAll(selector)) {
                let previous = top - 1;
                for (const heading of block.querySelectorAll('h1, h2, h3, h4, h5, h6')) {
                    if (!heading.getClientRects().length) { continue; }
                    const level = Number(heading.tagName[1]);
                    if (level < top || level > previous + 1) {
                        problems.push(`heading h${level} after h${previous}: "${heading.textContent.trim()}"`);
                    }
                    previous = level;
                }
                for (const root of block.querySelectorAll('.coach-checkin')) {
                    if (root.closest('[lang]').getAttribute('lang') !== lang) {
                        problems.push(`${root.className} says lang="${root.closest('[lang]').lang}", not "${lang}"`);
                    }
                    for (const control of root.querySelectorAll(controls)) {
                        const box = control.getBoundingClientRect();
                        if (control.matches('.coach-link') || !control.getClientRects().length) { continue; }
                        if (box.width < 44 || box.height < 44) {
                            const size = `${Math.round(box.width)} x ${Math.round(box.height)} px`;
                            problems.push(`target ${size}, under 44 x 44: ${control.outerHTML.slice(0, 120)}`);
                        }
                    }
                }
            }
            return problems;
        }""",
        [scope, lang, top],
    )


class Audit:
    """Collects what axe and the structure checks find in each state, to report them all at once."""

    def __init__(self, axe_script, lang):
        self.axe_script = axe_script
        self.lang = lang
        self.findings = {}
        self.states = []

    def check(self, page, state):
        self.states.append(state)
        if page.locator(".coach-desk, .coach-journal").count():  # a page of ours: all of it, its title is its h1
            violations = axe_violations(page, self.axe_script, "html")
            problems = structure_problems(page, self.lang, ".coach-desk-page, .coach-journal-page", top=1)
            if page.locator("html").get_attribute("lang") != self.lang:
                problems.append(f"the page says lang={page.locator('html').get_attribute('lang')!r}")
        else:
            violations = axe_violations(page, self.axe_script)
            problems = structure_problems(page, self.lang)
        if violations or problems:
            self.findings[state] = (violations, problems)

    def report(self):
        lines = []
        for state, (violations, problems) in self.findings.items():
            lines.append(f"== {state}")
            for violation in violations:
                lines.append(f"  [{violation['impact']}] {violation['id']}: {violation['help']}")
                lines.append(f"      {violation['helpUrl']}")
                for node in violation["nodes"]:
                    lines.append(f"      at {node['target']}")
                    lines.append(f"         {node['html'][:200]}")
                    lines.extend(f"         {line}" for line in (node["summary"] or "").splitlines())
            lines.extend(f"  [structure] {problem}" for problem in problems)
        return "\n".join(lines)

    def assert_clean(self):
        assert self.states, "no state was checked"
        if self.findings:
            pytest.fail("accessibility problems found:\n" + self.report(), pytrace=False)


# Driving the story


def call(page, handler, payload, block=FIRST):
    """POST JSON to a handler of `block` as the page's user, as the block's script does; returns the JSON."""
    answer = post_from_page(page, block, handler, payload)
    assert answer["status"] == 200, answer
    return answer["body"]


def ask_by_handler(page, block=FIRST, token="t1"):
    return call(page, "ask", ask_payload(client_token=token), block)["request"]["id"]


def course_of(page, block=FIRST):
    """The course of the unit `page` shows (in the workbench, its scenario: the blocks' usage ids start with it)."""
    return page.locator(block).get_attribute("data-usage").split(".", 1)[0]


def desk_post(page, course, name, request_id, data=None):
    """POST a desk form of the request as the page's user, as its page would; the status (0: a redirect, done)."""
    answer = post_desk_form(page, desk_address(course, name, request_id=request_id), data or {})
    assert answer["status"] in (0, 303), answer
    return answer


def open_desk(open_page, course, student, locale, width, name="desk_course", query="", **kwargs):
    """`student` opens the desk page `name` of `course` in a browser of `locale` and `width`."""
    return open_page(desk_address(course, name, **kwargs) + query, student, locale, width)


def focused(locator):
    return locator.evaluate("(element) => element === document.activeElement")


def focus_ring_shows(page):
    """Whether the focused element draws a focus indicator (an outline or a box shadow)."""
    return page.evaluate(
        """() => {
            const style = getComputedStyle(document.activeElement);
            return (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none';
        }"""
    )


def tab_to(page, target, *, key="Tab", limit=80):
    """Press Tab until `target` has the focus; every stop inside our blocks (or on a desk page) must show its
    focus."""
    for _ in range(limit):
        if focused(target):
            return
        page.keyboard.press(key)
        inside = page.evaluate(f"() => !!document.activeElement.closest('{OUR_BLOCKS}, .coach-desk-page')")
        if inside:
            assert focus_ring_shows(page), page.evaluate("() => document.activeElement.outerHTML.slice(0, 200)")
    raise AssertionError(f"{limit} presses of {key} never reached {target}")


def expect_error_names_its_field(form, field, error_text):
    """The error shows `error_text`, names the field by its label and is tied to the field, which has the focus."""
    error = form.locator(".coach-error").first
    expect(error).to_be_visible()
    expect(error).to_contain_text(error_text)
    expect(field).to_be_focused()
    expect(field).to_have_attribute("aria-invalid", "true")
    error_id = error.get_attribute("id")
    assert error_id and error_id in field.get_attribute("aria-describedby").split()
    label = field.evaluate(
        "(f) => (f.labels[0] ? f.labels[0].textContent : '').replace(/\\s*\\([^()]*\\)\\s*$/, '').trim()"
    )
    assert label and label in error.text_content(), (label, error.text_content())
    return error


def send_from_the_keyboard(page, form):
    """From the form's last field, Tab to its button and press Enter, as a keyboard user sends it."""
    form.locator("input[name=link]").focus()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")


def invalid_fields(scope):
    return scope.locator("[aria-invalid=true]")


# Every view and state passes axe, in English and in French, at 1280 and 320 px


@pytest.mark.parametrize("lang, width", VIEWS)
def test_the_learner_view_passes_axe_in_every_state(open_page, axe_script, screenshot, lang, width):
    unit, locale = UNITS[lang], BROWSER_LOCALES[lang]
    audit = Audit(axe_script, lang)
    learner = open_page(unit, "mathilde", locale, width)
    coach = open_page(unit, "coach_karim", locale, width)
    block = learner.locator(FIRST)
    audit.check(learner, "empty form")

    # A refused submit (the server checks the link) shows its error in the form.
    form = fill_ask_form(block, link="not a link")
    form.locator("button[type=submit]").click()
    expect(form.locator(".coach-error")).to_be_visible()
    audit.check(learner, "an error shown after a bad submit")

    request_id = ask_by_handler(learner)
    learner.reload()
    expect(block.locator("article.coach-request")).to_have_attribute("data-status", "open")
    audit.check(learner, "waiting for a coach")

    course = course_of(learner)
    desk_post(coach, course, "desk_claim", request_id)
    learner.reload()
    audit.check(learner, "a coach is on it")

    desk_post(coach, course, "desk_answer", request_id, {"body": ANSWER})
    learner.reload()
    expect(block.locator("form.coach-reply-form")).to_be_visible()
    expect(block.locator("form.coach-resolve-form")).to_be_visible()
    audit.check(learner, "answered, with the reply and resolve forms")
    screenshot(learner, "answered")

    reply_form = block.locator("form.coach-reply-form")
    reply_form.locator("textarea[name=body]").fill("*Thanks*:\n\n- one\n- two https://example.org")
    reply_form.locator(".coach-preview-button").click()
    expect(reply_form.locator(".coach-preview em")).to_be_visible()
    audit.check(learner, "a reply written in Markdown, previewed")

    call(learner, "resolve", {"request_id": request_id, "rating": 5, "comment": THANKS})
    learner.reload()
    expect(block.locator("article.coach-request")).to_have_attribute("data-status", "resolved")
    audit.check(learner, "resolved")

    withdrawn_id = ask_by_handler(learner, token="t2")
    call(learner, "withdraw", {"request_id": withdrawn_id})
    learner.reload()
    expect(block.locator(f"article[data-request-id='{withdrawn_id}']")).to_have_attribute("data-status", "withdrawn")
    audit.check(learner, "withdrawn (and the form again)")

    audit.assert_clean()
    assert learner.errors == [] and coach.errors == []


@pytest.mark.parametrize("lang, width", VIEWS)
def test_the_coach_desk_passes_axe_in_every_state(open_page, axe_script, screenshot, lang, width):
    """The coach's summary in the unit, then every page and state of the desk: the queue empty, with rows and
    filtered; a request unclaimed, claimed, with its answer previewed, answered, held by another coach, after
    a refused claim; the analytics, the workload, the coach list and the home page of every course. Each
    state is saved as a screenshot."""
    unit, locale = UNITS[lang], BROWSER_LOCALES[lang]
    audit = Audit(axe_script, lang)

    def check(page, state, name):
        audit.check(page, state)
        screenshot(page, f"desk-{name}")

    karim = open_page(unit, "coach_karim", locale, width)
    course = course_of(karim)
    check(karim, "the coach's summary in the unit", "summary")
    karim.locator(f"{FIRST} .coach-summary a").click()
    expect(karim.locator(".coach-empty")).to_be_visible()
    check(karim, "empty queue", "queue-empty")

    mathilde = open_page(unit, "mathilde", locale, width)
    paul = open_page(unit, "paul", locale, width)
    first_id = ask_by_handler(mathilde)
    second_id = ask_by_handler(paul)
    karim.reload()
    expect(karim.locator("tr[data-request-id]")).to_have_count(2)
    check(karim, "queue with rows", "queue-rows")

    filtered = open_desk(open_page, course, "coach_karim", locale, width, query="?topic=skills&status=all&order=newest")
    expect(filtered.locator("tr[data-request-id]")).to_have_count(2)
    check(filtered, "queue filtered (skills, all statuses, newest first)", "queue-filtered")

    detail = open_request_on_desk(karim, first_id)
    expect(karim.locator("form.coach-inline-form button.coach-primary")).to_be_visible()
    check(karim, "request, unclaimed", "request-unclaimed")

    karim.locator("form.coach-inline-form button.coach-primary").click()
    expect(karim.locator("form.coach-answer-form")).to_be_visible()
    check(karim, "request, claimed by me (with its countdown)", "request-claimed")

    form = karim.locator("form.coach-answer-form")
    form.locator("textarea[name=body]").fill("*Well done*:\n\n- group your verbs\n- read https://example.org")
    form.locator("button.coach-secondary").click()
    expect(karim.locator(".coach-preview em")).to_be_visible()
    check(karim, "request, the answer previewed", "request-preview")

    lea = open_desk(open_page, course, "coach_lea", locale, width, "desk_request", request_id=first_id)
    expect(lea.locator(".coach-claim")).to_contain_text("coach_karim")
    check(lea, "request, claimed by another coach", "request-held")

    # Léa opens Paul's request; Karim claims it meanwhile; her claim is refused.
    lea.goto(lea.url.replace(f"/requests/{first_id}/", f"/requests/{second_id}/"))
    expect(lea.locator("form.coach-inline-form button.coach-primary")).to_be_visible()
    desk_post(karim, course, "desk_claim", second_id)
    lea.locator("form.coach-inline-form button.coach-primary").click()
    expect(lea.locator(".coach-error[role=alert]")).to_contain_text("coach_karim")
    check(lea, "request, after a refused claim", "request-refused")

    form.locator("button.coach-primary").click()
    expect(detail).to_have_attribute("data-status", "answered")
    check(karim, "request, answered", "request-answered")

    # A saved reply for the point, and a private note beside Mathilde's request.
    replies = open_desk(open_page, course, "coach_karim", locale, width, "desk_replies")
    new_reply = replies.locator("form.coach-new-reply").first
    new_reply.locator("input[name=title]").fill("Verbs")
    new_reply.locator("textarea[name=body]").fill("Start from your verbs.")
    new_reply.locator("button.coach-primary").click()
    expect(replies.locator("input[name=title][value=Verbs]")).to_have_count(1)
    check(replies, "saved replies, one written", "replies")
    noted = open_desk(open_page, course, "coach_karim", locale, width, "desk_request", request_id=first_id)
    noted.locator(".coach-notes textarea[name=body]").fill("Prefers examples from her network job.")
    noted.locator(".coach-notes form.coach-note-form button").click()
    expect(noted.locator(".coach-note-list li")).to_have_count(1)
    check(noted, "request, with a private note", "request-note")

    for name, state in (("desk_analytics", "analytics"), ("desk_workload", "workload"), ("desk_coaches", "coaches"),
                        ("desk_reports", "reports")):
        page = open_desk(open_page, course, "coach_karim", locale, width, name)
        expect(page.locator("main h1")).to_be_visible()
        check(page, state, state)
    home = open_page(desk_address(None, "desk_home"), "coach_karim", locale, width)
    expect(home.locator("main table").first.locator("tbody tr")).to_have_count(2)
    check(home, "home: every course coached", "home")

    audit.assert_clean()
    assert karim.errors == [] and lea.errors == []


@pytest.mark.parametrize("lang, width", VIEWS)
def test_reports_and_blocks_pass_axe_in_every_state(open_page, axe_script, screenshot, lang, width):
    """A coach's report form, refused then sent; the request reported, as a coach sees it; the moderation page
    and the review page of the course team; the learner told that her request is under review, then that she is
    blocked. Each state is saved as a screenshot."""
    unit, locale = UNITS[lang], BROWSER_LOCALES[lang]
    audit = Audit(axe_script, lang)

    def check(page, state, name):
        audit.check(page, state)
        screenshot(page, f"moderation-{name}")

    mathilde = open_page(unit, "mathilde", locale, width)
    course = course_of(mathilde)
    request_id = ask_by_handler(mathilde)
    CourseCoach.objects.create(course_key=course, username="coach_ines")

    ines = open_desk(open_page, course, "coach_ines", locale, width, "desk_request", request_id=request_id)
    ines.locator("details.coach-report summary").click()
    ines.locator("form.coach-report-form textarea").fill(" ")
    ines.locator("form.coach-report-form").evaluate("form => form.noValidate = true")
    ines.locator("form.coach-report-form button").click()
    expect(ines.locator("#coach-report-error")).to_be_visible()
    check(ines, "request, a refused report", "report-refused")
    ines.locator("form.coach-report-form textarea").fill("Insults the coaches.")
    ines.locator("form.coach-report-form button").click()
    expect(ines.locator(".coach-report-notice")).to_be_visible()
    check(ines, "request, reported (its texts hidden)", "reported")

    mathilde.reload()
    expect(mathilde.locator(f"{FIRST} .coach-reported")).to_be_visible()
    audit.check(mathilde, "the learner's request under review")

    karim = open_desk(open_page, course, "coach_karim", locale, width, "desk_moderation")
    expect(karim.locator("main tbody tr")).to_have_count(1)
    check(karim, "moderation page, a report to review", "moderation")
    review = open_desk(open_page, course, "coach_karim", locale, width, "desk_review", request_id=request_id)
    check(review, "review page, under review", "review")
    review.locator("form.coach-block-form textarea").fill("Insulted the coaches.")
    review.locator("form.coach-block-form button").click()
    expect(review.locator("main table")).to_have_count(2)
    check(review, "moderation page, a report and a blocked learner", "moderation-blocked")

    mathilde.reload()
    expect(mathilde.locator(f"{FIRST} .coach-blocked")).to_be_visible()
    audit.check(mathilde, "the learner, blocked")

    audit.assert_clean()
    assert mathilde.errors == [] and ines.errors == [] and karim.errors == []


@pytest.mark.parametrize("lang, width", VIEWS)
def test_the_author_and_studio_views_pass_axe(open_page, axe_script, lang, width):
    unit, locale = UNITS[lang], BROWSER_LOCALES[lang]
    audit = Audit(axe_script, lang)
    ask_by_handler(open_page(unit, "mathilde", locale, width))
    author = open_page(f"{unit}author_view/", "coach_karim", locale, width)
    expect(author.locator(f"{FIRST} .coach-open-count")).to_have_text("1")
    audit.check(author, "author view (a coach: the settings and the queue)")
    audit.check(open_page(f"{unit}author_view/", "mathilde", locale, width), "author view (not a coach)")
    studio = open_page(f"{unit}studio_view/", "coach_karim", locale, width)
    expect(studio.locator(f"{FIRST} textarea[data-field-name=prompt]")).to_be_visible()
    audit.check(studio, "studio view (the settings editor)")
    audit.assert_clean()


@pytest.mark.parametrize("lang, width", STORY_VIEWS)
def test_the_learner_path_when_help_did_not_help_passes_axe(open_page, axe_script, screenshot, lang, width):
    """The states of "It did not help me": the form beside "This helped", its error on the choice, a request asked
    again (for the learner; in Léa's queue; on Karim's page, kept from him; on Léa's), a request closed as not
    helped (for the learner and the coach), the sentence about the email after asking, and the poll's failure."""
    unit, locale = UNITS[lang], BROWSER_LOCALES[lang]
    audit = Audit(axe_script, lang)
    learner = open_page(unit, "mathilde", locale, width)
    learner.clock.install()
    learner.reload()
    block = learner.locator(FIRST)
    expect(block.locator(".coach-open-ask")).to_have_attribute("aria-expanded", "false")
    audit.check(learner, "tips first, the form behind its button")
    block.locator(".coach-open-ask").click()
    expect(block.locator("form.coach-ask-form")).to_be_visible()
    audit.check(learner, "the form opened below the tips")
    fill_ask_form(block).locator("button[type=submit]").click()
    expect(block.locator(".coach-sent")).to_be_visible()
    audit.check(learner, "just asked: whether an email will come")

    learner.route("**/learner_state/**", lambda route: route.abort("internetdisconnected"))
    learner.clock.run_for(30_000)
    expect(block.locator(".coach-poll-status")).not_to_have_text("")
    audit.check(learner, "a failed poll said")
    learner.unroute("**/learner_state/**")

    request_id = int(block.locator("article.coach-request").get_attribute("data-request-id"))
    course = course_of(learner)
    coach = open_page(unit, "coach_karim", locale, width)
    desk_post(coach, course, "desk_claim", request_id)
    desk_post(coach, course, "desk_answer", request_id, {"body": ANSWER})
    learner.reload()
    form = block.locator("form.coach-not-helped-form")
    expect(form).to_be_visible()
    audit.check(learner, "answered, with 'It did not help me' beside 'This helped'")
    screenshot(learner, f"not-helped-{lang}")
    form.locator("textarea[name=comment]").fill("I need examples.")
    form.locator("button[type=submit]").click()
    expect(form.locator(".coach-error")).to_be_visible()
    audit.check(learner, "'It did not help me' sent without a choice")
    form.locator("input[name=then][value=ask_again]").check()
    form.locator("button[type=submit]").click()
    expect(block.locator(".coach-asked-again")).to_be_visible()
    audit.check(learner, "asked again")

    lea = open_desk(open_page, course, "coach_lea", locale, width)
    expect(lea.locator(".coach-badge-asked-again")).to_be_visible()
    audit.check(lea, "queue: a request asked again")
    karim = open_desk(open_page, course, "coach_karim", locale, width, "desk_request", request_id=request_id)
    expect(karim.locator(".coach-not-helped")).to_be_visible()
    audit.check(karim, "request asked again, for the coach whose answer did not help")
    lea = open_desk(open_page, course, "coach_lea", locale, width, "desk_request", request_id=request_id)
    audit.check(lea, "request asked again, for another coach")
    screenshot(lea, f"desk-asked-again-{lang}")

    desk_post(lea, course, "desk_claim", request_id)
    desk_post(lea, course, "desk_answer", request_id, {"body": ANSWER})
    call(learner, "not_helped", {"request_id": request_id, "then": "close", "comment": "Still lost.", "rating": 2})
    learner.reload()
    expect(block.locator("article.coach-request")).to_have_attribute("data-status", "not_helped")
    audit.check(learner, "closed: did not help")
    lea.reload()
    audit.check(lea, "request closed as not helped, for the coach")
    audit.assert_clean()
    assert learner.errors == [] and karim.errors == [] and lea.errors == []


@pytest.mark.parametrize("lang, width", VIEWS)
def test_the_analytics_per_point_and_the_learners_comments_pass_axe(open_page, axe_script, screenshot, lang, width):
    """The desk's analytics of a course with figures at every point (the chart, its tables, the learners'
    comments of low ratings and of answers that did not help), the block's analytics of the course as the
    handler draws them, and the author view with its point's comments."""
    from story.analytics import seed

    course, locale = seed(lang), BROWSER_LOCALES[lang]
    audit = Audit(axe_script, lang)
    desk = open_desk(open_page, course, "coach_karim", locale, width, "desk_analytics")
    expect(desk.locator("table.coach-points tbody tr")).to_have_count(5)
    expect(desk.locator("ul.coach-comments li")).to_have_count(2)
    audit.check(desk, "desk analytics, with a row per point and comments")
    screenshot(desk, "desk-analytics-points")
    author = open_page(f"{UNITS[lang]}author_view/", "coach_karim", locale, width)
    expect(author.locator(f"{FIRST} ul.coach-comments li")).to_have_count(1)
    audit.check(author, "author view, with its point's comments")
    course_wide = call(author, "analytics", {"scope": "course", "period": "30"})
    author.locator(f"{FIRST} .coach-analytics").evaluate("(section, html) => { section.outerHTML = html; }",
                                                          course_wide["html"])
    expect(author.locator(f"{FIRST} table.coach-points tbody tr")).to_have_count(5)
    audit.check(author, "author view, the course's analytics (handler, scope course)")
    audit.assert_clean()


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_settings_editor_with_errors_beside_its_settings_passes_axe(open_page, axe_script, lang):
    """Studio's editor after a refused save: each error beside its setting, the setting invalid and described by
    it, the focus on the first (tests/test_browser_studio_errors.py plays it whole)."""
    audit = Audit(axe_script, lang)
    studio = open_page(f"{UNITS[lang]}studio_view/", "coach_karim", BROWSER_LOCALES[lang], 320)
    studio.on("dialog", lambda dialog: dialog.dismiss())
    editor = studio.locator(FIRST)
    editor.locator("li[data-field-name=display_name] .field-data-control").fill(" ")
    editor.locator("li[data-field-name=max_open_requests] .field-data-control").fill("0")
    editor.locator(".save-button").click()
    expect(editor.locator(".coach-edit-error")).to_have_count(2)
    audit.check(studio, "studio view, a refused save's errors beside their settings")
    audit.assert_clean()


# The whole story with the keyboard only


@pytest.mark.parametrize("lang, width", STORY_VIEWS)
def test_the_whole_story_with_the_keyboard_only(open_page, lang, width):
    unit, locale, status = UNITS[lang], BROWSER_LOCALES[lang], STATUS[lang]

    # Mathilde tabs into the form, types her request and sends it with Enter.
    learner = open_page(unit, "mathilde", locale, width)
    mathilde = learner.locator(FIRST)
    asks = []
    learner.on("request", lambda request: asks.append(request) if "/ask/" in request.url else None)
    form = mathilde.locator("form.coach-ask-form")
    tab_to(learner, mathilde.locator(".coach-open-ask"))
    learner.keyboard.press("Enter")
    expect(form.locator("textarea[name=working_on]")).to_be_focused()
    learner.keyboard.type(ASK["working_on"])
    for name, text in (("stuck_on", ASK["stuck_on"]), ("tried", ASK["tried"]), ("link", ASK["link"])):
        learner.keyboard.press("Tab")
        expect(form.locator(f"[name={name}]")).to_be_focused()
        learner.keyboard.type(text)
    learner.keyboard.press("Tab")
    expect(form.locator("button[type=submit]")).to_be_focused()
    learner.keyboard.press("Enter")
    learner.keyboard.press("Enter")  # an impatient second press sends nothing more

    request = mathilde.locator("article.coach-request")
    expect(request).to_have_count(1)
    expect(request).to_have_attribute("data-status", "open")
    request_id = request.get_attribute("data-request-id")
    expect(request.locator(".coach-request-title")).to_be_focused()
    expect(request.locator(".coach-request-title")).to_contain_text(status["open"])
    announce = mathilde.locator(".coach-announce")
    expect(announce).to_have_attribute("role", "status")
    expect(announce).to_have_attribute("aria-live", "polite")
    expect(announce).to_contain_text(status["open"])
    expect(announce).to_contain_text(request_id)
    assert len(asks) == 1
    assert CheckinRequest.objects.count() == 1

    # Karim, on the coach desk, tabs to the request in his queue and opens it with Enter; he tabs to Claim
    # and presses Space; on the page that follows he tabs to the answer box, types, and sends it with Enter.
    course = course_of(learner)
    coach = open_desk(open_page, course, "coach_karim", locale, width)
    tab_to(coach, coach.locator(f"tr[data-request-id='{request_id}'] a"))
    coach.keyboard.press("Enter")
    detail = request_article(coach, request_id)
    expect(detail.locator(".coach-badge").first).to_have_text(status["open"])
    tab_to(coach, coach.locator("form.coach-inline-form button.coach-primary"))
    coach.keyboard.press("Space")
    answer_box = coach.locator("form.coach-answer-form textarea[name=body]")
    expect(answer_box).to_be_visible()
    expect(coach.locator(".coach-done")).to_have_attribute("role", "status")
    expect(detail.locator(".coach-claim")).to_contain_text("coach_karim")
    tab_to(coach, answer_box)
    coach.keyboard.type(ANSWER)
    coach.keyboard.press("Tab")
    expect(coach.locator("form.coach-answer-form button.coach-primary")).to_be_focused()
    coach.keyboard.press("Enter")
    expect(detail).to_have_attribute("data-status", "answered")
    expect(detail.locator(".coach-badge").first).to_have_text(status["answered"])
    expect(coach.locator(".coach-done")).to_have_attribute("role", "status")
    # Back to the queue, which no longer holds the answered request.
    tab_to(coach, coach.locator(f"main a[href^='{desk_address(course)}?']").first)
    coach.keyboard.press("Enter")
    expect(coach.locator("main .coach-empty")).to_be_visible()
    assert CheckinRequest.objects.get(pk=request_id).messages.get(author_role="coach").body == ANSWER

    # Mathilde reloads, replies, then rates with the arrow keys and marks the request resolved.
    learner.reload()
    reply_box = request.locator("form.coach-reply-form textarea[name=body]")
    tab_to(learner, reply_box)
    learner.keyboard.type(REPLY)
    learner.keyboard.press("Tab")
    expect(request.locator("form.coach-reply-form button[type=submit]")).to_be_focused()
    learner.keyboard.press("Enter")
    expect(request).to_have_attribute("data-status", "open")
    expect(request.locator(".coach-message-learner")).to_contain_text(REPLY)
    expect(request.locator(".coach-request-title")).to_be_focused()
    expect(mathilde.locator(".coach-announce")).to_contain_text(status["open"])

    resolve = request.locator("form.coach-resolve-form")
    tab_to(learner, resolve.locator("input[name=rating][value='1']"))
    for _ in range(3):
        learner.keyboard.press("ArrowRight")
    expect(resolve.locator("input[name=rating][value='4']")).to_be_checked()
    expect(resolve.locator("input[name=rating][value='4']")).to_be_focused()
    learner.keyboard.press("Tab")
    expect(resolve.locator("textarea[name=comment]")).to_be_focused()
    learner.keyboard.type(THANKS)
    learner.keyboard.press("Tab")
    expect(resolve.locator("button[type=submit]")).to_be_focused()
    learner.keyboard.press("Enter")
    expect(request).to_have_attribute("data-status", "resolved")
    expect(request.locator(".coach-request-title")).to_be_focused()
    expect(mathilde.locator(".coach-announce")).to_contain_text(status["resolved"])
    expect(request.locator(".coach-rating")).to_contain_text("4")
    assert CheckinRequest.objects.get(pk=request_id).rating == 4
    assert learner.errors == [] and coach.errors == []


# Errors name their field, are tied to it and take the focus


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_an_error_names_its_field_and_takes_the_focus(open_page, lang):
    page = open_page(UNITS[lang], "paul", BROWSER_LOCALES[lang])
    block = page.locator(FIRST)
    asks = []
    page.on("request", lambda request: asks.append(request) if "/ask/" in request.url else None)

    # Checked before sending: "Where are you stuck?" is too short. Nothing is sent.
    form = fill_ask_form(block, stuck_on="Too short")
    send_from_the_keyboard(page, form)
    stuck_on = form.locator("textarea[name=stuck_on]")
    expect_error_names_its_field(form, stuck_on, "9")
    expect(invalid_fields(form)).to_have_count(1)
    assert asks == []

    # Refused by the server: the link is not a web address. The error names the link field, not the first one.
    stuck_on.fill(ASK["stuck_on"])
    link = form.locator("input[name=link]")
    link.fill("not a link")
    send_from_the_keyboard(page, form)
    expect_error_names_its_field(form, link, "http")
    expect(invalid_fields(form)).to_have_count(1)
    expect(stuck_on).not_to_have_attribute("aria-invalid", "true")
    assert len(asks) == 1
    assert CheckinRequest.objects.count() == 0

    # Corrected, it goes, and the error is gone with the form.
    link.fill(ASK["link"])
    link.press("Enter")
    expect(block.locator("article.coach-request")).to_have_attribute("data-status", "open")
    assert page.errors == []


def test_a_coach_reads_the_refusal_in_focus_and_an_empty_answer_names_its_field(open_page):
    unit = UNITS["en"]
    mathilde = open_page(unit, "mathilde")
    request_id = ask_by_handler(mathilde)
    course = course_of(mathilde)
    lea = open_desk(open_page, course, "coach_lea", "en-US", 1280, "desk_request", request_id=request_id)
    karim = open_desk(open_page, course, "coach_karim", "en-US", 1280, "desk_request", request_id=request_id)

    # Léa opens the request; Karim claims it meanwhile; her claim is refused, and she is told who holds it:
    # the new page's error takes the focus and is said at once (role=alert).
    claim = lea.locator("form.coach-inline-form button.coach-primary")
    expect(claim).to_be_visible()
    desk_post(karim, course, "desk_claim", request_id)
    claim.focus()
    lea.keyboard.press("Enter")
    refusal = lea.locator(".coach-error[role=alert]")
    expect(refusal).to_contain_text(f"coach_karim is already working on request #{request_id}")
    expect(refusal).to_be_focused()
    expect(invalid_fields(lea)).to_have_count(0)

    # Karim sends an empty answer: the browser keeps it (the box is required) and focuses the box.
    karim.reload()
    form = karim.locator("form.coach-answer-form")
    answer_box = form.locator("textarea[name=body]")
    posts = []
    karim.on("request", lambda request: posts.append(request.url) if request.method == "POST" else None)
    form.locator("button.coach-primary").focus()
    karim.keyboard.press("Enter")
    expect(answer_box).to_be_focused()
    assert answer_box.evaluate("(box) => box.validity.valueMissing")
    assert posts == []

    # Spaces only pass the browser: the server refuses them, the error names the box, is tied to it and
    # takes the focus; the box keeps what was typed.
    answer_box.fill("   ")
    form.locator("button.coach-primary").focus()
    karim.keyboard.press("Enter")
    error = karim.locator(".coach-error[role=alert]")
    expect(error).to_have_text("Your answer: this field is required.")
    expect(error).to_be_focused()
    assert error.get_attribute("id") in answer_box.get_attribute("aria-describedby").split()
    label = answer_box.evaluate("(box) => box.labels[0].textContent.trim()")
    assert label in error.text_content()
    assert lea.errors == [] and karim.errors == []


# A button in flight


def test_a_button_in_flight_is_disabled_busy_spinning_and_sends_once(open_page):
    page = open_page(UNITS["en"], "paul")
    block = page.locator(FIRST)
    held = []
    page.route(lambda url: "/ask/" in url, lambda route: held.append(route))
    form = fill_ask_form(block)
    button = form.locator("button[type=submit]")
    button.focus()
    page.keyboard.press("Enter")

    expect(button).to_be_disabled()
    expect(button).to_have_attribute("aria-busy", "true")
    spinner = button.evaluate(
        """(b) => { const s = getComputedStyle(b, '::before');
                    return {content: s.content, animation: s.animationName, width: parseFloat(s.width)}; }"""
    )
    assert spinner["content"] != "none" and spinner["animation"] == "coach-checkin-spin" and spinner["width"] > 0
    # While it is in flight, pressing Enter again, clicking or submitting the form sends nothing more.
    page.keyboard.press("Enter")
    button.dispatch_event("click")
    form.evaluate("(f) => f.dispatchEvent(new Event('submit', {bubbles: true, cancelable: true}))")
    assert len(held) == 1

    held[0].continue_()
    expect(block.locator("article.coach-request")).to_have_count(1)
    assert CheckinRequest.objects.count() == 1
    assert page.errors == []


def test_saving_email_choices_on_the_journal_from_the_keyboard_says_so(open_page):
    page = open_page(UNITS["en"], "paul")
    tab_to(page, page.locator(f"{FIRST} .coach-journal-link a"))
    page.keyboard.press("Enter")
    form = page.locator("form.coach-preferences-form")
    tab_to(page, form.locator("input[name=answer_emails]"))
    page.keyboard.press("Space")
    expect(form.locator("input[name=answer_emails]")).not_to_be_checked()
    tab_to(page, form.locator("button[type=submit]"))
    page.keyboard.press("Enter")
    expect(page.locator(".coach-done[role=status]")).to_have_text("Your email choices were saved.")
    expect(page.locator("form.coach-preferences-form input[name=answer_emails]")).not_to_be_checked()
    assert page.errors == []


@pytest.mark.parametrize("lang, width", VIEWS)
def test_the_learners_journal_passes_axe_in_every_state(open_page, axe_script, screenshot, lang, width):
    """Mathilde's coaching journal: empty, with a request waiting and one answered, after her email choices
    were saved, and after a refused form (its reason in focus). Each state is saved as a screenshot."""
    unit, locale = UNITS[lang], BROWSER_LOCALES[lang]
    audit = Audit(axe_script, lang)

    def check(page, state, name):
        audit.check(page, state)
        screenshot(page, f"journal-{name}")

    mathilde = open_page(unit, "mathilde", locale, width)
    course = course_of(mathilde)
    journal = open_page(desk_address(course, "journal"), "mathilde", locale, width)
    expect(journal.locator(".coach-empty")).to_be_visible()
    check(journal, "journal, empty", "empty")

    answered = ask_by_handler(mathilde)
    ask_by_handler(mathilde, '[data-usage$=".coach_checkin.d1.u0"]', token="t2")
    karim = open_page(unit, "coach_karim", locale, width)
    desk_post(karim, course, "desk_claim", answered)
    desk_post(karim, course, "desk_answer", answered, {"body": "*Start* from your verbs: https://example.org"})
    journal.reload()
    expect(journal.locator("article.coach-request")).to_have_count(2)
    check(journal, "journal, a request waiting and one answered", "requests")

    journal.locator("form.coach-preferences-form button[type=submit]").click()
    expect(journal.locator(".coach-done[role=status]")).to_be_visible()
    check(journal, "journal, email choices saved", "saved")

    journal.locator("input[name=answer_emails]").evaluate("(box) => { box.value = 'maybe'; box.checked = true; }")
    journal.locator("form.coach-preferences-form button[type=submit]").click()
    expect(journal.locator(".coach-error[role=alert]")).to_be_focused()
    check(journal, "journal, email choices refused", "refused")

    audit.assert_clean()
    assert journal.errors == [] and mathilde.errors == []

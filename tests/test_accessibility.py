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
from story.browser import fill_ask_form, post_from_page
from story.workbench import ask_payload

from coach_xblock.models import CheckinRequest

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
    "fr": {"open": "En attente d'un coach", "answered": "Répondue", "resolved": "Résolue"},
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


def axe_violations(page, axe_script):
    """The WCAG 2.0/2.1 A and AA violations axe-core finds in our blocks of `page`."""
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
        [OUR_BLOCKS, AXE_TAGS],
    )


def structure_problems(page, lang):
    """Headings that do not start at h3 or skip a level, blocks that do not say their language, and
    controls smaller than 44 x 44 px (links inside a sentence excepted)."""
    return page.evaluate(
        """([selector, lang]) => {
            const problems = [];
            const controls = 'button, select, textarea, label.coach-star, label.coach-checkbox, '
                + 'input:not([type=radio]):not([type=checkbox]):not([type=hidden])';
            for (const block of document.querySelectorAll(selector)) {
                let previous = 2;
                for (const heading of block.querySelectorAll('h1, h2, h3, h4, h5, h6')) {
                    if (!heading.getClientRects().length) { continue; }
                    const level = Number(heading.tagName[1]);
                    if (level < 3 || level > previous + 1) {
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
        [OUR_BLOCKS, lang],
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


def queue_reloaded(response):
    """The coach view reloads its queue after each action: wait for it (the test database takes one call at a time)."""
    return "/queue/" in response.url


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
    """Press Tab until `target` has the focus; every stop inside our blocks must show its focus."""
    for _ in range(limit):
        if focused(target):
            return
        page.keyboard.press(key)
        inside = page.evaluate(f"() => !!document.activeElement.closest('{OUR_BLOCKS}')")
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

    call(coach, "claim", {"request_id": request_id})
    learner.reload()
    audit.check(learner, "a coach is on it")

    call(coach, "coach_reply", {"request_id": request_id, "body": ANSWER})
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
def test_the_coach_view_passes_axe_in_every_state(open_page, axe_script, screenshot, lang, width):
    unit, locale = UNITS[lang], BROWSER_LOCALES[lang]
    audit = Audit(axe_script, lang)
    karim = open_page(unit, "coach_karim", locale, width)
    audit.check(karim, "empty queue")

    mathilde = open_page(unit, "mathilde", locale, width)
    paul = open_page(unit, "paul", locale, width)
    first_id = ask_by_handler(mathilde)
    second_id = ask_by_handler(paul)
    karim.reload()
    queue = karim.locator(f"{FIRST} .coach-queue")
    expect(queue.locator("tbody tr")).to_have_count(2)
    audit.check(karim, "queue with rows")

    karim.locator(f"{FIRST} .coach-queue button[data-action=open][data-request-id='{first_id}']").click()
    detail = karim.locator(f"{FIRST} .coach-detail article[data-request-id='{first_id}']")
    expect(detail.locator("button[data-action=claim]")).to_be_visible()
    audit.check(karim, "request detail, unclaimed")

    with karim.expect_response(queue_reloaded):
        detail.locator("button[data-action=claim]").click()
    expect(detail.locator("form.coach-answer-form")).to_be_visible()
    audit.check(karim, "request detail, claimed by me")
    screenshot(karim, "claimed")

    lea = open_page(unit, "coach_lea", locale, width)
    lea.locator(f"{FIRST} .coach-queue button[data-action=open][data-request-id='{first_id}']").click()
    lea_detail = lea.locator(f"{FIRST} .coach-detail article[data-request-id='{first_id}']")
    expect(lea_detail.locator(".coach-claim")).to_contain_text("coach_karim")
    audit.check(lea, "request detail, claimed by another coach")

    # Léa opens Paul's request; Karim claims it meanwhile; her claim is refused.
    lea.locator(f"{FIRST} .coach-queue button[data-action=open][data-request-id='{second_id}']").click()
    lea_detail = lea.locator(f"{FIRST} .coach-detail article[data-request-id='{second_id}']")
    expect(lea_detail.locator("button[data-action=claim]")).to_be_visible()
    call(karim, "claim", {"request_id": second_id})
    lea_detail.locator("button[data-action=claim]").click()
    expect(lea_detail.locator(".coach-error").first).to_contain_text("coach_karim")
    audit.check(lea, "request detail, after a refused claim")
    screenshot(lea, "refused")

    audit.assert_clean()
    assert karim.errors == [] and lea.errors == []


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
    tab_to(learner, form.locator("textarea[name=working_on]"))
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

    # Karim tabs to the request in his queue, opens it, claims it, types and sends his answer.
    coach = open_page(unit, "coach_karim", locale, width)
    karim = coach.locator(FIRST)
    tab_to(coach, karim.locator(f".coach-queue button[data-action=open][data-request-id='{request_id}']"))
    coach.keyboard.press("Enter")
    detail = karim.locator(f".coach-detail article[data-request-id='{request_id}']")
    expect(detail.locator(".coach-request-title")).to_be_focused()
    expect(karim.locator(".coach-announce")).to_contain_text(status["open"])
    tab_to(coach, detail.locator("button[data-action=claim]"))
    with coach.expect_response(queue_reloaded):
        coach.keyboard.press("Space")
    answer_box = detail.locator("form.coach-answer-form textarea[name=body]")
    expect(answer_box).to_be_focused()
    expect(karim.locator(".coach-announce")).to_contain_text("coach_karim")
    coach.keyboard.type(ANSWER)
    coach.keyboard.press("Tab")
    expect(detail.locator("form.coach-answer-form button[type=submit]")).to_be_focused()
    with coach.expect_response(queue_reloaded):
        coach.keyboard.press("Enter")
    expect(detail).to_have_attribute("data-status", "answered")
    expect(detail.locator(".coach-request-title")).to_be_focused()
    expect(karim.locator(".coach-announce")).to_contain_text(status["answered"])
    # Back to the queue, which no longer holds the answered request: the focus goes to the queue.
    tab_to(coach, detail.locator("button[data-action=close]"))
    coach.keyboard.press("Enter")
    expect(karim.locator(".coach-queue .coach-empty")).to_be_focused()

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
    request_id = ask_by_handler(open_page(unit, "mathilde"))
    lea = open_page(unit, "coach_lea")
    karim = open_page(unit, "coach_karim")

    # Léa opens the request; Karim claims it meanwhile; her claim is refused, and she is told who holds it.
    lea.locator(f"{FIRST} .coach-queue button[data-action=open][data-request-id='{request_id}']").click()
    lea_detail = lea.locator(f"{FIRST} .coach-detail article[data-request-id='{request_id}']")
    expect(lea_detail.locator("button[data-action=claim]")).to_be_visible()
    call(karim, "claim", {"request_id": request_id})
    lea_detail.locator("button[data-action=claim]").focus()
    lea.keyboard.press("Enter")
    refusal = lea_detail.locator(".coach-error").first
    expect(refusal).to_contain_text(f"coach_karim is already working on request #{request_id}")
    expect(refusal).to_be_focused()
    expect(invalid_fields(lea_detail)).to_have_count(0)

    # Karim sends an empty answer: the answer box is named, marked and focused.
    karim.reload()
    karim.locator(f"{FIRST} .coach-queue button[data-action=open][data-request-id='{request_id}']").click()
    detail = karim.locator(f"{FIRST} .coach-detail article[data-request-id='{request_id}']")
    form = detail.locator("form.coach-answer-form")
    form.locator("button[type=submit]").focus()
    karim.keyboard.press("Enter")
    expect_error_names_its_field(form, form.locator("textarea[name=body]"), "Your answer: this field is required.")
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


def test_saving_email_choices_keeps_the_focus_and_says_so(open_page):
    page = open_page(UNITS["en"], "paul")
    block = page.locator(FIRST)
    form = block.locator("form.coach-preferences-form")
    tab_to(page, form.locator("input[name=answer_emails]"))
    page.keyboard.press("Space")
    expect(form.locator("input[name=answer_emails]")).not_to_be_checked()
    tab_to(page, form.locator("button[type=submit]"))
    page.keyboard.press("Enter")
    expect(block.locator(".coach-announce")).to_have_text("Your email choices were saved.")
    expect(block.locator("form.coach-preferences-form button[type=submit]")).to_be_focused()
    expect(block.locator("form.coach-preferences-form input[name=answer_emails]")).not_to_be_checked()
    assert page.errors == []

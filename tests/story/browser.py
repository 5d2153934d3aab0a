"""The story in a browser: Mathilde's form filled in, handlers called from a page as the block's script does, and
the coach desk's pages as a coach clicks through them."""
from playwright.sync_api import expect

from . import ASK


def post_from_page(page, selector, handler, payload):
    """POST JSON to a handler of the block at `selector`, from the page, as the block's script does.

    Returns {"status": ..., "body": ...}.
    """
    return page.evaluate(
        """async ([selector, handler, payload]) => {
            const element = document.querySelector(selector);
            const url = RuntimeProvider.getRuntime(1).handlerUrl(element, handler);
            const token = document.cookie.split('; ').find((c) => c.startsWith('csrftoken=')).split('=')[1];
            const response = await fetch(url, {
                method: 'POST',
                headers: {'Content-Type': 'application/json', 'X-CSRFToken': token},
                body: JSON.stringify(payload),
            });
            return {status: response.status, body: await response.json()};
        }""",
        [selector, handler, payload],
    )


def open_ask_form(block):
    """Where the check-in has tips, click "Still stuck? Ask a coach" (once the block's script has drawn it) to
    open the form below them; the form."""
    form = block.locator("form.coach-ask-form")
    expect(block.locator("form.coach-ask-form[data-token]")).to_have_count(1)  # the script ran
    opener = block.locator(".coach-open-ask")
    if opener.count() and opener.get_attribute("aria-expanded") == "false":
        opener.click()
    expect(form).to_be_visible()
    return form


def fill_ask_form(block, **changes):
    """Fill the learner's form of `block` (a check-in's element) with ASK and `changes`, opening it below the
    tips first; the form, which the caller sends."""
    texts = {**ASK, **changes}
    form = open_ask_form(block)
    for name in ("working_on", "stuck_on", "tried"):
        form.locator(f"textarea[name={name}]").fill(texts[name])
    form.locator("input[name=link]").fill(texts["link"])
    return form


# The coach desk, in a coach's browser: server-rendered pages, each POST form answered by a new page.


def desk_address(course, name="desk_course", **kwargs):
    """The path of the desk's page `name` of `course` (open_page adds the workbench's ?student=)."""
    from .desk import desk_path

    return desk_path(name, course, **kwargs)


def open_request_on_desk(page, request_id):
    """On a desk page listing the request, follow its link; the request's article on the page it opens."""
    page.locator(f"tr[data-request-id='{request_id}'] a").first.click()
    return request_article(page, request_id)


def request_article(page, request_id):
    """The request's article on its desk page, once the page shows it."""
    article = page.locator(f"article.coach-request-detail[data-request-id='{request_id}']")
    expect(article).to_be_visible()
    return article


def claim_on_desk(page, minutes=30):
    """Click Claim on the request's page; the page after the claim shows the answer form."""
    page.get_by_role("button", name=f"Claim this request ({minutes} minutes)").click()
    expect(page.locator("form.coach-answer-form")).to_be_visible()


def answer_on_desk(page, text, send="Send answer"):
    """Type `text` in the answer form and send it; the page that follows."""
    form = page.locator("form.coach-answer-form")
    form.locator("textarea[name=body]").fill(text)
    form.get_by_role("button", name=send).click()


def post_desk_form(page, path, data):
    """POST the form `data` to the desk's `path` from `page`, as its user (?student= of the page, the CSRF
    cookie), following no redirect; {"status": ..., "text": ...} (a 303 reads as status 0, opaque)."""
    return page.evaluate(
        """async ([path, data]) => {
            const student = new URL(window.location.href).searchParams.get('student');
            const token = document.cookie.split('; ').find((c) => c.startsWith('csrftoken=')).split('=')[1];
            const body = new URLSearchParams({...data, csrfmiddlewaretoken: token});
            const response = await fetch(`${path}?student=${encodeURIComponent(student)}`, {
                method: 'POST', body, redirect: 'manual', credentials: 'same-origin',
            });
            return {status: response.status, text: await response.text()};
        }""",
        [path, data],
    )

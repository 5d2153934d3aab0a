"""The story in a browser: Mathilde's form filled in, and handlers called from a page as the block's script does."""
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


def fill_ask_form(block, **changes):
    """Fill the learner's form of `block` (a check-in's element) with ASK and `changes`; the form, which
    the caller sends."""
    texts = {**ASK, **changes}
    form = block.locator("form.coach-ask-form")
    for name in ("working_on", "stuck_on", "tried"):
        form.locator(f"textarea[name={name}]").fill(texts[name])
    form.locator("input[name=link]").fill(texts["link"])
    return form

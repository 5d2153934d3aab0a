"""Studio's settings editor (the block's studio_view, xblock.utils' editor) in Chromium, in English and in
French: a save the settings' validation refuses shows each error beside the setting it concerns (the setting
marked aria-invalid and described by its error), the first such setting takes the focus, the editor's own
message (an alert outside Studio) still says it, and nothing is saved. A good save then clears the errors.

The workbench's studio_view stands for Studio's editor (tests/platform/test_platform_studio_edits.py follows
Studio's handler and permissions).
"""
import pytest
from playwright.sync_api import expect
from story import unchanged

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

UNITS = {"en": "/scenario/coach_checkin.1/", "fr": "/scenario/coach_checkin.0/"}
LOCALES = {"en": "en-US", "fr": "fr-FR"}
SKILLS = '[data-usage$=".coach_checkin.d0.u0"]'
SAYS = {
    "en": {"display_name": "Give the check-in point a display name.",
           "max_open_requests": "Open requests per learner: enter a number from 1 to 20, not 0.",
           "min_length": "Minimum length (characters): enter a number from 0 to the maximum length (2,000), "
                         "not 3,000."},
    "fr": {"display_name": "Donnez un nom affiché au point de coaching.",
           "max_open_requests": "Demandes en cours par apprenant",
           "min_length": "Longueur minimale (caractères)"},
}


def setting(editor, name):
    return editor.locator(f"li[data-field-name={name}]")


def control(editor, name):
    return setting(editor, name).locator(".field-data-control")


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_each_refused_setting_shows_its_error_beside_it(open_page, snap, lang):
    page = open_page(f"{UNITS[lang]}studio_view/", "coach_karim", LOCALES[lang], 320)
    alerts = []
    page.on("dialog", lambda dialog: (alerts.append(dialog.message), dialog.dismiss()))
    editor = page.locator(SKILLS)
    control(editor, "display_name").fill("   ")
    control(editor, "max_open_requests").fill("0")
    control(editor, "min_length").fill("3000")
    control(editor, "prompt").fill("A prompt that must not be saved.")

    with unchanged(), page.expect_response(lambda r: "/submit_studio_edits/" in r.url) as refused:
        editor.locator(".save-button").click()
    assert refused.value.status == 400

    for name in ("display_name", "max_open_requests", "min_length"):
        error = setting(editor, name).locator(".coach-edit-error")
        expect(error).to_contain_text(SAYS[lang][name])
        field = control(editor, name)
        expect(field).to_have_attribute("aria-invalid", "true")
        assert error.get_attribute("id") in field.get_attribute("aria-describedby").split()
    for name in ("prompt", "topic", "max_length"):
        expect(setting(editor, name).locator(".coach-edit-error")).to_have_count(0)
        expect(control(editor, name)).not_to_have_attribute("aria-invalid", "true")
    expect(control(editor, "display_name")).to_be_focused()
    expect(page.locator(".coach-edit-error")).to_have_count(3)  # the other block's editor shows none
    assert len(alerts) == 1 and SAYS[lang]["display_name"] in alerts[0], "the editor's own message stays"
    snap(page, f"{lang}-studio-errors-320px")

    control(editor, "display_name").fill("Naming my skills")
    control(editor, "max_open_requests").fill("2")
    control(editor, "min_length").fill("20")
    with page.expect_response(lambda r: "/submit_studio_edits/" in r.url) as saved:
        editor.locator(".save-button").click()
    assert saved.value.status == 200
    page.wait_for_load_state("load")
    expect(page.locator(f"{SKILLS} li[data-field-name=prompt] .field-data-control")).to_have_value(
        "A prompt that must not be saved.")
    assert page.locator(".coach-edit-error").count() == 0
    assert page.errors == []

"""Shared fixtures: the people, check-in points, clock and workbench units of the story (tests/story/), a real
browser, and the real Tutor."""
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.utils import timezone, translation
from story import FEASIBILITY_POINT, PEOPLE, SKILLS_POINT
from story.workbench import ENGLISH_UNIT, FRENCH_UNIT, open_unit


@pytest.fixture
def skills_point():
    """The 'Define your skills' check-in point of the demo course."""
    return SKILLS_POINT


@pytest.fixture
def feasibility_point():
    """A second check-in point of the same course."""
    return FEASIBILITY_POINT


@pytest.fixture
def mathilde():
    return PEOPLE["mathilde"]


@pytest.fixture
def paul():
    return PEOPLE["paul"]


@pytest.fixture
def karim():
    return PEOPLE["karim"]


@pytest.fixture
def lea():
    return PEOPLE["lea"]


@pytest.fixture
def t0():
    """The start of the story's clock."""
    return timezone.now()


@pytest.fixture(autouse=True)
def in_english():
    """Every test starts in English, whatever language another test left active (a test that speaks French
    says so itself)."""
    with translation.override("en"):
        yield


# The workbench, through Django's test client.


@pytest.fixture
def fresh_workbench(db):
    """The scenarios as their XML defines them, with no block state; and again so after the test."""
    from workbench.runtime_util import reset_global_state

    reset_global_state()
    yield
    reset_global_state()


@pytest.fixture
def en(client, fresh_workbench):
    """The English unit "Define your skills", from a fresh workbench."""
    return open_unit(client, ENGLISH_UNIT)


@pytest.fixture
def fr(client, fresh_workbench):
    """The French unit "Définir mes compétences", another course."""
    return open_unit(client, FRENCH_UNIT)


# A real browser on a live workbench server (the browser tests use these).

BROWSER_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


@pytest.fixture(scope="session")
def browser(tmp_path_factory):
    """Debian's Chromium driven by Playwright; skipped where Chromium is missing, unless CI requires it."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("COACH_TEST_REQUIRE_BROWSER"):
            pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (make test does)")
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium to run the browser tests")
    from playwright.sync_api import sync_playwright

    shutil.rmtree(ARTIFACTS / "screenshots", ignore_errors=True)  # this run's screenshots only

    # Playwright's sync API runs an event loop in this thread; Django would then refuse the
    # test's own database calls made beside it (the live server has its own thread).
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def workbench(live_server):
    """The address of a live workbench serving our scenarios from a fresh state."""
    from workbench.runtime_util import reset_global_state

    reset_global_state()
    return live_server.url


@pytest.fixture
def open_page(browser, workbench):
    """open_page(path, student, locale="en-US", width=1280, timezone_id="UTC"): a new browser context and page,
    logged as `student`; the context's language, Accept-Language and time zone are `locale` and `timezone_id`."""
    contexts = []

    def opener(path, student, locale="en-US", width=1280, height=900, timezone_id="UTC"):
        context = browser.new_context(
            locale=locale, timezone_id=timezone_id, viewport={"width": width, "height": height}
        )
        contexts.append(context)
        page = context.new_page()
        page.errors = []
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        separator = "&" if "?" in path else "?"
        page.goto(f"{workbench}{path}{separator}student={student}")
        return page

    yield opener
    for context in contexts:
        context.close()


@pytest.fixture
def pages(open_page):
    """open_page(...) that remembers every page it opened (`pages.opened`), to check them all for JavaScript
    errors with `pages.assert_no_js_errors()`."""
    opened = []

    def opener(*args, **kwargs):
        page = open_page(*args, **kwargs)
        opened.append(page)
        return page

    def assert_no_js_errors():
        assert {page.url: page.errors for page in opened if page.errors} == {}

    opener.opened = opened
    opener.assert_no_js_errors = assert_no_js_errors
    return opener


@pytest.fixture
def snap(screenshot):
    """screenshot(page, name) of the views only: scrolled to the top (the workbench's header is fixed and
    would cover the middle of a full-page image) and without the workbench's debug panel below the
    scenario (its XML, 1,354 px wide, would make every image that wide)."""

    def take(page, name):
        page.add_style_tag(content="section.debug { display: none; }")
        page.evaluate("window.scrollTo(0, 0)")
        return screenshot(page, name)

    return take


@pytest.fixture
def screenshot(request):
    """screenshot(page, name): save a full-page PNG under test-artifacts/screenshots/ and return its path."""
    folder = ARTIFACTS / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)

    def take(page, name):
        path = folder / f"{request.node.name}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


def pytest_terminal_summary(terminalreporter):
    """Tell where the browser tests left their screenshots."""
    folder = ARTIFACTS / "screenshots"
    shots = sorted(folder.glob("*.png")) if folder.exists() else []
    if shots:
        terminalreporter.write_line(f"screenshots of the views: {folder} ({len(shots)} files)")


# The real Tutor (21: Ulmo, 22: Verawood) with our Tutor plugin, each in the virtualenv
# `make tutor-venvs` makes (.venv-tutor21, .venv-tutor22): Tutor's dependencies stay out of .venv.

TUTOR_MAJORS = (21, 22)
REPO = Path(__file__).resolve().parent.parent


class Tutor:
    """One Tutor release with tutor-contrib-coach installed; each command runs in a root of the caller's."""

    def __init__(self, major, plugins_root):
        self.major = major
        self.executable = REPO / f".venv-tutor{major}" / "bin" / "tutor"
        self.plugins_root = plugins_root

    def run(self, root, *args, check=True):
        """`tutor --root ROOT ARGS...`, isolated from the user's own Tutor plugins; the finished process."""
        env = {**os.environ, "TUTOR_PLUGINS_ROOT": str(self.plugins_root)}
        env.pop("TUTOR_ROOT", None)
        result = subprocess.run([str(self.executable), "--root", str(root), *args], env=env,
                                capture_output=True, text=True, check=False, timeout=300)
        if check:
            assert result.returncode == 0, result.stdout + result.stderr
        return result


@pytest.fixture(scope="session", params=TUTOR_MAJORS, ids=lambda major: f"tutor{major}")
def tutor(request, tmp_path_factory):
    """The `tutor` command of one release; skipped where `make tutor-venvs` did not run, unless CI requires it."""
    found = Tutor(request.param, tmp_path_factory.mktemp(f"tutor{request.param}-plugins"))
    if not found.executable.exists():
        message = f"{found.executable} is missing: `make tutor-venvs` installs Tutor {request.param} and our plugin"
        if os.environ.get("COACH_TEST_REQUIRE_TUTOR") == "1":
            pytest.fail(message + ", and COACH_TEST_REQUIRE_TUTOR=1 requires these tests to run")
        pytest.skip(message)
    version = found.run(tmp_path_factory.mktemp("tutor-version"), "--version").stdout
    assert f"version {request.param}." in version, version
    return found


# What an operator sets with `tutor config save --set` in the rendered environment below: quotes of
# both kinds and accents, to check they reach Python's settings as they were typed.
TUTOR_VALUES = {
    "COACH_NUDGE_AFTER_DAYS": 7,
    "COACH_CLOSE_AFTER_DAYS": 21,
    "COACH_EMAIL_FROM_NAME": "Coaching \"Carrière\" l'été",
    "COACH_EMAIL_FROM_ADDRESS": "coaching@example.org",
    "COACH_WEBHOOKS": [{"url": "https://hooks.example.org/coach", "secret": "s3cr'et\"x"}],
    "COACH_EXPORT_USERNAMES": True,
    "COACH_PIP_REQUIREMENT": "coach-xblock==0.1.0",
    "COACH_TIMERS_INTERVAL": 30,
}


@pytest.fixture(scope="session")
def tutor_env(tutor, tmp_path_factory):
    """(root, TUTOR_VALUES): a Tutor root where `coach` is enabled and `config save` rendered those values."""
    root = tmp_path_factory.mktemp(f"tutor{tutor.major}-root")
    tutor.run(root, "plugins", "enable", "coach")
    settings = [arg for key, value in TUTOR_VALUES.items() for arg in ("--set", f"{key}={json.dumps(value)}")]
    tutor.run(root, "config", "save", *settings)
    return root, TUTOR_VALUES

"""The `coach` Tutor plugin: coach-xblock in the Open edX image, its settings, and a service running its timers.

- `openedx-dockerfile-post-python-requirements`: pip installs COACH_PIP_REQUIREMENT in the openedx
  image (LMS, Studio, their workers and ours);
- `openedx-common-settings`: COACH_XBLOCK, in the LMS and Studio settings, production and
  development, from the COACH_* values below;
- `local-docker-compose-services` (+ `local-docker-compose-dev-services`) and `k8s-deployments`:
  `coach-timers`, an LMS container running `./manage.py lms coach_notifications --interval N`
  (escalations, reminders, closing, and the deliveries that are due), since Tutor runs Celery
  workers but no Celery beat.

Every value is checked when Tutor loads its configuration: a bad one stops `tutor config save`
with a message naming the key, before anything is rendered.
"""
from pathlib import Path
from urllib.parse import urlsplit

from tutor import exceptions, hooks

PATCHES = Path(__file__).resolve().parent / "patches"

# The operator's settings of coach-xblock (its `coach_xblock.conf.DEFAULTS`, the same defaults),
# as Tutor config keys: COACH_<key>. USE_CELERY, LMS_ROOT_URL and REPORT_STORAGE (the platform's report store,
# GRADES_DOWNLOAD, which Tutor configures) are left to the platform.
SETTINGS = {
    "EMAIL_FROM_NAME": "Course coaching",
    "EMAIL_FROM_ADDRESS": None,
    "EMAIL_SUBJECT_PREFIX": "[Coaching] ",
    "EMAIL_TIMEOUT_SECONDS": 30,
    "WEBHOOKS": [],
    "WEBHOOK_TIMEOUT_SECONDS": 5,
    "DELIVERY_MAX_ATTEMPTS": 8,
    "DELIVERY_RETRY_BASE_SECONDS": 30,
    "DELIVERY_RETRY_MAX_SECONDS": 3600,
    "DELIVERY_LEASE_SECONDS": 300,
    "NUDGE_AFTER_DAYS": 14,
    "CLOSE_AFTER_DAYS": 28,
    "EXPORT_USERNAMES": False,
    "EXPORT_LINK_SECONDS": 60,
    "REPORT_DAYS": 7,
}
PLUGIN_CONFIG = {
    # What pip installs in the openedx image: a version ("coach-xblock==0.1.0"), a URL...
    "PIP_REQUIREMENT": "coach-xblock",
    # The coach-timers service (docker compose and Kubernetes), and its seconds between two rounds.
    "RUN_TIMERS": True,
    "TIMERS_INTERVAL": 60,
}

hooks.Filters.CONFIG_DEFAULTS.add_items(
    [(f"COACH_{name}", value) for name, value in {**SETTINGS, **PLUGIN_CONFIG}.items()]
)

hooks.Filters.ENV_PATCHES.add_items(
    [(path.name, path.read_text(encoding="utf-8")) for path in sorted(PATCHES.iterdir()) if path.is_file()]
)


@hooks.Filters.ENV_TEMPLATE_FILTERS.add()
def _python_filter(filters):
    """`{{ value|coach_python }}`: a checked config value written as a Python literal in the settings."""
    return [*filters, ("coach_python", repr)]


def _whole(minimum):
    def check(value):
        return isinstance(value, int) and not isinstance(value, bool) and value >= minimum
    return check, f"a whole number of at least {minimum}"


def _text(value):
    return isinstance(value, str)


def _flag(value):
    return isinstance(value, bool)


def _address(value):
    return value is None or (isinstance(value, str) and "@" in value and "\n" not in value)


def _requirement(value):
    return isinstance(value, str) and value.strip() != "" and not set("'\n\r") & set(value)


def _webhooks(value):
    return isinstance(value, list) and all(
        isinstance(hook, dict) and set(hook) == {"url", "secret"}
        and isinstance(hook["url"], str) and urlsplit(hook["url"]).scheme in ("http", "https")
        and bool(urlsplit(hook["url"]).netloc)
        and isinstance(hook["secret"], str) and hook["secret"] != ""
        for hook in value
    )


CHECKS = {
    "EMAIL_FROM_NAME": (_text, "text"),
    "EMAIL_FROM_ADDRESS": (_address, "an email address, or null for the platform's DEFAULT_FROM_EMAIL"),
    "EMAIL_SUBJECT_PREFIX": (_text, "text"),
    "EMAIL_TIMEOUT_SECONDS": _whole(1),
    "WEBHOOKS": (_webhooks, 'a list of {"url": "https://...", "secret": "..."}: http(s) URLs, non-empty secrets'),
    "WEBHOOK_TIMEOUT_SECONDS": _whole(1),
    "DELIVERY_MAX_ATTEMPTS": _whole(1),
    "DELIVERY_RETRY_BASE_SECONDS": _whole(1),
    "DELIVERY_RETRY_MAX_SECONDS": _whole(1),
    "DELIVERY_LEASE_SECONDS": _whole(1),
    "NUDGE_AFTER_DAYS": _whole(1),
    "CLOSE_AFTER_DAYS": _whole(1),
    "EXPORT_USERNAMES": (_flag, "true or false"),
    "EXPORT_LINK_SECONDS": _whole(1),
    "REPORT_DAYS": _whole(1),
    "PIP_REQUIREMENT": (_requirement, "a pip requirement (no quote, no line break)"),
    "RUN_TIMERS": (_flag, "true or false"),
    "TIMERS_INTERVAL": _whole(1),
}


@hooks.Actions.CONFIG_LOADED.add()
def _check_config(config):
    """Refuse a COACH_* value coach-xblock cannot use, naming the key, what it must be and what it is."""
    for name, (check, expected) in CHECKS.items():
        key = f"COACH_{name}"
        if key in config and not check(config[key]):
            raise exceptions.TutorError(f"{key} must be {expected}, not {config[key]!r}.")
    if config["COACH_CLOSE_AFTER_DAYS"] <= config["COACH_NUDGE_AFTER_DAYS"]:
        raise exceptions.TutorError(
            "COACH_CLOSE_AFTER_DAYS must be greater than COACH_NUDGE_AFTER_DAYS: a learner is reminded before "
            f"the request closes (now {config['COACH_NUDGE_AFTER_DAYS']} and {config['COACH_CLOSE_AFTER_DAYS']})."
        )

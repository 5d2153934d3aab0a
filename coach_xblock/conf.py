"""The operator's settings of coach-xblock, read at call time from `settings.COACH_XBLOCK`.

Every key is optional; `DEFAULTS` documents them (the README lists them too). A key is looked
up in three places, the first that has it wins:
1. `settings.COACH_XBLOCK`: the operator's, and only theirs;
2. `settings.COACH_XBLOCK_PLATFORM_DEFAULTS`: written by the plugin settings in Open edX
   (`coach_xblock.settings.common`), such as USE_CELERY; kept apart from the operator's dict
   because Tutor applies the operator's settings after the plugins' and a `COACH_XBLOCK = {...}`
   there replaces the whole dict;
3. `DEFAULTS`, for everywhere else (the workbench).
Reading at call time lets Open edX's plugin settings, Tutor's overrides and tests change them freely.
"""
from django.conf import settings
from django.core.files.storage import storages

DEFAULTS = {
    # Email: the sender shown to people, the subject prefix, and who may be emailed at all.
    "EMAIL_FROM_NAME": "Course coaching",
    "EMAIL_FROM_ADDRESS": None,  # None: Django's DEFAULT_FROM_EMAIL
    "EMAIL_SUBJECT_PREFIX": "[Coaching] ",
    "EMAIL_TIMEOUT_SECONDS": 30,  # unless Django's EMAIL_TIMEOUT is set
    # Webhooks: [{"url": "https://...", "secret": "shared secret"}]; operators only, never authors.
    "WEBHOOKS": [],
    "WEBHOOK_TIMEOUT_SECONDS": 5,
    # Deliveries: attempts before a delivery is marked failed, and the backoff between them.
    "DELIVERY_MAX_ATTEMPTS": 8,
    "DELIVERY_RETRY_BASE_SECONDS": 30,
    "DELIVERY_RETRY_MAX_SECONDS": 3600,
    "DELIVERY_LEASE_SECONDS": 300,
    # Answered requests the learner leaves untouched: a nudge, then closing as "no reply".
    "NUDGE_AFTER_DAYS": 14,
    "CLOSE_AFTER_DAYS": 28,
    # Queue deliveries to Celery (Open edX) on commit; otherwise the management command sends them.
    "USE_CELERY": False,
    # Exports identify learners by their anonymous id; True puts their username instead.
    "EXPORT_USERNAMES": False,
    # How long the signed link a coach's export download is redirected to stays valid.
    "EXPORT_LINK_SECONDS": 60,
    # Reports (CSV files made in the background): where they are written, as Open edX's report store
    # configures it ({"STORAGE_CLASS": "...", "STORAGE_KWARGS": {...}}; None: the platform's
    # GRADES_DOWNLOAD, where it has one, else Django's default storage), and how long they are kept.
    "REPORT_STORAGE": None,
    "REPORT_DAYS": 7,
    # Where the links in emails point (the LMS); the workbench's own address by default.
    "LMS_ROOT_URL": "http://127.0.0.1:8000",
}


# The setting the plugin settings write the platform's defaults into (see coach_xblock.settings.common).
PLATFORM_DEFAULTS_SETTING = "COACH_XBLOCK_PLATFORM_DEFAULTS"


def setting(name):
    """The current value of `COACH_XBLOCK[name]`, else the platform's default for it, else ours."""
    for source in (getattr(settings, "COACH_XBLOCK", {}), getattr(settings, PLATFORM_DEFAULTS_SETTING, {})):
        if name in source:
            return source[name]
    return DEFAULTS[name]


def report_storage():
    """The Django storage reports are written to: REPORT_STORAGE, else the platform's report store (its
    GRADES_DOWNLOAD setting, read as edx-platform's `DjangoStorageReportStore.from_config` reads it: the
    default storage's class when it names none), else Django's default storage."""
    config = setting("REPORT_STORAGE") or getattr(settings, "GRADES_DOWNLOAD", None) or {}
    backend = config.get("STORAGE_CLASS") or settings.STORAGES["default"]["BACKEND"]
    return storages.create_storage({"BACKEND": backend, "OPTIONS": config.get("STORAGE_KWARGS") or {}})

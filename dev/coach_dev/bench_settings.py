"""The workbench's settings as a production server runs them, for the HTTP benchmark (`coach_http_bench`).

DEBUG off; the trivial baseline view beside the workbench's and the plugin app's URLs; each response
says how many SQL queries it made (all of them, and ours: those naming a coach_xblock table).
"""
from coach_dev.workbench_settings import *  # noqa: F403
from coach_dev.workbench_settings import DATABASES, MIDDLEWARE

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "coach_dev.bench_urls"
MIDDLEWARE = ["coach_dev.bench_urls.count_queries", *MIDDLEWARE]

# SQLite (the smoke test's): several workers write at once, so each waits for the lock, as the workbench's own
# database does (workbench_settings), rather than fail at once.
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}

# As a production server logs: warnings and errors (the workbench logs Django at DEBUG, which writes a
# line for every template variable it cannot resolve and would be timed with the views).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

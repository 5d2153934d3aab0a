"""The WSGI application of the HTTP benchmark's gunicorn (`gunicorn --preload coach_dev.bench_wsgi`).

Loads the workbench's scenarios and the benchmark's once, in the master before it forks its workers:
a worker that has not loaded them answers handler URLs with 404, and two processes loading them at
once duplicate the workbench's field data (WORKBENCH-FACTS). The master's database connections are
closed before the fork, so that no worker shares one.
"""
from django.core.wsgi import get_wsgi_application
from django.db import connections

application = get_wsgi_application()

from coach_dev.bench_scenario import bench_scenario  # noqa: E402  (needs Django set up)

bench_scenario()
connections.close_all()

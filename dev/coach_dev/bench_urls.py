"""The HTTP benchmark's URLs: the workbench's and the plugin app's, and a baseline view of one query.

`count_queries` (a middleware of `coach_dev.bench_settings`) adds to each response the number of SQL
queries it made, X-Bench-Queries, how many of them read or wrote our tables, X-Bench-Our-Queries, and
the time it spent in the workbench's field store, X-Bench-Field-Store-Ms: the workbench's runtime reads
each field of a block with an ORM query of its own (`XBlockState.get_for_key`, timed here with the query
it makes), where the LMS reads a course's settings from its modulestore and a learner's state in one
query per request (its FieldDataCache).
"""
import threading
import time

from django.db import connection
from django.http import HttpResponse
from django.urls import path
from workbench.models import XBlockState

from coach_dev.workbench_urls import urlpatterns as workbench_urlpatterns
from coach_xblock.models import LearnerPreference

_field_store = threading.local()


def _timed(read):
    def timed(cls, key):
        start = time.perf_counter()
        try:
            return read(cls, key)
        finally:
            _field_store.seconds = getattr(_field_store, "seconds", 0.0) + time.perf_counter() - start

    return classmethod(timed)


XBlockState.get_for_key = _timed(XBlockState.get_for_key.__func__)


def baseline(request):
    """The least a view of this server costs: one indexed query on one of our tables, a short response."""
    found = LearnerPreference.objects.filter(course_key="baseline", learner_id=request.GET.get("student", "")).exists()
    return HttpResponse("yes" if found else "no", content_type="text/plain")


def count_queries(get_response):
    def middleware(request):
        counted = {"all": 0, "ours": 0}
        _field_store.seconds = 0.0

        def counter(execute, sql, params, many, context):
            counted["all"] += 1
            counted["ours"] += "coach_xblock_" in sql
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counter):
            response = get_response(request)
        response["X-Bench-Queries"] = str(counted["all"])
        response["X-Bench-Our-Queries"] = str(counted["ours"])
        response["X-Bench-Field-Store-Ms"] = f"{_field_store.seconds * 1000:.3f}"
        return response

    return middleware


urlpatterns = [path("bench/baseline/", baseline), *workbench_urlpatterns]

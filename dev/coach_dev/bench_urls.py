"""The HTTP benchmark's URLs: the workbench's and the plugin app's, and a baseline view of one query.

`count_queries` (a middleware of `coach_dev.bench_settings`) adds to each response the number of SQL
queries it made, X-Bench-Queries, and how many of them read or wrote our tables, X-Bench-Our-Queries.
"""
from django.db import connection
from django.http import HttpResponse
from django.urls import path

from coach_dev.workbench_urls import urlpatterns as workbench_urlpatterns
from coach_xblock.models import LearnerPreference


def baseline(request):
    """The least a view of this server costs: one indexed query on one of our tables, a short response."""
    found = LearnerPreference.objects.filter(course_key="baseline", learner_id=request.GET.get("student", "")).exists()
    return HttpResponse("yes" if found else "no", content_type="text/plain")


def count_queries(get_response):
    def middleware(request):
        counted = {"all": 0, "ours": 0}

        def counter(execute, sql, params, many, context):
            counted["all"] += 1
            counted["ours"] += "coach_xblock_" in sql
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counter):
            response = get_response(request)
        response["X-Bench-Queries"] = str(counted["all"])
        response["X-Bench-Our-Queries"] = str(counted["ours"])
        return response

    return middleware


urlpatterns = [path("bench/baseline/", baseline), *workbench_urlpatterns]

"""Benchmark the queue, submits, views, analytics and exports at growing numbers of requests.

A development tool: a command of the `coach_dev` app, which only the workbench settings
(`coach_dev.workbench_settings`) install, so that no LMS or Studio offers it. Runs against the
configured database, which it fills and empties: its name must contain "bench" ("workbench" does
not count; `make bench` points WORKBENCH_DATABASES at var/bench.sqlite3). Prints a table and the
ratios the README's targets speak of; nothing here asserts a time.
"""
import random
import statistics
import tempfile
import time
import tracemalloc
from datetime import timedelta
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from coach_xblock import domain, exports, queries, workflow
from coach_xblock.analytics import point_analytics
from coach_xblock.models import (
    CheckinMessage,
    CheckinRequest,
    DailyStats,
    Delivery,
    LearnerPreference,
    Report,
    wait_field,
)

COURSE = "course-v1:Bench+Career+2026"
# The other courses of a coach of several courses (the desk's home page): each gets a tenth of the requests.
OTHER_COURSES = ("course-v1:Bench+Pitch+2026", "course-v1:Bench+Mobility+2026")
POINTS = [f"block-v1:Bench+Career+2026+type@coach_checkin+block@p{i}" for i in range(10)]
TOPICS = ("skills", "orientation", "feasibility", "job_search", "other")
STATUSES = ("open", "answered", "resolved", "withdrawn", "closed")
SETTLED = ("resolved", "withdrawn", "closed")
ACTIVE_DAYS = 7  # older requests are settled, as coaches and the closing timer leave them in a course
REPEAT = 30


def _timed(function, repeat=REPEAT):
    """(p50, p95) in milliseconds of `repeat` calls of `function`."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[min(len(samples) - 1, int(0.95 * len(samples)))]


def prepare_bench_database():
    """Migrate the configured database, which a benchmark fills and empties: refused (CommandError) unless its
    name contains "bench" ("workbench" does not count), so that no database someone cares about is touched."""
    name = str(connection.settings_dict["NAME"])
    if "bench" not in Path(name).name.replace("workbench", ""):
        raise CommandError(f"refusing to fill {name!r}: point the database at a name containing 'bench'")
    call_command("migrate", run_syncdb=True, verbosity=0)


class Command(BaseCommand):
    help = (
        "Seed N requests (with messages) for each size, then measure the coach queue (first page, a deep "
        "page, each filter, the desk home's queue and backlogs across 3 courses), SQL queries per page, "
        "learner submits, the learner view with a 50-message "
        "thread, course analytics, CSV exports and the reports made in the background (time and peak "
        "memory); with --report-rows, a report of that many requests. Empties the database first: "
        "its name must contain 'bench'."
    )

    def add_arguments(self, parser):
        parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000],
                            help="Numbers of requests to measure at (default 1000 10000 100000).")
        parser.add_argument("--seed", type=int, default=7, help="Random seed of the data (default 7).")
        parser.add_argument("--report-rows", type=int, default=0,
                            help="Then seed this many requests (1000000, say) and make their report: time, peak "
                                 "memory, size (default: none).")

    def handle(self, *args, sizes, seed, report_rows=0, **options):
        prepare_bench_database()
        random.seed(seed)
        with tempfile.TemporaryDirectory() as folder, override_settings(
            DEBUG=False,  # as in production: with DEBUG, Django logs every query
            COACH_XBLOCK={"REPORT_STORAGE": {"STORAGE_CLASS": "django.core.files.storage.FileSystemStorage",
                                             "STORAGE_KWARGS": {"location": folder}}},
        ):
            results = {size: self.measure(size) for size in sorted(sizes)}
            self.report(results, connection.vendor)
            if report_rows:
                self.large_report(report_rows)

    # Data

    def empty(self):
        for model in (Delivery, CheckinMessage, CheckinRequest, DailyStats, LearnerPreference, Report):
            model.objects.all().delete()

    def seed(self, size):
        """`size` requests over 180 days (those older than ACTIVE_DAYS settled), two messages each, and the
        daily counters they make."""
        self.empty()
        now = timezone.now()
        rows, counters = [], {}
        for number in range(size):
            age = timedelta(seconds=random.randint(0, 180 * 86400))
            created = now - age
            status = random.choice(STATUSES if age < timedelta(days=ACTIVE_DAYS) else SETTLED)
            point = random.randrange(len(POINTS))
            answered = None if status == "open" else created + timedelta(minutes=random.randint(5, 5000))
            rating = random.randint(1, 5) if status == "resolved" else None
            rows.append(CheckinRequest(
                course_key=COURSE, point_id=POINTS[point], point_title=f"Point {point}", topic=TOPICS[point % 5],
                learner_id=f"learner-{number % (size // 3 + 1)}", learner_name=f"Learner {number}",
                client_token=f"t{number}", status=status, working_on="My professional project",
                stuck_on="I do not know how to name my skills from my last job " * 3, tried="The online test",
                created_at=created, waiting_since=created, due_at=created + timedelta(hours=48),
                first_answered_at=answered, last_answered_at=answered, rating=rating,
            ))
            key = (POINTS[point], created.date())
            row = counters.setdefault(key, {"topic": TOPICS[point % 5], "asked": 0, "answered": 0, "resolved": 0,
                                            "rating_sum": 0, "rating_count": 0})
            row["asked"] += 1
            if answered:
                row["answered"] += 1
                field = wait_field(domain.wait_bucket((answered - created).total_seconds()))
                row[field] = row.get(field, 0) + 1
            if rating:
                row["resolved"] += 1
                row["rating_sum"] += rating
                row["rating_count"] += 1
        for course in OTHER_COURSES:
            for number in range(size // 10):
                created = now - timedelta(seconds=random.randint(0, 180 * 86400))
                rows.append(CheckinRequest(
                    course_key=course, point_id=f"{course}+p", point_title="Point", topic="skills",
                    learner_id=f"other-{number}", learner_name=f"Learner {number}", client_token=f"o{number}",
                    status=random.choice(STATUSES), working_on="My project", stuck_on="Stuck", tried="Tried",
                    created_at=created, waiting_since=created, due_at=created + timedelta(hours=48),
                ))
        CheckinRequest.objects.bulk_create(rows, batch_size=2000)
        DailyStats.objects.bulk_create(
            [DailyStats(course_key=COURSE, point_id=point, day=day, **values)
             for (point, day), values in counters.items()], batch_size=2000,
        )
        messages = []
        for request_id, created in CheckinRequest.objects.values_list("id", "created_at").iterator(chunk_size=5000):
            for offset, role in ((1, "coach"), (2, "learner")):
                messages.append(CheckinMessage(request_id=request_id, author_role=role, author_id=role,
                                               author_name=role.title(), body="A message of the thread " * 8,
                                               created_at=created + timedelta(hours=offset)))
            if len(messages) >= 10000:
                CheckinMessage.objects.bulk_create(messages)
                messages = []
        CheckinMessage.objects.bulk_create(messages)
        if connection.vendor in ("postgresql", "sqlite"):
            # The planner's statistics, as a database in service keeps them (PostgreSQL's autovacuum);
            # without them PostgreSQL guesses a 100,000-row table holds a few rows and sorts instead of seeking.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")

    # Measures

    def measure(self, size):
        self.stdout.write(f"seeding {size} requests...")
        self.seed(size)
        found = {}
        queue = queries.CoachQueue(COURSE, status="all")
        found["queue first page"] = _timed(lambda: queue.page())
        middle = CheckinRequest.objects.filter(course_key=COURSE).order_by("created_at", "id")[size // 2]
        deep = queries.Cursor.of(middle).encode()
        found["queue deep page"] = _timed(lambda: queue.page(after=deep))
        for status in ("open", "answered", "resolved"):
            filtered = queries.CoachQueue(COURSE, status=status)
            found[f"queue {status}"] = _timed(lambda filtered=filtered: filtered.page())
        point_queue = queries.CoachQueue(COURSE, point_id=POINTS[3], status="open")
        found["queue one point"] = _timed(lambda: point_queue.page())
        every_course = queries.CoachQueue([COURSE, *OTHER_COURSES], status="open")
        found["queue of 3 courses (desk home)"] = _timed(lambda: every_course.page())
        found["backlogs of 3 courses (desk home)"] = _timed(lambda: queries.backlogs([COURSE, *OTHER_COURSES]))
        found["raw SQL page"] = _timed(lambda: self.raw_page())
        reset_queries()  # the log is capped: a full one would make the capture below count nothing
        with CaptureQueriesContext(connection) as captured:
            queue.page(after=deep)
        per_page = len(captured.captured_queries)
        with CaptureQueriesContext(connection) as captured:
            every_course.page()
        per_page = max(per_page, len(captured.captured_queries))
        found["learner submit"] = self.submits()
        found["student_view, 50 messages"], found["workbench render, 50 messages"] = self.render_thread()
        found["course analytics"] = _timed(lambda: point_analytics(COURSE, period="all"), repeat=10)
        export_ms, export_peak = self.export()
        report_ms, report_peak = self.made_reports()
        return {"timings": found, "queries_per_page": per_page, "export_ms": export_ms, "export_peak": export_peak,
                "report_ms": report_ms, "report_peak": report_peak,
                "point_days": DailyStats.objects.count()}

    def raw_page(self):
        """The first queue page as one hand-written SQL query: the same columns, index and order."""
        table = CheckinRequest._meta.db_table
        columns = ", ".join(queries.ROW_FIELDS)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {columns} FROM {table} WHERE course_key = %s ORDER BY created_at, id LIMIT 26",  # noqa: S608
                [COURSE],
            )
            return cursor.fetchall()

    def submits(self):
        point = domain.CheckinPoint(course_key=COURSE, point_id=POINTS[0], title="Point 0", topic="skills",
                                      max_open_requests=1000)
        counter = iter(range(10**9))

        def submit():
            number = next(counter)
            workflow.ask_for_help(
                point, domain.Person(f"bench-{number}", "Bench learner"), working_on="My project",
                stuck_on="I cannot name my skills from my previous job", tried="The online test",
                client_token=f"bench-{number}",
            )

        return _timed(submit)

    def render_thread(self):
        """The learner view of a real block whose request has a 50-message thread: the block's own
        student_view, and the whole render by the workbench runtime (which adds its wrapping and
        looks up the installed XBlock asides on every render)."""
        from workbench.runtime import WorkbenchRuntime
        from workbench.runtime_util import reset_global_state
        from workbench.scenarios import get_scenarios

        from coach_xblock import identity

        reset_global_state()
        runtime = WorkbenchRuntime("bench-reader")
        unit = runtime.get_block(get_scenarios()["coach_checkin.1"].usage_id)
        block = next(runtime.get_block(child) for child in unit.children if ".coach_checkin." in child)
        request = CheckinRequest.objects.create(
            course_key=identity.course_key(block), point_id=identity.point_id(block), point_title="Naming my skills",
            topic="skills", learner_id="bench-reader", learner_name="Reader", client_token="thread",
            working_on="w", stuck_on="s" * 40, tried="t", status="answered",
        )
        CheckinMessage.objects.bulk_create([
            CheckinMessage(request=request, author_role=("coach", "learner")[i % 2], author_id="x", author_name="X",
                           body="A message of a long thread " * 6)
            for i in range(50)
        ])
        return _timed(lambda: block.student_view({})), _timed(lambda: runtime.render(block, "student_view"))

    def export(self):
        tracemalloc.start()
        start = time.perf_counter()
        for _line in exports.export_requests(COURSE):
            pass
        for _line in exports.export_messages(COURSE):
            pass
        elapsed = (time.perf_counter() - start) * 1000
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return elapsed, peak

    def made_reports(self):
        """The background task's work for the requests' and the messages' reports: (ms, peak bytes)."""
        coach = domain.Person("bench-coach", "Bench coach")
        asked = [workflow.request_report(COURSE, file, coach).pk for file in ("requests", "messages")]
        tracemalloc.start()
        start = time.perf_counter()
        for report_id in asked:
            workflow.make_report(report_id)
        elapsed = (time.perf_counter() - start) * 1000
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return elapsed, peak

    def large_report(self, size, batch=20_000):
        """Seed `size` requests (in batches: the seeding holds one batch at a time) and make their report."""
        self.stdout.write(f"\nseeding {size:,} requests for the report...")
        CheckinMessage.objects.all().delete()
        CheckinRequest.objects.all().delete()
        now = timezone.now()
        for first in range(0, size, batch):
            CheckinRequest.objects.bulk_create([
                CheckinRequest(
                    course_key=COURSE, point_id=POINTS[number % len(POINTS)], point_title="Point", topic="skills",
                    learner_id=f"learner-{number}", learner_name=f"Learner {number}", client_token=f"m{number}",
                    status="resolved", working_on="My professional project",
                    stuck_on="I do not know how to name my skills from my last job", tried="The online test",
                    created_at=now - timedelta(seconds=number), waiting_since=now, due_at=now, rating=4,
                )
                for number in range(first, min(first + batch, size))
            ])
        report = workflow.request_report(COURSE, "requests", domain.Person("bench-coach", "Bench coach"))
        tracemalloc.start()
        start = time.perf_counter()
        made = workflow.make_report(report.pk)
        elapsed = time.perf_counter() - start
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        self.stdout.write(f"Report of {size:,} requests: {made.status}, {made.rows:,} rows, "
                          f"{made.size / 2**20:.0f} MiB, {elapsed:.0f} s, peak memory {peak / 1024:.0f} KiB")

    # Report

    def report(self, results, vendor):
        sizes = sorted(results)
        write = self.stdout.write
        write(f"\nDatabase: {vendor}\n")
        write("| measure (p50 / p95 ms) | " + " | ".join(f"N = {size:,}" for size in sizes) + " |")
        write("|---|" + "---|" * len(sizes))
        for name in results[sizes[0]]["timings"]:
            cells = [f"{results[s]['timings'][name][0]:.2f} / {results[s]['timings'][name][1]:.2f}" for s in sizes]
            write(f"| {name} | " + " | ".join(cells) + " |")
        write("| SQL queries per queue page (worst of one course and 3 courses) | "
              + " | ".join(str(results[s]["queries_per_page"]) for s in sizes) + " |")
        write("| point-days of counters the analytics add up | "
              + " | ".join(f"{results[s]['point_days']:,}" for s in sizes) + " |")
        write("| CSV export, ms | " + " | ".join(f"{results[s]['export_ms']:.0f}" for s in sizes) + " |")
        write("| CSV export peak memory, KiB | " + " | ".join(f"{results[s]['export_peak'] / 1024:.0f}" for s in sizes)
              + " |")
        write("| reports made in the background, ms | " + " | ".join(f"{results[s]['report_ms']:.0f}" for s in sizes)
              + " |")
        write("| report peak memory, KiB | " + " | ".join(f"{results[s]['report_peak'] / 1024:.0f}" for s in sizes)
              + " |")
        small, large = sizes[0], sizes[-1]
        middle = sizes[-2] if len(sizes) > 1 else small
        first = {s: results[s]["timings"]["queue first page"][0] for s in sizes}
        write("\nRatios (target):")
        write(f"- queue page at {large:,} / at {small:,}: {first[large] / first[small]:.2f} (<= 1.3)")
        raw = results[large]["timings"]["raw SQL page"][0]
        write(f"- queue page / the same page as one raw SQL query, at {large:,}: {first[large] / raw:.2f} (<= 5)")
        home = {s: results[s]["timings"]["queue of 3 courses (desk home)"][0] for s in sizes}
        write(f"- queue of 3 courses at {large:,} / at {small:,}: {home[large] / home[small]:.2f} (<= 1.3)")
        analytics = {s: results[s]["timings"]["course analytics"][0] for s in sizes}
        days = {s: results[s]["point_days"] for s in sizes}
        write(f"- course analytics at {large:,} / at {small:,}: {analytics[large] / analytics[small]:.2f} "
              f"(no target: the cost follows the point-days of counters, {days[small]:,} and {days[large]:,}, "
              "not the requests)")
        per_row = {s: results[s]["export_ms"] / (3 * s) for s in sizes}  # a request row and its two messages
        write(f"- CSV export time per row at {large:,} / at {small:,}: {per_row[large] / per_row[small]:.2f} "
              "(<= 1.3: a row of the stream costs the same)")
        write(f"- SQL queries per page, worst: {max(results[s]['queries_per_page'] for s in sizes)} (<= 4)")
        write(f"- export peak memory at {large:,} / at {middle:,}: "
              f"{results[large]['export_peak'] / results[middle]['export_peak']:.2f} (<= 1.5)")
        write(f"- report peak memory at {large:,} / at {middle:,}: "
              f"{results[large]['report_peak'] / results[middle]['report_peak']:.2f} (<= 1.5)")
        write(f"- learner submit p50 at {large:,}: {results[large]['timings']['learner submit'][0]:.2f} ms (<= 15)")
        write(f"- student_view render p50 at {large:,}: "
              f"{results[large]['timings']['student_view, 50 messages'][0]:.2f} ms (<= 10)")

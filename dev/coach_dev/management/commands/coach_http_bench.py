"""Measure what people wait for: the desk's and the learner's endpoints through HTTP, on a production server.

A development tool of the `coach_dev` app, like `coach_benchmark`. It fills the configured database
(its name must contain "bench"), starts gunicorn (2 workers, DEBUG off, `coach_dev.bench_settings`) on
it, and for each size drives each endpoint with a closed loop of clients (concurrency 1, then 8): each
client sends its next call when its last one is answered. In the same run it measures a baseline, a
view of the same server that makes one query, and prints for each endpoint p50/p99, the SQL queries
per call (all, and ours) and the ratio of its p50 to the baseline's; and, because the workbench's runtime
reads each field of a block with a query where the LMS reads them from memory and one query, the same
ratio without the time of the calls' queries to the workbench's field store.

What the figures leave out: the network (client and server share the machine, and its 2 cores), TLS,
a reverse proxy, the LMS's own middleware and the browser's work; the workbench's runtime stands in
for the LMS's. Nothing here asserts a time.
"""
import itertools
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import requests
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from coach_dev.bench_scenario import COACHES, SCENARIO_ID, bench_scenario
from coach_dev.management.commands.coach_benchmark import prepare_bench_database
from coach_xblock import domain, identity, queries, workflow
from coach_xblock.models import (
    CheckinMessage,
    CheckinRequest,
    CoachNote,
    CourseCoach,
    DailyStats,
    Delivery,
    LearnerPreference,
    SavedReply,
    wait_field,
)

POINTS = 50  # the course's check-in points: the scenario's own, and others asked at over the year
TOPICS = tuple(value for value, _label in domain.TOPICS)
DAYS = 365
ACTIVE_DAYS = 7  # older requests are settled, as coaches and the closing timer leave them
CSRF = "benchcsrftokenbenchcsrftoken0000"  # a 32-character secret: the cookie and the header agree
CONCURRENCY = (1, 8)
WARMUP = 3
# The order of the report; the pools of the actions that use up a request or a learner per call.
ENDPOINTS = (
    "baseline (one query)", "queue first page", "queue deep page", "queue filtered page", "request detail",
    "analytics", "learner view, 50-message thread", "poll, nothing new", "ask", "reply", "claim", "answer",
)
CONSUMING = ("ask", "reply", "claim", "answer")


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _percentile(samples, share):
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _met(ratio, target):
    return "met" if ratio <= target else "NOT met"


class Server:
    """gunicorn serving the benchmark's settings on a free local port, for the time of a `with`."""

    def __init__(self, workers):
        self.workers = workers
        self.url = f"http://127.0.0.1:{_free_port()}"

    def __enter__(self):
        dev = Path(__file__).resolve().parents[3]
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "coach_dev.bench_settings",
               "PYTHONPATH": os.pathsep.join([str(dev), os.environ.get("PYTHONPATH", "")])}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "coach_dev.bench_wsgi:application", "--preload",
             "--workers", str(self.workers), "--bind", self.url.removeprefix("http://"), "--log-level", "warning",
             "--timeout", "120"],
            env=env, start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise CommandError(f"gunicorn stopped at once (exit {self.process.returncode})")
            try:
                requests.get(f"{self.url}/bench/baseline/", timeout=2)
                return self
            except requests.ConnectionError:
                time.sleep(0.2)
        raise CommandError("gunicorn did not answer within 60 s")

    def __exit__(self, *exc):
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=30)


class Command(BaseCommand):
    help = (
        "Seed a course of 50 check-in points and 20 coaches with N requests over a year (a backlog of open, "
        "claimed and overdue ones, threads of 0 to 12 messages) for each size, serve it with gunicorn "
        "(2 workers, DEBUG off) and time each desk and learner endpoint through HTTP at concurrency 1 and 8, "
        "beside a one-query baseline view. Prints p50/p99, queries per call and ratios. Empties the "
        "database first: its name must contain 'bench'."
    )

    def add_arguments(self, parser):
        parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000],
                            help="Numbers of requests to measure at (default 1000 10000 100000).")
        parser.add_argument("--calls", type=int, default=48,
                            help="Calls per endpoint and concurrency (default 48).")
        parser.add_argument("--workers", type=int, default=2, help="gunicorn's workers (default 2).")
        parser.add_argument("--seed", type=int, default=7, help="Random seed of the data (default 7).")
        parser.add_argument("--json", dest="json_path", default="",
                            help="Also write the results to this file, as JSON.")

    def handle(self, *args, sizes, calls, workers, seed, json_path, **options):
        prepare_bench_database()
        self.usage_id = str(bench_scenario().usage_id)
        self.block = self._block()
        self.course = identity.course_key(self.block)
        self.point = identity.point_id(self.block)
        self.calls = calls
        random.seed(seed)
        results = {}
        with Server(workers) as server:
            self.server = server
            for size in sorted(sizes):
                self.stdout.write(f"seeding {size} requests...")
                self.seed(size)
                connection.close()  # the server's workers see the seeded rows; this process holds no lock
                results[size] = self.measure()
        self.report(results, connection.vendor)
        if json_path:
            Path(json_path).write_text(json.dumps({str(size): found for size, found in results.items()}, indent=1))

    def _block(self):
        from workbench.runtime import WorkbenchRuntime

        runtime = WorkbenchRuntime("bench")
        unit = runtime.get_block(self.usage_id)
        return runtime.get_block(next(child for child in unit.children if ".coach_checkin." in child))

    # Data

    def seed(self, size):
        """`size` requests of the course over a year at 50 points; the last week's in any state (a backlog of
        open, claimed, overdue and answered requests), older ones settled; threads of 0 to 12 messages; half the
        low ratings and every request that did not help with a comment; the daily counters they make; then the
        requests each action of the measures uses up, apart."""
        for model in (Delivery, CheckinMessage, CheckinRequest, DailyStats, LearnerPreference, CourseCoach,
                      SavedReply, CoachNote):
            model.objects.all().delete()
        now = timezone.now()
        points = [self.point, *(f"{self.course}.bench-point-{number}" for number in range(1, POINTS))]
        rows, counters, threads = [], {}, []
        for number in range(size):
            age = timedelta(seconds=random.randint(0, DAYS * 86400))
            created = now - age
            recent = age < timedelta(days=ACTIVE_DAYS)
            status = random.choice(("open", "open", "answered", "resolved", "withdrawn") if recent
                                   else ("resolved", "resolved", "closed", "withdrawn", "not_helped"))
            index = random.randrange(POINTS)
            coach = random.choice(COACHES)
            answered = None if status in ("open", "withdrawn") else created + timedelta(minutes=random.randint(5, 4000))
            claimed = status == "open" and random.random() < 0.2
            rating = random.randint(1, 5) if status in ("resolved", "not_helped") else None
            closed = answered if status in ("resolved", "closed", "not_helped") else None
            not_helped = status == "not_helped"
            rating_comment = "Too general for my case." if rating and rating <= 2 and random.random() < 0.5 else ""
            rows.append(CheckinRequest(
                course_key=self.course, point_id=points[index], point_title=f"Point {index}",
                topic=TOPICS[index % len(TOPICS)], learner_id=f"learner-{number % (size // 3 + 1)}",
                learner_name=f"Learner {number}", client_token=f"t{number}", status=status,
                working_on="My professional project", stuck_on="I do not know how to name my skills " * 3,
                tried="The online test", created_at=created, waiting_since=created,
                due_at=domain.answer_due(created, 48), first_answered_at=answered, last_answered_at=answered,
                first_coach_id=coach if answered else "", last_coach_id=coach if answered else "",
                last_coach_name=coach if answered else "", rating=rating,
                claimed_by=coach if claimed else "", claimed_by_name=coach if claimed else "",
                claim_expires_at=now + timedelta(minutes=20) if claimed else None, closed_at=closed,
                rating_comment="" if not_helped else rating_comment,
                not_helped_at=closed if not_helped else None, not_helped_count=int(not_helped),
                not_helped_comment="I still cannot name my skills." if not_helped else "",
                comment_at=closed if not_helped or rating_comment else None,
            ))
            threads.append(0 if answered is None else random.randint(1, 12))
            row = counters.setdefault((points[index], created.date()), {"topic": TOPICS[index % len(TOPICS)]})
            row["asked"] = row.get("asked", 0) + 1
            if answered:
                field = wait_field(domain.wait_bucket((answered - created).total_seconds()))
                row["answered"] = row.get("answered", 0) + 1
                row[field] = row.get(field, 0) + 1
            if rating:
                row["rating_sum"] = row.get("rating_sum", 0) + rating
                row["rating_count"] = row.get("rating_count", 0) + 1
                row["resolved"] = row.get("resolved", 0) + (status == "resolved")
            row["not_helped"] = row.get("not_helped", 0) + not_helped
        CheckinRequest.objects.bulk_create(rows, batch_size=2000)
        DailyStats.objects.bulk_create(
            [DailyStats(course_key=self.course, point_id=point, day=day, **values)
             for (point, day), values in counters.items()], batch_size=2000,
        )
        messages = []
        ids = CheckinRequest.objects.filter(course_key=self.course).order_by("id").values_list("id", "created_at")
        for (request_id, created), length in zip(ids.iterator(chunk_size=5000), threads, strict=True):
            for position in range(length):
                role = ("coach", "learner")[position % 2]
                messages.append(CheckinMessage(request_id=request_id, author_role=role, author_id=role,
                                               author_name=role.title(), body="A message of the thread " * 8,
                                               created_at=created + timedelta(hours=position + 1)))
            if len(messages) >= 10000:
                CheckinMessage.objects.bulk_create(messages)
                messages = []
        CheckinMessage.objects.bulk_create(messages)
        self.seed_pools(now)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # As a server in service has them: the planner's statistics and the visibility map (autovacuum's
                # work), and the seeded rows written out (a checkpoint), so that neither runs during the measures.
                cursor.execute("VACUUM ANALYZE")
                cursor.execute("CHECKPOINT")
            elif connection.vendor == "sqlite":
                cursor.execute("ANALYZE")

    def seed_pools(self, now):
        """What the measures read and use up: a reader's 50-message thread, a waiting learner, and for each
        consuming action one fresh request (or learner) per call, made through the workflow."""
        point = self.block.checkin_point(asking=True)
        count = (self.calls + WARMUP) * len(CONCURRENCY) + max(CONCURRENCY)
        coach = domain.Person(user_id=COACHES[0], display_name=COACHES[0])

        def ask(learner):
            return workflow.ask_for_help(
                point, domain.Person(user_id=learner, display_name=learner), working_on="My project",
                stuck_on="I cannot name my skills from my previous job", tried="The online test",
                client_token=learner, now=now - timedelta(minutes=5), publish=lambda *a, **k: None,
            )

        reader = ask("reader")
        CheckinRequest.objects.filter(pk=reader.pk).update(status="answered", first_answered_at=now,
                                                            last_answered_at=now)
        CheckinMessage.objects.bulk_create([
            CheckinMessage(request=reader, author_role=("coach", "learner")[i % 2], author_id=COACHES[0],
                           author_name=COACHES[0], body="A message of a long thread, with *Markdown*. " * 6)
            for i in range(50)
        ])
        self.detail = reader.pk
        ask("waiting")
        self.waiting_version = queries.learner_version(self.point, "waiting")[0]
        self.pools = {"ask": [f"asker-{n}" for n in range(count)], "claim": [], "answer": [], "reply": []}
        for n in range(count):
            self.pools["claim"].append(ask(f"claimable-{n}").pk)
            answerable = ask(f"answerable-{n}")
            workflow.claim_request(self.course, answerable.pk, coach)
            self.pools["answer"].append(answerable.pk)
            replier = ask(f"replier-{n}")
            workflow.claim_request(self.course, replier.pk, coach)
            workflow.coach_reply(self.course, replier.pk, coach, "An answer to reply to.")
            self.pools["reply"].append(f"replier-{n}")
        Delivery.objects.all().delete()
        oldest = CheckinRequest.objects.filter(course_key=self.course).order_by("created_at", "id")
        self.deep_cursor = queries.Cursor.of(oldest[oldest.count() // 2]).encode()

    # Measures

    def calls_of(self, name):
        """(method, path, data, json) of the next call of endpoint `name`: a function of the pools."""
        desk = f"/coach-xblock/courses/{self.course}/desk/"
        coach = "?student=bench_coach_00"
        handler = f"/handler/{self.block.scope_ids.usage_id}"
        if name == "baseline (one query)":
            return lambda: ("GET", "/bench/baseline/?student=bench_coach_00", None, None)
        pages = {
            "queue first page": f"{desk}{coach}&status=all",
            "queue deep page": f"{desk}{coach}&status=all&after={self.deep_cursor}",
            "queue filtered page": f"{desk}{coach}&status=open&point={self.point}&order=oldest",
            "request detail": f"{desk}requests/{self.detail}/{coach}",
            "analytics": f"{desk}analytics/{coach}&period=all",
            "learner view, 50-message thread": f"/view/{SCENARIO_ID}/?student=reader",
        }
        if name in pages:
            return lambda: ("GET", pages[name], None, None)
        if name == "poll, nothing new":
            return lambda: ("POST", f"{handler}/learner_state/?student=waiting", None,
                            {"version": self.waiting_version})
        pool = iter(self.pools[name])
        if name == "ask":
            return lambda: (lambda learner: ("POST", f"{handler}/ask/?student={learner}", None, {
                "working_on": "My project", "stuck_on": "I cannot name my skills from my previous job",
                "tried": "The online test", "client_token": learner}))(next(pool))
        if name == "reply":
            return lambda: (lambda learner: ("POST", f"{handler}/reply/?student={learner}", None, {
                "request_id": CheckinRequest.objects.get(learner_id=learner).pk, "body": "Thank you, but..."}))(
                next(pool))
        if name == "claim":
            return lambda: ("POST", f"{desk}requests/{next(pool)}/claim/{coach}", {}, None)
        return lambda: ("POST", f"{desk}requests/{next(pool)}/answer/{coach}", {"body": "Here is my answer."}, None)

    def run(self, name, next_call, concurrency, count):
        """Latencies (ms) and query counts of `count` calls by `concurrency` closed-loop clients."""
        lock = threading.Lock()
        made = [itertools.count()]
        samples, counted, ours, without, failures = [], [], [], [], []

        def client():
            session = requests.Session()
            session.cookies.set("csrftoken", CSRF)
            while True:
                with lock:
                    if next(made[0]) >= count:
                        return
                    method, path, data, body = next_call()
                start = time.perf_counter()
                response = session.request(
                    method, self.server.url + path, data=data, json=body, allow_redirects=False, timeout=120,
                    headers={"X-CSRFToken": CSRF, "Referer": self.server.url + "/"},
                )
                elapsed = (time.perf_counter() - start) * 1000
                with lock:
                    if response.status_code >= 400:
                        failures.append(f"{response.status_code} {path}: {response.text[:200]}")
                    elif name == "poll, nothing new" and not response.json().get("unchanged"):
                        failures.append(f"{path}: the poll drew the panel again: {response.text[:200]}")
                    samples.append(elapsed)
                    counted.append(int(response.headers.get("X-Bench-Queries", 0)))
                    ours.append(int(response.headers.get("X-Bench-Our-Queries", 0)))
                    without.append(elapsed - float(response.headers.get("X-Bench-Field-Store-Ms", 0)))

        threads = [threading.Thread(target=client) for _ in range(concurrency)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if failures:
            raise CommandError(f"{name}: {len(failures)} calls failed, first: {failures[0]}")
        return samples, counted, ours, without

    def measure(self):
        found = {}
        for name in ENDPOINTS:
            next_call = self.calls_of(name)
            found[name] = {}
            for concurrency in CONCURRENCY:
                self.run(name, next_call, concurrency, WARMUP)
                samples, counted, ours, without = self.run(name, next_call, concurrency, self.calls)
                found[name][concurrency] = {
                    "p50": statistics.median(samples), "p99": _percentile(samples, 0.99),
                    "queries": max(counted), "ours": max(ours), "p50 without field store": statistics.median(without),
                }
        return found

    # Report

    def report(self, results, vendor):
        write = self.stdout.write
        sizes = sorted(results)
        baseline = "baseline (one query)"
        write(f"\nHTTP, gunicorn, DEBUG off, database: {vendor}, {self.calls} calls per measure")
        for size in sizes:
            found = results[size]
            write(f"\nN = {size:,} requests")
            write("| endpoint | p50 / p99 ms, 1 client | p50 / p99 ms, 8 clients | queries (ours) | p50 / baseline "
                  "| without the field store |")
            write("|---|---|---|---|---|---|")
            for name in ENDPOINTS:
                one, eight = found[name][1], found[name][8]
                ratio = one["p50"] / found[baseline][1]["p50"]
                bare = one["p50 without field store"] / found[baseline][1]["p50"]
                write(f"| {name} | {one['p50']:.1f} / {one['p99']:.1f} | {eight['p50']:.1f} / {eight['p99']:.1f} "
                      f"| {one['queries']} ({one['ours']}) | {ratio:.2f} | {bare:.2f} |")
        small, large = sizes[0], sizes[-1]
        write(f"\nRatios at concurrency 1 (targets: each handler <= 3 x the baseline at p50; a poll with nothing "
              f"new <= 1.5; p50 at {large:,} / at {small:,} <= 1.3)")
        for name in ENDPOINTS[1:]:
            at_large = results[large][name][1]
            to_baseline = at_large["p50"] / results[large][baseline][1]["p50"]
            bare = at_large["p50 without field store"] / results[large][baseline][1]["p50"]
            flat = at_large["p50"] / results[small][name][1]["p50"]
            target = 1.5 if name == "poll, nothing new" else 3
            write(f"- {name}: {to_baseline:.2f} x the baseline at {large:,} ({_met(to_baseline, target)}, "
                  f"<= {target}), {bare:.2f} without the workbench's field store ({_met(bare, target)}); "
                  f"{flat:.2f} from {small:,} to {large:,} ({_met(flat, 1.3)})")

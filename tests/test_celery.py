"""Notifications travel through a real Celery worker and a real Redis broker (USE_CELERY).

The test starts its own `redis-server` on a loopback port, a loopback SMTP server (aiosmtpd)
and a webhook receiver. The "LMS" (a subprocess, `celery_project.lms`) migrates a SQLite file
and acts: a learner asks, a coach answers, the learner replies, another learner's request is
overdue. With USE_CELERY each commit queues "coach_xblock.deliver_notifications" in Redis, and
nothing is sent while no worker runs. Then a Celery worker (a subprocess on the same SQLite
file) starts: every delivery gets sent, each email and webhook arrives exactly once, and its log
shows the tasks. Then "coach_xblock.run_timers" is sent by name and the escalation arrives. Last, a coach
asks for a report: "coach_xblock.make_report" is queued on commit and the worker writes the CSV file into
the report storage (the workbench settings' folder).

The test process itself never touches Django's database: it reads the shared file with sqlite3.
Without `redis-server` the test is skipped, unless COACH_TEST_REQUIRE_REDIS=1 (CI) makes it fail.
"""
import csv
import email
import hashlib
import hmac
import io
import json
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from contextlib import closing
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import redis
from aiosmtpd.controller import Controller
from celery import Celery

pytestmark = pytest.mark.slow

TESTS = Path(__file__).resolve().parent
DEV = TESTS.parent / "dev"  # the workbench settings, which celery_project.settings builds on
REDIS_SERVER = shutil.which("redis-server")
WEBHOOK_SECRET = "celery-test-secret"
DEADLINE_SECONDS = 60
QUEUE = "celery"  # Celery's default queue: a Redis list of that name
DELIVER = "coach_xblock.deliver_notifications"
RUN_TIMERS = "coach_xblock.run_timers"
MAKE_REPORT = "coach_xblock.make_report"

COACHES = {"karim@example.com", "lea@example.com"}
# (event, recipient) of the emails the LMS story causes, before the timers run.
STORY_EMAILS = Counter({
    ("asked", "karim@example.com"): 2,  # Mathilde's request, then Paul's
    ("asked", "lea@example.com"): 2,
    ("answered", "mathilde@example.org"): 1,
    ("learner_replied", "karim@example.com"): 1,  # the coach who answered, only
})
STORY_WEBHOOK_EVENTS = Counter({"asked": 2, "answered": 1, "learner_replied": 1})
STORY_COMMITS = 4  # transactions that wrote deliveries: two asks, the answer, the reply


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def stop(process):
    """Stop a subprocess: SIGTERM, then SIGKILL if it is still there after 10 s."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def wait_for(condition, what, explain=lambda: "", timeout=DEADLINE_SECONDS):
    """Poll `condition` until it returns a true value (returned); fail naming `what` after `timeout` s."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"Waited {timeout} s for {what}.\n{explain()}")
        time.sleep(0.2)


# The servers the notifications reach


class Mailbox:
    """An aiosmtpd handler keeping every message it receives."""

    def __init__(self):
        self._lock = threading.Lock()
        self._messages = []

    async def handle_DATA(self, server, session, envelope):
        with self._lock:
            self._messages.append((list(envelope.rcpt_tos), email.message_from_bytes(envelope.content)))
        return "250 Message accepted for delivery"

    def messages(self):
        with self._lock:
            return list(self._messages)

    def message_ids(self):
        return Counter(message["Message-ID"] for _rcpts, message in self.messages())


@pytest.fixture
def smtp_server():
    """A real SMTP server on loopback; yields (port, Mailbox)."""
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller.port, mailbox
    finally:
        controller.stop()


class WebhookReceiver(ThreadingHTTPServer):
    """Answers 204 to every POST and keeps (headers, body)."""

    def __init__(self):
        self.calls = []
        self.lock = threading.Lock()
        super().__init__(("127.0.0.1", 0), WebhookHandler)

    def received(self):
        with self.lock:
            return list(self.calls)


class WebhookHandler(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        with self.server.lock:
            self.server.calls.append(({k.lower(): v for k, v in self.headers.items()}, body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, format, *args):  # quiet
        pass


@pytest.fixture
def webhook_receiver():
    """A webhook receiver on loopback; yields (url, WebhookReceiver)."""
    server = WebhookReceiver()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/coach-hook", server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture
def redis_url(tmp_path):
    """Our own redis-server on a free loopback port, without persistence; yields its URL."""
    if REDIS_SERVER is None:
        message = "redis-server is not installed (Debian: apt-get install redis-server)"
        if os.environ.get("COACH_TEST_REQUIRE_REDIS") == "1":
            pytest.fail(message + ", and COACH_TEST_REQUIRE_REDIS=1 requires this test to run")
        pytest.skip(message)
    log_path = tmp_path / "redis.log"
    for _attempt in range(3):  # the free port may be taken between the probe and the start
        port = free_port()
        with open(log_path, "ab") as log:
            process = subprocess.Popen(
                [REDIS_SERVER, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                 "--dir", str(tmp_path)],
                stdout=log, stderr=subprocess.STDOUT, cwd=tmp_path,
            )
        try:
            client = redis.Redis(host="127.0.0.1", port=port, socket_timeout=5)
            deadline = time.monotonic() + 10
            while process.poll() is None and time.monotonic() < deadline:
                try:
                    client.ping()
                    break
                except redis.ConnectionError:
                    time.sleep(0.05)
            else:
                stop(process)
                continue
            client.close()
            yield f"redis://127.0.0.1:{port}/0"
            return
        finally:
            stop(process)
    pytest.fail("redis-server did not start:\n" + log_path.read_text(errors="replace"))


# The processes of the project: the LMS and the worker


@pytest.fixture
def project_env(tmp_path, redis_url, smtp_server, webhook_receiver):
    """The environment of the LMS and worker processes: settings `celery_project.settings`."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(TESTS), str(DEV), *filter(None, [os.environ.get("PYTHONPATH")])]),
        "PYTHONUNBUFFERED": "1",
        "DJANGO_SETTINGS_MODULE": "celery_project.settings",
        "COACH_VAR_DIR": str(tmp_path / "var"),
        "COACH_TEST_DB": str(tmp_path / "shared.sqlite3"),
        "COACH_TEST_BROKER_URL": redis_url,
        "COACH_TEST_SMTP_PORT": str(smtp_server[0]),
        "COACH_TEST_WEBHOOK_URL": webhook_receiver[0],
        "COACH_TEST_WEBHOOK_SECRET": WEBHOOK_SECRET,
        "NO_PROXY": "127.0.0.1,localhost",
        "no_proxy": "127.0.0.1,localhost",
    }
    env.pop("WORKBENCH_DATABASES", None)
    return env


class Worker:
    """A `celery worker` subprocess (solo pool) whose output goes to a log file."""

    def __init__(self, env, cwd, log_path):
        self.log_path = log_path
        with open(log_path, "wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "celery_project.celery_app", "worker",
                 "--loglevel=INFO", "--concurrency=1", "--pool=solo", "--hostname=coach-test@%h",
                 "--without-gossip", "--without-mingle", "--without-heartbeat"],
                env=env, cwd=cwd, stdout=log, stderr=subprocess.STDOUT,
            )

    def log(self):
        return self.log_path.read_text(errors="replace")

    def check_alive(self):
        if self.process.poll() is not None:
            pytest.fail(f"The Celery worker exited with {self.process.returncode}:\n{self.log()}")

    def results(self, task):
        """The return values (text) of every success of `task` in the log."""
        return re.findall(rf"Task {re.escape(task)}\[[0-9a-f-]+\] succeeded in [0-9.e-]+s: (.*)", self.log())

    def received(self, task):
        return len(re.findall(rf"Task {re.escape(task)}\[[0-9a-f-]+\] received", self.log()))


@pytest.fixture
def start_worker(tmp_path, project_env):
    """Start the Celery worker when the test says so; it is stopped at the end, whatever happens."""
    workers = []

    def start():
        worker = Worker(project_env, tmp_path, tmp_path / "worker.log")
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        stop(worker.process)


# Reading the shared database


def deliveries(db_path):
    """Every Delivery row of the shared SQLite file, as dicts (key as in the Message-ID)."""
    with closing(sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=20)) as db:
        db.row_factory = sqlite3.Row
        rows = db.execute(
            "SELECT event, channel, recipient, key, status, attempts, last_error "
            "FROM coach_xblock_delivery ORDER BY id"
        ).fetchall()
    return [{**dict(row), "key": str(uuid.UUID(row["key"]))} for row in rows]


def emails_by_key(rows):
    return {row["key"]: row for row in rows if row["channel"] == "email"}


def webhooks_by_key(rows):
    return {row["key"]: row for row in rows if row["channel"] == "webhook"}


def message_id(key):
    return f"<{key}@coach-xblock>"


# The test


def test_notifications_are_queued_in_redis_and_delivered_by_the_celery_worker(
        tmp_path, project_env, redis_url, smtp_server, webhook_receiver, start_worker):
    _smtp_port, mailbox = smtp_server
    _hook_url, hooks = webhook_receiver
    db_path = Path(project_env["COACH_TEST_DB"])
    broker = redis.Redis.from_url(redis_url)

    # 1. The LMS acts; each commit that wrote deliveries queues the task in Redis, and no one sends.
    lms = subprocess.run(
        [sys.executable, "-m", "celery_project.lms"],
        env=project_env, cwd=tmp_path, capture_output=True, text=True, timeout=DEADLINE_SECONDS, check=False,
    )
    assert lms.returncode == 0, lms.stdout + lms.stderr
    story = json.loads(lms.stdout.strip().splitlines()[-1])

    queued = deliveries(db_path)
    assert Counter((r["event"], r["recipient"]) for r in queued if r["channel"] == "email") == STORY_EMAILS
    assert Counter(r["event"] for r in queued if r["channel"] == "webhook") == STORY_WEBHOOK_EVENTS
    assert {(r["status"], r["attempts"]) for r in queued} == {("pending", 0)}
    assert broker.llen(QUEUE) == STORY_COMMITS, "one deliver_notifications task per commit that wrote deliveries"
    assert mailbox.messages() == [] and hooks.received() == [], "sent without a worker"

    # 2. The worker starts: it takes the queued tasks and sends everything, once.
    worker = start_worker()

    def explain():
        return (f"Deliveries: {deliveries(db_path)}\nEmails: {mailbox.message_ids()}\n"
                f"Webhooks: {len(hooks.received())}\nQueue: {broker.llen(QUEUE)}\nWorker log:\n{worker.log()}")

    def story_delivered():
        worker.check_alive()
        rows = deliveries(db_path)
        return (
            all(r["status"] == "sent" for r in rows)
            and set(mailbox.message_ids()) >= {message_id(k) for k in emails_by_key(rows)}
            and {h["idempotency-key"] for h, _body in hooks.received()} >= set(webhooks_by_key(rows))
            and len(worker.results(DELIVER)) >= STORY_COMMITS
        )

    wait_for(story_delivered, "the worker to send every delivery of the story", explain)
    assert broker.llen(QUEUE) == 0, explain()
    assert worker.received(DELIVER) == STORY_COMMITS, explain()
    # Each task returns how many it sent: together, every delivery, none twice.
    assert sum(int(sent) for sent in worker.results(DELIVER)) == len(queued), explain()
    assert_each_delivered_once(deliveries(db_path), mailbox, hooks)

    # 3. The timers, as a Celery task sent by name: the overdue request is escalated to both coaches.
    client = Celery("coach-test-client", broker=redis_url, set_as_current=False, fixups=[])
    try:
        client.send_task(RUN_TIMERS)
    finally:
        client.close()

    def escalated():
        worker.check_alive()
        rows = deliveries(db_path)
        escalations = [r for r in rows if r["event"] == "escalated"]
        return (
            len(escalations) == len(COACHES) + 1
            and all(r["status"] == "sent" for r in rows)
            and set(mailbox.message_ids()) >= {message_id(k) for k in emails_by_key(rows)}
            and len(hooks.received()) == len(webhooks_by_key(rows))
            # escalating queued one more deliver_notifications from inside the worker; let it run too
            and worker.results(RUN_TIMERS)
            and len(worker.results(DELIVER)) == STORY_COMMITS + 1
            and broker.llen(QUEUE) == 0
        )

    wait_for(escalated, "the run_timers task to escalate the overdue request", explain)
    [timers] = worker.results(RUN_TIMERS)
    assert "'escalated': 1" in timers, explain()
    rows = deliveries(db_path)
    assert {r["recipient"] for r in rows if r["event"] == "escalated" and r["channel"] == "email"} == COACHES
    assert_each_delivered_once(rows, mailbox, hooks)
    escalation_ids = {message_id(r["key"]) for r in rows if r["event"] == "escalated"}
    escalation_mails = [m for _rcpts, m in mailbox.messages() if m["Message-ID"] in escalation_ids]
    assert {m["X-Coach-Event"] for m in escalation_mails} == {"escalated"}
    subjects = [m["Subject"] for m in escalation_mails]
    assert len(subjects) == len(COACHES), subjects
    assert all(f"#{story['overdue_request']}" in subject and "Paul" in subject for subject in subjects), subjects

    # 4. A report: asking for it queues its task on commit; the worker writes the file into the report storage.
    asked = subprocess.run(
        [sys.executable, "-m", "celery_project.lms", "report"],
        env=project_env, cwd=tmp_path, capture_output=True, text=True, timeout=DEADLINE_SECONDS, check=False,
    )
    assert asked.returncode == 0, asked.stdout + asked.stderr
    report_id = json.loads(asked.stdout.strip().splitlines()[-1])["report"]

    def report_made():
        worker.check_alive()
        with closing(sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=20)) as db:
            return db.execute("SELECT status, storage_name, rows FROM coach_xblock_report WHERE id = ? "
                              "AND status IN ('ready', 'failed')", [report_id]).fetchone()

    status, name, rows = wait_for(report_made, "the make_report task to write the report", explain)
    assert (status, rows, worker.received(MAKE_REPORT)) == ("ready", 2, 1), explain()
    written = (Path(project_env["COACH_VAR_DIR"]) / "reports" / name).read_text(encoding="utf-8")
    header, *requests = csv.reader(io.StringIO(written))
    assert header[:2] == ["request_id", "learner"] and len(requests) == 2


def assert_each_delivered_once(rows, mailbox, hooks):
    """Every row sent in one attempt; the SMTP server and the receiver got each exactly once."""
    assert all(r["status"] == "sent" and r["attempts"] == 1 and r["last_error"] == "" for r in rows), rows
    emails, webhooks = emails_by_key(rows), webhooks_by_key(rows)
    assert mailbox.message_ids() == Counter({message_id(key): 1 for key in emails})
    for rcpts, message in mailbox.messages():
        row = emails[message["Message-ID"][1:].split("@")[0]]
        assert rcpts == [row["recipient"]]
        assert message["X-Coach-Event"] == row["event"]
    calls = hooks.received()
    assert Counter(headers["idempotency-key"] for headers, _body in calls) == Counter(set(webhooks))
    for headers, body in calls:
        row = webhooks[headers["idempotency-key"]]
        expected = "sha256=" + hmac.new(WEBHOOK_SECRET.encode(), body, hashlib.sha256).hexdigest()
        assert hmac.compare_digest(headers["x-coach-signature"], expected)
        payload = json.loads(body)
        assert (payload["event"], payload["delivery_id"], headers["x-coach-event"]) == (
            row["event"], row["key"], row["event"])

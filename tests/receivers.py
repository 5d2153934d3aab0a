"""Real receivers on loopback for the notification tests: an SMTP server and a webhook endpoint.

Both run in threads of the test process and record what reaches them; both can be told to
misbehave (refuse, fail, answer slowly, be down) and told to stop misbehaving. Nothing of the
product is replaced: the product's email backend (Django's SMTP backend) and HTTP client
(requests) talk to them over TCP.
"""
import email
import email.policy
import hashlib
import hmac
import json
import socket
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from aiosmtpd.controller import Controller


def free_port():
    """A TCP port of 127.0.0.1 free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# ---------------------------------------------------------------- SMTP


@dataclass
class ReceivedEmail:
    """One message the SMTP server accepted: its envelope and its parsed content."""

    mail_from: str
    rcpt_tos: list
    message: email.message.EmailMessage

    @property
    def message_id(self):
        return str(self.message["Message-ID"]).strip()

    @property
    def subject(self):
        # A long non-ASCII subject is folded by Django right after "Subject:"; Python's parser keeps that
        # folding white space, which mail clients drop.
        return str(self.message["Subject"]).strip()

    @property
    def text(self):
        return self.message.get_body(("plain",)).get_content().replace("\r\n", "\n")

    @property
    def html(self):
        return self.message.get_body(("html",)).get_content().replace("\r\n", "\n")


class SmtpReceiver:
    """An aiosmtpd server on 127.0.0.1 that records accepted messages.

    `refuse` injects a fault: "data" answers DATA with 554, "rcpt" answers RCPT TO with 550;
    None accepts. `stop()` takes the server down (connections refused); `start()` brings it
    back on the same port.
    """

    def __init__(self):
        self.port = free_port()
        self.refuse = None
        self.messages = []
        self.refused = 0
        self._lock = threading.Lock()
        self._controller = None

    # aiosmtpd handler hooks

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse == "rcpt":
            with self._lock:
                self.refused += 1
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.refuse == "data":
            with self._lock:
                self.refused += 1
            return "554 Transaction failed"
        parsed = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        with self._lock:
            self.messages.append(ReceivedEmail(envelope.mail_from, list(envelope.rcpt_tos), parsed))
        return "250 Message accepted for delivery"

    # life

    @property
    def running(self):
        return self._controller is not None

    def start(self):
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self):
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    # reading

    def message_ids(self):
        """How many times each Message-ID arrived."""
        with self._lock:
            return Counter(received.message_id for received in self.messages)

    def to(self, address):
        """The messages accepted for `address`."""
        with self._lock:
            return [received for received in self.messages if address in received.rcpt_tos]

    def clear(self):
        with self._lock:
            self.messages.clear()
            self.refused = 0


# ---------------------------------------------------------------- webhooks


def is_genuine(raw_body, signature_header, secret):
    """The check the README gives webhook receivers."""
    expected = "sha256=" + hmac.new(secret.encode(), raw_body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(signature_header or "", expected)


@dataclass
class Hit:
    """One HTTP request that reached the receiver, whatever it answered."""

    path: str
    headers: dict
    raw_body: bytes


@dataclass
class AcceptedWebhook:
    """A webhook the receiver processed (first time its Idempotency-Key was seen)."""

    key: str
    event: str
    signature: str
    raw_body: bytes
    body: dict = field(default_factory=dict)


class WebhookReceiver:
    """A webhook endpoint on 127.0.0.1, as the README tells receivers to write one.

    It verifies the signature, processes each Idempotency-Key once (a key seen again is
    answered 200 and counted in `duplicates`, not processed again), and can misbehave:
    `fail_status` (e.g. 500) answers every request with that status without processing it;
    `slow_next` makes the next n requests processed but answered only after `slow_seconds`;
    a receiver not started, or stopped, refuses connections.
    """

    def __init__(self, secret, port=None):
        self.secret = secret
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}/hook"
        self.fail_status = None
        self.slow_next = 0
        self.slow_seconds = 1.5
        self.hits = []
        self.accepted = {}
        self.duplicates = Counter()
        self.bad_signatures = []
        self.slow_keys = set()
        self.failed_answers = 0
        self._lock = threading.Lock()
        self._server = None
        self._thread = None

    def _handler_class(self):
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format, *args):  # quiet in tests
                pass

            def do_POST(self):
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                status, slow = receiver._receive(self.path, dict(self.headers.items()), raw)
                if slow:
                    time.sleep(receiver.slow_seconds)
                try:
                    self.send_response(status)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                except OSError:  # the sender gave up waiting: the answer has nobody to read it
                    pass

        return Handler

    def _receive(self, path, headers, raw):
        """What a receiver does with a request: (status to answer, answer slowly?)."""
        with self._lock:
            self.hits.append(Hit(path, headers, raw))
            if self.fail_status:
                self.failed_answers += 1
                return self.fail_status, False
            key = headers.get("Idempotency-Key", "")
            signature = headers.get("X-Coach-Signature", "")
            if not is_genuine(raw, signature, self.secret):
                self.bad_signatures.append((key, signature))
                return 401, False
            slow = self.slow_next > 0
            if slow:
                self.slow_next -= 1
                self.slow_keys.add(key)
            if key in self.accepted:
                self.duplicates[key] += 1
            else:
                self.accepted[key] = AcceptedWebhook(
                    key=key,
                    event=headers.get("X-Coach-Event", ""),
                    signature=signature,
                    raw_body=raw,
                    body=json.loads(raw),
                )
            return 200, slow

    @property
    def running(self):
        return self._server is not None

    def start(self):
        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def stop(self):
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join()
            self._server = self._thread = None

    def hits_of(self, key):
        with self._lock:
            return [hit for hit in self.hits if hit.headers.get("Idempotency-Key") == key]

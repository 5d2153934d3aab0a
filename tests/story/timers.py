"""The story of the timers: its clock and its cast.

Mathilde asks at "Naming my skills" at T0, a check-in whose coaches answer within 48 hours. Karim and
Léa coach the course (Sam too, but without an email address). Karim answers at TA; an answer left
unread is reminded at NUDGE_AT (14 days later) and closes the request at CLOSE_AT (28 days later).
The operator configured one webhook, HOOK, on a closed local port: its deliveries are only written.
"""
from datetime import timedelta

from coach_xblock.domain import Person

from . import T0, reachable

SECOND = timedelta(seconds=1)
TA = T0 + timedelta(hours=1)  # when Karim answers
NUDGE_AT = TA + timedelta(days=14)
CLOSE_AT = TA + timedelta(days=28)

HOOK = {"url": "http://127.0.0.1:9/hook", "secret": "x"}

KARIM, LEA, MATHILDE, PAUL = (reachable(name) for name in ("karim", "lea", "mathilde", "paul"))
SAM = Person(user_id="coach_sam", display_name="Sam", email="")  # a coach without an address
ZOE = Person(user_id="anon-zoe", display_name="Zoé", email="zoe@example.org")

# The webhook receives every event; the coaches' and learners' emails depend on the event.
COACH_EMAILS = {("email", "karim@example.com", "Karim"), ("email", "lea@example.com", "Léa")}
WEBHOOK = ("webhook", HOOK["url"], "")

"""Every state change of a check-in request, with its validation and its transaction.

This package is the only writer of check-in requests and their messages. It knows nothing of
XBlock: callers pass plain values (`domain.Person`, `domain.CheckinPoint`) and get a model instance
back, or a `domain.WorkflowError` whose `status` is the HTTP status a handler should answer with
and whose `message` a person understands. A refused action changes nothing.

Each transition is a conditional UPDATE (``WHERE status = ... AND claim ...``) inside one
transaction, with the counters (`coach_xblock.counters`) and the outbox (`coach_xblock.notifications`)
it changes, so two coaches racing for the same request get one winner and one refusal.

The actions, by who takes them: `learner` (ask, reply, withdraw, resolve, not helped, email choices), `coach`
(claim, release, answer), `aids` (a coach's saved replies and private notes on a learner), `coach_list`
(the course team's list of coaches), `moderation` (a coach's report of a request, the course team's review
and blocks), `reports` (CSV files made in the background), `timers` (escalation, nudge, closing) and
`erasure` (reset, retirement).
The types and errors they take and raise are the domain's: import them from `coach_xblock.domain`.
"""
from .aids import add_note, delete_note, delete_reply, save_reply
from .coach import claim_request, coach_reply, release_claim
from .coach_list import add_course_coach, remove_course_coach
from .erasure import delete_learner_requests, forget_coach_listing, forget_learner, scrub_coach
from .learner import (
    ask_for_help,
    learner_reply,
    not_helped,
    resolve_request,
    set_email_preferences,
    withdraw_request,
)
from .moderation import block_learner, dismiss_report, report_request, unblock_learner, uphold_report
from .reports import delete_course_reports, expire_reports, make_report, make_waiting_reports, request_report
from .timers import escalate_overdue, nudge_and_close_silent, run_timers

__all__ = [
    "ask_for_help",
    "learner_reply",
    "withdraw_request",
    "resolve_request",
    "not_helped",
    "set_email_preferences",
    "claim_request",
    "release_claim",
    "coach_reply",
    "save_reply",
    "delete_reply",
    "add_note",
    "delete_note",
    "add_course_coach",
    "remove_course_coach",
    "report_request",
    "dismiss_report",
    "uphold_report",
    "block_learner",
    "unblock_learner",
    "escalate_overdue",
    "nudge_and_close_silent",
    "run_timers",
    "delete_learner_requests",
    "forget_learner",
    "scrub_coach",
    "forget_coach_listing",
    "request_report",
    "make_report",
    "make_waiting_reports",
    "expire_reports",
    "delete_course_reports",
]

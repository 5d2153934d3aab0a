"""What a course's coaches keep beside their answers: saved replies per check-in point, private notes on a learner.

The caller (the coach desk) has checked that `coach` coaches the course. A saved reply is shared by the
course's coaches: any of them edits or deletes it. A note is read by the course's coaches only, never by
the learner, and is deleted by its author or by the course team.
"""
from django.db import transaction
from django.utils import timezone

from ..domain import (
    MAX_COACH_REPLY_LENGTH,
    MAX_ID,
    MAX_NOTE_LENGTH,
    MAX_SAVED_REPLY_TITLE,
    Conflict,
    Forbidden,
    InvalidInput,
    NotFound,
    is_whole_number,
)
from ..i18n import gettext as _
from ..models import CheckinRequest, CoachNote, SavedReply
from .common import checked_text

MAX_KEY_LENGTH = 255  # a point's or a learner's id, as the models keep it


def _checked_id(value, message):
    """`value` if it is the number of a row (a whole number from 1 to MAX_ID), else InvalidInput(`message`)."""
    if not is_whole_number(value) or not 1 <= value <= MAX_ID:
        raise InvalidInput(message)
    return value


def _checked_key(value, message):
    """`value` if it is an id kept as text (a point's, a learner's), else InvalidInput(`message`)."""
    if not isinstance(value, str) or not value.strip() or len(value) > MAX_KEY_LENGTH:
        raise InvalidInput(message)
    return value


def save_reply(course_key, point_id, coach, title, body, *, reply_id=None, now=None):
    """Keep `coach`'s saved reply at the point `point_id` of the course, or edit the saved reply `reply_id` of
    the course (its point, title and text). Returns it.

    Refused when its title or text is empty or too long, when another saved reply of the point has the same
    title, and when `reply_id` is of no saved reply of the course (another coach may have deleted it).
    """
    now = now or timezone.now()
    point_id = _checked_key(point_id, _("Choose a check-in point of this course."))
    title = " ".join(checked_text(title, _("Title"), max_length=MAX_SAVED_REPLY_TITLE).split())
    text = checked_text(body, _("Saved reply"), max_length=MAX_COACH_REPLY_LENGTH)
    if reply_id is not None:
        reply_id = _checked_id(reply_id, _("Expected the number of a saved reply."))
    with transaction.atomic():
        if reply_id is not None and not SavedReply.objects.select_for_update().filter(
            course_key=course_key, pk=reply_id
        ).exists():
            raise NotFound(
                _("There is no saved reply #{id} in this course: another coach may have deleted it.").format(
                    id=reply_id
                )
            )
        namesakes = SavedReply.objects.filter(course_key=course_key, point_id=point_id, title__iexact=title)
        if namesakes.exclude(pk=reply_id).exists():
            raise Conflict(
                _("A saved reply of this check-in point is already titled “{title}”: choose another title.").format(
                    title=title
                )
            )
        if reply_id is None:
            return SavedReply.objects.create(
                course_key=course_key, point_id=point_id, title=title, body=text, author_id=coach.user_id,
                author_name=coach.display_name, created_at=now, updated_at=now,
            )
        SavedReply.objects.filter(pk=reply_id).update(point_id=point_id, title=title, body=text, updated_at=now)
        return SavedReply.objects.get(pk=reply_id)


def delete_reply(course_key, reply_id, coach):
    """Delete the saved reply `reply_id` of the course (any of its coaches may: `coach` is who asks)."""
    reply_id = _checked_id(reply_id, _("Expected the number of a saved reply."))
    with transaction.atomic():
        deleted, _by_model = SavedReply.objects.filter(course_key=course_key, pk=reply_id).delete()
    if not deleted:
        raise NotFound(_("There is no saved reply #{id} in this course.").format(id=reply_id))


def add_note(course_key, learner_id, coach, body, *, now=None):
    """Keep `coach`'s private note on the learner `learner_id` of the course; returns it.

    Refused when its text is empty or too long, and when the learner has no request in the course: coaches
    write notes beside a learner's requests.
    """
    now = now or timezone.now()
    learner_id = _checked_key(learner_id, _("Expected the id of a learner of this course."))
    text = checked_text(body, _("Your note"), max_length=MAX_NOTE_LENGTH)
    with transaction.atomic():
        if not CheckinRequest.objects.filter(course_key=course_key, learner_id=learner_id).exists():
            raise NotFound(_("This learner has no request in this course: notes are written beside their requests."))
        return CoachNote.objects.create(
            course_key=course_key, learner_id=learner_id, author_id=coach.user_id, author_name=coach.display_name,
            body=text, created_at=now,
        )


def delete_note(course_key, note_id, coach, *, as_course_team=False):
    """Delete the note `note_id` of the course: `coach` must have written it, unless they delete it
    `as_course_team` (the caller has checked that they belong to it)."""
    note_id = _checked_id(note_id, _("Expected the number of a note."))
    with transaction.atomic():
        note = CoachNote.objects.select_for_update().filter(course_key=course_key, pk=note_id).first()
        if note is None:
            raise NotFound(_("There is no note #{id} in this course.").format(id=note_id))
        if not as_course_team and not (note.author_id and note.author_id == coach.user_id):
            raise Forbidden(_("Only the coach who wrote this note, or the course team, can delete it."))
        note.delete()

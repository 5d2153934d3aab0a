"""The time of each request's newest comment the analytics show, and the index that reads the newest first.

Requests commented before this migration get theirs from when the comment was left: the close of a request rated
2 or less with a comment (domain.LOW_RATING, written here as a value: migrations import nothing of the package),
or the last time the learner said, with a comment, that the coaching did not help, whichever is newer.
"""
from django.db import migrations, models
from django.db.models import F, Q

LOW_RATING = 2


def name_comment_times(apps, schema_editor):
    requests = apps.get_model("coach_xblock", "CheckinRequest").objects
    requests.filter(rating__lte=LOW_RATING, closed_at__isnull=False).exclude(rating_comment="").update(
        comment_at=F("closed_at")
    )
    requests.filter(not_helped_at__isnull=False).exclude(not_helped_comment="").filter(
        Q(comment_at__isnull=True) | Q(comment_at__lt=F("not_helped_at"))
    ).update(comment_at=F("not_helped_at"))


class Migration(migrations.Migration):

    dependencies = [
        ("coach_xblock", "0007_moderation"),
    ]

    operations = [
        migrations.AddField(
            model_name="checkinrequest",
            name="comment_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddIndex(
            model_name="checkinrequest",
            index=models.Index(fields=["course_key", "comment_at", "id"], name="coach_req_course_comment"),
        ),
        migrations.RunPython(name_comment_times, migrations.RunPython.noop),
    ]

"""The waits for a first answer move from a JSON histogram to one column per bucket, so that
analytics add them up in the database. Existing counts are carried over, both ways."""
from django.db import migrations, models

# The buckets as this migration knows them (upper bounds in minutes; "0" is "longer").
BOUNDS = ("15", "30", "60", "120", "180", "240", "360", "480", "720", "960", "1440", "2160", "2880", "4320",
          "5760", "7200", "10080", "20160", "0")


def column(bound):
    return "waited_longer" if bound == "0" else f"waited_{bound}"


def histograms_to_columns(apps, schema_editor):
    DailyStats = apps.get_model("coach_xblock", "DailyStats")
    for row in DailyStats.objects.exclude(wait_histogram={}).iterator(chunk_size=2000):
        counts = {column(bound): int(row.wait_histogram.get(bound, 0)) for bound in BOUNDS}
        DailyStats.objects.filter(pk=row.pk).update(**counts)


def columns_to_histograms(apps, schema_editor):
    DailyStats = apps.get_model("coach_xblock", "DailyStats")
    for row in DailyStats.objects.filter(answered__gt=0).iterator(chunk_size=2000):
        histogram = {bound: getattr(row, column(bound)) for bound in BOUNDS if getattr(row, column(bound))}
        DailyStats.objects.filter(pk=row.pk).update(wait_histogram=histogram)


class Migration(migrations.Migration):

    dependencies = [
        ("coach_xblock", "0001_initial"),
    ]

    operations = [
        *(
            migrations.AddField(
                model_name="dailystats", name=column(bound), field=models.PositiveIntegerField(default=0)
            )
            for bound in BOUNDS
        ),
        migrations.RunPython(histograms_to_columns, columns_to_histograms, elidable=True),
        migrations.RemoveField(model_name="dailystats", name="wait_histogram"),
    ]

from django.db import migrations, models
from django.db.models import F
from django.db.models.functions import Coalesce


def backfill(apps, schema_editor):
    # Until now grading ran inside the finalisation: every finalised attempt has been scored.
    Attempt = apps.get_model("exams", "Attempt")
    Attempt.objects.exclude(state="in_progress").filter(scored_at__isnull=True).update(
        scored_at=Coalesce(F("graded_at"), F("submitted_at"))
    )


class Migration(migrations.Migration):
    dependencies = [
        ("exams", "0006_question_exam_only"),
    ]

    operations = [
        migrations.AddField(
            model_name="attempt",
            name="scored_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]

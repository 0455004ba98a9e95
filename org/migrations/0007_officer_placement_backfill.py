"""Backfill one open placement per existing officer: their current unit, role category, status and duty, from the
hire date (else the day the record was created). The platform kept no history before this, so that is the
earliest sensible date."""

from django.db import migrations
from django.utils import timezone


def backfill(apps, schema_editor):
    Officer = apps.get_model("org", "Officer")
    OfficerPlacement = apps.get_model("org", "OfficerPlacement")
    rows = []
    for officer in Officer.objects.filter(placements__isnull=True).iterator(chunk_size=2000):
        start = officer.hire_date or timezone.localtime(officer.created_at).date()
        rows.append(
            OfficerPlacement(
                officer_id=officer.pk,
                unit_id=officer.unit_id,
                role_category_id=officer.role_category_id,
                status=officer.status,
                enforcement_duty=officer.enforcement_duty,
                valid_from=start,
            )
        )
        if len(rows) >= 2000:
            OfficerPlacement.objects.bulk_create(rows)
            rows = []
    OfficerPlacement.objects.bulk_create(rows)


class Migration(migrations.Migration):
    dependencies = [("org", "0006_officer_placement")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]

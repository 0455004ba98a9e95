"""Writes of the reports app: closing a year into an immutable snapshot. Reports writes nothing to other apps."""

from __future__ import annotations

import pandas as pd
from django.db import transaction

from org.models import User
from org.services import audit_record

from .figures import Options, year_report
from .models import SnapshotOfficer, YearSnapshot

BATCH = 5000
# What each officer counted for, kept in the snapshot (the per-officer frame's columns; the rest is derivable).
SNAPSHOT_COLUMNS = [
    "role_category_id",
    "enforcement_duty",
    "has_rules",
    "met",
    "total_earned_c",
    "annual_required",
    "annual_sat",
    "annual_passed",
    "qualification_required",
    "qualification_sat",
    "qualification_passed",
    "cert_status",
    "may_enforce",
    "new_certificates",
    "review_passed",
    "review_failed",
    "attendances",
    "external_claims",
    "external_c",
]


def _plain(value):
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if pd.isna(value):
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


@transaction.atomic
def snapshot_close(*, year: int, actor: User, options: Options | None = None, reason: str = "") -> YearSnapshot:
    """Close `year`: compute the figures once and freeze them with every officer counted. A year closed before is
    closed again into a new snapshot that supersedes the previous one, which stays unchanged beside it."""
    options = options or Options()
    previous = YearSnapshot.objects.select_for_update().filter(year=year).order_by("-closed_at", "-id").first()
    report, frame = year_report(year=year, options=options)
    snapshot = YearSnapshot.objects.create(
        year=year,
        reference_date=report.reference,
        hours_per_day=report.hours_per_day,
        figures=report.as_json(),
        officer_count=len(frame),
        supersedes=previous,
        reason=reason[:300],
        closed_by=actor,
    )
    columns = ["officer_id", "employee_no", "name", "unit_path", *SNAPSHOT_COLUMNS]
    rows = []
    for record in frame[columns].itertuples(index=False, name=None):
        officer_id, employee_no, name, unit_path, *values = record
        rows.append(
            SnapshotOfficer(
                snapshot=snapshot,
                officer_id=int(officer_id),
                employee_no=employee_no,
                name=name,
                unit_path=unit_path,
                data={k: _plain(v) for k, v in zip(SNAPSHOT_COLUMNS, values, strict=True)},
            )
        )
        if len(rows) >= BATCH:
            SnapshotOfficer.objects.bulk_create(rows)
            rows = []
    SnapshotOfficer.objects.bulk_create(rows)
    audit_record(
        actor=actor,
        action="reports.year_close",
        target=snapshot,
        data={"year": year, "officers": len(frame), "supersedes": previous.pk if previous else None},
    )
    return snapshot

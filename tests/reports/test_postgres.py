"""PostgreSQL: the database itself refuses to change or empty a year-end snapshot (migration reports 0002)."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from reports.models import SnapshotOfficer, YearSnapshot

pytestmark = pytest.mark.postgres


def test_database_refuses_update_delete_and_truncate_of_snapshots(postgres_only, client, bureau):
    client.force_login(bureau.hr)
    client.post("/reports/close/?year=2025")
    snapshot = YearSnapshot.objects.get()
    row = SnapshotOfficer.objects.filter(snapshot=snapshot).first()
    for sql, pk in (
        ("UPDATE reports_yearsnapshot SET reason = 'x' WHERE id = %s", snapshot.pk),
        ("DELETE FROM reports_yearsnapshot WHERE id = %s", snapshot.pk),
        ("UPDATE reports_snapshotofficer SET name = 'x' WHERE id = %s", row.pk),
        ("DELETE FROM reports_snapshotofficer WHERE id = %s", row.pk),
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [pk])
    for table in ("reports_snapshotofficer", "reports_yearsnapshot"):
        with pytest.raises(DatabaseError, match="TRUNCATE refused"), transaction.atomic(), connection.cursor() as c:
            c.execute("SET CONSTRAINTS ALL IMMEDIATE")  # else the rows' deferred FK checks refuse TRUNCATE first
            c.execute("SET LOCAL zhifa.allow_truncate = 'off'")
            c.execute(f"TRUNCATE {table} CASCADE")
    assert YearSnapshot.objects.filter(pk=snapshot.pk, reason=snapshot.reason).exists()
    assert SnapshotOfficer.objects.filter(pk=row.pk, name=row.name).exists()

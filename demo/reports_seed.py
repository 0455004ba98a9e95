"""Demo: last year is closed (a year-end snapshot by the first HR user), so /reports/ shows both a frozen year and
live ones. Idempotent: a year already closed is left as it is."""

from __future__ import annotations

from django.utils import timezone

from org.selectors import users_with_roles
from reports.selectors import latest_snapshot
from reports.services import snapshot_close


def seed_reports() -> dict:
    year = timezone.localdate().year - 1
    if latest_snapshot(year=year) is not None:
        return {"year": year, "closed": False}
    hr = users_with_roles("hr")
    if not hr:
        return {"year": year, "closed": False}
    snapshot_close(year=year, actor=hr[0], reason="演示数据:上一年度已关账")
    return {"year": year, "closed": True}

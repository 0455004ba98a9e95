"""Background work of the reports app (django-tasks): a year's live figures, computed off the request so that the
page can show 计算中 and poll, and HR's year close (figures + one frozen row per officer: seconds at city scale), so
the snapshots page shows 正在关账 and refreshes. Inline in tests and the embedded default."""

from __future__ import annotations

import datetime as dt

from django_tasks import task


@task()
def compute_year(year: int, hours_per_day: int, reference: str | None = None) -> int:
    from .figures import Options
    from .selectors import clear_pending, live_report_compute

    options = Options(hours_per_day=hours_per_day, reference=dt.date.fromisoformat(reference) if reference else None)
    try:
        report = live_report_compute(year=year, options=options)
    finally:
        clear_pending(year=year, options=options)
    return int(report.counts().get("headcount", 0))


@task()
def close_year(year: int, hours_per_day: int, reference: str | None, actor_id: int, reason: str) -> int:
    from org.models import User

    from .figures import Options
    from .selectors import closing_clear
    from .services import snapshot_close

    options = Options(hours_per_day=hours_per_day, reference=dt.date.fromisoformat(reference) if reference else None)
    try:
        snapshot = snapshot_close(year=year, actor=User.objects.get(pk=actor_id), options=options, reason=reason)
    finally:
        closing_clear(year=year)
    return snapshot.pk

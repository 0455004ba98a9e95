"""Reads of the reports app: a year's Report (frozen snapshot, else the live figures, cached), the viewer's scope,
what changed between two snapshots, and the one view model every output (page, .xlsx, .docx, charts) is built from.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.cache import cache
from django.utils import timezone

from learning.selectors import session_kinds
from org.models import User
from org.scopes import roles_of, units_visible_to

from .figures import (
    BUREAU_ONLY,
    FIGURE_BY_KEY,
    FIGURES,
    HEADLINES,
    HOURS_BUCKETS,
    MENTORSHIP_KEYS,
    TOTAL,
    Options,
    Report,
    combined_group,
    figure_cell,
    figure_text,
    figure_value,
    roots_of,
    scope_groups,
    year_report,
)
from .models import SnapshotOfficer, YearSnapshot

LIVE_TTL = 300  # seconds a live (not yet closed) year's figures are reused before they are computed again
YEARS_SHOWN = 3  # the chosen year and the two before it
UNIT_TABLE_KEYS = [
    "headcount",
    "training_rate",
    "hours_per_head",
    "days_per_head",
    "annual_sit_rate",
    "annual_pass_rate",
    "attendances",
    "cert_rate",
]


# --- scope ---------------------------------------------------------------------------------------------------------


def scope_paths(user: User) -> list[str] | None:
    """None: the whole bureau (HR, admins); else the unit paths a unit leader sees (their subtrees)."""
    if roles_of(user).sees_everyone:
        return None
    return list(units_visible_to(user).order_by("path").values_list("path", flat=True))


# --- snapshots and live figures ----------------------------------------------------------------------------------


def latest_snapshot(*, year: int) -> YearSnapshot | None:
    return YearSnapshot.objects.filter(year=year).order_by("-closed_at", "-id").first()


def snapshots(*, year: int) -> list[YearSnapshot]:
    return list(YearSnapshot.objects.filter(year=year).select_related("closed_by").order_by("-closed_at", "-id"))


def snapshot_report(snapshot: YearSnapshot) -> Report:
    return Report.from_json(snapshot.figures, snapshot_id=snapshot.pk)


def _cache_key(year: int, options: Options) -> str:
    return f"reports:live:{year}:{options.hours_per_day}:{options.reference_for(year).isoformat()}"


def live_report_cached(*, year: int, options: Options) -> Report | None:
    data = cache.get(_cache_key(year, options))
    return Report.from_json(data) if data else None


def live_report_compute(*, year: int, options: Options) -> Report:
    """Compute a year's live figures and keep them for LIVE_TTL seconds (the page's task does this)."""
    report, _frame = year_report(year=year, options=options)
    cache.set(_cache_key(year, options), report.as_json(), LIVE_TTL)
    return report


def _pending_key(year: int, options: Options) -> str:
    return _cache_key(year, options) + ":pending"


def mark_pending(*, year: int, options: Options) -> bool:
    """True if this caller should start the computation (nobody else is computing the same figures)."""
    return cache.add(_pending_key(year, options), timezone.now().isoformat(), LIVE_TTL)


def clear_pending(*, year: int, options: Options) -> None:
    cache.delete(_pending_key(year, options))


# HR's year close runs in the task worker; this marks it in progress (one close of a year at a time).
CLOSE_TTL = 30 * 60


def _closing_key(year: int) -> str:
    return f"reports:closing:{year}"


def closing_mark(*, year: int) -> bool:
    """True if this caller should start the close (nobody is closing the year already)."""
    return cache.add(_closing_key(year), timezone.now().isoformat(), CLOSE_TTL)


def closing(*, year: int) -> bool:
    return cache.get(_closing_key(year)) is not None


def closing_clear(*, year: int) -> None:
    cache.delete(_closing_key(year))


def report_for(*, year: int, options: Options, live: bool = False) -> Report | None:
    """The year's latest snapshot (unless live=True or the options differ from the snapshot's), else the cached live
    figures; None while they are being computed."""
    if not live:
        snapshot = latest_snapshot(year=year)
        if snapshot is not None and _snapshot_matches(snapshot, options, year):
            return snapshot_report(snapshot)
    return live_report_cached(year=year, options=options)


def _snapshot_matches(snapshot: YearSnapshot, options: Options, year: int) -> bool:
    return snapshot.hours_per_day == options.hours_per_day and snapshot.reference_date == options.reference_for(year)


# --- what changed between two snapshots -----------------------------------------------------------------------


@dataclass
class SnapshotDiff:
    figures: list[dict] = field(default_factory=list)  # label, old, new (texts) of the bureau's figures that moved
    added: list[dict] = field(default_factory=list)
    removed: list[dict] = field(default_factory=list)
    changed: list[dict] = field(default_factory=list)  # employee_no, name, fields: [(key, old, new)]


def snapshot_diff(*, old: YearSnapshot, new: YearSnapshot, limit: int = 200) -> SnapshotDiff:
    diff = SnapshotDiff()
    old_report, new_report = snapshot_report(old), snapshot_report(new)
    for figure in FIGURES:
        before = figure_text(figure, figure_value(figure, old_report.counts(), old_report.hours_per_day))
        after = figure_text(figure, figure_value(figure, new_report.counts(), new_report.hours_per_day))
        if before != after:
            diff.figures.append({"label": figure.label, "old": before, "new": after})
    olds = {r.officer_id: r for r in SnapshotOfficer.objects.filter(snapshot=old)}
    news = {r.officer_id: r for r in SnapshotOfficer.objects.filter(snapshot=new)}
    for officer_id in sorted(news.keys() - olds.keys())[:limit]:
        diff.added.append({"employee_no": news[officer_id].employee_no, "name": news[officer_id].name})
    for officer_id in sorted(olds.keys() - news.keys())[:limit]:
        diff.removed.append({"employee_no": olds[officer_id].employee_no, "name": olds[officer_id].name})
    for officer_id in sorted(olds.keys() & news.keys()):
        a, b = olds[officer_id], news[officer_id]
        fields = [
            (k, a.data.get(k), b.data.get(k))
            for k in sorted(set(a.data) | set(b.data))
            if a.data.get(k) != b.data.get(k)
        ]
        if a.unit_path != b.unit_path:
            fields.insert(0, ("unit_path", a.unit_path, b.unit_path))
        if fields:
            diff.changed.append({"employee_no": b.employee_no, "name": b.name, "fields": fields})
            if len(diff.changed) >= limit:
                break
    return diff


# --- the view model: what every output shows --------------------------------------------------------------------


@dataclass
class Shown:
    """A year's figures as the viewer may see them. Every number of the page, the .xlsx and the .docx comes from
    here, formatted by figures.figure_text."""

    year: int
    report: Report
    total_group: str | None
    units: list[dict]
    scope_label: str

    def counts(self) -> dict[str, int]:
        if self.total_group is not None:
            return self.report.counts(self.total_group)
        # a leader of several separate subtrees: the report counted them as one group (a session reaching two of
        # them once); a report made before this leader had that scope: their roots added up
        roots = roots_of(u["path"] for u in self.units)
        if combined_group(roots) in self.report.groups:
            return self.report.counts(combined_group(roots))
        total: dict[str, int] = {}
        for root in roots:
            for key, value in self.report.counts(root).items():
                total[key] = total.get(key, 0) + int(value)
        return total

    def text(self, key: str, group: str | None = None) -> str:
        figure = next(f for f in FIGURES if f.key == key)
        counts = self.counts() if group is None else self.report.counts(group)
        return figure_text(figure, figure_value(figure, counts, self.report.hours_per_day))

    def cell(self, key: str, group: str | None = None):
        """The figure as a spreadsheet cell (a number with its format; "—" as on the page where there is none)."""
        figure = FIGURE_BY_KEY[key]
        counts = self.counts() if group is None else self.report.counts(group)
        return figure_cell(figure, figure_value(figure, counts, self.report.hours_per_day))

    def figure_rows(self) -> list[dict]:
        counts = self.counts()
        return [
            {
                "key": f.key,
                "label": str(f.label),
                "definition": str(f.definition),
                "text": figure_text(f, figure_value(f, counts, self.report.hours_per_day)),
                "headline": f.headline,
            }
            for f in FIGURES
            if (self.total_group == TOTAL or f.key not in BUREAU_ONLY)
            and (self.report.has_mentorship or f.key not in MENTORSHIP_KEYS)
        ]

    def headline_rows(self) -> list[dict]:
        keys = {f.key for f in HEADLINES}
        return [r for r in self.figure_rows() if r["key"] in keys]

    def unit_rows(self) -> list[dict]:
        base = min((u["depth"] for u in self.units), default=1)
        return [
            {
                "path": u["path"],
                "name": u["name"],
                "full_path": u["full_path"],
                "indent": u["depth"] - base,
                "cells": [self.text(k, u["path"]) for k in UNIT_TABLE_KEYS],
            }
            for u in self.units
        ]

    def session_rows(self) -> list[dict]:
        counts = self.counts()
        return [
            {
                "kind": label,
                "sessions": counts.get(f"sessions_{code}", 0),
                "attendances": counts.get(f"attendances_{code}", 0),
            }
            for code, label in session_kinds().items()
        ]

    def hours_distribution(self) -> list[tuple[str, int]]:
        counts = self.counts()
        return [(label, int(counts.get(f"hours_bucket_{i}", 0))) for i, label in enumerate(HOURS_BUCKETS)]


def unit_table_headers() -> list[str]:
    by_key = {f.key: f for f in FIGURES}
    return [str(by_key[k].label) for k in UNIT_TABLE_KEYS]


def shown(*, report: Report, paths: list[str] | None, scope_label: str) -> Shown:
    total_group, units = scope_groups(report, paths)
    return Shown(year=report.year, report=report, total_group=total_group, units=units, scope_label=scope_label)


def trend_rows(years: list[Shown]) -> list[dict]:
    """The headline figures of the shown years, oldest first: label, [text per year]."""
    return [{"label": str(f.label), "key": f.key, "cells": [s.text(f.key) for s in years]} for f in HEADLINES]


def default_year(today: dt.date | None = None) -> int:
    """Before December the last complete year is what an annual report is written about."""
    today = today or timezone.localdate()
    return today.year if today.month == 12 else today.year - 1

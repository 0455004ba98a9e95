"""THE eligibility engine of the annual review (年审): may this officer's certificate be reviewed for year Y?

One function decides, for one officer or 100,000: the officer card, HR's lists, the review run, reminders and the
reports all call `evaluate` (objects with evidence) or `evaluate_frame` (vectorised, for the board and benchmarks).
Nothing else decides eligibility. Inputs come only through the other apps' selectors:

- hours: `learning.selectors.hours_status` / `hours_status_frame` (THE rule of hours met: every credit category of
  the role's rule, and the minimum training days);
- the annual law exam (年度学法考试) passed that year: `exams.selectors.best_passes` / `passes_frame`; an attempt
  still in progress or awaiting marking makes the condition pending;
- HR-held blocks (处分, 停职 ...): `ReviewBlock` in force on the day of evaluation;
- 协管员 cannot hold a certificate at all.

Each condition is met / unmet / pending and carries its evidence (hours by category vs rule, the exam and its
score, days); `Eligibility.snapshot()` is what a review event stores, so a later ledger reversal never rewrites it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from django.db.models import Q, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from exams.models import Exam
from exams.selectors import best_passes, officers_awaiting_grade, passes_frame
from learning.selectors import hours_status, hours_status_frame
from org.models import Officer, RoleCategory

from .models import ReviewBlock, ReviewCycle
from .status import local_today

MET, UNMET, PENDING = "met", "unmet", "pending"
# Role categories that cannot hold an enforcement certificate (协管员 assist, they do not enforce).
NO_CERTIFICATE_ROLES = frozenset({"auxiliary"})


@dataclass(frozen=True)
class Condition:
    code: str  # hours | training_days | annual_exam | blocks | role
    label: str
    state: str  # met | unmet | pending
    detail: str
    evidence: dict = field(default_factory=dict)
    fix_url: str = ""

    @property
    def met(self) -> bool:
        return self.state == MET

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "label": self.label,
            "state": self.state,
            "detail": self.detail,
            "evidence": self.evidence,
            "fix_url": self.fix_url,
        }


@dataclass(frozen=True)
class Eligibility:
    officer_id: int
    year: int
    conditions: tuple[Condition, ...]
    eligible: bool
    evaluated_on: dt.date | None = None

    @property
    def unmet(self) -> list[Condition]:
        return [c for c in self.conditions if c.state == UNMET]

    @property
    def pending(self) -> list[Condition]:
        return [c for c in self.conditions if c.state == PENDING]

    @property
    def missing(self) -> list[Condition]:
        """What the officer still lacks (unmet or pending), in display order."""
        return [c for c in self.conditions if not c.met]

    def snapshot(self) -> dict:
        """The immutable evidence a review event stores (JSON)."""
        return {
            "year": self.year,
            "eligible": self.eligible,
            "evaluated_on": self.evaluated_on.isoformat() if self.evaluated_on else None,
            "conditions": [c.as_dict() for c in self.conditions],
        }


def _requirements(year: int) -> tuple[bool, bool, bool]:
    """(hours, annual exam, training days) required for the year: the cycle's switches, or all without a cycle."""
    cycle = ReviewCycle.objects.filter(year=year).first()
    if cycle is None:
        return True, True, True
    return cycle.requires_hours, cycle.requires_annual_exam, cycle.requires_training_days


def blocks_in_force(*, officers: QuerySet[Officer] | None, on: dt.date) -> QuerySet[ReviewBlock]:
    """HR blocks in force on a day: started, not ended, not lifted."""
    blocks = ReviewBlock.objects.filter(
        Q(starts_on__lte=on),
        Q(ends_on__isnull=True) | Q(ends_on__gte=on),
        Q(lifted_on__isnull=True) | Q(lifted_on__gt=on),
    )
    if officers is not None:
        blocks = blocks.filter(officer_id__in=officers.order_by().values("pk"))
    return blocks.order_by("officer_id", "starts_on", "pk")


def _url(name: str, fragment: str = "") -> str:
    try:
        return reverse(name) + (f"#{fragment}" if fragment else "")
    except NoReverseMatch:  # a URL missing in a trimmed test config must not break the engine
        return ""


def _hours_condition(status) -> Condition:
    categories = [
        {
            "code": c.code,
            "name": c.name,
            "required": str(c.required),
            "earned": str(c.earned),
            "shortfall": str(c.shortfall),
        }
        for c in status.categories
    ]
    evidence = {
        "categories": categories,
        "total_required": str(status.total_required),
        "total_earned": str(status.total_earned),
        "total_shortfall": str(status.total_shortfall),
        "has_rules": status.has_rules,
    }
    if not status.has_rules:
        return Condition("hours", _("本年度学时"), MET, _("本年度未设学时要求"), evidence)
    if status.total_shortfall == 0:
        detail = _("已修%(earned)s学时,达到要求%(required)s学时") % {
            "earned": status.total_earned,
            "required": status.total_required,
        }
        return Condition("hours", _("本年度学时"), MET, detail, evidence)
    short = [
        _("%(name)s欠%(short)s学时(已修%(earned)s/应修%(required)s)")
        % {"name": c.name, "short": c.shortfall, "earned": c.earned, "required": c.required}
        for c in status.categories
        if c.shortfall > 0
    ]
    return Condition("hours", _("本年度学时"), UNMET, ";".join(short), evidence, _url("learning:my"))


def _days_condition(status) -> Condition:
    evidence = {
        "days": str(status.days),
        "min_days": str(status.min_days) if status.min_days is not None else None,
        "days_short": str(status.days_short),
    }
    if status.min_days is None:
        return Condition("training_days", _("培训天数"), MET, _("本年度未设最少培训天数"), evidence)
    detail = _("培训%(days)s天,最少%(min)s天") % {"days": status.days, "min": status.min_days}
    if status.days_short == 0:
        return Condition("training_days", _("培训天数"), MET, detail, evidence)
    detail += _(",还差%(short)s天") % {"short": status.days_short}
    # The officer's own page lists the offline sessions they are invited to (the session list is the trainers').
    return Condition("training_days", _("培训天数"), UNMET, detail, evidence, _url("learning:my", "my-sessions"))


def _exam_condition(passed, awaiting: bool, year: int) -> Condition:
    label = _("年度学法考试")
    if passed is not None:
        evidence = {
            "exam_id": passed.exam_id,
            "title": passed.title,
            "score": str(passed.score),
            "max_score": str(passed.max_score),
            "finished_at": passed.finished_at.isoformat() if passed.finished_at else None,
        }
        detail = _("%(title)s:%(score)s分,已通过") % {"title": passed.title, "score": passed.score}
        return Condition("annual_exam", label, MET, detail, evidence)
    if awaiting:
        return Condition("annual_exam", label, PENDING, _("考试进行中或待阅卷"), {}, _url("exams:my_exams"))
    return Condition(
        "annual_exam",
        label,
        UNMET,
        _("尚未通过%(year)s年度学法考试") % {"year": year},
        {},
        _url("exams:my_exams"),
    )


def _blocks_condition(blocks: list[ReviewBlock]) -> Condition:
    label = _("人事限制")
    if not blocks:
        return Condition("blocks", label, MET, _("无"), {"blocks": []})
    evidence = {
        "blocks": [
            {
                "id": b.pk,
                "kind": b.kind,
                "reason": b.reason,
                "starts_on": b.starts_on.isoformat(),
                "ends_on": b.ends_on.isoformat() if b.ends_on else None,
            }
            for b in blocks
        ]
    }
    detail = ";".join(
        f"{b.get_kind_display()}:{b.reason}({b.starts_on.isoformat()}—{b.ends_on.isoformat() if b.ends_on else ''})"
        for b in blocks
    )
    return Condition("blocks", label, UNMET, detail, evidence)


def evaluate(*, officers: QuerySet[Officer], year: int, today: dt.date | None = None) -> dict[int, Eligibility]:
    """officer_id → Eligibility for the review of `year`, for every officer of the queryset, with evidence.
    Set-based: a fixed number of queries whatever the number of officers."""
    today = today or local_today()
    needs_hours, needs_exam, needs_days = _requirements(year)
    hours = hours_status(year=year, officers=officers)
    passes = best_passes(officers=officers, kind=Exam.Kind.ANNUAL, year=year) if needs_exam else {}
    awaiting = officers_awaiting_grade(officers=officers, kind=Exam.Kind.ANNUAL, year=year) if needs_exam else set()
    blocks: dict[int, list[ReviewBlock]] = {}
    for b in blocks_in_force(officers=officers, on=today):
        blocks.setdefault(b.officer_id, []).append(b)
    roles = dict(officers.order_by().values_list("pk", "role_category__code"))
    out: dict[int, Eligibility] = {}
    for officer_id, status in hours.items():
        conditions: list[Condition] = []
        if roles.get(officer_id) in NO_CERTIFICATE_ROLES:
            conditions.append(Condition("role", _("人员类别"), UNMET, _("协管员不能持有行政执法证")))
        if needs_hours:
            conditions.append(_hours_condition(status))
        if needs_days:
            conditions.append(_days_condition(status))
        if needs_exam:
            conditions.append(_exam_condition(passes.get(officer_id), officer_id in awaiting, year))
        conditions.append(_blocks_condition(blocks.get(officer_id, [])))
        out[officer_id] = Eligibility(
            officer_id=officer_id,
            year=year,
            conditions=tuple(conditions),
            eligible=all(c.met for c in conditions),
            evaluated_on=today,
        )
    return out


def evaluate_officer(*, officer: Officer, year: int, today: dt.date | None = None) -> Eligibility:
    return evaluate(officers=Officer.objects.filter(pk=officer.pk), year=year, today=today)[officer.pk]


def evaluate_frame(
    *,
    officers: QuerySet[Officer],
    year: int,
    today: dt.date | None = None,
    hours: pd.DataFrame | None = None,
    annual_passed: pd.Series | None = None,
) -> pd.DataFrame:
    """The same verdicts as `evaluate`, vectorised for many officers (the board, the benchmark): one row per
    officer with role_category_id, hours_met, days_met, exam_met, exam_pending, blocked, no_certificate_role,
    eligible (bools) and total_shortfall_c / days_short_tenths (from learning). No per-officer Python.
    `hours`: learning's hours_status_frame of the same officers and year when the caller already has it (reports);
    `annual_passed`: likewise the ids of those of them who passed the year's annual exam (exams.sitting_frames)."""
    today = today or local_today()
    needs_hours, needs_exam, needs_days = _requirements(year)
    frame = hours if hours is not None else hours_status_frame(year=year, officers=officers)
    frame = frame[["officer_id", "role_category_id", "total_shortfall_c", "days_short_tenths", "has_rules"]].copy()
    frame["hours_met"] = (frame["total_shortfall_c"] == 0) if needs_hours else True
    frame["days_met"] = frame["days_short_tenths"] == 0 if needs_days else True
    if needs_exam:
        if annual_passed is None:
            annual_passed = passes_frame(officers=officers, kind=Exam.Kind.ANNUAL, year=year)["officer_id"]
        frame["exam_met"] = frame["officer_id"].isin(annual_passed)
        awaiting = officers_awaiting_grade(officers=officers, kind=Exam.Kind.ANNUAL, year=year)
        frame["exam_pending"] = ~frame["exam_met"] & frame["officer_id"].isin(np.fromiter(awaiting, dtype="int64"))
    else:
        frame["exam_met"] = True
        frame["exam_pending"] = False
    blocked = np.fromiter(
        blocks_in_force(officers=officers, on=today).values_list("officer_id", flat=True).distinct(), dtype="int64"
    )
    frame["blocked"] = frame["officer_id"].isin(blocked)
    excluded = list(RoleCategory.objects.filter(code__in=NO_CERTIFICATE_ROLES).values_list("pk", flat=True))
    frame["no_certificate_role"] = frame["role_category_id"].isin(excluded)
    frame["eligible"] = (
        frame["hours_met"] & frame["days_met"] & frame["exam_met"] & ~frame["blocked"] & ~frame["no_certificate_role"]
    )
    return frame

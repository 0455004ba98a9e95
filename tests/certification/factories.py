"""Builders for certification tests (C1 and C2 share them): review cycles, certificates with their ISSUED event,
later events, HR blocks, and the inputs of the eligibility engine (hour rules, ledger credits, passed exams) built
straight from the other apps' models, so each test can state its officer's facts by hand."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import factory
from django.utils import timezone

from certification.models import Certificate, CertificateEvent, ReviewBlock, ReviewCycle
from exams.models import Attempt, Exam, Paper
from learning.models import CreditEntry, HourRule, TrainingDayRule
from org.models import RoleCategory

YEAR = 2026
# The demo's 2026 cycle: 1 Nov 2026 – 31 Jan 2027, 30 days' grace (last review day 2 Mar 2027).
WINDOW_OPENS = dt.date(2026, 11, 1)
DEADLINE = dt.date(2027, 1, 31)

_seq = itertools.count(1)


def cycle(year: int = YEAR, *, window_opens=None, deadline=None, grace_days: int = 30, **kw) -> ReviewCycle:
    if window_opens is None:
        window_opens = WINDOW_OPENS.replace(year=year)
    if deadline is None:
        deadline = DEADLINE.replace(year=year + 1)
    return ReviewCycle.objects.create(
        year=year, window_opens=window_opens, deadline=deadline, grace_days=grace_days, **kw
    )


class CertificateFactory(factory.django.DjangoModelFactory):
    """A certificate row only; use `certificate()` for one with its ISSUED event (as the services write it)."""

    class Meta:
        model = Certificate

    number = factory.Sequence(lambda n: f"测执{n:06d}")
    issuing_authority = "测试区人民政府"
    issued_on = dt.date(2024, 3, 1)


def certificate(officer, *, issued_on: dt.date = dt.date(2024, 3, 1), **kw) -> Certificate:
    cert = CertificateFactory(officer=officer, issued_on=issued_on, **kw)
    CertificateEvent.objects.create(certificate=cert, kind=CertificateEvent.Kind.ISSUED, effective_on=issued_on)
    return cert


def event(cert: Certificate, kind: str, *, effective_on: dt.date, **kw) -> CertificateEvent:
    if kind in CertificateEvent.REVIEW_KINDS and "seq" not in kw:
        kw["seq"] = (
            CertificateEvent.objects.filter(
                certificate=cert, kind__in=CertificateEvent.REVIEW_KINDS, year=kw["year"]
            ).count()
            + 1
        )
    return CertificateEvent.objects.create(certificate=cert, kind=kind, effective_on=effective_on, **kw)


def review(cert: Certificate, year: int = YEAR, *, passed: bool = True, on: dt.date | None = None, **kw):
    kind = CertificateEvent.Kind.REVIEW_PASSED if passed else CertificateEvent.Kind.REVIEW_FAILED
    return event(cert, kind, effective_on=on or WINDOW_OPENS.replace(year=year), year=year, **kw)


def block(officer, *, by, kind=ReviewBlock.Kind.DISCIPLINE, reason="记过处分", starts_on=dt.date(2026, 6, 1), **kw):
    return ReviewBlock.objects.create(
        officer=officer, kind=kind, reason=reason, starts_on=starts_on, created_by=by, **kw
    )


# --- the engine's inputs ---------------------------------------------------------------------------------------


def hour_rule(year: int = YEAR, *, role: str = "enforcer", category: str = "rule_of_law", hours="40") -> HourRule:
    return HourRule.objects.create(
        year=year,
        role_category=RoleCategory.objects.get(code=role),
        category_id=category,
        required_hours=Decimal(hours),
    )


def day_rule(year: int = YEAR, *, role: str = "enforcer", days="5") -> TrainingDayRule:
    return TrainingDayRule.objects.create(
        year=year, role_category=RoleCategory.objects.get(code=role), min_days=Decimal(days)
    )


def credit(officer, hours, *, year: int = YEAR, category: str = "rule_of_law", reverses=None) -> CreditEntry:
    return CreditEntry.objects.create(
        officer=officer,
        year=year,
        category_id=category,
        hours=Decimal(str(hours)),
        source_kind=CreditEntry.SourceKind.MANUAL,
        source_id=f"t{next(_seq)}",
        reverses=reverses,
    )


def exam(*, kind: str = Exam.Kind.ANNUAL, year: int = YEAR, title: str | None = None, pass_score="60", **kw) -> Exam:
    now = timezone.now()
    fields = dict(
        title=title or f"{year}年度行政执法人员学法考试",
        kind=kind,
        year=year,
        paper=Paper.objects.create(title="试卷"),
        status=Exam.Status.PUBLISHED,
        opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=1),
        duration_minutes=60,
        pass_score=Decimal(pass_score),
    )
    fields.update(kw)
    return Exam.objects.create(**fields)


def exam_attempt(
    the_exam: Exam, officer, *, score="85", passed: bool = True, state=Attempt.State.GRADED, finished=None
):
    finished = finished or timezone.now()
    number = Attempt.objects.filter(exam=the_exam, officer=officer).count() + 1
    return Attempt.objects.create(
        exam=the_exam,
        officer=officer,
        number=number,
        seed=7,
        started_at=finished - dt.timedelta(minutes=30),
        deadline=finished + dt.timedelta(minutes=30),
        submitted_at=finished,
        state=state,
        max_score=Decimal("100"),
        score=Decimal(score),
        passed=passed,
        graded_at=finished,
    )

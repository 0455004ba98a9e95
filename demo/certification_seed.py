"""Demo data of certification, so that HR's board shows every status on the first visit:

- the review cycle of last year (closed) and of this year, open now (1 Nov – 31 Jan, 30 days' grace);
- certificates (through certification.services) for most 领导/中层/执法人员/法制员, a few issued this year; last
  year's reviews recorded as history (passed for all but two: 逾期未审); a handful reviewed this year already;
- results of this year's annual law exam for about two thirds of them (through the attempts engine), so that some
  officers are 待年审 (all conditions met) and others 存在风险 (the demo officer among them);
- two suspended (暂扣), one revoked (注销); a few on enforcement duty without a certificate (持证上岗 list);
- recruits uncertified, some of whom passed an earlier 行政执法资格考试 (待发证);
- the reminders of today, so the demo officer sees them under 我的执法证.

Deterministic and idempotent: certificates are keyed by number, events are added only when missing."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from org.models import Officer, User

CERTIFIED_ROLES = ("leader", "middle", "enforcer", "legal")
AUTHORITY = "杭州市滨江区人民政府"
QUALIFICATION_PAST = "行政执法资格考试(2026年第一期)"


def _cycle_dates(year: int, today: dt.date) -> tuple[dt.date, dt.date]:
    window, deadline = dt.date(year, 11, 1), dt.date(year + 1, 1, 31)
    if today < window:  # the demo wants the cycle open now, whatever the date
        window = today - dt.timedelta(days=7)
    return window, deadline


def seed_certification() -> dict:
    from certification import services
    from certification.models import Certificate, CertificateEvent, ReviewCycle

    hr = User.objects.filter(username="hr01").first()
    if hr is None:
        return {"certificates": 0}
    today = timezone.localdate()
    year = today.year
    rng = random.Random(20261)

    for y in (year - 1, year):
        if not ReviewCycle.objects.filter(year=y).exists():
            window, deadline = _cycle_dates(y, today) if y == year else (dt.date(y, 11, 1), dt.date(y + 1, 1, 31))
            services.review_cycle_save(
                actor=hr,
                year=y,
                window_opens=window,
                deadline=deadline,
                grace_days=30,
                requires_hours=True,
                requires_annual_exam=True,
                requires_training_days=True,
                note="年审须完成本年度学时并通过年度学法考试(未经培训测试的一律不得申请执法证年审)",
            )

    officers = list(
        Officer.objects.select_related("unit", "role_category")
        .filter(employee_no__startswith="BJ", role_category__code__in=CERTIFIED_ROLES)
        .order_by("employee_no")
    )
    _seed_annual_results(officers, year=year)

    created = 0
    certificates: list[Certificate] = []
    for index, officer in enumerate(officers):
        if index % 25 == 24:
            continue  # on enforcement duty without a certificate: the 持证上岗 list
        number = f"浙杭滨执{officer.employee_no[2:]}"
        cert = Certificate.objects.filter(number=number).first()
        if cert is None:
            issued_this_year = index % 15 == 3
            issued_on = (
                dt.date(year, rng.randint(1, max(1, today.month - 1)), rng.randint(1, 28))
                if issued_this_year
                else dt.date(rng.randint(2012, year - 2), rng.randint(1, 12), rng.randint(1, 28))
            )
            cert = services.certificate_issue(
                actor=hr,
                officer=officer,
                number=number,
                issuing_authority=AUTHORITY,
                issued_on=issued_on,
                enforcement_category="城市管理综合行政执法",
                enforcement_area="滨江区",
            )
            created += 1
        certificates.append(cert)

    # Last year's reviews, as history (recorded then with the evidence of then): all passed but two.
    lapsed = {c.pk for c in certificates[5:7]}
    for cert in certificates:
        if cert.issued_on.year >= year - 1 or cert.pk in lapsed:
            continue
        if not CertificateEvent.objects.filter(certificate=cert, year=year - 1).exists():
            CertificateEvent.objects.create(
                certificate=cert,
                kind=CertificateEvent.Kind.REVIEW_PASSED,
                year=year - 1,
                effective_on=dt.date(year - 1, 12, rng.randint(1, 28)),
                actor=hr,
                reason="历史年审记录导入",
                evidence={"source": "demo-history"},
            )

    def has(cert, kind):
        return CertificateEvent.objects.filter(certificate=cert, kind=kind).exists()

    # Two suspended, one revoked (never the demo officer, BJ0001).
    rest = [c for c in certificates if c.officer.employee_no != "BJ0001" and c.pk not in lapsed]
    for cert in rest[10:12]:
        if not has(cert, CertificateEvent.Kind.SUSPENDED):
            services.certificate_suspend(
                actor=hr,
                certificate=cert,
                reason="涉嫌违规执法,暂扣执法证接受调查",
                effective_on=today - dt.timedelta(days=12),
                ends_on=today + dt.timedelta(days=48),
            )
    for cert in rest[20:21]:
        if not has(cert, CertificateEvent.Kind.REVOKED):
            services.certificate_revoke(
                actor=hr, certificate=cert, reason="调离执法岗位,注销执法证", effective_on=today - dt.timedelta(days=30)
            )

    # A few reviewed this year already (those who meet every condition).
    from certification.eligibility import evaluate

    candidates = [c for c in rest[22:] if c.issued_on.year < year]
    verdicts = evaluate(officers=Officer.objects.filter(pk__in=[c.officer_id for c in candidates]), year=year)
    reviewed = 0
    for cert in candidates:
        if reviewed >= 8:
            break
        verdict = verdicts.get(cert.officer_id)
        if verdict is None or not verdict.eligible:
            continue
        if not CertificateEvent.objects.filter(
            certificate=cert, kind__in=CertificateEvent.REVIEW_KINDS, year=year
        ).exists():
            services.review_single(actor=hr, certificate=cert, year=year)
        reviewed += 1

    qualified = _seed_qualification_passes(year=year, today=today)

    from certification.reminders import reminders_run

    reminders = reminders_run(today=today)
    return {"certificates": len(certificates), "created": created, "qualified": qualified, "reminders": reminders.sent}


def _seed_annual_results(officers: list[Officer], *, year: int) -> int:
    """About two thirds sat this year's annual law exam (most passed); the demo officer BJ0001 has not yet."""
    from demo.exams_seed import ANNUAL, _seed_results
    from exams.models import Exam

    exam = Exam.objects.filter(title=ANNUAL).first()
    if exam is None:
        return 0
    takers = [o for i, o in enumerate(officers) if i % 3 != 0 and o.employee_no != "BJ0001"]
    start = max(exam.opens_at, timezone.now() - dt.timedelta(days=10))
    return _seed_results(exam, officers=takers, now_base=start)


def _seed_qualification_passes(*, year: int, today: dt.date) -> int:
    """An earlier qualification exam, taken by ten recruits: those who passed are 待发证."""
    from demo.exams_seed import _demo_author, _exam, _paper, _pass_mark, _pick, _seed_results
    from demo.org_seed import BUREAU
    from exams.models import Exam, Paper
    from org.models import RoleCategory, Unit

    author = _demo_author()
    bureau = Unit.objects.filter(full_path=BUREAU).first()
    if author is None or bureau is None:
        return 0
    paper = _paper(
        "行政执法资格考试试卷(B卷)",
        mode=Paper.Mode.FIXED,
        author=author,
        shuffle_questions=False,
        questions=[*_pick("single", "", 10), *_pick("multiple", "", 5), *_pick("true_false", "", 10)],
    )
    tz = timezone.get_current_timezone()
    opens = dt.datetime.combine(today - dt.timedelta(days=60), dt.time(9), tzinfo=tz)
    exam, _new = _exam(
        QUALIFICATION_PAST,
        paper=paper,
        author=author,
        publish_at=opens - dt.timedelta(days=5),
        units=[bureau],
        role_categories=RoleCategory.objects.filter(code="recruit"),
        kind=Exam.Kind.QUALIFICATION,
        year=year,
        opens_at=opens,
        closes_at=opens + dt.timedelta(hours=3),
        duration_minutes=120,
        attempts_allowed=1,
        pass_score=_pass_mark(paper),
        show_score="submit",
        show_answers="never",
        show_explanations="never",
    )
    recruits = list(
        Officer.objects.filter(employee_no__startswith="BJ", role_category__code="recruit").order_by("employee_no")[:10]
    )
    _seed_results(exam, officers=recruits, now_base=opens + dt.timedelta(minutes=5))
    from exams.models import Attempt

    return Attempt.objects.filter(exam=exam, passed=True).count()

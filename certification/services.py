"""Every write of certification. Keyword-only, atomic, audited (org.services.audit_record); each checks its actor's
role itself (HR or admin) and refuses bad input with a Chinese CertificationError, writing nothing.

Certificates are written once; everything after is a CertificateEvent (append-only). The review run writes one
review per certificate and year with the engine's evidence snapshot, in one transaction, under row locks on the
certificates, so a re-run or a second HR user confirming at the same time writes nothing twice."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from org.access import require
from org.models import Officer, Unit, User
from org.services import audit_record
from org.tabular import TableError
from org.units import subtree_q

from . import importer
from .eligibility import NO_CERTIFICATE_ROLES, Eligibility, evaluate
from .models import Certificate, CertificateEvent, ReviewBlock, ReviewCycle
from .status import Status, derive_status, governing_cycle, last_review_day, live_events, local_today, reviews_by_year

Kind = CertificateEvent.Kind
REASON_MAX = 500


class CertificationError(Exception):
    """A refusal with a Chinese message for the user; nothing was written."""


def _hr(actor: User) -> None:
    require(actor, "hr")


def _reason(reason: str, *, what: str | None = None) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise CertificationError(what or _("请填写原因。"))
    if len(reason) > REASON_MAX:
        raise CertificationError(_("原因不能超过%(n)s个字。") % {"n": REASON_MAX})
    return reason


def _event(certificate: Certificate, *, kind: str, effective_on: dt.date, actor: User, **kw) -> CertificateEvent:
    return CertificateEvent.objects.create(
        certificate=certificate, kind=kind, effective_on=effective_on, actor=actor, **kw
    )


def _status_of(certificate: Certificate, *, on: dt.date, events: list[CertificateEvent] | None = None):
    """The certificate's status on a day, ignoring review conditions (for the guards of suspend/revoke/...)."""
    cycles = list(ReviewCycle.objects.all())
    cycle = governing_cycle(cycles, on)
    return derive_status(
        certificate=certificate,
        events=events if events is not None else list(certificate.events.all()),
        cycle=cycle,
        eligible=True,
        today=on,
        earlier_cycle_years=[c.year for c in cycles if cycle is not None and c.year < cycle.year],
    )


def _locked(certificate: Certificate) -> Certificate:
    return Certificate.objects.select_for_update().get(pk=certificate.pk)


# --- certificates -------------------------------------------------------------------------------------------------


def issue_problems(
    *,
    officer: Officer,
    number: str,
    issued_on: dt.date | None,
    valid_until: dt.date | None,
    issuing_authority: str,
    today: dt.date,
) -> list[tuple[str, str]]:
    """(field, Chinese message) for every reason a certificate may not be recorded (the import reuses this)."""
    problems: list[tuple[str, str]] = []
    if not number:
        problems.append(("number", _("证号不能为空")))
    elif len(number) > 64:
        problems.append(("number", _("证号不能超过64个字符")))
    elif Certificate.objects.filter(number=number).exists():
        problems.append(("number", _("证号%(number)s已存在") % {"number": number}))
    if not issuing_authority:
        problems.append(("issuing_authority", _("发证机关不能为空")))
    elif len(issuing_authority) > 200:
        problems.append(("issuing_authority", _("发证机关不能超过200个字")))
    if issued_on is None:
        problems.append(("issued_on", _("发证日期不能为空")))
    elif issued_on > today:
        problems.append(("issued_on", _("发证日期不能晚于今天")))
    if issued_on is not None and valid_until is not None and valid_until < issued_on:
        problems.append(("valid_until", _("有效期至不能早于发证日期")))
    if officer.role_category.code in NO_CERTIFICATE_ROLES:
        problems.append(("officer", _("%(name)s是协管员,不能持有行政执法证") % {"name": officer.name}))
    if officer.status != Officer.Status.ACTIVE:
        problems.append(("officer", _("%(name)s不是在职人员") % {"name": officer.name}))
    for cert in Certificate.objects.filter(officer=officer).prefetch_related("events"):
        if _status_of(cert, on=today).status not in (Status.UNCERTIFIED, Status.REVOKED, Status.EXPIRED):
            problems.append(
                ("officer", _("%(name)s已持有执法证%(number)s") % {"name": officer.name, "number": cert.number})
            )
    return problems


@transaction.atomic
def certificate_issue(
    *,
    actor: User,
    officer: Officer,
    number: str,
    issuing_authority: str,
    issued_on: dt.date,
    valid_until: dt.date | None = None,
    enforcement_category: str = "",
    enforcement_area: str = "",
    today: dt.date | None = None,
) -> Certificate:
    """Record a certificate the authority issued to the officer (with its ISSUED event)."""
    _hr(actor)
    today = today or local_today()
    officer = Officer.objects.select_for_update().select_related("role_category").get(pk=officer.pk)
    number = (number or "").strip()
    issuing_authority = (issuing_authority or "").strip()
    problems = issue_problems(
        officer=officer,
        number=number,
        issued_on=issued_on,
        valid_until=valid_until,
        issuing_authority=issuing_authority,
        today=today,
    )
    if problems:
        raise CertificationError(";".join(message for _field, message in problems) + "。")
    try:
        with transaction.atomic():
            certificate = Certificate.objects.create(
                officer=officer,
                number=number,
                issuing_authority=issuing_authority,
                issued_on=issued_on,
                valid_until=valid_until,
                enforcement_category=(enforcement_category or "").strip()[:100],
                enforcement_area=(enforcement_area or "").strip()[:100],
                created_by=actor,
            )
    except IntegrityError:
        raise CertificationError(_("证号%(number)s已存在。") % {"number": number}) from None
    _event(certificate, kind=Kind.ISSUED, effective_on=issued_on, actor=actor)
    audit_record(actor=actor, action="certificate.issue", target=certificate, data={"officer": officer.employee_no})
    return certificate


@transaction.atomic
def certificate_suspend(
    *, actor: User, certificate: Certificate, reason: str, effective_on: dt.date, ends_on: dt.date | None = None
) -> CertificateEvent:
    """暂扣 from `effective_on` to `ends_on` (inclusive; open-ended without it)."""
    _hr(actor)
    reason = _reason(reason, what=_("请填写暂扣原因。"))
    if ends_on is not None and ends_on < effective_on:
        raise CertificationError(_("暂扣结束日期不能早于开始日期。"))
    certificate = _locked(certificate)
    status = _status_of(certificate, on=effective_on).status
    if status == Status.REVOKED:
        raise CertificationError(_("执法证%(number)s已注销,不能暂扣。") % {"number": certificate.number})
    if status == Status.EXPIRED:
        raise CertificationError(_("执法证%(number)s已到期,不能暂扣。") % {"number": certificate.number})
    if status == Status.UNCERTIFIED:
        raise CertificationError(_("执法证%(number)s在该日期尚未生效。") % {"number": certificate.number})
    if status == Status.SUSPENDED:
        raise CertificationError(_("执法证%(number)s在该日期已处于暂扣状态。") % {"number": certificate.number})
    event = _event(
        certificate, kind=Kind.SUSPENDED, effective_on=effective_on, ends_on=ends_on, reason=reason, actor=actor
    )
    audit_record(actor=actor, action="certificate.suspend", target=certificate, data={"event": event.pk})
    return event


@transaction.atomic
def certificate_reinstate(
    *, actor: User, certificate: Certificate, reason: str, effective_on: dt.date
) -> CertificateEvent:
    """End a suspension early (恢复)."""
    _hr(actor)
    reason = _reason(reason)
    certificate = _locked(certificate)
    if _status_of(certificate, on=effective_on).status != Status.SUSPENDED:
        raise CertificationError(_("执法证%(number)s在该日期未被暂扣,无需恢复。") % {"number": certificate.number})
    event = _event(certificate, kind=Kind.REINSTATED, effective_on=effective_on, reason=reason, actor=actor)
    audit_record(actor=actor, action="certificate.reinstate", target=certificate, data={"event": event.pk})
    return event


@transaction.atomic
def certificate_revoke(
    *, actor: User, certificate: Certificate, reason: str, effective_on: dt.date
) -> CertificateEvent:
    """注销/吊销: final (only a correcting VOIDED event can undo a mistaken one)."""
    _hr(actor)
    reason = _reason(reason, what=_("请填写注销原因。"))
    certificate = _locked(certificate)
    events = list(certificate.events.all())
    if any(e.kind == Kind.REVOKED for e in live_events(events, dt.date.max)):
        raise CertificationError(_("执法证%(number)s已注销。") % {"number": certificate.number})
    if effective_on < certificate.issued_on:
        raise CertificationError(_("注销日期不能早于发证日期。"))
    event = _event(certificate, kind=Kind.REVOKED, effective_on=effective_on, reason=reason, actor=actor)
    audit_record(actor=actor, action="certificate.revoke", target=certificate, data={"event": event.pk})
    return event


@transaction.atomic
def event_void(*, actor: User, event: CertificateEvent, reason: str, today: dt.date | None = None) -> CertificateEvent:
    """Correct a mistake: a VOIDED event naming the event it voids. The voided event stays in the history."""
    _hr(actor)
    reason = _reason(reason, what=_("请填写更正原因。"))
    certificate = _locked(event.certificate)
    event = CertificateEvent.objects.get(pk=event.pk)
    if event.kind == Kind.VOIDED:
        raise CertificationError(_("更正记录本身不能再作废。"))
    if CertificateEvent.objects.filter(voids=event).exists():
        raise CertificationError(_("该记录已被作废。"))
    try:
        with transaction.atomic():
            voided = _event(
                certificate,
                kind=Kind.VOIDED,
                effective_on=max(today or local_today(), event.effective_on),
                voids=event,
                reason=reason,
                actor=actor,
            )
    except IntegrityError:
        raise CertificationError(_("该记录已被作废。")) from None
    audit_record(
        actor=actor, action="certificate.event_void", target=certificate, data={"voids": event.pk, "kind": event.kind}
    )
    return voided


# --- review cycles and blocks -------------------------------------------------------------------------------------


@transaction.atomic
def review_cycle_save(
    *,
    actor: User,
    year: int,
    window_opens: dt.date,
    deadline: dt.date,
    grace_days: int = 30,
    requires_hours: bool = True,
    requires_annual_exam: bool = True,
    requires_training_days: bool = True,
    note: str = "",
) -> ReviewCycle:
    """Create or change the 年审 cycle of a year."""
    _hr(actor)
    if not 2000 <= int(year) <= 2100:
        raise CertificationError(_("年度超出范围。"))
    if window_opens is None or deadline is None:
        raise CertificationError(_("请填写年审开始日期和截止日期。"))
    if deadline < window_opens:
        raise CertificationError(_("年审截止日期不能早于开始日期。"))
    if not 0 <= int(grace_days) <= 365:
        raise CertificationError(_("宽限天数须在0到365之间。"))
    if window_opens.year < year:
        raise CertificationError(_("年审开始日期不能早于该年度。"))
    values = {
        "window_opens": window_opens,
        "deadline": deadline,
        "grace_days": int(grace_days),
        "requires_hours": requires_hours,
        "requires_annual_exam": requires_annual_exam,
        "requires_training_days": requires_training_days,
        "note": (note or "").strip()[:300],
        "updated_by": actor,
    }
    cycle, created = ReviewCycle.objects.update_or_create(year=year, defaults=values)
    audit_record(
        actor=actor,
        action="certification.cycle_save",
        target=cycle,
        data={k: str(v) for k, v in values.items() if k != "updated_by"} | {"created": created},
    )
    return cycle


@transaction.atomic
def review_block_add(
    *, actor: User, officer: Officer, kind: str, reason: str, starts_on: dt.date, ends_on: dt.date | None = None
) -> ReviewBlock:
    """An HR-held block (处分, 停职 ...): the officer is not eligible for review while it is in force."""
    _hr(actor)
    if kind not in ReviewBlock.Kind.values:
        raise CertificationError(_("未知的限制类型。"))
    reason = _reason(reason)
    if ends_on is not None and ends_on < starts_on:
        raise CertificationError(_("结束日期不能早于开始日期。"))
    block = ReviewBlock.objects.create(
        officer=officer, kind=kind, reason=reason, starts_on=starts_on, ends_on=ends_on, created_by=actor
    )
    audit_record(actor=actor, action="certification.block_add", target=block, data={"officer": officer.employee_no})
    return block


@transaction.atomic
def review_block_lift(*, actor: User, block: ReviewBlock, reason: str, lifted_on: dt.date | None = None) -> ReviewBlock:
    _hr(actor)
    reason = _reason(reason, what=_("请填写解除原因。"))
    block = ReviewBlock.objects.select_for_update().get(pk=block.pk)
    lifted_on = lifted_on or local_today()
    if block.lifted_on is not None:
        raise CertificationError(_("该限制已于%(date)s解除。") % {"date": block.lifted_on.isoformat()})
    if lifted_on < block.starts_on:
        raise CertificationError(_("解除日期不能早于开始日期。"))
    block.lifted_on = lifted_on
    block.lifted_reason = reason
    block.save(update_fields=["lifted_on", "lifted_reason"])
    audit_record(actor=actor, action="certification.block_lift", target=block, data={"reason": reason})
    return block


# --- the review (年审) --------------------------------------------------------------------------------------------


@dataclass
class ReviewRow:
    """One certificate in a review run: its officer, the engine's verdict, the standing review if any."""

    officer: Officer
    certificate: Certificate
    eligibility: Eligibility | None
    review: CertificateEvent | None = None
    note: str = ""

    @property
    def unmet(self):
        return self.eligibility.missing if self.eligibility else []


@dataclass
class ReviewRunPreview:
    year: int
    unit: Unit
    cycle: ReviewCycle
    eligible: list[ReviewRow] = field(default_factory=list)
    not_eligible: list[ReviewRow] = field(default_factory=list)
    already: list[ReviewRow] = field(default_factory=list)  # a standing review this year that the run keeps
    skipped: list[ReviewRow] = field(default_factory=list)  # suspended, revoked, expired, issued this year ...


@dataclass
class ReviewRunResult:
    year: int
    unit: Unit
    passed: list[CertificateEvent] = field(default_factory=list)
    failed: list[CertificateEvent] = field(default_factory=list)
    already: list[ReviewRow] = field(default_factory=list)
    skipped: list[ReviewRow] = field(default_factory=list)


def _cycle_open(year: int, today: dt.date) -> ReviewCycle:
    cycle = ReviewCycle.objects.filter(year=year).first()
    if cycle is None:
        raise CertificationError(_("%(year)s年度没有年审周期,请先设置年审周期。") % {"year": year})
    if today < cycle.window_opens:
        raise CertificationError(
            _("%(year)s年度年审自%(date)s开始。") % {"year": year, "date": cycle.window_opens.isoformat()}
        )
    if today > last_review_day(cycle):
        raise CertificationError(
            _("%(year)s年度年审已于%(date)s结束(含宽限期)。")
            % {"year": year, "date": last_review_day(cycle).isoformat()}
        )
    return cycle


def _plan(*, certificates: list[Certificate], year: int, cycle: ReviewCycle, today: dt.date) -> ReviewRunPreview:
    """Sort each certificate of the run into eligible / not eligible / already reviewed / skipped."""
    officer_ids = {c.officer_id for c in certificates}
    eligibility = evaluate(officers=Officer.objects.filter(pk__in=officer_ids), year=year, today=today)
    events: dict[int, list[CertificateEvent]] = {}
    for e in CertificateEvent.objects.filter(certificate__in=[c.pk for c in certificates]):
        events.setdefault(e.certificate_id, []).append(e)
    all_cycles = list(ReviewCycle.objects.all())
    earlier = [c.year for c in all_cycles if c.year < year]
    plan = ReviewRunPreview(year=year, unit=None, cycle=cycle)  # type: ignore[arg-type]
    for cert in certificates:
        own = events.get(cert.pk, [])
        elig = eligibility.get(cert.officer_id)
        row = ReviewRow(officer=cert.officer, certificate=cert, eligibility=elig)
        status = derive_status(
            certificate=cert, events=own, cycle=cycle, eligible=True, today=today, earlier_cycle_years=earlier
        ).status
        standing = reviews_by_year(live_events(own, today)).get(year)
        row.review = standing
        if status in (Status.UNCERTIFIED, Status.REVOKED, Status.EXPIRED, Status.SUSPENDED):
            row.note = str(status.label)
            plan.skipped.append(row)
        elif cert.issued_on.year >= year:
            row.note = _("%(year)s年度新发证,无需年审") % {"year": cert.issued_on.year}
            plan.skipped.append(row)
        elif standing is not None and (standing.kind == Kind.REVIEW_PASSED or not (elig and elig.eligible)):
            plan.already.append(row)  # passed already, or failed and still not eligible: nothing new to write
        elif elig is not None and elig.eligible:
            plan.eligible.append(row)
        else:
            plan.not_eligible.append(row)
    return plan


def _run_certificates(*, unit: Unit, lock: bool) -> list[Certificate]:
    """The certificates of the subtree's active officers (every one, even old ones: their status decides)."""
    certs = Certificate.objects.filter(subtree_q([unit], field="officer__unit"), officer__status=Officer.Status.ACTIVE)
    if lock:
        certs = certs.select_for_update(of=("self",))
    return list(certs.select_related("officer", "officer__unit", "officer__role_category").order_by("pk"))


def _latest_only(certificates: list[Certificate], today: dt.date) -> list[Certificate]:
    """An officer's older certificates (revoked, replaced) are not reviewed: keep each officer's latest standing one."""
    by_officer: dict[int, Certificate] = {}
    for cert in sorted(certificates, key=lambda c: (c.issued_on, c.pk)):
        by_officer[cert.officer_id] = cert
    return sorted(by_officer.values(), key=lambda c: (c.officer.unit.path, c.officer.employee_no))


def review_run_preview(*, viewer: User, unit: Unit, year: int, today: dt.date | None = None) -> ReviewRunPreview:
    """What confirming would write for the unit subtree and year (reads only)."""
    _hr(viewer)
    today = today or local_today()
    cycle = _cycle_open(year, today)
    plan = _plan(
        certificates=_latest_only(_run_certificates(unit=unit, lock=False), today), year=year, cycle=cycle, today=today
    )
    plan.unit = unit
    return plan


def _review_event(row: ReviewRow, *, year: int, passed: bool, today: dt.date, actor: User, reason: str = ""):
    seq = (
        CertificateEvent.objects.filter(
            certificate=row.certificate, kind__in=CertificateEvent.REVIEW_KINDS, year=year
        ).aggregate(m=Max("seq"))["m"]
        or 0
    ) + 1
    evidence = row.eligibility.snapshot() if row.eligibility else {}
    return _event(
        row.certificate,
        kind=Kind.REVIEW_PASSED if passed else Kind.REVIEW_FAILED,
        effective_on=today,
        year=year,
        seq=seq,
        evidence=evidence,
        reason=reason,
        actor=actor,
    )


@transaction.atomic
def review_run_confirm(*, actor: User, unit: Unit, year: int, today: dt.date | None = None) -> ReviewRunResult:
    """Write one review per certificate of the subtree for the year, with the evidence snapshot: passed for the
    eligible, failed for the others. One transaction under row locks on the certificates: a re-run, or a second HR
    user confirming at the same moment, finds the reviews already written and writes nothing twice. Someone failed
    earlier who is eligible now is passed (a new review with the next seq)."""
    _hr(actor)
    today = today or local_today()
    cycle = _cycle_open(year, today)
    certificates = _latest_only(_run_certificates(unit=unit, lock=True), today)
    plan = _plan(certificates=certificates, year=year, cycle=cycle, today=today)
    result = ReviewRunResult(year=year, unit=unit, already=plan.already, skipped=plan.skipped)
    for row in plan.eligible:
        result.passed.append(_review_event(row, year=year, passed=True, today=today, actor=actor))
    for row in plan.not_eligible:
        result.failed.append(_review_event(row, year=year, passed=False, today=today, actor=actor))
    audit_record(
        actor=actor,
        action="certification.review_run",
        target=unit,
        data={
            "year": year,
            "passed": [e.certificate_id for e in result.passed],
            "failed": [e.certificate_id for e in result.failed],
            "already": len(result.already),
            "skipped": len(result.skipped),
        },
    )
    return result


@transaction.atomic
def review_single(
    *, actor: User, certificate: Certificate, year: int, today: dt.date | None = None
) -> CertificateEvent:
    """Review one certificate (an officer who became eligible later: 补考 passed, a claim approved) until the
    cycle's deadline + grace. Refused while the officer is not eligible (with what is missing) or already passed."""
    _hr(actor)
    today = today or local_today()
    cycle = _cycle_open(year, today)
    certificate = Certificate.objects.select_for_update().select_related("officer").get(pk=certificate.pk)
    plan = _plan(certificates=[certificate], year=year, cycle=cycle, today=today)
    if plan.skipped:
        row = plan.skipped[0]
        raise CertificationError(
            _("执法证%(number)s不需要或不能年审:%(why)s。") % {"number": certificate.number, "why": row.note}
        )
    if plan.not_eligible or (plan.already and plan.already[0].review.kind != Kind.REVIEW_PASSED):
        row = (plan.not_eligible or plan.already)[0]
        missing = ";".join(f"{c.label}:{c.detail}" for c in row.unmet)
        raise CertificationError(
            _("%(name)s尚不符合%(year)s年度年审条件:%(missing)s。")
            % {"name": certificate.officer.name, "year": year, "missing": missing}
        )
    if plan.already:
        raise CertificationError(
            _("执法证%(number)s的%(year)s年度年审已通过。") % {"number": certificate.number, "year": year}
        )
    event = _review_event(plan.eligible[0], year=year, passed=True, today=today, actor=actor)
    audit_record(actor=actor, action="certification.review_single", target=certificate, data={"year": year})
    return event


# --- import and export --------------------------------------------------------------------------------------------


def _standing_numbers(officer_ids: list[int]) -> dict[int, str]:
    from .selectors import statuses

    gone = (Status.UNCERTIFIED, Status.REVOKED, Status.EXPIRED)
    return {
        s.officer.pk: s.certificate.number
        for s in statuses(officers=Officer.objects.filter(pk__in=officer_ids))
        if s.certificate is not None and s.status not in gone
    }


def certificates_import(
    *,
    actor: User | None,
    data: bytes,
    filename: str,
    dry_run: bool,
    today: dt.date | None = None,
    system: bool = False,
) -> importer.ImportReport:
    """Validate the whole file; with errors, return them (row, column, Chinese message) and write nothing.
    Otherwise record every new certificate (with its ISSUED event) in one transaction; rows already recorded with the
    same facts are unchanged. `dry_run` only validates. `system` is the management command (trusted shell, no HR
    user)."""
    if not system:
        _hr(actor)
    today = today or local_today()
    try:
        report = importer.parse(filename, data, today=today, standing_numbers=_standing_numbers)
    except TableError as exc:
        raise CertificationError(str(exc)) from None
    report.dry_run = dry_run
    if report.errors:
        return report
    report.unchanged = [r for r in report.rows if r.existing is not None]
    fresh = [r for r in report.rows if r.existing is None]
    if dry_run:
        report.created = fresh
        return report
    with transaction.atomic():
        for row in fresh:
            try:
                with transaction.atomic():
                    certificate = Certificate.objects.create(
                        officer=row.officer,
                        number=row.number,
                        issuing_authority=row.issuing_authority,
                        issued_on=row.issued_on,
                        valid_until=row.valid_until,
                        enforcement_category=row.enforcement_category,
                        enforcement_area=row.enforcement_area,
                        created_by=actor,
                    )
            except IntegrityError:
                # someone recorded the same number since validation: refuse the whole file
                raise CertificationError(
                    _("第 %(row)s 行:证号%(number)s已存在,未写入任何数据。") % {"row": row.row, "number": row.number}
                ) from None
            _event(certificate, kind=Kind.ISSUED, effective_on=row.issued_on, actor=actor)
            report.created.append(certificate)
        audit_record(
            actor=actor,
            action="certificate.import",
            data={"file": filename[:200], "created": len(report.created), "unchanged": len(report.unchanged)},
        )
    return report


def certificates_export_rows(*, viewer: User, unit: Unit | None = None) -> tuple[list[str], list[list]]:
    """Every certificate of the officers in the viewer's scope, in the import's columns (so the file imports back
    unchanged), then 单位 and 状态 (ignored on import)."""
    from .selectors import scoped_officers, statuses

    require(viewer, "hr_pages")
    officers = scoped_officers(viewer=viewer, unit=unit)
    status_of = {s.certificate.pk: s for s in statuses(officers=officers) if s.certificate is not None}
    headers = [*importer.EXPORT_HEADERS, _("单位"), _("状态")]
    rows = []
    certificates = (
        Certificate.objects.filter(officer__in=officers.order_by().values("pk"))
        .select_related("officer__unit")
        .order_by("officer__unit__path", "officer__employee_no", "issued_on", "pk")
    )
    for cert in certificates:
        current = status_of.get(cert.pk)
        rows.append(
            [
                cert.officer.employee_no,
                cert.officer.name,
                cert.number,
                cert.issuing_authority,
                cert.issued_on,
                cert.valid_until,
                cert.enforcement_category,
                cert.enforcement_area,
                cert.officer.unit.full_path,
                str(current.label) if current else _("已换证/历史"),
            ]
        )
    return headers, rows

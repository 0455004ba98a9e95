"""The status of a certificate, derived (never stored) from its events, the governing review cycle and the date.

`derive_status` is pure: no queries, no clock. Callers (certification.selectors) load the events and cycles, ask
the eligibility engine whether the officer meets the year's conditions, and pass today's date in Asia/Shanghai
(`local_today`). The rules, in order of precedence:

1. no certificate, or its issue was voided → 未持证 (uncertified);
2. a revocation in effect → 已注销 (revoked, final);
3. an expiry event in effect, or 有效期至 passed → 已到期 (expired);
4. a suspension in effect (from ≤ today ≤ to, not ended by a later reinstatement) → 暂扣 (suspended);
5. the governing cycle Y (the latest whose window opens within AT_RISK_LEAD_DAYS of today):
   - a passed review of Y, or a certificate issued in year Y or later (new certificates are not reviewed in their
     first year) → 有效 (valid for Y);
   - the window has not opened yet (it opens within the lead): 有效 for the previous year, unless the officer's
     conditions are unmet → 存在风险 (at risk);
   - window open up to deadline + grace (both days inclusive, Asia/Shanghai): conditions met → 待年审 (review due),
     otherwise (or after a failed review) → 存在风险;
   - after deadline + grace without a passed review → 逾期未审 (lapsed).
   Before the first cycle's lead, or with no cycle at all, an issued certificate is 有效.
   A lapse of the previous cycle carries into the next window: a certificate that missed year Y-1 stays lapsed
   until a review passes.

Voided events (and the VOIDED events themselves) take no part; events dated after today take no part yet.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _

from .models import CertificateEvent

Kind = CertificateEvent.Kind

# "About to open": from this many days before the window opens, an officer whose conditions are unmet is at risk.
AT_RISK_LEAD_DAYS = 30


class Status(models.TextChoices):
    UNCERTIFIED = "uncertified", _("未持证")
    VALID = "valid", _("有效")
    REVIEW_DUE = "review_due", _("待年审")
    AT_RISK = "at_risk", _("存在风险")
    LAPSED = "lapsed", _("逾期未审")
    SUSPENDED = "suspended", _("暂扣")
    REVOKED = "revoked", _("已注销")
    EXPIRED = "expired", _("已到期")


# CSS badge classes (static/css): one colour per status, used on every page, export and the verify page.
STATUS_COLOURS: dict[str, str] = {
    Status.UNCERTIFIED: "muted",
    Status.VALID: "ok",
    Status.REVIEW_DUE: "info",
    Status.AT_RISK: "warn",
    Status.LAPSED: "bad",
    Status.SUSPENDED: "bad",
    Status.REVOKED: "bad",
    Status.EXPIRED: "muted",
}

# Who may enforce the law today (持证上岗).
MAY_ENFORCE = frozenset({Status.VALID, Status.REVIEW_DUE})

# Display order of the board's columns.
STATUS_ORDER = [
    Status.VALID,
    Status.REVIEW_DUE,
    Status.AT_RISK,
    Status.LAPSED,
    Status.SUSPENDED,
    Status.REVOKED,
    Status.EXPIRED,
    Status.UNCERTIFIED,
]


@dataclass(frozen=True)
class StatusResult:
    status: Status
    valid_for_year: int | None = None
    last_review: CertificateEvent | None = None
    suspended_until: dt.date | None = None
    note: str = ""

    @property
    def label(self) -> str:
        return str(self.status.label)

    @property
    def colour(self) -> str:
        return STATUS_COLOURS[self.status]

    @property
    def may_enforce(self) -> bool:
        return self.status in MAY_ENFORCE


def local_today(now: dt.datetime | None = None) -> dt.date:
    """Today's date in the project's time zone (Asia/Shanghai), for an aware datetime (default: now)."""
    return timezone.localdate(now or timezone.now())


def lapse_date(cycle) -> dt.date:
    """The first day on which an unreviewed certificate of the cycle's year is lapsed."""
    return cycle.deadline + dt.timedelta(days=cycle.grace_days + 1)


def last_review_day(cycle) -> dt.date:
    """The last day a review of the cycle's year may be recorded (deadline + grace, inclusive)."""
    return cycle.deadline + dt.timedelta(days=cycle.grace_days)


def governing_cycle(cycles: Iterable, today: dt.date):
    """The cycle that decides today's status: the latest whose window opens within AT_RISK_LEAD_DAYS of today
    (so a cycle "about to open" already governs), or None before the first one."""
    lead = dt.timedelta(days=AT_RISK_LEAD_DAYS)
    best = None
    for cycle in cycles:
        if cycle.window_opens - lead <= today and (best is None or cycle.year > best.year):
            best = cycle
    return best


def live_events(events: Iterable[CertificateEvent], today: dt.date) -> list[CertificateEvent]:
    """Events in effect by today, without voided ones and without the VOIDED markers, in recorded order."""
    events = list(events)
    voided = {e.voids_id for e in events if e.kind == Kind.VOIDED and e.effective_on <= today}
    live = [e for e in events if e.kind != Kind.VOIDED and e.pk not in voided and e.effective_on <= today]
    live.sort(key=lambda e: (e.effective_on, e.created_at or dt.datetime.min.replace(tzinfo=dt.UTC), e.pk or 0))
    return live


def reviews_by_year(events: Iterable[CertificateEvent]) -> dict[int, CertificateEvent]:
    """The standing review of each year: the live review with the highest seq."""
    out: dict[int, CertificateEvent] = {}
    for e in events:
        if e.kind in CertificateEvent.REVIEW_KINDS and (e.year not in out or e.seq > out[e.year].seq):
            out[e.year] = e
    return out


def _suspension(live: list[CertificateEvent], today: dt.date) -> CertificateEvent | None:
    """The suspension in effect today, if any: the latest suspension whose period covers today and that no later
    reinstatement ended."""
    current = None
    for e in live:
        if e.kind == Kind.SUSPENDED:
            current = e if (e.ends_on is None or e.ends_on >= today) else None
        elif e.kind == Kind.REINSTATED:
            current = None
    return current


def derive_status(
    *,
    certificate,
    events: Iterable[CertificateEvent],
    cycle,
    eligible: bool | None,
    today: dt.date,
    earlier_cycle_years: Collection[int] = (),
) -> StatusResult:
    """The status of one certificate today (see the module docstring for the rules). `cycle` is the governing
    cycle (`governing_cycle`), or None; `eligible` is the engine's verdict for that cycle's year (None: not
    evaluated); `earlier_cycle_years` are the years of the cycles before it, so that a missed review carries."""
    if certificate is None:
        return StatusResult(Status.UNCERTIFIED)
    live = live_events(events, today)
    if not any(e.kind == Kind.ISSUED for e in live) and any(
        e.kind == Kind.ISSUED and e.effective_on <= today for e in events
    ):
        return StatusResult(Status.UNCERTIFIED, note=_gettext("发证记录已作废"))
    if certificate.issued_on > today:
        return StatusResult(Status.UNCERTIFIED, note=_gettext("尚未到发证日期"))
    reviews = reviews_by_year(live)
    passed_years = sorted(y for y, e in reviews.items() if e.kind == Kind.REVIEW_PASSED)
    last_review = max(reviews.values(), key=lambda e: (e.year, e.seq), default=None)
    last_passed = passed_years[-1] if passed_years else None

    revoked = next((e for e in live if e.kind == Kind.REVOKED), None)
    if revoked is not None:
        return StatusResult(Status.REVOKED, last_review=last_review, note=revoked.reason)
    expired = next((e for e in live if e.kind == Kind.EXPIRED), None)
    if expired is not None or (certificate.valid_until is not None and certificate.valid_until < today):
        return StatusResult(Status.EXPIRED, last_review=last_review, note=expired.reason if expired else "")
    suspension = _suspension(live, today)
    if suspension is not None:
        return StatusResult(
            Status.SUSPENDED,
            valid_for_year=last_passed,
            last_review=last_review,
            suspended_until=suspension.ends_on,
            note=suspension.reason,
        )

    issue_year = certificate.issued_on.year
    if cycle is None:
        return StatusResult(Status.VALID, valid_for_year=last_passed or issue_year, last_review=last_review)
    year = cycle.year

    def covered(y: int) -> bool:
        return y in passed_years or issue_year >= y

    if covered(year):
        return StatusResult(Status.VALID, valid_for_year=year, last_review=last_review)

    previous = max((y for y in earlier_cycle_years if y < year), default=None)
    if previous is not None and not covered(previous):
        return StatusResult(
            Status.LAPSED,
            valid_for_year=last_passed,
            last_review=last_review,
            note=_gettext("%(year)s年度未通过年审") % {"year": previous},
        )

    standing = reviews.get(year)
    if today < cycle.window_opens:
        if eligible is False:
            return StatusResult(
                Status.AT_RISK,
                valid_for_year=year - 1,
                last_review=last_review,
                note=_gettext("%(date)s开始年审,尚有条件未满足") % {"date": cycle.window_opens.isoformat()},
            )
        return StatusResult(Status.VALID, valid_for_year=year - 1, last_review=last_review)

    if today >= lapse_date(cycle):
        return StatusResult(
            Status.LAPSED,
            valid_for_year=last_passed,
            last_review=last_review,
            note=_gettext("%(year)s年度逾期未审") % {"year": year},
        )

    in_grace = today > cycle.deadline
    grace_note = (
        _gettext("已过截止日期,宽限期至%(date)s") % {"date": last_review_day(cycle).isoformat()} if in_grace else ""
    )
    if standing is not None and standing.kind == Kind.REVIEW_FAILED:
        note = _gettext("%(year)s年度年审未通过") % {"year": year}
        return StatusResult(
            Status.AT_RISK,
            valid_for_year=year - 1,
            last_review=last_review,
            note=f"{note};{grace_note}" if grace_note else note,
        )
    if eligible:
        return StatusResult(Status.REVIEW_DUE, valid_for_year=year - 1, last_review=last_review, note=grace_note)
    return StatusResult(Status.AT_RISK, valid_for_year=year - 1, last_review=last_review, note=grace_note)

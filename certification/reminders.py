"""年审 reminders, each sent exactly once.

The daily job (`manage.py certification_remind`, also run by the housekeeping loop) looks at every review cycle in
progress (window open … deadline + grace) and sends:

- to every at-risk officer, at the step now due: the window's opening, then 30, 7 and 1 days before the deadline,
  with what they lack and where to fix it (the course list, the exam, the claim form);
- to each unit leader, at the same steps, one digest of the at-risk officers of their subtree;
- to HR, one summary a week (counts by status, and who is on enforcement duty without a valid certificate).

Exactly once: a ReminderLog row with a unique key (year, step, recipient) is inserted first, in the same
transaction as the send; a rerun, or a second worker at the same moment, hits the unique key and sends nothing.
If an email fails the row is rolled back, so the next run tries again. Delivery: the in-app notice (pushed on
commit) and an email when the user has an address. Eligibility and status come from the one engine
(certification.selectors.statuses); nothing here decides who is at risk."""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from org.models import Officer, RoleGrant, Unit, User
from org.services import audit_record, notice_push

from .models import ReminderLog, ReviewCycle

log = logging.getLogger(__name__)

# Days before the deadline at which at-risk officers are reminded again (the window's opening comes first).
DEADLINE_STEPS = (30, 7, 1)
NOTICE_KIND = "certification"


@dataclass
class RemindersReport:
    sent: int = 0
    emailed: int = 0
    skipped: int = 0  # already sent (the unique key said so)
    failed: int = 0
    keys: list[str] = field(default_factory=list)


def step_for(cycle: ReviewCycle, today: date) -> str | None:
    """The officer reminder step due today: "window", "d30", "d7", "d1", or None outside window … deadline."""
    if today < cycle.window_opens or today > cycle.deadline:
        return None
    days_left = (cycle.deadline - today).days
    step = "window"
    for n in DEADLINE_STEPS:
        if days_left <= n:
            step = f"d{n}"
    return step


def cycles_in_progress(today: date) -> list[ReviewCycle]:
    return [
        c
        for c in ReviewCycle.objects.filter(window_opens__lte=today).order_by("year")
        if today <= c.deadline + timedelta(days=c.grace_days)
    ]


def site_url(path: str) -> str:
    base = getattr(settings, "CERTIFICATION_SITE_URL", "") or getattr(settings, "WAGTAILADMIN_BASE_URL", "")
    return base.rstrip("/") + path if path.startswith("/") else path


def _unmet(status) -> list:
    eligibility = getattr(status, "eligibility", None)
    return [c for c in (eligibility.conditions if eligibility else []) if c.state != "met"]


def _officer_text(*, status, cycle: ReviewCycle, step: str, manual: bool = False) -> tuple[str, str]:
    unmet = _unmet(status)
    lacking = ";".join(f"{c.label}:{c.detail}" if c.detail else str(c.label) for c in unmet) or _("见我的执法证")
    link = next((c.fix_url for c in unmet if c.fix_url), "") or _my_certificate_url()
    if step == "window":
        head = _("%(year)s 年度执法证年审已开始,截止 %(deadline)s。") % {"year": cycle.year, "deadline": cycle.deadline}
    elif manual:
        head = _("人事提醒:%(year)s 年度执法证年审截止 %(deadline)s。") % {
            "year": cycle.year,
            "deadline": cycle.deadline,
        }
    else:
        head = _("距 %(year)s 年度执法证年审截止(%(deadline)s)还有 %(days)s 天。") % {
            "year": cycle.year,
            "deadline": cycle.deadline,
            "days": step.removeprefix("d"),
        }
    return head + _("您尚未满足:%(lacking)s。") % {"lacking": lacking}, link


def _my_certificate_url() -> str:
    from django.urls import reverse

    return reverse("certification:mine")


def _deliver(
    *, key: str, kind: str, year: int, user: User, officer: Officer | None, text: str, url: str, report
) -> None:
    """Insert the log row and send, in one transaction: the unique key makes this exactly once."""
    if not user.is_active:
        return
    fields = {f.name for f in ReminderLog._meta.get_fields()}
    extra = {}
    if "text" in fields:
        extra["text"] = text
    if "url" in fields:
        extra["url"] = url
    try:
        with transaction.atomic():
            entry = ReminderLog.objects.create(
                key=key, kind=kind, year=year, user=user, officer=officer, emailed=bool(user.email), **extra
            )
            if user.email:
                send_mail(
                    subject=_("【执法学堂】执法证年审提醒"),
                    message=text + ("\n" + site_url(url) if url else ""),
                    from_email=None,
                    recipient_list=[user.email],
                )
            notice_push(user=user, text=text, kind=NOTICE_KIND)
    except IntegrityError:
        report.skipped += 1
        return
    except Exception:  # a mail server down: roll the row back, the next run tries again
        log.exception("certification reminder %s failed", key)
        report.failed += 1
        return
    report.sent += 1
    report.emailed += int(entry.emailed)
    report.keys.append(key)


def _active_officers():
    return Officer.objects.filter(status=Officer.Status.ACTIVE).select_related("user", "unit")


def _statuses(officers, today: date) -> list:
    from .selectors import statuses

    return statuses(officers=officers, today=today)


def _at_risk(rows: list) -> list:
    from .status import Status

    return [r for r in rows if r.status == Status.AT_RISK]


def reminders_run(*, today: date | None = None) -> RemindersReport:
    """The daily job. Safe to run any number of times, by any number of workers."""
    today = today or timezone.localdate()
    report = RemindersReport()
    for cycle in cycles_in_progress(today):
        step = step_for(cycle, today)
        rows = None
        if step is not None:
            rows = _statuses(_active_officers(), today)
            at_risk = [r for r in _at_risk(rows) if r.officer.user_id]
            for r in at_risk:
                text, url = _officer_text(status=r, cycle=cycle, step=step)
                _deliver(
                    key=f"cert:{cycle.year}:{step}:officer:{r.officer.pk}",
                    kind="officer",
                    year=cycle.year,
                    user=r.officer.user,
                    officer=r.officer,
                    text=text,
                    url=url,
                    report=report,
                )
            _leader_digests(cycle=cycle, step=step, at_risk=at_risk, report=report)
        if rows is None:
            rows = _statuses(_active_officers(), today)
        _hr_weekly(cycle=cycle, today=today, rows=rows, report=report)
    return report


def reminders_run_job() -> str:
    report = reminders_run()
    return f"{report.sent} sent, {report.skipped} already sent, {report.failed} failed" if report.sent else ""


def _leader_digests(*, cycle: ReviewCycle, step: str, at_risk: list, report: RemindersReport) -> None:
    grants = RoleGrant.objects.filter(role=RoleGrant.Role.UNIT_LEADER, unit__isnull=False).select_related(
        "user", "unit"
    )
    paths_by_user: dict[int, tuple[User, list[str]]] = {}
    for g in grants:
        paths_by_user.setdefault(g.user_id, (g.user, []))[1].append(g.unit.path)
    for user, paths in paths_by_user.values():
        mine = [r for r in at_risk if any(r.officer.unit.path.startswith(p) for p in paths)]
        if not mine:
            continue
        names = "、".join(r.officer.name for r in mine[:20]) + ("…" if len(mine) > 20 else "")
        text = _("%(year)s 年度年审(截止 %(deadline)s):您所辖单位有 %(n)s 人尚未满足年审条件:%(names)s。") % {
            "year": cycle.year,
            "deadline": cycle.deadline,
            "n": len(mine),
            "names": names,
        }
        _deliver(
            key=f"cert:{cycle.year}:{step}:digest:{user.pk}",
            kind="digest",
            year=cycle.year,
            user=user,
            officer=None,
            text=text,
            url=_board_url() + f"?status=at_risk&year={cycle.year}",
            report=report,
        )


def _board_url() -> str:
    from django.urls import reverse

    return reverse("certification:board")


def hr_summary_text(*, cycle: ReviewCycle, rows: list) -> str:
    from .status import MAY_ENFORCE, Status

    counts = Counter(r.status for r in rows)
    unlicensed = sum(1 for r in rows if r.officer.enforcement_duty and r.status not in MAY_ENFORCE)
    parts = ",".join(f"{Status(s).label} {counts[s]}" for s in Status.values if counts.get(s))
    return _("%(year)s 年度年审周报(截止 %(deadline)s):%(parts)s;执法岗位无有效证件 %(unlicensed)s 人。") % {
        "year": cycle.year,
        "deadline": cycle.deadline,
        "parts": parts or "—",
        "unlicensed": unlicensed,
    }


def _hr_weekly(*, cycle: ReviewCycle, today: date, rows: list, report: RemindersReport) -> None:
    iso = today.isocalendar()
    text = hr_summary_text(cycle=cycle, rows=rows)
    hr_users = User.objects.filter(role_grants__role=RoleGrant.Role.HR, is_active=True).distinct()
    for user in hr_users:
        _deliver(
            key=f"cert:{cycle.year}:weekly:{iso.year}W{iso.week:02d}:{user.pk}",
            kind="weekly",
            year=cycle.year,
            user=user,
            officer=None,
            text=text,
            url=_board_url() + f"?year={cycle.year}",
            report=report,
        )


def remind_now(*, actor: User, unit: Unit | None = None, today: date | None = None) -> RemindersReport:
    """HR's "remind now": the at-risk officers of a unit subtree (all, if none), at most once a day each."""
    from org.access import require
    from org.units import subtree_q

    require(actor, "hr")
    today = today or timezone.localdate()
    report = RemindersReport()
    officers = _active_officers()
    if unit is not None:
        officers = officers.filter(subtree_q([unit]))
    cycles = [c for c in cycles_in_progress(today) if today <= c.deadline + timedelta(days=c.grace_days)]
    if not cycles:
        return report
    cycle = cycles[-1]
    for r in _at_risk(_statuses(officers, today)):
        if not r.officer.user_id:
            continue
        text, url = _officer_text(status=r, cycle=cycle, step="manual", manual=True)
        _deliver(
            key=f"cert:{cycle.year}:manual-{today.isoformat()}:officer:{r.officer.pk}",
            kind="manual",
            year=cycle.year,
            user=r.officer.user,
            officer=r.officer,
            text=text,
            url=url,
            report=report,
        )
    audit_record(
        actor=actor,
        action="certification.remind_now",
        target=unit,
        data={"year": cycle.year, "sent": report.sent, "skipped": report.skipped},
    )
    return report


def reminders_for(*, user: User, limit: int = 10) -> list[dict]:
    """The user's recent reminders (notices are pushed, not stored: the log is what the pages show), each as
    {"sent_at", "text", "url"}: the message as sent, or a short line rebuilt from the key."""
    return [
        {"sent_at": log.sent_at, "text": getattr(log, "text", "") or _describe(log), "url": getattr(log, "url", "")}
        for log in ReminderLog.objects.filter(user=user).order_by("-sent_at")[:limit]
    ]


def _describe(log: ReminderLog) -> str:
    parts = log.key.split(":")  # cert:<year>:<step>:<kind>:<id>
    step = parts[2] if len(parts) > 2 else ""
    if log.kind == "weekly":
        return _("%(year)s 年度年审周报") % {"year": log.year}
    if log.kind == "digest":
        return _("%(year)s 年度年审:所辖单位尚未满足年审条件的人员名单") % {"year": log.year}
    if step == "window":
        return _("%(year)s 年度执法证年审已开始,请查看尚未满足的条件。") % {"year": log.year}
    if step.startswith("d") and step[1:].isdigit():
        return _("距 %(year)s 年度执法证年审截止还有 %(days)s 天,请尽快完成尚未满足的条件。") % {
            "year": log.year,
            "days": step[1:],
        }
    return _("人事提醒:请尽快完成 %(year)s 年度执法证年审的条件。") % {"year": log.year}

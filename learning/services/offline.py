"""Offline sessions: scheduling, the rotating QR code, sign-in/out and manual attendance."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from org.models import Officer, User
from org.services import audit_record

from ..models import (
    Attendance,
    CreditEntry,
    OfflineSession,
)
from ..selectors import session_audiences
from .common import LearningError, _category
from .ledger import credit_grant


@transaction.atomic
def offline_session_create(
    *,
    title: str,
    kind: str,
    category: str,
    hours: Decimal,
    place: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    trainer: User,
    invited_units=(),
    invited_officers=(),
) -> OfflineSession:
    if ends_at <= starts_at:
        raise LearningError(_("结束时间必须晚于开始时间。"))
    session = OfflineSession.objects.create(
        title=title,
        kind=kind,
        category_id=_category(category),
        hours=hours,
        place=place,
        starts_at=starts_at,
        ends_at=ends_at,
        trainer=trainer,
        secret=secrets.token_hex(16),
    )
    session.invited_units.set(invited_units)
    session.invited_officers.set(invited_officers)
    audit_record(actor=trainer, action="offline_session.create", target=session)
    return session


def qr_window(now: dt.datetime) -> int:
    return int(now.timestamp()) // settings.LEARNING_QR_WINDOW_SECONDS


def qr_token(*, session: OfflineSession, window: int) -> str:
    key = (settings.SECRET_KEY + session.secret).encode()
    return hmac.new(key, f"{session.pk}:{window}".encode(), hashlib.sha256).hexdigest()[:20]


def qr_token_valid(*, session: OfflineSession, token: str, now: dt.datetime) -> bool:
    """Accept the code of the current window and of the previous one (a scan just before it rotated)."""
    window = qr_window(now)
    return any(hmac.compare_digest(token, qr_token(session=session, window=w)) for w in (window, window - 1))


SIGN_IN_EARLY = dt.timedelta(minutes=30)
SIGN_OUT_LATE = dt.timedelta(minutes=30)


def officer_invited(*, session: OfflineSession, officer: Officer) -> bool:
    return session_audiences([session])[session.pk].includes(officer)


def _grant_attendance(attendance: Attendance, *, actor: User | None) -> None:
    session = attendance.session
    entry, _created = credit_grant(
        officer=attendance.officer,
        year=timezone.localtime(session.starts_at).year,
        category=session.category_id,
        hours=session.hours,
        source_kind=CreditEntry.SourceKind.OFFLINE,
        source_id=str(session.pk),
        actor=actor,
        reason=session.title,
    )
    if attendance.credit_id != entry.pk:
        attendance.credit = entry
        attendance.save(update_fields=["credit"])


@transaction.atomic
def attendance_scan(
    *, session: OfflineSession, officer: Officer, token: str, now: dt.datetime | None = None
) -> tuple[Attendance, str]:
    """Sign in (first scan) or sign out (second scan) with the rotating code on the room's screen.
    Returns (attendance, "in" | "out" | "done"). Signing out completes attendance and writes the credit."""
    now = now or timezone.now()
    if not qr_token_valid(session=session, token=token, now=now):
        raise LearningError(_("二维码已过期,请重新扫描屏幕上的二维码。"))
    if not officer_invited(session=session, officer=officer):
        raise LearningError(_("您不在本次培训的参训名单中。"))
    attendance = Attendance.objects.select_for_update().filter(session=session, officer=officer).first()
    if attendance is None or attendance.signed_in_at is None:
        if not (session.starts_at - SIGN_IN_EARLY <= now <= session.ends_at):
            raise LearningError(_("不在签到时间内。"))
        if attendance is None:
            attendance = Attendance.objects.create(session=session, officer=officer, signed_in_at=now)
        else:
            attendance.signed_in_at = now
            attendance.save(update_fields=["signed_in_at"])
        return attendance, "in"
    if attendance.signed_out_at is None:
        if not (session.starts_at <= now <= session.ends_at + SIGN_OUT_LATE):
            raise LearningError(_("不在签退时间内。"))
        attendance.signed_out_at = now
        attendance.save(update_fields=["signed_out_at"])
        _grant_attendance(attendance, actor=officer.user)
        return attendance, "out"
    return attendance, "done"


@transaction.atomic
def attendance_manual(*, session: OfflineSession, officer: Officer, actor: User, reason: str) -> Attendance:
    """The trainer records attendance by hand (phone flat, scanned late ...). A reason is required."""
    if not reason.strip():
        raise LearningError(_("人工补录必须填写原因。"))
    attendance, _created = Attendance.objects.select_for_update().get_or_create(session=session, officer=officer)
    attendance.signed_in_at = attendance.signed_in_at or session.starts_at
    attendance.signed_out_at = attendance.signed_out_at or session.ends_at
    attendance.method = Attendance.Method.MANUAL
    attendance.reason = reason[:300]
    attendance.recorded_by = actor
    attendance.save()
    _grant_attendance(attendance, actor=actor)
    audit_record(
        actor=actor, action="attendance.manual", target=attendance, data={"officer": officer.pk, "reason": reason}
    )
    return attendance

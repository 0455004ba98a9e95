"""Reminders for quiet pairs and lapsed mentors, each sent once.

- A pair without a confirmed check-in for the programme's N weeks (counted from the last confirmed meeting, or
  the start) reminds the mentee and the mentor; after 2N weeks the unit leaders of the mentee's unit (and above).
  A new confirmed meeting starts a new quiet spell, which may remind again.
- A mentor whose certificate no longer allows enforcement (certification's MAY_ENFORCE) flags the pair: the
  programme owner is told once per pair; the pair is not ended.

Exactly once: the ReminderLog row (unique key) is inserted in the same transaction as the push; a rerun or a
second worker hits the key and sends nothing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from certification.selectors import status_frame
from certification.status import MAY_ENFORCE
from org.models import Officer, RoleGrant, User
from org.services import notice_push
from org.units import ancestor_paths

from .models import CheckIn, Pair, ReminderLog

NOTICE_KIND = "mentorship"


@dataclass
class RemindersReport:
    sent: int = 0
    skipped: int = 0


def _send(*, key: str, pair: Pair, user: User, text: str, report: RemindersReport) -> None:
    if not user.is_active:
        return
    try:
        with transaction.atomic():
            ReminderLog.objects.create(key=key, pair=pair, user=user, text=text[:300])
            notice_push(user=user, text=text, kind=NOTICE_KIND)
    except IntegrityError:
        report.skipped += 1
        return
    report.sent += 1


def last_confirmed(pair_ids) -> dict[int, dt.date]:
    return dict(
        CheckIn.objects.filter(pair_id__in=pair_ids, confirmed_at__isnull=False)
        .values("pair_id")
        .annotate(last=Max("met_on"))
        .values_list("pair_id", "last")
    )


def mentors_not_enforcing(pairs: list[Pair]) -> set[int]:
    """Mentor ids whose certificate status today is outside MAY_ENFORCE (read from certification)."""
    ids = {p.mentor_id for p in pairs}
    if not ids:
        return set()
    frame = status_frame(officers=Officer.objects.filter(pk__in=ids))
    may = {str(s) for s in MAY_ENFORCE}
    return {int(o) for o, s in zip(frame["officer_id"], frame["status"], strict=True) if s not in may}


def reminders_run(*, today: dt.date | None = None) -> RemindersReport:
    today = today or timezone.localdate()
    report = RemindersReport()
    pairs = list(
        Pair.objects.filter(state=Pair.State.ACTIVE).select_related(
            "programme__owner", "mentee__user", "mentee__unit", "mentor__user"
        )
    )
    last = last_confirmed([p.pk for p in pairs])
    leaders = list(
        RoleGrant.objects.filter(role=RoleGrant.Role.UNIT_LEADER, unit__isnull=False).select_related("user", "unit")
    )
    for pair in pairs:
        anchor = last.get(pair.pk) or pair.started_on
        if anchor is None:
            continue
        quiet_days = (today - anchor).days
        weeks = pair.programme.quiet_weeks
        if quiet_days >= weeks * 7:
            text = _("师徒结对(%(mentor)s—%(mentee)s)已 %(n)s 周没有确认的交流,请尽快安排。") % {
                "mentor": pair.mentor.name,
                "mentee": pair.mentee.name,
                "n": quiet_days // 7,
            }
            for side, user in (("mentee", pair.mentee.user), ("mentor", pair.mentor.user)):
                _send(key=f"mentor:{pair.pk}:{anchor}:quiet:{side}", pair=pair, user=user, text=text, report=report)
        if quiet_days >= weeks * 14:
            paths = set(ancestor_paths(pair.mentee.unit.path))
            text = _("您所辖单位的师徒结对(%(mentor)s—%(mentee)s)已 %(n)s 周没有确认的交流。") % {
                "mentor": pair.mentor.name,
                "mentee": pair.mentee.name,
                "n": quiet_days // 7,
            }
            for grant in leaders:
                if grant.unit.path in paths and grant.user_id not in (pair.mentee.user_id, pair.mentor.user_id):
                    _send(
                        key=f"mentor:{pair.pk}:{anchor}:leader:{grant.user_id}",
                        pair=pair,
                        user=grant.user,
                        text=text,
                        report=report,
                    )
    lapsed = mentors_not_enforcing(pairs)
    for pair in (p for p in pairs if p.mentor_id in lapsed):
        text = _("师傅 %(mentor)s 的执法证已不在有效状态,请处理师徒结对(徒弟 %(mentee)s)。") % {
            "mentor": pair.mentor.name,
            "mentee": pair.mentee.name,
        }
        _send(key=f"mentor:{pair.pk}:lapsed", pair=pair, user=pair.programme.owner, text=text, report=report)
    return report


def reminders_run_job() -> str:
    report = reminders_run()
    return f"{report.sent} sent, {report.skipped} already sent" if report.sent else ""

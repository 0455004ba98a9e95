"""The study-credit ledger: grant exactly once, reverse (never edit), keep a coming-and-going credit standing once,
HR's manual adjustments."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from org.access import require
from org.models import Officer, User
from org.services import audit_record

from ..models import (
    CreditEntry,
)
from .common import LearningError, _category


def credit_grant(
    *,
    officer: Officer,
    year: int,
    category: str,
    hours: Decimal | int | str,
    source_kind: str,
    source_id: str | int,
    actor: User | None,
    reason: str = "",
) -> tuple[CreditEntry, bool]:
    """Grant credit for a source exactly once. A second grant for the same (officer, source, category)
    returns the existing entry with created=False, also when two requests race (unique constraint)."""
    category = _category(category)
    hours = Decimal(str(hours)).quantize(Decimal("0.01"))
    if hours <= 0:
        raise LearningError(_("授予的学时必须大于零。"))
    if source_kind not in CreditEntry.SourceKind.values:
        raise LearningError(_("未知的学时来源。"))
    key = {"officer": officer, "source_kind": source_kind, "source_id": str(source_id), "category_id": category}
    existing = CreditEntry.objects.filter(reverses__isnull=True, **key).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            entry = CreditEntry.objects.create(year=year, hours=hours, actor=actor, reason=reason[:300], **key)
            audit_record(
                actor=actor,
                action="credit.grant",
                target=entry,
                data={"officer": officer.pk, "hours": str(hours), "source": f"{source_kind}:{source_id}"},
            )
    except IntegrityError:
        return CreditEntry.objects.get(reverses__isnull=True, **key), False
    return entry, True


def credit_reverse(*, entry: CreditEntry, actor: User | None, reason: str) -> CreditEntry:
    """Cancel an entry with a reversing entry (negative hours). The original row stays untouched. A person doing
    it must be HR; actor None is the system (e.g. credit_ensure after a regrade, which its own caller authorised)."""
    if actor is not None:
        require(actor, "hr", message=_("只有人事可以冲销学时。"))
    return _credit_reverse(entry=entry, actor=actor, reason=reason)


@transaction.atomic
def _credit_reverse(*, entry: CreditEntry, actor: User | None, reason: str) -> CreditEntry:
    if not reason.strip():
        raise LearningError(_("冲销必须填写原因。"))
    if entry.reverses_id is not None:
        raise LearningError(_("冲销记录本身不能再冲销。"))
    if CreditEntry.objects.filter(reverses=entry).exists():
        raise LearningError(_("该记录已被冲销。"))
    try:
        with transaction.atomic():
            reversal = CreditEntry.objects.create(
                officer_id=entry.officer_id,
                year=entry.year,
                category_id=entry.category_id,
                hours=-entry.hours,
                source_kind=entry.source_kind,
                source_id=entry.source_id,
                reverses=entry,
                actor=actor,
                reason=reason[:300],
            )
    except IntegrityError as exc:
        raise LearningError(_("该记录已被冲销。")) from exc
    audit_record(actor=actor, action="credit.reverse", target=reversal, data={"reverses": entry.pk, "reason": reason})
    return reversal


def credit_ensure(
    *,
    officer: Officer,
    year: int,
    category: str,
    hours: Decimal | int | str,
    source_kind: str,
    source_key: str | int,
    standing: bool,
    actor: User | None,
    reason: str = "",
    reversal_reason: str = "",
) -> CreditEntry | None:
    """Make the ledger agree with a fact that can come and go (an exam passed, then failed on a regrade, then
    passed again): while `standing`, exactly one unreversed credit for (officer, source, category); otherwise none.
    The first grant's source id is the key, a grant after a reversal "<key>-<n>"; callers never see that scheme.
    Returns the standing entry, or None."""
    key = str(source_key)
    entries = [
        e
        for e in CreditEntry.objects.filter(officer=officer, year=year, source_kind=source_kind, category_id=category)
        if e.source_id == key or e.source_id.startswith(f"{key}-")
    ]
    reversed_ids = {e.reverses_id for e in entries if e.reverses_id}
    grants = [e for e in entries if e.reverses_id is None]
    current = [e for e in grants if e.pk not in reversed_ids]
    if standing:
        if current:
            return current[0]
        source_id = key if not grants else f"{key}-{len(grants) + 1}"
        entry, _created = credit_grant(
            officer=officer,
            year=year,
            category=category,
            hours=hours,
            source_kind=source_kind,
            source_id=source_id,
            actor=actor,
            reason=reason,
        )
        return entry
    for entry in current:
        _credit_reverse(entry=entry, actor=actor, reason=reversal_reason or _("来源已不成立,冲销学时。"))
    return None


def credit_adjust(
    *, officer: Officer, year: int, category: str, hours: Decimal | int | str, actor: User, reason: str
) -> CreditEntry:
    """A manual adjustment by HR (e.g. hours imported from the provincial platform). Always a new row."""
    if not reason.strip():
        raise LearningError(_("人工调整必须填写原因。"))
    entry, _created = credit_grant(
        officer=officer,
        year=year,
        category=category,
        hours=hours,
        source_kind=CreditEntry.SourceKind.MANUAL,
        source_id=uuid.uuid4().hex,
        actor=actor,
        reason=reason,
    )
    return entry

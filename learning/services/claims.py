"""External training claims: submitted by the officer with evidence, decided by their unit leader or HR."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from org.models import Officer, User
from org.services import audit_record

from ..models import (
    CreditEntry,
    ExternalClaim,
)
from .common import LearningError, _category
from .ledger import credit_grant

ALLOWED_ATTACHMENTS = (".pdf", ".jpg", ".jpeg", ".png", ".doc", ".docx")
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024


@transaction.atomic
def external_claim_submit(
    *,
    officer: Officer,
    title: str,
    provider: str,
    category: str,
    hours: Decimal,
    start_date: dt.date,
    end_date: dt.date,
    attachment,
) -> ExternalClaim:
    if end_date < start_date:
        raise LearningError(_("结束日期不能早于开始日期。"))
    if hours <= 0 or hours > 200:
        raise LearningError(_("学时应在 0 到 200 之间。"))
    name = (getattr(attachment, "name", "") or "").lower()
    if not name.endswith(ALLOWED_ATTACHMENTS):
        raise LearningError(_("证明材料须为 PDF、图片或 Word 文件。"))
    if getattr(attachment, "size", 0) > MAX_ATTACHMENT_BYTES:
        raise LearningError(_("证明材料不能超过 10 MB。"))
    claim = ExternalClaim.objects.create(
        officer=officer,
        title=title,
        provider=provider,
        category_id=_category(category),
        hours=hours,
        start_date=start_date,
        end_date=end_date,
        attachment=attachment,
    )
    audit_record(actor=officer.user, action="external_claim.submit", target=claim)
    return claim


@transaction.atomic
def external_claim_decide(*, claim: ExternalClaim, actor: User, approve: bool, reason: str = "") -> ExternalClaim:
    """Approve (writes the credit) or reject (needs a reason). A claim is decided once."""
    claim = ExternalClaim.objects.select_for_update().select_related("officer").get(pk=claim.pk)
    if claim.status != ExternalClaim.Status.PENDING:
        raise LearningError(_("该申报已审核。"))
    if not approve and not reason.strip():
        raise LearningError(_("退回必须填写原因。"))
    if claim.officer.user_id == actor.pk:
        raise LearningError(_("不能审核本人的申报。"))
    claim.status = ExternalClaim.Status.APPROVED if approve else ExternalClaim.Status.REJECTED
    claim.decided_by = actor
    claim.decided_at = timezone.now()
    claim.decision_reason = reason[:300]
    if approve:
        entry, _created = credit_grant(
            officer=claim.officer,
            year=claim.end_date.year,
            category=claim.category_id,
            hours=claim.hours,
            source_kind=CreditEntry.SourceKind.EXTERNAL,
            source_id=str(claim.pk),
            actor=actor,
            reason=f"{claim.provider} · {claim.title}",
        )
        claim.credit = entry
    claim.save()
    audit_record(actor=actor, action="external_claim.decide", target=claim, data={"approve": approve, "reason": reason})
    return claim

"""The enforcement certificate (行政执法证), its append-only history, the yearly review cycle (年审) and HR's blocks.

Status is never stored: `certification.status` derives it from the events, the year's cycle and the date. A
certificate row holds what was printed on it when issued and is never edited; everything that happens to it later
(reviews, suspensions, revocation, corrections) is a new CertificateEvent. PostgreSQL refuses UPDATE, DELETE and
TRUNCATE on events (migration 0002), as it does for the learning ledger."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from org.append_only import AppendOnlyError, AppendOnlyModel
from org.models import Officer


def new_verify_token() -> str:
    """256 random bits, URL-safe: the public verify page's key (never the certificate number)."""
    return secrets.token_urlsafe(32)


class EventImmutableError(AppendOnlyError):
    """Certificate events are append-only: correct a mistake with a new event."""


class ReviewCycle(models.Model):
    """The 年审 of one year, as HR sets it: when the window opens, the deadline, the grace after it, and which
    conditions apply. Conditions are evaluated by certification.eligibility, the one engine."""

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    window_opens = models.DateField(_("年审开始日期"))
    deadline = models.DateField(_("年审截止日期"))
    grace_days = models.PositiveSmallIntegerField(_("宽限天数"), default=30)
    requires_hours = models.BooleanField(_("须完成本年度学时"), default=True)
    requires_annual_exam = models.BooleanField(_("须通过年度学法考试"), default=True)
    requires_training_days = models.BooleanField(_("须达到最少培训天数"), default=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-year"]
        verbose_name = _("年审周期")
        verbose_name_plural = _("年审周期")
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline__gte=models.F("window_opens")), name="reviewcycle_dates_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}"


class Certificate(models.Model):
    """One 行政执法证 held by one officer. Written once when issued (or imported); never edited in place."""

    officer = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="certificates", verbose_name=_("人员"))
    number = models.CharField(_("证号"), max_length=64, unique=True)
    issuing_authority = models.CharField(_("发证机关"), max_length=200)
    issued_on = models.DateField(_("发证日期"))
    valid_until = models.DateField(_("有效期至"), null=True, blank=True)
    enforcement_category = models.CharField(_("执法类别"), max_length=100, blank=True)
    enforcement_area = models.CharField(_("执法区域"), max_length=100, blank=True)
    verify_token = models.CharField(max_length=64, unique=True, default=new_verify_token, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = _("执法证")
        verbose_name_plural = _("执法证")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("issued_on")),
                name="certificate_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.number


class CertificateEvent(AppendOnlyModel):
    """What happened to a certificate, in order. Append-only: model save of an existing row, QuerySet update and
    delete raise; PostgreSQL triggers refuse the same. A mistake is undone by a VOIDED event naming the event it
    voids (and, for a review, a new review with the next `seq`)."""

    class Kind(models.TextChoices):
        ISSUED = "issued", _("发证")
        REVIEW_PASSED = "review_passed", _("年审通过")
        REVIEW_FAILED = "review_failed", _("年审未通过")
        SUSPENDED = "suspended", _("暂扣")
        REINSTATED = "reinstated", _("恢复")
        REVOKED = "revoked", _("注销/吊销")
        EXPIRED = "expired", _("到期")
        VOIDED = "voided", _("更正(作废前一记录)")

    REVIEW_KINDS = (Kind.REVIEW_PASSED, Kind.REVIEW_FAILED)

    certificate = models.ForeignKey(
        Certificate, on_delete=models.PROTECT, related_name="events", verbose_name=_("执法证")
    )
    kind = models.CharField(_("事件"), max_length=16, choices=Kind.choices)
    # The review year for reviews; for other kinds, blank.
    year = models.PositiveSmallIntegerField(_("年度"), null=True, blank=True)
    # A review of a year is unique per (certificate, year, seq); voiding one and reviewing again takes seq + 1.
    seq = models.PositiveSmallIntegerField(default=1)
    effective_on = models.DateField(_("生效日期"))
    ends_on = models.DateField(_("截止日期"), null=True, blank=True)  # suspensions: to (inclusive); blank: open-ended
    reason = models.CharField(_("原因"), max_length=500, blank=True)
    voids = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="voided_by", verbose_name=_("作废")
    )
    # The evidence of a review at the moment it was decided (conditions, hours by category, exam and score, days):
    # never recomputed, so a later ledger reversal does not rewrite a past review.
    evidence = models.JSONField(_("依据"), default=dict, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    append_only_error = EventImmutableError
    append_only_message = "certificate events are append-only"

    class Meta:
        ordering = ["certificate_id", "created_at", "id"]
        verbose_name = _("执法证记录")
        verbose_name_plural = _("执法证记录")
        indexes = [models.Index(fields=["kind", "year"], name="certevent_kind_year")]
        constraints = [
            models.UniqueConstraint(
                fields=["certificate", "year", "seq"],
                condition=Q(kind__in=["review_passed", "review_failed"]),
                name="certevent_one_review_per_year_seq",
            ),
            models.UniqueConstraint(fields=["certificate"], condition=Q(kind="issued"), name="certevent_one_issue"),
            models.CheckConstraint(
                condition=~Q(kind__in=["review_passed", "review_failed"]) | Q(year__isnull=False),
                name="certevent_review_has_year",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("effective_on")),
                name="certevent_dates_ordered",
            ),
            models.CheckConstraint(
                condition=~Q(kind="voided") | Q(voids__isnull=False), name="certevent_void_names_event"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.certificate_id} {self.kind} {self.effective_on}"


class ReviewBlock(models.Model):
    """An HR-held block on an officer's review (处分, 停职 ...): while it applies, the officer is not eligible."""

    class Kind(models.TextChoices):
        DISCIPLINE = "discipline", _("处分")
        SUSPENSION = "suspension", _("停职")
        OTHER = "other", _("其他")

    officer = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="review_blocks", verbose_name=_("人员"))
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    reason = models.CharField(_("原因"), max_length=500)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"), null=True, blank=True)
    lifted_on = models.DateField(_("解除日期"), null=True, blank=True)
    lifted_reason = models.CharField(_("解除原因"), max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("年审限制")
        verbose_name_plural = _("年审限制")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="reviewblock_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.officer_id} {self.kind} {self.starts_on}"


class ReminderLog(models.Model):
    """One row per reminder sent: the unique key (kind, year, recipient, step) makes a rerun, or a second worker,
    send nothing twice."""

    key = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=32)
    year = models.PositiveSmallIntegerField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    officer = models.ForeignKey(Officer, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    emailed = models.BooleanField(default=False)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("提醒记录")
        verbose_name_plural = _("提醒记录")

    def __str__(self) -> str:
        return self.key


class Verification(models.Model):
    """A scan of the public verify page (counted; nothing about the visitor is kept)."""

    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="verifications")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.certificate_id} {self.at}"

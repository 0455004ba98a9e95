"""Learning: the study-hour ledger, yearly rules, enrolments, online study sessions, offline sessions and
external training claims.

Credit categories (学时类别) are content's (content.CreditCategory); every category field here is a
ForeignKey to it by code. The ledger (CreditEntry) is append-only: rows are inserted, never updated or
deleted. A correction is a reversing entry. Every total is a sum over the ledger (see selectors.officer_hours_for_year)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from org.append_only import AppendOnlyError, AppendOnlyModel
from org.models import Officer, RoleCategory, Unit

# 学时类别 is content's taxonomy (content.CreditCategory, a Wagtail snippet): learning keeps no copy. The
# ledger, the rules, offline sessions and claims point at it by its stable code (db column category_code).
CREDIT_CATEGORY = "content.CreditCategory"


class LedgerImmutableError(AppendOnlyError):
    """Raised when code tries to change or remove a ledger row."""


class CreditEntry(AppendOnlyModel):
    """One line of the study-hour ledger."""

    append_only_error = LedgerImmutableError
    append_only_message = "学时台账只能追加,不能修改或删除"

    class SourceKind(models.TextChoices):
        LESSON = "lesson", _("在线课时")
        COURSE = "course", _("在线课程")
        OFFLINE = "offline", _("线下培训")
        EXAM = "exam", _("考试")
        EXTERNAL = "external", _("外部培训")
        MANUAL = "manual", _("人工调整")
        MENTORSHIP = "mentorship", _("师徒带教")

    officer = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="credits", verbose_name=_("人员"))
    year = models.PositiveSmallIntegerField(_("年度"))
    category = models.ForeignKey(
        CREDIT_CATEGORY,
        to_field="code",
        db_column="category_code",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("学时类别"),
    )
    hours = models.DecimalField(_("学时"), max_digits=7, decimal_places=2)
    source_kind = models.CharField(_("来源"), max_length=16, choices=SourceKind.choices)
    source_id = models.CharField(_("来源编号"), max_length=64)
    reverses = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reversed_by", verbose_name=_("冲销")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(_("说明"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("学时记录")
        verbose_name_plural = _("学时台账")
        constraints = [
            # Exactly once: one grant per officer, source and category; reversals are separate rows.
            models.UniqueConstraint(
                fields=["officer", "source_kind", "source_id", "category"],
                condition=Q(reverses__isnull=True),
                name="credit_grant_once",
            ),
        ]
        indexes = [models.Index(fields=["year", "officer", "category"], name="credit_year_officer")]

    def __str__(self) -> str:
        return f"{self.officer_id} {self.year} {self.category_id} {self.hours}"


class HourRule(models.Model):
    """Required hours: year × role category × credit category. Edited by HR."""

    year = models.PositiveSmallIntegerField(_("年度"))
    role_category = models.ForeignKey(
        RoleCategory, on_delete=models.CASCADE, related_name="+", verbose_name=_("人员类别")
    )
    category = models.ForeignKey(
        CREDIT_CATEGORY,
        to_field="code",
        db_column="category_code",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("学时类别"),
    )
    required_hours = models.DecimalField(_("应修学时"), max_digits=7, decimal_places=2)

    class Meta:
        ordering = ["year", "role_category__sort_order", "category__sort_order"]
        verbose_name = _("年度学时要求")
        verbose_name_plural = _("年度学时要求")
        constraints = [
            models.UniqueConstraint(fields=["year", "role_category", "category"], name="hourrule_unique"),
            models.CheckConstraint(condition=Q(required_hours__gte=0), name="hourrule_nonnegative"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.role_category_id} {self.category_id} {self.required_hours}"


class TrainingDayRule(models.Model):
    """Minimum training days per year for a role category (leaders ≥ 5, new recruits ≥ 30 ...)."""

    year = models.PositiveSmallIntegerField(_("年度"))
    role_category = models.ForeignKey(
        RoleCategory, on_delete=models.CASCADE, related_name="+", verbose_name=_("人员类别")
    )
    min_days = models.DecimalField(_("最少培训天数"), max_digits=5, decimal_places=1)

    class Meta:
        ordering = ["year", "role_category__sort_order"]
        verbose_name = _("年度培训天数要求")
        verbose_name_plural = _("年度培训天数要求")
        constraints = [
            models.UniqueConstraint(fields=["year", "role_category"], name="trainingdayrule_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.role_category_id} ≥{self.min_days}"


class CourseAssignment(models.Model):
    """Assign a course (content CoursePage id) to officers by role category and/or unit subtree for a year."""

    year = models.PositiveSmallIntegerField(_("年度"))
    course_id = models.PositiveIntegerField(_("课程"))
    role_category = models.ForeignKey(
        RoleCategory, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("人员类别")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("单位")
    )

    class Meta:
        verbose_name = _("课程指派")
        verbose_name_plural = _("课程指派")

    def __str__(self) -> str:
        return f"{self.year} course {self.course_id}"


class Enrolment(models.Model):
    class Source(models.TextChoices):
        RULE = "rule", _("按规则指派")
        ELECTIVE = "elective", _("自选")

    officer = models.ForeignKey(Officer, on_delete=models.CASCADE, related_name="enrolments")
    course_id = models.PositiveIntegerField(_("课程"))
    year = models.PositiveSmallIntegerField(_("年度"))
    source = models.CharField(_("来源"), max_length=10, choices=Source.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("选课")
        verbose_name_plural = _("选课")
        constraints = [models.UniqueConstraint(fields=["officer", "course_id"], name="enrolment_unique")]

    def __str__(self) -> str:
        return f"{self.officer_id} course {self.course_id}"


class LessonProgress(models.Model):
    """Server-counted study time of one officer on one lesson."""

    officer = models.ForeignKey(Officer, on_delete=models.CASCADE, related_name="lesson_progress")
    lesson_id = models.PositiveIntegerField()
    course_id = models.PositiveIntegerField()
    required_seconds = models.PositiveIntegerField()
    studied_seconds = models.PositiveIntegerField(default=0)
    checks_required = models.PositiveSmallIntegerField(default=0)
    checks_passed = models.PositiveSmallIntegerField(default=0)
    # The clock pauses once studied_seconds reaches next_check_at until the pending check is answered.
    next_check_at = models.PositiveIntegerField(null=True, blank=True)
    pending_check_key = models.CharField(max_length=64, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["officer", "lesson_id"], name="lessonprogress_unique")]

    def __str__(self) -> str:
        return f"{self.officer_id} lesson {self.lesson_id} {self.studied_seconds}/{self.required_seconds}s"

    @property
    def percent(self) -> int:
        if not self.required_seconds:
            return 100
        return min(100, int(self.studied_seconds * 100 / self.required_seconds))


class StudySession(models.Model):
    """An open lesson page. Only one active session per officer counts (parallel tabs do not)."""

    token = models.CharField(max_length=64, unique=True)
    officer = models.ForeignKey(Officer, on_delete=models.CASCADE, related_name="study_sessions")
    progress = models.ForeignKey(LessonProgress, on_delete=models.CASCADE, related_name="sessions")
    active = models.BooleanField(default=True)
    started_at = models.DateTimeField()
    last_beat_at = models.DateTimeField()
    counted_seconds = models.PositiveIntegerField(default=0)
    beats = models.PositiveIntegerField(default=0)
    video_position = models.FloatField(null=True, blank=True)
    video_position_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["officer"], condition=Q(active=True), name="one_active_study_session"),
        ]

    def __str__(self) -> str:
        return f"{self.officer_id} session {self.pk}"


class OfflineSession(models.Model):
    """集中学习, 专题讲座, 以会代训, 大讲堂: scheduled by a trainer, attended by QR sign-in/out."""

    class Kind(models.TextChoices):
        CENTRAL = "central", _("集中学习")
        LECTURE = "lecture", _("专题讲座")
        MEETING = "meeting", _("以会代训")
        FORUM = "forum", _("大讲堂")

    title = models.CharField(_("名称"), max_length=200)
    kind = models.CharField(_("形式"), max_length=10, choices=Kind.choices, default=Kind.CENTRAL)
    category = models.ForeignKey(
        CREDIT_CATEGORY,
        to_field="code",
        db_column="category_code",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("学时类别"),
    )
    hours = models.DecimalField(_("学时"), max_digits=5, decimal_places=1)
    place = models.CharField(_("地点"), max_length=200)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    trainer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    invited_units = models.ManyToManyField(Unit, blank=True, related_name="+", verbose_name=_("参训单位"))
    invited_officers = models.ManyToManyField(Officer, blank=True, related_name="+", verbose_name=_("参训人员"))
    secret = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("线下培训")
        verbose_name_plural = _("线下培训")
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="session_ends_after")
        ]

    def __str__(self) -> str:
        return self.title


class Attendance(models.Model):
    class Method(models.TextChoices):
        QR = "qr", _("扫码")
        MANUAL = "manual", _("人工补录")

    session = models.ForeignKey(OfflineSession, on_delete=models.CASCADE, related_name="attendance")
    officer = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="attendance")
    signed_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    signed_out_at = models.DateTimeField(_("签退时间"), null=True, blank=True)
    method = models.CharField(_("方式"), max_length=10, choices=Method.choices, default=Method.QR)
    reason = models.CharField(_("补录原因"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    credit = models.ForeignKey(CreditEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["signed_in_at", "id"]
        constraints = [models.UniqueConstraint(fields=["session", "officer"], name="attendance_unique")]

    def __str__(self) -> str:
        return f"{self.session_id} {self.officer_id}"


def claim_upload_to(instance: ExternalClaim, filename: str) -> str:
    # An unguessable folder under private/ (never served as /media/): the file leaves only through
    # learning.views.claim_attachment, which checks who asks. The original name is kept for the download.
    return f"private/claims/{uuid.uuid4().hex}/{filename}"


class ExternalClaim(models.Model):
    """Hours earned outside (a week at a university, a provincial course): approved by leader or HR."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待审核")
        APPROVED = "approved", _("已通过")
        REJECTED = "rejected", _("已退回")

    officer = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="external_claims")
    title = models.CharField(_("培训名称"), max_length=200)
    provider = models.CharField(_("举办单位"), max_length=200)
    category = models.ForeignKey(
        CREDIT_CATEGORY,
        to_field="code",
        db_column="category_code",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("学时类别"),
    )
    hours = models.DecimalField(_("学时"), max_digits=5, decimal_places=1)
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"))
    attachment = models.FileField(_("证明材料"), upload_to=claim_upload_to)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING)
    submitted_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.CharField(_("审核意见"), max_length=300, blank=True)
    credit = models.ForeignKey(CreditEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("外部培训申报")
        verbose_name_plural = _("外部培训申报")
        constraints = [models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")), name="claim_dates")]

    def __str__(self) -> str:
        return self.title

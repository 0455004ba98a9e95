"""师徒结对: a yearly programme with its rules as data, the pairs it forms (proposed → active → completed | ended
early), each pair's goals, check-ins and mutual evaluations, and the log that makes each reminder go out once.

Outcomes (hours, exams, certificate) are never stored here: the selectors read them live from learning, exams and
certification."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from org.models import Officer, Unit


def default_weights() -> dict:
    from .matching import DEFAULT_WEIGHTS

    return dict(DEFAULT_WEIGHTS)


def default_goals() -> list:
    return [
        {"title": "熟悉执法文书", "due_days": 60},
        {"title": "独立办理简易程序案件", "due_days": 120},
        {"title": "通过执法资格考试", "due_days": 240},
    ]


def default_mentee_roles() -> list:
    return ["recruit"]


class Programme(models.Model):
    """One year's 老带新 programme for a unit subtree. Every rule is a field HR edits."""

    class State(models.TextChoices):
        DRAFT = "draft", _("筹备中")
        PUBLISHED = "published", _("进行中")
        CLOSED = "closed", _("已结束")

    year = models.PositiveSmallIntegerField(_("年度"))
    name = models.CharField(_("名称"), max_length=100)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("范围(单位及下级)"))
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("负责人")
    )
    state = models.CharField(_("状态"), max_length=12, choices=State.choices, default=State.DRAFT)
    # who needs a mentor
    mentee_role_codes = models.JSONField(_("需带教的人员类别"), default=default_mentee_roles, blank=True)
    mentee_hired_within_months = models.PositiveSmallIntegerField(
        _("入职不满(月)"), default=12, validators=[MaxValueValidator(120)]
    )
    # who may mentor
    mentor_min_years = models.PositiveSmallIntegerField(
        _("师傅最少执法年限"), default=3, validators=[MaxValueValidator(40)]
    )
    default_capacity = models.PositiveSmallIntegerField(
        _("每位师傅带徒人数"), default=2, validators=[MinValueValidator(1), MaxValueValidator(3)]
    )
    allow_cross_squad = models.BooleanField(_("允许跨中队结对"), default=False)
    weights = models.JSONField(_("评分权重"), default=default_weights, blank=True)
    goal_template = models.JSONField(_("带教目标模板"), default=default_goals, blank=True)
    # check-ins and credits
    mentee_credit_category = models.CharField(_("徒弟学时类别(代码)"), max_length=40, default="business")
    monthly_cap_hours = models.DecimalField(
        _("每月学时上限"),
        max_digits=5,
        decimal_places=2,
        default=4,
        validators=[MinValueValidator(0), MaxValueValidator(40)],
    )
    quiet_weeks = models.PositiveSmallIntegerField(
        _("无交流提醒(周)"), default=3, validators=[MinValueValidator(1), MaxValueValidator(26)]
    )
    # the last matching run's summary (totals and the unmatched with reasons), shown on the preview
    last_match = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "unit__path", "pk"]
        verbose_name = _("师徒结对计划")
        verbose_name_plural = _("师徒结对计划")
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gt=models.F("starts_on")), name="programme_dates_ordered"),
            models.CheckConstraint(
                condition=Q(default_capacity__gte=1, default_capacity__lte=3), name="programme_capacity_1_3"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.name}"


class MentorCapacity(models.Model):
    """HR's per-mentor override of the programme's capacity (1–3)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="capacities")
    mentor = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="+")
    capacity = models.PositiveSmallIntegerField(_("带徒人数"), validators=[MinValueValidator(1), MaxValueValidator(3)])

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["programme", "mentor"], name="mentorcapacity_unique"),
            models.CheckConstraint(condition=Q(capacity__gte=1, capacity__lte=3), name="mentorcapacity_1_3"),
        ]

    def __str__(self) -> str:
        return f"{self.mentor_id}: {self.capacity}"


class Pair(models.Model):
    class State(models.TextChoices):
        PROPOSED = "proposed", _("拟结对")
        ACTIVE = "active", _("带教中")
        COMPLETED = "completed", _("已结业")
        ENDED_EARLY = "ended_early", _("提前结束")

    PUBLISHED_STATES = (State.ACTIVE, State.COMPLETED, State.ENDED_EARLY)

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="pairs")
    mentee = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="mentor_pairs", verbose_name=_("徒弟"))
    mentor = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="mentee_pairs", verbose_name=_("师傅"))
    state = models.CharField(_("状态"), max_length=12, choices=State.choices, default=State.PROPOSED)
    locked = models.BooleanField(_("已锁定"), default=False)
    score = models.FloatField(_("匹配得分"), default=0)
    explanation = models.JSONField(default=list, blank=True)
    started_on = models.DateField(_("开始日期"), null=True, blank=True)
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)
    end_reason = models.CharField(_("结束原因"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["programme", "mentor__employee_no", "mentee__employee_no"]
        verbose_name = _("师徒结对")
        verbose_name_plural = _("师徒结对")
        constraints = [
            # an officer is in at most one active pair as a mentee (the database holds it against races too)
            models.UniqueConstraint(fields=["mentee"], condition=Q(state="active"), name="pair_one_active_per_mentee"),
            models.UniqueConstraint(
                fields=["programme", "mentee"], condition=Q(state="proposed"), name="pair_one_proposal_per_mentee"
            ),
            models.CheckConstraint(condition=~Q(mentee=models.F("mentor")), name="pair_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.mentor_id}→{self.mentee_id} ({self.state})"


class Goal(models.Model):
    pair = models.ForeignKey(Pair, on_delete=models.CASCADE, related_name="goals")
    title = models.CharField(_("目标"), max_length=100)
    due_on = models.DateField(_("完成期限"))
    done_on = models.DateField(_("完成日期"), null=True, blank=True)
    sort = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["pair", "sort", "pk"]

    def __str__(self) -> str:
        return self.title


class CheckIn(models.Model):
    """A meeting the mentee logged; it counts (and credits hours) once the mentor confirms it."""

    pair = models.ForeignKey(Pair, on_delete=models.PROTECT, related_name="checkins")
    met_on = models.DateField(_("交流日期"))
    minutes = models.PositiveSmallIntegerField(
        _("时长(分钟)"), validators=[MinValueValidator(10), MaxValueValidator(480)]
    )
    topic = models.CharField(_("主题"), max_length=100)
    goal = models.ForeignKey(
        Goal, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("关联目标")
    )
    notes = models.TextField(_("记录"), max_length=2000, blank=True)
    logged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    logged_at = models.DateTimeField(auto_now_add=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # hours credited on confirmation, after the monthly cap (the ledger holds the truth; these explain the cap)
    mentee_hours = models.DecimalField(max_digits=5, decimal_places=2, default=0)
    mentor_hours = models.DecimalField(max_digits=5, decimal_places=2, default=0)

    class Meta:
        ordering = ["-met_on", "-pk"]
        verbose_name = _("交流记录")
        verbose_name_plural = _("交流记录")
        constraints = [
            models.CheckConstraint(condition=Q(minutes__gte=10, minutes__lte=480), name="checkin_minutes_range"),
        ]

    def __str__(self) -> str:
        return f"{self.met_on} {self.topic}"


class Evaluation(models.Model):
    class Side(models.TextChoices):
        MENTEE = "mentee", _("徒弟评价师傅")
        MENTOR = "mentor", _("师傅评价徒弟")

    pair = models.ForeignKey(Pair, on_delete=models.PROTECT, related_name="evaluations")
    side = models.CharField(max_length=8, choices=Side.choices)
    author = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="+")
    rating = models.PositiveSmallIntegerField(_("评分"), validators=[MinValueValidator(1), MaxValueValidator(5)])
    text = models.TextField(_("评语"), max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["pair", "side"], name="evaluation_once_per_side"),
            models.CheckConstraint(condition=Q(rating__gte=1, rating__lte=5), name="evaluation_rating_1_5"),
        ]

    def __str__(self) -> str:
        return f"{self.pair_id} {self.side} {self.rating}"


class ReminderLog(models.Model):
    """One row per reminder sent: the unique key makes a rerun, or a second worker, send nothing twice."""

    key = models.CharField(max_length=200, unique=True)
    pair = models.ForeignKey(Pair, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.CharField(max_length=300, blank=True)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return self.key

"""The live knowledge contest (法律知识竞赛): a contest drawn from the question bank, its teams, the officers' seats,
their answers (one per officer per question, judged on the server's clock) and an append-only answer log.

The database is the record: a question's opens_at/closes_at are stored, so an answer is judged against them
whatever happens to the websocket that carried it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from org.append_only import AppendOnlyModel


class ContestError(Exception):
    """A refused contest action; `str(exc)` is a Chinese message for the person."""


class Contest(models.Model):
    class Status(models.TextChoices):
        LOBBY = "lobby", _("候场")
        RUNNING = "running", _("进行中")
        FINISHED = "finished", _("已结束")

    class TeamBy(models.TextChoices):
        SQUAD = "squad", _("按中队")
        TOP = "top", _("按局属一级单位(大队、科室)")
        UNIT = "unit", _("按所在单位(分队、小组)")

    class Scoring(models.TextChoices):
        FIXED = "fixed", _("答对得固定分")
        LINEAR = "linear", _("按用时递减(不低于保底分)")

    title = models.CharField(_("竞赛名称"), max_length=200)
    code = models.CharField(_("加入码"), max_length=8, unique=True)
    host = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("主持人")
    )
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.LOBBY)
    seconds_per_question = models.PositiveSmallIntegerField(_("每题作答时间(秒)"), default=20)
    read_seconds = models.PositiveSmallIntegerField(_("读题时间(秒)"), default=3)
    scoring = models.CharField(_("计分方式"), max_length=10, choices=Scoring.choices, default=Scoring.LINEAR)
    max_points = models.PositiveSmallIntegerField(_("满分"), default=100)
    floor_points = models.PositiveSmallIntegerField(_("保底分"), default=50)
    streak_bonus = models.PositiveSmallIntegerField(_("连对奖励(每连对一题)"), default=0)
    top_n = models.PositiveSmallIntegerField(_("排行榜显示人数"), default=5)
    team_by = models.CharField(_("分队方式"), max_length=8, choices=TeamBy.choices, default=TeamBy.SQUAD)
    # Optional: study hours for every officer who answered at least once, granted through the ledger when the
    # contest finishes (exactly once: learning.services.credit_grant).
    credit_hours = models.DecimalField(_("参赛学时"), max_digits=4, decimal_places=1, default=0)
    credit_category = models.CharField(_("学时类别"), max_length=40, blank=True)
    current_position = models.PositiveSmallIntegerField(_("当前题号"), default=0)  # 0: no question shown yet
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("知识竞赛")
        verbose_name_plural = _("知识竞赛")
        constraints = [
            models.CheckConstraint(condition=Q(floor_points__lte=models.F("max_points")), name="contest_floor_le_max"),
            models.CheckConstraint(
                condition=Q(seconds_per_question__gte=5, seconds_per_question__lte=300), name="contest_seconds_5_300"
            ),
            models.CheckConstraint(condition=Q(read_seconds__lte=60), name="contest_read_seconds_le_60"),
        ]

    def __str__(self) -> str:
        return self.title


class ContestQuestion(models.Model):
    """One round. `content` is the bank version frozen when the contest starts; the three times are the server's."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("题号"))
    question = models.ForeignKey("exams.Question", on_delete=models.PROTECT, related_name="+")
    content = models.JSONField(null=True, blank=True)
    shown_at = models.DateTimeField(null=True, blank=True)
    opens_at = models.DateTimeField(null=True, blank=True)
    closes_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)  # results computed (after closes_at + the largest grace)

    class Meta:
        ordering = ["contest", "position"]
        constraints = [models.UniqueConstraint(fields=["contest", "position"], name="contest_question_position_unique")]

    def __str__(self) -> str:
        return f"{self.contest_id}#{self.position}"


class Team(models.Model):
    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(_("队名"), max_length=100)
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    colour = models.PositiveSmallIntegerField(default=0)  # index into the screen's palette

    class Meta:
        ordering = ["contest", "id"]
        constraints = [models.UniqueConstraint(fields=["contest", "unit"], name="contest_team_unit_unique")]

    def __str__(self) -> str:
        return self.name

    @property
    def palette(self) -> int:
        """The colour class of the team on the pages (eight team colours, then they repeat)."""
        return self.colour % 8


class Seat(models.Model):
    """An officer's place in a contest: the same row whenever the phone reconnects."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="seats")
    officer = models.ForeignKey("org.Officer", on_delete=models.PROTECT, related_name="+")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="seats")
    score = models.IntegerField(_("得分"), default=0)
    streak = models.PositiveSmallIntegerField(_("连对"), default=0)
    best_streak = models.PositiveSmallIntegerField(_("最长连对"), default=0)
    correct_count = models.PositiveSmallIntegerField(_("答对题数"), default=0)
    correct_ms = models.BigIntegerField(default=0)  # tie-break: total time of the correct answers
    rank = models.PositiveIntegerField(null=True, blank=True)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["contest", "id"]
        constraints = [models.UniqueConstraint(fields=["contest", "officer"], name="contest_seat_unique")]

    def __str__(self) -> str:
        return f"{self.contest_id}:{self.officer_id}"


class Answer(models.Model):
    """One officer's answer to one round, as received by the server. Points are the speed points at receipt;
    the streak bonus is added when the round closes."""

    contest_question = models.ForeignKey(ContestQuestion, on_delete=models.CASCADE, related_name="answers")
    seat = models.ForeignKey(Seat, on_delete=models.CASCADE, related_name="answers")
    response = models.JSONField()
    received_at = models.DateTimeField()
    elapsed_ms = models.PositiveIntegerField()
    grace_ms = models.PositiveSmallIntegerField(default=0)
    correct = models.BooleanField()
    points = models.PositiveIntegerField(default=0)
    bonus = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["contest_question", "seat"], name="contest_one_answer_per_seat")]

    def __str__(self) -> str:
        return f"{self.contest_question_id}:{self.seat_id}"


class LogEntry(AppendOnlyModel):
    """The contest's append-only log: every answer accepted or refused (with the reason), every round opened and
    closed, every join, with the server's times; what a disputed result is checked against."""

    class Event(models.TextChoices):
        JOINED = "joined", _("加入")
        STARTED = "started", _("开始")
        OPENED = "opened", _("出题")
        ACCEPTED = "accepted", _("答案有效")
        REFUSED = "refused", _("答案无效")
        CLOSED = "closed", _("收题")
        FINISHED = "finished", _("结束")

    append_only_message = "contest log entries are append-only"

    contest = models.ForeignKey(Contest, on_delete=models.PROTECT, related_name="log")
    event = models.CharField(max_length=10, choices=Event.choices)
    position = models.PositiveSmallIntegerField(null=True, blank=True)
    seat = models.ForeignKey(Seat, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    at = models.DateTimeField()
    response = models.JSONField(null=True, blank=True)
    reason = models.CharField(max_length=200, blank=True)
    grace_ms = models.PositiveSmallIntegerField(null=True, blank=True)
    rtt_ms = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["contest", "id"]
        indexes = [models.Index(fields=["contest", "id"])]

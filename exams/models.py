"""The question bank: categories (题库分类), questions and their immutable versions.

A Question row is the editable head; every edit appends a QuestionVersion holding the full frozen content
(`Question.content()`, see exams/formats/base.py for the schema). Papers and attempts freeze from versions.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager


class QuestionCategory(models.Model):
    """A node of the bank's category tree (like Moodle's question categories). `full_path` is 'A/B/C'."""

    name = models.CharField(_("名称"), max_length=100)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("上级分类")
    )
    full_path = models.CharField(_("完整路径"), max_length=500, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["full_path"]
        verbose_name = _("题库分类")
        verbose_name_plural = _("题库分类")
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="qcategory_unique_name_in_parent"),
        ]

    def __str__(self) -> str:
        return self.full_path

    @property
    def depth(self) -> int:
        return self.full_path.count("/")


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("单选题")
        MULTIPLE = "multiple", _("多选题")
        TRUE_FALSE = "true_false", _("判断题")
        BLANK = "blank", _("填空题")
        CASE = "case", _("案例分析题")

    class ScoringMode(models.TextChoices):
        ALL_OR_NOTHING = "all", _("全部选对才得分")
        PARTIAL = "partial", _("按选项给分")

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        ACTIVE = "active", _("启用")
        RETIRED = "retired", _("停用")

    class Difficulty(models.IntegerChoices):
        VERY_EASY = 1, _("很易")
        EASY = 2, _("易")
        MEDIUM = 3, _("中")
        HARD = 4, _("难")
        VERY_HARD = 5, _("很难")

    category = models.ForeignKey(
        QuestionCategory, on_delete=models.PROTECT, related_name="questions", verbose_name=_("分类")
    )
    kind = models.CharField(_("题型"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("标题"), max_length=200, blank=True)
    stem = models.TextField(_("题干"))
    # Ordered: [{"key": "A", "text": "...", "correct": true}, ...] for single/multiple choice.
    options = models.JSONField(_("选项"), default=list, blank=True)
    scoring_mode = models.CharField(_("多选计分"), max_length=10, choices=ScoringMode.choices, blank=True)
    answer_bool = models.BooleanField(_("判断题答案"), null=True, blank=True)
    accepted_answers = models.JSONField(_("填空题可接受答案"), default=list, blank=True)
    rubric = models.TextField(_("评分要点"), blank=True)
    explanation = models.TextField(_("解析"), blank=True)
    points = models.DecimalField(_("分值"), max_digits=6, decimal_places=2, default=1)
    difficulty = models.PositiveSmallIntegerField(_("难度"), choices=Difficulty.choices, default=Difficulty.MEDIUM)
    violation_category = models.CharField(_("违法类别"), max_length=100, blank=True)
    # Citations as written ("《中华人民共和国行政处罚法》第三十三条"); to be linked to content's law articles.
    law_refs = models.JSONField(_("法条依据"), default=list, blank=True)
    tags = TaggableManager(_("标签"), blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    needs_review = models.BooleanField(_("待复核"), default=False)
    review_reason = models.CharField(_("复核原因"), max_length=300, blank=True)
    version_number = models.PositiveIntegerField(_("当前版本"), default=0)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("出题人"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["category__full_path", "id"]
        verbose_name = _("试题")
        verbose_name_plural = _("试题")
        indexes = [models.Index(fields=["kind", "status"])]
        constraints = [
            models.CheckConstraint(condition=Q(points__gt=0), name="question_points_positive"),
            models.CheckConstraint(condition=Q(difficulty__gte=1, difficulty__lte=5), name="question_difficulty_1_5"),
        ]

    def __str__(self) -> str:
        return self.title or self.stem[:40]


class QuestionVersion(models.Model):
    """One immutable snapshot of a question's full content (JSON). Never updated; on PostgreSQL a trigger
    refuses UPDATE and DELETE."""

    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("版本号"))
    content = models.JSONField(_("内容"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        ordering = ["question_id", "-number"]
        verbose_name = _("试题版本")
        verbose_name_plural = _("试题版本")
        constraints = [models.UniqueConstraint(fields=["question", "number"], name="qversion_unique_number")]

    def __str__(self) -> str:
        return f"{self.question_id} v{self.number}"

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
    # A confidential exam question (e.g. the qualification exam's bank): never practised, never in the wrong-answer
    # book, so its key reaches an officer only through an exam's own review policy.
    exam_only = models.BooleanField(
        _("仅供考试(保密题)"),
        default=False,
        help_text=_("保密题不进入练习和错题本,答案只按考试的回看设置显示"),
    )
    needs_review = models.BooleanField(_("待复核"), default=False)
    review_reason = models.CharField(_("复核原因"), max_length=300, blank=True)
    version_number = models.PositiveIntegerField(_("当前版本"), default=0)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
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


# --- papers ----------------------------------------------------------------------------------------------


class Paper(models.Model):
    """An exam paper (试卷): a fixed list of questions, or draw rules so every officer gets a different paper of
    equal weight (each rule fixes the count and the points of the questions it draws)."""

    class Mode(models.TextChoices):
        FIXED = "fixed", _("固定试题")
        DRAW = "draw", _("随机抽题")

    title = models.CharField(_("试卷名称"), max_length=200)
    description = models.TextField(_("说明"), blank=True)
    mode = models.CharField(_("组卷方式"), max_length=10, choices=Mode.choices, default=Mode.FIXED)
    shuffle_questions = models.BooleanField(_("打乱题目顺序"), default=False)
    shuffle_options = models.BooleanField(_("打乱选项顺序"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("创建人"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("试卷")
        verbose_name_plural = _("试卷")

    def __str__(self) -> str:
        return self.title


class PaperItem(models.Model):
    """One question of a fixed paper. `points` overrides the question's own points when set."""

    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="items")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+", verbose_name=_("试题"))
    position = models.PositiveIntegerField(_("顺序"), default=0)
    points = models.DecimalField(_("分值"), max_digits=6, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["paper_id", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["paper", "question"], name="paperitem_unique_question"),
            models.CheckConstraint(
                condition=Q(points__isnull=True) | Q(points__gt=0), name="paperitem_points_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.paper_id}#{self.position}: {self.question_id}"


class PaperRule(models.Model):
    """Draw `count` active questions of `kind` from `category` (and its subcategories), optionally only with
    `tag` and at `difficulty`, each worth `points_each` whatever the question's own points."""

    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="rules")
    position = models.PositiveIntegerField(_("顺序"), default=0)
    kind = models.CharField(_("题型"), max_length=20, choices=Question.Kind.choices)
    category = models.ForeignKey(
        QuestionCategory, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("分类")
    )
    tag = models.CharField(_("标签"), max_length=100, blank=True)
    difficulty = models.PositiveSmallIntegerField(_("难度"), choices=Question.Difficulty.choices, null=True, blank=True)
    count = models.PositiveIntegerField(_("题数"))
    points_each = models.DecimalField(_("每题分值"), max_digits=6, decimal_places=2)

    class Meta:
        ordering = ["paper_id", "position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(count__gt=0), name="paperrule_count_positive"),
            models.CheckConstraint(condition=Q(points_each__gt=0), name="paperrule_points_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.paper_id}: {self.count} × {self.kind}"


# --- exams -----------------------------------------------------------------------------------------------


class ReviewWhen(models.TextChoices):
    """When a part of the result (score, correct answers, explanations) becomes visible to the officer."""

    NEVER = "never", _("不显示")
    DURING = "during", _("答题时即显示")
    SUBMIT = "submit", _("交卷后")
    CLOSE = "close", _("考试结束后")


class Exam(models.Model):
    class Kind(models.TextChoices):
        ANNUAL = "annual", _("年度学法考试")
        QUALIFICATION = "qualification", _("行政执法资格考试")
        QUIZ = "quiz", _("课程测验")
        PRACTICE = "practice", _("模拟练习")

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("已发布")
        CANCELLED = "cancelled", _("已取消")

    title = models.CharField(_("考试名称"), max_length=200)
    kind = models.CharField(_("考试类型"), max_length=20, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    paper = models.ForeignKey(Paper, on_delete=models.PROTECT, related_name="exams", verbose_name=_("试卷"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    instructions = models.TextField(_("考试须知"), blank=True)
    # Audience: officers of these unit subtrees AND of these role categories (an empty list means "any"),
    # plus the named officers. With no unit and no role category only the named officers take part.
    units = models.ManyToManyField("org.Unit", blank=True, related_name="+", verbose_name=_("参考单位"))
    role_categories = models.ManyToManyField(
        "org.RoleCategory", blank=True, related_name="+", verbose_name=_("参考人员类别")
    )
    officers = models.ManyToManyField("org.Officer", blank=True, related_name="+", verbose_name=_("指定人员"))
    opens_at = models.DateTimeField(_("开考时间"))
    closes_at = models.DateTimeField(_("截止时间"))
    duration_minutes = models.PositiveIntegerField(_("考试时长(分钟)"))
    attempts_allowed = models.PositiveSmallIntegerField(_("允许作答次数"), default=1)
    pass_score = models.DecimalField(_("及格分"), max_digits=7, decimal_places=2)
    # 补考: extra attempts for officers who failed every regular attempt, in their own window.
    makeup_attempts = models.PositiveSmallIntegerField(_("补考次数"), default=0)
    makeup_opens_at = models.DateTimeField(_("补考开始时间"), null=True, blank=True)
    makeup_closes_at = models.DateTimeField(_("补考截止时间"), null=True, blank=True)
    show_score = models.CharField(
        _("何时显示成绩"), max_length=10, choices=ReviewWhen.choices, default=ReviewWhen.SUBMIT
    )
    show_answers = models.CharField(
        _("何时显示正确答案"), max_length=10, choices=ReviewWhen.choices, default=ReviewWhen.CLOSE
    )
    show_explanations = models.CharField(
        _("何时显示解析"), max_length=10, choices=ReviewWhen.choices, default=ReviewWhen.CLOSE
    )
    one_question_per_page = models.BooleanField(_("逐题作答"), default=True)
    # Case-analysis answers: two independent markers when set; a third marker arbitrates when their scores
    # differ by more than the tolerance.
    double_marking = models.BooleanField(_("双评"), default=False)
    marking_tolerance = models.DecimalField(_("双评允许分差"), max_digits=6, decimal_places=2, default=2)
    # Passing writes this credit to the learning ledger once per officer and exam (content.CreditCategory code).
    credit_category = models.CharField(_("通过后授予学时类别"), max_length=40, blank=True)
    credit_hours = models.DecimalField(_("通过后授予学时"), max_digits=6, decimal_places=2, null=True, blank=True)
    course_id = models.PositiveIntegerField(_("所属课程"), null=True, blank=True)  # content Course page id (quiz)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("创建人"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opens_at", "-id"]
        verbose_name = _("考试")
        verbose_name_plural = _("考试")
        indexes = [models.Index(fields=["kind", "year"]), models.Index(fields=["status", "closes_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(closes_at__gt=models.F("opens_at")), name="exam_window_ordered"),
            models.CheckConstraint(condition=Q(duration_minutes__gt=0), name="exam_duration_positive"),
            models.CheckConstraint(condition=Q(attempts_allowed__gte=1), name="exam_attempts_at_least_one"),
            models.CheckConstraint(condition=Q(pass_score__gte=0), name="exam_pass_score_not_negative"),
        ]

    def __str__(self) -> str:
        return self.title


# --- attempts --------------------------------------------------------------------------------------------


class Attempt(models.Model):
    """One officer's sitting of an exam: in progress → submitted → graded (→ released). The paper is frozen
    into its items at start; the server owns the clock (`deadline`)."""

    class State(models.TextChoices):
        IN_PROGRESS = "in_progress", _("作答中")
        SUBMITTED = "submitted", _("已交卷")
        GRADED = "graded", _("已评分")
        RELEASED = "released", _("已公布")

    class FinishedBy(models.TextChoices):
        OFFICER = "officer", _("考生交卷")
        DEADLINE = "deadline", _("到时自动交卷")
        PROCTOR = "proctor", _("监考强制交卷")

    exam = models.ForeignKey(Exam, on_delete=models.PROTECT, related_name="attempts", verbose_name=_("考试"))
    officer = models.ForeignKey("org.Officer", on_delete=models.PROTECT, related_name="exam_attempts")
    number = models.PositiveSmallIntegerField(_("第几次作答"))
    is_makeup = models.BooleanField(_("补考"), default=False)
    state = models.CharField(_("状态"), max_length=12, choices=State.choices, default=State.IN_PROGRESS)
    seed = models.BigIntegerField()  # drives the draw and the shuffles, so a paper can be re-derived
    started_at = models.DateTimeField(_("开始时间"))
    deadline = models.DateTimeField(_("截止时间"))  # min(start + duration, window close) + proctor extensions
    extended_minutes = models.PositiveIntegerField(_("延时(分钟)"), default=0)
    submitted_at = models.DateTimeField(_("交卷时间"), null=True, blank=True)
    finished_by = models.CharField(_("交卷方式"), max_length=10, choices=FinishedBy.choices, blank=True)
    last_seen_at = models.DateTimeField(null=True, blank=True)
    max_score = models.DecimalField(_("满分"), max_digits=7, decimal_places=2, default=0)
    score = models.DecimalField(_("得分"), max_digits=7, decimal_places=2, null=True, blank=True)
    passed = models.BooleanField(_("通过"), null=True, blank=True)
    # When automatic scoring ran (the grading task, once per attempt). None on a finalised attempt: still being
    # graded (the officer sees "评分中"); set but not GRADED: case answers await manual marking.
    scored_at = models.DateTimeField(null=True, blank=True)
    graded_at = models.DateTimeField(null=True, blank=True)
    released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["exam_id", "officer_id", "number"]
        verbose_name = _("作答")
        verbose_name_plural = _("作答")
        indexes = [models.Index(fields=["state", "deadline"]), models.Index(fields=["exam", "state"])]
        constraints = [
            models.UniqueConstraint(fields=["exam", "officer", "number"], name="attempt_unique_number"),
            # At most one open attempt per officer and exam, also when two starts race.
            models.UniqueConstraint(
                fields=["exam", "officer"], condition=Q(state="in_progress"), name="attempt_one_in_progress"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.exam_id}/{self.officer_id}#{self.number}"


class AttemptItem(models.Model):
    """One frozen question of an attempt and the officer's answer to it.

    `content` is the QuestionVersion content at start (with the key: never sent to the browser before the
    review policy allows). `option_order` is the shuffled display order of option keys. A save writes
    `response` only when its `seq` is newer than the stored one, so a stale save never overwrites a newer one.
    """

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField(_("题号"))
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    version = models.ForeignKey(QuestionVersion, on_delete=models.PROTECT, related_name="+")
    content = models.JSONField()
    option_order = models.JSONField(default=list, blank=True)
    points = models.DecimalField(_("分值"), max_digits=6, decimal_places=2)
    response = models.JSONField(null=True, blank=True)
    seq = models.PositiveIntegerField(default=0)
    saved_at = models.DateTimeField(null=True, blank=True)
    flagged = models.BooleanField(_("标记"), default=False)
    auto_score = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    score = models.DecimalField(_("得分"), max_digits=6, decimal_places=2, null=True, blank=True)
    needs_marking = models.BooleanField(default=False)

    class Meta:
        ordering = ["attempt_id", "position"]
        constraints = [models.UniqueConstraint(fields=["attempt", "position"], name="attemptitem_unique_position")]
        indexes = [models.Index(fields=["question", "needs_marking"])]

    def __str__(self) -> str:
        return f"{self.attempt_id}#{self.position}"


class MarkingTask(models.Model):
    """A case-analysis answer to mark by hand: round 1 (and 2 when the exam is double-marked) by assigned
    graders; round 3 arbitrates when the first two differ by more than the exam's tolerance."""

    item = models.ForeignKey(AttemptItem, on_delete=models.CASCADE, related_name="marking_tasks")
    round = models.PositiveSmallIntegerField(_("评阅轮次"))
    grader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="marking_tasks",
        verbose_name=_("阅卷人"),
    )
    score = models.DecimalField(_("给分"), max_digits=6, decimal_places=2, null=True, blank=True)
    comment = models.TextField(_("评语"), blank=True)
    marked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["item_id", "round"]
        verbose_name = _("阅卷任务")
        verbose_name_plural = _("阅卷任务")
        constraints = [models.UniqueConstraint(fields=["item", "round"], name="markingtask_unique_round")]
        indexes = [models.Index(fields=["grader", "marked_at"])]

    def __str__(self) -> str:
        return f"{self.item_id} r{self.round}"


class ExamGrader(models.Model):
    """A grader chosen for an exam's case-analysis answers (阅卷人): new marking tasks are shared among them."""

    exam = models.ForeignKey(Exam, on_delete=models.CASCADE, related_name="graders")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("阅卷人")
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["exam_id", "user_id"]
        verbose_name = _("阅卷人")
        verbose_name_plural = _("阅卷人")
        constraints = [models.UniqueConstraint(fields=["exam", "user"], name="examgrader_unique")]

    def __str__(self) -> str:
        return f"{self.exam_id}/{self.user_id}"


class Regrade(models.Model):
    """A recomputation of an exam's attempts after a key correction: who, why, and what changed per attempt
    (`changes`: [{"attempt": id, "officer": name, "before": "8.00", "after": "10.00", "passed_before": ...}])."""

    exam = models.ForeignKey(Exam, on_delete=models.PROTECT, related_name="regrades")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    version = models.ForeignKey(QuestionVersion, on_delete=models.PROTECT, related_name="+")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    reason = models.CharField(_("原因"), max_length=300)
    changes = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("重新评分")
        verbose_name_plural = _("重新评分")

    def __str__(self) -> str:
        return f"{self.exam_id}/{self.question_id}"


# --- practice (刷题) and the wrong-answer book (错题本) --------------------------------------------------


class PracticeAnswer(models.Model):
    """One practice answer, graded at once against the question's current version."""

    officer = models.ForeignKey("org.Officer", on_delete=models.CASCADE, related_name="practice_answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    version = models.ForeignKey(QuestionVersion, on_delete=models.PROTECT, related_name="+")
    response = models.JSONField(null=True)
    correct = models.BooleanField()
    answered_at = models.DateTimeField()

    class Meta:
        ordering = ["-answered_at"]
        indexes = [models.Index(fields=["officer", "answered_at"])]

    def __str__(self) -> str:
        return f"{self.officer_id}/{self.question_id}"


class WrongBookEntry(models.Model):
    """A question in an officer's wrong-answer book. It leaves (cleared_at) after `streak` reaches two right
    answers in a row; a new wrong answer after that opens a new entry."""

    officer = models.ForeignKey("org.Officer", on_delete=models.CASCADE, related_name="wrong_book")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    added_at = models.DateTimeField()
    last_wrong_at = models.DateTimeField()
    wrong_count = models.PositiveIntegerField(default=1)
    streak = models.PositiveSmallIntegerField(default=0)
    cleared_at = models.DateTimeField(null=True, blank=True)
    source = models.CharField(max_length=20, default="practice")  # practice | exam

    class Meta:
        ordering = ["-last_wrong_at"]
        verbose_name = _("错题")
        verbose_name_plural = _("错题本")
        constraints = [
            models.UniqueConstraint(
                fields=["officer", "question"], condition=Q(cleared_at__isnull=True), name="wrongbook_one_open"
            )
        ]

    def __str__(self) -> str:
        return f"{self.officer_id}/{self.question_id}"

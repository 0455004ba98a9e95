"""Builders for exam tests: questions of every kind (through the bank's service, so each has its version),
fixed papers and published exams. Content follows the bureaus' world (行政处罚法, 市容条例)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from exams import services
from exams.formats.base import Option, QuestionData
from exams.models import Exam, Paper, PaperItem, Question

CATEGORY = "行政处罚法/一般规定"

_KINDS: dict[str, dict] = {
    "single": dict(
        stem="当场作出行政处罚决定的,执法人员应当在几日内报所属行政机关备案?",
        options=[Option("三日"), Option("五日"), Option("七日"), Option("二日", True)],
    ),
    "multiple": dict(
        stem="下列哪些属于行政处罚的种类?",
        options=[Option("警告、通报批评", True), Option("罚款", True), Option("记过"), Option("暂扣许可证件", True)],
        scoring_mode="all",
    ),
    "true_false": dict(stem="违法行为在二年内未被发现的,不再给予行政处罚。", answer_bool=True),
    "blank": dict(stem="行政处罚的设定和实施,应当以____为依据。", accepted=["事实", "事 实"]),
    "case": dict(
        stem="某商户在人行道上摆摊占道经营,执法队员当场查获。请分析执法依据与处理程序。",
        rubric="1. 适用《城市市容和环境卫生管理条例》第十四条;2. 先责令改正;3. 告知陈述申辩权利。",
    ),
}


def question_data(kind: str = "single", **overrides) -> QuestionData:
    data = dict(
        kind=kind,
        points=Decimal("2"),
        category=CATEGORY,
        explanation="依据《中华人民共和国行政处罚法》相关规定。",
        law_refs=["《中华人民共和国行政处罚法》第三十三条"],
        **_KINDS[kind],
    )
    data.update(overrides)
    return QuestionData(**data)


def question(kind: str = "single", *, actor=None, status: str = Question.Status.ACTIVE, **overrides) -> Question:
    """An active question of `kind` with its first version."""
    return services.question_create(data=question_data(kind, **overrides), actor=actor, status=status)


def fixed_paper(questions: list[Question], *, title: str = "2026年度学法考试试卷", **kw) -> Paper:
    paper = Paper.objects.create(title=title, mode=Paper.Mode.FIXED, **kw)
    for position, q in enumerate(questions, start=1):
        PaperItem.objects.create(paper=paper, question=q, position=position)
    return paper


def exam(
    paper: Paper,
    *,
    officers=(),
    units=(),
    role_categories=(),
    opens_at: dt.datetime | None = None,
    closes_at: dt.datetime | None = None,
    **kw,
) -> Exam:
    """A published exam open now (for two hours) unless told otherwise; 60 minutes, pass mark 60% of 100."""
    now = timezone.now()
    fields = dict(
        title="2026年度行政执法人员学法考试",
        kind=Exam.Kind.ANNUAL,
        year=timezone.localdate().year,
        status=Exam.Status.PUBLISHED,
        opens_at=opens_at or now - dt.timedelta(minutes=5),
        closes_at=closes_at or now + dt.timedelta(hours=2),
        duration_minutes=60,
        pass_score=Decimal("6"),
        published_at=now,
    )
    fields.update(kw)
    created = Exam.objects.create(paper=paper, **fields)
    created.officers.set(officers)
    created.units.set(units)
    created.role_categories.set(role_categories)
    return created


def attempt(
    exam: Exam,
    officer,
    *,
    responses: dict | None = None,
    submit: bool = True,
    number: int | None = None,
    now: dt.datetime | None = None,
    seed: int = 7,
):
    """An officer's attempt built straight from the models (paper frozen as at start: each item's content is
    its QuestionVersion content). `responses` maps a Question (or its pk) to the response. With submit=True the attempt is finalised by hand (SUBMITTED) and graded by
    exams.services.grading.attempt_grade."""
    import random

    from exams.models import Attempt, AttemptItem
    from exams.services.grading import attempt_grade
    from exams.services.papers import option_order, paper_materialize

    now = now or timezone.now()
    if number is None:
        number = Attempt.objects.filter(exam=exam, officer=officer).count() + 1
    created = Attempt.objects.create(
        exam=exam,
        officer=officer,
        number=number,
        seed=seed,
        started_at=now - dt.timedelta(minutes=10),
        deadline=now + dt.timedelta(minutes=exam.duration_minutes),
    )
    rng = random.Random(seed)
    by_key = {getattr(key, "pk", key): value for key, value in (responses or {}).items()}
    for position, drawn in enumerate(paper_materialize(paper=exam.paper, rng=rng), start=1):
        content = drawn.version.content
        response = by_key.get(drawn.question.pk)
        AttemptItem.objects.create(
            attempt=created,
            position=position,
            question=drawn.question,
            version=drawn.version,
            content=content,
            option_order=option_order(content=content, shuffle=exam.paper.shuffle_options, rng=rng),
            points=drawn.points,
            response=response,
            seq=1 if response is not None else 0,
        )
    if submit:
        created.state = Attempt.State.SUBMITTED
        created.submitted_at = now
        created.finished_by = Attempt.FinishedBy.OFFICER
        created.save(update_fields=["state", "submitted_at", "finished_by"])
        attempt_grade(attempt=created, now=now)
        created.refresh_from_db()
    return created

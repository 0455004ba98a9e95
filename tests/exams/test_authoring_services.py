import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from exams.models import Attempt, Exam, Paper, QuestionCategory
from exams.services import exams as exam_services
from exams.services import papers as paper_services
from exams.services.papers import AuthoringRefused, paper_check
from org.models import AuditEntry
from tests.exams import factories as f
from tests.factories import OfficerFactory, unit

pytestmark = pytest.mark.django_db


def _draw_paper(actor=None, *, count=3, points=Decimal("2")):
    paper = paper_services.paper_create(actor=actor, title="2026年度学法考试试卷(随机)", mode=Paper.Mode.DRAW)
    paper_services.paper_rule_add(paper=paper, actor=actor, kind="single", count=count, points_each=points)
    return paper


def _singles(n):
    return [f.question("single", stem=f"单选第{i}题:当场处罚的备案期限?") for i in range(n)]


def _exam_fields(**kw):
    now = timezone.now()
    fields = dict(
        title="2026年度行政执法人员学法考试",
        kind=Exam.Kind.ANNUAL,
        year=2026,
        opens_at=now + dt.timedelta(hours=1),
        closes_at=now + dt.timedelta(days=10),
        duration_minutes=60,
        pass_score=Decimal("4"),
    )
    fields.update(kw)
    return fields


# --- papers ----------------------------------------------------------------------------------------------


def test_fixed_paper_items_add_move_remove_and_check(trainer):
    q1, q2, q3 = f.question("single"), f.question("true_false"), f.question("blank")
    paper = paper_services.paper_create(actor=trainer, title="资格考试卷", mode=Paper.Mode.FIXED)
    for q in (q1, q2, q3):
        paper_services.paper_item_add(paper=paper, question=q, actor=trainer)
    paper_services.paper_item_add(paper=paper, question=q1, actor=trainer)  # no duplicate
    item3 = paper.items.get(question=q3)
    paper_services.paper_item_move(item=item3, offset=-1, actor=trainer)
    assert list(paper.items.order_by("position").values_list("question_id", flat=True)) == [q1.pk, q3.pk, q2.pk]
    paper_services.paper_item_remove(item=paper.items.get(question=q1), actor=trainer)
    assert list(paper.items.order_by("position").values_list("position", "question_id")) == [(1, q3.pk), (2, q2.pk)]
    check = paper_check(paper=paper)
    assert check.ok and check.question_count == 2 and check.total_points == Decimal("4")
    assert AuditEntry.objects.filter(action="paper.item_add").count() == 3


def test_fixed_paper_check_flags_inactive_questions_and_empty_paper(trainer):
    paper = paper_services.paper_create(actor=trainer, title="空试卷")
    assert paper_check(paper=paper).problems == ["试卷还没有试题。"]
    draft = f.question("single", status="draft")
    paper_services.paper_item_add(paper=paper, question=draft, actor=trainer)
    assert "不是启用状态" in paper_check(paper=paper).problems[0]


def test_draw_rules_check_counts_available_and_overlap(trainer):
    _singles(4)
    paper = _draw_paper(trainer, count=3)
    check = paper_check(paper=paper)
    assert check.ok and check.rules[0].available == 4 and check.total_points == Decimal("6")
    # A second rule over the same pool: in the worst case the first takes 3 of the 4.
    paper_services.paper_rule_add(paper=paper, actor=trainer, kind="single", count=2, points_each=Decimal("1"))
    check = paper_check(paper=paper)
    assert not check.ok and check.rules[1].available == 4 and check.rules[1].usable == 1
    assert "重叠" in check.problems[0]
    rule = paper.rules.order_by("position").last()
    paper_services.paper_rule_update(rule=rule, actor=trainer, count=1)
    assert paper_check(paper=paper).ok


def test_rule_filters_by_category_and_reports_shortage(trainer):
    _singles(2)
    paper = paper_services.paper_create(actor=trainer, title="随机卷", mode=Paper.Mode.DRAW)
    category = QuestionCategory.objects.get(full_path=f.CATEGORY)
    paper_services.paper_rule_add(
        paper=paper, actor=trainer, kind="single", category=category, count=5, points_each=Decimal("1")
    )
    assert paper_check(paper=paper).problems == ["抽题规则 1 需要 5 道题,题库中符合条件的启用试题只有 2 道。"]


def test_rule_and_item_validation_messages(trainer):
    fixed = paper_services.paper_create(actor=trainer, title="固定卷")
    draw = paper_services.paper_create(actor=trainer, title="随机卷", mode=Paper.Mode.DRAW)
    with pytest.raises(AuthoringRefused, match="固定试题试卷不使用抽题规则"):
        paper_services.paper_rule_add(paper=fixed, actor=trainer, kind="single", count=1, points_each=Decimal(1))
    with pytest.raises(AuthoringRefused, match="不能直接添加试题"):
        paper_services.paper_item_add(paper=draw, question=f.question(), actor=trainer)
    with pytest.raises(AuthoringRefused, match="题数必须大于 0"):
        paper_services.paper_rule_add(paper=draw, actor=trainer, kind="single", count=0, points_each=Decimal(1))
    with pytest.raises(AuthoringRefused, match="请填写试卷名称"):
        paper_services.paper_create(actor=trainer, title=" ")


def test_paper_of_a_published_exam_is_locked_and_a_copy_is_free(trainer, officer):
    questions = _singles(3)
    paper = f.fixed_paper(questions[:2])
    f.exam(paper, officers=[officer])
    with pytest.raises(AuthoringRefused, match="复制试卷"):
        paper_services.paper_item_add(paper=paper, question=questions[2], actor=trainer)
    with pytest.raises(AuthoringRefused):
        paper_services.paper_update(paper=paper, actor=trainer, title="改名")
    with pytest.raises(AuthoringRefused):
        paper_services.paper_item_remove(item=paper.items.first(), actor=trainer)
    copy = paper_services.paper_copy(paper=paper, actor=trainer)
    assert copy.title.endswith("(副本)") and copy.items.count() == 2
    paper_services.paper_item_add(paper=copy, question=questions[2], actor=trainer)
    assert copy.items.count() == 3 and paper.items.count() == 2


# --- exams -----------------------------------------------------------------------------------------------


def test_exam_create_validates_windows_and_credit(trainer):
    paper = f.fixed_paper([f.question()])
    now = timezone.now()
    with pytest.raises(AuthoringRefused) as refused:
        exam_services.exam_create(
            actor=trainer,
            paper=paper,
            **_exam_fields(
                opens_at=now,
                closes_at=now - dt.timedelta(hours=1),
                makeup_attempts=1,
                makeup_opens_at=now - dt.timedelta(hours=2),
                makeup_closes_at=now + dt.timedelta(days=1),
                credit_category="law_exam",
            ),
        )
    assert "截止时间必须晚于开考时间。" in refused.value.messages
    assert "补考时间必须在正式考试截止之后。" in refused.value.messages
    assert "通过后授予学时须同时填写学时类别和学时数。" in refused.value.messages
    with pytest.raises(AuthoringRefused, match="学时类别「nope」不存在"):
        exam_services.exam_create(
            actor=trainer, paper=paper, **_exam_fields(credit_category="nope", credit_hours=Decimal(4))
        )
    exam = exam_services.exam_create(
        actor=trainer, paper=paper, **_exam_fields(credit_category="law_exam", credit_hours=Decimal(4))
    )
    assert exam.status == Exam.Status.DRAFT and exam.created_by == trainer


def test_formal_exams_cannot_show_the_key_while_answering(trainer):
    paper = f.fixed_paper([f.question()])
    for kind in (Exam.Kind.ANNUAL, Exam.Kind.QUALIFICATION):
        with pytest.raises(AuthoringRefused, match="不能在答题时显示答案或解析"):
            exam_services.exam_create(actor=trainer, paper=paper, **_exam_fields(kind=kind, show_answers="during"))
    practice = exam_services.exam_create(
        actor=trainer, paper=paper, **_exam_fields(kind=Exam.Kind.PRACTICE, show_answers="during")
    )
    assert practice.show_answers == "during"


def test_publish_checks_paper_pass_score_audience_and_notifies(trainer, monkeypatch):
    pushed = []
    monkeypatch.setattr(exam_services, "notice_push", lambda **kw: pushed.append(kw))
    squad = unit("测试区城管局/执法一中队")
    inside, outside = (
        OfficerFactory(unit=unit("测试区城管局/执法一中队/一分队")),
        OfficerFactory(unit=unit("测试区城管局/执法二中队")),
    )
    _singles(2)
    paper = _draw_paper(trainer, count=3)  # needs 3, only 2 exist
    exam = exam_services.exam_create(actor=trainer, paper=paper, **_exam_fields(pass_score=Decimal("10")))
    with pytest.raises(AuthoringRefused) as refused:
        exam_services.exam_publish(exam=exam, actor=trainer)
    assert any("只有 2 道" in m for m in refused.value.messages)
    assert any("参考人员为空" in m for m in refused.value.messages)
    f.question("single", stem="第三道单选题:罚缴分离?")
    exam_services.exam_update(exam=exam, actor=trainer, units=[squad])
    with pytest.raises(AuthoringRefused, match="及格分 10 高于试卷总分 6"):
        exam_services.exam_publish(exam=exam, actor=trainer)
    exam_services.exam_update(exam=exam, actor=trainer, pass_score=Decimal("4"))
    exam = exam_services.exam_publish(exam=exam, actor=trainer)
    assert exam.status == Exam.Status.PUBLISHED and exam.published_at
    assert [p["user"] for p in pushed] == [inside.user] and outside.user not in [p["user"] for p in pushed]
    assert "2026年度行政执法人员学法考试" in pushed[0]["text"]
    assert AuditEntry.objects.filter(action="exam.publish", target_id=str(exam.pk)).exists()
    with pytest.raises(AuthoringRefused, match="只有草稿"):
        exam_services.exam_publish(exam=exam, actor=trainer)


def test_publish_refuses_a_closed_window(trainer, officer):
    paper = f.fixed_paper([f.question()])
    now = timezone.now()
    exam = exam_services.exam_create(
        actor=trainer,
        paper=paper,
        officers=[officer],
        **_exam_fields(opens_at=now - dt.timedelta(days=2), closes_at=now - dt.timedelta(days=1), pass_score=1),
    )
    with pytest.raises(AuthoringRefused, match="截止时间已过"):
        exam_services.exam_publish(exam=exam, actor=trainer)


def _started(exam, officer):
    now = timezone.now()
    return Attempt.objects.create(
        exam=exam, officer=officer, number=1, seed=1, started_at=now, deadline=now + dt.timedelta(hours=1)
    )


def test_published_exam_locks_content_once_started_but_window_may_extend(trainer, officer):
    exam = f.exam(f.fixed_paper([f.question()]), officers=[officer], pass_score=Decimal("1"))
    exam_services.exam_update(exam=exam, actor=trainer, duration_minutes=45)  # nobody started yet
    _started(exam, officer)
    with pytest.raises(AuthoringRefused, match="只能延长截止时间"):
        exam_services.exam_update(exam=exam, actor=trainer, duration_minutes=30)
    with pytest.raises(AuthoringRefused, match="只能延长截止时间"):
        exam_services.exam_update(exam=exam, actor=trainer, officers=[])
    with pytest.raises(AuthoringRefused, match="只能延后"):
        exam_services.exam_update(exam=exam, actor=trainer, closes_at=exam.closes_at - dt.timedelta(minutes=30))
    later = exam.closes_at + dt.timedelta(days=1)
    exam = exam_services.exam_update(exam=exam, actor=trainer, closes_at=later)
    assert exam.closes_at == later and exam.duration_minutes == 45


def test_cancel_needs_reason_and_no_attempts(trainer, officer, monkeypatch):
    monkeypatch.setattr(exam_services, "notice_push", lambda **kw: None)
    exam = f.exam(f.fixed_paper([f.question()]), officers=[officer])
    with pytest.raises(AuthoringRefused, match="请填写取消原因"):
        exam_services.exam_cancel(exam=exam, actor=trainer, reason="")
    other = f.exam(f.fixed_paper([f.question()], title="另一卷"), officers=[officer])
    _started(other, officer)
    with pytest.raises(AuthoringRefused, match="不能取消"):
        exam_services.exam_cancel(exam=other, actor=trainer, reason="安排调整")
    exam = exam_services.exam_cancel(exam=exam, actor=trainer, reason="安排调整")
    assert exam.status == Exam.Status.CANCELLED
    with pytest.raises(AuthoringRefused, match="已取消"):
        exam_services.exam_update(exam=exam, actor=trainer, title="x")

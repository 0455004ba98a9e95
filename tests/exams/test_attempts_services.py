"""Attempts: eligibility, freezing, per-answer sequence numbers, deadlines and grace, the one finalisation,
the sweep, and the proctor's actions (services, SQLite)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from exams import services as bank_services
from exams.formats.base import Option
from exams.models import Attempt, AttemptItem, Exam
from exams.selectors.attempts import attempt_payload, exam_eligibility
from exams.services.attempts import (
    AnswerIn,
    AttemptRefused,
    attempt_extend,
    attempt_finalize,
    attempt_force_submit,
    attempt_save,
    attempt_start,
    attempt_submit,
    attempt_touch,
    attempts_sweep_overdue,
)
from org.models import AuditEntry, Officer
from tests.exams import factories as f
from tests.factories import OfficerFactory

pytestmark = pytest.mark.django_db

GRADED = (Attempt.State.GRADED, Attempt.State.RELEASED)  # released at once when the score shows on submit
T0 = dt.datetime(2026, 11, 21, 9, 0, tzinfo=dt.UTC)


def at(minutes: float) -> dt.datetime:
    return T0 + dt.timedelta(minutes=minutes)


@pytest.fixture
def questions():
    return [f.question(kind) for kind in ("single", "multiple", "true_false", "blank", "case")]


@pytest.fixture
def objective():
    return [f.question(kind) for kind in ("single", "multiple", "true_false", "blank")]


def make_exam(questions, officer, **kw) -> Exam:
    fields = dict(opens_at=at(0), closes_at=at(120), officers=[officer])
    fields.update(kw)
    return f.exam(f.fixed_paper(questions), **fields)


def items(attempt: Attempt) -> list[AttemptItem]:
    return list(attempt.items.order_by("position"))


def correct_answers(attempt: Attempt) -> list[AnswerIn]:
    answers = []
    for item in items(attempt):
        c = item.content
        response = {
            "single": next((o["key"] for o in c["options"] if o["correct"]), None),
            "multiple": [o["key"] for o in c["options"] if o["correct"]],
            "true_false": c["answer_bool"],
            "blank": (c["accepted"] or [""])[0],
            "case": "先责令改正,再告知陈述申辩权利。",
        }[c["kind"]]
        answers.append(AnswerIn(item_id=item.pk, seq=1, response=response))
    return answers


def audit_count(attempt: Attempt, action: str) -> int:
    return AuditEntry.objects.filter(target_type="exams.Attempt", target_id=str(attempt.pk), action=action).count()


# --- start and freezing -------------------------------------------------------------------------------


def test_start_freezes_the_paper_with_option_order_and_points(officer, questions):
    exam = make_exam(questions, officer)
    attempt = attempt_start(exam=exam, officer=officer, now=at(10))
    frozen = items(attempt)
    assert [i.question_id for i in frozen] == [q.pk for q in questions]
    assert all(i.points == Decimal("2") for i in frozen)
    assert attempt.max_score == Decimal("10")
    single = frozen[0]
    assert sorted(single.option_order) == ["A", "B", "C", "D"]
    assert single.content == single.version.content
    assert attempt.state == Attempt.State.IN_PROGRESS and attempt.number == 1
    assert audit_count(attempt, "attempt.start") == 1


def test_editing_the_bank_question_after_start_leaves_the_attempt_unchanged(officer, questions):
    exam = make_exam(questions, officer)
    attempt = attempt_start(exam=exam, officer=officer, now=at(10))
    question = questions[0]
    before = items(attempt)[0].content
    bank_services.question_update(
        question=question,
        data=f.question_data("single", stem="已修改的题干", options=[Option("甲", True), Option("乙")]),
        actor=None,
    )
    question.refresh_from_db()
    assert question.version_number == 2
    after = AttemptItem.objects.get(attempt=attempt, position=1)
    assert after.content == before
    assert after.content["stem"] != "已修改的题干"


def test_start_is_idempotent_while_an_attempt_is_open(officer, questions):
    exam = make_exam(questions, officer)
    first = attempt_start(exam=exam, officer=officer, now=at(10))
    again = attempt_start(exam=exam, officer=officer, now=at(11))
    assert again.pk == first.pk
    assert Attempt.objects.filter(exam=exam, officer=officer).count() == 1


def test_deadline_is_start_plus_duration(officer, questions):
    exam = make_exam(questions, officer, duration_minutes=60)
    attempt = attempt_start(exam=exam, officer=officer, now=at(10))
    assert attempt.deadline == at(70)


def test_deadline_is_cut_at_the_window_close(officer, questions):
    exam = make_exam(questions, officer, duration_minutes=60)
    attempt = attempt_start(exam=exam, officer=officer, now=at(100))
    assert attempt.deadline == at(120)


def test_makeup_deadline_is_cut_at_the_makeup_close(officer, objective):
    exam = make_exam(
        objective, officer, makeup_attempts=1, makeup_opens_at=at(200), makeup_closes_at=at(230), duration_minutes=60
    )
    failed = attempt_start(exam=exam, officer=officer, now=at(1))
    attempt_submit(attempt=failed, now=at(5))  # nothing answered: 0 points, failed
    makeup = attempt_start(exam=exam, officer=officer, now=at(210))
    assert makeup.is_makeup and makeup.number == 2
    assert makeup.deadline == at(230)


# --- eligibility ---------------------------------------------------------------------------------------


def test_officer_outside_the_audience_cannot_start(officer, questions):
    other = OfficerFactory()
    exam = make_exam(questions, other)
    e = exam_eligibility(exam=exam, officer=officer, now=at(10))
    assert not e.can_start and "参考人员范围" in e.reason
    with pytest.raises(AttemptRefused, match="参考人员范围"):
        attempt_start(exam=exam, officer=officer, now=at(10))


def test_inactive_officer_and_unpublished_exam_cannot_start(officer, questions):
    exam = make_exam(questions, officer, status=Exam.Status.DRAFT)
    assert not exam_eligibility(exam=exam, officer=officer, now=at(10)).can_start
    exam.status = Exam.Status.PUBLISHED
    exam.save()
    Officer.objects.filter(pk=officer.pk).update(status=Officer.Status.RETIRED)
    officer.refresh_from_db()
    assert not exam_eligibility(exam=exam, officer=officer, now=at(10)).can_start


def test_window_before_and_after(officer, questions):
    exam = make_exam(questions, officer)
    before = exam_eligibility(exam=exam, officer=officer, now=at(-1))
    assert not before.can_start and "尚未开始" in before.reason
    after = exam_eligibility(exam=exam, officer=officer, now=at(121))
    assert not after.can_start and after.reason == "考试已结束。"
    inside = exam_eligibility(exam=exam, officer=officer, now=at(1))
    assert inside.can_start and not inside.is_makeup and inside.attempts_left == 1


def test_attempts_allowed_are_counted(officer, objective):
    exam = make_exam(objective, officer, attempts_allowed=2)
    first = attempt_start(exam=exam, officer=officer, now=at(1))
    e = exam_eligibility(exam=exam, officer=officer, now=at(2))
    assert e.can_start and e.open_attempt == first  # continue
    attempt_submit(attempt=first, now=at(3))
    e = exam_eligibility(exam=exam, officer=officer, now=at(4))
    assert e.can_start and e.attempts_used == 1 and e.attempts_left == 1
    second = attempt_start(exam=exam, officer=officer, now=at(4))
    assert second.number == 2
    attempt_submit(attempt=second, now=at(5))
    e = exam_eligibility(exam=exam, officer=officer, now=at(6))
    assert not e.can_start and e.attempts_left == 0 and "次数已用完" in e.reason


def test_makeup_after_failing_in_the_regular_window(officer, objective):
    exam = make_exam(objective, officer, makeup_attempts=1)  # no makeup dates: the regular window
    failed = attempt_start(exam=exam, officer=officer, now=at(1))
    attempt_submit(attempt=failed, now=at(2))
    failed.refresh_from_db()
    assert failed.passed is False
    e = exam_eligibility(exam=exam, officer=officer, now=at(3))
    assert e.can_start and e.is_makeup and e.attempts_left == 1
    makeup = attempt_start(exam=exam, officer=officer, now=at(3))
    assert makeup.is_makeup
    attempt_submit(attempt=makeup, now=at(4))
    assert not exam_eligibility(exam=exam, officer=officer, now=at(5)).can_start


def test_makeup_waits_for_its_own_window(officer, objective):
    exam = make_exam(objective, officer, makeup_attempts=1, makeup_opens_at=at(200), makeup_closes_at=at(260))
    attempt_submit(attempt=attempt_start(exam=exam, officer=officer, now=at(1)), now=at(2))
    early = exam_eligibility(exam=exam, officer=officer, now=at(150))
    assert not early.can_start and "补考尚未开始" in early.reason
    assert exam_eligibility(exam=exam, officer=officer, now=at(201)).can_start
    late = exam_eligibility(exam=exam, officer=officer, now=at(261))
    assert not late.can_start and late.reason == "补考已结束。"


def test_no_makeup_without_a_failed_regular_attempt(officer, objective):
    exam = make_exam(objective, officer, makeup_attempts=1, makeup_opens_at=at(200), makeup_closes_at=at(260))
    e = exam_eligibility(exam=exam, officer=officer, now=at(201))
    assert not e.can_start


def test_no_attempt_after_passing(officer, objective):
    exam = make_exam(objective, officer, attempts_allowed=3, makeup_attempts=1)
    attempt = attempt_start(exam=exam, officer=officer, now=at(1))
    attempt_submit(attempt=attempt, answers=correct_answers(attempt), now=at(2))
    attempt.refresh_from_db()
    assert attempt.passed is True
    e = exam_eligibility(exam=exam, officer=officer, now=at(3))
    assert not e.can_start and e.attempts_left == 0 and "已通过" in e.reason
    with pytest.raises(AttemptRefused):
        attempt_start(exam=exam, officer=officer, now=at(3))


# --- saving --------------------------------------------------------------------------------------------


def test_newer_seq_wins_stale_and_equal_are_ignored_per_item(officer, questions):
    exam = make_exam(questions, officer)
    attempt = attempt_start(exam=exam, officer=officer, now=at(1))
    single, multiple = items(attempt)[:2]
    keys = single.option_order
    r = attempt_save(attempt=attempt, answers=[AnswerIn(single.pk, 5, keys[0])], now=at(2))
    assert r.acked == [{"item": single.pk, "seq": 5, "applied": True, "stored": 5}]
    # stale (seq 4) and equal (seq 5) never overwrite
    r = attempt_save(
        attempt=attempt, answers=[AnswerIn(single.pk, 4, keys[1]), AnswerIn(single.pk, 5, keys[2])], now=at(3)
    )
    assert [a["applied"] for a in r.acked] == [False, False]
    single.refresh_from_db()
    assert (single.response, single.seq) == (keys[0], 5)
    # newer wins; the other item has its own counter (seq 1 is fine there)
    attempt_save(
        attempt=attempt,
        answers=[AnswerIn(single.pk, 6, keys[3], flagged=True), AnswerIn(multiple.pk, 1, ["D", "A"])],
        now=at(4),
    )
    single.refresh_from_db()
    multiple.refresh_from_db()
    assert (single.response, single.seq, single.flagged) == (keys[3], 6, True)
    assert (multiple.response, multiple.seq) == (["A", "D"], 1)


def test_save_ignores_items_of_another_attempt(officer, questions):
    exam = make_exam(questions, officer)
    attempt = attempt_start(exam=exam, officer=officer, now=at(1))
    other_officer = OfficerFactory()
    exam.officers.add(other_officer)
    other = attempt_start(exam=exam, officer=other_officer, now=at(1))
    foreign = items(other)[0]
    r = attempt_save(attempt=attempt, answers=[AnswerIn(foreign.pk, 9, foreign.option_order[0])], now=at(2))
    assert r.acked == []
    foreign.refresh_from_db()
    assert foreign.seq == 0 and foreign.response is None


def test_save_refuses_a_response_of_the_wrong_shape_on_its_own(officer, questions):
    exam = make_exam(questions, officer)
    attempt = attempt_start(exam=exam, officer=officer, now=at(1))
    single = items(attempt)[0]
    result = attempt_save(attempt=attempt, answers=[AnswerIn(single.pk, 1, "Z")], now=at(2))
    assert result.acked == []
    assert [(r["item"], r["seq"]) for r in result.refused] == [(single.pk, 1)]
    assert "选项" in result.refused[0]["reason"]
    single.refresh_from_db()
    assert (single.response, single.seq) == (None, 0)


def test_save_inside_grace_is_accepted_after_grace_refused_and_closed_at_deadline(officer, questions, settings):
    settings.EXAM_SAVE_GRACE_SECONDS = 30
    exam = make_exam(questions, officer, duration_minutes=30)
    attempt = attempt_start(exam=exam, officer=officer, now=at(0))
    blank = items(attempt)[3]
    attempt_save(attempt=attempt, answers=[AnswerIn(blank.pk, 1, "事实")], now=at(30) + dt.timedelta(seconds=20))
    blank.refresh_from_db()
    assert blank.response == "事实"
    with pytest.raises(AttemptRefused, match="考试时间已到"):
        attempt_save(attempt=attempt, answers=[AnswerIn(blank.pk, 2, "证据")], now=at(30) + dt.timedelta(seconds=31))
    blank.refresh_from_db()
    assert blank.response == "事实"
    attempt.refresh_from_db()
    assert attempt.state != Attempt.State.IN_PROGRESS
    assert attempt.submitted_at == at(30)
    assert attempt.finished_by == Attempt.FinishedBy.DEADLINE
    assert audit_count(attempt, "attempt.finalize_deadline") == 1


def test_save_refused_when_no_longer_in_progress(officer, questions):
    exam = make_exam(questions, officer)
    attempt = attempt_start(exam=exam, officer=officer, now=at(1))
    item = items(attempt)[2]
    attempt_submit(attempt=attempt, now=at(2))
    with pytest.raises(AttemptRefused, match="已交卷"):
        attempt_save(attempt=attempt, answers=[AnswerIn(item.pk, 1, True)], now=at(3))


# --- submitting and finalising --------------------------------------------------------------------------


def test_submit_saves_final_answers_grades_and_is_idempotent(officer, objective):
    exam = make_exam(objective, officer)
    attempt = attempt_start(exam=exam, officer=officer, now=at(1))
    done = attempt_submit(attempt=attempt, answers=correct_answers(attempt), now=at(20))
    assert done.state in GRADED
    assert done.submitted_at == at(20) and done.finished_by == Attempt.FinishedBy.OFFICER
    assert done.score == Decimal("8.00") and done.passed is True
    again = attempt_submit(attempt=attempt, answers=[AnswerIn(items(attempt)[0].pk, 99, None)], now=at(25))
    assert again.pk == done.pk and again.submitted_at == at(20) and again.score == Decimal("8.00")
    assert audit_count(attempt, "attempt.submit") == 1
    assert audit_count(attempt, "attempt.grade") == 1
    assert items(attempt)[0].seq == 1  # the late save did not touch the graded attempt


def test_submit_with_case_question_waits_for_marking(officer, questions):
    exam = make_exam(questions, officer)
    attempt = attempt_start(exam=exam, officer=officer, now=at(1))
    done = attempt_submit(attempt=attempt, answers=correct_answers(attempt), now=at(2))
    assert done.state == Attempt.State.SUBMITTED
    assert items(attempt)[4].needs_marking


def test_late_submit_is_closed_at_the_deadline(officer, objective):
    exam = make_exam(objective, officer, duration_minutes=30)
    attempt = attempt_start(exam=exam, officer=officer, now=at(0))
    done = attempt_submit(attempt=attempt, now=at(40))
    assert done.submitted_at == at(30)
    assert done.finished_by == Attempt.FinishedBy.DEADLINE


def test_finalize_twice_finalises_once(officer, objective):
    exam = make_exam(objective, officer)
    attempt = attempt_start(exam=exam, officer=officer, now=at(1))
    attempt_finalize(attempt_id=attempt.pk, now=at(5), by=Attempt.FinishedBy.OFFICER)
    second = attempt_finalize(attempt_id=attempt.pk, now=at(6), by=Attempt.FinishedBy.DEADLINE)
    assert second.submitted_at == at(5) and second.finished_by == Attempt.FinishedBy.OFFICER
    assert audit_count(attempt, "attempt.submit") == 1
    assert audit_count(attempt, "attempt.finalize_deadline") == 0


def test_request_on_an_overdue_attempt_finalises_it_at_the_deadline(officer, objective):
    exam = make_exam(objective, officer, duration_minutes=30)
    attempt = attempt_start(exam=exam, officer=officer, now=at(0))
    touched = attempt_touch(attempt=attempt, now=at(31))
    assert touched.state in GRADED and touched.submitted_at == at(30)
    assert touched.finished_by == Attempt.FinishedBy.DEADLINE


def test_touch_inside_the_grace_keeps_the_attempt_open(officer, objective):
    exam = make_exam(objective, officer, duration_minutes=30)
    attempt = attempt_start(exam=exam, officer=officer, now=at(0))
    assert attempt_touch(attempt=attempt, now=at(30.2)).state == Attempt.State.IN_PROGRESS


def test_start_on_an_overdue_open_attempt_closes_it_first(officer, objective):
    exam = make_exam(objective, officer, duration_minutes=30, attempts_allowed=2)
    first = attempt_start(exam=exam, officer=officer, now=at(0))
    second = attempt_start(exam=exam, officer=officer, now=at(45))
    first.refresh_from_db()
    assert second.pk != first.pk and second.number == 2
    assert first.submitted_at == at(30)


def test_sweep_closes_overdue_attempts_at_their_deadline(officer, objective):
    exam = make_exam(objective, officer, duration_minutes=30)
    overdue = attempt_start(exam=exam, officer=officer, now=at(0))
    answered = items(overdue)[2]
    attempt_save(attempt=overdue, answers=[AnswerIn(answered.pk, 1, True)], now=at(10))
    fresh_officer = OfficerFactory()
    exam.officers.add(fresh_officer)
    fresh = attempt_start(exam=exam, officer=fresh_officer, now=at(20))
    assert attempts_sweep_overdue(now=at(31)) == 1
    overdue.refresh_from_db()
    fresh.refresh_from_db()
    assert overdue.state in GRADED and overdue.submitted_at == at(30)
    assert overdue.score == Decimal("2.00")  # the saved answer counted
    assert fresh.state == Attempt.State.IN_PROGRESS
    assert attempts_sweep_overdue(now=at(31)) == 0
    assert audit_count(overdue, "attempt.finalize_deadline") == 1


def test_sweep_command(officer, objective):
    exam = f.exam(f.fixed_paper(objective), officers=[officer], opens_at=timezone.now() - dt.timedelta(hours=4))
    attempt = attempt_start(exam=exam, officer=officer, now=timezone.now() - dt.timedelta(hours=3))
    call_command("sweep_attempts")
    attempt.refresh_from_db()
    assert attempt.state in GRADED and attempt.submitted_at == attempt.deadline


def test_sweep_task(officer, objective):
    from exams.tasks import sweep_overdue_attempts

    exam = f.exam(f.fixed_paper(objective), officers=[officer], opens_at=timezone.now() - dt.timedelta(hours=4))
    attempt = attempt_start(exam=exam, officer=officer, now=timezone.now() - dt.timedelta(hours=3))
    result = sweep_overdue_attempts.enqueue()
    assert result.return_value == 1
    attempt.refresh_from_db()
    assert attempt.state in GRADED


# --- proctor --------------------------------------------------------------------------------------------


def test_extend_moves_the_deadline_and_is_audited(officer, objective, trainer):
    exam = make_exam(objective, officer, duration_minutes=30)
    attempt = attempt_start(exam=exam, officer=officer, now=at(0))
    extended = attempt_extend(attempt=attempt, minutes=10, actor=trainer, reason="考生设备故障", now=at(25))
    assert extended.deadline == at(40) and extended.extended_minutes == 10
    entry = AuditEntry.objects.get(action="attempt.extend", target_id=str(attempt.pk))
    assert entry.actor == trainer and entry.data["reason"] == "考生设备故障"
    # the save that would have been too late is now in time
    attempt_save(attempt=attempt, answers=[AnswerIn(items(attempt)[2].pk, 1, False)], now=at(35))
    with pytest.raises(AttemptRefused):
        attempt_extend(attempt=attempt, minutes=0, actor=trainer, reason="x", now=at(36))
    with pytest.raises(AttemptRefused):
        attempt_extend(attempt=attempt, minutes=5, actor=trainer, reason=" ", now=at(36))


def test_force_submit_is_audited_and_refused_twice(officer, objective, trainer):
    exam = make_exam(objective, officer)
    attempt = attempt_start(exam=exam, officer=officer, now=at(0))
    done = attempt_force_submit(attempt=attempt, actor=trainer, reason="考试期间使用手机", now=at(12))
    assert done.finished_by == Attempt.FinishedBy.PROCTOR and done.submitted_at == at(12)
    entry = AuditEntry.objects.get(action="attempt.force_submit", target_id=str(attempt.pk))
    assert entry.actor == trainer and entry.data["reason"] == "考试期间使用手机"
    with pytest.raises(AttemptRefused, match="已交卷"):
        attempt_force_submit(attempt=attempt, actor=trainer, reason="再来一次", now=at(13))
    with pytest.raises(AttemptRefused, match="不能延时"):
        attempt_extend(attempt=attempt, minutes=5, actor=trainer, reason="迟到", now=at(13))


# --- keys never leak --------------------------------------------------------------------------------------


def test_payload_has_no_keys_while_in_progress(officer, questions):
    exam = make_exam(questions, officer)
    attempt = attempt_start(exam=exam, officer=officer, now=at(1))
    attempt_save(attempt=attempt, answers=correct_answers(attempt), now=at(2))
    payload = attempt_payload(attempt=attempt, now=at(3))
    text = str(payload)
    for word in (
        "correct",
        "answer_bool",
        "accepted",
        "rubric",
        "explanation",
        "依据《中华人民共和国行政处罚法》相关规定",
    ):
        assert word not in text
    single = payload["items"][0]
    assert [o["label"] for o in single["options"]] == ["A", "B", "C", "D"]
    assert [o["key"] for o in single["options"]] == items(attempt)[0].option_order


def test_payload_during_mode_reveals_only_answered_items(officer, questions):
    exam = make_exam(questions, officer, show_answers="during", show_explanations="during")
    attempt = attempt_start(exam=exam, officer=officer, now=at(1))
    first = items(attempt)[0]
    attempt_save(attempt=attempt, answers=[AnswerIn(first.pk, 1, first.option_order[0])], now=at(2))
    payload = attempt_payload(attempt=attempt, now=at(3))
    answered, others = payload["items"][0], payload["items"][1:]
    assert answered["correct"] == [o["key"] for o in first.content["options"] if o["correct"]]
    assert answered["explanation"]
    assert all("correct" not in i and "explanation" not in i for i in others)

"""Grading services: automatic scoring in an attempt, marking rounds and arbitration, assignment, regrade with
credit flip, the exam credit exactly once, release by policy, officer_passed_exam_kind, item statistics."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from exams import selectors
from exams.formats.base import Option
from exams.models import Attempt, Exam, MarkingTask, PaperItem, Regrade, ReviewWhen
from exams.selectors import grading as grading_selectors
from exams.services import grading as grading_services
from exams.services.grading import GradingRefused
from learning.models import CreditEntry
from org.models import AuditEntry, RoleGrant
from tests.exams import factories as f
from tests.factories import OfficerFactory, UserFactory, grant

pytestmark = pytest.mark.django_db


def D(value) -> Decimal:
    return Decimal(value)


@pytest.fixture
def graders(db):
    users = []
    for name in ("grader-a", "grader-b", "grader-c"):
        user = UserFactory(username=name)
        grant(user, RoleGrant.Role.TRAINER)
        users.append(user)
    return users


def credit_sum(officer) -> Decimal:
    return sum((e.hours for e in CreditEntry.objects.filter(officer=officer, source_kind="exam")), D(0))


# --- automatic grading ------------------------------------------------------------------------------------------


def test_each_objective_kind_is_scored_with_the_papers_points(officer):
    single = f.question("single")  # correct D
    multiple = f.question(
        "multiple",
        options=[Option("甲", True), Option("乙"), Option("丙", True), Option("丁")],
        scoring_mode="partial",
    )
    tf = f.question("true_false")  # True
    blank = f.question("blank")  # 事实
    paper = f.fixed_paper([single, multiple, tf, blank])
    PaperItem.objects.filter(paper=paper, question=multiple).update(points=D("4"))  # the paper overrides
    exam = f.exam(paper, officers=[officer], pass_score=D("8"))

    attempt = f.attempt(exam, officer, responses={single: "D", multiple: "A", tf: "错", blank: " 事实 "})

    scores = {i.question_id: i.score for i in attempt.items.all()}
    assert scores == {single.pk: D("2.00"), multiple.pk: D("2.00"), tf.pk: D("0.00"), blank.pk: D("2.00")}
    assert attempt.state == Attempt.State.RELEASED  # score shown after submit: released at once
    assert (attempt.score, attempt.max_score, attempt.passed) == (D("6.00"), D("10.00"), False)


def test_case_answers_wait_for_marking_and_the_attempt_stays_submitted(officer):
    single, case = f.question("single"), f.question("case")
    exam = f.exam(f.fixed_paper([single, case]), officers=[officer], double_marking=True)

    attempt = f.attempt(exam, officer, responses={single: "D", case: "责令改正,告知权利。"})

    assert attempt.state == Attempt.State.SUBMITTED and attempt.score is None
    item = attempt.items.get(question=case)
    assert item.needs_marking and item.score is None
    assert sorted(item.marking_tasks.values_list("round", flat=True)) == [1, 2]


def test_wrong_objective_answers_go_to_the_wrong_book_through_practice(officer, monkeypatch):
    calls = []
    monkeypatch.setattr(
        grading_services,
        "wrong_book_record_many",
        lambda **kw: calls.extend({"question": q, "correct": c, "source": kw["source"]} for q, c in kw["answers"]),
    )
    single, tf, case = f.question("single"), f.question("true_false"), f.question("case")
    exam = f.exam(f.fixed_paper([single, tf, case]), officers=[officer])

    f.attempt(exam, officer, responses={single: "A", tf: True, case: "答案"})

    seen = {(c["question"].pk, c["correct"], c["source"]) for c in calls}
    assert seen == {(single.pk, False, "exam"), (tf.pk, True, "exam")}  # case answers are not objective


# --- marking ---------------------------------------------------------------------------------------------------


def case_exam(officer, **kw):
    case = f.question("case", points=D("10"))
    fields = dict(officers=[officer], pass_score=D("6"), credit_category="law_exam", credit_hours=D("40"))
    fields.update(kw)
    return f.exam(f.fixed_paper([case]), **fields), case


def test_single_marking_settles_the_attempt_and_grants_the_credit_once(officer, graders):
    exam, case = case_exam(officer)
    attempt = f.attempt(exam, officer, responses={case: "依据条例责令改正。"})
    grading_services.marking_assign(exam=exam, graders=graders[:1], actor=graders[0])
    task = MarkingTask.objects.get(item__attempt=attempt)
    assert task.grader == graders[0]

    grading_services.marking_mark(task=task, grader=graders[0], score="7.5", comment="要点基本齐全")

    attempt.refresh_from_db()
    assert (attempt.state, attempt.score, attempt.passed) == (Attempt.State.RELEASED, D("7.50"), True)
    assert credit_sum(officer) == D("40.00")
    assert AuditEntry.objects.filter(action="marking.mark", target_id=str(task.pk)).exists()
    with pytest.raises(GradingRefused):  # a task is marked once
        grading_services.marking_mark(task=task, grader=graders[0], score="8")


@pytest.mark.parametrize("bad", ["10.5", "-1", "3.3", "abc", "NaN"])
def test_a_mark_must_be_within_points_in_half_steps(officer, graders, bad):
    exam, case = case_exam(officer)
    f.attempt(exam, officer, responses={case: "答"})
    grading_services.marking_assign(exam=exam, graders=graders[:1], actor=graders[0])
    task = MarkingTask.objects.get()
    with pytest.raises(GradingRefused):
        grading_services.marking_mark(task=task, grader=graders[0], score=bad)
    task.refresh_from_db()
    assert task.marked_at is None


def test_only_the_assigned_grader_marks(officer, graders):
    exam, case = case_exam(officer)
    f.attempt(exam, officer, responses={case: "答"})
    grading_services.marking_assign(exam=exam, graders=graders[:1], actor=graders[0])
    with pytest.raises(GradingRefused):
        grading_services.marking_mark(task=MarkingTask.objects.get(), grader=graders[1], score="5")


def test_double_marking_within_tolerance_takes_the_mean(officer, graders):
    exam, case = case_exam(officer, double_marking=True, marking_tolerance=D("2"))
    attempt = f.attempt(exam, officer, responses={case: "答"})
    grading_services.marking_assign(exam=exam, graders=graders[:2], actor=graders[0])
    r1, r2 = MarkingTask.objects.order_by("round")
    assert r1.grader != r2.grader

    grading_services.marking_mark(task=r1, grader=r1.grader, score="6")
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.SUBMITTED  # round 2 still open
    grading_services.marking_mark(task=r2, grader=r2.grader, score="7.5")

    attempt.refresh_from_db()
    assert attempt.score == D("6.75") and attempt.passed
    assert not MarkingTask.objects.filter(round=3).exists()


def test_double_marking_beyond_tolerance_goes_to_an_arbiter_whose_mark_is_final(officer, graders):
    exam, case = case_exam(officer, double_marking=True, marking_tolerance=D("2"))
    attempt = f.attempt(exam, officer, responses={case: "答"})
    grading_services.marking_assign(exam=exam, graders=graders, actor=graders[0])
    r1, r2 = MarkingTask.objects.order_by("round")
    grading_services.marking_mark(task=r1, grader=r1.grader, score="3")
    grading_services.marking_mark(task=r2, grader=r2.grader, score="8")

    r3 = MarkingTask.objects.get(round=3)
    assert r3.grader not in (r1.grader, r2.grader) and r3.grader is not None  # the third grader arbitrates
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.SUBMITTED
    grading_services.marking_mark(task=r3, grader=r3.grader, score="5")

    attempt.refresh_from_db()
    assert (attempt.score, attempt.passed) == (D("5.00"), False)
    assert credit_sum(officer) == 0


def test_assignment_is_even_and_never_gives_one_grader_both_rounds(graders):
    officers = [OfficerFactory() for _ in range(4)]
    case = f.question("case")
    exam = f.exam(f.fixed_paper([case]), officers=officers, double_marking=True)
    for o in officers:
        f.attempt(exam, o, responses={case: "答"})

    assigned = grading_services.marking_assign(exam=exam, graders=graders[:2], actor=graders[0])

    assert assigned == 8
    per_grader = {g.pk: MarkingTask.objects.filter(grader=g).count() for g in graders[:2]}
    assert sorted(per_grader.values()) == [4, 4]
    for item_id in MarkingTask.objects.values_list("item", flat=True).distinct():
        assert MarkingTask.objects.filter(item=item_id).values("grader").distinct().count() == 2


def test_later_answers_go_to_the_exams_graders_and_a_task_can_be_reassigned(officer, graders):
    exam, case = case_exam(officer)
    other = OfficerFactory()
    exam.officers.add(other)
    f.attempt(exam, officer, responses={case: "答"})
    grading_services.marking_assign(exam=exam, graders=graders[:2], actor=graders[0])

    late = f.attempt(exam, other, responses={case: "答"})  # submitted after the assignment

    task = MarkingTask.objects.get(item__attempt=late)
    assert task.grader == graders[1]  # the less loaded one
    grading_services.marking_reassign(task=task, grader=graders[2], actor=graders[0])
    task.refresh_from_db()
    assert task.grader == graders[2]


def test_reassigning_round_two_to_the_round_one_grader_is_refused(officer, graders):
    exam, case = case_exam(officer, double_marking=True)
    f.attempt(exam, officer, responses={case: "答"})
    grading_services.marking_assign(exam=exam, graders=graders[:2], actor=graders[0])
    r1, r2 = MarkingTask.objects.order_by("round")
    with pytest.raises(GradingRefused):
        grading_services.marking_reassign(task=r2, grader=r1.grader, actor=graders[0])


# --- credit exactly once ---------------------------------------------------------------------------------------


def test_two_passing_attempts_credit_once(officer):
    single = f.question("single")
    exam = f.exam(
        f.fixed_paper([single]),
        officers=[officer],
        pass_score=D("2"),
        attempts_allowed=2,
        credit_category="law_exam",
        credit_hours=D("40"),
    )
    f.attempt(exam, officer, responses={single: "D"})
    f.attempt(exam, officer, responses={single: "D"})
    assert Attempt.objects.filter(officer=officer, passed=True).count() == 2
    assert CreditEntry.objects.filter(officer=officer).count() == 1
    assert credit_sum(officer) == D("40.00")


# --- regrade ---------------------------------------------------------------------------------------------------


def correct_key(question, key: str, actor):
    data = selectors.question_data(question)
    for index, option in enumerate(data.options):
        option.correct = "ABCD"[index] == key
    from exams import services

    return services.question_update(question=question, data=data, actor=actor, note="更正答案")


def test_regrade_after_a_key_correction_flips_pass_and_the_credit(graders):
    trainer = graders[0]
    single, tf = f.question("single"), f.question("true_false")  # key D; 2 + 2 points, pass 4
    passer, failer = OfficerFactory(name="甲"), OfficerFactory(name="乙")
    exam = f.exam(
        f.fixed_paper([single, tf]),
        officers=[passer, failer],
        pass_score=D("4"),
        credit_category="law_exam",
        credit_hours=D("40"),
    )
    a_pass = f.attempt(exam, passer, responses={single: "D", tf: True})
    a_fail = f.attempt(exam, failer, responses={single: "C", tf: True})
    assert (a_pass.passed, a_fail.passed) == (True, False)
    assert credit_sum(passer) == D("40.00")

    correct_key(single, "C", trainer)  # the key was wrong: 七日 is C
    regrade = grading_services.exam_regrade(exam=exam, question=single, actor=trainer, reason="答案有误")

    a_pass.refresh_from_db(), a_fail.refresh_from_db()
    assert (a_pass.score, a_pass.passed, a_fail.score, a_fail.passed) == (D("2.00"), False, D("4.00"), True)
    assert credit_sum(passer) == 0 and credit_sum(failer) == D("40.00")  # reversed, granted
    assert CreditEntry.objects.filter(officer=passer).count() == 2  # the grant stays, a reversal is added
    item = a_pass.items.get(question=single)
    assert item.version.number == 2 and item.content["options"][2]["correct"] is True
    changes = {c["attempt"]: c for c in Regrade.objects.get(pk=regrade.pk).changes}
    assert (changes[a_pass.pk]["before"], changes[a_pass.pk]["after"]) == ("4.00", "2.00")
    assert (changes[a_pass.pk]["passed_before"], changes[a_pass.pk]["passed_after"]) == (True, False)
    assert (changes[a_fail.pk]["passed_before"], changes[a_fail.pk]["passed_after"]) == (False, True)

    correct_key(single, "D", trainer)  # and back again: the credit is granted anew, once
    grading_services.exam_regrade(exam=exam, question=single, actor=trainer, reason="恢复原答案")
    assert credit_sum(passer) == D("40.00") and credit_sum(failer) == 0


def test_regrade_needs_a_reason_and_a_question_of_the_exam(officer, graders):
    single, other = f.question("single"), f.question("single")
    exam = f.exam(f.fixed_paper([single]), officers=[officer])
    f.attempt(exam, officer, responses={single: "D"})
    with pytest.raises(GradingRefused):
        grading_services.exam_regrade(exam=exam, question=single, actor=graders[0], reason=" ")
    with pytest.raises(GradingRefused):
        grading_services.exam_regrade(exam=exam, question=other, actor=graders[0], reason="更正")


# --- release ---------------------------------------------------------------------------------------------------


def test_scores_shown_after_close_are_released_by_the_periodic_task(officer):
    single = f.question("single")
    exam = f.exam(f.fixed_paper([single]), officers=[officer], show_score=ReviewWhen.CLOSE)
    attempt = f.attempt(exam, officer, responses={single: "D"})
    assert attempt.state == Attempt.State.GRADED

    assert grading_services.attempt_release_due(now=exam.closes_at - dt.timedelta(minutes=1)) == 0
    assert grading_services.attempt_release_due(now=exam.closes_at + dt.timedelta(minutes=1)) == 1
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.RELEASED and attempt.released_at is not None


def test_never_shown_scores_are_never_released(officer):
    single = f.question("single")
    exam = f.exam(f.fixed_paper([single]), officers=[officer], show_score=ReviewWhen.NEVER)
    f.attempt(exam, officer, responses={single: "D"})
    assert grading_services.attempt_release_due(now=exam.closes_at + dt.timedelta(days=30)) == 0


# --- officer_passed_exam_kind ----------------------------------------------------------------------------------


def test_officer_passed_exam_kind(officer):
    single = f.question("single")
    year = timezone.localdate().year
    exam = f.exam(f.fixed_paper([single]), officers=[officer], pass_score=D("2"))
    assert not selectors.officer_passed_exam_kind(officer=officer, kind=Exam.Kind.ANNUAL, year=year)
    f.attempt(exam, officer, responses={single: "A"})  # failed
    assert not selectors.officer_passed_exam_kind(officer=officer, kind=Exam.Kind.ANNUAL, year=year)
    f.attempt(exam, officer, responses={single: "D"})
    assert selectors.officer_passed_exam_kind(officer=officer, kind=Exam.Kind.ANNUAL, year=year)
    assert not selectors.officer_passed_exam_kind(officer=officer, kind=Exam.Kind.ANNUAL, year=year - 1)
    assert not selectors.officer_passed_exam_kind(officer=officer, kind=Exam.Kind.QUALIFICATION, year=year)
    Exam.objects.filter(pk=exam.pk).update(status=Exam.Status.CANCELLED)
    assert not selectors.officer_passed_exam_kind(officer=officer, kind=Exam.Kind.ANNUAL, year=year)


# --- statistics ------------------------------------------------------------------------------------------------


def test_item_statistics_on_a_hand_computable_example():
    """Four attempts, two single-choice questions of 2 points (keys D), pass 2.

    totals: o1 4 (q1 right, q2 right), o2 2 (q1 right), o3 2 (q2 right), o4 0.
    P(q1) = (1+1+0+0)/4 = 0.5; P(q2) = (1+0+1+0)/4 = 0.5.
    Groups: round(0.27*4) = 1 attempt each: upper o1, lower o4 → D(q1) = 1-0 = 1, D(q2) = 1-0 = 1.
    """
    q1, q2 = f.question("single"), f.question("single")
    officers = [OfficerFactory() for _ in range(4)]
    exam = f.exam(f.fixed_paper([q1, q2]), officers=officers, pass_score=D("2"))
    answers = [("D", "D"), ("D", "A"), ("A", "D"), ("A", "A")]
    for o, (a1, a2) in zip(officers, answers, strict=True):
        f.attempt(exam, o, responses={q1: a1, q2: a2})

    attempts = list(Attempt.objects.filter(exam=exam))
    stats = {row["question"]: row for row in grading_selectors.question_statistics(attempts=attempts)}
    assert (stats[q1.pk]["p"], stats[q1.pk]["d"], stats[q1.pk]["n"]) == (0.5, 1.0, 4)
    assert (stats[q2.pk]["p"], stats[q2.pk]["d"]) == (0.5, 1.0)

    summary = grading_selectors.results_summary(rows=grading_selectors.results_rows(attempts=attempts))
    assert summary == {"officers": 4, "graded": 4, "passed": 3, "pass_rate": 75.0, "mean": D("2.00")}


def test_discrimination_of_an_item_the_weak_answer_right():
    """Ten attempts; q2 is answered right only by two of the weakest: a negative D. Groups: round(2.7) = 3.

    o0..o6: q1 right, q2 wrong → 4; o7: both wrong → 0; o8, o9: q1 wrong, q2 right → 2.
    P(q1) = 7/10 = 0.7; P(q2) = 2/10 = 0.2.
    upper 3: three of the 4-point attempts (q1 1, q2 0); lower 3: o7, o8, o9 (q1 0, q2 2/3).
    D(q1) = 1 - 0 = 1; D(q2) = 0 - 2/3 = -0.67.
    """
    q1 = f.question("single", points=D("4"))
    q2 = f.question("single", points=D("2"))
    officers = [OfficerFactory() for _ in range(10)]
    exam = f.exam(f.fixed_paper([q1, q2]), officers=officers, pass_score=D("4"))
    for i, o in enumerate(officers):
        f.attempt(exam, o, responses={q1: "D" if i < 7 else "A", q2: "D" if i >= 8 else "A"})
    stats = {
        row["question"]: row
        for row in grading_selectors.question_statistics(attempts=list(Attempt.objects.filter(exam=exam)))
    }
    assert stats[q1.pk]["p"] == 0.7 and stats[q1.pk]["d"] == 1.0
    assert stats[q2.pk]["p"] == 0.2 and stats[q2.pk]["d"] == -0.67


def test_a_wrong_exam_answer_lands_in_the_real_wrong_book(officer):
    from exams.models import WrongBookEntry

    single, tf = f.question("single"), f.question("true_false")
    exam = f.exam(f.fixed_paper([single, tf]), officers=[officer])
    f.attempt(exam, officer, responses={single: "B", tf: True})
    entries = list(WrongBookEntry.objects.filter(officer=officer, cleared_at__isnull=True))
    assert [(e.question_id, e.source) for e in entries] == [(single.pk, "exam")]

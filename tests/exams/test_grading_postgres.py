"""Marking races on PostgreSQL: two graders marking the last two open answers of one attempt at the same moment
must leave it settled (not stuck in SUBMITTED because each saw the other's answer still open), with the credit
written once."""

from decimal import Decimal

import pytest
from django.db import connection

from exams.models import Attempt, MarkingTask
from exams.services import grading as grading_services
from learning.models import CreditEntry
from org.models import RoleGrant
from tests.concurrency import run_together
from tests.exams import factories as f
from tests.factories import OfficerFactory, RoleCategoryFactory, UserFactory, grant


def _race(calls):
    return run_together(*calls)[1]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("double", [False, True])
def test_concurrent_marks_settle_the_attempt_once(double):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL)")
    from content.services import credit_category_ensure

    credit_category_ensure(code="law_exam", name="学法考试")
    officer = OfficerFactory(role_category=RoleCategoryFactory())
    graders = []
    for name in ("pg-grader-a", "pg-grader-b"):
        user = UserFactory(username=name)
        grant(user, RoleGrant.Role.TRAINER)
        graders.append(user)
    if double:  # one answer, rounds 1 and 2 marked at once: the mean
        questions = [f.question("case", points=Decimal("10"))]
    else:  # two answers, one grader each
        questions = [f.question("case", points=Decimal("10")), f.question("case", points=Decimal("10"))]
    exam = f.exam(
        f.fixed_paper(questions),
        officers=[officer],
        pass_score=Decimal("6"),
        double_marking=double,
        credit_category="law_exam",
        credit_hours=Decimal("40"),
    )
    attempt = f.attempt(exam, officer, responses={q: "答" for q in questions})
    grading_services.marking_assign(exam=exam, graders=graders, actor=graders[0])
    tasks = list(MarkingTask.objects.filter(item__attempt=attempt).select_related("grader"))
    assert len(tasks) == 2 and tasks[0].grader != tasks[1].grader

    errors = _race([lambda t=t: grading_services.marking_mark(task=t, grader=t.grader, score="7") for t in tasks])

    assert not errors
    attempt.refresh_from_db()
    assert attempt.state in (Attempt.State.GRADED, Attempt.State.RELEASED)
    assert attempt.score == (Decimal("7.00") if double else Decimal("14.00"))
    assert CreditEntry.objects.filter(officer=officer, source_kind="exam").count() == 1

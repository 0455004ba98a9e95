"""exams/access.py: one helper per kind of object, for views and the websocket alike; services check their actor."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from exams.access import access_exam, access_own_attempt
from exams.services.attempts import AttemptRefused, attempt_extend, attempt_force_submit, attempt_start
from tests.exams import factories as f
from tests.factories import OfficerFactory, RoleCategoryFactory, UserFactory, grant


@pytest.fixture
def sitting(db):
    officer = OfficerFactory(role_category=RoleCategoryFactory())
    exam = f.exam(f.fixed_paper([f.question("single")]), officers=[officer])
    return exam, attempt_start(exam=exam, officer=officer)


def test_own_attempt_only(sitting):
    exam, attempt = sitting
    assert access_own_attempt(attempt.officer.user, attempt.pk) == attempt
    trainer = UserFactory(username="trainer-a")
    grant(trainer, "trainer")
    for user, pk in ((trainer, attempt.pk), (attempt.officer.user, 2**70), (attempt.officer.user, "x")):
        with pytest.raises(Http404):
            access_own_attempt(user, pk)


def test_exam_actions_by_role(sitting):
    exam, attempt = sitting
    trainer = UserFactory(username="trainer-b")
    grant(trainer, "trainer")
    assert access_exam(trainer, exam.pk, action="proctor") == exam
    with pytest.raises(PermissionDenied):
        access_exam(attempt.officer.user, exam.pk, action="monitor")
    with pytest.raises(Http404):
        access_exam(trainer, 10**9, action="results")


def test_proctor_services_refuse_an_actor_who_may_not_proctor(sitting):
    """attempt_extend and attempt_force_submit used to trust their caller."""
    exam, attempt = sitting
    colleague = OfficerFactory(role_category=RoleCategoryFactory())
    with pytest.raises(AttemptRefused, match="监考"):
        attempt_extend(attempt=attempt, minutes=10, actor=colleague.user, reason="帮同事延时")
    with pytest.raises(AttemptRefused, match="监考"):
        attempt_force_submit(attempt=attempt, actor=colleague.user, reason="恶作剧")
    deadline = attempt.deadline
    attempt.refresh_from_db()
    assert attempt.state == attempt.State.IN_PROGRESS and attempt.deadline == deadline

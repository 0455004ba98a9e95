"""Journey: an officer's case-analysis answer waits for marking; a trainer marks it in the browser (anonymous
page: answer and rubric, no name); the officer then sees the released result with the score and the comment."""

from decimal import Decimal

import pytest

from exams.models import Attempt, MarkingTask
from exams.services import grading as grading_services
from org.models import RoleGrant
from tests.e2e.conftest import PC
from tests.exams import factories as f
from tests.factories import PASSWORD, OfficerFactory, grant, unit

pytestmark = pytest.mark.e2e


def test_trainer_marks_a_case_answer_and_the_officer_sees_the_released_result(page, live_server, login):
    squad = unit("测试区城管局/执法一中队")
    officer = OfficerFactory(name="周晓东", employee_no="E2E101", unit=squad)
    trainer = OfficerFactory(name="培训师", employee_no="E2E900", unit=unit("测试区城管局/法制科"))
    grant(trainer.user, RoleGrant.Role.TRAINER)
    single = f.question("single")
    case = f.question("case", points=Decimal("10"))
    exam = f.exam(
        f.fixed_paper([single, case]),
        officers=[officer],
        pass_score=Decimal("6"),
        created_by=trainer.user,
        title="2026年度学法考试(案例)",
    )
    attempt = f.attempt(exam, officer, responses={single: "D", case: "应先责令改正,并告知其陈述、申辩的权利。"})
    grading_services.marking_assign(exam=exam, graders=[trainer.user], actor=trainer.user)
    assert attempt.state == Attempt.State.SUBMITTED

    # The officer first sees that marking is under way.
    login(page, live_server, officer.employee_no, PASSWORD)
    page.goto(f"/exams/attempts/{attempt.pk}/result/")
    assert page.locator("#result-summary").inner_text().count("阅卷中") == 1

    # The trainer marks it, on a PC.
    page.context.clear_cookies()
    page.set_viewport_size(PC)
    login(page, live_server, trainer.employee_no, PASSWORD)
    page.goto("/exams/grading/")
    with page.expect_navigation():
        page.locator("#pending a.button").first.click()
    assert "应先责令改正" in page.locator("#answer").inner_text()
    assert "周晓东" not in page.content()
    page.fill("#id_score", "7.5")
    page.fill("#id_comment", "程序要点齐全,依据引用不够具体。")
    with page.expect_navigation():
        page.click("#mark-form button[type=submit]")
    assert page.url.endswith("/exams/grading/")
    assert "暂无待评答卷" in page.locator("#pending").inner_text()
    assert MarkingTask.objects.get().score == Decimal("7.50")

    # The officer sees the released result, on a phone.
    page.context.clear_cookies()
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, live_server, officer.employee_no, PASSWORD)
    page.goto(f"/exams/attempts/{attempt.pk}/result/")
    summary = page.locator("#result-summary").inner_text()
    assert "9.50 / 12.00" in summary and "通过" in summary and "未通过" not in summary
    assert "依据引用不够具体" in page.locator("#item-2").inner_text()
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.RELEASED

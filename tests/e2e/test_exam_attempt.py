"""An officer sits an exam in a real (phone-sized) browser while the network drops: answers given offline stay
in the browser, survive a reload while the server is unreachable, are resent when the network returns, and
every answer is in the database after submitting."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from exams.models import Attempt, AttemptItem
from tests.exams import factories as f
from tests.factories import PASSWORD, OfficerFactory, RoleCategoryFactory, unit

pytestmark = pytest.mark.e2e

SAVED = "已保存"
OFFLINE = "离线,答案已暂存在本机"


def _responses(attempt: Attempt) -> dict[str, object]:
    return {i.content["kind"]: i.response for i in AttemptItem.objects.filter(attempt=attempt)}


def test_answers_survive_a_network_drop_and_a_reload_and_all_reach_the_database(page, live_server, login):
    officer = OfficerFactory(unit=unit("测试区城管局/执法一中队/一分队"), role_category=RoleCategoryFactory())
    questions = [f.question(kind) for kind in ("single", "multiple", "true_false", "blank", "case")]
    exam = f.exam(f.fixed_paper(questions, shuffle_options=False), officers=[officer])

    login(page, live_server, officer.employee_no, PASSWORD)
    page.goto(f"/exams/{exam.pk}/")
    with page.expect_navigation():
        page.locator("#start").click()
    attempt = Attempt.objects.get(exam=exam, officer=officer)
    assert page.url.endswith(f"/exams/attempts/{attempt.pk}/")
    sections = {i.content["kind"]: page.locator(f"#q-{i.pk}") for i in attempt.items.all()}
    status = page.locator("#attempt-status")
    expect(page.locator("#attempt-timer")).to_have_text(re.compile(r"^\d+:\d\d"))

    # One question per screen: answer the first two, moving on with 下一题.
    sections["single"].locator("label", has_text="二日").click()
    expect(status).to_have_text(SAVED)
    sections["single"].get_by_role("button", name="下一题").click()
    expect(sections["single"]).to_be_hidden()
    sections["multiple"].locator("label", has_text="罚款").click()
    sections["multiple"].locator("label", has_text="警告、通报批评").click()
    expect(status).to_have_text(SAVED)
    assert _responses(attempt)["single"] == "D"
    assert sorted(_responses(attempt)["multiple"]) == ["A", "B"]

    # The network drops: answers keep coming, the page says they are kept on the device.
    page.context.set_offline(True)
    page.locator("#attempt-mode-toggle").click()  # whole paper on one page
    sections["true_false"].locator("label", has_text="正确").click()
    sections["blank"].locator("input.attempt-blank").fill("事实")
    sections["case"].locator("textarea").fill("依据《城市市容和环境卫生管理条例》第十四条,先责令改正。")
    sections["single"].locator("label", has_text="三日").click()  # changes an answer already saved
    expect(status).to_have_text(OFFLINE)
    saved = _responses(attempt)
    assert saved["true_false"] is None and saved["blank"] is None and saved["single"] == "D"

    # Reload while the server still cannot be reached for answers: the page restores them from the device.
    page.route(re.compile(r"/exams/attempts/\d+/(answers|state)/"), lambda route: route.abort())
    page.context.set_offline(False)
    page.reload()
    page.locator("#attempt-mode-toggle").click()
    expect(status).to_have_text(OFFLINE)
    expect(sections["true_false"].locator("input[value=true]")).to_be_checked()
    expect(sections["blank"].locator("input.attempt-blank")).to_have_value("事实")
    expect(sections["single"].locator("input[value=A]")).to_be_checked()
    expect(page.locator(".sheet-cell.answered")).to_have_count(5)

    # The network is back: the page resends everything it holds.
    page.unroute(re.compile(r"/exams/attempts/\d+/(answers|state)/"))
    page.context.set_offline(True)
    page.context.set_offline(False)  # the browser's "online" event
    expect(status).to_have_text(SAVED)
    saved = _responses(attempt)
    assert saved["single"] == "A"
    assert saved["true_false"] is True and saved["blank"] == "事实"
    assert saved["case"].startswith("依据《城市市容和环境卫生管理条例》")

    # Submit: the confirm counts what is left unanswered (nothing), then the result page.
    page.locator("#attempt-submit").click()
    expect(page.locator("#attempt-confirm-text")).to_contain_text("所有题目都已作答")
    with page.expect_navigation():
        page.locator("#attempt-confirm-yes").click()
    assert page.url.endswith(f"/exams/attempts/{attempt.pk}/result/")
    attempt.refresh_from_db()
    assert attempt.state != Attempt.State.IN_PROGRESS and attempt.finished_by == Attempt.FinishedBy.OFFICER
    final = _responses(attempt)
    assert final["single"] == "A" and sorted(final["multiple"]) == ["A", "B"] and final["true_false"] is True
    assert final["blank"] == "事实" and final["case"].endswith("先责令改正。")
    assert page.evaluate(f"window.localStorage.getItem('zfxt.attempt.{attempt.pk}')") is None


def test_session_expiry_keeps_the_answer_and_the_page_resends_it_after_login_again(page, live_server, login):
    from exams.services.attempts import attempt_start

    officer = OfficerFactory(unit=unit("测试区城管局/执法一中队/一分队"), role_category=RoleCategoryFactory())
    questions = [f.question(kind) for kind in ("single", "true_false")]
    exam = f.exam(f.fixed_paper(questions, shuffle_options=False), officers=[officer], one_question_per_page=False)
    attempt = attempt_start(exam=exam, officer=officer)
    sections = {i.content["kind"]: page.locator(f"#q-{i.pk}") for i in attempt.items.all()}

    login(page, live_server, officer.employee_no, PASSWORD)
    page.goto(f"/exams/attempts/{attempt.pk}/")
    status = page.locator("#attempt-status")
    sections["single"].locator("label", has_text="二日").click()
    expect(status).to_have_text(SAVED)

    page.context.clear_cookies()  # the session is gone (expired, or logged out elsewhere)
    sections["true_false"].locator("label", has_text="错误").click()
    expect(status).to_have_text("登录已过期,请重新登录,答案已暂存")
    assert _responses(attempt)["true_false"] is None

    with page.expect_navigation():
        page.locator("#attempt-login a").click()
    page.fill("#id_login", officer.employee_no)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.press("#id_password", "Enter")
    assert page.url.endswith(f"/exams/attempts/{attempt.pk}/")
    expect(sections["true_false"].locator("input[value=false]")).to_be_checked()
    expect(status).to_have_text(SAVED)
    assert _responses(attempt) == {"single": "D", "true_false": False}


def test_result_page_shows_grading_until_the_task_worker_has_graded(page, live_server, login, settings):
    """Production's shape (a task queue): submit answers at once, the result page says 评分中 and reloads itself; once
    the worker has graded, the score appears without the officer doing anything."""
    from exams.services.attempts import attempt_start
    from exams.tasks import grade_attempt

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    officer = OfficerFactory(unit=unit("测试区城管局/执法一中队/一分队"), role_category=RoleCategoryFactory())
    tf = f.question("true_false")
    exam = f.exam(f.fixed_paper([tf], shuffle_options=False), officers=[officer], pass_score=2)
    attempt = attempt_start(exam=exam, officer=officer)

    login(page, live_server, officer.employee_no, PASSWORD)
    page.goto(f"/exams/attempts/{attempt.pk}/")
    page.locator(f"#q-{attempt.items.get().pk}").locator("label", has_text="正确").click()
    expect(page.locator("#attempt-status")).to_contain_text(SAVED)
    page.locator("#attempt-submit").click()
    with page.expect_navigation():
        page.locator("#attempt-confirm-yes").click()
    expect(page.locator("#grading")).to_contain_text("评分中")
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.SUBMITTED and attempt.scored_at is None

    assert grade_attempt.call(attempt.pk) is True  # what the worker does after the submit's commit
    expect(page.locator("#result-summary")).to_contain_text("得分 2.00 / 2.00", timeout=10000)
    expect(page.locator("#grading")).to_have_count(0)

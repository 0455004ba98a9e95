"""A trainer builds a draw paper, creates and publishes an exam for a squad; an officer of the squad sees it in
我的考试 and on the exam's entry page, an officer of another squad does not."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from exams.models import Exam
from tests.e2e.conftest import PC
from tests.exams import factories as f
from tests.factories import PASSWORD, OfficerFactory, UserFactory, grant, unit

pytestmark = pytest.mark.e2e

BUREAU = "测试区城管局"
TITLE = "2026年度执法一中队学法考试"


def test_trainer_publishes_a_draw_exam_and_the_squad_sees_it(page, browser, live_server, login):
    squad = unit(f"{BUREAU}/执法一中队")
    mine = OfficerFactory(employee_no="BJ1001", name="张伟", unit=unit(f"{BUREAU}/执法一中队/一分队"))
    OfficerFactory(employee_no="BJ2001", name="刘洋", unit=unit(f"{BUREAU}/执法二中队"))
    trainer = UserFactory(username="trainer01")
    grant(trainer, "trainer")
    for n in range(6):
        f.question("single", stem=f"单选题{n}:当场作出行政处罚决定后几日内备案?")
    for n in range(4):
        f.question("true_false", stem=f"判断题{n}:执法人员调查时不得少于两人。")

    page.set_viewport_size(PC)
    login(page, live_server, "trainer01", PASSWORD)
    page.goto("/exams/papers/new/")
    page.fill("#id_title", "执法一中队学法考试卷")
    page.select_option("#id_mode", "draw")
    with page.expect_navigation():
        page.click("#paper-form button[type=submit]")

    # Rules, with the live count of what the bank can give.
    page.select_option("#rule-form select[name=kind]", "single")
    expect(page.locator("#rule-available")).to_contain_text("6", timeout=15000)  # a locator wait (CSP: no eval)
    page.fill("#rule-form input[name=count]", "5")
    page.fill("#rule-form input[name=points_each]", "10")
    with page.expect_navigation():
        page.click("#rule-form button[type=submit]")
    page.select_option("#rule-form select[name=kind]", "true_false")
    expect(page.locator("#rule-available")).to_contain_text("4", timeout=15000)
    page.fill("#rule-form input[name=count]", "5")
    page.fill("#rule-form input[name=points_each]", "10")
    with page.expect_navigation():
        page.click("#rule-form button[type=submit]")
    assert "只有 4 道" in page.locator("#paper-check").inner_text()
    page.locator("#paper-rules a", has_text="修改").last.click()
    page.fill("input[name=count]", "4")
    page.fill("input[name=points_each]", "12.5")
    with page.expect_navigation():
        page.click("#rule-form button[type=submit]")
    check = page.locator("#paper-check").inner_text()
    assert "共 9 道题,总分 100 分" in check and "检查通过" in check

    # The exam, for the squad, open now.
    page.get_by_role("link", name="用此试卷建考试").click()
    now = timezone.localtime()
    page.fill("#id_title", TITLE)
    page.select_option("#id_kind", "annual")
    page.fill("#id_opens_at", (now - dt.timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_closes_at", (now + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_duration_minutes", "60")
    page.fill("#id_pass_score", "60")
    page.check(f"input[name=units][value='{squad.pk}']")
    with page.expect_navigation():
        page.click("#exam-form button[type=submit]")
    assert page.locator("#exam-status").inner_text() == "草稿"
    assert page.locator("#audience-size").inner_text().startswith("1 人")  # the squad's one officer
    with page.expect_navigation():
        page.click("#publish")
    assert page.locator("#exam-status").inner_text() == "已发布"
    assert Exam.objects.get(title=TITLE).status == Exam.Status.PUBLISHED

    # The officer of the squad, on a phone.
    officer_context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", base_url=live_server.url)
    officer_page = officer_context.new_page()
    login(officer_page, live_server, mine.employee_no, PASSWORD)
    officer_page.goto("/exams/mine/")
    assert TITLE in officer_page.locator("#exams-open").inner_text()
    officer_page.locator("#exams-open a", has_text=TITLE).click()
    assert officer_page.locator("h1").inner_text() == TITLE
    assert "9 道题,满分 100 分" in officer_page.locator("dl.facts").inner_text()
    assert officer_page.locator("#start").is_visible()
    officer_context.close()

    other_context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", base_url=live_server.url)
    other_page = other_context.new_page()
    login(other_page, live_server, "BJ2001", PASSWORD)
    other_page.goto("/exams/mine/")
    assert TITLE not in other_page.content()
    other_context.close()

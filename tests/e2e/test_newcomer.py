"""Issue #12 in a real browser on a phone: what a newcomer tripped over, checked as they would see it."""

from __future__ import annotations

import pytest

from tests.factories import PASSWORD, OfficerFactory, grant, unit

pytestmark = pytest.mark.e2e

BUREAU = "测试区城管局"


@pytest.fixture
def world(_e2e_db):
    """A published course with two lessons (one studied for 2.5 minutes), an officer and a unit leader."""
    from content import services as content_services
    from learning.models import LessonProgress
    from tests.content.conftest import make_course, make_lesson

    tree = content_services.content_tree_ensure()
    course = make_course(tree, title="行政处罚法精讲")
    first = make_lesson(course, title="第一讲 首违不罚", minutes=25)
    make_lesson(course, title="第二讲 听证程序", minutes=20)
    officer = OfficerFactory(employee_no="BJ0101", name="张伟", unit=unit(f"{BUREAU}/执法一中队/一分队"))
    leader = OfficerFactory(employee_no="BJ0102", name="王建国", unit=unit(f"{BUREAU}/执法一中队"))
    grant(leader.user, "unit_leader", leader.unit)
    LessonProgress.objects.create(
        officer=officer, lesson_id=first.pk, course_id=course.pk, required_seconds=25 * 60, studied_seconds=150
    )
    return {"course": course, "first": first, "officer": officer, "leader": leader}


@pytest.mark.parametrize("username", ["BJ0101", "BJ0102"])
def test_cms_without_rights_shows_a_chinese_403_page_with_the_navigation(world, page, live_server, login, username):
    login(page, live_server, username, PASSWORD)
    response = page.goto("/cms/")
    assert response.status == 403
    assert page.url == f"{live_server.url}/cms/"  # no redirect loop through the login page
    assert page.locator("h1").inner_text() == "无权访问"
    assert "没有内容管理权限" in page.locator("#denied-reason").inner_text()
    # The navigation is there (folded behind the menu button on a phone) and leads home.
    page.click("label.menu-button")
    assert page.locator("#main-nav").get_by_role("link", name="我的学习").is_visible()
    with page.expect_navigation():
        page.get_by_role("link", name="返回首页").click()
    assert page.url == f"{live_server.url}/"


def test_officer_reaches_courses_and_cases_from_the_menu(world, page, live_server, login):
    login(page, live_server, "BJ0101", PASSWORD)
    nav = page.locator("#main-nav")
    assert not nav.is_visible()  # folded on a phone
    page.click("label.menu-button")
    assert nav.is_visible()
    assert page.locator("label.menu-button").get_attribute("aria-expanded") == "true"
    with page.expect_navigation():
        nav.get_by_role("link", name="法律课程").click()
    assert page.url.endswith("/learn/courses/")
    assert page.locator("h1").inner_text() == "法律课程"
    page.click("label.menu-button")
    with page.expect_navigation():
        page.locator("#main-nav").get_by_role("link", name="案例库").click()
    assert page.url.endswith("/learn/cases/")
    # The menu is one row on a PC, without the button.
    page.set_viewport_size({"width": 1280, "height": 800})
    assert not page.locator("label.menu-button").is_visible()
    assert page.locator("#main-nav").get_by_role("link", name="法律课程").is_visible()


def test_course_page_and_my_learning_show_minutes_studied(world, page, live_server, login):
    login(page, live_server, "BJ0101", PASSWORD)
    page.goto(world["course"].url)
    assert "已学 2.5 / 45 分钟 · 完成 0/2 课时" in page.locator("#course-progress").inner_text()
    first = page.locator(f'[data-lesson-progress="{world["first"].pk}"]')
    assert "已学 2.5 / 25 分钟" in first.inner_text()
    assert first.locator("progress").get_attribute("value") == "10"
    page.goto("/learning/")
    courses = page.locator("#my-courses")
    assert "第一讲 首违不罚:已学 2.5 / 25 分钟" in courses.inner_text()
    assert courses.locator("progress").first.get_attribute("value") == "5"  # 2.5 of 45 minutes, not 0%


def test_home_says_no_hour_requirement_and_the_favicon_loads(world, page, live_server, login):
    login(page, live_server, "BJ0101", PASSWORD)
    assert page.locator("#no-rules").inner_text() == "本年度未设学时要求"
    icon = page.locator('link[rel="icon"]').get_attribute("href")
    assert page.request.get(f"{live_server.url}{icon}").ok
    assert page.request.get(f"{live_server.url}/favicon.ico").ok  # browsers ask for it without a link too


def test_leader_unit_picker_and_table_fit_a_phone(world, page, live_server, login):
    login(page, live_server, "BJ0102", PASSWORD)
    page.goto("/learning/unit/")
    picker = page.locator("details.unit-picker")
    assert picker.get_attribute("open") is None  # folded on a phone, the table comes first
    picker.locator("summary").click()
    assert picker.get_by_role("link", name="执法一中队").is_visible()
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 390
    # The table scrolls inside its box, its first column stays in view.
    first_cell = page.locator("#unit-hours tbody tr td").first
    assert first_cell.evaluate("el => getComputedStyle(el).position") == "sticky"

"""An officer studies a real lesson page in a real browser: the widget beats, a check question pauses the
clock until answered, the lesson completes, and the hours on the home card rise. Uses the shared fixtures of
tests/e2e/conftest.py (`page` is a phone-sized context on the live server, `login` the real login form)."""

import pytest

from content import services as content_services
from tests.content.conftest import lesson_body, make_course, make_lesson
from tests.factories import PASSWORD, OfficerFactory, unit

pytestmark = pytest.mark.e2e


def test_officer_studies_a_lesson_and_sees_hours_rise(page, live_server, login, settings):
    # A 30-minute lesson studied at 0.4 s per credited minute: 12 s of real time, heartbeats every 2 s.
    settings.LEARNING_SECONDS_PER_MINUTE = 0.4
    settings.LEARNING_HEARTBEAT_SECONDS = 2
    settings.LEARNING_MAX_GAP_SECONDS = 10
    tree = content_services.content_tree_ensure()
    course = make_course(tree, title="行政处罚法精讲(速学)")
    lesson = make_lesson(course, title="第一讲 首违不罚", minutes=30, body=lesson_body())
    officer = OfficerFactory(unit=unit("测试区城管局/执法一中队/一分队"))

    login(page, live_server, officer.employee_no, PASSWORD)
    page.goto("/")
    assert page.locator("#card-hours #hours-total").inner_text() == "0"

    page.goto(lesson.url)
    page.locator("#study-panel").wait_for(state="visible")
    answered = False
    for step in range(180):  # at most ~90 s; normally ~15 s
        page.mouse.move(50 + step % 7, 300 + step % 5)  # the officer is using the page
        if page.locator("#study-check").is_visible():  # asked at random times, maybe more than once
            assert "首次轻微违法" in page.locator("#study-check-prompt").inner_text()
            if not answered:
                page.get_by_role("button", name="罚款").click()  # wrong: the clock stays paused
                page.locator("#study-check-wrong").wait_for(state="visible")
            page.get_by_role("button", name="不予处罚").click()
            page.locator("#study-check").wait_for(state="hidden")
            answered = True
        if page.locator("#study-done").is_visible():
            break
        page.wait_for_timeout(500)
    state = page.locator("#study-widget").evaluate("w => JSON.stringify(w.dataset) + w.innerText")
    assert answered, f"the server never asked the check question: {state}"
    assert page.locator("#study-done").is_visible(), f"lesson did not complete: {state}"
    assert page.locator("#study-progress").get_attribute("value") == "100"

    page.goto("/")
    assert page.locator("#card-hours #hours-total").inner_text() == "0.50"
    page.goto("/learning/")
    assert "行政处罚法精讲(速学)" in page.locator("#my-courses").inner_text()
    assert "在线课程" in page.locator("#recent-credits").inner_text()

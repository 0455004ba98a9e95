"""An officer reads a lesson on a phone-sized screen (390x844) in a real browser (shared fixtures of
tests/e2e/conftest.py: `page` is a phone-sized context on the live server)."""

import datetime as dt

import pytest

from content import services
from tests.content.conftest import lesson_body, make_course, make_lesson
from tests.factories import PASSWORD, OfficerFactory, unit

pytestmark = pytest.mark.e2e


def test_officer_reads_lesson_on_phone(page, live_server, login):
    tree = services.content_tree_ensure()
    law = services.law_ensure(
        title="中华人民共和国行政处罚法", issuing_body="全国人民代表大会常务委员会", effective_on=dt.date(2021, 7, 15)
    )
    article = services.article_ensure(
        law=law,
        number=33,
        label="第三十三条",
        text="违法行为轻微并及时改正,没有造成危害后果的,不予行政处罚。",
        effective_from=law.effective_on,
    )
    course = make_course(tree)
    lesson = make_lesson(course, body=lesson_body(article))
    officer = OfficerFactory(unit=unit("测试区城管局/执法一中队/一分队"))

    login(page, live_server, officer.employee_no, PASSWORD)
    assert page.viewport_size == {"width": 390, "height": 844}
    page.goto(course.url)
    page.get_by_role("link", name=lesson.title).click()
    page.wait_for_url("**" + lesson.url)
    assert page.get_by_role("heading", name=lesson.title).is_visible()
    quote = page.locator("blockquote.law-article")
    assert "第三十三条" in quote.inner_text() and "不予行政处罚" in quote.inner_text()
    # phone first: nothing wider than the screen
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.locator("#study-widget").get_attribute("data-lesson-id") == str(lesson.pk)
    # the check question is in the page as an inert template, without its answer
    assert page.locator("template.check-question").count() == 1
    assert "answer" not in page.content().lower()

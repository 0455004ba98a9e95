"""An officer reads a lesson on a phone-sized screen (390x844) in a real browser."""

import datetime as dt
import os

import pytest
from django.test import Client

from content import services
from tests.content.conftest import lesson_body, make_course, make_lesson
from tests.factories import OfficerFactory, unit

pytestmark = pytest.mark.e2e

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def test_officer_reads_lesson_on_phone(live_server, transactional_db, django_db_serialized_rollback):
    """serialized_rollback puts migration data (groups, categories) back for the tests after this one."""
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    tree = services.content_tree_ensure()
    services.credit_category_ensure(code="rule_of_law", name="法治教育", sort_order=10)
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
    client = Client()
    client.force_login(officer.user)
    session = client.cookies["sessionid"].value

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
            context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
            page = context.new_page()
            page.goto(live_server.url + course.url)
            page.get_by_role("link", name=lesson.title).click()
            page.wait_for_url("**" + lesson.url)
            assert page.get_by_role("heading", name=lesson.title).is_visible()
            quote = page.locator("blockquote.law-article")
            assert "第三十三条" in quote.inner_text() and "不予行政处罚" in quote.inner_text()
            # phone first: nothing wider than the screen
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 390
            assert page.locator("#study-widget").get_attribute("data-lesson-id") == str(lesson.pk)
            # the check question is in the page as an inert template, without its answer
            assert page.locator("template.check-question").count() == 1
            assert "answer" not in page.content().lower()
        finally:
            browser.close()

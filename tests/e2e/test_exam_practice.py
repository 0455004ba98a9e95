"""An officer practises on a phone: three questions with one wrong, finds it in 错题本, answers it right twice
from the book, and it leaves the book."""

import pytest

from exams.models import PracticeAnswer, WrongBookEntry
from tests.exams import factories as xf
from tests.factories import PASSWORD, OfficerFactory, unit

pytestmark = pytest.mark.e2e

CATEGORY = "行政处罚法/一般规定"


def _no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_practise_three_then_clear_the_wrong_one_from_the_book(page, live_server, login):
    officer = OfficerFactory(employee_no="BJ0101", unit=unit("测试区城管局/执法一中队"))
    single = xf.question("single", category=CATEGORY)  # correct: D 二日
    true_false = xf.question("true_false", category=CATEGORY)  # correct: 正确
    blank = xf.question("blank", category=CATEGORY)  # accepted: 事实
    login(page, live_server, "BJ0101", PASSWORD)

    page.goto("/exams/practice/")
    assert page.locator("h1").inner_text() == "刷题"
    page.screenshot(path="/tmp/e2e-practice-home.png", full_page=True)
    page.select_option("#id_scope", "all")
    page.click("#practice-go")

    # 1: single choice, right. Before answering, no verdict and no explanation on the page.
    assert page.locator("#practice-number").inner_text() == "第 1 题 / 共 3 题"
    assert page.locator("#practice-explanation").count() == 0 and page.locator("#practice-verdict").count() == 0
    assert _no_horizontal_scroll(page)
    page.get_by_label("二日").check()
    page.click("#practice-submit")
    assert page.locator("#practice-verdict").inner_text().strip() == "回答正确"
    assert "相关规定" in page.locator("#practice-explanation").inner_text()
    assert _no_horizontal_scroll(page)
    page.click("#practice-next")

    # 2: true/false, wrong.
    assert single.stem not in page.locator("#practice-stem").inner_text()
    page.get_by_label("错误").check()
    page.click("#practice-submit")
    assert page.locator("#practice-verdict").inner_text().strip() == "回答错误"
    assert "正确" in page.locator("#practice-key").inner_text()
    page.screenshot(path="/tmp/e2e-practice-feedback.png", full_page=True)
    page.click("#practice-next")

    # 3: fill in the blank, right.
    page.fill("#id_answer", "事实")
    page.click("#practice-submit")
    assert page.locator("#practice-verdict").inner_text().strip() == "回答正确"
    page.click("#practice-next")
    assert page.locator("#practice-summary").inner_text() == "共作答 3 题,答对 2 题,答错 1 题。"

    # The wrong one is in the book.
    page.get_by_role("link", name="查看错题本").click()
    assert page.locator("#wrong-open-count").inner_text() == "1"
    page.screenshot(path="/tmp/e2e-practice-wrong-book.png", full_page=True)
    groups = page.locator(".wrong-group")
    assert groups.count() == 1 and true_false.stem[:15] in groups.inner_text()
    assert single.stem[:15] not in page.content() and blank.stem[:10] not in page.content()

    # Right twice from the book: it leaves.
    page.click("#wrong-practice-all")
    assert page.locator("#practice-number").inner_text() == "第 1 题 / 共 1 题"
    page.get_by_label("正确").check()
    page.click("#practice-submit")
    assert page.locator("#practice-verdict").inner_text().strip() == "回答正确"
    page.click("#practice-next")
    page.click("#practice-again")  # 再来一组: the book again
    page.get_by_label("正确").check()
    page.click("#practice-submit")
    assert page.get_by_text("连续答对两次,这道题已移出错题本。").is_visible()
    page.click("#practice-next")

    page.goto("/exams/wrong-book/")
    assert page.locator("#wrong-open-count").inner_text() == "0"
    assert page.locator("#wrong-empty").is_visible()
    page.locator("#wrong-history summary").click()
    assert true_false.stem[:15] in page.locator("#wrong-history").inner_text()

    assert PracticeAnswer.objects.filter(officer=officer).count() == 5
    entry = WrongBookEntry.objects.get(officer=officer)
    assert entry.question_id == true_false.pk and entry.cleared_at is not None

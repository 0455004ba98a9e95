"""Issue #11 finding 1 and issue #12 (letters), in a real browser.

An answer the server refuses (a blank answer over the 20,000-character cap) costs nothing else: the valid answers
sent with it are stored, the page says next to that question and in the answer sheet why it was not saved, the
submit does not hand in until it is corrected, and then everything is in the database. The result page then shows
the options with the letters the officer saw."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from exams.models import Attempt, AttemptItem, ReviewWhen
from exams.services.attempts import MAX_TEXT
from tests.exams import factories as f
from tests.factories import PASSWORD, OfficerFactory, RoleCategoryFactory, unit

pytestmark = pytest.mark.e2e

SAVED = "已保存"
REFUSED = "有答案未能保存,请按题目旁的提示修改"


def _stored(attempt: Attempt) -> dict[str, object]:
    return {i.content["kind"]: (i.response, i.seq) for i in AttemptItem.objects.filter(attempt=attempt)}


def _type_over_the_cap(section) -> None:
    # A programmatic value skips the textarea's maxlength (as a paste or an old page can): the server decides.
    section.locator("input.attempt-blank").evaluate(
        "(el, n) => { el.value = '事'.repeat(n); el.dispatchEvent(new Event('input', {bubbles: true})); }",
        MAX_TEXT + 1,
    )


def test_a_refused_answer_is_shown_where_it_belongs_and_the_valid_ones_are_stored(page, live_server, login):
    officer = OfficerFactory(unit=unit("测试区城管局/执法一中队/一分队"), role_category=RoleCategoryFactory())
    questions = [f.question(kind) for kind in ("multiple", "blank", "true_false")]
    exam = f.exam(
        f.fixed_paper(questions, shuffle_options=False),
        officers=[officer],
        one_question_per_page=False,
        show_score=ReviewWhen.SUBMIT,
        show_answers=ReviewWhen.SUBMIT,
    )
    login(page, live_server, officer.employee_no, PASSWORD)
    page.goto(f"/exams/{exam.pk}/")
    with page.expect_navigation():
        page.locator("#start").click()
    attempt = Attempt.objects.get(exam=exam, officer=officer)
    ids = {i.content["kind"]: i.pk for i in attempt.items.all()}
    sections = {kind: page.locator(f"#q-{pk}") for kind, pk in ids.items()}
    status = page.locator("#attempt-status")

    # Offline, three answers pile up; back online they go as ONE batch with the over-long one in it.
    page.context.set_offline(True)
    sections["multiple"].locator("label", has_text="罚款").click()
    sections["multiple"].locator("label", has_text="警告、通报批评").click()
    _type_over_the_cap(sections["blank"])
    sections["true_false"].locator("label", has_text="正确").click()
    page.context.set_offline(False)

    expect(status).to_have_text(REFUSED)
    refusal = sections["blank"].locator(".attempt-refused")
    expect(refusal).to_be_visible()
    expect(refusal).to_contain_text("超过 20000 字的上限")
    expect(sections["multiple"].locator(".attempt-refused")).to_be_hidden()
    page.locator("#attempt-sheet-toggle").click()
    cell = page.locator(f'.sheet-cell[data-item="{ids["blank"]}"]')
    expect(cell).to_have_class(re.compile(r"\brefused\b"))
    assert "上限" in cell.get_attribute("title")
    expect(page.locator(".sheet-cell.refused")).to_have_count(1)
    stored = _stored(attempt)
    assert sorted(stored["multiple"][0]) == ["A", "B"] and stored["true_false"][0] is True
    assert stored["blank"] == (None, 0)

    # Submit while it is refused: not handed in; the page says why and keeps the officer's text.
    page.locator("#attempt-submit").click()
    expect(page.locator("#attempt-confirm-text")).to_contain_text("有 1 题的答案未能保存")
    page.locator("#attempt-confirm-yes").click()
    expect(status).to_have_text(REFUSED)
    assert page.url.endswith(f"/exams/attempts/{attempt.pk}/")
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.IN_PROGRESS
    assert len(sections["blank"].locator("input.attempt-blank").input_value()) == MAX_TEXT + 1

    # A reload keeps the refused text and its reason on this device.
    page.reload()
    expect(sections["blank"].locator(".attempt-refused")).to_contain_text("上限")
    assert len(sections["blank"].locator("input.attempt-blank").input_value()) == MAX_TEXT + 1

    # Corrected, it saves; the reason goes away; the submit hands in with every answer.
    sections["blank"].locator("input.attempt-blank").fill("事实")
    expect(status).to_have_text(SAVED)
    expect(sections["blank"].locator(".attempt-refused")).to_be_hidden()
    expect(page.locator(".sheet-cell.refused")).to_have_count(0)
    expect(page.locator("#attempt-notice")).to_be_hidden()
    page.locator("#attempt-submit").click()
    with page.expect_navigation():
        page.locator("#attempt-confirm-yes").click()
    assert page.url.endswith(f"/exams/attempts/{attempt.pk}/result/")
    stored = _stored(attempt)
    assert (
        stored["blank"][0] == "事实" and stored["true_false"][0] is True and sorted(stored["multiple"][0]) == ["A", "B"]
    )


def test_the_result_page_shows_the_letters_the_officer_saw(page, live_server, login):
    officer = OfficerFactory(unit=unit("测试区城管局/执法一中队/一分队"), role_category=RoleCategoryFactory())
    exam = f.exam(
        f.fixed_paper([f.question("multiple")], shuffle_options=True),
        officers=[officer],
        one_question_per_page=False,
        show_score=ReviewWhen.SUBMIT,
        show_answers=ReviewWhen.SUBMIT,
    )
    login(page, live_server, officer.employee_no, PASSWORD)
    page.goto(f"/exams/{exam.pk}/")
    with page.expect_navigation():
        page.locator("#start").click()
    attempt = Attempt.objects.get(exam=exam, officer=officer)
    item = attempt.items.get()
    AttemptItem.objects.filter(pk=item.pk).update(option_order=["D", "B", "C", "A"])
    page.reload()
    options = page.locator(f"#q-{item.pk} .attempt-option")
    seen = [(o.locator(".opt-label").inner_text(), o.locator(".opt-text").inner_text()) for o in options.all()]
    assert seen == [("A", "暂扣许可证件"), ("B", "罚款"), ("C", "记过"), ("D", "警告、通报批评")]
    for letter in ("B", "C", "D"):
        options.filter(has=page.locator(".opt-label", has_text=letter)).locator("input").check()
    expect(page.locator("#attempt-status")).to_have_text(SAVED)
    page.locator("#attempt-submit").click()
    with page.expect_navigation():
        page.locator("#attempt-confirm-yes").click()

    review = page.locator(".result-item .options li")
    expect(review).to_have_count(4)
    assert [li.inner_text().split(" ")[0] for li in review.all()] == ["A.", "B.", "C.", "D."]
    expect(review.nth(0)).to_contain_text("暂扣许可证件")
    chosen = [li.locator(".opt-label").inner_text() for li in page.locator(".result-item .options li.chosen").all()]
    assert chosen == ["B", "C", "D"]
    expect(page.locator(".my-answer")).to_contain_text("我的答案: BCD")

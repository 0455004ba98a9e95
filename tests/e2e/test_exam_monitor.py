"""The city-wide monitor in a real browser: a trainer filters by unit, sees that unit's counts and breakdown, goes
to the second page, the page's poll keeps the filter and the page, and a proctor action works from that page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from exams.models import Attempt
from exams.selectors import exams as exam_selectors
from tests.e2e.conftest import PC
from tests.exams import factories as f
from tests.factories import PASSWORD, OfficerFactory, UserFactory, grant, unit

pytestmark = pytest.mark.e2e

BUREAU = "测试区城管局"


def test_trainer_filters_by_unit_and_proctors_from_the_second_page(page, live_server, login, monkeypatch):
    monkeypatch.setattr(exam_selectors, "MONITOR_POLL_SECONDS", 10)  # the page never polls faster than this
    squad1, squad2 = unit(f"{BUREAU}/执法一中队"), unit(f"{BUREAU}/执法二中队")
    team = unit(f"{BUREAU}/执法一中队/一分队")
    ours = [OfficerFactory(unit=team, employee_no=f"A{n:03d}", name=f"一中队队员{n}") for n in range(55)]
    OfficerFactory.create_batch(3, unit=squad2)
    exam = f.exam(f.fixed_paper([f.question("single")]), units=[squad1, squad2])
    now = timezone.now()
    last = Attempt.objects.create(
        exam=exam,
        officer=ours[-1],
        number=1,
        seed=1,
        started_at=now,
        deadline=now + dt.timedelta(minutes=50),
        last_seen_at=now,
    )
    trainer = UserFactory(username="trainer01")
    grant(trainer, "trainer")

    page.set_viewport_size(PC)
    login(page, live_server, "trainer01", PASSWORD)
    page.goto(f"/exams/manage/{exam.pk}/monitor/")
    expect(page.locator('[data-count="audience"]')).to_have_text("58")
    expect(page.locator("#monitor-units")).to_contain_text("执法二中队")

    page.select_option("#monitor-filter select[name=unit]", str(squad1.pk))
    with page.expect_navigation():
        page.click("#monitor-filter button[type=submit]")
    expect(page.locator('[data-count="audience"]')).to_have_text("55")
    expect(page.locator('[data-count="in_progress"]')).to_have_text("1")
    expect(page.locator("#monitor-units")).to_contain_text("一分队")
    expect(page.locator("#monitor-units")).not_to_contain_text("执法二中队")
    expect(page.locator("#monitor tbody tr")).to_have_count(50)
    expect(page.locator("#monitor-pager")).to_contain_text("1 / 2")

    with page.expect_navigation():
        page.click("#monitor-pager a[rel=next]")
    assert f"unit={squad1.pk}" in page.url and "page=2" in page.url
    rows = page.locator("#monitor tbody tr")
    expect(rows).to_have_count(5)
    with page.expect_response(lambda r: "monitor.json" in r.url and "page=2" in r.url, timeout=20000):
        pass  # the poll asks for the same unit and page
    expect(rows).to_have_count(5)
    expect(page.locator(f'tr[data-officer="{ours[-1].pk}"]')).to_contain_text("作答中")

    answers = iter(["考场断网"])
    page.on("dialog", lambda d: d.accept(next(answers, None)) if d.type == "prompt" else d.accept())
    page.locator(f'button[data-action="force"][data-attempt="{last.pk}"]').click()
    expect(page.locator(f'tr[data-officer="{ours[-1].pk}"]')).to_contain_text("已交卷", timeout=15000)
    last.refresh_from_db()
    assert last.state != Attempt.State.IN_PROGRESS and last.finished_by == Attempt.FinishedBy.PROCTOR

"""Exam day at city scale (issue #16), in a real browser: the entry page spreads the start over a random wait
and sends it again after a 503 + Retry-After from the door; the exam page honours one too (the answer stays
queued and is sent after the wait), and it does not ping the state while its saves keep it informed."""

from __future__ import annotations

import json
import time

import pytest
from playwright.sync_api import expect

from exams.models import Attempt, AttemptItem
from tests.exams import factories as f
from tests.factories import PASSWORD, OfficerFactory, RoleCategoryFactory, unit

pytestmark = pytest.mark.e2e

SAVED = "已保存"


def busy_once(calls: list[float], *, retry_after: int):
    """A route handler: the first request meets a full server (503 at the door with a Retry-After), the others go
    through; `calls` records when each came."""

    def handle(route):
        calls.append(time.monotonic())
        if len(calls) == 1:
            route.fulfill(
                status=503,
                headers={"Retry-After": str(retry_after), "Content-Type": "application/json"},
                body=json.dumps({"error": "系统繁忙"}),
            )
        else:
            route.continue_()

    return handle


def test_spread_start_then_a_busy_server_answer_is_retried_after_its_retry_after(page, live_server, login, settings):
    settings.EXAM_START_SPREAD_SECONDS = 2
    officer = OfficerFactory(unit=unit("测试区城管局/执法一中队/一分队"), role_category=RoleCategoryFactory())
    questions = [f.question(kind) for kind in ("single", "true_false")]
    exam = f.exam(f.fixed_paper(questions, shuffle_options=False), officers=[officer])

    login(page, live_server, officer.employee_no, PASSWORD)
    page.goto(f"/exams/{exam.pk}/")
    starts = []
    page.route("**/start/", busy_once(starts, retry_after=1))  # the page waits Retry-After and sends it again
    page.locator("#start").click()
    expect(page.locator("#start-wait")).to_be_visible()  # the random wait before the start request
    expect(page.locator("#start-busy")).to_be_visible(timeout=10000)
    page.wait_for_url("**/exams/attempts/*/", timeout=15000)
    attempt = Attempt.objects.get(exam=exam, officer=officer)
    assert page.url.endswith(f"/exams/attempts/{attempt.pk}/")
    assert len(starts) == 2 and starts[1] - starts[0] >= 0.9  # sent again only after Retry-After

    saves, pings = [], []
    page.on("request", lambda r: pings.append(r.url) if "/state/" in r.url else None)
    page.route("**/answers/", busy_once(saves, retry_after=2))  # the answer stays queued until Retry-After
    item = AttemptItem.objects.get(attempt=attempt, position=1)  # single choice, on the first screen
    page.locator(f"#q-{item.pk}").locator("label", has_text="二日").click()
    expect(page.locator("#attempt-status")).to_have_text(SAVED, timeout=15000)
    assert len(saves) == 2 and saves[1] - saves[0] >= 1.9  # resent only after Retry-After
    item.refresh_from_db()
    assert item.response == "D" and item.seq == 1

    # The save's answer carried the clock: no state ping while the page keeps hearing from the server.
    page.wait_for_timeout(6000)  # longer than the page's 5-second check
    assert pings == []

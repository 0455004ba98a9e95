"""A live contest in real browsers: a host's console (PC) and three phones (three browser contexts) through a
short contest of two rounds; one phone drops (reloads) mid-question and comes back to the same seat, answers, and
is counted once. The app runs under uvicorn (ASGI: HTTP and websockets) in a thread of the test process, on the
test database (pytest-django's live_server is WSGI and cannot carry websockets)."""

from __future__ import annotations

import socket
import threading
import time

import pytest
from playwright.sync_api import expect

from contest import services
from contest.models import Answer, Contest, Seat
from tests.contest import helpers as h
from tests.e2e.conftest import PC, PHONE
from tests.exams import factories as ef
from tests.factories import PASSWORD

pytestmark = pytest.mark.e2e


@pytest.fixture
def asgi_server(settings, browser):
    """uvicorn serving config.asgi's application on a free port; its URL. Started after the browser fixture so
    DJANGO_ALLOW_ASYNC_UNSAFE is already set for the test thread."""
    import uvicorn
    from django.db import connections

    from config.asgi import application

    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    # The server's threads close their connections after each request and consumer call (so PostgreSQL's test
    # database can be flushed and dropped afterwards); CONN_MAX_AGE is read from this shared dict.
    max_age = connections.settings["default"].get("CONN_MAX_AGE", 0)
    connections.settings["default"]["CONN_MAX_AGE"] = 0
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(
            application, host="127.0.0.1", port=port, log_level="warning", lifespan="off", ws="websockets-sansio"
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "uvicorn did not start"
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
    connections.settings["default"]["CONN_MAX_AGE"] = max_age


def _context(browser, base_url, viewport):
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", viewport=viewport, base_url=base_url)
    context.set_default_timeout(15_000)
    return context


def _login(page, username):
    page.goto("/accounts/login/")
    page.fill("#id_login", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.press("#id_password", "Enter")


def _option(phone, text):
    return phone.locator(".phone-option", has_text=text)


def test_a_short_contest_with_three_phones_one_dropping_mid_question(browser, asgi_server):
    host_user = h.trainer()
    single = ef.question("single")  # correct: 二日
    true_false = ef.question("true_false")  # correct: 正确
    contest = services.contest_create(
        actor=host_user,
        title="2026年度城管执法法律知识竞赛",
        question_ids=[single.pk, true_false.pk],
        seconds_per_question=6,
        read_seconds=1,
        scoring_mode="linear",
        streak_bonus=10,
    )
    officers = [h.officer("执法一中队"), h.officer("执法一中队"), h.officer("执法二中队")]

    host_context = _context(browser, asgi_server, PC)
    host = host_context.new_page()
    _login(host, host_user.username)
    host.goto(f"/contest/{contest.pk}/host/")
    expect(host.locator("#join-code")).to_have_text(contest.code)

    phones = []
    for officer in officers:
        context = _context(browser, asgi_server, PHONE)
        phone = context.new_page()
        _login(phone, officer.employee_no)
        phone.goto(f"/contest/join/?code={contest.code}")
        with phone.expect_navigation():
            phone.locator(".contest-join-button").click()
        assert phone.url.endswith(f"/contest/{contest.pk}/play/")
        expect(phone.locator("#conn")).to_contain_text("已连接", timeout=15000)
        phones.append(phone)
    expect(host.locator("#lobby-count")).to_have_text("3", timeout=15000)
    expect(host.locator("#lobby")).to_contain_text("执法二中队", timeout=15000)
    seats_before = set(Seat.objects.filter(contest=contest).values_list("pk", flat=True))

    # Round 1: phone 1 answers at once; phone 2 drops (reload) before answering, comes back to the same seat and
    # answers; phone 3 answers wrong.
    host.locator("#btn-next").click()
    for phone in phones:
        expect(phone.locator(".phone-stem")).to_contain_text("备案", timeout=15000)
    expect(_option(phones[0], "二日")).to_be_enabled(timeout=15000)
    _option(phones[0], "二日").click()
    expect(phones[0].locator("#phone-status")).to_contain_text("已提交", timeout=15000)
    phones[1].reload()
    expect(phones[1].locator("#conn")).to_contain_text("已连接", timeout=15000)
    expect(_option(phones[1], "二日")).to_be_enabled(timeout=15000)
    _option(phones[1], "二日").click()
    expect(phones[1].locator("#phone-status")).to_contain_text("已提交", timeout=15000)
    _option(phones[2], "三日").click()
    expect(host.locator("#answered")).to_have_text("3", timeout=15000)

    # The console's timer closes the round after the deadline; every phone gets its own result.
    expect(phones[0].locator("#phone-result")).to_contain_text("回答正确", timeout=20000)
    expect(phones[1].locator("#phone-result")).to_contain_text("回答正确", timeout=15000)
    expect(phones[2].locator("#phone-result")).to_contain_text("回答错误", timeout=15000)
    expect(host.locator("#result-box")).to_contain_text("正确答案", timeout=15000)

    # Round 2: phone 2 drops again after answering; the answer is not lost and not doubled.
    host.locator("#btn-next").click()
    for phone in phones:
        expect(phone.locator(".phone-stem")).to_contain_text("行政处罚", timeout=15000)
    for phone in phones:
        expect(_option(phone, "正确")).to_be_enabled(timeout=15000)
        _option(phone, "正确").click()
    expect(phones[1].locator("#phone-status")).to_contain_text("已提交", timeout=15000)
    phones[1].reload()
    expect(phones[1].locator(".phone-option.chosen")).to_contain_text("正确", timeout=15000)
    expect(phones[1].locator("#phone-result")).to_contain_text("回答正确", timeout=20000)
    expect(phones[1].locator("#phone-result")).to_contain_text("连对", timeout=15000)
    expect(phones[2].locator("#phone-result")).to_contain_text("回答正确", timeout=15000)

    with host.expect_navigation():
        host.locator("#btn-finish").click()
    expect(host.locator("#officer-results")).to_contain_text(officers[0].name)
    expect(host.locator("#team-results")).to_contain_text("执法一中队")
    for phone in phones:
        expect(phone.locator(".phone-finished")).to_be_visible(timeout=15000)

    assert Contest.objects.get(pk=contest.pk).status == Contest.Status.FINISHED
    assert set(Seat.objects.filter(contest=contest).values_list("pk", flat=True)) == seats_before
    for seat in Seat.objects.filter(contest=contest):
        assert Answer.objects.filter(seat=seat).count() == 2
    scores = {s.officer_id: s for s in Seat.objects.filter(contest=contest)}
    assert scores[officers[1].pk].streak == 2 and scores[officers[2].pk].streak == 1
    assert scores[officers[0].pk].rank == 1
    for page in [host, *phones]:
        page.context.close()

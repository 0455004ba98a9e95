"""Mentorship in a real browser: HR (TOTP) runs the matching of a programme, reads the explanation and publishes;
the mentee logs a check-in on a phone; the mentor confirms it; the hours appear on both home pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from mentorship import services
from mentorship.models import Pair
from org.models import RoleCategory, Unit
from tests.certification import factories as f
from tests.e2e.conftest import PC
from tests.factories import PASSWORD, OfficerFactory, grant, unit

pytestmark = pytest.mark.e2e

BUREAU = "测试区城管局"
HR_SECRET = "JBSWY3DPEHPK3PXP"


@pytest.fixture
def bureau(transactional_db, mfa_user):
    today = timezone.localdate()
    team = unit(f"{BUREAU}/执法一中队/一分队")
    Unit.objects.filter(pk=team.pk).update(kind=Unit.Kind.TEAM)
    mentor = OfficerFactory(employee_no="MT0001", name="张伟", unit=team, hire_date=dt.date(2012, 5, 1))
    f.certificate(mentor, issued_on=dt.date(2019, 3, 1))
    recruit = RoleCategory.objects.get(code="recruit")
    mentee = OfficerFactory(
        employee_no="MT0002", name="陈静", unit=team, role_category=recruit, hire_date=today - dt.timedelta(days=60)
    )
    hr = OfficerFactory(employee_no="HR0001", name="周敏", unit=unit(f"{BUREAU}/政治处")).user
    grant(hr, "hr")
    mfa_user(hr, HR_SECRET)
    programme = services.programme_save(
        actor=hr,
        year=today.year,
        name="老带新试点",
        unit=unit(BUREAU),
        starts_on=today - dt.timedelta(days=1),
        ends_on=today + dt.timedelta(days=200),
    )
    return {"mentor": mentor, "mentee": mentee, "programme": programme}


def test_hr_matches_publishes_mentee_logs_mentor_confirms(page, live_server, login, login_with_totp, bureau):
    # --- HR on a PC: 老带新 → the programme → run the matching → explanation → publish
    page.set_viewport_size(PC)
    login_with_totp(page, live_server, "HR0001", PASSWORD, HR_SECRET)
    page.get_by_role("link", name="老带新", exact=True).first.click()
    page.wait_for_url("**/hr/mentorship/")
    page.get_by_role("link", name="老带新试点").click()
    page.wait_for_url("**/match/")
    with page.expect_navigation():
        page.locator("#match-run").click()
    proposals = page.locator("#proposals")
    assert "张伟 → 陈静" in proposals.inner_text()
    assert "同一分队" in proposals.inner_text()
    assert "最优匹配总分" in page.locator("#totals").inner_text()
    with page.expect_navigation():
        page.locator("#match-publish").click()
    assert "双方已收到通知" in page.locator(".messages").inner_text()
    assert Pair.objects.get().state == Pair.State.ACTIVE
    page.context.clear_cookies()

    # --- the mentee on a phone: home card → the pair → log a meeting
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, live_server, "MT0002", PASSWORD)
    card = page.locator("#card-mentorship")
    card.get_by_role("link", name="张伟").click()
    page.wait_for_url("**/me/mentorship/pairs/*/")
    page.fill("input[name=met_on]", timezone.localdate().isoformat())
    page.fill("input[name=minutes]", "90")
    page.fill("input[name=topic]", "简易程序文书")
    with page.expect_navigation():
        page.locator("#checkin-submit").click()
    expect(page.locator("#checkin-list")).to_contain_text("待师傅确认", timeout=15000)
    page.context.clear_cookies()

    # --- the mentor confirms; 1.5 h on both sides
    login(page, live_server, "MT0001", PASSWORD)
    expect(page.locator("#card-mentorship")).to_contain_text("1 条交流待确认", timeout=15000)
    page.locator("#card-mentorship").get_by_role("link", name="陈静").click()
    page.wait_for_url("**/me/mentorship/pairs/*/")
    with page.expect_navigation():
        page.locator(".confirm-checkin").click()
    expect(page.locator(".messages")).to_contain_text("徒弟 1.50,师傅 1.50", timeout=15000)
    page.goto(f"{live_server.url}/")
    expect(page.locator("#hours-total")).to_contain_text("1.5", timeout=15000)
    page.context.clear_cookies()
    login(page, live_server, "MT0002", PASSWORD)
    expect(page.locator("#hours-total")).to_contain_text("1.5", timeout=15000)
    page.screenshot(path="/tmp/e2e-mentorship-mentee-home.png", full_page=True)

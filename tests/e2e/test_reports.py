"""The reports page in a real browser: HR (TOTP) opens 培训统计 from the menu, sees the year's figures and the three
charts render (SVG images from the access-checked chart URLs), downloads the .docx, closes the year and sees the
snapshot; a phone shows the page without the figures running off the screen."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from org.services import placement_record
from tests.certification import factories as f
from tests.e2e.conftest import PC
from tests.factories import PASSWORD, OfficerFactory, grant, unit

pytestmark = pytest.mark.e2e

BUREAU = "测试区城管局"
HR_SECRET = "JBSWY3DPEHPK3PXP"
YEAR = 2025


@pytest.fixture
def bureau(transactional_db, mfa_user):
    f.hour_rule(YEAR, category="rule_of_law", hours="40")
    one, two = unit(f"{BUREAU}/执法一中队"), unit(f"{BUREAU}/执法二中队")
    met = OfficerFactory(employee_no="RP0101", name="张伟", unit=one)
    short = OfficerFactory(employee_no="RP0102", name="王芳", unit=one)
    moved = OfficerFactory(employee_no="RP0201", name="刘洋", unit=one)
    for o in (met, short, moved):
        placement_record(officer=o, on=dt.date(2020, 1, 1))
    moved.unit = two
    moved.save()
    placement_record(officer=moved, on=dt.date(2025, 7, 1))
    f.credit(met, 44, year=YEAR)
    f.credit(short, 12, year=YEAR)
    f.credit(moved, 40, year=YEAR)
    hr = OfficerFactory(employee_no="HR0001", name="周敏", unit=unit(f"{BUREAU}/政治处"), enforcement_duty=False)
    placement_record(officer=hr, on=dt.date(2026, 1, 1))
    grant(hr.user, "hr")
    mfa_user(hr.user, HR_SECRET)


def test_hr_sees_figures_and_charts_downloads_and_closes_the_year(page, live_server, login_with_totp, bureau):
    page.set_viewport_size(PC)
    login_with_totp(page, live_server, "HR0001", PASSWORD, HR_SECRET)
    page.get_by_role("link", name="培训统计", exact=True).first.click()
    page.wait_for_url("**/reports/**")
    if "year=" not in page.url:
        page.select_option("select[name=year]", str(YEAR))
        page.get_by_role("button", name="统计").click()
    expect(page.locator("h1")).to_contain_text(f"{YEAR}年度培训统计", timeout=15000)
    expect(page.locator('[data-key="headcount"] .big')).to_contain_text("3", timeout=15000)
    expect(page.locator('[data-key="training_rate"] .big')).to_contain_text("66.7%")
    expect(page.locator("#summary-text")).to_contain_text("队员受训率66.7%")
    expect(page.locator("#unit-table")).to_contain_text("执法二中队")
    for name in ("completion", "hours", "rates"):
        image = page.locator(f"#chart-{name}")
        image.scroll_into_view_if_needed()
        expect(image).to_be_visible()
        response = page.request.get(image.get_attribute("src"))
        assert response.status == 200 and response.headers["content-type"] == "image/svg+xml"
        assert "<svg" in response.text()
        page.wait_for_timeout(200)
        box = image.bounding_box()
        assert box and box["height"] > 100  # a rendered chart, not a broken-image icon
    with page.expect_download() as download:
        page.locator("#export-docx").click()
    assert download.value.suggested_filename.endswith(".docx")
    page.locator("#close-year").click()
    page.wait_for_url("**/reports/snapshots/2025/")
    expect(page.locator("#snapshot-table")).to_contain_text("3")
    page.get_by_role("link", name="返回培训统计").click()
    expect(page.locator("#frozen")).to_be_visible(timeout=15000)


def test_the_page_fits_a_phone(page, live_server, login_with_totp, bureau):
    login_with_totp(page, live_server, "HR0001", PASSWORD, HR_SECRET)
    page.goto(f"{live_server.url}/reports/?year={YEAR}")
    expect(page.locator('[data-key="headcount"] .big')).to_contain_text("3", timeout=15000)
    page.locator("#chart-rates").scroll_into_view_if_needed()
    expect(page.locator("#chart-rates")).to_be_visible()
    page.screenshot(path="/tmp/e2e-reports-phone.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")  # tables scroll in their box

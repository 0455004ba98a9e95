"""Certification in a real browser: HR (TOTP) runs the 年审 for a squad, an officer sees the result and downloads the
PDF, a phone opens the public verify page from the QR's URL, and the board has no horizontal scroll at 390 px."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone

from certification.models import CertificateEvent, Verification
from tests.certification import factories as f
from tests.e2e.conftest import PC
from tests.factories import PASSWORD, OfficerFactory, grant, unit

pytestmark = pytest.mark.e2e

BUREAU = "测试区城管局"
HR_SECRET = "JBSWY3DPEHPK3PXP"


@pytest.fixture
def squad(transactional_db, mfa_user):
    today = timezone.localdate()
    year = today.year
    f.cycle(year, window_opens=today - dt.timedelta(days=10), deadline=today + dt.timedelta(days=60))
    f.hour_rule(year, category="rule_of_law", hours="40")
    annual = f.exam(year=year)
    squad1 = unit(f"{BUREAU}/执法一中队")
    ready = OfficerFactory(employee_no="BJ0101", name="张伟", unit=unit(f"{BUREAU}/执法一中队/一分队"))
    behind = OfficerFactory(employee_no="BJ0102", name="王芳", unit=squad1)
    other = OfficerFactory(employee_no="BJ0201", name="刘洋", unit=unit(f"{BUREAU}/执法二中队"))
    for o in (ready, behind, other):
        f.certificate(o, issued_on=dt.date(year - 2, 3, 1))
    f.credit(ready, 44, year=year)
    f.exam_attempt(annual, ready, score="88")
    hr = OfficerFactory(employee_no="HR0001", name="周敏", unit=unit(f"{BUREAU}/政治处")).user
    grant(hr, "hr")
    mfa_user(hr, HR_SECRET)
    return {"year": year, "squad": squad1, "ready": ready, "behind": behind, "other": other}


def test_hr_reviews_a_squad_officer_downloads_pdf_phone_verifies(page, live_server, login, login_with_totp, squad):
    from pypdf import PdfReader

    year, ready = squad["year"], squad["ready"]
    # --- HR on a PC: board → batch review of 执法一中队 → preview → confirm
    page.set_viewport_size(PC)
    login_with_totp(page, live_server, "HR0001", PASSWORD, HR_SECRET)
    page.get_by_role("link", name="执法资格", exact=True).first.click()
    page.wait_for_url("**/hr/certification/")
    assert "王芳" in page.locator("#at-risk").inner_text()  # lacks hours and the exam
    assert "张伟" not in page.locator("#unlicensed").inner_text()  # 待年审: may enforce
    page.get_by_role("link", name="批量年审").click()
    page.wait_for_url("**/hr/certification/run/")
    page.select_option("select[name=unit]", str(squad["squad"].pk))
    page.fill("input[name=year]", str(year))
    page.get_by_role("button", name="预览").click()
    page.wait_for_selector("#preview")
    assert "张伟" in page.locator("#preview-eligible").inner_text()
    assert "王芳" in page.locator("#preview-not-eligible").inner_text()
    assert "刘洋" not in page.locator("#preview").inner_text()  # another squad
    with page.expect_navigation():
        page.get_by_role("button", name="确认年审").click()
    assert "年审已记录" in page.locator(".messages").inner_text()
    passed = CertificateEvent.objects.get(kind=CertificateEvent.Kind.REVIEW_PASSED, year=year)
    assert passed.certificate.officer == ready
    assert not CertificateEvent.objects.filter(certificate__officer=squad["other"]).exclude(kind="issued").exists()
    page.context.clear_cookies()

    # --- the officer on a phone: home card → 我的执法证 → PDF
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, live_server, "BJ0101", PASSWORD)
    card = page.locator("#card-certificate")
    assert "有效" in card.inner_text()
    card.get_by_role("link", name="我的执法证").click()
    page.wait_for_url("**/me/certificate/")
    assert f"{year} 年度年审通过" in page.locator("#history").inner_text()
    page.screenshot(path="/tmp/e2e-cert-mine-phone.png", full_page=True)
    with page.expect_download() as download_info:
        page.locator("#download-pdf").click()
    pdf = download_info.value
    data = open(pdf.path(), "rb").read()
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    assert "张伟" in text and ready.certificates.get().number in text
    page.context.clear_cookies()

    # --- a phone (no login) opens the QR's URL
    token = ready.certificates.get().verify_token
    page.goto(f"{live_server.url}/v/{token}/")
    assert page.locator("#verify-name").inner_text() == "张*"
    assert "有效" in page.locator("#verify-status").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert Verification.objects.filter(certificate__officer=ready).count() == 1
    page.screenshot(path="/tmp/e2e-cert-verify-phone.png", full_page=True)


def test_board_has_no_horizontal_scroll_on_a_phone(page, live_server, login_with_totp, squad):
    login_with_totp(page, live_server, "HR0001", PASSWORD, HR_SECRET)
    for path in (
        "/hr/certification/",
        "/hr/certification/officers/",
        f"/hr/certification/officers/{squad['ready'].pk}/",
    ):
        page.goto(f"{live_server.url}{path}")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), path
    page.goto(f"{live_server.url}/hr/certification/")
    assert page.locator("#unit-counts").is_visible()
    page.screenshot(path="/tmp/e2e-cert-board-phone.png", full_page=True)

"""First real-browser journeys: an officer on a phone, HR on a PC with two-step login."""

import re

import pytest

from tests.e2e.conftest import PC
from tests.factories import PASSWORD, OfficerFactory, grant, unit

pytestmark = pytest.mark.e2e

SCREENSHOT = "/tmp/e2e-home.png"
BUREAU = "测试区城管局"
HR_SECRET = "JBSWY3DPEHPK3PXP"


def test_static_files_are_served_by_the_live_server(page, live_server):
    response = page.request.get(f"{live_server.url}/static/css/site.css")
    assert response.ok
    assert response.headers["content-type"].startswith("text/css")
    assert ".cards" in response.text()


def test_officer_logs_in_with_employee_no_and_sees_home_on_a_phone(page, live_server, login):
    officer = OfficerFactory(employee_no="BJ0001", name="张伟", unit=unit(f"{BUREAU}/执法一中队/一分队"))
    login(page, live_server, "BJ0001", PASSWORD)
    assert page.url == f"{live_server.url}/"
    assert page.locator("h1").inner_text() == "我的学习"
    line = page.locator("#officer-line").inner_text()
    assert officer.name in line and officer.unit.full_path in line
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    # The stylesheet is applied (served by the live server), and the cards stack in one phone-wide column.
    topbar = page.locator("header.topbar").evaluate("el => getComputedStyle(el).backgroundColor")
    assert topbar == "rgb(31, 78, 140)"
    cards = page.locator("section.cards > .card")
    assert cards.count() >= 3
    viewport = page.viewport_size
    assert viewport == {"width": 390, "height": 844}
    lefts = set()
    for index in range(cards.count()):
        card = cards.nth(index)
        assert card.is_visible()
        box = card.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"]
        lefts.add(round(box["x"]))
    assert len(lefts) == 1  # one column
    no_horizontal_scroll = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert no_horizontal_scroll
    # Plain officers get no HR link.
    assert page.get_by_role("link", name="人员名册").count() == 0
    page.screenshot(path=SCREENSHOT, full_page=True)


def test_wrong_password_shows_chinese_error(page, live_server, login):
    OfficerFactory(employee_no="BJ0002")
    login(page, live_server, "BJ0002", "wrong-password")
    assert "/accounts/login/" in page.url
    assert page.get_by_text("工号/手机号或密码不正确").is_visible()


def test_hr_logs_in_with_totp_and_filters_the_roster_by_unit(page, live_server, login_with_totp, mfa_user):
    squad1 = unit(f"{BUREAU}/执法一中队")
    squad2 = unit(f"{BUREAU}/执法二中队")
    team = unit(f"{BUREAU}/执法二中队/一分队")
    inside = [OfficerFactory(unit=squad2, name="刘洋"), OfficerFactory(unit=team, name="陈静")]
    outside = OfficerFactory(unit=squad1, name="杨磊")
    hr = OfficerFactory(employee_no="HR0001", name="周敏", unit=unit(f"{BUREAU}/政治处")).user
    grant(hr, "hr")
    mfa_user(hr, HR_SECRET)

    page.set_viewport_size(PC)
    login_with_totp(page, live_server, "HR0001", PASSWORD, HR_SECRET)
    assert page.url == f"{live_server.url}/"
    page.get_by_role("link", name="人员名册").click()
    page.wait_for_url("**/hr/officers/")
    assert page.locator("h1").inner_text() == "人员名册"
    table = page.locator("table tbody")
    assert outside.employee_no in table.inner_text()

    page.locator("ul.tree").get_by_role("link", name="执法二中队", exact=True).click()
    page.wait_for_url(re.compile(rf".*/hr/officers/\?unit={squad2.pk}$"))
    assert page.locator("h1").inner_text() == "人员名册 · 执法二中队"
    rows = table.locator("tr")
    assert rows.count() == 2
    listed = table.inner_text()
    for officer in inside:
        assert officer.employee_no in listed and officer.name in listed
    assert outside.employee_no not in listed
    assert page.get_by_text("共 2 人").is_visible()

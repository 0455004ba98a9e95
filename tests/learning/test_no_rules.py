"""Issue #12: in a year without hour rules everyone showed as 达标 with 0 days. Show 本年度未设学时要求 instead."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from learning import services

NO_RULES = "本年度未设学时要求"


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    import datetime as dt

    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: dt.date(2026, 11, 21))


@pytest.fixture
def studied(officer):
    services.credit_grant(
        officer=officer, year=2026, category="rule_of_law", hours=3, source_kind="offline", source_id="1", actor=None
    )


def test_officer_card_says_no_requirement_instead_of_met(client, officer, studied, fake_catalog):
    client.force_login(officer.user)
    html = client.get("/").content.decode()
    assert NO_RULES in html
    assert "已达标" not in html and "/ 0 学时" not in html


def test_officer_card_with_a_rule_still_says_met(client, roles, officer, studied, fake_catalog):
    services.hour_rule_set(year=2026, role_category=roles["enforcer"], category="rule_of_law", hours=2, actor=None)
    client.force_login(officer.user)
    html = client.get("/").content.decode()
    assert "已达标" in html and NO_RULES not in html


def test_unit_list_and_export_say_no_requirement(client, roles, hr, officer, officer_in_squad2, studied):
    # Another role category has a rule this year: only the officers of that category can be 达标 or short.
    services.hour_rule_set(year=2026, role_category=roles["leader"], category="rule_of_law", hours=60, actor=None)
    client.force_login(hr)
    html = client.get(reverse("learning:unit_hours") + "?year=2026").content.decode()
    assert html.count(NO_RULES) == 2  # both enforcers
    assert ">达标<" not in html
    assert "未达标 0 人" in html
    short_only = client.get(reverse("learning:unit_hours") + "?year=2026&only_short=on").content.decode()
    assert officer.employee_no not in short_only

    response = client.get(reverse("learning:unit_hours_export") + "?year=2026")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    status = rows[0].index("是否达标")
    assert {row[status] for row in rows[1:]} == {NO_RULES}


def test_english_page_translates_no_requirement(client, hr, officer, studied, settings):
    client.force_login(hr)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("learning:unit_hours") + "?year=2026").content.decode()
    assert "No hour requirement this year" in html

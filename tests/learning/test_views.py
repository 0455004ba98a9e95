import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from learning import services
from learning.models import CreditEntry
from tests.factories import OfficerFactory, UserFactory, unit


@pytest.fixture
def data(roles, officer, officer_in_squad2):
    services.hour_rule_set(year=2026, role_category=roles["enforcer"], category="rule_of_law", hours=40, actor=None)
    services.hour_rule_set(year=2026, role_category=roles["enforcer"], category="law_exam", hours=40, actor=None)
    services.credit_grant(
        officer=officer,
        year=2026,
        category="rule_of_law",
        hours=12,
        source_kind="offline",
        source_id="1",
        actor=None,
        reason="专题讲座",
    )
    services.credit_grant(
        officer=officer_in_squad2,
        year=2026,
        category="rule_of_law",
        hours=40,
        source_kind="offline",
        source_id="1",
        actor=None,
        reason="专题讲座",
    )


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    import datetime as dt

    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: dt.date(2026, 11, 21))


def test_home_card_shows_hours_and_shortfall(client, officer, data, fake_catalog):
    client.force_login(officer.user)
    html = client.get("/").content.decode()
    assert 'id="card-hours"' in html and "学时统计将在学习模块上线后显示" not in html
    assert "还差 68 学时" in html


def test_my_learning_page(client, officer, data, fake_catalog):
    fake_catalog.add_course(5, title="城市管理执法文书规范", required=True, roles=["enforcer"])
    fake_catalog.add_lesson(6, 5)
    fake_catalog.add_course(7, title="垃圾分类条例解读", required=False)
    client.force_login(officer.user)
    response = client.get(reverse("learning:my"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "城市管理执法文书规范" in html and "专题讲座" in html
    assert "垃圾分类条例解读" in html  # offered as elective
    assert client.post(reverse("learning:course_enrol", args=[7])).status_code == 302
    assert client.post(reverse("learning:course_enrol", args=[999])).status_code == 404


def test_my_learning_access(client, data):
    assert client.get(reverse("learning:my")).status_code == 302
    client.force_login(UserFactory(username="no-profile"))
    assert client.get(reverse("learning:my")).status_code == 403


def test_unit_view_scope(client, officer, officer_in_squad2, leader, hr, trainer, data, squad2):
    url = reverse("learning:unit_hours")
    assert client.get(url).status_code == 302
    for user in (officer.user, trainer):
        client.force_login(user)
        assert client.get(url).status_code == 403
    client.force_login(leader)
    rows = client.get(url + "?year=2026").context["page"].object_list
    assert [r["officer_id"] for r in rows] == [officer.pk]
    assert rows[0]["total_shortfall"] == Decimal("68")
    assert client.get(url + f"?unit={squad2.pk}").status_code == 403
    assert client.get(reverse("learning:unit_hours_export") + f"?unit={squad2.pk}").status_code == 403
    client.force_login(hr)
    response = client.get(url + f"?unit={squad2.pk}&year=2026")
    assert [r["officer_id"] for r in response.context["page"].object_list] == [officer_in_squad2.pk]
    short = client.get(url + "?year=2026&only_short=on").context["page"].object_list
    assert officer.pk in [r["officer_id"] for r in short]


def test_unit_export(client, leader, officer, data):
    client.force_login(leader)
    response = client.get(reverse("learning:unit_hours_export") + "?year=2026")
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:4] == ("工号", "姓名", "单位", "人员类别")
    assert len(rows) == 2 and rows[1][0] == officer.employee_no and rows[1][-1] == "否"


def test_officer_ledger_scope_and_hr_reversal(client, officer, officer_in_squad2, leader, hr, data):
    mine = reverse("learning:officer_ledger", args=[officer.pk])
    theirs = reverse("learning:officer_ledger", args=[officer_in_squad2.pk])
    client.force_login(officer.user)
    assert client.get(mine).status_code == 200
    assert client.get(theirs).status_code == 403
    client.force_login(leader)
    assert client.get(mine).status_code == 200
    assert client.get(theirs).status_code == 403
    entry = CreditEntry.objects.get(officer=officer)
    assert client.post(reverse("learning:credit_reverse", args=[entry.pk]), {"reason": "错录"}).status_code == 403
    client.force_login(hr)
    assert client.get(theirs).status_code == 200
    response = client.post(reverse("learning:credit_reverse", args=[entry.pk]), {"reason": "错录"})
    assert response.status_code == 302
    assert CreditEntry.objects.filter(reverses=entry).count() == 1
    client.post(reverse("learning:credit_reverse", args=[entry.pk]), {"reason": "again"})
    assert CreditEntry.objects.filter(officer=officer).count() == 2


def test_officer_outside_leader_subtree_is_hidden_in_unit_view(client, leader, data):
    far = OfficerFactory(unit=unit("测试区城管局/执法三中队"))
    client.force_login(leader)
    ids = [r["officer_id"] for r in client.get(reverse("learning:unit_hours")).context["page"].object_list]
    assert far.pk not in ids


def test_courses_are_assigned_by_rule(officer, officer_in_squad2, squad1, roles, fake_catalog):
    from learning.models import CourseAssignment, Enrolment

    fake_catalog.add_course(20, title="市容秩序执法实务", required=False)
    fake_catalog.add_course(21, title="领导干部法治讲座", required=True, roles=["leader"])
    CourseAssignment.objects.create(year=2026, course_id=20, unit=squad1)
    services.enrolments_sync(officer=officer, year=2026)
    services.enrolments_sync(officer=officer_in_squad2, year=2026)
    assert set(Enrolment.objects.filter(officer=officer).values_list("course_id", flat=True)) == {20}
    assert not Enrolment.objects.filter(officer=officer_in_squad2).exists()
    assert services.enrolments_sync(officer=officer, year=2026) == 0  # idempotent


def test_staff_links_follow_roles(client, officer, leader, data, fake_catalog):
    from tests.factories import OfficerFactory as Factory

    client.force_login(officer.user)
    assert 'id="staff-links"' not in client.get(reverse("learning:my")).content.decode()
    leader_officer = Factory(user=leader, employee_no="L0001", unit=unit("测试区城管局/执法一中队"))
    client.force_login(leader_officer.user)
    html = client.get(reverse("learning:my")).content.decode()
    assert reverse("learning:unit_hours") in html and reverse("learning:rules") not in html

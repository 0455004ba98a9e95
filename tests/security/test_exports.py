"""Issue #11 (2): a hostile name in the roster must come back from every Excel export as text, never as a live
formula; and every download carries the one XLSX content type and an RFC 5987 Content-Disposition."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from exams.formats.base import Option, ParseResult, QuestionData
from exams.services import bank as bank_services
from learning import services as learning_services
from org.models import RoleCategory, RoleGrant
from org.tabular import XLSX_CONTENT_TYPE
from tests.exams import factories as f
from tests.factories import OfficerFactory, UserFactory, grant, unit

pytestmark = pytest.mark.django_db

HOSTILE = '=HYPERLINK("http://evil.example/x","点击")'
SQUAD = "测试区城管局/执法一中队"


def cells(response) -> list:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert response["Content-Disposition"].startswith("attachment; filename")
    book = load_workbook(io.BytesIO(response.content))
    return [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.value is not None]


def assert_neutralised(response, *hostile_values):
    found = cells(response)
    assert not [c.coordinate for c in found if c.data_type == "f"], "a formula cell was written"
    texts = [c.value for c in found if isinstance(c.value, str)]
    for value in hostile_values:
        assert "'" + value in texts
    assert not [t for t in texts if t.startswith(("=", "+", "-", "@"))]


@pytest.fixture
def hostile(mfa_user):
    squad = unit(SQUAD)
    officer = OfficerFactory(unit=squad, name=HOSTILE, employee_no="=1+2")
    hr = OfficerFactory(unit=unit("测试区城管局/政治处")).user
    grant(hr, RoleGrant.Role.HR)
    mfa_user(hr)
    trainer = UserFactory(username="trainer-x")
    grant(trainer, RoleGrant.Role.TRAINER)
    return officer, hr, trainer


def test_roster_export(client, hostile):
    officer, hr, _trainer = hostile
    client.force_login(hr)
    response = client.get(reverse("org:officer_export"))
    assert_neutralised(response, HOSTILE, "=1+2")
    assert "filename*=utf-8''" in response["Content-Disposition"]  # 花名册-YYYYMMDD.xlsx, RFC 5987


def test_learning_hours_export(client, hostile):
    officer, hr, _trainer = hostile
    category = RoleCategory.objects.get(pk=officer.role_category_id)
    year = timezone.localdate().year
    learning_services.hour_rule_set(year=year, role_category=category, category="rule_of_law", hours=40, actor=None)
    client.force_login(hr)
    assert_neutralised(client.get(reverse("learning:unit_hours_export") + f"?year={year}"), HOSTILE)


def test_attendance_export(client, hostile):
    officer, _hr, trainer = hostile
    start = timezone.now() - dt.timedelta(hours=1)
    session = learning_services.offline_session_create(
        title="@讲座",
        kind="lecture",
        category="rule_of_law",
        hours=Decimal("2"),
        place="-会议室",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        trainer=trainer,
        invited_units=[unit(SQUAD)],
    )
    client.force_login(trainer)
    client.post(
        reverse("learning:session_detail", args=[session.pk]),
        {"employee_no": officer.employee_no, "reason": "+扫码失败"},
    )
    response = client.get(reverse("learning:session_export", args=[session.pk]))
    assert_neutralised(response, "@讲座", "+扫码失败")


def test_exam_results_export(client, hostile):
    officer, _hr, trainer = hostile
    question = f.question("single")
    exam = f.exam(f.fixed_paper([question]), officers=[officer], created_by=trainer, title="=年度考试")
    f.attempt(exam, officer, responses={question: "A"})
    client.force_login(trainer)
    response = client.get(reverse("exams:exam_results_xlsx", args=[exam.pk]))
    assert_neutralised(response, HOSTILE)


def test_question_bank_export(client, hostile):
    _officer, _hr, trainer = hostile
    data = QuestionData(
        kind="single",
        stem="=cmd|' /C calc'!A0",
        options=[Option("-1", True), Option("+2")],
        points=Decimal("1"),
        violation_category="outdoor_ads",
    )
    bank_services.questions_import(parsed=ParseResult(questions=[data]), actor=trainer, source="t")
    client.force_login(trainer)
    response = client.get(reverse("exams:bank_export", args=["xlsx"]))
    assert_neutralised(response, "=cmd|' /C calc'!A0", "-1", "+2")
    sheet = load_workbook(io.BytesIO(response.content))["试题"]
    header = [c.value for c in sheet[1]]
    assert (
        sheet.cell(row=2, column=header.index("违法类别") + 1).value == "户外广告"
    )  # issue #12: the name, not the code

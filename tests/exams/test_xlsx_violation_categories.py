"""Issue #12: the question bank's Excel file shows the 违法类别 by its Chinese name, reads the name or the code, and
the template's instructions sheet lists the names."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from exams.formats import xlsx
from exams.formats.base import Option, QuestionData
from exams.models import Question
from org.models import RoleGrant
from tests.factories import UserFactory, grant

CATEGORIES = [("outdoor_ads", "户外广告"), ("illegal_building", "违法建设")]


def sheet(rows) -> bytes:
    book = Workbook()
    book.active.append(["题型", "题干", "选项A", "选项B", "答案", "违法类别"])
    for r in rows:
        book.active.append(r)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_export_writes_the_name_and_import_reads_name_or_code():
    q = QuestionData(
        kind="single",
        stem="题",
        options=[Option("甲", True), Option("乙")],
        points=Decimal("1"),
        violation_category="outdoor_ads",
    )
    book = load_workbook(io.BytesIO(xlsx.export([q], violation_categories=CATEGORIES)))
    header = [c.value for c in book["试题"][1]]
    assert book["试题"].cell(row=2, column=header.index("违法类别") + 1).value == "户外广告"
    parsed = xlsx.parse(
        sheet(
            [
                ["单选", "一", "甲", "乙", "A", "户外广告"],
                ["单选", "二", "甲", "乙", "A", "illegal_building"],
                ["单选", "三", "甲", "乙", "A", ""],
            ]
        ),
        violation_categories=CATEGORIES,
    )
    assert parsed.errors == []
    assert [q.violation_category for q in parsed.questions] == ["outdoor_ads", "illegal_building", ""]


def test_unknown_category_is_a_row_error_naming_the_choices():
    parsed = xlsx.parse(sheet([["单选", "一", "甲", "乙", "A", "乱停车"]]), violation_categories=CATEGORIES)
    assert [str(e) for e in parsed.errors] == ["第 2 行:违法类别「乱停车」不存在,可填:户外广告、违法建设"]


def test_template_explains_the_column():
    notes = [r[0] for r in load_workbook(io.BytesIO(xlsx.template(violation_categories=CATEGORIES)))["填写说明"].values]
    assert any("违法类别" in n and "outdoor_ads" in n for n in notes)
    assert "违法类别可选:户外广告、违法建设" in notes


@pytest.mark.django_db
def test_bank_pages_use_the_seeded_categories(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    trainer = UserFactory(username="trainer-vc")
    grant(trainer, RoleGrant.Role.TRAINER)
    client.force_login(trainer)
    notes = [
        r[0] for r in load_workbook(io.BytesIO(client.get(reverse("exams:bank_template")).content))["填写说明"].values
    ]
    assert any(n.startswith("违法类别可选:") and "户外广告" in n for n in notes)
    upload = SimpleUploadedFile("题库.xlsx", sheet([["单选", "一", "甲", "乙", "A", "户外广告"]]))
    response = client.post(reverse("exams:bank_import"), {"file": upload, "activate": "on"})
    assert response.status_code == 200
    client.post(reverse("exams:bank_import"), {"confirm": "1", "token": client.session["question_upload"]["token"]})
    assert Question.objects.get().violation_category == "outdoor_ads"

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from exams import services
from exams.formats import gift, moodle_xml, xlsx
from exams.models import Question
from tests.factories import PASSWORD

from .samples import GIFT, MOODLE_XML
from .test_formats import row, sheet_bytes


@pytest.fixture
def question(trainer, make_single):
    return services.question_create(data=make_single(), actor=trainer)


def _urls(question):
    return [
        ("get", reverse("exams:bank_list")),
        ("get", reverse("exams:question_create")),
        ("get", reverse("exams:bank_import")),
        ("get", reverse("exams:bank_template")),
        ("get", reverse("exams:bank_export", args=["moodle-xml"])),
        ("get", reverse("exams:bank_export", args=["gift"])),
        ("get", reverse("exams:bank_export", args=["xlsx"])),
        ("get", reverse("exams:question_detail", args=[question.pk])),
        ("get", reverse("exams:question_edit", args=[question.pk])),
        ("post", reverse("exams:question_status", args=[question.pk])),
        ("post", reverse("exams:question_reviewed", args=[question.pk])),
    ]


def test_anonymous_is_sent_to_login(client, question):
    for method, url in _urls(question):
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


def test_officer_and_unit_leader_get_403(client, question, officer, leader):
    for user in (officer.user, leader):
        client.force_login(user)
        for method, url in _urls(question):
            assert getattr(client, method)(url).status_code == 403, (user, url)
    question.refresh_from_db()
    assert question.status == "draft"


@pytest.mark.parametrize("who", ["trainer", "hr"])
def test_trainer_and_hr_may_use_every_page(client, question, who, request):
    client.force_login(request.getfixturevalue(who))
    for method, url in _urls(question):
        response = getattr(client, method)(url, {"status": "active"} if method == "post" else None)
        assert response.status_code in (200, 302), url
        if method == "get":
            assert response.status_code == 200, url


def test_list_filters(client, trainer, make_single):
    services.question_create(data=make_single(), actor=trainer)
    services.question_create(
        data=make_single(
            kind="true_false",
            stem="协管员可以独立作出行政处罚决定。",
            options=[],
            answer_bool=False,
            category="城市管理/执法主体",
        ),
        actor=trainer,
    )
    client.force_login(trainer)
    url = reverse("exams:bank_list")
    assert "协管员" in client.get(url).content.decode()
    page = client.get(url, {"kind": "single"}).content.decode()
    assert "协管员" not in page and "备案" in page
    assert "备案" not in client.get(url, {"q": "协管员"}).content.decode()
    assert "协管员" not in client.get(url, {"status": "active"}).content.decode()
    assert "协管员" not in client.get(url, {"difficulty": 5}).content.decode()
    assert "备案" in client.get(url, {"tag": "简易程序"}).content.decode()
    from exams.models import QuestionCategory

    top = QuestionCategory.objects.get(full_path="城市管理")
    page = client.get(url, {"category": top.pk}).content.decode()  # a parent category includes its subtree
    assert "协管员" in page and "备案" not in page


def _form(**overrides):
    data = {
        "kind": "multiple",
        "category_path": "行政处罚法/处罚种类",
        "stem": "下列属于行政处罚种类的有:",
        "option_a": "警告、通报批评",
        "option_b": "罚款、没收违法所得",
        "option_c": "记过",
        "answer": "AB",
        "scoring_mode": "partial",
        "points": "2",
        "difficulty": "3",
        "law_refs": "《中华人民共和国行政处罚法》第九条",
        "tags": "处罚种类",
    }
    data.update(overrides)
    return data


def test_create_and_edit_make_versions(client, trainer):
    client.force_login(trainer)
    response = client.post(reverse("exams:question_create"), _form())
    assert response.status_code == 302
    question = Question.objects.get()
    assert question.kind == "multiple" and question.scoring_mode == "partial" and question.version_number == 1
    assert [o["correct"] for o in question.options] == [True, True, False]
    page = client.get(reverse("exams:question_edit", args=[question.pk])).content.decode()
    assert "警告、通报批评" in page and "AB</textarea>" in page
    response = client.post(reverse("exams:question_edit", args=[question.pk]), _form(answer="ABC", note="加记过"))
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.version_number == 2
    assert question.versions.get(number=1).content["options"][2]["correct"] is False
    assert question.versions.get(number=2).content["options"][2]["correct"] is True
    detail = client.get(reverse("exams:question_detail", args=[question.pk])).content.decode()
    assert "v2" in detail and "v1" in detail and "加记过" in detail


def test_form_errors_are_shown_in_chinese_and_nothing_saved(client, trainer):
    client.force_login(trainer)
    response = client.post(reverse("exams:question_create"), _form(kind="single", answer="E"))
    assert response.status_code == 200
    assert "答案「E」引用的选项E为空或不存在" in response.content.decode()
    assert not Question.objects.exists()


def test_status_change(client, trainer, question):
    client.force_login(trainer)
    client.post(reverse("exams:question_status", args=[question.pk]), {"status": "retired"})
    question.refresh_from_db()
    assert question.status == "retired"


def test_exports_download_in_each_format(client, trainer, question):
    client.force_login(trainer)
    for fmt, module in (("moodle-xml", moodle_xml), ("gift", gift), ("xlsx", xlsx)):
        response = client.get(reverse("exams:bank_export", args=[fmt]))
        assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
        parsed = module.parse(response.content)
        assert parsed.ok and [q.stem for q in parsed.questions] == [question.stem]
    assert client.get(reverse("exams:bank_export", args=["doc"])).status_code == 404  # an unknown format is not found, not forbidden


def test_import_preview_then_confirm(client, trainer):
    client.force_login(trainer)
    url = reverse("exams:bank_import")
    upload = SimpleUploadedFile("题库.xml", MOODLE_XML, content_type="application/xml")
    response = client.post(url, {"file": upload, "activate": "on"})
    page = response.content.decode()
    assert response.status_code == 200 and 'id="preview"' in page
    assert "第 6 题:不支持的题型「matching」,已跳过" in page
    assert not Question.objects.exists()  # preview writes nothing
    token = client.session["question_upload"]["token"]
    response = client.post(url, {"confirm": "1", "token": token})
    assert response.status_code == 302
    assert Question.objects.filter(status="active").count() == 5


def test_import_with_errors_lists_them_and_writes_nothing(client, trainer):
    client.force_login(trainer)
    content = sheet_bytes([row("判断", "正常题", answer="正确"), row("问答", "题干", answer="A")])
    upload = SimpleUploadedFile("题库.xlsx", content)
    response = client.post(reverse("exams:bank_import"), {"file": upload})
    page = response.content.decode()
    assert response.status_code == 400 and 'id="import-errors"' in page
    assert "第 3 行" in page and "题型「问答」无效" in page
    assert "question_upload" not in client.session
    assert not Question.objects.exists()


def test_import_confirm_with_a_stale_token_writes_nothing(client, trainer):
    client.force_login(trainer)
    client.post(reverse("exams:bank_import"), {"file": SimpleUploadedFile("a.gift", GIFT)})
    response = client.post(reverse("exams:bank_import"), {"confirm": "1", "token": "forged"})
    assert response.status_code == 302 and not Question.objects.exists()


def test_import_with_unknown_extension_asks_for_format(client, trainer):
    client.force_login(trainer)
    response = client.post(reverse("exams:bank_import"), {"file": SimpleUploadedFile("a.doc", GIFT)})
    assert response.status_code == 400 and "无法从扩展名判断格式" in response.content.decode()
    response = client.post(reverse("exams:bank_import"), {"file": SimpleUploadedFile("a.doc", GIFT), "format": "gift"})
    assert response.status_code == 200 and 'id="preview"' in response.content.decode()


def test_template_download_is_the_blank_template(client, trainer):
    client.force_login(trainer)
    response = client.get(reverse("exams:bank_template"))
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert sheet["A1"].value == "题型" and sheet.max_row == 1


def test_real_login_trainer_reaches_bank(client, trainer):
    assert client.login(username=trainer.username, password=PASSWORD)
    assert client.get(reverse("exams:bank_list")).status_code == 200

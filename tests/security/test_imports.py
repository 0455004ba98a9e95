"""Issue #11 (3): import bombs. Every import (roster, question bank .xlsx / XML / GIFT) answers a hostile file in
seconds with a clear Chinese message: upload size, the .xlsx's declared uncompressed size, rows read, and the number
of errors shown are capped. Issue #12: the roster importer accepts a bureau template with a title row."""

import csv
import io
import time
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from org.models import Officer, RoleGrant
from tests.factories import UserFactory, grant, unit

pytestmark = pytest.mark.django_db

ROSTER_HEADERS = ["工号", "姓名", "单位", "人员类别", "入职日期", "手机号", "邮箱", "执法岗位", "状态"]
TEAM = "测试区城管局/执法一中队/一分队"


def xlsx(rows) -> bytes:
    book = Workbook()
    for r in rows:
        book.active.append(r)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def zip_bomb(header: list[str], uncompressed_mb: int = 300) -> bytes:
    """A real .xlsx whose first sheet holds `uncompressed_mb` MB of rows, compressed to well under 2 MB."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx([header]))) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename != "xl/worksheets/sheet1.xml":
                dst.writestr(item, data)
                continue
            with dst.open(item.filename, "w", force_zip64=True) as member:
                member.write(data.replace(b"</sheetData>", b""))
                chunk = b"<row><c t='inlineStr'><is><t>x</t></is></c></row>" * 20_000
                for _ in range(uncompressed_mb * 1024 * 1024 // len(chunk)):
                    member.write(chunk)
                member.write(b"</sheetData></worksheet>")
    return out.getvalue()


@pytest.fixture
def hr_client(client, mfa_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    unit(TEAM)
    hr = UserFactory(username="hr-imports")
    grant(hr, RoleGrant.Role.HR)
    mfa_user(hr)
    client.force_login(hr)
    return client


@pytest.fixture
def trainer_client(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    trainer = UserFactory(username="trainer-imports")
    grant(trainer, RoleGrant.Role.TRAINER)
    client.force_login(trainer)
    return client


def post_roster(client, content: bytes, name: str = "花名册.xlsx"):
    return client.post(reverse("org:roster_import"), {"file": SimpleUploadedFile(name, content)})


def post_bank(client, content: bytes, name: str = "题库.xlsx"):
    return client.post(reverse("exams:bank_import"), {"file": SimpleUploadedFile(name, content), "activate": "on"})


@pytest.mark.parametrize(
    ("poster", "client_fixture", "header"),
    [(post_roster, "hr_client", ROSTER_HEADERS), (post_bank, "trainer_client", ["题型", "题干", "答案"])],
)
def test_zip_bomb_is_refused_in_seconds(request, poster, client_fixture, header):
    client = request.getfixturevalue(client_fixture)
    bomb = zip_bomb(header)
    assert len(bomb) < 2 * 1024 * 1024
    started = time.monotonic()
    response = poster(client, bomb)
    elapsed = time.monotonic() - started
    assert response.status_code == 400
    assert "解压后超过 64 MB" in response.content.decode()
    assert elapsed < 3 and len(response.content) < 100_000


@pytest.mark.parametrize(
    ("poster", "client_fixture", "name"),
    [
        (post_roster, "hr_client", "花名册.csv"),
        (post_bank, "trainer_client", "题库.xlsx"),
        (post_bank, "trainer_client", "题库.xml"),
        (post_bank, "trainer_client", "题库.gift"),
    ],
)
def test_upload_size_is_capped(request, settings, poster, client_fixture, name):
    client = request.getfixturevalue(client_fixture)
    settings.IMPORT_MAX_BYTES = 1024 * 1024
    response = poster(client, b"x" * (1024 * 1024 + 1), name)
    assert response.status_code in (200, 400)
    assert "文件太大(上限 1 MB)" in response.content.decode()


def test_an_oversized_request_body_is_refused_before_it_is_read(hr_client, settings):
    settings.REQUEST_MAX_BYTES = 1000
    response = post_roster(hr_client, b"x" * 2000, "花名册.csv")
    assert response.status_code == 413 and "上传的内容太大" in response.content.decode()


def test_row_count_is_capped(hr_client, settings):
    settings.IMPORT_MAX_ROWS = 100
    buffer = io.StringIO()
    csv.writer(buffer).writerows([ROSTER_HEADERS] + [[f"BJ{i:04}", "张伟", TEAM, "执法人员"] for i in range(150)])
    response = post_roster(hr_client, buffer.getvalue().encode("utf-8-sig"), "花名册.csv")
    assert response.status_code == 400 and "文件超过 100 行" in response.content.decode()


def test_roster_errors_shown_are_capped_with_a_count_of_the_rest(hr_client):
    buffer = io.StringIO()
    csv.writer(buffer).writerows(
        [ROSTER_HEADERS] + [[f"BJ{i:04}", "张伟", "不存在的单位", "执法人员"] for i in range(300)]
    )
    response = post_roster(hr_client, buffer.getvalue().encode("utf-8-sig"), "花名册.csv")
    html = response.content.decode()
    assert response.status_code == 400
    assert "发现 300 处错误" in html
    assert html.count("不存在的单位”不存在") == 200
    assert "另有 100 处错误未列出" in html


def test_bank_errors_shown_are_capped_with_a_count_of_the_rest(trainer_client):
    rows = [["题型", "题干", "答案"]] + [["问答", f"题{i}", "A"] for i in range(300)]
    response = post_bank(trainer_client, xlsx(rows))
    html = response.content.decode()
    assert response.status_code == 400
    assert "发现 300 处错误" in html and html.count("题型「问答」无效") == 200
    assert "另有 100 处错误未列出" in html


def test_roster_with_a_bureau_title_row_imports(hr_client):
    """Issue #12: bureau templates start with a merged title row above the header."""
    content = xlsx(
        [
            ["某某局2026年执法人员花名册"],
            ROSTER_HEADERS,
            ["BJ0901", "赵敏", TEAM, "执法人员", "2021-03-01", "", "", "是", "在职"],
        ]
    )
    response = post_roster(hr_client, content)
    assert response.status_code == 200 and "将新增 1 人" in response.content.decode()
    token = hr_client.session["roster_upload"]["token"]
    hr_client.post(reverse("org:roster_import"), {"confirm": "1", "token": token})
    assert Officer.objects.filter(employee_no="BJ0901", name="赵敏").exists()

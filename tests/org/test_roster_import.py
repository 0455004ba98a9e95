"""Roster (花名册) import: parsing, validation with Chinese row/column errors, idempotent apply,
the import_roster command and the upload → preview → confirm web flow."""

import csv
import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook

from org import services
from org.models import AuditEntry, Officer, User
from org.roster import RosterFileError, parse_roster
from tests.factories import OfficerFactory, UserFactory, unit

HEADERS = ["工号", "姓名", "单位", "人员类别", "入职日期", "手机号", "邮箱", "执法岗位", "状态"]
T1 = "测试区城管局/执法一中队/一分队"
T2 = "测试区城管局/执法一中队/二分队"
SQUAD2 = "测试区城管局/执法二中队"


def row(
    no="BJ0001",
    name="张伟",
    unit_path=T1,
    category="执法人员",
    hire="2021-03-01",
    phone="13900000001",
    email="",
    duty="是",
    status="在职",
):
    return [no, name, unit_path, category, hire, phone, email, duty, status]


def good_rows() -> list[list]:
    return [
        row("BJ0001", "张伟", T1, "执法人员", "2021-03-01", "13900000001", "zhangwei@example.com"),
        row("BJ0002", "王芳", T2, "协管员", "2019/7/15", "13900000002", "", "否"),
        row("BJ0003", "李强", SQUAD2, "中层骨干", "", "", "", "是"),
    ]


def xlsx(rows, headers=HEADERS) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for r in rows:
        sheet.append(r)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows, encoding="utf-8-sig", headers=HEADERS) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def counts() -> tuple[int, int, int]:
    return Officer.objects.count(), User.objects.count(), AuditEntry.objects.count()


def snapshot() -> list[tuple]:
    return list(
        Officer.objects.order_by("employee_no").values_list(
            "employee_no",
            "name",
            "unit_id",
            "role_category_id",
            "hire_date",
            "phone",
            "enforcement_duty",
            "status",
            "user__email",
            "user__is_active",
            "updated_at",
        )
    )


def do_import(content: bytes, filename: str = "roster.xlsx", dry_run: bool = False):
    parsed = parse_roster(filename, content)
    assert parsed.ok, [str(e) for e in parsed.errors]
    return services.roster_import(parsed=parsed, actor=None, dry_run=dry_run)


@pytest.fixture
def units(db):
    return {path: unit(path) for path in (T1, T2, SQUAD2)}


# --- good files -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filename", "build"),
    [
        ("花名册.xlsx", lambda rows: xlsx(rows)),
        ("花名册.csv", lambda rows: csv_bytes(rows, "utf-8-sig")),
        ("花名册.csv", lambda rows: csv_bytes(rows, "utf-8")),
        ("花名册.CSV", lambda rows: csv_bytes(rows, "gb18030")),
    ],
    ids=["xlsx", "csv-utf8-bom", "csv-utf8", "csv-gb18030"],
)
def test_good_file_creates_officers_with_logins(units, filename, build):
    report = do_import(build(good_rows()), filename)
    assert sorted(report.created) == ["BJ0001", "BJ0002", "BJ0003"]
    assert report.updated == [] and report.unchanged == []
    zhang = Officer.objects.select_related("user", "unit", "role_category").get(employee_no="BJ0001")
    assert zhang.user.username == "BJ0001"
    assert zhang.name == "张伟" and zhang.unit.full_path == T1 and zhang.role_category.name == "执法人员"
    assert zhang.hire_date == dt.date(2021, 3, 1)
    assert zhang.phone == "13900000001" and zhang.user.email == "zhangwei@example.com"
    assert zhang.enforcement_duty and zhang.status == Officer.Status.ACTIVE and zhang.user.is_active
    assert not zhang.user.has_usable_password()  # HR issues an initial password later
    wang = Officer.objects.get(employee_no="BJ0002")
    assert (
        wang.hire_date == dt.date(2019, 7, 15) and not wang.enforcement_duty and wang.role_category.code == "auxiliary"
    )
    li = Officer.objects.get(employee_no="BJ0003")
    assert li.hire_date is None and li.phone is None
    assert AuditEntry.objects.filter(action="officer.create").count() == 3
    assert AuditEntry.objects.get(action="roster.import").data == {"created": 3, "updated": 0, "unchanged": 0}


def test_reimport_same_file_is_idempotent(units):
    content = xlsx(good_rows())
    do_import(content)
    before_snapshot, before_counts = snapshot(), counts()
    report = do_import(content)
    assert sorted(report.unchanged) == ["BJ0001", "BJ0002", "BJ0003"]
    assert report.created == [] and report.updated == []
    assert snapshot() == before_snapshot  # not even updated_at moved
    officers, users, audits = counts()
    assert (officers, users) == before_counts[:2]
    assert not AuditEntry.objects.filter(action="officer.update").exists()


def test_changed_fields_are_updated_and_reported(units):
    do_import(xlsx(good_rows()))
    rows = good_rows()
    rows[0] = row("BJ0001", "张伟", T2, "法制员", "2021-03-01", "13900000009", "zhangwei@example.com", "否")
    report = do_import(xlsx(rows))
    assert report.updated == ["BJ0001"]
    assert set(report.changes["BJ0001"]) == {"unit_id", "role_category_id", "phone", "enforcement_duty"}
    assert sorted(report.unchanged) == ["BJ0002", "BJ0003"]
    zhang = Officer.objects.get(employee_no="BJ0001")
    assert zhang.unit.full_path == T2 and zhang.role_category.code == "legal"
    assert zhang.phone == "13900000009" and not zhang.enforcement_duty
    assert AuditEntry.objects.get(action="officer.update").data == {"fields": report.changes["BJ0001"]}


def test_email_only_change_updates_the_login(units):
    do_import(xlsx(good_rows()))
    rows = good_rows()
    rows[0][6] = "zw2@example.com"
    report = do_import(xlsx(rows))
    assert report.updated == ["BJ0001"] and report.changes["BJ0001"] == ["email"]
    assert User.objects.get(username="BJ0001").email == "zw2@example.com"


def test_dry_run_writes_nothing(units):
    before = counts()
    report = do_import(xlsx(good_rows()), dry_run=True)
    assert len(report.created) == 3 and report.dry_run
    assert counts() == before


def test_full_width_and_stray_spaces_are_normalised(units):
    rows = [
        [
            "ＢＪ０００１",
            " 张 伟 ",
            "  测试区城管局 / 执法一中队 /一分队 ",
            " 执法人员 ",
            "２０２１－０３－０１",
            "１３９ ０００００ ００１",
            " ZhangWei@Example.COM ",
            " 是 ",
            " 在职 ",
        ],
    ]
    report = do_import(xlsx(rows))
    assert report.created == ["BJ0001"]
    zhang = Officer.objects.select_related("user").get()
    assert zhang.employee_no == "BJ0001" and zhang.user.username == "BJ0001"
    assert zhang.name == "张伟"
    assert zhang.unit.full_path == T1
    assert zhang.hire_date == dt.date(2021, 3, 1)
    assert zhang.phone == "13900000001"
    assert zhang.user.email == "zhangwei@example.com"


@pytest.mark.parametrize(
    "value",
    ["2021-03-01", "2021/3/1", "2021.03.01", "20210301", "2021年3月1日", dt.date(2021, 3, 1), dt.datetime(2021, 3, 1)],
)
def test_date_formats(units, value):
    do_import(xlsx([row(hire=value)]))
    assert Officer.objects.get().hire_date == dt.date(2021, 3, 1)


def test_alternative_headers_and_required_marks(units):
    headers = ["警号*", "姓名*", "所属单位*", "类别*", "参加工作时间", "联系电话"]
    do_import(xlsx([["BJ0001", "张伟", T1, "执法人员", "2021-03-01", "139-0000-0001"]], headers=headers))
    officer = Officer.objects.get()
    assert officer.phone == "13900000001" and officer.hire_date == dt.date(2021, 3, 1)
    assert officer.status == Officer.Status.ACTIVE and not officer.enforcement_duty


def test_blank_rows_are_skipped(units):
    content = xlsx([row("BJ0001"), [None] * 9, ["", "", ""], row("BJ0002", phone="13900000002")])
    report = do_import(content)
    assert sorted(report.created) == ["BJ0001", "BJ0002"]


def test_status_left_deactivates_login_and_active_restores_it(units, client):
    do_import(xlsx([row()]))
    user = User.objects.get(username="BJ0001")
    user.set_password("Zfxt-Pass-2026")
    user.save()
    report = do_import(xlsx([row(status="离职")]))
    assert report.updated == ["BJ0001"]
    user.refresh_from_db()
    assert not user.is_active
    assert Officer.objects.get().status == Officer.Status.LEFT
    client.post(reverse("account_login"), {"login": "BJ0001", "password": "Zfxt-Pass-2026"})
    assert "_auth_user_id" not in client.session
    do_import(xlsx([row(status="在职")]))
    user.refresh_from_db()
    assert user.is_active


def test_phone_may_move_between_officers_in_one_file(units):
    do_import(xlsx([row("BJ0001", phone="13900000001"), row("BJ0002", phone="13900000002")]))
    swapped = [row("BJ0001", phone="13900000002"), row("BJ0002", phone="13900000001")]
    report = do_import(xlsx(swapped))
    assert sorted(report.updated) == ["BJ0001", "BJ0002"]
    assert dict(Officer.objects.values_list("employee_no", "phone")) == {
        "BJ0001": "13900000002",
        "BJ0002": "13900000001",
    }


def test_phone_freed_by_another_row_in_the_file_may_be_taken(units):
    do_import(xlsx([row("BJ0001", phone="13900000001")]))
    report = do_import(xlsx([row("BJ0001", phone=""), row("BJ0002", phone="13900000001")]))
    assert report.updated == ["BJ0001"] and report.created == ["BJ0002"]
    assert Officer.objects.get(employee_no="BJ0002").phone == "13900000001"


# --- bad rows: reported in Chinese with row and column; nothing written -----------------------------------


BAD_ROWS = [
    ("missing-no", row(no=""), "工号", "工号不能为空"),
    ("missing-name", row(name=""), "姓名", "姓名不能为空"),
    ("unknown-unit", row(unit_path="测试区城管局/执法九中队"), "单位", "“测试区城管局/执法九中队”不存在"),
    ("missing-unit", row(unit_path=""), "单位", "单位不能为空"),
    ("bad-date", row(hire="2021-13-45"), "入职日期", "日期“2021-13-45”无法识别"),
    ("bad-date-text", row(hire="去年三月"), "入职日期", "无法识别"),
    ("unknown-category", row(category="辅警"), "人员类别", "人员类别“辅警”不存在"),
    ("bad-phone-short", row(phone="1390000"), "手机号", "应为 11 位数字"),
    ("bad-phone-letters", row(phone="139abc00001"), "手机号", "应为 11 位数字"),
    ("bad-email", row(email="zhang@"), "邮箱", "邮箱“zhang@”格式不正确"),
    ("bad-duty", row(duty="也许"), "执法岗位", "应填“是”或“否”"),
    ("bad-status", row(status="借调"), "状态", "状态应为 在职、离职 或 退休"),
]


@pytest.mark.parametrize(("case", "bad", "column", "message"), BAD_ROWS, ids=[c[0] for c in BAD_ROWS])
def test_each_bad_row_is_reported_and_nothing_written(units, case, bad, column, message):
    good = good_rows()
    bad = list(bad)
    bad[0] = bad[0] and "BJ0009"  # an empty 工号 stays empty; otherwise not a duplicate of row 2
    bad[5] = bad[5].replace("13900000001", "13900000009")
    content = xlsx([good[0], good[1], bad, good[2]])
    parsed = parse_roster("roster.xlsx", content)
    assert not parsed.ok
    assert [(e.row, e.column) for e in parsed.errors] == [(4, column)]
    assert message in parsed.errors[0].message
    text = str(parsed.errors[0])
    assert text.startswith("第 4 行「" + column + "」")
    before = counts()
    with pytest.raises(ValueError):
        services.roster_import(parsed=parsed, actor=None)
    assert counts() == before


def test_duplicate_employee_no_in_file_reports_the_earlier_row(units):
    rows = [row("BJ0001"), row("BJ0002", phone="13900000002"), row("ｂｊ0001".upper(), phone="13900000003")]
    parsed = parse_roster("roster.xlsx", xlsx(rows))
    assert [(e.row, e.column) for e in parsed.errors] == [(4, "工号")]
    assert "BJ0001" in parsed.errors[0].message and "第 2 行" in parsed.errors[0].message


def test_duplicate_phone_in_file_reports_the_earlier_row(units):
    rows = [row("BJ0001", phone="13900000001"), row("BJ0002", phone="１３９００００００01")]
    parsed = parse_roster("roster.xlsx", xlsx(rows))
    assert [(e.row, e.column) for e in parsed.errors] == [(3, "手机号")]
    assert "第 2 行" in parsed.errors[0].message


def test_duplicate_email_in_file_is_reported(units):
    rows = [row("BJ0001", email="a@example.com"), row("BJ0002", phone="13900000002", email="A@example.com")]
    parsed = parse_roster("roster.xlsx", xlsx(rows))
    assert [(e.row, e.column) for e in parsed.errors] == [(3, "邮箱")]


def test_phone_already_used_by_another_officer_in_database(units):
    OfficerFactory(employee_no="OLD001", phone="13900000001", unit=units[T1])
    parsed = parse_roster("roster.xlsx", xlsx([row("BJ0001", phone="13900000001")]))
    assert [(e.row, e.column) for e in parsed.errors] == [(2, "手机号")]
    assert "OLD001" in parsed.errors[0].message


def test_email_may_move_between_accounts_in_one_file(units):
    do_import(xlsx([row("BJ0001", email="a@example.com"), row("BJ0002", phone="13900000002", email="b@example.com")]))
    moved = [row("BJ0001", email="c@example.com"), row("BJ0002", phone="13900000002", email="a@example.com")]
    report = do_import(xlsx(moved))
    assert sorted(report.updated) == ["BJ0001", "BJ0002"]
    assert dict(User.objects.values_list("username", "email")) == {"BJ0001": "c@example.com", "BJ0002": "a@example.com"}


def test_email_kept_by_owner_with_empty_cell_is_still_taken(units):
    do_import(xlsx([row("BJ0001", email="a@example.com")]))
    parsed = parse_roster(
        "roster.xlsx", xlsx([row("BJ0001"), row("BJ0002", phone="13900000002", email="a@example.com")])
    )
    assert [(e.row, e.column) for e in parsed.errors] == [(3, "邮箱")]


def test_email_already_used_by_another_account_in_database(units):
    UserFactory(username="someone", email="zhangwei@example.com")
    parsed = parse_roster("roster.xlsx", xlsx([row(email="zhangwei@example.com")]))
    assert [(e.row, e.column) for e in parsed.errors] == [(2, "邮箱")]
    assert "someone" in parsed.errors[0].message


def test_every_error_of_every_row_is_listed(units):
    rows = [row(no="", category="辅警"), row("BJ0002", phone="123", status="借调")]
    parsed = parse_roster("roster.xlsx", xlsx(rows))
    assert [(e.row, e.column) for e in parsed.errors] == [(2, "人员类别"), (2, "工号"), (3, "手机号"), (3, "状态")]


# --- bad files -----------------------------------------------------------------------------------


def test_missing_required_header_is_a_file_error(units):
    with pytest.raises(RosterFileError, match="表头缺少必填列:单位、人员类别"):
        parse_roster("roster.xlsx", xlsx([["BJ0001", "张伟"]], headers=["工号", "姓名"]))


@pytest.mark.parametrize("filename", ["roster.xls", "roster.txt", "roster"])
def test_wrong_extension_is_a_file_error(units, filename):
    with pytest.raises(RosterFileError, match="只支持 .xlsx 或 .csv 文件"):
        parse_roster(filename, xlsx(good_rows()))


def test_broken_xlsx_is_a_file_error(units):
    with pytest.raises(RosterFileError, match="无法读取 Excel 文件"):
        parse_roster("roster.xlsx", b"this is not a zip file")


def test_header_only_is_a_file_error(units):
    with pytest.raises(RosterFileError, match="没有数据行"):
        parse_roster("roster.xlsx", xlsx([]))


def test_empty_csv_is_a_file_error(units):
    with pytest.raises(RosterFileError, match="文件是空的"):
        parse_roster("roster.csv", b"")


# --- management command ------------------------------------------------------------------------


def test_command_imports_and_prints_counts(units, tmp_path):
    path = tmp_path / "花名册.xlsx"
    path.write_bytes(xlsx(good_rows()))
    out = io.StringIO()
    call_command("import_roster", str(path), stdout=out)
    assert "新增 3 人,更新 0 人,未变 0 人" in out.getvalue()
    assert Officer.objects.count() == 3
    out = io.StringIO()
    call_command("import_roster", str(path), stdout=out)
    assert "新增 0 人,更新 0 人,未变 3 人" in out.getvalue()


def test_command_dry_run_writes_nothing(units, tmp_path):
    path = tmp_path / "花名册.csv"
    path.write_bytes(csv_bytes(good_rows(), "gb18030"))
    before = counts()
    out = io.StringIO()
    call_command("import_roster", str(path), "--dry-run", stdout=out)
    assert "[预览,未写入]" in out.getvalue() and "新增 3 人" in out.getvalue()
    assert counts() == before


def test_command_with_errors_prints_each_and_writes_nothing(units, tmp_path):
    rows = good_rows() + [row("BJ0004", phone="123"), row("BJ0005", phone="13900000005", status="借调")]
    path = tmp_path / "花名册.xlsx"
    path.write_bytes(xlsx(rows))
    before = counts()
    err = io.StringIO()
    with pytest.raises(CommandError, match="发现 2 处错误,未写入任何数据"):
        call_command("import_roster", str(path), stderr=err)
    lines = err.getvalue().strip().splitlines()
    assert lines == ["第 5 行「手机号」:手机号“123”应为 11 位数字", "第 6 行「状态」:状态应为 在职、离职 或 退休"]
    assert counts() == before


def test_command_file_errors(units, tmp_path):
    with pytest.raises(CommandError, match="文件不存在"):
        call_command("import_roster", str(tmp_path / "nope.xlsx"))
    path = tmp_path / "roster.xls"
    path.write_bytes(b"x")
    with pytest.raises(CommandError, match="只支持"):
        call_command("import_roster", str(path))


# --- web flow ------------------------------------------------------------------------------------


@pytest.fixture
def hr_client(client, units, mfa_user, settings, tmp_path):
    from tests.factories import grant

    settings.MEDIA_ROOT = tmp_path / "media"
    hr = UserFactory(username="hr01")
    grant(hr, "hr")
    mfa_user(hr)
    client.force_login(hr)
    client.hr = hr
    return client


def _upload(client, content: bytes, name: str = "花名册.xlsx"):
    upload = io.BytesIO(content)
    upload.name = name
    return client.post(reverse("org:roster_import"), {"file": upload})


def test_web_upload_previews_then_confirm_writes(hr_client, tmp_path):
    before = counts()
    preview = _upload(hr_client, xlsx(good_rows()))
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "将新增 3 人,更新 0 人,0 人没有变化" in html
    assert counts() == before  # nothing written by the preview
    token = preview.context["token"]
    confirm = hr_client.post(reverse("org:roster_import"), {"confirm": "1", "token": token})
    assert confirm.status_code == 302 and confirm["Location"] == reverse("org:officer_list")
    assert Officer.objects.count() == 3
    entry = AuditEntry.objects.get(action="roster.import")
    assert entry.actor == hr_client.hr
    assert not list((tmp_path / "media" / "staged_uploads").iterdir())  # the stash is removed
    # The token is spent: confirming again writes nothing more.
    again = hr_client.post(reverse("org:roster_import"), {"confirm": "1", "token": token})
    assert again.status_code == 302 and again["Location"] == reverse("org:roster_import")
    assert AuditEntry.objects.filter(action="roster.import").count() == 1


def test_web_confirm_with_wrong_token_writes_nothing(hr_client):
    _upload(hr_client, xlsx(good_rows()))
    before = counts()
    response = hr_client.post(reverse("org:roster_import"), {"confirm": "1", "token": "forged"})
    assert response.status_code == 302
    assert counts() == before


def test_web_bad_file_shows_error_table_and_writes_nothing(hr_client):
    rows = good_rows() + [row("BJ0004", phone="13900000004", unit_path="测试区城管局/不存在的中队")]
    before = counts()
    response = _upload(hr_client, xlsx(rows))
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="roster-errors"' in html and "发现 1 处错误,未写入任何数据" in html
    assert "<td>5</td><td>单位</td>" in html
    assert "token" not in response.context
    assert counts() == before


def test_web_file_error_is_shown(hr_client):
    response = _upload(hr_client, xlsx([["BJ0001"]], headers=["工号"]))
    assert response.status_code == 400
    assert "表头缺少必填列" in response.content.decode()


def test_web_wrong_extension_is_rejected_by_the_form(hr_client):
    before = counts()
    response = _upload(hr_client, b"a,b", name="roster.xls")
    assert "只支持 .xlsx 或 .csv 文件" in response.content.decode()
    assert "token" not in response.context
    assert counts() == before


def test_export_then_reimport_round_trip_is_all_unchanged(hr_client):
    rows = good_rows()
    rows[1][8] = "退休"
    do_import(xlsx(rows))
    exported = hr_client.get(reverse("org:officer_export"))
    assert exported.status_code == 200
    before = snapshot()
    preview = _upload(hr_client, exported.content, name="roster-export.xlsx")
    assert preview.status_code == 200, preview.context.get("errors")
    report = preview.context["report"]
    assert sorted(report.unchanged) == ["BJ0001", "BJ0002", "BJ0003"]
    assert report.created == [] and report.updated == []
    hr_client.post(reverse("org:roster_import"), {"confirm": "1", "token": preview.context["token"]})
    assert snapshot() == before

"""Certificate import: the whole file is validated first, each error with its row and column in Chinese, nothing
written on error; re-import (and importing an export) is idempotent; the command does the same."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook, load_workbook

from certification import services
from certification.models import Certificate, CertificateEvent
from certification.services import CertificationError
from org.models import RoleCategory
from tests.certification import factories as f
from tests.factories import OfficerFactory, unit

TODAY = dt.date(2026, 11, 15)
HEADER = ["工号", "姓名", "证号", "发证机关", "发证日期", "有效期至", "执法类别", "执法区域"]


def xlsx(rows, header=HEADER) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.fixture
def people(db):
    team = unit("测试区城管局/执法一中队/一分队")
    return {
        "zhang": OfficerFactory(unit=team, name="张伟", employee_no="E001"),
        "wang": OfficerFactory(unit=team, name="王芳", employee_no="E002"),
        "zhao": OfficerFactory(
            unit=team, name="赵敏", employee_no="E003", role_category=RoleCategory.objects.get(code="auxiliary")
        ),
    }


def run(hr, data, dry_run=False, name="certs.xlsx"):
    return services.certificates_import(actor=hr, data=data, filename=name, dry_run=dry_run, today=TODAY)


GOOD = [
    ["E001", "张伟", "沪执0001", "测试区人民政府", dt.date(2024, 3, 1), dt.date(2030, 3, 1), "市容环境", "测试区"],
    ["E002", "王芳", "沪执0002", "测试区人民政府", "2025年6月1日", None, "", ""],
]


def test_good_file_dry_run_then_import_then_reimport_is_idempotent(world_hr, people):
    report = run(world_hr, xlsx(GOOD), dry_run=True)
    assert report.ok and len(report.created) == 2 and not Certificate.objects.exists()
    report = run(world_hr, xlsx(GOOD))
    assert [c.number for c in report.created] == ["沪执0001", "沪执0002"]
    assert Certificate.objects.get(number="沪执0002").issued_on == dt.date(2025, 6, 1)
    assert CertificateEvent.objects.filter(kind=CertificateEvent.Kind.ISSUED).count() == 2
    again = run(world_hr, xlsx(GOOD))
    assert again.ok and again.created == [] and len(again.unchanged) == 2
    assert Certificate.objects.count() == 2 and CertificateEvent.objects.count() == 2


def test_every_bad_row_is_reported_with_row_and_column_and_nothing_is_written(world_hr, people):
    f.certificate(people["wang"], number="沪执9999")
    rows = [
        GOOD[0],
        ["E404", "无名", "沪执0003", "测试区人民政府", "2024-01-01", None, "", ""],  # row 3: unknown 工号
        ["E003", "赵敏", "沪执0004", "测试区人民政府", "2024-01-01", None, "", ""],  # row 4: 协管员
        ["E002", "王芳", "沪执0001", "测试区人民政府", "2024-01-01", None, "", ""],  # row 5: duplicate 证号, holds one
        ["E002", "王芳", "沪执0005", "测试区人民政府", "2024-05-01", "2024-04-01", "", ""],  # row 6: dates, dup 工号
        ["E001", "张三", "", "", "2024-13-45", None, "", ""],  # row 7: name, number, authority, date, dup 工号
    ]
    report = run(world_hr, xlsx(rows))
    found: dict[tuple[int, str], list[str]] = {}
    for e in report.errors:
        found.setdefault((e.row, e.column), []).append(e.message)
    assert found[(3, "工号")] == ["工号 E404 不存在"]
    assert found[(4, "工号")] == ["赵敏是协管员,不能持有行政执法证"]
    assert found[(5, "证号")] == ["证号 沪执0001 与第 2 行重复", "王芳已持有执法证 沪执9999,不能再登记 沪执0001"]
    assert found[(6, "有效期至")] == ["有效期至 2024-04-01 早于发证日期 2024-05-01"]
    assert found[(6, "工号")] == ["工号 E002 与第 5 行重复"]
    assert found[(7, "姓名")] == ["姓名“张三”与工号 E001 的人员“张伟”不符"]
    assert found[(7, "证号")] == ["证号不能为空"]
    assert found[(7, "发证机关")] == ["发证机关不能为空"]
    assert found[(7, "发证日期")][0].startswith("日期“2024-13-45”无法识别")
    assert str(report.errors[0]).startswith("第 3 行「工号」:")
    assert Certificate.objects.count() == 1  # only the one made before
    # 王芳 already holds 沪执9999
    report = run(world_hr, xlsx([["E002", "王芳", "沪执0007", "测试区人民政府", "2024-01-01", None, "", ""]]))
    assert report.errors[0].message == "王芳已持有执法证 沪执9999,不能再登记 沪执0007"


def test_existing_number_with_other_facts_or_other_officer_is_refused(world_hr, people):
    run(world_hr, xlsx(GOOD))
    changed = [[*GOOD[0][:3], "另一个机关", *GOOD[0][4:]]]
    assert "信息与本行不一致" in run(world_hr, xlsx(changed)).errors[0].message
    other = [["E002", "王芳", "沪执0001", "测试区人民政府", "2024-01-01", None, "", ""]]
    assert run(world_hr, xlsx(other)).errors[0].message == "证号 沪执0001 已登记在其他人员名下"


def test_bad_files_are_refused_whole(world_hr, people):
    with pytest.raises(CertificationError, match="只支持"):
        run(world_hr, b"a,b", name="x.txt")
    # the kit reads CSV too (UTF-8 or GB18030, as Chinese Excel saves it): a CSV without the columns is refused
    with pytest.raises(CertificationError, match="表头缺少必填列"):
        run(world_hr, "a,b\n1,2\n".encode("gb18030"), name="x.csv")
    # a CSV (UTF-8 or GB18030) with a title row above the header reads like the .xlsx (the project's kit)
    csv = "执法证登记表\n工号,姓名,证号,发证机关,发证日期\nE001,张伟,沪执0009,测试区人民政府,2024-03-01\n".encode(
        "gb18030"
    )
    assert [r.number for r in run(world_hr, csv, dry_run=True, name="certs.csv").created] == ["沪执0009"]
    with pytest.raises(CertificationError, match="无法读取"):
        run(world_hr, b"not a zip", name="x.xlsx")
    with pytest.raises(CertificationError, match="表头缺少必填列:证号"):
        run(world_hr, xlsx([GOOD[0]], header=["工号", "姓名", "编号", "发证机关", "发证日期"]))


def test_export_imports_back_unchanged_and_neutralises_formulas(world_hr, people):
    run(world_hr, xlsx(GOOD))
    headers, rows = services.certificates_export_rows(viewer=world_hr)
    assert headers[:8] == HEADER and [r[2] for r in rows] == ["沪执0001", "沪执0002"]
    from org.tabular import Sheet, write_workbook

    data = write_workbook([Sheet("执法证", headers, rows)])
    report = run(world_hr, data)
    assert report.ok and report.created == [] and len(report.unchanged) == 2
    sheet = load_workbook(io.BytesIO(write_workbook([Sheet("s", ["a"], [["=1+1"]])]))).active
    assert sheet["A2"].value == "'=1+1"


def test_command_dry_run_and_apply(tmp_path, people, capsys):
    path = tmp_path / "certs.xlsx"
    path.write_bytes(xlsx(GOOD))
    call_command("import_certificates", str(path), "--dry-run")
    assert "将新增 2 张" in capsys.readouterr().out and not Certificate.objects.exists()
    call_command("import_certificates", str(path))
    assert Certificate.objects.count() == 2
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(xlsx([["E404", "", "沪执0100", "测试区人民政府", "2024-01-01"]]))
    with pytest.raises(CommandError, match="发现 1 处错误"):
        call_command("import_certificates", str(bad))
    assert "第 2 行「工号」:工号 E404 不存在" in capsys.readouterr().err

"""Reading and validating a certificate file (执法证导入). Pure: no writes; `services.certificates_import` applies.

Every row is checked before anything is written, each error with its Excel row and column in Chinese. A row whose
证号 already belongs to the same officer with the same facts is "unchanged", so an exported file imports back
without change (idempotent re-import)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from org.models import Officer
from org.text import normalize_code, normalize_text

from .eligibility import NO_CERTIFICATE_ROLES
from .models import Certificate
from .xlsx import TableFileError, parse_date, read_table

# Headers as bureaus write them; the first is the one used on export.
COLUMNS: dict[str, tuple[str, ...]] = {
    "employee_no": ("工号", "警号", "人员编号"),
    "name": ("姓名",),
    "number": ("证号", "执法证号", "证件号码"),
    "issuing_authority": ("发证机关",),
    "issued_on": ("发证日期",),
    "valid_until": ("有效期至", "有效期"),
    "enforcement_category": ("执法类别",),
    "enforcement_area": ("执法区域",),
}
REQUIRED = ("employee_no", "number", "issuing_authority", "issued_on")
EXPORT_HEADERS = [names[0] for names in COLUMNS.values()]


@dataclass(frozen=True)
class RowError:
    row: int  # Excel row number, header = 1
    column: str
    message: str

    def __str__(self) -> str:
        return _("第 %(row)s 行「%(column)s」:%(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


@dataclass
class ImportRow:
    row: int
    officer: Officer
    number: str
    issuing_authority: str
    issued_on: dt.date
    valid_until: dt.date | None
    enforcement_category: str
    enforcement_area: str
    existing: Certificate | None = None  # the same certificate is already recorded: nothing to do


@dataclass
class ImportReport:
    rows: list[ImportRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    created: list = field(default_factory=list)  # rows (dry run) or certificates written
    unchanged: list = field(default_factory=list)
    dry_run: bool = True

    @property
    def ok(self) -> bool:
        return not self.errors


def _same(cert: Certificate, row: dict) -> bool:
    return (
        cert.officer_id == row["officer"].pk
        and cert.issuing_authority == row["issuing_authority"]
        and cert.issued_on == row["issued_on"]
        and cert.valid_until == row["valid_until"]
        and cert.enforcement_category == row["enforcement_category"]
        and cert.enforcement_area == row["enforcement_area"]
    )


def parse(filename: str, content: bytes, *, today: dt.date, standing_numbers) -> ImportReport:
    """Validate every row. `standing_numbers(officer_ids)` → {officer_id: number of the certificate the officer
    holds now (not revoked, expired or voided)}, from the status function. Raises TableFileError for the file."""
    table = read_table(content, filename, headers=COLUMNS, required=REQUIRED)
    body = [(row.number, row.values) for row in table.rows]

    def cell(values: dict, key: str) -> object:
        return values.get(key)

    numbers_in_file = {normalize_code(cell(raw, "number")) for _n, raw in body} - {""}
    employee_nos = {normalize_code(cell(raw, "employee_no")) for _n, raw in body} - {""}
    officers = {
        o.employee_no: o for o in Officer.objects.filter(employee_no__in=employee_nos).select_related("role_category")
    }
    existing = {c.number: c for c in Certificate.objects.filter(number__in=numbers_in_file)}
    standing = standing_numbers([o.pk for o in officers.values()])
    report = ImportReport()
    seen_numbers: dict[str, int] = {}
    seen_officers: dict[str, int] = {}

    for row_no, raw in body:
        if not any(normalize_text(c) for c in raw.values()):
            continue
        errors: list[RowError] = []

        def error(key: str, message: str, row_no: int = row_no, errors: list = errors) -> None:
            errors.append(RowError(row_no, COLUMNS[key][0], message))

        employee_no = normalize_code(cell(raw, "employee_no"))
        officer = officers.get(employee_no)
        if not employee_no:
            error("employee_no", _("工号不能为空"))
        elif officer is None:
            error("employee_no", _("工号 %(no)s 不存在") % {"no": employee_no})
        elif employee_no in seen_officers:
            error(
                "employee_no",
                _("工号 %(no)s 与第 %(row)s 行重复") % {"no": employee_no, "row": seen_officers[employee_no]},
            )
        else:
            seen_officers[employee_no] = row_no
        name = normalize_text(cell(raw, "name")).replace(" ", "")
        if officer is not None and name and name != officer.name:
            error(
                "name",
                _("姓名“%(name)s”与工号 %(no)s 的人员“%(real)s”不符")
                % {"name": name, "no": employee_no, "real": officer.name},
            )
        if officer is not None and officer.role_category.code in NO_CERTIFICATE_ROLES:
            error("employee_no", _("%(name)s是协管员,不能持有行政执法证") % {"name": officer.name})
        elif officer is not None and officer.status != Officer.Status.ACTIVE:
            error("employee_no", _("%(name)s不是在职人员") % {"name": officer.name})

        number = normalize_code(cell(raw, "number"))
        if not number:
            error("number", _("证号不能为空"))
        elif len(number) > 64:
            error("number", _("证号不能超过64个字符"))
        elif number in seen_numbers:
            error("number", _("证号 %(number)s 与第 %(row)s 行重复") % {"number": number, "row": seen_numbers[number]})
        else:
            seen_numbers[number] = row_no

        authority = normalize_text(cell(raw, "issuing_authority"))
        if not authority:
            error("issuing_authority", _("发证机关不能为空"))
        elif len(authority) > 200:
            error("issuing_authority", _("发证机关不能超过200个字"))

        dates: dict[str, dt.date | None] = {"issued_on": None, "valid_until": None}
        for key in dates:
            value = cell(raw, key)
            if not normalize_text(value):
                if key == "issued_on":
                    error(key, _("发证日期不能为空"))
                continue
            try:
                dates[key] = parse_date(value)
            except ValueError:
                error(key, _("日期“%(value)s”无法识别,请写成 2024-03-01") % {"value": normalize_text(value)[:30]})
        issued_on, valid_until = dates["issued_on"], dates["valid_until"]
        if issued_on and issued_on > today:
            error("issued_on", _("发证日期不能晚于今天"))
        if issued_on and valid_until and valid_until < issued_on:
            error(
                "valid_until",
                _("有效期至 %(until)s 早于发证日期 %(issued)s") % {"until": valid_until, "issued": issued_on},
            )

        values = {
            "officer": officer,
            "issuing_authority": authority,
            "issued_on": issued_on,
            "valid_until": valid_until,
            "enforcement_category": normalize_text(cell(raw, "enforcement_category"))[:100],
            "enforcement_area": normalize_text(cell(raw, "enforcement_area"))[:100],
        }
        same = None
        if number and officer is not None and number in existing:
            cert = existing[number]
            if cert.officer_id != officer.pk:
                error("number", _("证号 %(number)s 已登记在其他人员名下") % {"number": number})
            elif not errors and not _same(cert, values):
                error(
                    "number",
                    _("证号 %(number)s 已登记,但信息与本行不一致(证书登记后不能修改,请先作废更正)")
                    % {"number": number},
                )
            else:
                same = cert
        if same is None and officer is not None and officer.pk in standing and number:
            error(
                "number",
                _("%(name)s已持有执法证 %(held)s,不能再登记 %(number)s")
                % {"name": officer.name, "held": standing[officer.pk], "number": number},
            )
        if errors:
            report.errors.extend(errors)
            continue
        report.rows.append(ImportRow(row=row_no, number=number, existing=same, **values))
    if not report.rows and not report.errors:
        raise TableFileError(_("文件中没有数据行。"))
    return report

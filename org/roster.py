"""Reading and validating a roster (花名册) file. Pure: no writes. `services.roster_import` applies it."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from .models import Officer, RoleCategory, Unit, User
from .tabular import TableError, read_table
from .text import normalize_code, normalize_text

# Column headers as bureaus write them; the first is the canonical one used on export.
COLUMNS: dict[str, tuple[str, ...]] = {
    "employee_no": ("工号", "警号", "人员编号"),
    "name": ("姓名",),
    "unit": ("单位", "所属单位", "单位路径"),
    "role_category": ("人员类别", "类别"),
    "hire_date": ("入职日期", "入职时间", "参加工作时间"),
    "phone": ("手机号", "手机", "联系电话"),
    "email": ("邮箱", "电子邮箱"),
    "enforcement_duty": ("执法岗位", "是否执法岗位"),
    "status": ("状态", "在职状态"),
}
REQUIRED = ("employee_no", "name", "unit", "role_category")
EXPORT_HEADERS = [names[0] for names in COLUMNS.values()]

_YES = {"是", "y", "yes", "1", "true", "√"}
_NO = {"否", "n", "no", "0", "false", "×", ""}
# Fixed Chinese labels (not the translated choice labels) so files read the same in any UI language.
STATUS_LABELS = {Officer.Status.ACTIVE: "在职", Officer.Status.LEFT: "离职", Officer.Status.RETIRED: "退休"}
_STATUS = {label: value for value, label in STATUS_LABELS.items()} | {"": Officer.Status.ACTIVE}
_PHONE_RE = re.compile(r"^1\d{10}$")
_DATE_PATTERNS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y年%m月%d日")


# The file as a whole cannot be read (wrong type, too big, no header, missing columns): the kit's error.
RosterFileError = TableError


@dataclass(frozen=True)
class RosterError:
    row: int  # spreadsheet row number, header is row 1
    column: str
    message: str

    def __str__(self) -> str:
        return _("第 %(row)s 行「%(column)s」:%(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


@dataclass
class RosterRow:
    row: int
    employee_no: str
    name: str
    unit: Unit
    role_category: RoleCategory
    hire_date: dt.date | None
    phone: str | None
    email: str
    enforcement_duty: bool
    status: str


@dataclass
class RosterParseResult:
    rows: list[RosterRow] = field(default_factory=list)
    errors: list[RosterError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def parse_date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = normalize_code(value)
    for pattern in _DATE_PATTERNS:
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


def parse_roster(filename: str, content: bytes) -> RosterParseResult:
    """Validate every row; return all errors, or all rows ready to apply. Raises RosterFileError for the file."""
    table = read_table(content, filename, headers=COLUMNS, required=REQUIRED)
    units = {u.full_path: u for u in Unit.objects.all()}
    categories = {c.name: c for c in RoleCategory.objects.all()}
    result = RosterParseResult()
    seen_numbers: dict[str, int] = {}
    seen_phones: dict[str, int] = {}
    seen_emails: dict[str, int] = {}

    for table_row in table.rows:
        offset = table_row.number

        def cell(key: str, table_row=table_row) -> object:
            return table_row.values.get(key)

        errors: list[RosterError] = []

        def error(key: str, message: str) -> None:
            errors.append(RosterError(offset, COLUMNS[key][0], message))  # noqa: B023

        employee_no = normalize_code(cell("employee_no"))
        if not employee_no:
            error("employee_no", _("工号不能为空"))
        elif employee_no in seen_numbers:
            error("employee_no", _("工号 %(no)s 与第 %(row)s 行重复") % {"no": employee_no, "row": seen_numbers[employee_no]})
        else:
            seen_numbers[employee_no] = offset

        name = normalize_text(cell("name")).replace(" ", "")
        if not name:
            error("name", _("姓名不能为空"))

        unit_path = "/".join(part.strip() for part in normalize_text(cell("unit")).split("/") if part.strip())
        unit = units.get(unit_path)
        if not unit_path:
            error("unit", _("单位不能为空"))
        elif unit is None:
            error("unit", _("单位“%(path)s”不存在,请按“局/中队/分队”的完整路径填写") % {"path": unit_path})

        category_name = normalize_text(cell("role_category"))
        category = categories.get(category_name)
        if category is None:
            error(
                "role_category",
                _("人员类别“%(name)s”不存在,可选:%(choices)s")
                % {"name": category_name, "choices": "、".join(categories)},
            )

        hire_date = None
        raw_date = cell("hire_date")
        if normalize_text(raw_date):
            try:
                hire_date = parse_date(raw_date)
            except ValueError:
                error("hire_date", _("日期“%(value)s”无法识别,请写成 2021-03-01") % {"value": normalize_text(raw_date)})

        phone = normalize_code(cell("phone")).replace("-", "") or None
        if phone is not None:
            if not _PHONE_RE.match(phone):
                error("phone", _("手机号“%(value)s”应为 11 位数字") % {"value": phone})
            elif phone in seen_phones:
                error("phone", _("手机号与第 %(row)s 行重复") % {"row": seen_phones[phone]})
            else:
                seen_phones[phone] = offset

        email = normalize_code(cell("email")).lower()
        if email:
            try:
                validate_email(email)
            except ValidationError:
                error("email", _("邮箱“%(value)s”格式不正确") % {"value": email})
            else:
                if email in seen_emails:
                    error("email", _("邮箱与第 %(row)s 行重复") % {"row": seen_emails[email]})
                seen_emails.setdefault(email, offset)

        duty_text = normalize_text(cell("enforcement_duty")).lower()
        if duty_text not in _YES | _NO:
            error("enforcement_duty", _("应填“是”或“否”"))

        status_text = normalize_text(cell("status"))
        status = _STATUS.get(status_text)
        if status is None:
            error("status", _("状态应为 在职、离职 或 退休"))

        if errors:
            result.errors.extend(errors)
            continue
        result.rows.append(
            RosterRow(
                row=offset,
                employee_no=employee_no,
                name=name,
                unit=unit,
                role_category=category,
                hire_date=hire_date,
                phone=phone,
                email=email,
                enforcement_duty=duty_text in _YES,
                status=status,
            )
        )

    _check_identifiers_against_database(result)
    if not result.rows and not result.errors:
        raise RosterFileError(_("文件中没有数据行。"))
    return result


def _check_identifiers_against_database(result: RosterParseResult) -> None:
    """A phone or email already used by someone else would make login ambiguous.

    Judged against the state after the import: an owner whose own row in this file gives them a different
    phone or email frees it (phones may move between officers in one file)."""
    in_file = {r.employee_no: r for r in result.rows}
    by_phone = {r.phone: r for r in result.rows if r.phone}
    for phone, owner_no in Officer.objects.filter(phone__in=list(by_phone)).values_list("phone", "employee_no"):
        row = by_phone[phone]
        owner_row = in_file.get(owner_no)
        if owner_no != row.employee_no and (owner_row is None or owner_row.phone == phone):
            result.errors.append(
                RosterError(row.row, COLUMNS["phone"][0], _("手机号已被工号 %(no)s 使用") % {"no": owner_no})
            )
    by_email = {r.email: r for r in result.rows if r.email}
    for email, username in User.objects.filter(email__in=list(by_email)).values_list("email", "username"):
        row = by_email[email]
        owner_row = in_file.get(username)
        # An empty email cell keeps the old address, so only a different non-empty one frees it.
        if username != row.employee_no and (owner_row is None or owner_row.email in ("", email)):
            result.errors.append(
                RosterError(row.row, COLUMNS["email"][0], _("邮箱已被账号 %(no)s 使用") % {"no": username})
            )
    result.errors.sort(key=lambda e: (e.row, e.column))

"""The Excel edge of certification, in one small module so that it can be swapped for the project's kit
(org/tabular.py) when that lands: read a sheet's rows with size caps, write one neutralised sheet."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence

from django.utils.translation import gettext as _

from org.text import normalize_code, normalize_text

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
MAX_COLUMNS = 40
_DATE_PATTERNS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y年%m月%d日")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class TableFileError(Exception):
    """The file as a whole cannot be read (type, size, no header)."""


def read_rows(filename: str, content: bytes) -> list[list[object]]:
    """Rows of cells of the first sheet of an .xlsx (header first), blank rows kept so row numbers match Excel."""
    if not filename.lower().endswith(".xlsx"):
        raise TableFileError(_("只支持 .xlsx 文件。"))
    if len(content) > MAX_BYTES:
        raise TableFileError(_("文件过大(上限 %(mb)s MB)。") % {"mb": MAX_BYTES // (1024 * 1024)})
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        rows = []
        for row in sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS):
            rows.append(list(row))
            if len(rows) > MAX_ROWS + 1:
                raise TableFileError(_("行数过多(上限 %(n)s 行)。") % {"n": MAX_ROWS})
    except TableFileError:
        raise
    except Exception as exc:  # openpyxl raises many types for a broken file  # noqa: BLE001
        raise TableFileError(_("无法读取 Excel 文件,请确认是 .xlsx 格式。")) from exc
    return rows


def header_index(header: Sequence[object], columns: dict[str, tuple[str, ...]]) -> dict[str, int]:
    """key → column index, by the Chinese header names (first match; '*' marks of required columns ignored)."""
    cells = [normalize_text(c).rstrip("*") for c in header]
    found: dict[str, int] = {}
    for key, names in columns.items():
        for index, cell in enumerate(cells):
            if cell in names:
                found[key] = index
                break
    return found


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


def neutralise(value):
    """A text cell Excel would run as a formula is written as plain text."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def write_sheet(*, sheet: str, headers: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    ws = workbook.active
    ws.title = sheet[:31]
    ws.append([str(h) for h in headers])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append([neutralise(v) for v in row])
    for index in range(1, len(headers) + 1):
        ws.column_dimensions[ws.cell(row=1, column=index).column_letter].width = 18
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

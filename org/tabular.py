"""The one Excel/CSV kit: every import reads through `read_table`, every export writes through `write_workbook` and
answers with `xlsx_response`. Lowest layer (org), so every app may import it.

Hostile input is handled here once: the upload size, the zip's declared uncompressed size (a 2 MB .xlsx can hold
gigabytes of sheet XML), and the number of rows read are capped before or while openpyxl reads; on export every text
cell that a spreadsheet would run as a formula (= + - @, tab, CR) is written as text with an apostrophe in front."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from .text import normalize_text

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"

# Defaults; settings may lower or raise them (IMPORT_MAX_BYTES, IMPORT_MAX_UNCOMPRESSED_BYTES, IMPORT_MAX_ROWS).
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_MAX_UNCOMPRESSED = 64 * 1024 * 1024
DEFAULT_MAX_ROWS = 20_000
MAX_ERRORS_SHOWN = 200
HEADER_SCAN_ROWS = 10

# A cell starting with one of these is a formula (or DDE payload) to Excel, WPS and LibreOffice.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


class TableError(Exception):
    """The file as a whole cannot be read: wrong type, too big, no header, missing columns. The message is Chinese."""


def max_upload_bytes() -> int:
    return getattr(settings, "IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES)


def max_uncompressed_bytes() -> int:
    return getattr(settings, "IMPORT_MAX_UNCOMPRESSED_BYTES", DEFAULT_MAX_UNCOMPRESSED)


def max_rows_read() -> int:
    return getattr(settings, "IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f}"


def check_upload_size(data: bytes | int, *, max_bytes: int | None = None) -> None:
    size = data if isinstance(data, int) else len(data)
    limit = max_upload_bytes() if max_bytes is None else max_bytes
    if size > limit:
        raise TableError(_("文件太大(上限 %(mb)s MB),请拆分后分批导入。") % {"mb": _megabytes(limit)})


def check_zip_archive(data: bytes, *, max_uncompressed: int | None = None) -> None:
    """Refuse a zip (xlsx) whose members declare more bytes than the cap, before anything decompresses them.

    zipfile never returns more than a member's declared size, so the declared sum bounds what openpyxl can read."""
    limit = max_uncompressed_bytes() if max_uncompressed is None else max_uncompressed
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise TableError(_("无法读取 Excel 文件:文件已损坏或不是 .xlsx 格式。")) from exc
    total = sum(member.file_size for member in members)
    if len(members) > 10_000 or total > limit:
        raise TableError(
            _("Excel 文件解压后超过 %(mb)s MB,可能不是正常的表格文件;请删除多余内容或拆分后再导入。")
            % {"mb": _megabytes(limit)}
        )


def _unquote(value: object) -> object:
    """Undo our own export neutralisation, so an exported file imports back unchanged."""
    if isinstance(value, str) and len(value) > 1 and value[0] == "'" and value[1] in FORMULA_TRIGGERS:
        return value[1:]
    return value


def read_cells(
    data: bytes,
    filename: str,
    *,
    max_bytes: int | None = None,
    max_rows: int | None = None,
    max_uncompressed: int | None = None,
) -> list[tuple[int, list[object]]]:
    """(spreadsheet row number, cells) of the first sheet of an .xlsx, or of a .csv (UTF-8 with or without BOM, or
    GB18030 as Chinese Excel saves it). Raises TableError with a Chinese message."""
    check_upload_size(data, max_bytes=max_bytes)
    row_limit = max_rows_read() if max_rows is None else max_rows
    too_many = _("文件超过 %(n)s 行,请拆分后分批导入。") % {"n": row_limit}
    lower = (filename or "").lower()
    out: list[tuple[int, list[object]]] = []
    if lower.endswith(".xlsx"):
        check_zip_archive(data, max_uncompressed=max_uncompressed)
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            try:
                sheet = workbook.worksheets[0]
                for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
                    if number > row_limit + HEADER_SCAN_ROWS:
                        raise TableError(too_many)
                    out.append((number, [_unquote(c) for c in row]))
            finally:
                workbook.close()
        except TableError:
            raise
        except Exception as exc:  # openpyxl raises many types for a broken file
            raise TableError(_("无法读取 Excel 文件:%(error)s") % {"error": str(exc)[:200]}) from exc
        return out
    if lower.endswith(".csv"):
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise TableError(_("CSV 文件编码无法识别,请另存为 UTF-8。"))
        try:
            for number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
                if number > row_limit + HEADER_SCAN_ROWS:
                    raise TableError(too_many)
                out.append((number, [_unquote(c) for c in row]))
        except csv.Error as exc:
            raise TableError(_("CSV 文件格式有误:%(error)s") % {"error": str(exc)[:200]}) from exc
        return out
    raise TableError(_("只支持 .xlsx 或 .csv 文件。"))


def normalize_header(value: object) -> str:
    """Header text as compared: full-width folded, all spaces removed, a trailing required-marker * dropped."""
    return normalize_text(value).replace(" ", "").rstrip("*")


@dataclass
class TableRow:
    number: int  # the spreadsheet's own row number (the title row and header row count)
    cells: list[object]
    values: dict[str, object]

    def get(self, key: str) -> object:
        return self.values.get(key)


@dataclass
class Table:
    header_row: int
    header: list[str]  # normalised header cells, for callers with open-ended columns (选项A, 选项B ...)
    columns: dict[str, int]  # field -> column index
    rows: list[TableRow] = field(default_factory=list)


def _match_columns(cells: list[str], headers: dict[str, Sequence[str]]) -> dict[str, int]:
    found: dict[str, int] = {}
    for key, names in headers.items():
        wanted = {normalize_header(n) for n in names}
        for index, cell in enumerate(cells):
            if cell in wanted:
                found[key] = index
                break
    return found


def read_table(
    data: bytes,
    filename: str,
    *,
    headers: dict[str, Sequence[str]],
    required: Iterable[str] = (),
    max_bytes: int | None = None,
    max_rows: int | None = None,
    max_uncompressed: int | None = None,
) -> Table:
    """Rows keyed by field, for a table whose header row is one of the first rows (bureau templates put a merged
    title such as "某某局2026年执法人员花名册" above it). `headers` maps each field to its Chinese header and synonyms
    (the first is the canonical one). Blank rows are skipped. Raises TableError."""
    required = tuple(required)
    rows = read_cells(data, filename, max_bytes=max_bytes, max_rows=max_rows, max_uncompressed=max_uncompressed)
    rows = [(n, cells) for n, cells in rows if any(normalize_text(c) for c in cells)]
    if not rows:
        raise TableError(_("文件是空的。"))
    best: tuple[int, int, list[str], dict[str, int]] | None = None
    for position, (number, cells) in enumerate(rows[:HEADER_SCAN_ROWS]):
        normalised = [normalize_header(c) for c in cells]
        found = _match_columns(normalised, headers)
        if all(k in found for k in required) and found:
            best = (position, number, normalised, found)
            break
    if best is None:
        scores = [
            (len(_match_columns([normalize_header(c) for c in cells], headers)), number, cells)
            for number, cells in rows[:HEADER_SCAN_ROWS]
        ]
        _score, _number, cells = max(scores, key=lambda s: s[0])
        found = _match_columns([normalize_header(c) for c in cells], headers)
        missing = [headers[k][0] for k in required if k not in found] or [headers[k][0] for k in headers][:1]
        raise TableError(_("表头缺少必填列:%(cols)s") % {"cols": "、".join(missing)})
    position, header_number, header, columns = best
    table = Table(header_row=header_number, header=header, columns=columns)
    data_rows = rows[position + 1 :]
    row_limit = max_rows_read() if max_rows is None else max_rows
    if len(data_rows) > row_limit:
        raise TableError(_("文件超过 %(n)s 行,请拆分后分批导入。") % {"n": row_limit})
    for number, cells in data_rows:
        values = {key: (cells[index] if index < len(cells) else None) for key, index in columns.items()}
        table.rows.append(TableRow(number=number, cells=cells, values=values))
    return table


@dataclass(frozen=True)
class CellError:
    """One problem of an imported file, where a person finds it: the spreadsheet row and the column's header."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return _("第 %(row)s 行「%(column)s」:%(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


DATE_PATTERNS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y年%m月%d日")


def parse_date(value: object) -> dt.date:
    """A date cell as bureaus write it (a real date, 2024-03-01, 2024/3/1, 2024.03.01, 20240301, 2024年3月1日);
    ValueError otherwise."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = normalize_text(value).replace(" ", "")
    for pattern in DATE_PATTERNS:
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


def capped(errors: Sequence, limit: int = MAX_ERRORS_SHOWN) -> tuple[list, int]:
    """The first `limit` errors to show, and how many more there are."""
    return list(errors[:limit]), max(0, len(errors) - limit)


# --- writing -------------------------------------------------------------------------------------------------------


def neutralize(value: object) -> object:
    """A text cell that a spreadsheet would evaluate becomes plain text with an apostrophe in front; numbers, dates
    and other types pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


@dataclass(frozen=True)
class Cell:
    """A value with its own number format (e.g. a rate as the fraction 0.981 shown "98.1%"), where a column holds
    values of different kinds."""

    value: object
    number_format: str = "General"


@dataclass(frozen=True)
class Chart:
    """A native Excel chart of a sheet's table. Columns are 0-based; the data are the body rows (below the
    header). `by_rows`: each body row is a series (columns `values` are the categories, named by the header);
    otherwise each column of `values` is a series over the categories in column `categories`."""

    title: str
    values: tuple[int, ...]
    categories: int = 0
    kind: str = "bar"  # "bar" (vertical columns) or "line"
    by_rows: bool = False
    y_title: str = ""
    y_format: str = ""
    anchor: str = ""  # top-left cell; default: two columns right of the table


@dataclass
class Sheet:
    title: str
    headers: list[str]
    rows: Iterable[Sequence[object]]
    widths: dict[int, float] = field(default_factory=dict)  # column index (0-based) -> width in characters
    number_formats: dict[int, str] = field(default_factory=dict)  # column index -> e.g. "yyyy-mm-dd"
    preamble: list[Sequence[object]] = field(default_factory=list)  # title lines above the header row
    wrap: bool = False
    header_fill: str | None = None
    charts: list[Chart] = field(default_factory=list)


def _add_chart(sheet, spec: Chart, *, header_row: int, last_row: int, columns: int) -> None:
    from openpyxl.chart import BarChart, LineChart, Reference

    if last_row <= header_row:
        return  # no data rows: no chart
    chart = LineChart() if spec.kind == "line" else BarChart()
    if spec.kind != "line":
        chart.type = "col"
    chart.title = spec.title
    chart.y_axis.title = spec.y_title or None
    if spec.y_format:
        chart.y_axis.number_format = spec.y_format
    chart.height, chart.width = 9, 18
    first, last = min(spec.values) + 1, max(spec.values) + 1
    if spec.by_rows:
        data = Reference(sheet, min_col=spec.categories + 1, max_col=last, min_row=header_row + 1, max_row=last_row)
        chart.add_data(data, from_rows=True, titles_from_data=True)
        chart.set_categories(Reference(sheet, min_col=first, max_col=last, min_row=header_row, max_row=header_row))
    else:
        data = Reference(sheet, min_col=first, max_col=last, min_row=header_row, max_row=last_row)
        chart.add_data(data, titles_from_data=True)
        chart.set_categories(Reference(sheet, min_col=spec.categories + 1, min_row=header_row + 1, max_row=last_row))
    from openpyxl.utils import get_column_letter

    sheet.add_chart(chart, spec.anchor or f"{get_column_letter(columns + 2)}{header_row}")


def write_workbook(sheets: Sequence[Sheet], *, title: str = "") -> bytes:
    """An .xlsx: per sheet optional title lines, a bold frozen header row, widths, and every text cell neutralised."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    workbook.remove(workbook.active)
    bold = Font(bold=True)
    for spec in sheets:
        sheet = workbook.create_sheet(spec.title[:31])
        for line in spec.preamble:
            sheet.append([neutralize(v) for v in line])
        header_number = len(spec.preamble) + 1
        if spec.headers:
            sheet.append([neutralize(v) for v in spec.headers])
            for cell in sheet[header_number]:
                cell.font = bold
                if spec.header_fill:
                    cell.fill = PatternFill("solid", fgColor=spec.header_fill)
            sheet.freeze_panes = f"A{header_number + 1}"
        longest: dict[int, int] = {i: len(str(h)) for i, h in enumerate(spec.headers)}
        for row in spec.rows:
            values = [neutralize(v.value if isinstance(v, Cell) else v) for v in row]
            sheet.append(values)
            for index, value in enumerate(row):
                if isinstance(value, Cell):
                    sheet.cell(row=sheet.max_row, column=index + 1).number_format = value.number_format
            for index, value in enumerate(values):
                if isinstance(value, str):
                    longest[index] = max(longest.get(index, 0), len(value))
        # A width per column: given, or from the longest text (CJK counts double), within sensible bounds.
        for index, length in longest.items():
            sheet.column_dimensions[get_column_letter(index + 1)].width = min(60, max(8, length * 2 + 2))
        for index, width in spec.widths.items():
            sheet.column_dimensions[get_column_letter(index + 1)].width = width
        if spec.number_formats or spec.wrap:
            wrap = Alignment(wrap_text=True, vertical="top")
            for row in sheet.iter_rows(min_row=header_number + 1):
                for cell in row:
                    fmt = spec.number_formats.get(cell.column - 1)
                    if fmt:
                        cell.number_format = fmt
                    if spec.wrap:
                        cell.alignment = wrap
        for chart in spec.charts:
            _add_chart(sheet, chart, header_row=header_number, last_row=sheet.max_row, columns=len(spec.headers))
    if title:
        workbook.properties.title = title
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def safe_filename(filename: str) -> str:
    """No path separators or control characters (a title typed by a trainer becomes part of a file name)."""
    cleaned = "".join("_" if ch in '/\\:*?"<>|' or ord(ch) < 32 or ord(ch) == 127 else ch for ch in filename)
    return cleaned.strip() or "download"


def xlsx_response(data: bytes, filename: str) -> HttpResponse:
    """A download with the one XLSX content type and an RFC 5987 Content-Disposition (Chinese names survive)."""
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=safe_filename(filename))
    response["X-Content-Type-Options"] = "nosniff"
    return response


def download_response(data: bytes, filename: str, content_type: str) -> HttpResponse:
    """Any other file download (question bank XML/GIFT ...) with the same Content-Disposition."""
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=safe_filename(filename))
    response["X-Content-Type-Options"] = "nosniff"
    return response

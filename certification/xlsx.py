"""certification's Excel edge, now a thin adapter over the project's kit (org/tabular.py): the import reads through
`tabular.read_table` (size, zip and row caps, a title row above the header, header synonyms, our own export's
neutralisation undone), exports write through `tabular.write_workbook` (every text cell neutralised). The names
below stay so that the views and forms keep importing them from one place."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from org import tabular
from org.text import normalize_code

MAX_BYTES = tabular.DEFAULT_MAX_BYTES  # the form's early check; the kit enforces settings.IMPORT_MAX_BYTES
_DATE_PATTERNS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y年%m月%d日")

TableFileError = tabular.TableError
read_table = tabular.read_table
neutralise = tabular.neutralize


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


def write_sheet(*, sheet: str, headers: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    return tabular.write_workbook([tabular.Sheet(title=sheet, headers=[str(h) for h in headers], rows=rows)])

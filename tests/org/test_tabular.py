"""The one Excel/CSV kit (org/tabular.py): reading with header synonyms and a title row, the caps against hostile
files, neutralised writing and the download response."""

import csv
import io
import time
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from org import tabular
from org.tabular import Sheet, TableError, read_table, write_workbook, xlsx_response

HEADERS = {"no": ["工号", "警号"], "name": ["姓名"], "phone": ["手机号", "联系电话"]}


def xlsx(rows) -> bytes:
    book = Workbook()
    for r in rows:
        book.active.append(r)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def zip_bomb(uncompressed_mb: int = 200) -> bytes:
    """A valid-looking .xlsx whose sheet XML declares `uncompressed_mb` MB: a few hundred KB on disk."""
    book = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx([["工号", "姓名"]]))) as src:
        with zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as dst:
            for item in src.infolist():
                data = src.read(item.filename)
                if item.filename == "xl/worksheets/sheet1.xml":
                    with dst.open(item.filename, "w", force_zip64=True) as member:
                        member.write(data.replace(b"</sheetData>", b""))
                        chunk = b"<row><c t='inlineStr'><is><t>A</t></is></c></row>" * 20_000
                        for _ in range(uncompressed_mb * 1024 * 1024 // len(chunk)):
                            member.write(chunk)
                        member.write(b"</sheetData></worksheet>")
                else:
                    dst.writestr(item, data)
    return book.getvalue()


def test_title_row_above_the_header_is_skipped_and_row_numbers_are_the_sheets():
    data = xlsx([["某某局2026年执法人员花名册"], [], ["工 号*", "姓名", "联系电话"], ["BJ01", "张伟", "139"]])
    table = read_table(data, "名册.xlsx", headers=HEADERS, required=["no", "name"])
    assert table.header_row == 3
    assert [(r.number, r.values["no"], r.values["phone"]) for r in table.rows] == [(4, "BJ01", "139")]


def test_full_width_headers_and_gb18030_csv():
    text = "某某局花名册\r\n警号,姓　名\r\nＢＪ01,王芳\r\n"
    table = read_table(text.encode("gb18030"), "r.csv", headers=HEADERS, required=["no", "name"])
    assert table.rows[0].values == {"no": "ＢＪ01", "name": "王芳"}


def test_missing_required_column_is_a_clear_error():
    with pytest.raises(TableError, match="表头缺少必填列:姓名"):
        read_table(xlsx([["工号", "电话"], ["1", "2"]]), "a.xlsx", headers=HEADERS, required=["no", "name"])


def test_wrong_type_and_oversized_upload(settings):
    with pytest.raises(TableError, match="只支持"):
        read_table(b"x", "a.xls", headers=HEADERS)
    settings.IMPORT_MAX_BYTES = 1000
    with pytest.raises(TableError, match="文件太大"):
        read_table(b"x" * 1001, "a.csv", headers=HEADERS)


def test_zip_bomb_is_refused_in_well_under_a_second():
    bomb = zip_bomb(200)
    assert len(bomb) < 2 * 1024 * 1024
    started = time.monotonic()
    with pytest.raises(TableError, match="解压后超过"):
        read_table(bomb, "bomb.xlsx", headers=HEADERS)
    assert time.monotonic() - started < 1


def test_row_cap(settings):
    settings.IMPORT_MAX_ROWS = 5
    buffer = io.StringIO()
    csv.writer(buffer).writerows([["工号", "姓名"]] + [[str(i), "x"] for i in range(50)])
    with pytest.raises(TableError, match="超过 5 行"):
        read_table(buffer.getvalue().encode(), "a.csv", headers=HEADERS)


@pytest.mark.parametrize(
    "hostile", ['=HYPERLINK("http://evil.example/x","点击")', "=1+2", "+1", "-1+2", "@SUM(A1)", "\t=1", "\r=1"]
)
def test_every_text_cell_is_neutralised_and_reads_back_unchanged(hostile):
    data = write_workbook([Sheet("名单", ["姓名", "分数"], [[hostile, -3], ["正常", 2.5]])])
    sheet = load_workbook(io.BytesIO(data)).active
    cell = sheet["A2"]
    # A CR reads back as CR with lxml (python-docx brings it) and as LF with the standard library's XML parser.
    assert cell.data_type == "s" and cell.value in {"'" + hostile, "'" + hostile.replace("\r", "\n")}
    assert sheet["B2"].value == -3 and sheet["B2"].data_type == "n"
    assert sheet.freeze_panes == "A2" and sheet["A1"].font.bold
    # Our own importer undoes the apostrophe, so an exported roster imports back unchanged.
    table = read_table(data, "x.xlsx", headers={"name": ["姓名"]}, required=["name"])
    if "\r" not in hostile:
        assert table.rows[0].values["name"] == hostile


def test_xlsx_response_has_an_rfc5987_chinese_file_name():
    response = xlsx_response(b"data", "2026年花名册.xlsx")
    assert response["Content-Type"] == tabular.XLSX_CONTENT_TYPE
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''2026%E5%B9%B4%E8%8A%B1%E5%90%8D%E5%86%8C.xlsx"
    )
    assert xlsx_response(b"", "a b.xlsx")["Content-Disposition"] == 'attachment; filename="a b.xlsx"'


def test_capped_errors():
    shown, more = tabular.capped(list(range(250)))
    assert len(shown) == 200 and more == 50


def test_cells_keep_their_own_number_format_and_charts_are_native():
    import io

    from openpyxl import load_workbook

    from org.tabular import Cell, Chart, Sheet, write_workbook

    data = write_workbook(
        [
            Sheet(
                title="各单位",
                headers=["单位", "受训率", "人数"],
                rows=[["执法一中队", Cell(0.981, "0.0%"), Cell(51, "#,##0")], ["执法二中队", "—", 0]],
                charts=[Chart(title="受训率", values=(1,), y_format="0%")],
            )
        ]
    )
    sheet = load_workbook(io.BytesIO(data))["各单位"]
    assert sheet["B2"].value == 0.981 and sheet["B2"].number_format == "0.0%"
    assert sheet["C2"].value == 51 and sheet["C2"].number_format == "#,##0"
    assert sheet["B3"].value == "—"
    assert len(sheet._charts) == 1

"""The /reports/ page, its files and charts, its scope, and the year close (tests/reports/conftest.py's bureau)."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from docx import Document
from openpyxl import load_workbook

from org.services import placement_record
from reports.models import SnapshotOfficer, YearSnapshot
from tests.certification.factories import credit
from tests.factories import OfficerFactory

URL = "/reports/?year=2025"


def _page(client, user, url=URL):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def _headlines(soup) -> dict[str, str]:
    return {d["data-key"]: d.select_one(".big").get_text(strip=True) for d in soup.select("#headlines .headline")}


def _figures(soup) -> dict[str, str]:
    return {tr["data-key"]: tr.select("td")[1].get_text(strip=True) for tr in soup.select("#figure-table tbody tr")}


def test_hr_sees_the_bureau_with_definitions_units_and_three_years(client, bureau):
    soup = _page(client, bureau.hr)
    heads = _headlines(soup)
    assert heads["headcount"] == "4"
    assert heads["training_rate"] == "66.7%"
    assert heads["days_per_head"] == "3.7"
    assert heads["annual_sit_rate"] == "50.0%"
    assert heads["cert_rate"] == "66.7%"
    assert "达到本年度学时要求的人数" in soup.select_one('[data-key="training_rate"] .definition').get_text()
    units = [tr.select_one("td").get_text(strip=True) for tr in soup.select("#unit-table tbody tr")]
    assert units == ["测试区城管局", "执法一中队", "执法二中队"]
    assert [th.get_text(strip=True) for th in soup.select("#trend-table thead th")][1:] == ["2023", "2024", "2025"]
    headcounts = [td.get_text(strip=True) for td in soup.select('#trend-table tr[data-key="headcount"] td')[1:]]
    assert headcounts == ["5", "5", "4"]  # 2023: 甲 乙 丙 丁 戊 (all placed since 2020)
    assert soup.select_one("#chart-completion")["src"].startswith("/reports/chart/completion.svg?")


def test_unit_leader_sees_only_their_subtree(client, bureau):
    soup = _page(client, bureau.leader)
    units = [tr.select_one("td").get_text(strip=True) for tr in soup.select("#unit-table tbody tr")]
    assert units == ["执法一中队"]
    assert _headlines(soup)["headcount"] == "2"  # 甲 乙 (丙 moved to 二中队 in July)
    assert soup.select_one("#close") is None
    assert "courses_published" not in _figures(soup)


def test_an_officer_is_refused(client, bureau):
    client.force_login(bureau.a.user)
    for url in (URL, "/reports/export.xlsx?year=2025", "/reports/export.docx?year=2025", "/reports/chart/hours.svg"):
        assert client.get(url).status_code == 403
    assert client.post("/reports/close/?year=2025").status_code == 403


def test_the_leader_may_not_close_a_year(client, bureau):
    client.force_login(bureau.leader)
    assert client.post("/reports/close/?year=2025").status_code == 403
    assert not YearSnapshot.objects.exists()


@pytest.mark.parametrize(
    "query", ["year=abc", "year=1900", "year=2025&hours_per_day=0", "year=2025&reference=2024-05-01"]
)
def test_bad_input_is_a_400(client, bureau, query):
    client.force_login(bureau.hr)
    assert client.get(f"/reports/?{query}").status_code == 400
    assert client.get(f"/reports/export.xlsx?{query}").status_code == 400


def _as_page_text(cell) -> str:
    """An .xlsx cell as the page writes the figure: rates are fractions formatted as percentages, the rest numbers."""
    if isinstance(cell.value, str):
        return cell.value.strip()
    if cell.number_format == "0.0%":
        return f"{Decimal(str(cell.value)) * 100:.1f}%"
    if cell.number_format == "0.0":
        return f"{Decimal(str(cell.value)):.1f}"
    return str(cell.value)


def test_xlsx_cells_equal_the_page_as_numbers_with_charts(client, bureau):
    soup = _page(client, bureau.hr)
    page = _figures(soup)
    response = client.get("/reports/export.xlsx?year=2025")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows())
    header = next(i for i, r in enumerate(rows) if r[0].value == "指标")
    labels = {tr.select_one("td").get_text(strip=True): tr["data-key"] for tr in soup.select("#figure-table tbody tr")}
    body = [r for r in rows[header + 1 :] if r[0].value in labels]
    assert {labels[r[0].value]: _as_page_text(r[1]) for r in body} == page
    # Numbers, not text: Excel can sum and chart them.
    by_key = {labels[r[0].value]: r[1] for r in body}
    assert by_key["headcount"].data_type == "n" and isinstance(by_key["headcount"].value, int)
    assert by_key["training_rate"].number_format == "0.0%" and 0 <= by_key["training_rate"].value <= 1
    units = list(book.worksheets[1].iter_rows())
    page_units = [[td.get_text(strip=True) for td in tr.select("td")] for tr in soup.select("#unit-table tbody tr")]
    assert [[_as_page_text(c) for c in r] for r in units[1:]] == page_units
    # Native charts: completion by unit, rates by year, sessions, hours distribution.
    charts = {ws.title: len(ws._charts) for ws in book.worksheets}
    assert charts["各单位"] == 1 and charts["参考率与通过率"] == 1 and charts["学时分布"] == 1
    rates = list(book["参考率与通过率"].iter_rows(values_only=True))
    assert [r[0] for r in rates[1:]] == ["2023", "2024", "2025"]


def test_docx_text_equals_the_page(client, bureau):
    soup = _page(client, bureau.hr)
    summary = soup.select_one("#summary-text").get_text(strip=True)
    assert "全年组织线下培训2场次、3人次,队员受训率66.7%,年人均受训3.7天、人均29.5学时" in summary
    response = client.get("/reports/export.docx?year=2025")
    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))
    paragraphs = [p.text for p in document.paragraphs]
    assert summary in paragraphs
    numbers = re.findall(r"\d+(?:\.\d+)?%?", summary)
    heads = _figures(soup)
    for key in ("sessions", "attendances", "training_rate", "days_per_head", "hours_per_head", "annual_sit_rate"):
        assert heads[key] in numbers
    figure_table = document.tables[0]
    docx_cells = {row.cells[0].text: row.cells[1].text for row in figure_table.rows[1:]}
    page_cells = {
        tr.select_one("td").get_text(strip=True): tr.select("td")[1].get_text(strip=True)
        for tr in soup.select("#figure-table tbody tr")
    }
    assert docx_cells == page_cells
    assert len(document.inline_shapes) == 3  # the three charts, as PNG


def test_charts_are_svg_without_script(client, bureau):
    client.force_login(bureau.hr)
    for name in ("completion", "hours", "rates"):
        response = client.get(f"/reports/chart/{name}.svg?year=2025")
        assert response.status_code == 200
        assert response["Content-Type"] == "image/svg+xml"
        assert b"<svg" in response.content and b"<script" not in response.content
    assert client.get("/reports/chart/nope.svg?year=2025").status_code == 404


def test_close_freezes_the_year_and_a_late_reversal_does_not_change_it(client, bureau):
    client.force_login(bureau.hr)
    response = client.post("/reports/close/?year=2025", {"reason": "年报"})
    assert response.status_code == 302
    first = YearSnapshot.objects.get()
    assert first.officer_count == 4
    row = SnapshotOfficer.objects.get(snapshot=first, officer_id=bureau.c.pk)
    assert row.data["met"] is True and row.data["total_earned_c"] == 4000
    assert row.unit_path == bureau.two.path
    # a late reversal of 10 h of 丙's (40 → 30 h: no longer met), and 乙 moves to 二中队 after the year
    entry = bureau.c.credits.get()
    credit(bureau.c, -10, year=2025, reverses=entry)
    placement_record(officer=OfficerFactory(unit=bureau.one, name="新人"))  # joins today: not on the 2025 roll
    bureau.b.unit = bureau.two
    bureau.b.save()
    placement_record(officer=bureau.b)  # moves today: still counted in 一中队 for 2025
    soup = _page(client, bureau.hr)
    assert soup.select_one("#frozen") is not None
    assert _headlines(soup)["training_rate"] == "66.7%"  # frozen
    live = _page(client, bureau.hr, URL + "&live=1")
    assert _headlines(live)["training_rate"] == "33.3%"  # 1 / 3: 甲 only
    assert _headlines(live)["headcount"] == "4"
    leader_live = _page(client, bureau.leader, URL + "&live=1")
    assert _headlines(leader_live)["headcount"] == "2"  # 甲 乙: 乙's move today does not change 2025
    # reopen: a new snapshot beside the old one, and what changed
    client.force_login(bureau.hr)
    client.post("/reports/close/?year=2025", {"reason": "冲正后重新关账"})
    second = YearSnapshot.objects.order_by("-id").first()
    assert second.supersedes_id == first.pk
    assert SnapshotOfficer.objects.get(snapshot=first, officer_id=bureau.c.pk).data["met"] is True
    changes = _page(client, bureau.hr, "/reports/snapshots/2025/")
    text = changes.select_one("#changes").get_text(" ", strip=True)
    assert "队员受训率" in text and "66.7%" in text and "33.3%" in text
    assert "丙" in changes.select_one("#officer-changes").get_text()
    assert _headlines(_page(client, bureau.hr))["training_rate"] == "33.3%"  # the newest snapshot speaks


def test_close_runs_in_the_task_worker_while_the_page_says_so(client, bureau, settings):
    from django.core.cache import cache

    from reports.tasks import close_year

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    backend = close_year.get_backend()
    backend.clear()
    cache.delete("reports:closing:2025")
    client.force_login(bureau.hr)

    response = client.post("/reports/close/?year=2025", {"reason": "年报"})
    again = client.post("/reports/close/?year=2025", {"reason": "双击"})  # a second click: no second close

    assert response.status_code == again.status_code == 302
    assert not YearSnapshot.objects.exists() and len(backend.results) == 1
    waiting = _page(client, bureau.hr, "/reports/snapshots/2025/")
    assert waiting.select_one("#closing") is not None and waiting.select_one('meta[http-equiv="refresh"]')

    task_args = backend.results[0].args
    close_year.call(*task_args)  # what the worker does

    assert YearSnapshot.objects.get().reason == "年报"
    done = _page(client, bureau.hr, "/reports/snapshots/2025/")
    assert done.select_one("#closing") is None and done.select_one('meta[http-equiv="refresh"]') is None
    assert "4" in done.select_one("#snapshot-table tbody").get_text()


def test_a_leader_of_two_squads_counts_a_session_that_reached_both_once(client, bureau):
    from tests.factories import grant

    grant(bureau.leader, "unit_leader", bureau.two)  # 一中队 and 二中队: two separate subtrees
    figures = _figures(_page(client, bureau.leader))
    # 2025: the lecture (甲 of 一中队, 丙 of 二中队 on 31 Dec) and a central session (甲): two 场次, three 人次
    assert figures["sessions"] == "2"
    assert figures["attendances"] == "3"
    assert figures["headcount"] == "4"  # 甲 乙 of 一中队, 丙 戊 of 二中队
    # each squad alone still counts the lecture
    hr_units = {tr["data-path"]: tr for tr in _page(client, bureau.hr).select("#unit-table tbody tr")}
    assert hr_units  # the bureau's table still lists units only (no combined group among them)
    assert all("+" not in path for path in hr_units)


def test_snapshot_rows_are_immutable(client, bureau):
    from reports.models import SnapshotImmutableError

    client.force_login(bureau.hr)
    client.post("/reports/close/?year=2025")
    snapshot = YearSnapshot.objects.get()
    snapshot.reason = "改"
    with pytest.raises(SnapshotImmutableError):
        snapshot.save()
    with pytest.raises(SnapshotImmutableError):
        SnapshotOfficer.objects.filter(snapshot=snapshot).update(name="x")


def test_demo_seed_closes_last_year_once(bureau, monkeypatch):
    import datetime as dt

    from demo.reports_seed import seed_reports

    monkeypatch.setattr("django.utils.timezone.localdate", lambda: dt.date(2026, 3, 1))
    assert seed_reports() == {"year": 2025, "closed": True}
    assert seed_reports() == {"year": 2025, "closed": False}
    assert YearSnapshot.objects.get().officer_count == 4


def test_computing_state_and_status_endpoint(client, bureau, monkeypatch):
    """With a task worker (not inline) the page says 计算中 and the static script polls the status until ready."""
    from types import SimpleNamespace

    from reports import views
    from reports.figures import Options
    from reports.selectors import live_report_compute

    enqueued = []
    monkeypatch.setattr(views, "compute_year", SimpleNamespace(enqueue=lambda *args: enqueued.append(args)))
    soup = _page(client, bureau.hr)
    box = soup.select_one("#computing")
    assert box is not None and "计算中" in box.get_text()
    assert soup.select_one('script[src$="reports/reports.js"]') is not None
    assert sorted(e[0] for e in enqueued) == [2023, 2024, 2025]
    status_url = box["data-status-url"]
    assert client.get(status_url).json() == {"ready": False, "done": 0, "total": 3}
    _page(client, bureau.hr)
    assert len(enqueued) == 3  # already pending: not started twice
    for year in (2023, 2024, 2025):
        live_report_compute(year=year, options=Options())
    assert client.get(status_url).json()["ready"] is True
    assert _page(client, bureau.hr).select_one("#headlines") is not None

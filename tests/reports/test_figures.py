"""Each figure of the hand-built bureau (tests/reports/conftest.py), counted by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from reports.figures import TOTAL, Options, year_report


def test_totals_counted_by_hand(bureau):
    report, frame = year_report(year=2025)
    # on the roll on 31 Dec 2025: 甲 乙 丙 戊 (丁 left in July, 己 joins in 2026)
    assert sorted(frame["name"]) == sorted(["甲", "乙", "丙", "戊"])
    c = report.counts(TOTAL)
    assert c["headcount"] == 4
    assert c["hours_subject"] == 3  # 戊's role has no rule
    assert c["hours_met"] == 2  # 甲 48 ≥ 40, 丙 40 ≥ 40; 乙 20 < 40
    assert report.text("training_rate") == "66.7%"  # 2 / 3
    assert c["hours_total"] == 11800  # 48 + 20 + 40 + 10 (丁's and 己's hours are not this roll's)
    assert report.value("hours_per_head") == Decimal("29.5")  # 118 / 4
    assert report.value("days_per_head") == Decimal("3.7")  # 118 / 8 / 4 = 3.6875
    assert c["annual_required"] == 4  # the exam is for the whole bureau
    assert c["annual_sat"] == 2 and c["annual_sat_all"] == 2  # 甲 乙
    assert c["annual_passed"] == 1  # 甲
    assert report.text("annual_sit_rate") == "50.0%"
    assert report.text("annual_pass_rate") == "50.0%"
    assert report.text("qualification_sit_rate") == "—"  # no qualification exam: no denominator
    assert c["sessions"] == 2 and c["attendances"] == 3
    assert c["sessions_lecture"] == 1 and c["attendances_lecture"] == 2
    assert c["sessions_central"] == 1 and c["attendances_central"] == 1
    assert c["duty"] == 3  # 甲 乙 丙 (戊 is not on enforcement duty)
    assert c["certified"] == 2  # 甲 (reviewed), 丙 (new in 2025)
    assert c["duty_certified"] == 2
    assert report.text("cert_rate") == "66.7%"  # 2 / 3
    assert c["new_certificates"] == 1
    assert c["review_passed"] == 1 and c["review_failed"] == 0


def test_units_roll_up_and_transfer_counts_where_they_were(bureau):
    report, _ = year_report(year=2025)
    one, two, root = bureau.one.path, bureau.two.path, bureau.root.path
    assert report.counts(one)["headcount"] == 2  # 甲 乙
    assert report.counts(two)["headcount"] == 2  # 丙 (since July) 戊
    assert report.counts(root)["headcount"] == 4
    assert report.counts(one)["sessions"] == 2 and report.counts(one)["attendances"] == 2
    assert report.counts(two)["sessions"] == 1 and report.counts(two)["attendances"] == 1
    assert report.counts(one)["hours_met"] == 1 and report.counts(two)["hours_met"] == 1


def test_last_year_does_not_change_when_people_move(bureau):
    report, frame = year_report(year=2024)
    one = bureau.one.path
    # on 31 Dec 2024 丙 was in 一中队 and 丁 had not left
    assert sorted(frame["name"]) == sorted(["甲", "乙", "丙", "丁", "戊"])
    assert report.counts(one)["headcount"] == 4
    assert report.counts(bureau.two.path)["headcount"] == 1


def test_reference_date_and_hours_per_day_are_options(bureau):
    report, frame = year_report(year=2025, options=Options(hours_per_day=6, reference=dt.date(2025, 6, 30)))
    assert "丁" in set(frame["name"])  # still on the roll on 30 Jun
    assert report.counts(bureau.one.path)["headcount"] == 4  # 甲 乙 丙 丁
    # (48 + 20 + 40 + 30 + 10) / 6 / 5 = 4.933…
    assert report.value("days_per_head") == Decimal("4.9")


def test_mentorship_figures_once_wired(bureau, monkeypatch):
    import pandas as pd

    from reports import figures
    from reports.exports import summary_text
    from reports.selectors import shown

    report, _ = year_report(year=2025)
    assert not report.has_mentorship
    rows = shown(report=report, paths=None, scope_label="局").figure_rows()
    assert "pairs_formed" not in {r["key"] for r in rows}  # not wired yet: not shown

    pairs = pd.DataFrame(
        {
            "mentee_id": [bureau.c.pk, bureau.b.pk, bureau.d.pk],  # 丁 left in July: not on the roll
            "state": ["completed", "active", "completed"],
            "mentee_certified": [True, False, True],
        }
    )
    monkeypatch.setattr(figures, "mentorship_pairs", lambda *, year: pairs)
    report, _ = year_report(year=2025)
    assert report.has_mentorship
    assert (report.counts()["pairs_formed"], report.counts()["pairs_completed"]) == (2, 1)
    assert report.counts()["mentees_certified"] == 1
    assert report.counts(bureau.two.path)["pairs_formed"] == 1  # 丙 counted in 二中队
    text = summary_text(shown(report=report, paths=None, scope_label="局"))
    assert "结成师徒2对,1对出师,1名徒弟取得执法证" in text

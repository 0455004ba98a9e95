"""Every non-trivial read of the learning app. Totals are always sums over the ledger."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import pandas as pd
from django.conf import settings
from django.db import connections
from django.db.models import BigIntegerField, F, Q, QuerySet, Sum
from django.db.models.functions import Cast, Round
from django.utils import timezone

from org.audience import Audience, audiences_of
from org.frames import fetch_frame
from org.models import Officer, RoleCategory, User
from org.naming import localized_name
from org.scopes import roles_of
from org.tabular import Sheet, write_workbook

from . import catalog
from .models import (
    Attendance,
    CreditEntry,
    Enrolment,
    ExternalClaim,
    HourRule,
    LessonProgress,
    OfflineSession,
    TrainingDayRule,
)

ZERO = Decimal("0")


def ledger_sums(*, year: int, officers: QuerySet[Officer] | None = None) -> QuerySet:
    """THE sum: hours per (officer, credit category) of one year, reversals netted. Everything else that
    shows hours is built on this one aggregate."""
    entries = CreditEntry.objects.filter(year=year)
    if officers is not None:
        entries = entries.filter(officer_id__in=officers.values("pk"))
    return entries.order_by().values("officer_id", "category_id").annotate(hours=Sum("hours"))


def officer_hours_for_year(*, officer: Officer, year: int) -> dict[str, Decimal]:
    """Hours of officer O in year Y by credit category code."""
    return {
        row["category_id"]: row["hours"]
        for row in ledger_sums(year=year, officers=Officer.objects.filter(pk=officer.pk))
    }


def categories() -> dict[str, str]:
    """code → name of every credit category (content's), in display order."""
    return dict(catalog.credit_categories())


def rules_for_year(*, year: int) -> list[HourRule]:
    return list(HourRule.objects.filter(year=year).select_related("role_category", "category"))


NO_RULES_TEXT = "本年度未设学时要求"  # the export's words; the pages translate the same msgid


@dataclass(frozen=True)
class CategoryHours:
    code: str
    name: str
    required: Decimal
    earned: Decimal
    shortfall: Decimal

    @property
    def percent(self) -> int:
        return 100 if not self.required else min(100, int(self.earned * 100 / self.required))


@dataclass(frozen=True)
class HoursStatus:
    """THE rule of "hours met" for one officer and year: every credit category's rule for their role category, and
    the minimum training days (days = hours / LEARNING_HOURS_PER_TRAINING_DAY). Certification, reports, mentorship and
    every page read this; nobody recomputes it."""

    officer_id: int
    year: int
    categories: tuple[CategoryHours, ...]
    total_required: Decimal
    total_earned: Decimal
    total_shortfall: Decimal
    days: Decimal
    min_days: Decimal | None
    days_short: Decimal
    has_rules: bool

    @property
    def met(self) -> bool:
        """No shortfall in any category and enough days. A year without rules for the role has nothing to miss:
        callers show that as "本年度未设学时要求" (see has_rules), not as 达标."""
        return self.total_shortfall == 0 and self.days_short == 0

    def as_summary(self) -> dict:
        """The dict the hours templates read (summary.rows, summary.total_earned ...)."""
        return {
            "year": self.year,
            "rows": [
                {
                    "code": c.code,
                    "name": c.name,
                    "required": c.required,
                    "earned": c.earned,
                    "shortfall": c.shortfall,
                    "percent": c.percent,
                }
                for c in self.categories
            ],
            "total_required": self.total_required,
            "total_earned": self.total_earned,
            "total_shortfall": self.total_shortfall,
            "days": self.days,
            "min_days": self.min_days,
            "days_short": self.days_short,
            "has_rules": self.has_rules,
            "met": self.met,
        }


def _cents(values) -> pd.Series:
    return (pd.to_numeric(pd.Series(values, dtype=object), errors="coerce").fillna(0) * 100).round().astype("int64")


def _people_frame(officers: QuerySet[Officer]) -> pd.DataFrame:
    return pd.DataFrame.from_records(
        list(
            officers.order_by().values_list(
                "pk", "employee_no", "name", "unit__full_path", "role_category_id", "role_category__name"
            )
        ),
        columns=["officer_id", "employee_no", "name", "unit", "role_category_id", "role"],
    )


def _hours_long(*, year: int, officers: QuerySet[Officer], people: pd.DataFrame) -> pd.DataFrame:
    """Required vs earned per (officer, credit category) in integer hundredths of an hour: one query for the rules,
    ONE aggregate over the ledger, the rest vectorised pandas. Rows: every rule of the officer's role category, and
    every category the officer earned hours in."""
    rule_rows = list(
        HourRule.objects.filter(year=year).values_list("role_category_id", "category_id", "required_hours")
    )
    rules = pd.DataFrame.from_records(rule_rows, columns=["role_category_id", "category", "required"])
    rules["required_c"] = _cents(rules["required"])
    # The database sums into integer hundredths: 400,000 (officer, category) rows come back as plain ints, not as
    # Decimals to convert one by one (most of the time of this function at 100,000 officers before).
    sum_rows = list(
        ledger_sums(year=year, officers=officers)
        .annotate(earned_c=Cast(Round(F("hours") * 100), BigIntegerField()))
        .values_list("officer_id", "category_id", "earned_c")
    )
    sums = pd.DataFrame.from_records(sum_rows, columns=["officer_id", "category", "earned_c"])
    required = people[["officer_id", "role_category_id"]].merge(rules, on="role_category_id", how="inner")
    long = required[["officer_id", "category", "required_c"]].merge(
        sums[["officer_id", "category", "earned_c"]], on=["officer_id", "category"], how="outer"
    )
    long["required_c"] = long["required_c"].fillna(0).astype("int64")
    long["earned_c"] = long["earned_c"].fillna(0).astype("int64")
    long["shortfall_c"] = (long["required_c"] - long["earned_c"]).clip(lower=0)
    long["has_rule"] = long["officer_id"].isin(required["officer_id"])
    return long


def _status_from_long(*, year: int, people: pd.DataFrame, long: pd.DataFrame) -> pd.DataFrame:
    totals = long.groupby("officer_id", sort=False).agg(
        total_required_c=("required_c", "sum"),
        total_earned_c=("earned_c", "sum"),
        total_shortfall_c=("shortfall_c", "sum"),
        has_rules=("has_rule", "any"),
    )
    frame = people[["officer_id", "role_category_id"]].merge(totals, on="officer_id", how="left")
    for column in ("total_required_c", "total_earned_c", "total_shortfall_c"):
        frame[column] = frame[column].fillna(0).astype("int64")
    frame["has_rules"] = frame["has_rules"].astype("boolean").fillna(False).astype(bool)
    return _with_days(year=year, frame=frame)


def _earned_matrix(*, year: int, officers: QuerySet[Officer], codes: list[str]) -> np.ndarray:
    """One row per officer of the queryset: [officer_id, role_category_id, total earned, earned in codes[0], …] in
    integer hundredths of an hour, as one int64 matrix. ONE statement: the ledger summed per (officer, category)
    (THE sum of `ledger_sums`, in integers on PostgreSQL: an aggregate over the covering index of migrations 0005 and
    0007, parallel when the planner sees fit; there in one pass per officer), as one row per officer in the database (bigints: PostgreSQL's
    SUM of a bigint is a numeric, hence the casts), read straight from the cursor: 100,000 rows of plain integers, not
    400,000 (officer, category) rows through the ORM's converters and pandas merges."""
    connection = connections[officers.db]
    quote = connection.ops.quote_name
    people_sql, people_params = (
        officers.order_by().values(o_id=F("pk"), o_role=F("role_category_id")).query.sql_with_params()
    )
    ledger = CreditEntry._meta
    officer_col = quote(ledger.get_field("officer").column)
    category_col = quote(ledger.get_field("category").column)
    if officers.query.has_filters():
        ids_sql, ids_params = officers.order_by().values("pk").query.sql_with_params()
        of_officers = f"AND {officer_col} IN ({ids_sql})"
    else:
        # every officer (reports for the whole bureau): each row's officer is one of them (a foreign key), and the
        # LEFT JOIN from `p` below keeps only theirs anyway; no semi-join over 4,000,000 rows (≈0.3 s)
        ids_params, of_officers = (), ""
    if connection.vendor == "postgresql":
        # learning migration 0007: the row's hours × 100 as a generated integer column, in the covering index. Whole
        # numbers add up exactly, so one GROUP BY officer (a category's sum as a FILTER) gives the same sums as per
        # (officer, category) first, with a quarter of the groups (0.4 s less at 100,000 officers).
        hundredths = quote("hours_hundredths")
        per_code = "".join(
            f", CAST(SUM({hundredths}) FILTER (WHERE {category_col} = %s) AS BIGINT) AS c{i}" for i in range(len(codes))
        )
        ledger_sql = f"""
            SELECT {officer_col} AS officer_id, CAST(SUM({hundredths}) AS BIGINT) AS total_c{per_code}
            FROM {quote(ledger.db_table)}
            WHERE {quote("year")} = %s {of_officers}
            GROUP BY {officer_col}
        """
    else:
        # hours are stored with two decimals: the sum × 100 is whole, ROUND only absorbs SQLite's floating point
        earned_c = f"CAST(ROUND(SUM({quote('hours')}) * 100) AS BIGINT)"
        per_code = "".join(
            f", CAST(SUM(CASE WHEN s.cat = %s THEN s.earned_c ELSE 0 END) AS BIGINT) AS c{i}" for i in range(len(codes))
        )
        ledger_sql = f"""
            SELECT s.officer_id AS officer_id, CAST(SUM(s.earned_c) AS BIGINT) AS total_c{per_code}
            FROM (
                SELECT {officer_col} AS officer_id, {category_col} AS cat, {earned_c} AS earned_c
                FROM {quote(ledger.db_table)}
                WHERE {quote("year")} = %s {of_officers}
                GROUP BY {officer_col}, {category_col}
            ) s
            GROUP BY s.officer_id
        """
    sql = f"""
        SELECT p.o_id, p.o_role, COALESCE(e.total_c, 0){"".join(f", COALESCE(e.c{i}, 0)" for i in range(len(codes)))}
        FROM ({people_sql}) p
        LEFT JOIN ({ledger_sql}) e ON e.officer_id = p.o_id
    """
    params = (*people_params, *codes, year, *ids_params)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return np.array(rows, dtype="int64").reshape(len(rows), 3 + len(codes))


def hours_status_frame(*, year: int, officers: QuerySet[Officer]) -> pd.DataFrame:
    """hours_status for many officers as one vectorised frame (for 100,000 officers: certification, reports), the
    same rule computed column-wise (a test holds the two equal on random ledgers). Columns: officer_id,
    role_category_id, total_required_c, total_earned_c, total_shortfall_c (hundredths of an hour), days_tenths,
    min_days_tenths (NaN without a day rule), days_short_tenths, has_rules, met."""
    rules = list(HourRule.objects.filter(year=year).values_list("role_category_id", "category_id", "required_hours"))
    codes = sorted({code for _role, code, _req in rules})
    matrix = _earned_matrix(year=year, officers=officers, codes=codes)
    officer_ids, role_ids, total_earned = matrix[:, 0], matrix[:, 1], matrix[:, 2]
    earned = matrix[:, 3:]
    # required[i, j]: hundredths of an hour officer i must earn in codes[j] (0 without a rule for their role)
    roles = np.unique(np.concatenate([role_ids, np.array([r for r, _c, _h in rules], dtype="int64")]))
    by_role = np.zeros((len(roles), len(codes)), dtype="int64")
    role_has_rule = np.zeros(len(roles), dtype=bool)
    column = {code: j for j, code in enumerate(codes)}
    for role, code, required_hours in rules:
        r = np.searchsorted(roles, role)
        by_role[r, column[code]] = int((Decimal(required_hours) * 100).to_integral_value())
        role_has_rule[r] = True
    role_index = np.searchsorted(roles, role_ids)
    required = by_role[role_index]
    frame = pd.DataFrame(
        {
            "officer_id": officer_ids,
            "role_category_id": role_ids,
            "total_required_c": required.sum(axis=1),
            "total_earned_c": total_earned,
            "total_shortfall_c": np.clip(required - earned, 0, None).sum(axis=1),
            "has_rules": role_has_rule[role_index],
        }
    )
    return _with_days(year=year, frame=frame)


def _with_days(*, year: int, frame: pd.DataFrame) -> pd.DataFrame:
    """Training days (hours / LEARNING_HOURS_PER_TRAINING_DAY) against the year's minimum, and "met"."""
    per_day_c = int(settings.LEARNING_HOURS_PER_TRAINING_DAY) * 100
    # days to one decimal, half to even as Decimal.quantize does: integer tenths
    frame["days_tenths"] = np.rint(frame["total_earned_c"] * 10 / per_day_c).astype("int64")
    day_rules = dict(TrainingDayRule.objects.filter(year=year).values_list("role_category_id", "min_days"))
    min_days = frame["role_category_id"].map({r: int(Decimal(d) * 10) for r, d in day_rules.items()})
    frame["min_days_tenths"] = min_days.astype("float64")
    frame["days_short_tenths"] = (
        (frame["min_days_tenths"] - frame["days_tenths"]).clip(lower=0).fillna(0).astype("int64")
    )
    frame["has_rules"] = frame["has_rules"].astype(bool) | frame["min_days_tenths"].notna()
    frame["met"] = (frame["total_shortfall_c"] == 0) & (frame["days_short_tenths"] == 0)
    return frame


def _dec_c(value) -> Decimal:
    return (Decimal(int(value)) / 100).quantize(Decimal("0.01"))


def _dec_t(value) -> Decimal:
    return (Decimal(int(value)) / 10).quantize(Decimal("0.1"))


def hours_status(*, year: int, officers: QuerySet[Officer]) -> dict[int, HoursStatus]:
    """officer_id → HoursStatus for every officer of the queryset (set-based: a fixed number of queries)."""
    people = _people_frame(officers)
    long = _hours_long(year=year, officers=officers, people=people)
    frame = _status_from_long(year=year, people=people, long=long)
    names = categories()
    order = {code: i for i, code in enumerate(names)}
    per_officer: dict[int, list[CategoryHours]] = {}
    for rec in long.itertuples(index=False):
        per_officer.setdefault(int(rec.officer_id), []).append(
            CategoryHours(
                code=rec.category,
                name=names.get(rec.category, rec.category),
                required=_dec_c(rec.required_c),
                earned=_dec_c(rec.earned_c),
                shortfall=_dec_c(rec.shortfall_c),
            )
        )
    out: dict[int, HoursStatus] = {}
    for rec in frame.itertuples(index=False):
        officer_id = int(rec.officer_id)
        cells = sorted(per_officer.get(officer_id, []), key=lambda c: order.get(c.code, len(order)))
        min_days = None if pd.isna(rec.min_days_tenths) else _dec_t(rec.min_days_tenths)
        out[officer_id] = HoursStatus(
            officer_id=officer_id,
            year=year,
            categories=tuple(cells),
            total_required=_dec_c(rec.total_required_c),
            total_earned=_dec_c(rec.total_earned_c),
            total_shortfall=_dec_c(rec.total_shortfall_c),
            days=_dec_t(rec.days_tenths),
            min_days=min_days,
            days_short=_dec_t(rec.days_short_tenths),
            has_rules=bool(rec.has_rules),
        )
    return out


def officer_hours_status(*, officer: Officer, year: int) -> HoursStatus:
    return hours_status(year=year, officers=Officer.objects.filter(pk=officer.pk))[officer.pk]


def officer_summary(*, officer: Officer, year: int) -> dict:
    """Required vs earned per category for one officer, with the shortfall, and training days (template dict)."""
    return officer_hours_status(officer=officer, year=year).as_summary()


def requirements_frame(*, year: int, officers: QuerySet[Officer]) -> pd.DataFrame:
    """Required vs earned per officer and category for many officers at once (no per-officer loop).

    Columns: officer_id, employee_no, name, unit, role_category_id, role, category, required, earned,
    shortfall (Decimal hours)."""
    people = _people_frame(officers)
    long = _hours_long(year=year, officers=officers, people=people)
    for column in ("required", "earned", "shortfall"):
        long[column] = long.pop(f"{column}_c").map(_dec_c).astype(object)
    return people.merge(long.drop(columns=["has_rule"]), on="officer_id", how="left")


def unit_status_rows(*, year: int, officers: QuerySet[Officer]) -> tuple[list[dict], list[tuple[str, str]]]:
    """One row per officer (wide: required/earned per category, total shortfall, training days) for the
    unit view and its export. Returns (rows, [(code, name) of the categories shown])."""
    people = _people_frame(officers)
    statuses = hours_status(year=year, officers=officers)
    names = categories()
    shown = {c.code for st in statuses.values() for c in st.categories}
    codes = [c for c in names if c in shown]
    empty = {"required": ZERO, "earned": ZERO, "shortfall": ZERO}
    role_names = {
        pk: localized_name(name, name_en)
        for pk, name, name_en in RoleCategory.objects.values_list("pk", "name", "name_en")
    }
    out = []
    for rec in people.itertuples(index=False):
        st = statuses[int(rec.officer_id)]
        cells = {c.code: {"required": c.required, "earned": c.earned, "shortfall": c.shortfall} for c in st.categories}
        out.append(
            {
                "officer_id": int(rec.officer_id),
                "employee_no": rec.employee_no,
                "name": rec.name,
                "unit": rec.unit,
                "role": role_names.get(rec.role_category_id, rec.role),
                "cells": cells,
                "cell_list": [cells.get(c, empty) for c in codes],
                "total_earned": st.total_earned,
                "total_shortfall": st.total_shortfall,
                "days": st.days,
                "min_days": st.min_days,
                "days_short": st.days_short,
                "has_rules": st.has_rules,
                # Without a rule nobody is 达标 or short: there is nothing to meet.
                "ok": st.has_rules and st.met,
                "short": st.has_rules and not st.met,
            }
        )
    out.sort(key=lambda r: (r["unit"], r["employee_no"]))
    return out, [(c, names[c]) for c in codes]


def unit_status_xlsx(*, year: int, rows: list[dict], columns: list[tuple[str, str]]) -> bytes:
    header = ["工号", "姓名", "单位", "人员类别"]
    for _code, name in columns:
        header += [f"{name}应修", f"{name}已修", f"{name}欠缺"]
    header += ["合计已修", "合计欠缺", "折合培训天数", "最少培训天数", "是否达标"]
    lines = []
    for row in rows:
        line = [row["employee_no"], row["name"], row["unit"], row["role"]]
        for cell in row["cell_list"]:
            line += [float(cell["required"]), float(cell["earned"]), float(cell["shortfall"])]
        line += [
            float(row["total_earned"]),
            float(row["total_shortfall"]),
            float(row["days"]),
            float(row["min_days"]) if row["min_days"] is not None else None,
            ("是" if row["ok"] else "否") if row["has_rules"] else NO_RULES_TEXT,
        ]
        lines.append(line)
    return write_workbook([Sheet(f"{year}年度学时", header, lines, widths={2: 40})])


def recent_credits(*, officer: Officer, limit: int = 20) -> list[CreditEntry]:
    return list(CreditEntry.objects.filter(officer=officer).select_related("category", "reverses")[:limit])


def credits_page(*, officer: Officer, year: int) -> QuerySet[CreditEntry]:
    return CreditEntry.objects.filter(officer=officer, year=year).select_related("category", "actor")


def source_titles(entries: list[CreditEntry]) -> dict[int, str]:
    """A human title for each entry's source (session title, claim title, course title)."""
    by_kind: dict[str, set[str]] = {}
    for e in entries:
        by_kind.setdefault(e.source_kind, set()).add(e.source_id)
    titles: dict[tuple[str, str], str] = {}
    ids = [int(i) for i in by_kind.get(CreditEntry.SourceKind.OFFLINE, ()) if i.isdigit()]
    for pk, title in OfflineSession.objects.filter(pk__in=ids).values_list("pk", "title"):
        titles[(CreditEntry.SourceKind.OFFLINE, str(pk))] = title
    ids = [int(i) for i in by_kind.get(CreditEntry.SourceKind.EXTERNAL, ()) if i.isdigit()]
    for pk, title in ExternalClaim.objects.filter(pk__in=ids).values_list("pk", "title"):
        titles[(CreditEntry.SourceKind.EXTERNAL, str(pk))] = title
    if by_kind.get(CreditEntry.SourceKind.COURSE):
        for course in catalog.courses_published():
            titles[(CreditEntry.SourceKind.COURSE, str(course.course_id))] = course.title
    return {e.pk: titles.get((e.source_kind, e.source_id), e.reason) for e in entries}


def _lesson_rows(lessons: list, progress: dict[int, LessonProgress]) -> list[dict]:
    """Per lesson: minutes studied (server-counted, capped at the credit) against its credited minutes."""
    rows = []
    for lesson in lessons:
        p = progress.get(lesson.lesson_id)
        credited_seconds = lesson.credited_minutes * 60
        studied_seconds = min(p.studied_seconds, credited_seconds) if p else 0
        rows.append(
            {
                "lesson_id": lesson.lesson_id,
                "title": lesson.title,
                "credited_minutes": lesson.credited_minutes,
                "studied_minutes": Decimal(studied_seconds / 60).quantize(Decimal("0.1")),
                "percent": 100 if not credited_seconds else int(studied_seconds * 100 / credited_seconds),
                "completed": bool(p and p.completed_at),
                "started": p is not None,
            }
        )
    return rows


def _course_progress(lessons: list, progress: dict[int, LessonProgress], *, completed: bool = False) -> dict:
    rows = _lesson_rows(lessons, progress)
    credited = sum(r["credited_minutes"] for r in rows)
    studied = sum((r["studied_minutes"] for r in rows), Decimal("0"))
    # Time-weighted, so that 2.5 of 30 minutes shows as progress and not as 0% until a lesson completes.
    percent = 100 if completed else (min(100, int(studied * 100 / credited)) if credited else 0)
    return {
        "lessons": rows,
        "by_lesson": {r["lesson_id"]: r for r in rows},
        "lessons_done": sum(1 for r in rows if r["completed"]),
        "lessons_total": len(rows),
        "studied_minutes": studied,
        "credited_minutes": credited,
        "percent": percent,
    }


def course_progress_for(*, officer: Officer, course_id: int) -> dict:
    """One officer's progress through one course, lesson by lesson (the course page shows it)."""
    lessons = catalog.course_lessons(course_id=course_id)
    progress = {
        p.lesson_id: p
        for p in LessonProgress.objects.filter(officer=officer, lesson_id__in=[lesson.lesson_id for lesson in lessons])
    }
    completed = Enrolment.objects.filter(officer=officer, course_id=course_id, completed_at__isnull=False).exists()
    return _course_progress(lessons, progress, completed=completed)


def courses_for(*, officer: Officer) -> list[dict]:
    """The officer's enrolled courses with lesson progress (in progress first)."""
    enrolments = list(Enrolment.objects.filter(officer=officer).order_by("completed_at", "-created_at"))
    if not enrolments:
        return []
    courses = {c.course_id: c for c in catalog.courses_published()}
    progress: dict[int, dict[int, LessonProgress]] = {}
    for p in LessonProgress.objects.filter(officer=officer, course_id__in=[e.course_id for e in enrolments]):
        progress.setdefault(p.course_id, {})[p.lesson_id] = p
    out = []
    for e in enrolments:
        summary = courses.get(e.course_id)
        course = _course_progress(
            catalog.course_lessons(course_id=e.course_id),
            progress.get(e.course_id, {}),
            completed=e.completed_at is not None,
        )
        out.append(
            {
                "enrolment": e,
                "course_id": e.course_id,
                "title": summary.title if summary else f"#{e.course_id}",
                "url": summary.url if summary else "",
                "required": summary.required if summary else False,
                **course,
                "completed": e.completed_at is not None,
            }
        )
    return out


def electives_for(*, officer: Officer, year: int) -> list:
    enrolled = set(Enrolment.objects.filter(officer=officer).values_list("course_id", flat=True))
    return [c for c in catalog.courses_published(year=year) if not c.required and c.course_id not in enrolled]


def lesson_progress_for(*, officer: Officer, lesson_id: int) -> LessonProgress | None:
    return LessonProgress.objects.filter(officer=officer, lesson_id=lesson_id).first()


def upcoming_sessions_for(*, officer: Officer, limit: int = 10) -> list[OfflineSession]:
    """Sessions not yet over whose audience (org's one rule) includes the officer."""
    sessions = list(
        OfflineSession.objects.filter(ends_at__gte=timezone.now()).order_by("starts_at").select_related("category")
    )
    audiences = session_audiences(sessions)
    return [s for s in sessions if audiences[s.pk].includes(officer)][:limit]


def session_audiences(sessions: list[OfflineSession]) -> dict[int, Audience]:
    """Invited units (and below) plus invited officers; a session that invites nobody is open to everyone."""
    return audiences_of(
        sessions, units="invited_units", role_categories=None, officers="invited_officers", everyone_when_unset=True
    )


def sessions_for_manager(*, user: User) -> QuerySet[OfflineSession]:
    roles = roles_of(user)
    sessions = OfflineSession.objects.select_related("category", "trainer")
    if roles.sees_everyone:
        return sessions
    return sessions.filter(trainer=user)


def may_manage_session(user: User, session: OfflineSession) -> bool:
    roles = roles_of(user)
    return roles.sees_everyone or (roles.is_trainer and session.trainer_id == user.pk)


def attendance_for(*, session: OfflineSession) -> list[Attendance]:
    return list(session.attendance.select_related("officer__unit", "recorded_by").order_by("officer__employee_no"))


def attendance_xlsx(*, session: OfflineSession) -> bytes:
    when = f"{timezone.localtime(session.starts_at):%Y-%m-%d %H:%M} — {timezone.localtime(session.ends_at):%H:%M}"
    lines = [
        [
            a.officer.employee_no,
            a.officer.name,
            a.officer.unit.full_path,
            timezone.localtime(a.signed_in_at).strftime("%Y-%m-%d %H:%M:%S") if a.signed_in_at else "",
            timezone.localtime(a.signed_out_at).strftime("%Y-%m-%d %H:%M:%S") if a.signed_out_at else "",
            a.get_method_display(),
            a.reason,
            float(session.hours) if a.credit_id else 0,
        ]
        for a in attendance_for(session=session)
    ]
    sheet = Sheet(
        "签到表",
        ["工号", "姓名", "单位", "签到时间", "签退时间", "方式", "补录原因", "学时"],
        lines,
        widths={2: 40},
        preamble=[[session.title], [when, session.place]],
    )
    return write_workbook([sheet])


def may_decide_claim(user: User, claim: ExternalClaim) -> bool:
    """HR, or a unit leader of the officer's subtree; never the claimant."""
    if claim.officer.user_id == user.pk:
        return False
    roles = roles_of(user)
    if roles.sees_everyone:
        return True
    return any(claim.officer.unit.path.startswith(p) for p in roles.leader_unit_paths)


def claims_to_review(*, user: User) -> QuerySet[ExternalClaim]:
    roles = roles_of(user)
    claims = ExternalClaim.objects.select_related("officer__unit", "category").exclude(officer__user=user)
    if roles.sees_everyone:
        return claims
    if roles.leader_unit_paths:
        q = Q(pk__in=[])
        for path in roles.leader_unit_paths:
            q |= Q(officer__unit__path__startswith=path)
        return claims.filter(q)
    return claims.none()


# --- a year's training events, set-based (reports) -------------------------------------------------------------------


def _year_bounds(year: int):
    tz = timezone.get_default_timezone()
    start = timezone.make_aware(timezone.datetime(year, 1, 1), tz)
    end = timezone.make_aware(timezone.datetime(year + 1, 1, 1), tz)
    return start, end


def attendance_year_frame(*, year: int, officers: QuerySet[Officer]) -> pd.DataFrame:
    """Every sign-in of the officers at an offline session starting in `year` (Asia/Shanghai): one row per
    (officer, session). Columns: officer_id, session_id, kind (OfflineSession.Kind). One query."""
    start, end = _year_bounds(year)
    return fetch_frame(  # 100,000 sign-ins: straight from the cursor, no ORM converters
        Attendance.objects.filter(
            session__starts_at__gte=start,
            session__starts_at__lt=end,
            signed_in_at__isnull=False,
            officer_id__in=officers.order_by().values("pk"),
        )
        .order_by()
        .values_list("officer_id", "session_id", "session__kind"),
        ["officer_id", "session_id", "kind"],
    )


def external_approved_frame(*, year: int, officers: QuerySet[Officer]) -> pd.DataFrame:
    """Approved external training of the officers whose course started in `year`: one row per claim.
    Columns: officer_id, hours_c (hundredths of an hour). One query."""
    rows = list(
        ExternalClaim.objects.filter(
            status=ExternalClaim.Status.APPROVED,
            start_date__year=year,
            officer_id__in=officers.order_by().values("pk"),
        )
        .order_by()
        .annotate(hours_c=Cast(Round(F("hours") * 100), BigIntegerField()))
        .values_list("officer_id", "hours_c")
    )
    return pd.DataFrame.from_records(rows, columns=["officer_id", "hours_c"])


def session_kinds() -> dict[str, str]:
    """code → label of the offline session kinds, in display order."""
    return {code: str(label) for code, label in OfflineSession.Kind.choices}

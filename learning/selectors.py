"""Every non-trivial read of the learning app. Totals are always sums over the ledger."""

from __future__ import annotations

import io
from decimal import Decimal

import pandas as pd
from django.conf import settings
from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from org.models import Officer, User
from org.scopes import roles_of

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


def officer_summary(*, officer: Officer, year: int) -> dict:
    """Required vs earned per category for one officer, with the shortfall, and training days."""
    earned = officer_hours_for_year(officer=officer, year=year)
    names = categories()
    rules = {
        r.category_id: r.required_hours
        for r in HourRule.objects.filter(year=year, role_category_id=officer.role_category_id)
    }
    order = list(names)
    rows = []
    for code in [c for c in order if c in rules or c in earned]:
        required = rules.get(code, ZERO)
        got = earned.get(code, ZERO)
        rows.append(
            {
                "code": code,
                "name": names.get(code, code),
                "required": required,
                "earned": got,
                "shortfall": max(ZERO, required - got),
                "percent": 100 if not required else min(100, int(got * 100 / required)),
            }
        )
    total_earned = sum(earned.values(), ZERO)
    day_rule = TrainingDayRule.objects.filter(year=year, role_category_id=officer.role_category_id).first()
    days = (total_earned / Decimal(settings.LEARNING_HOURS_PER_TRAINING_DAY)).quantize(Decimal("0.1"))
    return {
        "year": year,
        "rows": rows,
        "total_required": sum(rules.values(), ZERO),
        "total_earned": total_earned,
        "total_shortfall": sum((r["shortfall"] for r in rows), ZERO),
        "days": days,
        "min_days": day_rule.min_days if day_rule else None,
        "days_short": max(Decimal("0"), day_rule.min_days - days) if day_rule else Decimal("0"),
        "has_rules": bool(rules),
    }


def requirements_frame(*, year: int, officers: QuerySet[Officer]) -> pd.DataFrame:
    """Required vs earned per officer and category for many officers at once: one query for the people,
    one for the rules, ONE aggregate over the ledger; the rest is a pandas merge (no per-officer loop).

    Columns: officer_id, employee_no, name, unit, role_category_id, role, category, required, earned,
    shortfall."""
    people = pd.DataFrame.from_records(
        list(
            officers.order_by().values_list(
                "pk", "employee_no", "name", "unit__full_path", "role_category_id", "role_category__name"
            )
        ),
        columns=["officer_id", "employee_no", "name", "unit", "role_category_id", "role"],
    )
    rules = pd.DataFrame.from_records(
        list(HourRule.objects.filter(year=year).values_list("role_category_id", "category_id", "required_hours")),
        columns=["role_category_id", "category", "required"],
    )
    sums = pd.DataFrame.from_records(
        list(ledger_sums(year=year, officers=officers).values_list("officer_id", "category_id", "hours")),
        columns=["officer_id", "category", "earned"],
    )
    required = people.merge(rules, on="role_category_id", how="inner")[["officer_id", "category", "required"]]
    long = required.merge(sums, on=["officer_id", "category"], how="outer")
    long["required"] = long["required"].map(lambda v: ZERO if pd.isna(v) else Decimal(v)).astype(object)
    long["earned"] = long["earned"].map(lambda v: ZERO if pd.isna(v) else Decimal(v)).astype(object)
    long["shortfall"] = [max(ZERO, r - e) for r, e in zip(long["required"], long["earned"], strict=True)]
    return people.merge(long, on="officer_id", how="left")


def unit_status_rows(*, year: int, officers: QuerySet[Officer]) -> tuple[list[dict], list[tuple[str, str]]]:
    """One row per officer (wide: required/earned per category, total shortfall, training days) for the
    unit view and its export. Returns (rows, [(code, name) of the categories shown])."""
    frame = requirements_frame(year=year, officers=officers)
    names = categories()
    codes = [c for c in names if c in set(frame["category"].dropna())]
    day_rules = dict(TrainingDayRule.objects.filter(year=year).values_list("role_category_id", "min_days"))
    per_day = Decimal(settings.LEARNING_HOURS_PER_TRAINING_DAY)
    rows: dict[int, dict] = {}
    for rec in frame.itertuples(index=False):
        row = rows.get(rec.officer_id)
        if row is None:
            row = rows[rec.officer_id] = {
                "officer_id": rec.officer_id,
                "employee_no": rec.employee_no,
                "name": rec.name,
                "unit": rec.unit,
                "role": rec.role,
                "cells": {c: {"required": ZERO, "earned": ZERO, "shortfall": ZERO} for c in codes},
                "total_earned": ZERO,
                "total_shortfall": ZERO,
                "min_days": day_rules.get(rec.role_category_id),
            }
        if isinstance(rec.category, str):
            row["cells"][rec.category] = {"required": rec.required, "earned": rec.earned, "shortfall": rec.shortfall}
            row["total_earned"] += rec.earned
            row["total_shortfall"] += rec.shortfall
    out = []
    for row in rows.values():
        row["days"] = (row["total_earned"] / per_day).quantize(Decimal("0.1"))
        row["days_short"] = max(ZERO, row["min_days"] - row["days"]) if row["min_days"] is not None else ZERO
        row["ok"] = row["total_shortfall"] == 0 and row["days_short"] == 0
        row["cell_list"] = [row["cells"][c] for c in codes]
        out.append(row)
    out.sort(key=lambda r: (r["unit"], r["employee_no"]))
    return out, [(c, names[c]) for c in codes]


def unit_status_xlsx(*, year: int, rows: list[dict], columns: list[tuple[str, str]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"{year}年度学时"
    header = ["工号", "姓名", "单位", "人员类别"]
    for _code, name in columns:
        header += [f"{name}应修", f"{name}已修", f"{name}欠缺"]
    header += ["合计已修", "合计欠缺", "折合培训天数", "最少培训天数", "是否达标"]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        line = [row["employee_no"], row["name"], row["unit"], row["role"]]
        for cell in row["cell_list"]:
            line += [float(cell["required"]), float(cell["earned"]), float(cell["shortfall"])]
        line += [
            float(row["total_earned"]),
            float(row["total_shortfall"]),
            float(row["days"]),
            float(row["min_days"]) if row["min_days"] is not None else None,
            "是" if row["ok"] else "否",
        ]
        sheet.append(line)
    sheet.column_dimensions["C"].width = 40
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


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


def courses_for(*, officer: Officer) -> list[dict]:
    """The officer's enrolled courses with lesson progress (in progress first)."""
    enrolments = list(Enrolment.objects.filter(officer=officer).order_by("completed_at", "-created_at"))
    if not enrolments:
        return []
    courses = {c.course_id: c for c in catalog.courses_published()}
    progress = {}
    for p in LessonProgress.objects.filter(officer=officer, course_id__in=[e.course_id for e in enrolments]):
        progress.setdefault(p.course_id, []).append(p)
    out = []
    for e in enrolments:
        lesson_ids = catalog.course_lesson_ids(course_id=e.course_id)
        done = sum(1 for p in progress.get(e.course_id, []) if p.completed_at)
        total = len(lesson_ids) or 1
        summary = courses.get(e.course_id)
        out.append(
            {
                "enrolment": e,
                "course_id": e.course_id,
                "title": summary.title if summary else f"#{e.course_id}",
                "url": summary.url if summary else "",
                "required": summary.required if summary else False,
                "lessons_done": done,
                "lessons_total": len(lesson_ids),
                "percent": 100 if e.completed_at else int(done * 100 / total),
                "completed": e.completed_at is not None,
            }
        )
    return out


def electives_for(*, officer: Officer, year: int) -> list:
    enrolled = set(Enrolment.objects.filter(officer=officer).values_list("course_id", flat=True))
    return [c for c in catalog.courses_published(year=year) if not c.required and c.course_id not in enrolled]


def lesson_progress_for(*, officer: Officer, lesson_id: int) -> LessonProgress | None:
    return LessonProgress.objects.filter(officer=officer, lesson_id=lesson_id).first()


def _invited_q(officer: Officer) -> Q:
    ancestors = [officer.unit.path[:i] for i in range(4, len(officer.unit.path) + 1, 4)]
    no_invites = Q(invited_units__isnull=True) & Q(invited_officers__isnull=True)
    return no_invites | Q(invited_officers=officer) | Q(invited_units__path__in=ancestors)


def upcoming_sessions_for(*, officer: Officer, limit: int = 10) -> list[OfflineSession]:
    now = timezone.now()
    return list(
        OfflineSession.objects.filter(_invited_q(officer), ends_at__gte=now)
        .distinct()
        .order_by("starts_at")
        .select_related("category")[:limit]
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
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "签到表"
    sheet.append([session.title])
    sheet.append(
        [
            f"{timezone.localtime(session.starts_at):%Y-%m-%d %H:%M} — {timezone.localtime(session.ends_at):%H:%M}",
            session.place,
        ]
    )
    sheet.append(["工号", "姓名", "单位", "签到时间", "签退时间", "方式", "补录原因", "学时"])
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    for a in attendance_for(session=session):
        sheet.append(
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
        )
    sheet.column_dimensions["C"].width = 40
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


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

"""Every non-trivial read of mentorship: the officer's pairs, a pair's page, HR's programmes, preview, pairs board,
outcomes (read live from learning, exams and certification, never copied), the .xlsx export, and the two
functions reports uses: `pairs_frame` and `year_counts`."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from certification.selectors import issued_certificates
from exams.selectors import best_passes
from learning.selectors import hours_status
from org.models import Officer, User
from org.scopes import roles_of

from .candidates import ANNUAL_EXAM
from .models import CheckIn, Evaluation, Pair, Programme
from .reminders import last_confirmed, mentors_not_enforcing

QUALIFICATION_EXAM = "qualification"  # exams.models.Exam.Kind.QUALIFICATION
PUBLISHED = [str(s) for s in Pair.PUBLISHED_STATES]


# --- the interface reports uses ----------------------------------------------------------------------------------


def pairs_frame(*, year: int) -> pd.DataFrame:
    """One row per published pair (not proposals) of the programmes of `year`: pair_id, programme_id, mentee_id,
    mentor_id, state ("active" | "completed" | "ended_early"), started_on, ended_on (date or None),
    mentee_certified (the mentee holds a certificate issued on or after the pair started; from certification).
    Three queries, no per-pair loop."""
    columns = ["pair_id", "programme_id", "mentee_id", "mentor_id", "state", "started_on", "ended_on"]
    rows = list(
        Pair.objects.filter(programme__year=year, state__in=PUBLISHED)
        .order_by("pk")
        .values_list("pk", "programme_id", "mentee_id", "mentor_id", "state", "started_on", "ended_on")
    )
    frame = pd.DataFrame.from_records(rows, columns=columns)
    frame["ended_on"] = frame["ended_on"].astype(object).where(frame["ended_on"].notna(), None)
    if frame.empty:
        frame["mentee_certified"] = pd.Series(dtype=bool)
        return frame
    certs = issued_certificates(
        officers=Officer.objects.filter(
            pk__in=Pair.objects.filter(programme__year=year, state__in=PUBLISHED).values("mentee_id")
        )
    )
    joined = frame[["pair_id", "mentee_id", "started_on"]].merge(
        certs.rename(columns={"officer_id": "mentee_id"}), on="mentee_id", how="inner"
    )
    joined = joined[joined["issued_on"] >= joined["started_on"]]
    frame["mentee_certified"] = frame["pair_id"].isin(set(joined["pair_id"])).astype(bool)
    return frame


def year_counts(*, year: int, officers: QuerySet[Officer] | None = None) -> dict:
    """结成师徒 N 对, completed pairs, completion rate (completed / ended pairs, None when none ended) and mentees
    certified since their pair started. `officers` restricts to pairs whose mentee is among them."""
    frame = pairs_frame(year=year)
    if officers is not None and not frame.empty:
        frame = frame[frame["mentee_id"].isin(set(officers.order_by().values_list("pk", flat=True)))]
    formed = int(len(frame))
    completed = int((frame["state"] == Pair.State.COMPLETED).sum()) if formed else 0
    ended = int(frame["state"].isin([Pair.State.COMPLETED, Pair.State.ENDED_EARLY]).sum()) if formed else 0
    return {
        "pairs_formed": formed,
        "pairs_completed": completed,
        "completion_rate": round(completed / ended, 4) if ended else None,
        "mentees_certified": int(frame.loc[frame["mentee_certified"], "mentee_id"].nunique()) if formed else 0,
    }


# --- officer pages ---------------------------------------------------------------------------------------------


def pairs_of(*, officer: Officer) -> dict:
    """我的师傅 / 我的徒弟: the officer's published pairs on each side, newest first."""
    base = Pair.objects.filter(state__in=PUBLISHED).select_related("programme", "mentee__unit", "mentor__unit")
    as_mentee = list(base.filter(mentee=officer).order_by("-started_on", "-pk"))
    as_mentor = list(base.filter(mentor=officer).order_by("state", "-started_on", "-pk"))
    pending = dict(
        CheckIn.objects.filter(pair__in=as_mentor, confirmed_at__isnull=True)
        .values("pair_id")
        .annotate(n=Count("pk"))
        .values_list("pair_id", "n")
    )
    for pair in as_mentor:
        pair.pending = pending.get(pair.pk, 0)
    return {"as_mentee": as_mentee, "as_mentor": as_mentor}


def card(*, officer: Officer) -> dict:
    data = pairs_of(officer=officer)
    active_mentor = next((p for p in data["as_mentee"] if p.state == Pair.State.ACTIVE), None)
    mentees = [p for p in data["as_mentor"] if p.state == Pair.State.ACTIVE]
    return {
        "mentor_pair": active_mentor,
        "mentee_pairs": mentees,
        "pending": sum(p.pending for p in mentees),
        "any": bool(data["as_mentee"] or data["as_mentor"]),
    }


def pair_page(*, pair: Pair, today: dt.date | None = None) -> dict:
    today = today or timezone.localdate()
    checkins = list(pair.checkins.select_related("goal", "confirmed_by"))
    evaluations = {e.side: e for e in pair.evaluations.all()}
    confirmed = [c for c in checkins if c.confirmed_at]
    last = max((c.met_on for c in confirmed), default=None)
    return {
        "pair": pair,
        "goals": list(pair.goals.all()),
        "checkins": checkins,
        "evaluations": evaluations,
        "last_confirmed": last,
        "quiet_days": (today - (last or pair.started_on)).days if pair.started_on else 0,
        "hours": {
            "mentee": sum((c.mentee_hours for c in confirmed), Decimal(0)),
            "mentor": sum((c.mentor_hours for c in confirmed), Decimal(0)),
        },
        "outcome": outcomes_for([pair]).get(pair.pk) if pair.state != Pair.State.PROPOSED else None,
        "today": today,
    }


# --- HR pages --------------------------------------------------------------------------------------------------


def programmes_for(*, viewer: User, year: int | None = None) -> list[Programme]:
    roles = roles_of(viewer)
    qs = Programme.objects.select_related("unit", "owner").annotate(
        n_active=Count("pairs", filter=Q(pairs__state=Pair.State.ACTIVE)),
        n_done=Count("pairs", filter=Q(pairs__state=Pair.State.COMPLETED)),
        n_proposed=Count("pairs", filter=Q(pairs__state=Pair.State.PROPOSED)),
    )
    if year:
        qs = qs.filter(year=year)
    if roles.sees_everyone:
        return list(qs)
    return [p for p in qs if any(p.unit.path.startswith(x) for x in roles.leader_unit_paths)]


def scoped_pairs(*, viewer: User, year: int | None = None) -> QuerySet[Pair]:
    roles = roles_of(viewer)
    qs = Pair.objects.filter(state__in=PUBLISHED).select_related(
        "programme", "mentee__unit", "mentor__unit", "mentee__user", "mentor__user"
    )
    if year:
        qs = qs.filter(programme__year=year)
    if not roles.sees_everyone:
        q = Q(pk__in=[])
        for path in roles.leader_unit_paths:
            q |= Q(mentee__unit__path__startswith=path)
        qs = qs.filter(q)
    return qs.order_by("mentee__unit__path", "mentor__employee_no", "pk")


def preview(*, programme: Programme) -> dict:
    proposals = list(
        programme.pairs.filter(state=Pair.State.PROPOSED)
        .select_related("mentee__unit", "mentor__unit")
        .order_by("mentor__unit__path", "mentor__employee_no", "mentee__employee_no")
    )
    return {"proposals": proposals, "summary": programme.last_match or {}}


def board(*, viewer: User, year: int, today: dt.date | None = None) -> dict:
    """The pairs board: active (quiet ones and those whose mentor may no longer enforce flagged), and ended."""
    today = today or timezone.localdate()
    pairs = list(scoped_pairs(viewer=viewer, year=year))
    active = [p for p in pairs if p.state == Pair.State.ACTIVE]
    last = last_confirmed([p.pk for p in active])
    lapsed = mentors_not_enforcing(active)
    quiet, flagged = [], []
    for p in active:
        p.last_confirmed = last.get(p.pk)
        anchor = p.last_confirmed or p.started_on
        p.quiet_weeks = (today - anchor).days // 7 if anchor else 0
        p.is_quiet = p.quiet_weeks >= p.programme.quiet_weeks
        p.mentor_lapsed = p.mentor_id in lapsed
        if p.is_quiet:
            quiet.append(p)
        if p.mentor_lapsed:
            flagged.append(p)
    return {
        "active": active,
        "quiet": quiet,
        "flagged": flagged,
        "ended": [p for p in pairs if p.state != Pair.State.ACTIVE],
    }


def outcomes_for(pairs: list[Pair]) -> dict[int, dict]:
    """pair id → the mentee's outcomes, read live: hours of the programme's year against their rule, this year's
    annual exam, the qualification exam (any year), a certificate issued since the pair started. A fixed number of
    queries per programme year."""
    out: dict[int, dict] = {}
    by_year: dict[int, list[Pair]] = {}
    for p in pairs:
        by_year.setdefault(p.programme.year, []).append(p)
    for year, group in by_year.items():
        officers = Officer.objects.filter(pk__in={p.mentee_id for p in group})
        hours = hours_status(year=year, officers=officers)
        annual = best_passes(officers=officers, kind=ANNUAL_EXAM, year=year)
        qualification = best_passes(officers=officers, kind=QUALIFICATION_EXAM, year=None)
        certs = issued_certificates(officers=officers)
        for p in group:
            h = hours.get(p.mentee_id)
            issued = certs.loc[certs["officer_id"] == p.mentee_id, "issued_on"]
            since = [d for d in issued if p.started_on and d >= p.started_on]
            out[p.pk] = {
                "hours_earned": h.total_earned if h else Decimal(0),
                "hours_required": h.total_required if h else Decimal(0),
                "hours_met": bool(h and h.has_rules and h.met),
                "hours_has_rules": bool(h and h.has_rules),
                "annual_exam": annual.get(p.mentee_id),
                "qualification": qualification.get(p.mentee_id),
                "certified_on": min(since) if since else None,
            }
    return out


def outcomes(*, viewer: User, year: int) -> dict:
    """Outcomes by pair and by unit (the mentee's unit)."""
    pairs = list(scoped_pairs(viewer=viewer, year=year))
    by_pair = outcomes_for(pairs)
    evaluations: dict[int, dict[str, Evaluation]] = {}
    for e in Evaluation.objects.filter(pair__in=pairs):
        evaluations.setdefault(e.pair_id, {})[e.side] = e
    rows, units = [], {}
    for p in pairs:
        o = by_pair[p.pk]
        rows.append({"pair": p, "o": o, "ev": evaluations.get(p.pk, {})})
        u = units.setdefault(
            p.mentee.unit.full_path,
            {
                "unit": p.mentee.unit.full_path,
                "pairs": 0,
                "completed": 0,
                "ended_early": 0,
                "hours_met": 0,
                "exam": 0,
                "qualification": 0,
                "certified": 0,
            },
        )
        u["pairs"] += 1
        u["completed"] += p.state == Pair.State.COMPLETED
        u["ended_early"] += p.state == Pair.State.ENDED_EARLY
        u["hours_met"] += o["hours_met"]
        u["exam"] += o["annual_exam"] is not None
        u["qualification"] += o["qualification"] is not None
        u["certified"] += o["certified_on"] is not None
    return {"rows": rows, "units": sorted(units.values(), key=lambda u: u["unit"])}


def export_sheets(*, viewer: User, year: int) -> list:
    from django.utils.translation import gettext as _

    from org.tabular import Sheet

    data = outcomes(viewer=viewer, year=year)
    pair_rows = []
    for r in data["rows"]:
        p, o, ev = r["pair"], r["o"], r["ev"]
        pair_rows.append(
            [
                p.programme.name,
                p.mentor.employee_no,
                p.mentor.name,
                p.mentee.employee_no,
                p.mentee.name,
                p.mentee.unit.full_path,
                p.get_state_display(),
                p.started_on,
                p.ended_on,
                p.end_reason,
                float(o["hours_earned"]),
                float(o["hours_required"]),
                _("是") if o["hours_met"] else _("否"),
                float(o["annual_exam"].score) if o["annual_exam"] else "",
                _("已通过") if o["qualification"] else "",
                o["certified_on"] or "",
                ev["mentee"].rating if "mentee" in ev else "",
                ev["mentor"].rating if "mentor" in ev else "",
            ]
        )
    pair_headers = [
        _("计划"),
        _("师傅工号"),
        _("师傅"),
        _("徒弟工号"),
        _("徒弟"),
        _("徒弟单位"),
        _("状态"),
        _("开始日期"),
        _("结束日期"),
        _("结束原因"),
        _("徒弟学时"),
        _("应修学时"),
        _("学时达标"),
        _("年度考试成绩"),
        _("执法资格考试"),
        _("发证日期"),
        _("徒弟评师傅"),
        _("师傅评徒弟"),
    ]
    unit_headers = [
        _("单位"),
        _("结对数"),
        _("已结业"),
        _("提前结束"),
        _("学时达标"),
        _("年度考试通过"),
        _("执法资格考试通过"),
        _("取得执法证"),
    ]
    unit_rows = [
        [
            u["unit"],
            u["pairs"],
            u["completed"],
            u["ended_early"],
            u["hours_met"],
            u["exam"],
            u["qualification"],
            u["certified"],
        ]
        for u in data["units"]
    ]
    return [Sheet(_("结对"), pair_headers, pair_rows), Sheet(_("按单位"), unit_headers, unit_rows)]

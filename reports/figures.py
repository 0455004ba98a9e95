"""The year's training figures: one per-officer frame built from the lower apps' set-based selectors (a fixed number
of aggregate queries, no per-officer loop), rolled up the unit tree in pandas.

Every figure is stored as whole numbers (counts, hundredths of an hour); rates and averages are derived from them
by the definitions in FIGURES, so the page, the .xlsx, the .docx and a frozen snapshot all show the same numbers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
from django.conf import settings
from django.db import connection, transaction
from django.utils.translation import gettext_lazy as _

from certification.selectors import status_frame, year_events_frame
from certification.status import MAY_ENFORCE, Status
from content.selectors import courses_published, year_content_counts
from exams.models import Exam
from exams.selectors import sitting_frames
from learning.selectors import (
    attendance_year_frame,
    external_approved_frame,
    hours_status_frame,
    session_kinds,
)
from org.models import Officer, RoleGrant, Unit
from org.selectors import officers_on_roll, placements_on, units_by_path
from org.tabular import Cell

ANNUAL = Exam.Kind.ANNUAL
QUALIFICATION = Exam.Kind.QUALIFICATION
TOTAL = ""  # the group key of the whole bureau (every unit)


@dataclass(frozen=True)
class Options:
    """What bureaus count differently. reference: the day people are counted where they stood (default 31 Dec)."""

    hours_per_day: int = settings.LEARNING_HOURS_PER_TRAINING_DAY
    reference: dt.date | None = None

    def reference_for(self, year: int) -> dt.date:
        return self.reference or dt.date(year, 12, 31)


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    definition: str
    kind: str  # "count", "hours" (a count of hundredths shown as hours), "rate" (num/den %), "per_head", "days"
    num: str = ""
    den: str = ""
    headline: bool = False  # shown as a big number and in the unit table


def _f(key, label, definition, kind="count", num="", den="", headline=False) -> Figure:
    return Figure(key=key, label=label, definition=definition, kind=kind, num=num, den=den, headline=headline)


# The figure set, in display order. Keys of the counts each figure is built from are whole numbers in Report.groups.
FIGURES: list[Figure] = [
    _f(
        "headcount",
        _("在册人数"),
        _("参考日期在职、当日所在单位属本范围的人员;年内调动或离职的,按参考日期所在单位计"),
        headline=True,
    ),
    _f(
        "training_rate",
        _("队员受训率"),
        _("达到本年度学时要求的人数 ÷ 在册且本年度有学时要求的人数"),
        "rate",
        "hours_met",
        "hours_subject",
        headline=True,
    ),
    _f("hours_subject", _("有学时要求人数"), _("在册人员中本年度其人员类别设有学时或培训天数要求的人数")),
    _f("hours_met", _("学时达标人数"), _("有学时要求且各类学时与最少培训天数均已达到的人数(学时规则以学习模块为准)")),
    _f("hours_total", _("全年累计学时"), _("在册人员本年度学时台账合计(冲正已抵扣)"), "hours"),
    _f(
        "hours_per_head",
        _("人均学时"),
        _("全年累计学时 ÷ 在册人数"),
        "per_head",
        "hours_total",
        "headcount",
        headline=True,
    ),
    _f(
        "days_per_head",
        _("年人均受训天数"),
        _("全年累计学时 ÷ 每天折算学时 ÷ 在册人数"),
        "days",
        "hours_total",
        "headcount",
        headline=True,
    ),
    _f("annual_required", _("年度学法考试应考人数"), _("在册人员中属于本年度已发布年度学法考试参考范围的人数")),
    _f("annual_sat", _("年度学法考试参考人数"), _("应考人员中已交卷的人数")),
    _f("annual_sat_all", _("年度学法考试交卷人数"), _("在册人员中已交卷的人数(含非应考人员)")),
    _f("annual_passed", _("年度学法考试通过人数"), _("已交卷人员中成绩合格的人数")),
    _f(
        "annual_sit_rate",
        _("年度学法考试参考率"),
        _("应考人员中已交卷人数 ÷ 应考人数"),
        "rate",
        "annual_sat",
        "annual_required",
        headline=True,
    ),
    _f(
        "annual_pass_rate",
        _("年度学法考试通过率"),
        _("通过人数 ÷ 交卷人数(分母为全部交卷人员)"),
        "rate",
        "annual_passed",
        "annual_sat_all",
        headline=True,
    ),
    _f("qualification_required", _("资格考试应考人数"), _("在册人员中属于本年度已发布行政执法资格考试参考范围的人数")),
    _f("qualification_sat", _("资格考试参考人数"), _("应考人员中已交卷的人数")),
    _f("qualification_sat_all", _("资格考试交卷人数"), _("在册人员中已交卷的人数(含非应考人员)")),
    _f("qualification_passed", _("资格考试通过人数"), _("已交卷人员中成绩合格的人数")),
    _f(
        "qualification_sit_rate",
        _("资格考试参考率"),
        _("应考人员中已交卷人数 ÷ 应考人数"),
        "rate",
        "qualification_sat",
        "qualification_required",
    ),
    _f(
        "qualification_pass_rate",
        _("资格考试通过率"),
        _("通过人数 ÷ 交卷人数(分母为全部交卷人员)"),
        "rate",
        "qualification_passed",
        "qualification_sat_all",
    ),
    _f(
        "sessions",
        _("线下培训场次"),
        _("本年度开始、有本范围人员签到的线下培训(集中学习、专题讲座、以会代训、大讲堂)场次"),
        headline=True,
    ),
    _f("attendances", _("线下培训人次"), _("本范围在册人员在上述场次的签到人次"), headline=True),
    _f("external_claims", _("外部培训(已审核通过)"), _("本年度开始、已审核通过的外部培训申报条数")),
    _f("external_hours", _("外部培训学时"), _("上述外部培训的学时合计"), "hours"),
    _f("certified", _("年末有效执法证人数"), _("参考日期证件状态为“有效”或“待年审”(可以执法)的在册人数")),
    _f("duty", _("执法岗位人数"), _("参考日期在执法岗位的在册人数")),
    _f("duty_certified", _("执法岗位持证人数"), _("执法岗位人员中参考日期可以执法的人数")),
    _f("cert_rate", _("持证率"), _("执法岗位持证人数 ÷ 执法岗位人数"), "rate", "duty_certified", "duty", headline=True),
    _f("new_certificates", _("新增执法证"), _("本年度发证(更正作废的不计)的证件数")),
    _f("review_passed", _("年审通过"), _("本年度年审结论为通过的人数")),
    _f("review_failed", _("年审未通过"), _("本年度年审结论为未通过的人数")),
    _f("lapsed", _("逾期未审"), _("参考日期证件状态为“逾期未审”的人数")),
    # Mentorship (shown when the year has published pairs, see mentorship_pairs() below): counted by the mentee's
    # unit on the reference date.
    _f("pairs_formed", _("结成师徒对数"), _("本年度师徒带教计划中已公布的师徒对数(按徒弟参考日期所在单位计)")),
    _f("pairs_completed", _("师徒出师对数"), _("上述师徒对中已完成带教的对数")),
    _f("mentees_certified", _("徒弟取得执法证人数"), _("上述徒弟中结对后取得执法证的人数")),
    _f("courses_published", _("本年度发布课程"), _("本年度已发布(上线)的法律课程门数,全局统计,不分单位")),
    _f("cases_published", _("本年度发布案例"), _("本年度首次发布、仍在线的案例库案例数,全局统计,不分单位")),
    _f("compilations_issued", _("本年度印发案例汇编"), _("本年度首次发布、仍在线的典型案例汇编册数,全局统计,不分单位")),
    _f("articles_amended", _("本年度修订法条"), _("本年度施行新版本的法条数(法条首个版本不计),全局统计,不分单位")),
    _f(
        "citations_reviewed",
        _("修订后复核条目"),
        _("法条修订后,本年度完成复核的引用条目(课程、案例、试题)数,全局统计,不分单位"),
    ),
]
FIGURE_BY_KEY = {f.key: f for f in FIGURES}
HEADLINES = [f for f in FIGURES if f.headline]

# Counts held per unit (whole numbers); the rest of FIGURES is derived from them.
COUNT_KEYS = [f.key for f in FIGURES if f.kind in ("count", "hours")]
BUREAU_ONLY = {"courses_published", "cases_published", "compilations_issued", "articles_amended", "citations_reviewed"}
MENTORSHIP_KEYS = {"pairs_formed", "pairs_completed", "mentees_certified"}


def mentorship_pairs(*, year: int) -> pd.DataFrame | None:
    """The year's published pairs from the mentorship app (mentee_id, state, mentee_certified, one row per pair);
    None when the year has none, so a bureau that ran no 老带新 programme does not report "结成师徒0对"."""
    from mentorship.selectors import pairs_frame

    pairs = pairs_frame(year=year)
    return None if pairs.empty else pairs


# The hours distribution (a chart): officers per 10-hour band of the year's credited hours, the last open-ended.
HOURS_BUCKET = 10
HOURS_BUCKETS = [f"{i * HOURS_BUCKET}–{(i + 1) * HOURS_BUCKET}" for i in range(10)] + ["≥100"]


# --- the per-officer frame ---------------------------------------------------------------------------------------


def officer_frame(*, year: int, on: dt.date, units: list[Unit] | None = None) -> pd.DataFrame:
    """One row per officer on the roll on `on`, with everything the figures count. A fixed number of queries."""
    roll = officers_on_roll(on=on, units=units)
    frame = placements_on(on=on, officers=roll, names=True)
    # Every selector below computes each officer's row from that officer's records alone, and only the roll's rows
    # are kept (the left merges onto `frame`). So for the whole bureau they read every officer: nesting the roll
    # (placements on a date, two hashed subplans) in each of their queries cost ≈0.15 s apiece at 100,000 officers,
    # more than the few officers off the roll. For some units the roll is the smaller set: it stays the filter.
    reading = Officer.objects.all() if units is None else roll
    hours = hours_status_frame(year=year, officers=reading)
    frame = frame.merge(hours[["officer_id", "has_rules", "met", "total_earned_c"]], on="officer_id", how="left")
    sittings = sitting_frames(officers=reading, kinds=[ANNUAL, QUALIFICATION], year=year)
    for prefix, kind in (("annual", ANNUAL), ("qualification", QUALIFICATION)):
        sitting = sittings[kind].rename(columns={c: f"{prefix}_{c}" for c in ("required", "sat", "passed")})
        frame = frame.merge(sitting, on="officer_id", how="left")
    annual = sittings[ANNUAL]
    certs = status_frame(
        officers=reading,
        today=on,
        hours_by_year={year: hours},
        annual_passed_by_year={year: annual.loc[annual["passed"], "officer_id"]},
    )[["officer_id", "status"]].rename(columns={"status": "cert_status"})
    frame = frame.merge(certs, on="officer_id", how="left")
    frame = frame.merge(year_events_frame(year=year, officers=reading), on="officer_id", how="left")
    attendance = attendance_year_frame(year=year, officers=reading)
    attendance = attendance[attendance["officer_id"].isin(frame["officer_id"])]  # the roll's sign-ins only
    frame = frame.merge(
        attendance.groupby("officer_id").size().rename("attendances").reset_index(), on="officer_id", how="left"
    )
    external = external_approved_frame(year=year, officers=reading)
    external = external.groupby("officer_id").agg(external_claims=("hours_c", "size"), external_c=("hours_c", "sum"))
    frame = frame.merge(external.reset_index(), on="officer_id", how="left")
    for column in ("has_rules", "met", "enforcement_duty", "review_passed", "review_failed"):
        frame[column] = frame[column].astype("boolean").fillna(False).astype(bool)
    for column in ("annual_required", "annual_sat", "annual_passed"):
        frame[column] = frame[column].astype("boolean").fillna(False).astype(bool)
    for column in ("qualification_required", "qualification_sat", "qualification_passed"):
        frame[column] = frame[column].astype("boolean").fillna(False).astype(bool)
    for column in ("total_earned_c", "new_certificates", "attendances", "external_claims", "external_c"):
        frame[column] = frame[column].fillna(0).astype("int64")
    frame = _with_pairs(frame, mentorship_pairs(year=year))
    frame["cert_status"] = frame["cert_status"].fillna(Status.UNCERTIFIED)
    frame["may_enforce"] = frame["cert_status"].isin([str(s) for s in MAY_ENFORCE])
    frame = frame.sort_values(["unit_path", "employee_no"], ignore_index=True)
    # set last: pandas deep-copies attrs into every frame and column derived from this one
    frame.attrs["attendance"] = attendance
    return frame


def _with_pairs(frame: pd.DataFrame, pairs: pd.DataFrame | None) -> pd.DataFrame:
    """Per mentee: pairs formed, pairs completed, certified since the pair started (0 without mentorship)."""
    frame.attrs["has_mentorship"] = pairs is not None
    if pairs is None or pairs.empty:
        for column in MENTORSHIP_KEYS:
            frame[column] = 0
        return frame
    per_mentee = (
        pairs.assign(completed=pairs["state"] == "completed", certified=pairs["mentee_certified"].astype(bool))
        .groupby("mentee_id")
        .agg(
            pairs_formed=("state", "size"), pairs_completed=("completed", "sum"), mentees_certified=("certified", "any")
        )
    )
    attrs = dict(frame.attrs)
    frame = frame.merge(per_mentee, left_on="officer_id", right_index=True, how="left")
    frame.attrs.update(attrs)
    for column in MENTORSHIP_KEYS:
        frame[column] = frame[column].fillna(0).astype("int64")
    return frame


def _counts(frame: pd.DataFrame) -> pd.DataFrame:
    """The per-officer 0/1 and amounts whose sums are the counts of COUNT_KEYS (sessions aside)."""
    out = pd.DataFrame(index=frame.index)
    out["headcount"] = 1
    out["hours_subject"] = frame["has_rules"]
    out["hours_met"] = frame["has_rules"] & frame["met"]
    out["hours_total"] = frame["total_earned_c"]
    for p in ("annual", "qualification"):
        out[f"{p}_required"] = frame[f"{p}_required"]
        out[f"{p}_sat"] = frame[f"{p}_required"] & frame[f"{p}_sat"]
        out[f"{p}_sat_all"] = frame[f"{p}_sat"]
        out[f"{p}_passed"] = frame[f"{p}_sat"] & frame[f"{p}_passed"]
    out["attendances"] = frame["attendances"]
    out["external_claims"] = frame["external_claims"]
    out["external_hours"] = frame["external_c"]
    out["certified"] = frame["may_enforce"]
    out["duty"] = frame["enforcement_duty"]
    out["duty_certified"] = frame["enforcement_duty"] & frame["may_enforce"]
    out["new_certificates"] = frame["new_certificates"]
    out["review_passed"] = frame["review_passed"]
    out["review_failed"] = frame["review_failed"]
    out["lapsed"] = frame["cert_status"] == Status.LAPSED
    for column in MENTORSHIP_KEYS:
        out[column] = frame[column]
    bucket = (frame["total_earned_c"] // (HOURS_BUCKET * 100)).clip(upper=len(HOURS_BUCKETS) - 1)
    for i in range(len(HOURS_BUCKETS)):
        out[f"hours_bucket_{i}"] = bucket == i
    return out.astype("int64")


def _ancestors(paths: pd.Series, steplen: int) -> pd.DataFrame:
    """(row index, group path) for every row and every ancestor of its unit, itself included, plus TOTAL."""
    depth = (paths.str.len() // steplen).max() if len(paths) else 0
    parts = [pd.DataFrame({"row": paths.index, "group": TOTAL})]
    for level in range(1, int(depth) + 1):
        prefix = paths.str.slice(0, level * steplen)
        keep = paths.str.len() >= level * steplen
        parts.append(pd.DataFrame({"row": paths.index[keep], "group": prefix[keep]}))
    return pd.concat(parts, ignore_index=True)


def roots_of(unit_paths) -> list[str]:
    """The paths of `unit_paths` not inside another of them, sorted."""
    paths = sorted(set(unit_paths))
    return [p for p in paths if not any(p != q and p.startswith(q) for q in paths)]


def combined_group(roots: list[str]) -> str:
    """The group key of several separate subtrees counted as one (a leader of two 中队): "path+path"."""
    return "+".join(sorted(roots))


def is_combined(group: str) -> bool:
    return "+" in group


def roll_up(frame: pd.DataFrame, combined: list[list[str]] | tuple = ()) -> dict[str, dict[str, int]]:
    """group (unit path, or TOTAL) → count → whole number, each unit counting its whole subtree. Officers are summed
    per unit first; only those few hundred unit rows are spread over their ancestors. `combined`: sets of separate
    subtree roots also counted as one group each (`combined_group`): officers' counts add up, a session reaching two
    of the subtrees counts once."""
    attendance = frame.attrs.get("attendance")
    frame = frame.copy(deep=False)
    frame.attrs = {}  # else every column read below deep-copies the 100,000 sign-ins in attrs
    counts = _counts(frame)
    per_unit = counts.groupby(frame["unit_path"].to_numpy()).sum()
    paths = pd.Series(per_unit.index, index=range(len(per_unit)))
    groups = _ancestors(paths, Unit.steplen)
    summed = per_unit.iloc[groups["row"].to_numpy()].set_index(groups["group"].to_numpy()).groupby(level=0).sum()
    kinds = list(session_kinds())
    out: dict[str, dict[str, int]] = {
        group: {k: int(v) for k, v in row.items()} for group, row in summed.to_dict("index").items()
    }
    if attendance is not None and len(attendance):
        unit_of = frame.set_index("officer_id")["unit_path"]
        attendance = attendance.assign(unit_path=attendance["officer_id"].map(unit_of)).dropna(subset=["unit_path"])
        # per unit: sign-ins counted, sessions kept distinct (a session counts once in every subtree it reached)
        per_session = attendance.groupby(["unit_path", "session_id", "kind"]).size().rename("attendances").reset_index()
        # the ancestors of the few hundred units (not of every row), joined on integer codes
        unit_code, unit_paths = pd.factorize(per_session["unit_path"])
        tree = _ancestors(pd.Series(unit_paths), Unit.steplen)
        group_code, group_paths = pd.factorize(tree["group"])
        rows = pd.DataFrame(
            {"unit": unit_code, "session_id": per_session["session_id"], "kind": per_session["kind"]}
        ).assign(attendances=per_session["attendances"].to_numpy())
        tree_rows = pd.DataFrame({"unit": tree["row"].to_numpy(), "group": group_code})
        for roots in combined:  # each root's units (subtree) join the combined group too
            code = len(group_paths)
            group_paths = group_paths.append(pd.Index([combined_group(roots)]))
            under = [i for i, path in enumerate(unit_paths) if any(path.startswith(root) for root in roots)]
            tree_rows = pd.concat([tree_rows, pd.DataFrame({"unit": under, "group": code})], ignore_index=True)
        rows = rows.merge(tree_rows, on="unit")
        sessions = rows.groupby("group")["session_id"].nunique()
        by_kind = rows.groupby(["group", "kind"]).agg(
            sessions=("session_id", "nunique"), attendances=("attendances", "sum")
        )
        for code, value in sessions.items():
            out.setdefault(group_paths[code], {})["sessions"] = int(value)
        for (code, kind), row in by_kind.iterrows():
            group = group_paths[code]
            out.setdefault(group, {})[f"sessions_{kind}"] = int(row["sessions"])
            out[group][f"attendances_{kind}"] = int(row["attendances"])
    # officers' counts of a combined group: its subtrees are disjoint, so they add up (its sessions are above)
    from_sessions = {"sessions", *(f"sessions_{k}" for k in kinds), *(f"attendances_{k}" for k in kinds)}
    for roots in combined:
        group = out.setdefault(combined_group(roots), {})
        for root in roots:
            for key, value in out.get(root, {}).items():
                if key not in from_sessions:
                    group[key] = group.get(key, 0) + int(value)
    for values in out.values():
        for key in COUNT_KEYS:
            values.setdefault(key, 0)
        for i in range(len(HOURS_BUCKETS)):
            values.setdefault(f"hours_bucket_{i}", 0)
        for kind in kinds:
            values.setdefault(f"sessions_{kind}", 0)
            values.setdefault(f"attendances_{kind}", 0)
    return out


def leader_scopes_combined() -> list[list[str]]:
    """The unit leaders whose scope is several separate subtrees: their roots, each set once."""
    by_user: dict[int, set[str]] = {}
    grants = RoleGrant.objects.filter(role=RoleGrant.Role.UNIT_LEADER, unit__isnull=False)
    for user_id, path in grants.values_list("user_id", "unit__path"):
        by_user.setdefault(user_id, set()).add(path)
    scopes = {tuple(roots_of(paths)) for paths in by_user.values()}
    return [list(roots) for roots in sorted(scopes) if len(roots) > 1]


def bureau_counts(*, year: int) -> dict[str, int]:
    """The figures that belong to the bureau as a whole (content published this year)."""
    return {"courses_published": len(courses_published(year=year)), **year_content_counts(year=year)}


# --- the report ------------------------------------------------------------------------------------------------------


@dataclass
class Report:
    """The figure set of one year: whole-number counts per group (unit path; TOTAL for the bureau)."""

    year: int
    reference: dt.date
    hours_per_day: int
    groups: dict[str, dict[str, int]]
    units: list[dict] = field(default_factory=list)  # path, name, full_path, depth of every unit counted
    snapshot_id: int | None = None
    has_mentorship: bool = False  # the mentorship figures were counted (see mentorship_pairs)

    def as_json(self) -> dict:
        return {
            "year": self.year,
            "reference": self.reference.isoformat(),
            "hours_per_day": self.hours_per_day,
            "groups": self.groups,
            "units": self.units,
            "has_mentorship": self.has_mentorship,
        }

    @classmethod
    def from_json(cls, data: dict, *, snapshot_id: int | None = None) -> Report:
        return cls(
            year=int(data["year"]),
            reference=dt.date.fromisoformat(data["reference"]),
            hours_per_day=int(data["hours_per_day"]),
            groups=data["groups"],
            units=data["units"],
            snapshot_id=snapshot_id,
            has_mentorship=bool(data.get("has_mentorship", False)),
        )

    def counts(self, group: str = TOTAL) -> dict[str, int]:
        return self.groups.get(group) or {key: 0 for key in COUNT_KEYS}

    def value(self, key: str, group: str = TOTAL) -> Decimal | int | None:
        return figure_value(FIGURE_BY_KEY[key], self.counts(group), self.hours_per_day)

    def text(self, key: str, group: str = TOTAL) -> str:
        return figure_text(FIGURE_BY_KEY[key], self.value(key, group))


def year_report(*, year: int, options: Options | None = None) -> tuple[Report, pd.DataFrame]:
    """The whole bureau's figures of `year` (every unit, rolled up), and the per-officer frame they come from."""
    options = options or Options()
    on = options.reference_for(year)
    with transaction.atomic():  # the scope of SET LOCAL (each statement still sees its own committed state)
        if connection.vendor == "postgresql":
            # JIT compiling costs more than it saves on these aggregates (0.15 s and more on the ledger's alone)
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
        frame = officer_frame(year=year, on=on)
    groups = roll_up(frame, combined=leader_scopes_combined())
    groups.setdefault(TOTAL, {key: 0 for key in COUNT_KEYS})
    groups[TOTAL].update(bureau_counts(year=year))
    units = units_by_path(g for g in groups if g and not is_combined(g))
    report = Report(
        year=year,
        reference=on,
        hours_per_day=options.hours_per_day,
        groups=groups,
        units=units,
        has_mentorship=bool(frame.attrs.get("has_mentorship")),
    )
    return report, frame


# --- values and their text ---------------------------------------------------------------------------------------

HUNDRED = Decimal(100)


def _round(value: Decimal, places: str) -> Decimal:
    return value.quantize(Decimal(places), rounding=ROUND_HALF_UP)


def figure_value(figure: Figure, counts: dict[str, int], hours_per_day: int) -> Decimal | int | None:
    """The figure's value from whole-number counts: None where the denominator is zero."""
    if figure.kind == "count":
        return int(counts.get(figure.key, 0))
    if figure.kind == "hours":
        return _round(Decimal(int(counts.get(figure.key, 0))) / HUNDRED, "0.1")
    num = Decimal(int(counts.get(figure.num, 0)))
    den = Decimal(int(counts.get(figure.den, 0)))
    if not den:
        return None
    if figure.kind == "rate":
        return _round(num * HUNDRED / den, "0.1")
    if figure.kind == "per_head":  # num in hundredths of an hour
        return _round(num / HUNDRED / den, "0.1")
    if figure.kind == "days":
        return _round(num / HUNDRED / Decimal(hours_per_day) / den, "0.1")
    raise ValueError(figure.kind)


def figure_cell(figure: Figure, value) -> Cell | str:
    """The figure as a spreadsheet cell: the number with its format (a rate as the fraction shown as a percentage,
    so that Excel can chart and sum it); "—" where the denominator is zero, as on the page."""
    if value is None:
        return "—"
    if figure.kind == "rate":
        return Cell(float(value) / 100, "0.0%")
    if figure.kind == "count":
        return Cell(int(value), "#,##0")
    return Cell(float(value), "0.0")


def figure_text(figure: Figure, value) -> str:
    """The one way a figure is written (page, .xlsx, .docx)."""
    if value is None:
        return "—"
    if figure.kind == "rate":
        return f"{value}%"
    return str(value)


def scope_groups(report: Report, unit_paths: list[str] | None) -> tuple[str | None, list[dict]]:
    """For a viewer limited to `unit_paths` (None: the whole bureau): the group that is their total (None when they
    lead several separate subtrees: then each root is its own total) and the units of the table, in tree order."""
    if unit_paths is None:
        return TOTAL, report.units
    roots = roots_of(unit_paths)
    units = [u for u in report.units if any(u["path"].startswith(r) for r in roots)]
    return (roots[0] if len(roots) == 1 else None), units

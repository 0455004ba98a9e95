"""Every non-trivial read of certification: an officer's status (card, 我的执法证), many officers' statuses (HR's
board, lists, exports, reminders), the board itself (units × statuses rolled up the tree, 持证上岗, at risk), the
待发证 list, and the review cycle of a year.

Status is derived by certification.status.derive_status from the events, the governing cycle and today's date in
Asia/Shanghai; eligibility comes from certification.eligibility.evaluate. Both are set-based: a fixed number of
queries for any number of officers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
import pandas as pd
from django.db.models import BooleanField, ExpressionWrapper, IntegerField, Q, QuerySet
from django.db.models.functions import Cast, ExtractYear
from django.utils.translation import gettext as _

from exams.models import Exam
from exams.selectors import best_passes
from learning.selectors import hours_status
from org.frames import as_bool, fetch_frame
from org.models import Officer, Unit, User
from org.scopes import officers_visible_to, units_visible_to
from org.units import ancestor_paths, subtree_q

from .eligibility import NO_CERTIFICATE_ROLES, Eligibility, evaluate, evaluate_frame
from .models import Certificate, CertificateEvent, ReviewCycle
from .status import (
    STATUS_COLOURS,
    STATUS_ORDER,
    Status,
    StatusResult,
    derive_status,
    governing_cycle,
    last_review_day,
    live_events,
    local_today,
    reviews_by_year,
)

Kind = CertificateEvent.Kind


def cycle_for(year: int) -> ReviewCycle | None:
    return ReviewCycle.objects.filter(year=year).first()


def cycles() -> list[ReviewCycle]:
    return list(ReviewCycle.objects.order_by("year"))


def current_cycle(*, today: dt.date | None = None) -> ReviewCycle | None:
    """The cycle that governs today's statuses (open, in grace, about to open, or the last one)."""
    return governing_cycle(cycles(), today or local_today())


@dataclass
class OfficerStatus:
    officer: Officer
    certificate: Certificate | None
    status: Status
    label: str
    colour: str
    valid_for_year: int | None
    eligibility: Eligibility | None
    last_review: CertificateEvent | None
    events: list[CertificateEvent] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    suspended_until: dt.date | None = None
    note: str = ""
    cycle: ReviewCycle | None = None

    @property
    def may_enforce(self) -> bool:
        return self.status in (Status.VALID, Status.REVIEW_DUE)

    @property
    def missing(self):
        """The conditions the officer still lacks for the governing cycle (empty when none or not evaluated)."""
        return self.eligibility.missing if self.eligibility else []

    @property
    def reviews(self) -> list[CertificateEvent]:
        return [e for e in self.events if e.kind in CertificateEvent.REVIEW_KINDS]


def _issue_stands(cert: Certificate, events: list[CertificateEvent], today: dt.date) -> bool:
    if cert.issued_on > today:
        return False
    if any(e.kind == Kind.ISSUED for e in live_events(events, today)):
        return True
    return not any(e.kind == Kind.ISSUED and e.effective_on <= today for e in events)


def _current_certificate(certs: list[Certificate], events_by_cert: dict[int, list[CertificateEvent]], today):
    """The certificate that speaks for the officer: the latest whose issue stands today (not voided, not dated in
    the future), else the latest at all (its status then says why it does not stand)."""
    ordered = sorted(certs, key=lambda c: (c.issued_on, c.pk), reverse=True)
    for cert in ordered:
        if _issue_stands(cert, events_by_cert.get(cert.pk, []), today):
            return cert
    return ordered[0] if ordered else None


def _reversal_warnings(
    *, officers: QuerySet[Officer], chosen: dict[int, tuple[Certificate | None, list[CertificateEvent]]], today
) -> dict[int, list[str]]:
    """A passed review keeps its snapshot; when the officer's hours for that year have since fallen below what the
    snapshot recorded (a ledger reversal), say so on the officer. One hours_status per reviewed year."""
    latest_pass: dict[int, CertificateEvent] = {}
    for officer_id, (_cert, events) in chosen.items():
        reviews = reviews_by_year(live_events(events, today))
        passes = [e for e in reviews.values() if e.kind == Kind.REVIEW_PASSED]
        if passes:
            latest_pass[officer_id] = max(passes, key=lambda e: e.year)
    out: dict[int, list[str]] = {}
    by_year: dict[int, list[int]] = {}
    for officer_id, review in latest_pass.items():
        by_year.setdefault(review.year, []).append(officer_id)
    for year, ids in by_year.items():
        now = hours_status(year=year, officers=officers.filter(pk__in=ids))
        for officer_id in ids:
            review = latest_pass[officer_id]
            hours = next((c for c in review.evidence.get("conditions", []) if c.get("code") == "hours"), None)
            if not hours or officer_id not in now:
                continue
            recorded = Decimal(hours.get("evidence", {}).get("total_earned", "0"))
            current = now[officer_id]
            if current.total_earned < recorded:
                message = _("%(year)s年度年审通过后学时有冲销:年审时%(then)s学时,现为%(now)s学时(年审结论不变)") % {
                    "year": year,
                    "then": recorded,
                    "now": current.total_earned,
                }
                if not current.met and current.has_rules:
                    message += _(",现已不达标")
                out.setdefault(officer_id, []).append(message)
    return out


def statuses(
    *, officers: QuerySet[Officer], today: dt.date | None = None, with_warnings: bool = False
) -> list[OfficerStatus]:
    """The status of every officer of the queryset today (set-based: a fixed number of queries)."""
    today = today or local_today()
    all_cycles = cycles()
    cycle = governing_cycle(all_cycles, today)
    earlier = [c.year for c in all_cycles if cycle is not None and c.year < cycle.year]
    people = list(officers.select_related("unit", "role_category", "user"))
    ids = [o.pk for o in people]
    officer_qs = Officer.objects.filter(pk__in=officers.order_by().values("pk"))
    eligibility = evaluate(officers=officer_qs, year=cycle.year, today=today) if cycle else {}
    certs: dict[int, list[Certificate]] = {}
    for cert in Certificate.objects.filter(officer_id__in=officer_qs.values("pk")).order_by("issued_on", "pk"):
        certs.setdefault(cert.officer_id, []).append(cert)
    events_by_cert: dict[int, list[CertificateEvent]] = {}
    for event in CertificateEvent.objects.filter(certificate__officer_id__in=officer_qs.values("pk")).select_related(
        "actor"
    ):
        events_by_cert.setdefault(event.certificate_id, []).append(event)
    chosen = {}
    for officer_id in ids:
        cert = _current_certificate(certs.get(officer_id, []), events_by_cert, today)
        chosen[officer_id] = (cert, events_by_cert.get(cert.pk, []) if cert else [])
    warnings = _reversal_warnings(officers=officer_qs, chosen=chosen, today=today) if with_warnings else {}
    out = []
    for officer in people:
        cert, events = chosen[officer.pk]
        elig = eligibility.get(officer.pk)
        result: StatusResult = derive_status(
            certificate=cert,
            events=events,
            cycle=cycle,
            eligible=elig.eligible if elig else None,
            today=today,
            earlier_cycle_years=earlier,
        )
        out.append(
            OfficerStatus(
                officer=officer,
                certificate=cert,
                status=result.status,
                label=result.label,
                colour=result.colour,
                valid_for_year=result.valid_for_year,
                eligibility=elig,
                last_review=result.last_review,
                events=events,
                warnings=warnings.get(officer.pk, []),
                suspended_until=result.suspended_until,
                note=result.note,
                cycle=cycle,
            )
        )
    return out


def officer_status(*, officer: Officer, today: dt.date | None = None) -> OfficerStatus:
    """One officer's status, eligibility for the governing cycle, certificate history and warnings."""
    return statuses(officers=Officer.objects.filter(pk=officer.pk), today=today, with_warnings=True)[0]


def officer_certificates(*, officer: Officer) -> list[Certificate]:
    """Every certificate the officer has held, latest first, with its events (for 我的执法证)."""
    return list(Certificate.objects.filter(officer=officer).prefetch_related("events").order_by("-issued_on", "-pk"))


def scoped_officers(*, viewer: User, unit: Unit | None = None) -> QuerySet[Officer]:
    """Active officers the viewer may see (HR: all; unit leader: their subtree), optionally within one subtree."""
    officers = officers_visible_to(viewer).filter(status=Officer.Status.ACTIVE)
    if unit is not None:
        officers = officers.filter(subtree_q([unit]))
    return officers


def board(*, viewer: User, unit: Unit | None = None, today: dt.date | None = None, status: str | None = None) -> dict:
    """HR's board for the viewer's scope (or one subtree of it): a table of units (rows, counts rolled up the tree)
    × statuses (columns), the 持证上岗 list (on enforcement duty and may not enforce), the at-risk list with the
    unmet conditions, and the officers of one status when `status` is given (drill-down). Counts come from the
    vectorised `status_frame`; only the listed officers are built as objects (with their conditions)."""
    today = today or local_today()
    officers = scoped_officers(viewer=viewer, unit=unit)
    frame = status_frame(officers=officers, today=today)
    people = pd.DataFrame.from_records(
        list(officers.order_by().values_list("pk", "unit__path", "enforcement_duty")),
        columns=["officer_id", "unit_path", "enforcement_duty"],
    )
    frame = frame[["officer_id", "status"]].merge(people, on="officer_id", how="inner")
    units = units_visible_to(viewer)
    if unit is not None:
        units = units.filter(subtree_q([unit], field=""))
    units = list(units.order_by("path"))
    shown = {u.path for u in units}
    counts: dict[str, dict[str, int]] = {u.path: dict.fromkeys(STATUS_ORDER, 0) for u in units}
    for (path, st), n in frame.groupby(["unit_path", "status"]).size().items():
        for ancestor in ancestor_paths(path):
            if ancestor in shown:
                counts[ancestor][Status(st)] += int(n)
    top_depth = min((u.depth for u in units), default=1)
    rows = [
        {
            "unit": u,
            "depth": u.depth,
            "indent": u.depth - top_depth,
            "counts": counts[u.path],  # status → officers of the unit and its subtree
            "total": sum(counts[u.path].values()),
            "may_not_enforce": sum(n for s, n in counts[u.path].items() if s not in (Status.VALID, Status.REVIEW_DUE)),
        }
        for u in units
    ]
    rows = [r for r in rows if r["total"]] or rows
    totals = frame["status"].value_counts().to_dict()
    may_not = ~frame["status"].isin([Status.VALID, Status.REVIEW_DUE])
    unlicensed_ids = set(frame.loc[frame["enforcement_duty"].astype(bool) & may_not, "officer_id"])
    at_risk_ids = set(frame.loc[frame["status"] == Status.AT_RISK, "officer_id"])
    drill_ids = set(frame.loc[frame["status"] == status, "officer_id"]) if status else set()
    listed = statuses(officers=Officer.objects.filter(pk__in=unlicensed_ids | at_risk_ids | drill_ids), today=today)
    by_unit = lambda s: (s.officer.unit.path, s.officer.employee_no)  # noqa: E731
    return {
        "today": today,
        "cycle": current_cycle(today=today),
        "columns": [{"status": s, "label": s.label, "colour": STATUS_COLOURS[s]} for s in STATUS_ORDER],
        "units": rows,
        "totals": [int(totals.get(s, 0)) for s in STATUS_ORDER],
        "total": len(frame),
        "on_duty_unlicensed": sorted((s for s in listed if s.officer.pk in unlicensed_ids), key=by_unit),
        "at_risk": sorted((s for s in listed if s.officer.pk in at_risk_ids), key=by_unit),
        "officers": sorted((s for s in listed if s.officer.pk in drill_ids), key=by_unit),
    }


def awaiting_issue(*, viewer: User, unit: Unit | None = None) -> list[Officer]:
    """待发证: active officers in scope who passed the 行政执法资格考试 (any year) and hold no certificate that
    still stands (none, or only revoked/expired/voided ones); 协管员 never."""
    officers = scoped_officers(viewer=viewer, unit=unit).exclude(role_category__code__in=NO_CERTIFICATE_ROLES)
    passed = best_passes(officers=officers, kind=Exam.Kind.QUALIFICATION, year=None)
    if not passed:
        return []
    candidates = officers.filter(pk__in=list(passed)).select_related("unit", "role_category")
    standing = {
        s.officer.pk
        for s in statuses(officers=candidates)
        if s.status not in (Status.UNCERTIFIED, Status.REVOKED, Status.EXPIRED)
    }
    out = [o for o in candidates if o.pk not in standing]
    for o in out:
        o.qualification_pass = passed[o.pk]  # the exam and score, for the list
    return sorted(out, key=lambda o: (o.unit.path, o.employee_no))


def certificate_for_verify(*, token: str) -> Certificate | None:
    """The certificate behind a public verify token (exact match), or None."""
    if not token or len(token) > 64:
        return None
    return Certificate.objects.select_related("officer", "officer__unit").filter(verify_token=token).first()


def certificate_status(*, certificate: Certificate, today: dt.date | None = None) -> OfficerStatus:
    """The status of one given certificate (the verify page, the PDF): as `officer_status`, but for this
    certificate even when the officer holds a newer one."""
    today = today or local_today()
    all_cycles = cycles()
    cycle = governing_cycle(all_cycles, today)
    earlier = [c.year for c in all_cycles if cycle is not None and c.year < cycle.year]
    officer = certificate.officer
    elig = (
        evaluate(officers=Officer.objects.filter(pk=officer.pk), year=cycle.year, today=today).get(officer.pk)
        if cycle
        else None
    )
    events = list(certificate.events.select_related("actor"))
    result = derive_status(
        certificate=certificate,
        events=events,
        cycle=cycle,
        eligible=elig.eligible if elig else None,
        today=today,
        earlier_cycle_years=earlier,
    )
    return OfficerStatus(
        officer=officer,
        certificate=certificate,
        status=result.status,
        label=result.label,
        colour=result.colour,
        valid_for_year=result.valid_for_year,
        eligibility=elig,
        last_review=result.last_review,
        events=events,
        suspended_until=result.suspended_until,
        note=result.note,
        cycle=cycle,
    )


# --- the vectorised form, for 100,000 officers (board totals, reports, the benchmark) -----------------------------


def status_frame(
    *,
    officers: QuerySet[Officer],
    today: dt.date | None = None,
    hours_by_year: dict[int, pd.DataFrame] | None = None,
    annual_passed_by_year: dict[int, pd.Series] | None = None,
) -> pd.DataFrame:
    """`statuses` for many officers as one frame, with the same rules as certification.status.derive_status (a
    test holds the two equal), computed column-wise: no per-officer Python. Columns: officer_id, certificate_id
    (NaN without), status, valid_for_year (NaN), eligible; plus the engine's condition columns.
    `hours_by_year`: learning's hours_status_frame of the same officers, by year, when the caller already has it
    (reports): used if the governing cycle's year is there, so the ledger is not summed twice. Likewise
    `annual_passed_by_year`: the ids of the officers who passed that year's annual exam (exams.sitting_frames)."""
    today = today or local_today()
    all_cycles = cycles()
    cycle = governing_cycle(all_cycles, today)
    officer_qs = officers.order_by()  # the caller's queryset as is: no extra nested IN (SELECT …) around the ledger
    if cycle is not None:
        hours = (hours_by_year or {}).get(cycle.year)
        annual_passed = (annual_passed_by_year or {}).get(cycle.year)
        frame = evaluate_frame(
            officers=officer_qs, year=cycle.year, today=today, hours=hours, annual_passed=annual_passed
        )
    else:
        frame = pd.DataFrame({"officer_id": pd.Series(list(officer_qs.values_list("pk", flat=True)), dtype="int64")})
        frame["eligible"] = True
    # Dates are compared in the database (booleans come back, not 240,000 parsed dates), rows come back in the
    # order the rules need (so nothing below parses or sorts a date), and straight from the cursor (org.frames: no
    # per-row ORM converters).
    certs = fetch_frame(
        Certificate.objects.filter(officer_id__in=officer_qs.values("pk"))
        .order_by("officer_id", "issued_on", "pk")
        .annotate(
            not_future=ExpressionWrapper(Q(issued_on__lte=today), output_field=BooleanField()),
            out_of_validity=ExpressionWrapper(Q(valid_until__lt=today), output_field=BooleanField()),
            # an integer on every backend (PostgreSQL's EXTRACT is a numeric: Decimals straight from the cursor)
            issue_year=Cast(ExtractYear("issued_on"), IntegerField()),
        )
        .values_list("pk", "officer_id", "not_future", "out_of_validity", "issue_year"),
        ["certificate_id", "officer_id", "not_future", "out_of_validity", "issue_year"],
    )
    certs["rank"] = np.arange(len(certs))
    for column in ("not_future", "out_of_validity"):
        certs[column] = as_bool(certs[column])
    # Only suspensions and reinstatements depend on the order events were recorded in (the last one decides), so
    # only they are sorted by the database; every other rule reads sets (reviews are unique per certificate, year and
    # seq), and sorting all 142,000 events spilled to disk.
    in_effect = CertificateEvent.objects.filter(
        certificate__officer_id__in=officer_qs.values("pk"), effective_on__lte=today
    ).order_by()
    events = fetch_frame(
        in_effect.values_list("pk", "certificate_id", "kind", "year", "seq", "voids_id"),
        ["id", "certificate_id", "kind", "year", "seq", "voids_id"],
    )
    # the kinds as a categorical: the comparisons below compare small integer codes, not 142,000 strings each
    events["kind"] = pd.Categorical(events["kind"], categories=[str(k) for k in Kind])
    voided = set(events.loc[events["kind"] == Kind.VOIDED, "voids_id"].dropna().astype("int64"))
    live = events[(events["kind"] != Kind.VOIDED) & ~events["id"].isin(voided)]
    suspensions = fetch_frame(
        in_effect.filter(kind__in=[Kind.SUSPENDED, Kind.REINSTATED])
        .order_by("effective_on", "created_at", "pk")  # the order derive_status reads events in
        .annotate(
            in_force=ExpressionWrapper(Q(ends_on__isnull=True) | Q(ends_on__gte=today), output_field=BooleanField())
        )
        .values_list("pk", "certificate_id", "kind", "in_force"),
        ["id", "certificate_id", "kind", "in_force"],
    )
    suspensions["in_force"] = as_bool(suspensions["in_force"])

    def certs_with(kind: str) -> set:
        return set(live.loc[live["kind"] == kind, "certificate_id"])

    # the certificate that speaks for each officer: the latest whose issue stands (else the latest at all)
    ever_issued = set(events.loc[events["kind"] == Kind.ISSUED, "certificate_id"])
    certs["issued_live"] = (
        certs["certificate_id"].isin(certs_with(Kind.ISSUED)) | ~certs["certificate_id"].isin(ever_issued)
    ) & certs["not_future"]
    certs = certs.sort_values(["officer_id", "issued_live", "rank"])
    current = certs.drop_duplicates("officer_id", keep="last").copy()

    reviews = live[live["kind"].isin([Kind.REVIEW_PASSED, Kind.REVIEW_FAILED])]
    standing = reviews.sort_values("seq", kind="stable").drop_duplicates(["certificate_id", "year"], keep="last")
    passed = standing[standing["kind"] == Kind.REVIEW_PASSED]
    last_passed = passed.groupby("certificate_id")["year"].max()
    current["last_passed"] = current["certificate_id"].map(last_passed)

    # the last suspension or reinstatement decides (in recorded order)
    last_susp = suspensions[~suspensions["id"].isin(voided)].drop_duplicates("certificate_id", keep="last")
    in_force = last_susp[(last_susp["kind"] == Kind.SUSPENDED) & last_susp["in_force"]]

    cid = current["certificate_id"]
    current["revoked"] = cid.isin(certs_with(Kind.REVOKED))
    current["expired"] = cid.isin(certs_with(Kind.EXPIRED)) | current["out_of_validity"]
    current["suspended"] = cid.isin(set(in_force["certificate_id"]))
    frame = frame.merge(current.drop(columns=["not_future", "out_of_validity", "rank"]), on="officer_id", how="left")
    has_cert = frame["certificate_id"].notna()
    issued_ok = has_cert & frame["issued_live"].fillna(False).astype(bool)
    flags = {k: frame[k].fillna(False).astype(bool) for k in ("revoked", "expired", "suspended")}

    choices: list[tuple[pd.Series, str]] = [
        (~issued_ok, Status.UNCERTIFIED),
        (flags["revoked"], Status.REVOKED),
        (flags["expired"], Status.EXPIRED),
        (flags["suspended"], Status.SUSPENDED),
    ]
    all_rows = pd.Series(True, index=frame.index)
    last_passed = frame["last_passed"]
    if cycle is None:
        choices.append((all_rows, Status.VALID))
        valid_when_valid = last_passed.where(last_passed.notna(), frame["issue_year"].astype("float64"))
    else:
        year = cycle.year

        def covered(y: int) -> pd.Series:
            by_review = frame["certificate_id"].isin(passed.loc[passed["year"] == y, "certificate_id"])
            return by_review | (frame["issue_year"] >= y)

        covered_now = covered(year)
        earlier = [c.year for c in all_cycles if c.year < year]
        lapsed_before = ~covered(max(earlier)) if earlier else ~all_rows
        failed_now = frame["certificate_id"].isin(
            set(standing.loc[(standing["year"] == year) & (standing["kind"] == Kind.REVIEW_FAILED), "certificate_id"])
        )
        eligible = frame["eligible"].astype(bool)
        choices += [(covered_now, Status.VALID), (lapsed_before, Status.LAPSED)]
        if today < cycle.window_opens:
            choices += [(~eligible, Status.AT_RISK), (all_rows, Status.VALID)]
        elif today > last_review_day(cycle):
            choices.append((all_rows, Status.LAPSED))
        else:
            choices += [(failed_now, Status.AT_RISK), (eligible, Status.REVIEW_DUE), (all_rows, Status.AT_RISK)]
        valid_when_valid = pd.Series(np.where(covered_now, year, year - 1), index=frame.index)
    frame["status"] = np.select([c for c, _s in choices], [str(s) for _c, s in choices], default=str(Status.VALID))
    status = frame["status"]
    frame["valid_for_year"] = np.select(
        [
            status.isin([Status.SUSPENDED, Status.LAPSED]),
            status == Status.VALID,
            status.isin([Status.REVIEW_DUE, Status.AT_RISK]),
        ],
        [last_passed, valid_when_valid, (cycle.year - 1) if cycle else np.nan],
        default=np.nan,
    )
    return frame


def issued_certificates(*, officers: QuerySet[Officer]) -> pd.DataFrame:
    """Certificates whose issue stands (its ISSUED event not voided), for many officers in two queries: officer_id,
    certificate_id, issued_on. Mentorship reads "certified since the pair started" from here."""
    voided_issue = set(
        CertificateEvent.objects.filter(
            kind=Kind.VOIDED, voids__kind=Kind.ISSUED, certificate__officer_id__in=officers.order_by().values("pk")
        ).values_list("certificate_id", flat=True)
    )
    rows = [
        r
        for r in Certificate.objects.filter(officer_id__in=officers.order_by().values("pk")).values_list(
            "officer_id", "pk", "issued_on"
        )
        if r[1] not in voided_issue
    ]
    return pd.DataFrame.from_records(rows, columns=["officer_id", "certificate_id", "issued_on"])


def year_events_frame(*, year: int, officers: QuerySet[Officer]) -> pd.DataFrame:
    """What happened to the officers' certificates in `year`, from the events (voided ones and the voiding rows take
    no part): new_certificates (issued in the year), review_passed / review_failed (the standing decision of the
    year's review, the last `seq`). Columns: officer_id, new_certificates (int), review_passed, review_failed
    (bool); one row per officer with any of them. Two queries (reports)."""
    officer_qs = officers.order_by()
    events = fetch_frame(  # integers and strings: straight from the cursor (org.frames)
        CertificateEvent.objects.filter(certificate__officer_id__in=officer_qs.values("pk"))
        .filter(
            Q(kind=Kind.VOIDED)
            | Q(kind=Kind.ISSUED, effective_on__year=year)
            | Q(kind__in=CertificateEvent.REVIEW_KINDS, year=year)
        )
        .order_by()
        .values_list("pk", "certificate__officer_id", "certificate_id", "kind", "seq", "voids_id"),
        ["id", "officer_id", "certificate_id", "kind", "seq", "voids_id"],
    )
    voided = set(events.loc[events["kind"] == Kind.VOIDED, "voids_id"].dropna().astype("int64"))
    live = events[(events["kind"] != Kind.VOIDED) & ~events["id"].isin(voided)]
    issued = live[live["kind"] == Kind.ISSUED].groupby("officer_id").size().rename("new_certificates")
    reviews = live[live["kind"].isin(CertificateEvent.REVIEW_KINDS)].sort_values("seq", kind="stable")
    standing = reviews.drop_duplicates("certificate_id", keep="last")
    passed = standing[standing["kind"] == Kind.REVIEW_PASSED].groupby("officer_id").size().rename("review_passed")
    failed = standing[standing["kind"] == Kind.REVIEW_FAILED].groupby("officer_id").size().rename("review_failed")
    frame = pd.concat([issued, passed, failed], axis=1).fillna(0).astype("int64")
    frame = frame.reindex(columns=["new_certificates", "review_passed", "review_failed"], fill_value=0)
    frame["review_passed"] = frame["review_passed"] > 0
    frame["review_failed"] = frame["review_failed"] > 0
    return frame.rename_axis("officer_id").reset_index()

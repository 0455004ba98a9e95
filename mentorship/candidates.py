"""Who needs a mentor and who may mentor in a programme, read from the other apps' selectors (never recomputed):
certificate status from certification (MAY_ENFORCE is the one rule), this year's annual exam from exams, and the
programme's rules. Builds the matching pools (mentorship.matching) for the whole subtree in a fixed number of
queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from certification.selectors import status_frame
from certification.status import MAY_ENFORCE, Status
from exams.selectors import passes_frame, violation_fields
from org.models import Officer, RoleGrant, Unit
from org.units import ancestor_paths, subtree_q

from .matching import Pool
from .models import MentorCapacity, Pair, Programme

ANNUAL_EXAM = "annual"  # exams.models.Exam.Kind.ANNUAL
AUXILIARY = "auxiliary"  # org's 协管员 role category code


def months_ago(today: dt.date, months: int) -> dt.date:
    y, m = divmod(today.year * 12 + today.month - 1 - months, 12)
    day = min(today.day, 28)
    return dt.date(y, m + 1, day)


def years_of_service(hire_date: dt.date | None, today: dt.date) -> float:
    if hire_date is None:
        return 0.0
    return max(0.0, (today - hire_date).days / 365.25)


@dataclass
class Candidates:
    mentees: list[Officer]
    mentors: list[Officer]
    mentee_pool: Pool
    mentor_pool: Pool
    # mentees left out before matching (already in an active pair), with the reason
    excluded: list[tuple[Officer, str]] = field(default_factory=list)
    # mentor candidates refused, with the reason (shown to HR on request)
    refused_mentors: list[tuple[Officer, str]] = field(default_factory=list)
    squad_names: dict[int, str] = field(default_factory=dict)


def _unit_index(officers: list[Officer]) -> dict[str, Unit]:
    paths = set()
    for o in officers:
        paths.update(ancestor_paths(o.unit.path))
    return {u.path: u for u in Unit.objects.filter(path__in=paths)}


def _squad_team(unit: Unit, units: dict[str, Unit]) -> tuple[int, int]:
    squad = team = -1
    for path in ancestor_paths(unit.path):
        u = units.get(path)
        if u is None:
            continue
        if u.kind == Unit.Kind.SQUAD:
            squad = u.pk
        elif u.kind == Unit.Kind.TEAM:
            team = u.pk
    if squad == -1:  # a department (科室) counts as its own squad
        parent = units.get(unit.path[: -Unit.steplen])
        squad = parent.pk if team != -1 and parent is not None else unit.pk
    return squad, team


def candidates(*, programme: Programme, today: dt.date, exclude_pair_ids: tuple[int, ...] = ()) -> Candidates:
    officers = list(
        Officer.objects.filter(subtree_q([programme.unit]), status=Officer.Status.ACTIVE)
        .select_related("unit", "role_category", "user")
        .order_by("employee_no")
    )
    hired_since = months_ago(today, programme.mentee_hired_within_months)
    role_codes = set(programme.mentee_role_codes or [])
    in_active = set(
        Pair.objects.filter(state=Pair.State.ACTIVE)
        .exclude(pk__in=exclude_pair_ids)
        .values_list("mentee_id", flat=True)
    )
    mentees, excluded, rest = [], [], []
    for o in officers:
        needs = o.role_category.code in role_codes or (o.hire_date is not None and o.hire_date >= hired_since)
        if not needs:
            rest.append(o)
        elif o.pk in in_active:
            excluded.append((o, _("已在带教中(已有师傅)")))
        else:
            mentees.append(o)

    # mentors: certificate valid (certification's rule), years of service, not 协管员
    ids = [o.pk for o in rest]
    frame = status_frame(officers=Officer.objects.filter(pk__in=ids)) if ids else None
    status_of = dict(zip(frame["officer_id"], frame["status"], strict=True)) if frame is not None else {}
    may = {str(s) for s in MAY_ENFORCE}
    mentors, refused = [], []
    for o in rest:
        years = years_of_service(o.hire_date, today)
        if o.role_category.code == AUXILIARY:
            refused.append((o, _("协管员不能担任师傅")))
        elif status_of.get(o.pk) not in may:
            label = Status(status_of[o.pk]).label if o.pk in status_of else _("无执法证")
            refused.append((o, _("执法证状态为“%(s)s”,不能担任师傅") % {"s": label}))
        elif years < programme.mentor_min_years:
            refused.append((o, _("执法年限不足 %(n)s 年") % {"n": programme.mentor_min_years}))
        else:
            mentors.append(o)

    units = _unit_index(mentees + mentors)
    # capacity: the override, else the programme's; less the active pairs they already mentor elsewhere
    overrides = dict(
        MentorCapacity.objects.filter(programme=programme, mentor_id__in=[o.pk for o in mentors]).values_list(
            "mentor_id", "capacity"
        )
    )
    busy = dict(
        Pair.objects.filter(state=Pair.State.ACTIVE, mentor_id__in=[o.pk for o in mentors])
        .exclude(pk__in=exclude_pair_ids)
        .values("mentor_id")
        .annotate(n=Count("pk"))
        .values_list("mentor_id", "n")
    )
    exam = {}
    if mentors:
        passed = passes_frame(
            officers=Officer.objects.filter(pk__in=[o.pk for o in mentors]), kind=ANNUAL_EXAM, year=programme.year
        )
        exam = dict(zip(passed["officer_id"], passed["best_score"], strict=True))
    past_rows = (
        Pair.objects.filter(mentor_id__in=[o.pk for o in mentors], programme__year__lt=programme.year)
        .values("mentor_id")
        .annotate(
            done=Count("pk", filter=Q(state=Pair.State.COMPLETED)),
            ended=Count("pk", filter=Q(state=Pair.State.ENDED_EARLY)),
        )
    )
    past = {r["mentor_id"]: r["done"] / (r["done"] + r["ended"]) for r in past_rows if r["done"] + r["ended"]}
    leads: dict[int, set[int]] = {}
    for user_id, unit_id in RoleGrant.objects.filter(role=RoleGrant.Role.UNIT_LEADER, unit__isnull=False).values_list(
        "user_id", "unit_id"
    ):
        leads.setdefault(user_id, set()).add(unit_id)

    # enforcement fields: the violation categories each knows (practice answered right), one query for everybody
    known = violation_fields(officers=Officer.objects.filter(pk__in=[o.pk for o in mentees + mentors]))
    field_names = sorted(set().union(*known.values())) if known else []
    field_index = {name: k for k, name in enumerate(field_names)}

    def fields_of(people: list[Officer]) -> np.ndarray:
        matrix = np.zeros((len(people), len(field_names)), dtype=bool)
        for row, o in enumerate(people):
            for name in known.get(o.pk, ()):
                matrix[row, field_index[name]] = True
        return matrix

    def pool(people: list[Officer], *, mentor: bool) -> Pool:
        st = [_squad_team(o.unit, units) for o in people]
        return Pool(
            ids=np.array([o.pk for o in people], dtype=np.int64),
            squad=np.array([s for s, _t in st], dtype=np.int64),
            team=np.array([t for _s, t in st], dtype=np.int64),
            fields=fields_of(people),
            years=np.array([years_of_service(o.hire_date, today) for o in people], dtype=np.float64),
            exam=np.array([float(exam.get(o.pk, 0.0)) for o in people]) if mentor else None,
            past=np.array([past.get(o.pk, np.nan) for o in people], dtype=np.float64) if mentor else None,
            capacity=np.array(
                [max(0, overrides.get(o.pk, programme.default_capacity) - busy.get(o.pk, 0)) for o in people],
                dtype=np.int64,
            )
            if mentor
            else None,
            unit_sets=[
                frozenset(leads.get(o.user_id, ()))
                if mentor
                else frozenset(units[p].pk for p in ancestor_paths(o.unit.path) if p in units)
                for o in people
            ],
        )

    squad_names = {u.pk: u.name for u in units.values()}
    return Candidates(
        mentees=mentees,
        mentors=mentors,
        mentee_pool=pool(mentees, mentor=False),
        mentor_pool=pool(mentors, mentor=True),
        excluded=excluded,
        refused_mentors=refused,
        squad_names=squad_names,
    )

"""Every non-trivial read of the org app. Scoped reads take the viewing user."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import pandas as pd
from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from .frames import as_bool, fetch_rows
from .models import Officer, OfficerPlacement, RoleGrant, Unit, User
from .roster import EXPORT_HEADERS, STATUS_LABELS
from .scopes import officers_visible_to, units_visible_to
from .tabular import Sheet, write_workbook
from .units import subtree_q


def users_with_roles(*roles: str) -> list[User]:
    """Active users holding any of these role grants (e.g. who may be chosen to mark exams), by username."""
    ids = RoleGrant.objects.filter(role__in=roles).values("user")
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("username"))


def officer_list_for(
    *,
    viewer: User,
    unit: Unit | None = None,
    q: str = "",
    role_category_id: int | None = None,
    status: str = "",
    enforcement_duty: bool | None = None,
) -> QuerySet[Officer]:
    officers = officers_visible_to(viewer).select_related("unit", "role_category", "user")
    if unit is not None:
        officers = officers.filter(unit__path__startswith=unit.path)
    if q:
        officers = officers.filter(Q(name__contains=q) | Q(employee_no__icontains=q) | Q(phone__contains=q))
    if role_category_id:
        officers = officers.filter(role_category_id=role_category_id)
    if status:
        officers = officers.filter(status=status)
    if enforcement_duty is not None:
        officers = officers.filter(enforcement_duty=enforcement_duty)
    return officers.order_by("unit__path", "employee_no")


def unit_tree_for(*, viewer: User) -> list[dict]:
    """Visible units in tree order, each with its depth and the head-count of its own members."""
    units = (
        units_visible_to(viewer)
        .annotate(members=Count("officers", filter=Q(officers__status=Officer.Status.ACTIVE)))
        .order_by("path")
    )
    return [{"unit": u, "depth": u.depth, "members": u.members} for u in units]


def roster_export_xlsx(*, officers: QuerySet[Officer]) -> bytes:
    """The same columns the import reads, so an exported file can be edited and imported back."""
    rows = (
        [
            o.employee_no,
            o.name,
            o.unit.full_path,
            o.role_category.name,
            o.hire_date,
            o.phone or "",
            o.user.email,
            "是" if o.enforcement_duty else "否",
            STATUS_LABELS[o.status],
        ]
        for o in officers.select_related("unit", "role_category", "user")
    )
    sheet = Sheet(
        "花名册",
        EXPORT_HEADERS,
        rows,
        widths=dict(enumerate((12, 10, 40, 10, 12, 14, 24, 8, 8))),
        number_formats={4: "yyyy-mm-dd"},
    )
    return write_workbook([sheet])


# --- placements: where officers stood on a past date (reports count a year on its reference date) -----------------


def _placed_on(on: dt.date) -> QuerySet[OfficerPlacement]:
    return OfficerPlacement.objects.filter(valid_from__lte=on).filter(Q(valid_to__isnull=True) | Q(valid_to__gt=on))


def officers_on_roll(*, on: dt.date, units: Iterable[Unit | str] | None = None) -> QuerySet[Officer]:
    """Officers who were on the roll (在职) on date `on`, placed that day in the subtree of `units` (None: anywhere).
    One queryset, no per-officer work: an officer's placement on that date decides; an officer without any
    placement row (loaded outside org.services) counts where the Officer row says now. Written as two uncorrelated
    IN (…) subqueries, which PostgreSQL hashes once, because other apps' selectors nest this queryset in theirs."""
    placed = _placed_on(on).filter(status=Officer.Status.ACTIVE)
    # NOT EXISTS (an anti-join) rather than placements__isnull's LEFT JOIN: ~60 ms less at 100,000 officers, paid
    # in every query that nests the roll
    unplaced = Officer.objects.filter(status=Officer.Status.ACTIVE).filter(
        ~Exists(OfficerPlacement.objects.filter(officer=OuterRef("pk")))
    )
    if units is not None:
        units = list(units)
        placed = placed.filter(subtree_q(units))
        unplaced = unplaced.filter(subtree_q(units))
    return Officer.objects.filter(Q(pk__in=placed.values("officer_id")) | Q(pk__in=unplaced.values("pk")))


PLACEMENT_COLUMNS = ["officer_id", "unit_id", "unit_path", "role_category_id", "status", "enforcement_duty"]


def placements_on(*, on: dt.date, officers: QuerySet[Officer] | None = None, names: bool = False) -> pd.DataFrame:
    """Where each officer stood on date `on`: one row per officer with a placement that day (plus officers without
    any placement row, as they are now). Columns: PLACEMENT_COLUMNS, and with `names` the officer's employee_no and
    name after officer_id (reports: no separate read of 100,000 names). Two queries."""
    placed = _placed_on(on)
    bare = Officer.objects.filter(~Exists(OfficerPlacement.objects.filter(officer=OuterRef("pk"))))
    if officers is not None:
        placed = placed.filter(officer_id__in=officers.order_by().values("pk"))
        bare = bare.filter(pk__in=officers.order_by().values("pk"))
    fields = ("unit_id", "unit__path", "role_category_id", "status", "enforcement_duty")
    named = ("employee_no", "name") if names else ()
    # straight from the cursor (org.frames: 100,000 rows without the ORM's converters); the flag as a real bool
    rows = fetch_rows(placed.order_by().values_list("officer_id", *(f"officer__{f}" for f in named), *fields))
    rows += fetch_rows(bare.order_by().values_list("pk", *named, *fields))
    frame = pd.DataFrame.from_records(rows, columns=[PLACEMENT_COLUMNS[0], *named, *PLACEMENT_COLUMNS[1:]])
    frame["enforcement_duty"] = as_bool(frame["enforcement_duty"])
    return frame


def units_by_path(paths: Iterable[str]) -> list[dict]:
    """path, name, full_path, depth of the units with these paths, in tree order (one query)."""
    rows = Unit.objects.filter(path__in=list(paths)).order_by("path").values("path", "name", "full_path", "depth")
    return [dict(r) for r in rows]

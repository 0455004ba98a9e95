"""Every non-trivial read of the org app. Scoped reads take the viewing user."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from .models import Officer, RoleGrant, Unit, User
from .roster import EXPORT_HEADERS, STATUS_LABELS
from .scopes import officers_visible_to, units_visible_to
from .tabular import Sheet, write_workbook


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
    units = units_visible_to(viewer).annotate(
        members=Count("officers", filter=Q(officers__status=Officer.Status.ACTIVE))
    ).order_by("path")
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

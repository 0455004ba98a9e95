"""The one place that decides who may see or act on which officer and unit.

Every view asks here. Rules:
- an officer sees their own records;
- a unit leader sees the officers of their unit subtree(s);
- HR and admins see everyone;
- trainers see every officer's training records (they run sessions and grade), not HR pages.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from .auth_backends import HAS_GRANTS, IS_OFFICER
from .models import Officer, RoleGrant, Unit, User


@dataclass(frozen=True)
class Roles:
    is_officer: bool = False
    is_trainer: bool = False
    is_hr: bool = False
    is_admin: bool = False
    leader_unit_paths: tuple[str, ...] = field(default_factory=tuple)

    @property
    def is_unit_leader(self) -> bool:
        return bool(self.leader_unit_paths)

    @property
    def sees_everyone(self) -> bool:
        return self.is_hr or self.is_admin

    @property
    def needs_mfa(self) -> bool:
        return self.is_hr or self.is_admin

    @property
    def may_use_hr_pages(self) -> bool:
        return self.sees_everyone or self.is_unit_leader

    @property
    def may_manage_roster(self) -> bool:
        return self.sees_everyone

    @property
    def may_use_cms(self) -> bool:
        return self.is_trainer or self.sees_everyone


_CACHE_ATTR = "_zhifa_roles"


def roles_of(user: User) -> Roles:
    """Roles of a user, computed once per request (cached on the user object)."""
    if not getattr(user, "is_authenticated", False):
        return Roles()
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    # The session's user comes with two of these facts already (org.auth_backends.get_user): most users hold
    # no role grant, and then neither query runs.
    has_grants = getattr(user, HAS_GRANTS, True)
    grants = list(RoleGrant.objects.filter(user=user).select_related("unit")) if has_grants else []
    role_names = {g.role for g in grants}
    is_officer = getattr(user, IS_OFFICER, None)
    roles = Roles(
        is_officer=Officer.objects.filter(user=user).exists() if is_officer is None else is_officer,
        is_trainer=RoleGrant.Role.TRAINER in role_names,
        is_hr=RoleGrant.Role.HR in role_names,
        is_admin=user.is_superuser or RoleGrant.Role.ADMIN in role_names,
        leader_unit_paths=tuple(
            sorted(g.unit.path for g in grants if g.role == RoleGrant.Role.UNIT_LEADER and g.unit_id)
        ),
    )
    setattr(user, _CACHE_ATTR, roles)
    return roles


# The Wagtail group that approves content (see org.migrations.0002): its members are privileged accounts.
APPROVER_GROUP = "法制科审核"


def is_privileged_account(user: User) -> bool:
    """Staff of the platform rather than only an officer: any role beyond unit leader, a content approver, or a
    Django staff/superuser. Only an admin may reset such an account's password."""
    return (
        user.is_staff
        or user.is_superuser
        or RoleGrant.objects.filter(user=user).exclude(role=RoleGrant.Role.UNIT_LEADER).exists()
        or user.groups.filter(name=APPROVER_GROUP).exists()
    )


def may_issue_initial_password(actor: User, target: User) -> bool:
    """HR resets ordinary officers; only an admin resets HR, approver, admin or trainer accounts (issue #11)."""
    roles = roles_of(actor)
    if roles.is_admin:
        return True
    return roles.is_hr and actor.pk != target.pk and not is_privileged_account(target)


def _subtree_q(paths: tuple[str, ...], prefix: str = "") -> Q:
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(**{f"{prefix}path__startswith": path})
    return q


def units_visible_to(user: User) -> QuerySet[Unit]:
    roles = roles_of(user)
    if roles.sees_everyone or roles.is_trainer:
        return Unit.objects.all()
    if roles.is_unit_leader:
        return Unit.objects.filter(_subtree_q(roles.leader_unit_paths))
    return Unit.objects.none()


def officers_visible_to(user: User) -> QuerySet[Officer]:
    roles = roles_of(user)
    if roles.sees_everyone or roles.is_trainer:
        return Officer.objects.all()
    q = Q(user=user)
    if roles.is_unit_leader:
        q |= _subtree_q(roles.leader_unit_paths, prefix="unit__")
    return Officer.objects.filter(q)


def may_view_officer(user: User, officer: Officer) -> bool:
    roles = roles_of(user)
    if roles.sees_everyone or roles.is_trainer or officer.user_id == user.pk:
        return True
    unit_path = officer.unit.path
    return any(unit_path.startswith(p) for p in roles.leader_unit_paths)


def may_view_officer_file(user: User, officer: Officer) -> bool:
    """An officer's personal pages (profile, hours ledger ...): the officer, or HR / a unit leader in scope.
    Trainers see training records through their own pages, not these."""
    if officer.user_id == user.pk:
        return True
    return roles_of(user).may_use_hr_pages and may_view_officer(user, officer)


def may_view_unit(user: User, unit: Unit) -> bool:
    roles = roles_of(user)
    if roles.sees_everyone or roles.is_trainer:
        return True
    return any(unit.path.startswith(p) for p in roles.leader_unit_paths)

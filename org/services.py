"""Every write of the org app. Keyword-only, atomic, audited."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, field

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import AuditEntry, Officer, OfficerPlacement, RoleCategory, RoleGrant, Unit, User
from .roster import RosterParseResult, RosterRow
from .scopes import may_issue_initial_password

# Wagtail permissions are granted through these groups; role grants keep them in step.
ROLE_GROUPS = {
    RoleGrant.Role.TRAINER: "培训师",
    RoleGrant.Role.HR: "人事",
    RoleGrant.Role.ADMIN: "系统管理员",
}


def audit_record(*, actor: User | None, action: str, target: object | None = None, data: dict | None = None) -> AuditEntry:
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.pk else None,
        action=action,
        target_type=target._meta.label if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        data=data or {},
    )


@transaction.atomic
def unit_ensure_path(*, path: str, kinds: tuple[str, ...] = ()) -> Unit:
    """Create every missing unit along 'A/B/C' and return the last. `kinds` gives the kind per level."""
    parent: Unit | None = None
    parts = [p for p in path.split("/") if p]
    for depth, name in enumerate(parts):
        full_path = "/".join(parts[: depth + 1])
        unit = Unit.objects.filter(full_path=full_path).first()
        if unit is None:
            kind = kinds[depth] if depth < len(kinds) else Unit.Kind.TEAM
            fields = {"name": name, "kind": kind, "full_path": full_path}
            unit = parent.add_child(**fields) if parent else Unit.add_root(**fields)
        parent = unit
    assert parent is not None, "empty unit path"
    return parent


def role_category_ensure(*, code: str, name: str, sort_order: int = 0) -> RoleCategory:
    category, _ = RoleCategory.objects.update_or_create(code=code, defaults={"name": name, "sort_order": sort_order})
    return category


@transaction.atomic
def role_grant(*, user: User, role: str, unit: Unit | None = None, actor: User | None = None) -> RoleGrant:
    grant, created = RoleGrant.objects.get_or_create(user=user, role=role, unit=unit)
    group_name = ROLE_GROUPS.get(role)
    if group_name:
        user.groups.add(Group.objects.get_or_create(name=group_name)[0])
    if role == RoleGrant.Role.ADMIN and not user.is_superuser:
        user.is_superuser = user.is_staff = True
        user.save(update_fields=["is_superuser", "is_staff"])
    if created:
        audit_record(actor=actor, action="role.grant", target=user, data={"role": role, "unit": unit.pk if unit else None})
    return grant


@transaction.atomic
def officer_provision(
    *,
    employee_no: str,
    name: str,
    unit: Unit,
    role_category: RoleCategory,
    actor: User | None = None,
    password: str | None = None,
    **fields,
) -> Officer:
    """Create (or update) an officer and the login behind it. Without a password the login stays unusable
    until HR issues an initial password or the officer resets it by email."""
    officer = Officer.objects.select_related("user").filter(employee_no=employee_no).first()
    if officer is None:
        user = User(username=employee_no, email=fields.get("email", ""))
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
        officer = Officer.objects.create(
            user=user,
            employee_no=employee_no,
            name=name,
            unit=unit,
            role_category=role_category,
            **{k: v for k, v in fields.items() if k != "email"},
        )
        audit_record(actor=actor, action="officer.create", target=officer)
        placement_record(officer=officer, on=officer.hire_date)
    return officer


PLACEMENT_FIELDS = ("unit_id", "role_category_id", "status", "enforcement_duty")


@transaction.atomic
def placement_record(*, officer: Officer, on: dt.date | None = None) -> OfficerPlacement:
    """Record that from `on` (default today, Asia/Shanghai) the officer stands where the Officer row says. Closes the
    open placement the day before; a change on the open placement's own first day replaces it (a same-day
    correction); no change writes nothing. Called by every service that creates an officer or changes one of
    PLACEMENT_FIELDS, so reports count people where they were on a past date."""
    on = on or timezone.localdate()
    values = {name: getattr(officer, name) for name in PLACEMENT_FIELDS}
    current = OfficerPlacement.objects.select_for_update().filter(officer=officer, valid_to__isnull=True).first()
    if current is not None:
        if all(getattr(current, name) == value for name, value in values.items()):
            return current
        if on <= current.valid_from:
            for name, value in values.items():
                setattr(current, name, value)
            current.save(update_fields=list(PLACEMENT_FIELDS))
            return current
        current.valid_to = on
        current.save(update_fields=["valid_to"])
    return OfficerPlacement.objects.create(officer=officer, valid_from=on, **values)


@dataclass
class RosterImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    changes: dict[str, list[str]] = field(default_factory=dict)  # employee_no -> changed field names
    dry_run: bool = False


_ROSTER_FIELDS = ("name", "unit_id", "role_category_id", "hire_date", "phone", "enforcement_duty", "status")


def _officer_values(row: RosterRow) -> dict:
    return {
        "name": row.name,
        "unit_id": row.unit.pk,
        "role_category_id": row.role_category.pk,
        "hire_date": row.hire_date,
        "phone": row.phone,
        "enforcement_duty": row.enforcement_duty,
        "status": row.status,
    }


@transaction.atomic
def roster_import(*, parsed: RosterParseResult, actor: User | None, dry_run: bool = False) -> RosterImportReport:
    """Create or update officers by 工号. Refuses a parse result with errors: nothing is written then.

    Re-importing the same file changes nothing (every row reports unchanged)."""
    if not parsed.ok:
        raise ValueError("roster has errors; nothing written")
    report = RosterImportReport(dry_run=dry_run)
    existing = {
        o.employee_no: o
        for o in Officer.objects.select_related("user").filter(employee_no__in=[r.employee_no for r in parsed.rows])
    }
    savepoint = transaction.savepoint()
    # Phones may move between officers in one file; clear the ones that change first so the
    # unique constraint is checked against the final state, not an intermediate one.
    moving = [
        o.pk
        for r in parsed.rows
        if (o := existing.get(r.employee_no)) is not None and o.phone and o.phone != r.phone
    ]
    Officer.objects.filter(pk__in=moving).update(phone=None)
    for row in parsed.rows:
        values = _officer_values(row)
        officer = existing.get(row.employee_no)
        if officer is None:
            officer = officer_provision(
                employee_no=row.employee_no,
                name=row.name,
                unit=row.unit,
                role_category=row.role_category,
                hire_date=row.hire_date,
                phone=row.phone,
                enforcement_duty=row.enforcement_duty,
                status=row.status,
                email=row.email,
                actor=actor,
            )
            report.created.append(row.employee_no)
        else:
            changed = [f for f in _ROSTER_FIELDS if getattr(officer, f) != values[f]]
            email_changed = bool(row.email) and officer.user.email != row.email
            if changed or email_changed:
                for name in changed:
                    setattr(officer, name, values[name])
                officer.save()
                report.updated.append(row.employee_no)
                report.changes[row.employee_no] = changed + (["email"] if email_changed else [])
                audit_record(actor=actor, action="officer.update", target=officer, data={"fields": changed})
                if any(name in PLACEMENT_FIELDS for name in changed):
                    placement_record(officer=officer)
            else:
                report.unchanged.append(row.employee_no)
        # People who left or retired keep their records but can no longer log in.
        user = officer.user
        desired = {"is_active": row.status == Officer.Status.ACTIVE, "email": row.email or user.email}
        if any(getattr(user, k) != v for k, v in desired.items()):
            for k, v in desired.items():
                setattr(user, k, v)
            user.save(update_fields=list(desired))
    if dry_run:
        transaction.savepoint_rollback(savepoint)
    else:
        transaction.savepoint_commit(savepoint)
        audit_record(
            actor=actor,
            action="roster.import",
            data={"created": len(report.created), "updated": len(report.updated), "unchanged": len(report.unchanged)},
        )
    return report


@transaction.atomic
def officer_issue_initial_password(*, officer: Officer, actor: User) -> str:
    """HR hands the officer a one-time password; it is shown once and never stored in clear, and must be changed at
    the first login. Only an admin may do this for a privileged account (else PermissionDenied)."""
    if not may_issue_initial_password(actor, officer.user):
        raise PermissionDenied(_("只有系统管理员可以为人事、培训师、审核人或管理员账号生成初始密码。"))
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    password = "".join(secrets.choice(alphabet) for _ in range(10))
    officer.user.set_password(password)
    officer.user.must_change_password = True
    officer.user.save(update_fields=["password", "must_change_password"])
    audit_record(
        actor=actor,
        action="officer.initial_password",
        target=officer,
        data={"issued_by": actor.username, "account": officer.user.username},
    )
    return password


def notice_push(*, user: User, text: str, kind: str = "notice") -> None:
    """Push a notice to the user's open pages after the surrounding transaction commits."""
    from asgiref.sync import async_to_sync
    from channels.layers import get_channel_layer

    from .consumers import user_group

    def send() -> None:
        async_to_sync(get_channel_layer().group_send)(
            user_group(user.pk), {"type": "notice.push", "kind": kind, "text": text}
        )

    transaction.on_commit(send)

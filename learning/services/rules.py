"""The yearly rules as data: hours per role category and credit category, minimum training days."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from org.models import RoleCategory, User
from org.services import audit_record

from ..models import (
    HourRule,
    TrainingDayRule,
)
from .common import LearningError, _category


@transaction.atomic
def hour_rule_set(
    *, year: int, role_category: RoleCategory, category: str, hours: Decimal | None, actor: User | None
) -> HourRule | None:
    """Set (or with hours=None remove) the required hours for year × role category × credit category."""
    category = _category(category)
    rule = HourRule.objects.filter(year=year, role_category=role_category, category_id=category).first()
    if hours is None:
        if rule is not None:
            rule.delete()
            audit_record(
                actor=actor,
                action="hour_rule.delete",
                data={"year": year, "role": role_category.code, "category": category},
            )
        return None
    hours = Decimal(str(hours))
    if hours < 0:
        raise LearningError(_("应修学时不能为负数。"))
    if rule is None:
        rule = HourRule.objects.create(
            year=year, role_category=role_category, category_id=category, required_hours=hours
        )
    elif rule.required_hours != hours:
        rule.required_hours = hours
        rule.save(update_fields=["required_hours"])
    else:
        return rule
    audit_record(
        actor=actor,
        action="hour_rule.set",
        target=rule,
        data={"year": year, "role": role_category.code, "category": category, "hours": str(hours)},
    )
    return rule


@transaction.atomic
def training_day_rule_set(
    *, year: int, role_category: RoleCategory, min_days: Decimal | None, actor: User | None
) -> TrainingDayRule | None:
    rule = TrainingDayRule.objects.filter(year=year, role_category=role_category).first()
    if min_days is None:
        if rule is not None:
            rule.delete()
            audit_record(
                actor=actor, action="training_day_rule.delete", data={"year": year, "role": role_category.code}
            )
        return None
    min_days = Decimal(str(min_days))
    if min_days < 0:
        raise LearningError(_("培训天数不能为负数。"))
    if rule is None:
        rule = TrainingDayRule.objects.create(year=year, role_category=role_category, min_days=min_days)
    elif rule.min_days != min_days:
        rule.min_days = min_days
        rule.save(update_fields=["min_days"])
    else:
        return rule
    audit_record(actor=actor, action="training_day_rule.set", target=rule, data={"min_days": str(min_days)})
    return rule


@transaction.atomic
def rules_save(
    *,
    year: int,
    hours: dict[tuple[int, str], Decimal | None],
    days: dict[int, Decimal | None],
    actor: User,
) -> int:
    """Save HR's rule grid for a year: {(role_category_id, category_code): hours or None}, {role_id: days}.
    Returns how many cells changed."""
    roles = {r.pk: r for r in RoleCategory.objects.filter(pk__in={k[0] for k in hours} | set(days))}
    before = {(r.role_category_id, r.category_id): r.required_hours for r in HourRule.objects.filter(year=year)} | {
        ("days", r.role_category_id): r.min_days for r in TrainingDayRule.objects.filter(year=year)
    }
    changed = 0
    for (role_id, code), value in hours.items():
        if before.get((role_id, code)) != value:
            hour_rule_set(year=year, role_category=roles[role_id], category=code, hours=value, actor=actor)
            changed += 1
    for role_id, value in days.items():
        if before.get(("days", role_id)) != value:
            training_day_rule_set(year=year, role_category=roles[role_id], min_days=value, actor=actor)
            changed += 1
    return changed

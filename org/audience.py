"""Who a thing is for: officers of some unit subtrees AND some role categories, plus officers named one by one.

One rule, used by exams, offline sessions, course assignments, certification review runs, mentorship programmes
and contests. Empty units mean "any unit" and empty role categories "any role", but only while the other one is
set; with neither, the audience is the named officers alone, unless `everyone_when_unset` (offline sessions
without invitations are open to all)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from .models import Officer, RoleCategory, Unit
from .units import in_subtree, subtree_q


def _ids(items: Iterable[object]) -> frozenset[int]:
    return frozenset(i if isinstance(i, int) else i.pk for i in items)


@dataclass(frozen=True)
class Audience:
    unit_paths: tuple[str, ...] = ()
    role_category_ids: frozenset[int] = frozenset()
    officer_ids: frozenset[int] = frozenset()
    everyone_when_unset: bool = False

    @classmethod
    def of(
        cls,
        *,
        units: Iterable[Unit | str] = (),
        role_categories: Iterable[RoleCategory | int] = (),
        officers: Iterable[Officer | int] = (),
        everyone_when_unset: bool = False,
    ) -> Audience:
        return cls(
            unit_paths=tuple(sorted({u if isinstance(u, str) else u.path for u in units})),
            role_category_ids=_ids(role_categories),
            officer_ids=_ids(officers),
            everyone_when_unset=everyone_when_unset,
        )

    @property
    def has_group(self) -> bool:
        return bool(self.unit_paths or self.role_category_ids)

    @property
    def is_everyone(self) -> bool:
        return self.everyone_when_unset and not self.has_group and not self.officer_ids

    def q(self, *, prefix: str = "") -> Q:
        """A filter on Officer rows (or on rows with an officer foreign key, with prefix="officer__")."""
        if self.is_everyone:
            return Q()
        named = Q(**{f"{prefix}pk__in": sorted(self.officer_ids)})
        if not self.has_group:
            return named
        group = Q()
        if self.unit_paths:
            group &= subtree_q(self.unit_paths, field=f"{prefix}unit")
        if self.role_category_ids:
            group &= Q(**{f"{prefix}role_category_id__in": sorted(self.role_category_ids)})
        return group | named

    def includes(self, officer: Officer) -> bool:
        """The Python twin of q(), for one officer (no query beyond the officer's unit)."""
        if self.is_everyone or officer.pk in self.officer_ids:
            return True
        if not self.has_group:
            return False
        if self.unit_paths and not (officer.unit_id and in_subtree(officer.unit.path, self.unit_paths)):
            return False
        return not self.role_category_ids or officer.role_category_id in self.role_category_ids

    def officers(self, *, active_only: bool = True) -> QuerySet[Officer]:
        officers = Officer.objects.filter(self.q())
        return officers.filter(status=Officer.Status.ACTIVE) if active_only else officers


def audiences_of(
    objects: Iterable[object],
    *,
    units: str | None = "units",
    role_categories: str | None = "role_categories",
    officers: str | None = "officers",
    everyone_when_unset: bool = False,
) -> dict[int, Audience]:
    """The Audience of each object (exam, offline session, programme ...) whose audience is held in many-to-many
    fields of these names (None: the model has no such field): three queries over the through tables whatever the
    number of objects, never one per object."""
    objects = list(objects)
    if not objects:
        return {}
    model = type(objects[0])
    ids = [o.pk for o in objects]
    unit_paths: dict[int, set[str]] = {}
    role_ids: dict[int, set[int]] = {}
    officer_ids: dict[int, set[int]] = {}

    def through_rows(field_name: str, target: str):
        field = model._meta.get_field(field_name)
        through = field.remote_field.through
        source = field.m2m_field_name()
        return through.objects.filter(**{f"{source}_id__in": ids}).values_list(f"{source}_id", target)

    if units:
        target = f"{model._meta.get_field(units).m2m_reverse_field_name()}__path"
        for pk, path in through_rows(units, target):
            unit_paths.setdefault(pk, set()).add(path)
    if role_categories:
        target = f"{model._meta.get_field(role_categories).m2m_reverse_field_name()}_id"
        for pk, role_id in through_rows(role_categories, target):
            role_ids.setdefault(pk, set()).add(role_id)
    if officers:
        target = f"{model._meta.get_field(officers).m2m_reverse_field_name()}_id"
        for pk, officer_id in through_rows(officers, target):
            officer_ids.setdefault(pk, set()).add(officer_id)
    return {
        pk: Audience(
            unit_paths=tuple(sorted(unit_paths.get(pk, ()))),
            role_category_ids=frozenset(role_ids.get(pk, ())),
            officer_ids=frozenset(officer_ids.get(pk, ())),
            everyone_when_unset=everyone_when_unset,
        )
        for pk in ids
    }

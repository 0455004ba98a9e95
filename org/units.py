"""The unit-subtree rule, in one place.

Units are a treebeard materialised-path tree: a unit's subtree is every unit whose `path` starts with its path.
Every "officers of these units and below" filter in the project is built here, so the rule (and treebeard's
step length) is known once."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q

from .models import Unit


def _paths(units: Iterable[Unit | str]) -> list[str]:
    return sorted({u if isinstance(u, str) else u.path for u in units})


def subtree_q(units: Iterable[Unit | str], *, field: str = "unit") -> Q:
    """Q for rows whose `field` (a Unit foreign key, or "" for Unit rows themselves) lies in any of the subtrees.
    No units → matches nothing."""
    lookup = f"{field}__path__startswith" if field else "path__startswith"
    q = Q(pk__in=[])
    for path in _paths(units):
        q |= Q(**{lookup: path})
    return q


def in_subtree(unit_path: str, units: Iterable[Unit | str]) -> bool:
    """Whether a unit (by path) lies in any of the subtrees: the Python twin of subtree_q."""
    return any(unit_path.startswith(p) for p in _paths(units))


def ancestor_paths(unit_path: str) -> list[str]:
    """The paths of a unit and all its ancestors, root first (e.g. for "invited units include mine")."""
    step = Unit.steplen
    return [unit_path[:i] for i in range(step, len(unit_path) + 1, step)]

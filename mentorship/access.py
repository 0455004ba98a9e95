"""Who may see or act on a programme or a pair, on top of org's one guard (org.access / org.scopes).

- A programme: HR and admins any; a unit leader those whose unit lies in their subtree.
- A pair on HR's pages: HR any; a unit leader when the mentee's unit lies in their subtree.
- A pair on the officer's pages: its mentee or its mentor only."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from org.models import User
from org.scopes import roles_of

from .models import Pair, Programme


def _in_scope(user: User, unit_path: str) -> bool:
    roles = roles_of(user)
    return roles.sees_everyone or any(unit_path.startswith(p) for p in roles.leader_unit_paths)


def may_manage_programme(user: User, programme: Programme) -> bool:
    return _in_scope(user, programme.unit.path)


def _get(model, pk, related):
    try:
        return model.objects.select_related(*related).get(pk=int(pk))
    except (model.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def access_programme(user: User, pk) -> Programme:
    programme = _get(Programme, pk, ("unit", "owner"))
    if not may_manage_programme(user, programme):
        raise PermissionDenied(_("您无权管理该师徒结对计划。"))
    return programme


def access_pair_staff(user: User, pk) -> Pair:
    pair = _get(Pair, pk, ("programme__unit", "mentee__unit", "mentor__unit", "mentee__user", "mentor__user"))
    if not _in_scope(user, pair.mentee.unit.path):
        raise PermissionDenied(_("您无权查看该师徒结对。"))
    return pair


def access_pair_member(user: User, pk) -> Pair:
    pair = _get(Pair, pk, ("programme", "mentee__unit", "mentor__unit", "mentee__user", "mentor__user"))
    if pair.state == Pair.State.PROPOSED or user.pk not in (pair.mentee.user_id, pair.mentor.user_id):
        raise PermissionDenied(_("只有该结对的师傅和徒弟可以查看。"))
    return pair

"""The one access guard: every view and consumer asks here before it shows or changes anything.

- `role_required("hr_pages")` / `officer_required` decorate views (login first, then the role; an officer view
  is handed its `officer`).
- `access_<thing>(user, pk) -> obj` load one object the user may act on, or raise Http404 / PermissionDenied.
  Views and websocket consumers call the same helpers.
- `require(user, capability)` is the inline form, for services that act for someone and consumers.

The rules of who sees what live in org/scopes.py (roles, subtrees); this module turns them into refusals with a
Chinese reason. Higher apps add their own `access_<thing>` helpers built on these (e.g. exams' access_exam)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .models import Officer, Unit, User
from .scopes import Roles, may_view_officer, may_view_officer_file, may_view_unit, roles_of


@dataclass(frozen=True)
class Capability:
    test: Callable[[Roles], bool]
    refusal: str | Promise


# Every role-based permission in the project, by name. A view names the capability it needs; nobody writes
# "is_trainer or sees_everyone" again.
CAPABILITIES: dict[str, Capability] = {
    "officer": Capability(lambda r: r.is_officer, _("本账号没有关联执法人员档案。")),
    "hr": Capability(lambda r: r.sees_everyone, _("只有人事可以进行此操作。")),
    "admin": Capability(lambda r: r.is_admin, _("只有系统管理员可以进行此操作。")),
    # HR pages (roster, unit hours, certification board): HR, admins and unit leaders (their subtree).
    "hr_pages": Capability(lambda r: r.may_use_hr_pages, _("只有人事和单位负责人可以查看此页面。")),
    "roster": Capability(lambda r: r.may_manage_roster, _("只有人事可以管理花名册。")),
    # Trainers' tools (CMS, question bank, papers, offline sessions): trainers, HR and admins.
    "training": Capability(lambda r: r.may_use_cms, _("只有培训师和人事可以使用此功能。")),
    # Exam management pages are readable by unit leaders too (their subtree's results).
    "exam_pages": Capability(lambda r: r.may_use_cms or r.is_unit_leader, _("只有培训师、人事和单位负责人可以查看考试管理。")),
}


def has(user: User, capability: str) -> bool:
    return CAPABILITIES[capability].test(roles_of(user))


def require(user: User, *capabilities: str, message: str | Promise | None = None) -> Roles:
    """Raise PermissionDenied unless the user has at least one of the capabilities; returns their roles."""
    roles = roles_of(user)
    if not getattr(user, "is_authenticated", False) or not any(CAPABILITIES[c].test(roles) for c in capabilities):
        raise PermissionDenied(message or CAPABILITIES[capabilities[0]].refusal)
    return roles


def role_required(*capabilities: str, message: str | Promise | None = None):
    """Decorator: logged in (else the login page), then at least one of the capabilities (else 403)."""

    def decorate(view):
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs):
            require(request.user, *capabilities, message=message)
            return view(request, *args, **kwargs)

        return login_required(wrapped)

    return decorate


def current_officer(user: User) -> Officer | None:
    """The officer profile of a user (with unit and role category), or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    cached = getattr(user, "_zhifa_officer", None)
    if cached is None:
        cached = Officer.objects.select_related("unit", "role_category").filter(user=user).first() or False
        if cached:
            cached.user = user  # the same row: officer.user (audit rows name it) costs no second query
        user._zhifa_officer = cached
    return cached or None


def require_officer(user: User) -> Officer:
    officer = current_officer(user)
    if officer is None:
        raise PermissionDenied(CAPABILITIES["officer"].refusal)
    return officer


def officer_required(view):
    """Decorator for an officer's own pages: logged in, has an officer profile, which the view gets as `officer`."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs):
        return view(request, *args, officer=require_officer(request.user), **kwargs)

    return login_required(wrapped)


def _get(model, pk, **select):
    try:
        return model.objects.select_related(*select.get("related", ())).get(pk=int(pk))
    except (model.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def access_officer(user: User, pk: int | str, *, personal: bool = True) -> Officer:
    """An officer the user may look at. `personal` (the default) means their personal file (profile, hours,
    certificate): the officer themselves, or HR / a unit leader of their subtree; otherwise also trainers."""
    officer = _get(Officer, pk, related=("unit", "role_category", "user"))
    allowed = may_view_officer_file(user, officer) if personal else may_view_officer(user, officer)
    if not allowed:
        raise PermissionDenied(_("您无权查看该人员的信息。"))
    return officer


def access_unit(user: User, pk: int | str) -> Unit:
    """A unit inside the user's scope (HR: any; unit leader: their subtree)."""
    unit = _get(Unit, pk)
    if not may_view_unit(user, unit):
        raise PermissionDenied(_("您无权查看该单位。"))
    return unit

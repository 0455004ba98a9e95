"""Who may do what with a contest (built on org.access): only its host drives it (console, big screen, next,
close, finish); its host and HR read its results and log; an officer plays only in a contest they joined."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from org.access import has
from org.models import User

from .models import Contest


def _contest(pk) -> Contest:
    try:
        return Contest.objects.select_related("host").get(pk=int(pk))
    except (Contest.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def access_hosted_contest(user: User, pk) -> Contest:
    """A contest the user hosts (drives): 403 for anyone else."""
    contest = _contest(pk)
    if not getattr(user, "is_authenticated", False) or contest.host_id != user.pk:
        raise PermissionDenied(_("只有本场竞赛的主持人可以操作。"))
    return contest


def access_contest_record(user: User, pk) -> Contest:
    """A contest whose results and log the user may read: its host, HR and admins."""
    contest = _contest(pk)
    if not getattr(user, "is_authenticated", False) or not (contest.host_id == user.pk or has(user, "hr")):
        raise PermissionDenied(_("只有主持人和人事可以查看竞赛成绩。"))
    return contest

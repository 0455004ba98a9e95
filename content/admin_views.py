"""The 待复核 report in the Wagtail admin: citations flagged after an amendment, for any registered citing model."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.admin.ui.components import Component

from org.scopes import roles_of

from .citations import citing_kind_for
from .models import ArticleCitation
from .selectors import citations_needing_review
from .services import APPROVER_GROUP, citation_mark_reviewed


def may_review(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return roles_of(user).may_use_cms or user.groups.filter(name=APPROVER_GROUP).exists()


def review_rows() -> list[dict]:
    rows = []
    for citation in citations_needing_review():
        model = citation.content_type.model_class()
        kind = citing_kind_for(model) if model else None
        obj = citation.citing_object
        if kind is None or obj is None:
            continue
        rows.append(
            {
                "citation": citation,
                "kind": kind.label,
                "title": kind.title(obj),
                "admin_url": kind.admin_url(obj),
                "public_url": kind.public_url(obj),
            }
        )
    return rows


def review_report(request):
    if not may_review(request.user):
        raise PermissionDenied
    return TemplateResponse(request, "content/admin/review_report.html", {"rows": review_rows()})


@require_POST
def review_mark_done(request, pk: int):
    if not may_review(request.user):
        raise PermissionDenied
    citation = get_object_or_404(ArticleCitation, pk=pk)
    citation_mark_reviewed(citation=citation, actor=request.user)
    messages.success(request, _("已标记为已复核。"))
    return redirect("content_review_report")


class ReviewPanel(Component):
    name = "content_review"
    order = 90
    template_name = "content/admin/review_panel.html"

    def get_context_data(self, parent_context=None):
        return {"count": citations_needing_review().count()}

"""Wagtail integration: snippet viewsets for laws and taxonomies, login for reading, citation syncing on
page save/publish, amendment flagging on article edits, and the 待复核 (needs review) report."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from . import admin_views, services
from .models import Article, CreditCategory, Law, SearchSynonym, ViolationCategory


class LawViewSet(SnippetViewSet):
    model = Law
    icon = "doc-full"
    menu_label = _("法律法规")
    list_display = ["title", "level", "issuing_body", "effective_on"]
    list_filter = ["level"]
    search_fields = ["title", "issuing_body"]


class ArticleViewSet(SnippetViewSet):
    model = Article
    icon = "openquote"
    menu_label = _("法条")
    list_display = ["__str__", "chapter"]
    list_filter = ["law"]
    search_fields = ["label", "chapter"]


class CreditCategoryViewSet(SnippetViewSet):
    model = CreditCategory
    icon = "tag"
    list_display = ["name", "code", "sort_order"]


class ViolationCategoryViewSet(SnippetViewSet):
    model = ViolationCategory
    icon = "tag"
    list_display = ["name", "code", "sort_order"]


class SearchSynonymViewSet(SnippetViewSet):
    """Shorthand officers type (违建, 占道, 渣土) and what it stands for; search ORs a term with its expansions."""

    model = SearchSynonym
    icon = "search"
    menu_label = _("检索同义词")
    list_display = ["term", "expansions"]
    search_fields = ["term", "expansions"]


class LawGroup(SnippetViewSetGroup):
    items = (LawViewSet, ArticleViewSet, ViolationCategoryViewSet, CreditCategoryViewSet, SearchSynonymViewSet)
    menu_icon = "doc-full"
    menu_label = _("法规与分类")
    menu_name = "content-laws"


register_snippet(LawGroup)


@hooks.register("before_serve_page")
def require_login_to_read(page, request, serve_args, serve_kwargs):
    """Content is for staff: anonymous readers go to the login page."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return None


def _sync(request, page):
    services.page_citations_sync(page=page)


for _hook in ("after_create_page", "after_edit_page", "after_publish_page"):
    hooks.register(_hook, _sync)


def _article_changed(request, instance):
    if isinstance(instance, Article):
        services.article_reindex(article=instance)
        services.citations_flag_for_review(article=instance, actor=request.user)


hooks.register("after_create_snippet", _article_changed)
hooks.register("after_edit_snippet", _article_changed)


@hooks.register("register_admin_urls")
def review_urls():
    return [
        path("content/review/", admin_views.review_report, name="content_review_report"),
        path("content/review/<int:pk>/done/", admin_views.review_mark_done, name="content_review_done"),
    ]


class ReviewMenuItem(MenuItem):
    def is_shown(self, request):
        return admin_views.may_review(request.user)


@hooks.register("register_reports_menu_item")
def review_menu_item():
    return ReviewMenuItem(_("法条修订待复核"), reverse("content_review_report"), icon_name="warning", order=50)


@hooks.register("construct_homepage_panels")
def review_panel(request, panels):
    if admin_views.may_review(request.user):
        panels.insert(0, admin_views.ReviewPanel())


@hooks.register("construct_page_action_menu")
def approve_first(menu_items, request, context):
    """法制科 reviews pages in the 法制科审核 workflow: its approve action is the main button, not an entry hidden
    in the dropdown behind "Save draft"."""
    approve = next(
        (
            item
            for item in menu_items
            if getattr(item, "name", None) == "approve" and not getattr(item, "launch_modal", True)
        ),
        None,
    )
    if approve is not None:
        menu_items.remove(approve)
        menu_items.insert(0, approve)

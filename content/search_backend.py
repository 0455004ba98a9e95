"""Wagtail's database search backend, Chinese-aware for pages in the admin.

Wagtail's admin page search, page listings and the page chooser (a trainer building a compilation) all call
`pages.autocomplete(q)`; the `construct_page_chooser_queryset` hook runs before that call and cannot change the
query. So the default backend is this one: `autocomplete()` on a page queryset ranks through
`content.selectors.ranked_page_ids` (jieba segmentation, synonyms, title hits first) and returns search results
that paginate and facet like Wagtail's own. Everything else (snippets, images, users, `search()`) is Wagtail's.

settings: WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "content.search_backend"}}
"""

from __future__ import annotations

from collections import OrderedDict

from django.db.models import Count
from modelsearch.backends.base import BaseSearchResults
from wagtail.search.backends.database import SearchBackend as database_backend
from wagtail.search.query import MATCH_ALL, PlainText


class RankedPageResults(BaseSearchResults):
    """Search results over a fixed ranking of page ids, restricted to the caller's queryset."""

    supports_facet = True

    def __init__(self, backend, queryset, ids: list[int], prefetch_related=None):
        super().__init__(backend, None, prefetch_related)
        self.queryset = queryset
        self.model = queryset.model
        allowed = set(queryset.filter(pk__in=ids).values_list("pk", flat=True)) if ids else set()
        self.ids = [pk for pk in ids if pk in allowed]

    def _clone(self):
        new = self.__class__.__new__(self.__class__)
        new.__dict__.update(self.__dict__)
        new._results_cache = None
        new._count_cache = None
        return new

    def _window(self) -> list[int]:
        return self.ids[self.start : self.stop]

    def _do_search(self):
        window = self._window()
        by_id = self.queryset.filter(pk__in=window).in_bulk()
        return [by_id[pk] for pk in window if pk in by_id]

    def _do_count(self):
        return len(self._window())

    def facet(self, field_name):
        rows = (
            self.queryset.model._default_manager.filter(pk__in=self.ids)
            .values(field_name)
            .annotate(count=Count("pk"))
            .order_by("-count")
        )
        return OrderedDict((row[field_name], row["count"]) for row in rows)


def _query_text(query) -> str | None:
    if isinstance(query, str):
        return query
    if isinstance(query, PlainText):
        return query.query_string
    return None  # MATCH_ALL, boolean trees ...: Wagtail's own handling


class ChineseAutocompleteMixin:
    def autocomplete(self, query, model_or_queryset, fields=None, operator=None, order_by_relevance=True, **kwargs):
        from wagtail.models import Page

        from content.selectors import ranked_page_ids, search_query_groups

        queryset = model_or_queryset
        if not hasattr(queryset, "model"):
            queryset = queryset._default_manager.all()
        text = _query_text(query)
        if text is None or query is MATCH_ALL or not issubclass(queryset.model, Page):
            return super().autocomplete(query, model_or_queryset, fields, operator, order_by_relevance, **kwargs)
        ids = ranked_page_ids(text, model=queryset.model)
        if ids is None:  # no fast path on this database: Wagtail's full-word search with the segmented query
            from content.selectors import wagtail_search_query

            groups = search_query_groups(text)
            if not groups:
                return RankedPageResults(self, queryset, [])
            return self.search(wagtail_search_query(groups), queryset, order_by_relevance=order_by_relevance)
        results = RankedPageResults(self, queryset, ids)
        if not order_by_relevance and queryset.ordered:
            # An explicit ordering in the admin (title, updated ...) wins over relevance.
            order = list(queryset.filter(pk__in=results.ids).values_list("pk", flat=True))
            results.ids = order
        return results


_CLASSES: dict[type, type] = {}


def SearchBackend(params):  # noqa: N802 - Wagtail looks the factory up by this name
    """Wagtail's database backend for this database (SQLite FTS5, PostgreSQL ...) with our autocomplete."""
    base = type(database_backend(params))
    if base not in _CLASSES:
        _CLASSES[base] = type(f"Chinese{base.__name__}", (ChineseAutocompleteMixin, base), {})
    return _CLASSES[base](params)

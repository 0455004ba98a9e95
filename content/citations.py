"""Registry of the models that cite law articles.

Content registers its own pages; a higher app (exams) registers its question model in its AppConfig.ready():

    from content.citations import register_citing_model
    register_citing_model(Question, title=lambda q: q.stem[:40], admin_url=..., editors=lambda q: [q.author])

Content never imports the higher app: the review report and notifications ask this registry.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import Model


@dataclass(frozen=True)
class CitingKind:
    model: type[Model]
    label: str
    title: Callable[[Model], str]
    admin_url: Callable[[Model], str | None]
    editors: Callable[[Model], Iterable]  # users to notify when a cited article is amended
    is_active: Callable[[Model], bool]  # only active objects (published pages, questions in use) are flagged
    public_url: Callable[[Model], str | None]


_REGISTRY: dict[str, CitingKind] = {}


def register_citing_model(
    model: type[Model],
    *,
    label: str | None = None,
    title: Callable[[Model], str] | None = None,
    admin_url: Callable[[Model], str | None] | None = None,
    editors: Callable[[Model], Iterable] | None = None,
    is_active: Callable[[Model], bool] | None = None,
    public_url: Callable[[Model], str | None] | None = None,
) -> None:
    _REGISTRY[model._meta.label_lower] = CitingKind(
        model=model,
        label=label or str(model._meta.verbose_name),
        title=title or str,
        admin_url=admin_url or (lambda obj: None),
        editors=editors or (lambda obj: []),
        is_active=is_active or (lambda obj: True),
        public_url=public_url or (lambda obj: None),
    )


def citing_kind_for(model: type[Model]) -> CitingKind | None:
    return _REGISTRY.get(model._meta.label_lower)


def citing_kinds() -> list[CitingKind]:
    return list(_REGISTRY.values())


# --- content's own pages -------------------------------------------------------------------------


def _page_editors(page) -> list:
    users = {}
    if page.owner_id:
        users[page.owner_id] = page.owner
    revision = page.latest_revision
    if revision is not None and revision.user_id:
        users[revision.user_id] = revision.user
    return list(users.values())


def _page_admin_url(page) -> str:
    from django.urls import reverse

    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def register_content_pages() -> None:
    from .models import CasePage, LessonPage

    for model in (LessonPage, CasePage):
        register_citing_model(
            model,
            title=lambda p: p.title,
            admin_url=_page_admin_url,
            editors=_page_editors,
            is_active=lambda p: p.live,
            public_url=lambda p: p.url,
        )

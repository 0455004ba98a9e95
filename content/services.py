"""Every write of the content app. Keyword-only, atomic, audited where it matters."""

from __future__ import annotations

import datetime as dt
import logging

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from org.services import audit_record, notice_push

from .citations import citing_kind_for
from .models import (
    Article,
    ArticleCitation,
    ArticleVersion,
    CaseLibraryPage,
    CourseIndexPage,
    CreditCategory,
    Law,
    LearningHomePage,
    SearchSynonym,
    ViolationCategory,
)
from .selectors import article_in_force

log = logging.getLogger(__name__)

TRAINER_GROUP = "培训师"
APPROVER_GROUP = "法制科审核"
WORKFLOW_NAME = "法制科审核"

# ---------------------------------------------------------------------------
# Taxonomies and laws
# ---------------------------------------------------------------------------


def credit_category_ensure(*, code: str, name: str, sort_order: int = 0) -> CreditCategory:
    obj, _created = CreditCategory.objects.update_or_create(
        code=code, defaults={"name": name, "sort_order": sort_order}
    )
    return obj


def violation_category_ensure(*, code: str, name: str, sort_order: int = 0) -> ViolationCategory:
    obj, _created = ViolationCategory.objects.update_or_create(
        code=code, defaults={"name": name, "sort_order": sort_order}
    )
    return obj


def search_synonym_ensure(*, term: str, expansions: list[str]) -> SearchSynonym:
    """A shorthand and what it stands for (违建 → 违法建设); search ORs the term with its expansions."""
    obj, _created = SearchSynonym.objects.update_or_create(
        term=term.strip(), defaults={"expansions": "、".join(e.strip() for e in expansions if e.strip())}
    )
    return obj


@transaction.atomic
def law_ensure(*, title: str, issuing_body: str, effective_on: dt.date, level: str = Law.Level.LAW, **fields) -> Law:
    law, _created = Law.objects.update_or_create(
        title=title, defaults={"issuing_body": issuing_body, "effective_on": effective_on, "level": level, **fields}
    )
    return law


@transaction.atomic
def article_ensure(
    *, law: Law, number: int, label: str, text: str, effective_from: dt.date, chapter: str = "", source_note: str = ""
) -> Article:
    """Create an article with its first version (or return the existing one unchanged)."""
    article = Article.objects.filter(law=law, number=number).first()
    if article is None:
        article = Article(law=law, number=number, label=label, chapter=chapter)
        article.save()
        ArticleVersion.objects.create(
            article=article, text=text, effective_from=effective_from, source_note=source_note
        )
        article_reindex(article=article)
    return article


def article_reindex(*, article: Article) -> None:
    """The article's index entry holds the text of its versions: refresh it after versions change."""
    from wagtail.search.index import insert_or_update_object

    insert_or_update_object(Article.objects.get(pk=article.pk))


@transaction.atomic
def article_amend(
    *, article: Article, text: str, effective_from: dt.date, source_note: str = "", actor=None
) -> tuple[ArticleVersion, list[ArticleCitation]]:
    """Add a new version of an article from a date. Citations of older versions are flagged for review."""
    version = ArticleVersion.objects.filter(article=article, effective_from=effective_from).first()
    if version is None:
        version = ArticleVersion.objects.create(
            article=article, text=text, effective_from=effective_from, source_note=source_note
        )
        article_reindex(article=article)
        audit_record(actor=actor, action="content.article.amend", target=article, data={"version": version.pk})
    flagged = citations_flag_for_review(article=article, new_version=version, actor=actor)
    return version, flagged


# ---------------------------------------------------------------------------
# Citations: the one mechanism through which anything cites an article
# ---------------------------------------------------------------------------


def _ct(obj: Model) -> ContentType:
    return ContentType.objects.get_for_model(obj, for_concrete_model=False)


@transaction.atomic
def citation_add(*, obj: Model, article: Article, version: ArticleVersion | None = None) -> ArticleCitation:
    """Record that `obj` cites `article` (as of `version`, default: the version in force today)."""
    citation, created = ArticleCitation.objects.get_or_create(
        content_type=_ct(obj),
        object_id=obj.pk,
        article=article,
        defaults={
            "version": version or article_in_force(article) or article.versions.order_by("effective_from").first()
        },
    )
    return citation


@transaction.atomic
def citation_remove(*, obj: Model, article: Article) -> None:
    ArticleCitation.objects.filter(content_type=_ct(obj), object_id=obj.pk, article=article).delete()


@transaction.atomic
def citations_sync(*, obj: Model, article_ids: list[int]) -> list[ArticleCitation]:
    """Make the citations of `obj` exactly these articles; kept rows keep their version and review flag."""
    wanted = set(article_ids)
    ArticleCitation.objects.filter(content_type=_ct(obj), object_id=obj.pk).exclude(article_id__in=wanted).delete()
    articles = Article.objects.filter(pk__in=wanted).prefetch_related("versions")
    return [citation_add(obj=obj, article=a) for a in articles]


def page_citations_sync(*, page) -> list[ArticleCitation]:
    """Pages (lessons, cases) declare what they cite through cited_article_ids()."""
    page = page.specific
    if not hasattr(page, "cited_article_ids"):
        return []
    return citations_sync(obj=page, article_ids=page.cited_article_ids())


@transaction.atomic
def citations_flag_for_review(
    *, article: Article, new_version: ArticleVersion | None = None, actor=None
) -> list[ArticleCitation]:
    """Flag every active citing object that cites an older version of `article` than `new_version` (default:
    its newest version) and notify its editors. Returns the citations flagged now. Works for any registered
    citing model (content.citations.register_citing_model)."""
    if new_version is None:
        new_version = article.versions.order_by("-effective_from", "-pk").first()
    if new_version is None:
        return []
    flagged: list[ArticleCitation] = []
    pending = (
        ArticleCitation.objects.select_for_update()
        .filter(article=article, needs_review=False)
        .exclude(version=new_version)
        .select_related("content_type")
    )
    now = timezone.now()
    for citation in pending:
        model = citation.content_type.model_class()
        kind = citing_kind_for(model) if model else None
        obj = citation.citing_object
        if kind is None or obj is None or not kind.is_active(obj):
            continue
        citation.needs_review = True
        citation.flagged_at = now
        citation.flagged_version = new_version
        citation.reviewed_at = None
        citation.reviewed_by = None
        citation.save(update_fields=["needs_review", "flagged_at", "flagged_version", "reviewed_at", "reviewed_by"])
        flagged.append(citation)
        _notify_editors(kind=kind, obj=obj, article=article)
    if flagged:
        audit_record(
            actor=actor,
            action="content.citations.flag",
            target=article,
            data={"version": new_version.pk, "citations": [c.pk for c in flagged]},
        )
    return flagged


def _notify_editors(*, kind, obj, article: Article) -> None:
    title = kind.title(obj)
    text = _("《%(law)s》%(article)s 已修订,引用它的“%(title)s”需要复核。") % {
        "law": article.law.title,
        "article": article.label,
        "title": title,
    }
    url = kind.admin_url(obj)
    for user in kind.editors(obj):
        if user is None:
            continue
        notice_push(user=user, text=text, kind="content.review")
        if user.email:
            body = text + (f"\n{url}" if url else "")
            transaction.on_commit(
                lambda email=user.email, body=body: send_mail(
                    _("法条修订待复核"), body, None, [email], fail_silently=True
                )
            )


@transaction.atomic
def citation_mark_reviewed(*, citation: ArticleCitation, actor) -> ArticleCitation:
    """The editor checked the citing text against the new version: the notice disappears."""
    citation = ArticleCitation.objects.select_for_update().get(pk=citation.pk)
    if not citation.needs_review:
        return citation
    citation.needs_review = False
    citation.version = citation.flagged_version or citation.version
    citation.reviewed_at = timezone.now()
    citation.reviewed_by = actor
    citation.save(update_fields=["needs_review", "version", "reviewed_at", "reviewed_by"])
    audit_record(actor=actor, action="content.citation.reviewed", target=citation)
    return citation


@transaction.atomic
def citations_mark_reviewed_for(*, obj: Model, actor) -> int:
    rows = list(ArticleCitation.objects.filter(content_type=_ct(obj), object_id=obj.pk, needs_review=True))
    for citation in rows:
        citation_mark_reviewed(citation=citation, actor=actor)
    return len(rows)


# ---------------------------------------------------------------------------
# The page tree, its site, its moderation workflow and permissions
# ---------------------------------------------------------------------------


SITE_NAME = "执法学堂"


@transaction.atomic
def content_tree_ensure() -> dict:
    """学习平台 home (root of the default Site), 法律课程 and 案例库 under it, the 法制科审核 workflow and the
    group permissions. Idempotent."""
    from wagtail.models import Page, Site

    home = LearningHomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        home = LearningHomePage(title=_("学习平台"), slug="home-learning")
        root.add_child(instance=home)
        home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        site = Site.objects.create(
            hostname="localhost", port=80, root_page=home, is_default_site=True, site_name=SITE_NAME
        )
    elif site.root_page_id != home.pk or not site.site_name:
        # Wagtail's own default site has no name, so its admin said "Pages created in localhost".
        site.root_page = home
        site.site_name = site.site_name or SITE_NAME
        site.save()
    courses = CourseIndexPage.objects.child_of(home).first()
    if courses is None:
        courses = CourseIndexPage(title=_("法律课程"), slug="courses")
        home.add_child(instance=courses)
        courses.save_revision().publish()
    cases = CaseLibraryPage.objects.child_of(home).first()
    if cases is None:
        cases = CaseLibraryPage(title=_("案例库"), slug="cases")
        home.add_child(instance=cases)
        cases.save_revision().publish()
    workflow = moderation_ensure(home=home)
    return {"home": home, "courses": courses, "cases": cases, "site": site, "workflow": workflow}


def moderation_ensure(*, home) -> object:
    """Trainers add and edit but do not publish; 法制科审核 approves (Wagtail GroupApprovalTask)."""
    from wagtail.models import GroupApprovalTask, GroupPagePermission, Workflow, WorkflowPage, WorkflowTask

    trainers, _c = Group.objects.get_or_create(name=TRAINER_GROUP)
    approvers, _c = Group.objects.get_or_create(name=APPROVER_GROUP)
    access_admin = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    trainers.permissions.add(access_admin)
    approvers.permissions.add(access_admin)
    for codename in ("add_page", "change_page"):
        GroupPagePermission.objects.get_or_create(
            group=trainers,
            page=home,
            permission=Permission.objects.get(content_type__app_label="wagtailcore", codename=codename),
        )
    for codename in ("add_page", "change_page", "publish_page"):
        GroupPagePermission.objects.get_or_create(
            group=approvers,
            page=home,
            permission=Permission.objects.get(content_type__app_label="wagtailcore", codename=codename),
        )
    # Snippets (laws, articles, taxonomies) and documents/images for lesson media.
    snippet_models = ("law", "article", "creditcategory", "violationcategory", "searchsynonym")
    for group in (trainers, approvers):
        for model in snippet_models:
            # Synonyms are a working list: trainers may also remove one that misleads.
            actions = ("add", "change", "view", "delete") if model == "searchsynonym" else ("add", "change", "view")
            for action in actions:
                perm = Permission.objects.filter(
                    content_type__app_label="content", codename=f"{action}_{model}"
                ).first()
                if perm:
                    group.permissions.add(perm)
        for app_label, model in (("wagtaildocs", "document"), ("wagtailimages", "image")):
            for action in ("add", "change", "choose"):
                perm = Permission.objects.filter(
                    content_type__app_label=app_label, codename=f"{action}_{model}"
                ).first()
                if perm:
                    group.permissions.add(perm)
    from wagtail.models import Collection, GroupCollectionPermission

    root_collection = Collection.get_first_root_node()
    for group in (trainers, approvers):
        for app_label, model in (("wagtaildocs", "document"), ("wagtailimages", "image")):
            for action in ("add", "change", "choose"):
                perm = Permission.objects.filter(
                    content_type__app_label=app_label, codename=f"{action}_{model}"
                ).first()
                if perm:
                    GroupCollectionPermission.objects.get_or_create(
                        group=group, collection=root_collection, permission=perm
                    )

    task = GroupApprovalTask.objects.filter(name=WORKFLOW_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=WORKFLOW_NAME)
    task.groups.add(approvers)
    workflow, _c = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowPage.objects.update_or_create(page=home, defaults={"workflow": workflow})
    return workflow

"""Every non-trivial read of the content app. The learning and exams apps code against the functions marked
CONTRACT: keep their signatures and return types stable."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Exists, Model, OuterRef, QuerySet
from django.utils import timezone

from org.naming import localized_name

from .models import (
    Article,
    ArticleCitation,
    ArticleVersion,
    CasePage,
    CompilationPage,
    CoursePage,
    CreditCategory,
    Law,
    LessonPage,
    SearchSynonym,
    ViolationCategory,
)
from .text import QueryGroups, query_groups, segment_query

# ---------------------------------------------------------------------------
# CONTRACT for the learning app
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckQuestion:
    key: str  # stable id of the block inside the lesson body
    prompt: str
    options: list[str]
    answer_index: int


@dataclass(frozen=True)
class LessonStudySpec:
    lesson_id: int
    course_id: int
    title: str
    credited_minutes: int
    credit_category_code: str
    course_year: int
    has_video: bool
    video_duration_seconds: int | None  # sum of the lesson's videos, None without video
    check_questions: list[CheckQuestion] = field(default_factory=list)


@dataclass(frozen=True)
class CourseSummary:
    course_id: int
    title: str
    year: int
    required: bool
    credit_category_code: str
    audience_role_codes: list[str]
    url: str


def lesson_study_spec(*, lesson_id: int) -> LessonStudySpec | None:
    """CONTRACT. What learning needs to credit study of a live, published lesson; None for anything else."""
    lesson = LessonPage.objects.live().filter(pk=lesson_id).first()
    if lesson is None:
        return None
    course = CoursePage.objects.live().filter(pk=lesson.get_parent().pk).select_related("credit_category").first()
    if course is None:
        return None
    durations: list[int] = []
    questions: list[CheckQuestion] = []
    for child in lesson.body:
        if child.block_type == "video":
            durations.append(int(child.value["duration_seconds"] or 0))
        elif child.block_type == "check":
            questions.append(
                CheckQuestion(
                    key=str(child.id),
                    prompt=child.value["prompt"],
                    options=[str(o) for o in child.value["options"]],
                    answer_index=int(child.value["answer_index"]),
                )
            )
    return LessonStudySpec(
        lesson_id=lesson.pk,
        course_id=course.pk,
        title=lesson.title,
        credited_minutes=int(lesson.credited_minutes),
        credit_category_code=course.credit_category.code if course.credit_category_id else "",
        course_year=int(course.year),
        has_video=bool(durations),
        video_duration_seconds=sum(durations) if durations else None,
        check_questions=questions,
    )


def course_lesson_ids(*, course_id: int) -> list[int]:
    """CONTRACT. Live lessons of a live course, in page-tree order."""
    course = CoursePage.objects.live().filter(pk=course_id).first()
    if course is None:
        return []
    return list(LessonPage.objects.live().child_of(course).order_by("path").values_list("pk", flat=True))


def courses_published(*, year: int | None = None) -> list[CourseSummary]:
    """CONTRACT. Live courses (optionally of one year), in page-tree order."""
    qs = CoursePage.objects.live().select_related("credit_category").prefetch_related("audience").order_by("path")
    if year is not None:
        qs = qs.filter(year=year)
    return [
        CourseSummary(
            course_id=c.pk,
            title=c.title,
            year=int(c.year),
            required=bool(c.required),
            credit_category_code=c.credit_category.code if c.credit_category_id else "",
            audience_role_codes=sorted(r.code for r in c.audience.all()),
            url=c.url or "",
        )
        for c in qs
    ]


def _year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    """The year in the site's time zone, as aware datetimes [start, end)."""
    tz = timezone.get_current_timezone()
    return dt.datetime(year, 1, 1, tzinfo=tz), dt.datetime(year + 1, 1, 1, tzinfo=tz)


def year_content_counts(*, year: int) -> dict[str, int]:
    """CONTRACT (reports). What the content side did in `year`, four queries:
    cases_published (live cases first published in the year), compilations_issued (live 案例汇编 first published in the
    year), articles_amended (articles with a new version in force from a date in the year; an article's first version
    is not an amendment), citations_reviewed (citing items an editor re-checked after an amendment, in the year)."""
    start, end = _year_bounds(year)
    first_published = {"first_published_at__gte": start, "first_published_at__lt": end}
    earlier_version = ArticleVersion.objects.filter(
        article_id=OuterRef("article_id"), effective_from__lt=OuterRef("effective_from")
    )
    amended = ArticleVersion.objects.filter(effective_from__year=year).filter(Exists(earlier_version))
    return {
        "cases_published": CasePage.objects.live().filter(**first_published).count(),
        "compilations_issued": CompilationPage.objects.live().filter(**first_published).count(),
        "articles_amended": amended.values("article_id").distinct().count(),
        "citations_reviewed": ArticleCitation.objects.filter(reviewed_at__gte=start, reviewed_at__lt=end).count(),
    }


@dataclass(frozen=True)
class LessonBrief:
    lesson_id: int
    title: str
    credited_minutes: int


def course_lessons(*, course_id: int) -> list[LessonBrief]:
    """CONTRACT. Live lessons of a live course with their credited minutes, in page-tree order."""
    course = CoursePage.objects.live().filter(pk=course_id).first()
    if course is None:
        return []
    rows = LessonPage.objects.live().child_of(course).order_by("path").values_list("pk", "title", "credited_minutes")
    return [LessonBrief(lesson_id=pk, title=title, credited_minutes=int(minutes)) for pk, title, minutes in rows]


def nav_sections(request=None) -> list[tuple[str, str]]:
    """(kind, url) of the live 法律课程 and 案例库 sections, for the site's main navigation."""
    from .models import CaseLibraryPage, CourseIndexPage

    sections = []
    for kind, model in (("courses", CourseIndexPage), ("cases", CaseLibraryPage)):
        page = model.objects.live().order_by("path").first()
        if page is not None:
            url = page.get_url(request)
            if url:
                sections.append((kind, url))
    return sections


def credit_categories() -> list[tuple[str, str]]:
    """CONTRACT. (code, name) of every credit category, in display order; the name in the reader's language."""
    rows = CreditCategory.objects.order_by("sort_order", "id").values_list("code", "name", "name_en")
    return [(code, localized_name(name, name_en)) for code, name, name_en in rows]


def violation_category_names() -> dict[str, str]:
    """code → name (in the reader's language) of every violation category (违法行为类别)."""
    rows = ViolationCategory.objects.values_list("code", "name", "name_en")
    return {code: localized_name(name, name_en) for code, name, name_en in rows}


def violation_categories() -> list[tuple[str, str]]:
    """(code, name) of every 违法行为类别, in display order."""
    return list(ViolationCategory.objects.order_by("sort_order", "id").values_list("code", "name"))


# ---------------------------------------------------------------------------
# Laws and citations
# ---------------------------------------------------------------------------


def article_in_force(article: Article, on: dt.date | None = None) -> ArticleVersion | None:
    """The version in force on a date (today by default). Before the first version: None."""
    on = on or timezone.localdate()
    versions = sorted(article.versions.all(), key=lambda v: (v.effective_from, v.pk))
    current = None
    for version in versions:
        if version.effective_from <= on:
            current = version
    return current


@dataclass(frozen=True)
class ArticleDisplay:
    article: Article
    version: ArticleVersion | None
    amended: bool  # more than one version exists
    pending: ArticleVersion | None  # a newer version not yet in force
    versions: list[ArticleVersion]


def article_display(*, article: Article, on: dt.date | None = None) -> ArticleDisplay:
    on = on or timezone.localdate()
    versions = sorted(article.versions.all(), key=lambda v: (v.effective_from, v.pk))
    version = article_in_force(article, on)
    if version is None and versions:
        version = versions[0]
    pending = next((v for v in versions if v.effective_from > on), None)
    return ArticleDisplay(
        article=article, version=version, amended=len(versions) > 1, pending=pending, versions=versions
    )


def articles_for_refs(refs: list[str]) -> tuple[list[int], list[str]]:
    """Resolve citations written as text ("《中华人民共和国行政处罚法》第三十三条", "行政处罚法第33条") to
    Article ids. A law matches by its title, its short title, or a title ending with the cited name (so
    "行政处罚法" finds 中华人民共和国行政处罚法). Returns (article ids, the refs that matched no article)."""
    from .lawrefs import parse_article_refs

    laws = list(Law.objects.values_list("pk", "title", "short_title"))

    def law_ids(name: str) -> list[int]:
        exact = [pk for pk, title, short in laws if name in (title, short)]
        if exact:
            return exact
        # "处罚法" ends 行政处罚法; "依据行政处罚法" ends with the short title (text before an unbracketed name).
        ends = [
            pk for pk, title, short in laws if len(name) >= 2 and (title.endswith(name) or (short or "").endswith(name))
        ]
        return ends or [pk for pk, title, short in laws if name.endswith(title) or (short and name.endswith(short))]

    ids: list[int] = []
    unresolved: list[str] = []
    for ref in refs:
        found = False
        for name, number in parse_article_refs(ref):
            article_id = (
                Article.objects.filter(law_id__in=law_ids(name), number=number).values_list("pk", flat=True).first()
            )
            if article_id is not None:
                found = True
                if article_id not in ids:
                    ids.append(article_id)
        if not found:
            unresolved.append(ref)
    return ids, unresolved


def citations_of(obj: Model) -> QuerySet[ArticleCitation]:
    """Every citation written by one citing object (a page, an exam question ...)."""
    ct = ContentType.objects.get_for_model(obj, for_concrete_model=False)
    return ArticleCitation.objects.filter(content_type=ct, object_id=obj.pk).select_related(
        "article__law", "version", "flagged_version"
    )


def citations_to(article: Article) -> QuerySet[ArticleCitation]:
    return ArticleCitation.objects.filter(article=article).select_related("content_type")


def citations_needing_review() -> QuerySet[ArticleCitation]:
    return (
        ArticleCitation.objects.filter(needs_review=True)
        .select_related("article__law", "version", "flagged_version", "content_type")
        .order_by("-flagged_at", "pk")
    )


def review_notices_for(obj: Model) -> list[ArticleCitation]:
    """Citations of this object flagged after an amendment and not yet reviewed: readers see a notice."""
    return list(citations_of(obj).filter(needs_review=True))


# ---------------------------------------------------------------------------
# Search and lists
# ---------------------------------------------------------------------------


def _content_type_ids(model) -> list[int]:
    from django.apps import apps

    models_ = [m for m in apps.get_models() if issubclass(m, model)]
    return [ct.pk for ct in ContentType.objects.get_for_models(*models_, for_concrete_models=False).values()]


def search_synonyms() -> dict[str, list[str]]:
    """The trainers' shorthand list (违建 → 违法建设 ...), read per query: it is small and edits apply at once."""
    return {s.term: s.expansion_list() for s in SearchSynonym.objects.all()}


def search_query_groups(query: str) -> QueryGroups:
    """The query as the index is asked: segmented like the index, synonym terms widened to their expansions."""
    return query_groups(query, search_synonyms())


# Where a hit is, best first. Pages index their segmented title in the index's title column, title and text
# (facts, key points ...) in its body column, and metadata (case number, category, handling unit) in its
# autocomplete column: a query matches across all of them, then ranks title hits first, text hits next, hits that
# need the metadata last, and by bm25 / ts_rank inside each tier.


def _fts5_expression(groups: QueryGroups) -> str:
    def quoted(term: str) -> str:
        return '"' + term.replace('"', '""') + '"'

    return " AND ".join(
        "(" + " OR ".join("(" + " AND ".join(quoted(t) for t in alt) + ")" for alt in group) + ")" for group in groups
    )


def _tsquery_expression(groups: QueryGroups) -> str:
    def quoted(term: str) -> str:
        return "'" + term.replace("\\", "").replace("'", "''") + "'"

    return " & ".join(
        "(" + " | ".join("(" + " & ".join(quoted(t) for t in alt) + ")" for alt in group) + ")" for group in groups
    )


def _sqlite_ranked_ids(model, groups: QueryGroups, cap: int) -> list[int] | None:
    """SQLite fast path over Wagtail's own FTS5 index table: the MATCHes run first (materialised), then the entries
    are joined by rowid (Wagtail's generic query lets SQLite probe the FTS table once per index entry, which takes
    seconds on a large library). None when the FTS table is missing (Wagtail's query is used instead)."""
    from django.db import DatabaseError, connection

    expression = _fts5_expression(groups)
    ct_ids = _content_type_ids(model)
    placeholders = ", ".join(["%s"] * len(ct_ids))
    fts = "wagtailsearch_indexentry_fts"
    sql = (
        f"WITH m AS MATERIALIZED (SELECT rowid AS rid, rank AS score FROM {fts} WHERE {fts} MATCH %s), "
        f"t AS MATERIALIZED (SELECT rowid AS rid FROM {fts} WHERE {fts} MATCH %s), "
        f"b AS MATERIALIZED (SELECT rowid AS rid FROM {fts} WHERE {fts} MATCH %s) "
        "SELECT e.object_id FROM m JOIN wagtailsearch_indexentry e ON e.id = m.rid "
        f"WHERE e.content_type_id IN ({placeholders}) "
        "ORDER BY (m.rid NOT IN (SELECT rid FROM t)), (m.rid NOT IN (SELECT rid FROM b)), m.score, e.id LIMIT %s"
    )
    params = [
        "{body autocomplete} : (" + expression + ")",
        "{title} : (" + expression + ")",
        "{body} : (" + expression + ")",
        *ct_ids,
        cap,
    ]
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [int(row[0]) for row in cursor.fetchall()]
    except DatabaseError:
        return None


def _postgres_ranked_ids(model, groups: QueryGroups, cap: int) -> list[int] | None:
    """PostgreSQL fast path over Wagtail's index table: GIN indexes on `body` and `autocomplete` answer the match
    (Wagtail's generic query matches `title || body`, which no index serves, so it scans every entry). Each query
    word (group) must be in the body or in the metadata column; one word is not split across the two (rechecking
    `body || autocomplete` per row cost more than the whole search)."""
    from django.db import DatabaseError, connection

    tsquery = _tsquery_expression(groups)
    ct_ids = _content_type_ids(model)
    placeholders = ", ".join(["%s"] * len(ct_ids))
    match_sql: list[str] = []
    match_params: list[str] = []
    for group in groups:
        group_query = _tsquery_expression([group])
        match_sql.append("(body @@ to_tsquery(%s) OR autocomplete @@ to_tsquery('simple', %s))")
        match_params += [group_query, group_query]
    sql = (
        "SELECT object_id FROM wagtailsearch_indexentry "
        f"WHERE content_type_id IN ({placeholders}) AND {' AND '.join(match_sql)} "
        "ORDER BY CASE WHEN title @@ to_tsquery(%s) THEN 0 WHEN body @@ to_tsquery(%s) THEN 1 ELSE 2 END, "
        "ts_rank(body, to_tsquery(%s)) DESC, id LIMIT %s"
    )
    params = [*ct_ids, *match_params, tsquery, tsquery, tsquery, cap]
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [int(row[0]) for row in cursor.fetchall()]
    except DatabaseError:
        return None


def wagtail_search_query(groups: QueryGroups):
    """The same query for Wagtail's generic search (backends without our fast path)."""
    from wagtail.search.query import And, Or, PlainText

    def alt_query(alt: list[str]):
        return PlainText(" ".join(alt), operator="and")

    parts = [alt_query(g[0]) if len(g) == 1 else Or([alt_query(a) for a in g]) for g in groups]
    return parts[0] if len(parts) == 1 else And(parts)


def ranked_page_ids(
    query: str, *, model: type | None = None, cap: int = 5000, groups: QueryGroups | None = None
) -> list[int] | None:
    """Ids of pages (any status) matching a Chinese query, best first; None when the database has no fast path."""
    from django.db import connection
    from wagtail.models import Page

    groups = search_query_groups(query) if groups is None else groups
    if not groups:
        return []
    fast_path = {"sqlite": _sqlite_ranked_ids, "postgresql": _postgres_ranked_ids}.get(connection.vendor)
    return fast_path(model or Page, groups, cap=cap) if fast_path else None


def _specific_in_order(model, ids: list[int]) -> list:
    from wagtail.models import Page

    pages = model.objects.filter(pk__in=ids)
    if model is Page:
        pages = pages.specific()
    by_id = {p.pk: p for p in pages}
    return [by_id[pk] for pk in ids if pk in by_id]


def search_pages(query: str, *, model: type | None = None, queryset: QuerySet | None = None, limit: int | None = None):
    """Live pages matching a Chinese query: the query is segmented like the index (jieba words, then character
    bigrams inside each word), punctuation dropped, synonym terms widened (违建 → 违法建设), every word required.
    A query that cites a law article ("处罚法33条") also returns, first, the pages citing that article.
    Returns specific pages, best first."""
    from wagtail.models import Page

    groups = search_query_groups(query)
    if not groups:
        return []
    model = model or Page
    qs = queryset if queryset is not None else model.objects.live()
    cited = citing_page_ids(query) if parse_refs(query) else []
    if cited:
        allowed_cited = set(qs.filter(pk__in=cited).values_list("pk", flat=True))
        cited = [pk for pk in cited if pk in allowed_cited]
    ranked = ranked_page_ids(query, model=model, groups=groups)
    if ranked is not None:
        # Walk the ranking in chunks, keeping the ids the queryset allows (live, filters), until `limit` is met.
        ids: list[int] = list(cited)
        chunk = max(50, 2 * limit) if limit else 1000
        for start in range(0, len(ranked), chunk):
            part = [pk for pk in ranked[start : start + chunk] if pk not in cited]
            allowed = set(qs.filter(pk__in=part).values_list("pk", flat=True))
            ids += [pk for pk in part if pk in allowed]
            if limit is not None and len(ids) >= limit:
                break
        return _specific_in_order(model, ids[:limit] if limit is not None else ids)
    results = qs.search(wagtail_search_query(groups))
    pages = list(results[:limit] if limit is not None else results)
    if model is Page:
        pages = [p.specific for p in pages]
    head = _specific_in_order(model, cited)
    return head + [p for p in pages if p.pk not in set(cited)]


# ---------------------------------------------------------------------------
# Citation queries ("行政处罚法第三十三条", "处罚法33条")
# ---------------------------------------------------------------------------


def parse_refs(query: str) -> bool:
    """Whether the query reads as a citation at all (cheap check before any database work)."""
    from .lawrefs import parse_article_refs

    return bool(parse_article_refs(query))


def articles_cited_by_query(query: str) -> list[Article]:
    """The articles a query cites, resolved like exam questions' law_refs; [] when it cites none."""
    if not parse_refs(query):
        return []
    ids, _unresolved = articles_for_refs([query])
    by_id = Article.objects.select_related("law").in_bulk(ids)
    return [by_id[pk] for pk in ids if pk in by_id]


def citing_page_ids(query: str) -> list[int]:
    """Pages (cases, lessons) citing an article the query cites, in tree order; any status (callers filter)."""
    from wagtail.models import Page

    articles = articles_cited_by_query(query)
    if not articles:
        return []
    page_cts = _content_type_ids(Page)
    object_ids = ArticleCitation.objects.filter(article__in=articles, content_type_id__in=page_cts).values("object_id")
    return list(Page.objects.filter(pk__in=object_ids).order_by("path").values_list("pk", flat=True))


@dataclass(frozen=True)
class CitationHits:
    articles: list[Article]
    other: list[tuple[str, list[tuple[str, str | None]]]]  # (kind label, [(title, admin url)]) e.g. 试题


def citation_hits_for(query: str, *, include_non_pages: bool) -> CitationHits | None:
    """For a citation query: the cited articles and, when `include_non_pages` (trainers: officers must not see
    bank questions), the other registered objects citing them (exam questions ...), active ones only."""
    from wagtail.models import Page

    from .citations import citing_kinds

    articles = articles_cited_by_query(query)
    if not articles:
        return None
    other: list[tuple[str, list[tuple[str, str | None]]]] = []
    if include_non_pages:
        for kind in citing_kinds():
            if issubclass(kind.model, Page):
                continue
            ct = ContentType.objects.get_for_model(kind.model, for_concrete_model=False)
            object_ids = ArticleCitation.objects.filter(article__in=articles, content_type=ct).values("object_id")
            objects = [
                o for o in kind.model._default_manager.filter(pk__in=object_ids).order_by("pk") if kind.is_active(o)
            ]
            if objects:
                other.append((kind.label, [(kind.title(o), kind.admin_url(o)) for o in objects[:100]]))
    return CitationHits(articles=articles, other=other)


def search_laws(query: str):
    from .models import Law

    terms = segment_query(query)
    if not terms:
        return []
    from wagtail.search.backends import get_search_backend

    backend = get_search_backend()
    return list(backend.search(terms, Article, operator="and")) + list(backend.search(terms, Law, operator="and"))


@dataclass(frozen=True)
class CaseFilters:
    category: str = ""  # ViolationCategory.code
    kind: str = ""
    law: int | None = None
    year: int | None = None
    q: str = ""


def cases_filtered(*, library=None, filters: CaseFilters) -> list[CasePage] | QuerySet[CasePage]:
    qs = CasePage.objects.live().select_related("category")
    if library is not None:
        qs = qs.descendant_of(library)
    if filters.category:
        qs = qs.filter(category__code=filters.category)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.law:
        qs = qs.filter(legal_basis__article__law_id=filters.law).distinct()
    if filters.year:
        qs = qs.filter(decided_on__year=filters.year)
    qs = qs.order_by("-decided_on", "-pk")
    if filters.q:
        return search_pages(filters.q, model=CasePage, queryset=CasePage.objects.live().filter(pk__in=qs.values("pk")))
    return qs


def case_filter_options() -> dict:
    from .models import Law

    years = sorted(
        {d.year for d in CasePage.objects.live().exclude(decided_on=None).values_list("decided_on", flat=True)},
        reverse=True,
    )
    return {
        "categories": list(ViolationCategory.objects.all()),
        "kinds": CasePage.Kind.choices,
        "laws": list(Law.objects.filter(articles__isnull=False).distinct()),
        "years": years,
    }


def lessons_of_course(course: CoursePage) -> QuerySet[LessonPage]:
    return LessonPage.objects.live().child_of(course).order_by("path")


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except (TypeError, ValueError, OverflowError):
        return None


def case_filters_from(params) -> CaseFilters:
    """The case library's filters from a query string, each bounded (unknown values are ignored)."""
    return CaseFilters(
        category=(params.get("category") or "")[:40],
        kind=(params.get("kind") or "") if params.get("kind") in CasePage.Kind.values else "",
        law=_int_or_none(params.get("law")),
        year=_int_or_none(params.get("year")),
        q=(params.get("q") or "").strip()[:100],
    )


def case_library_listing(*, library, params) -> dict:
    """What the case library page shows for a query string: filtered cases (20 a page), filter options and the
    library's compilations."""
    from django.core.paginator import Paginator

    filters = case_filters_from(params)
    paginator = Paginator(cases_filtered(library=library, filters=filters), 20)
    return {
        "filters": filters,
        "options": case_filter_options(),
        "cases": paginator.get_page(params.get("page")),
        "total": paginator.count,
        "querystring": urlencode({k: v for k, v in params.items() if k != "page" and v}),
        "compilations": CompilationPage.objects.live().child_of(library),
    }


def site_search_citations(query: str, user) -> CitationHits | None:
    """The citation part of the site search for this reader: bank questions only for trainers and admins."""
    from org.scopes import roles_of

    roles = roles_of(user)
    return citation_hits_for(query, include_non_pages=roles.is_trainer or roles.is_admin)

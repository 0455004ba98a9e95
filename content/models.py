"""Content of 执法学堂: laws and their article versions, law courses and lessons, the case library and
compilations (Wagtail pages), and the one citation mechanism through which anything cites an article.

Writes go through content.services, reads through content.selectors. No business logic in save().
"""

from __future__ import annotations

import re

from django import forms
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from . import blocks
from .text import plain_text, segment_for_index

# ---------------------------------------------------------------------------
# Small taxonomies (snippets)
# ---------------------------------------------------------------------------


class CodedTaxonomy(models.Model):
    """A small editable list keyed by a stable code (other apps store the code, people see the name)."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=40, unique=True)
    # Shown instead of the name when the interface is in English (blank: the Chinese name).
    name_en = models.CharField(_("英文名称"), max_length=80, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    panels = [FieldPanel("code"), FieldPanel("name"), FieldPanel("name_en"), FieldPanel("sort_order")]

    class Meta:
        abstract = True
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        from org.naming import display_name

        return display_name(self)


class CreditCategory(CodedTaxonomy):
    """学时类别 (法治教育, 业务培训 ...). The learning app reads it through content.selectors.credit_categories()."""

    class Meta(CodedTaxonomy.Meta):
        verbose_name = _("学时类别")
        verbose_name_plural = _("学时类别")


class ViolationCategory(CodedTaxonomy):
    """违法行为类别 of the case library (违法建设, 占道经营 ...)."""

    class Meta(CodedTaxonomy.Meta):
        verbose_name = _("违法行为类别")
        verbose_name_plural = _("违法行为类别")


class SearchSynonym(models.Model):
    """A shorthand officers type and what it stands for (违建 → 违法建设). Trainers edit the list (snippet in
    法规与分类); search looks for the term OR any of its expansions."""

    term = models.CharField(_("检索词"), max_length=40, unique=True, help_text=_("如:违建"))
    expansions = models.TextField(_("同义词/全称"), help_text=_("每行一个,或用顿号、逗号分隔,如:违法建设、违章搭建"))

    panels = [FieldPanel("term"), FieldPanel("expansions")]

    class Meta:
        ordering = ["term"]
        verbose_name = _("检索同义词")
        verbose_name_plural = _("检索同义词")

    def __str__(self) -> str:
        return self.term

    def expansion_list(self) -> list[str]:
        words = [w.strip() for w in _SYNONYM_SEPARATORS.split(self.expansions or "")]
        return [w for w in dict.fromkeys(words) if w and w != self.term.strip()]


_SYNONYM_SEPARATORS = re.compile(r"[\n\r,,、;;/|]+")


# ---------------------------------------------------------------------------
# Laws, articles and their versions
# ---------------------------------------------------------------------------


class Law(index.Indexed, models.Model):
    class Level(models.TextChoices):
        LAW = "law", _("法律")
        REGULATION = "regulation", _("法规")
        RULE = "rule", _("规章")
        NORMATIVE = "normative", _("规范性文件")

    title = models.CharField(_("名称"), max_length=200, unique=True)
    short_title = models.CharField(_("简称"), max_length=80, blank=True)
    level = models.CharField(_("效力层级"), max_length=20, choices=Level.choices, default=Level.LAW)
    issuing_body = models.CharField(_("制定机关"), max_length=120)
    doc_number = models.CharField(_("文号"), max_length=120, blank=True)
    effective_on = models.DateField(_("施行日期"))
    summary = models.TextField(_("简介"), blank=True)

    panels = [
        FieldPanel("title"),
        FieldPanel("short_title"),
        FieldRowPanel([FieldPanel("level"), FieldPanel("effective_on")]),
        FieldPanel("issuing_body"),
        FieldPanel("doc_number"),
        FieldPanel("summary"),
    ]
    search_fields = [
        index.SearchField("title"),
        index.SearchField("search_text"),
        index.AutocompleteField("title"),
        index.FilterField("level"),
    ]

    class Meta:
        ordering = ["level", "title"]
        verbose_name = _("法律法规")
        verbose_name_plural = _("法律法规")

    def __str__(self) -> str:
        return self.title

    def search_text(self) -> str:
        return segment_for_index(self.title, self.short_title, self.issuing_body, self.summary)


class Article(index.Indexed, ClusterableModel):
    """One 条 of a law. Its text lives in versions: an amendment adds a version from an effective date."""

    law = models.ForeignKey(Law, on_delete=models.PROTECT, related_name="articles", verbose_name=_("法律法规"))
    number = models.PositiveIntegerField(_("条序号"), help_text=_("用于排序,如第三十二条填 32"))
    label = models.CharField(_("条号"), max_length=40, help_text=_("如:第三十二条"))
    chapter = models.CharField(_("章节"), max_length=120, blank=True)

    panels = [
        FieldPanel("law"),
        FieldRowPanel([FieldPanel("number"), FieldPanel("label")]),
        FieldPanel("chapter"),
        InlinePanel("versions", label=_("条文版本"), min_num=1),
    ]
    search_fields = [
        index.SearchField("label"),
        index.SearchField("search_text"),
        index.FilterField("law"),
    ]

    class Meta:
        ordering = ["law", "number"]
        constraints = [models.UniqueConstraint(fields=["law", "number"], name="content_article_law_number_unique")]
        verbose_name = _("法条")
        verbose_name_plural = _("法条")

    def __str__(self) -> str:
        return f"{self.law.short_title or self.law.title} {self.label}"

    def search_text(self) -> str:
        texts = [v.text for v in self.versions.all()]
        return segment_for_index(self.law.title, self.label, self.chapter, *texts)


class ArticleVersion(Orderable):
    """The text of an article in force from `effective_from`. Old versions stay readable."""

    article = ParentalKey(Article, on_delete=models.CASCADE, related_name="versions")
    text = models.TextField(_("条文"))
    effective_from = models.DateField(_("施行日期"))
    source_note = models.CharField(_("修订说明"), max_length=200, blank=True, help_text=_("如:2021年修订"))
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    panels = [FieldPanel("effective_from"), FieldPanel("source_note"), FieldPanel("text")]

    class Meta(Orderable.Meta):
        ordering = ["effective_from", "id"]
        verbose_name = _("条文版本")
        verbose_name_plural = _("条文版本")

    def __str__(self) -> str:
        return f"{self.article_id}@{self.effective_from}"


class ArticleCitation(models.Model):
    """THE reference mechanism: any object (a lesson, a case, later an exam question) citing an article.

    `version` is the version the citing text was written against. When a newer version appears, the row is
    flagged (needs_review) until an editor marks it reviewed. Higher apps register their citing models with
    content.citations.register_citing_model() and write rows through content.services.citation_add().
    """

    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="citations", verbose_name=_("法条"))
    version = models.ForeignKey(
        ArticleVersion, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("引用版本")
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    citing_object = GenericForeignKey("content_type", "object_id")
    created_at = models.DateTimeField(default=timezone.now)
    needs_review = models.BooleanField(_("待复核"), default=False)
    flagged_at = models.DateTimeField(null=True, blank=True)
    flagged_version = models.ForeignKey(
        ArticleVersion, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "article"], name="content_citation_once_per_object"
            )
        ]
        indexes = [models.Index(fields=["content_type", "object_id"]), models.Index(fields=["needs_review"])]
        verbose_name = _("法条引用")
        verbose_name_plural = _("法条引用")

    def __str__(self) -> str:
        return f"{self.content_type_id}:{self.object_id} -> {self.article_id}"


# ---------------------------------------------------------------------------
# Pages
# ---------------------------------------------------------------------------


def _this_year() -> int:
    return timezone.localdate().year


class SegmentedTitleField(index.SearchField):
    """Wagtail's `title` search field with a jieba-segmented value: the index's title column then holds Chinese
    words, so search can tell a title hit from a hit in the body (content.selectors ranks title hits first)."""

    def get_value(self, obj):
        return segment_for_index(obj.title)


def segmented_page_search_fields(*extra) -> list:
    """Page.search_fields plus our zones: the segmented title joins Wagtail's raw one in the index's title column,
    `search_text` (title and text) goes to its body column, `search_meta` (case number, category, handling unit)
    to its autocomplete column, so metadata is findable but ranks below the text (content.selectors reads the
    three columns)."""
    return [
        *Page.search_fields,
        SegmentedTitleField("title", boost=2),
        index.SearchField("search_text"),
        index.AutocompleteField("search_meta"),
        *extra,
    ]


class SegmentedSearchMixin:
    """Pages index a jieba-segmented copy of their text, so Chinese words match inside longer phrases."""

    def search_parts(self) -> list[str]:
        return [self.title, getattr(self, "search_description", "")]

    def search_meta_parts(self) -> list[str]:
        return []

    def search_text(self) -> str:
        return segment_for_index(*self.search_parts())

    def search_meta(self) -> str:
        return segment_for_index(*self.search_meta_parts())


class LearningHomePage(SegmentedSearchMixin, Page):
    """学习平台: the root of the content tree and the default Site's root (served under /learn/)."""

    intro = RichTextField(_("简介"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = segmented_page_search_fields()
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["content.CourseIndexPage", "content.CaseLibraryPage"]
    max_count = 1
    template = "content/learning_home_page.html"

    class Meta:
        verbose_name = _("学习平台首页")

    def get_context(self, request, *args, **kwargs):
        from .selectors import search_pages, site_search_citations

        context = super().get_context(request, *args, **kwargs)
        query = (request.GET.get("q") or "").strip()[:100]
        context["query"] = query
        context["results"] = search_pages(query, limit=50) if query else []
        context["citation"] = site_search_citations(query, request.user) if query else None
        context["sections"] = self.get_children().live().specific()
        return context


class CourseIndexPage(SegmentedSearchMixin, Page):
    intro = RichTextField(_("简介"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = segmented_page_search_fields()
    parent_page_types = ["content.LearningHomePage"]
    subpage_types = ["content.CoursePage"]
    template = "content/course_index_page.html"

    class Meta:
        verbose_name = _("法律课程目录")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["courses"] = (
            CoursePage.objects.live().child_of(self).select_related("credit_category").order_by("-year", "path")
        )
        return context


class CoursePage(SegmentedSearchMixin, Page):
    summary = models.TextField(_("课程简介"), blank=True)
    audience = ParentalManyToManyField("org.RoleCategory", blank=True, verbose_name=_("适用人员类别"))
    credit_category = models.ForeignKey(
        CreditCategory, on_delete=models.PROTECT, null=True, verbose_name=_("学时类别"), related_name="+"
    )
    required = models.BooleanField(_("必修"), default=True)
    year = models.PositiveSmallIntegerField(_("年度"), default=_this_year)

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldPanel("audience", widget=forms.CheckboxSelectMultiple),
                FieldRowPanel([FieldPanel("credit_category"), FieldPanel("required"), FieldPanel("year")]),
            ],
            heading=_("学时与对象"),
        ),
    ]
    search_fields = segmented_page_search_fields(index.FilterField("year"), index.FilterField("required"))
    parent_page_types = ["content.CourseIndexPage"]
    subpage_types = ["content.LessonPage"]
    template = "content/course_page.html"

    class Meta:
        verbose_name = _("法律课程")

    def search_parts(self) -> list[str]:
        return [self.title, self.summary]

    def get_context(self, request, *args, **kwargs):
        from .selectors import lessons_of_course

        context = super().get_context(request, *args, **kwargs)
        context["lessons"] = lessons_of_course(self)
        return context


class LessonPage(SegmentedSearchMixin, Page):
    credited_minutes = models.PositiveIntegerField(_("计入学时(分钟)"), default=30)
    body = StreamField(blocks.LessonBodyBlock(), blank=True, verbose_name=_("课时内容"))

    content_panels = [*Page.content_panels, FieldPanel("credited_minutes"), FieldPanel("body")]
    search_fields = segmented_page_search_fields()
    parent_page_types = ["content.CoursePage"]
    subpage_types: list[str] = []
    template = "content/lesson_page.html"

    class Meta:
        verbose_name = _("课时")

    def search_parts(self) -> list[str]:
        parts = [self.title]
        for child in self.body:
            if child.block_type == "text":
                parts.append(plain_text(child.value.source))
            elif child.block_type in ("video", "attachment"):
                parts.append(child.value.get("caption") or child.value.get("title") or "")
        return parts

    def cited_article_ids(self) -> list[int]:
        ids = []
        for child in self.body:
            if child.block_type == "law_article" and child.value.get("article") is not None:
                ids.append(child.value["article"].pk)
        return ids

    def get_context(self, request, *args, **kwargs):
        from .selectors import review_notices_for

        context = super().get_context(request, *args, **kwargs)
        context["review_notices"] = review_notices_for(self)
        siblings = list(LessonPage.objects.live().sibling_of(self).order_by("path").only("pk", "title", "url_path"))
        index = next((i for i, p in enumerate(siblings) if p.pk == self.pk), None)
        if index is not None:
            context["prev_lesson"] = siblings[index - 1] if index > 0 else None
            context["next_lesson"] = siblings[index + 1] if index + 1 < len(siblings) else None
        return context


class CaseLibraryPage(SegmentedSearchMixin, Page):
    intro = RichTextField(_("简介"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = segmented_page_search_fields()
    parent_page_types = ["content.LearningHomePage"]
    subpage_types = ["content.CasePage", "content.CompilationPage"]
    template = "content/case_library_page.html"

    class Meta:
        verbose_name = _("案例库")

    def get_context(self, request, *args, **kwargs):
        from .selectors import case_library_listing

        context = super().get_context(request, *args, **kwargs)
        context.update(case_library_listing(library=self, params=request.GET))
        return context


class CasePage(SegmentedSearchMixin, Page):
    class Kind(models.TextChoices):
        TYPICAL = "typical", _("典型案例")
        GUIDING = "guiding", _("指导案例")
        MODEL_FILE = "model_file", _("优秀案卷范本")
        OFF_SITE = "off_site", _("非现场执法案例")

    case_number = models.CharField(_("案号"), max_length=80, blank=True)
    category = models.ForeignKey(
        ViolationCategory, on_delete=models.PROTECT, null=True, verbose_name=_("违法行为类别"), related_name="+"
    )
    kind = models.CharField(_("案例类型"), max_length=20, choices=Kind.choices, default=Kind.TYPICAL)
    facts = models.TextField(_("基本案情"))
    evidence = models.TextField(_("证据"), blank=True)
    discretion = models.TextField(_("裁量基准适用"), blank=True)
    decision = models.TextField(_("处理决定"), blank=True)
    penalty_amount = models.DecimalField(_("罚款金额(元)"), max_digits=12, decimal_places=2, null=True, blank=True)
    key_points = models.TextField(_("评析要点"), blank=True)
    source_unit = models.CharField(_("来源单位"), max_length=120, blank=True)
    decided_on = models.DateField(_("决定日期"), null=True, blank=True)

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("case_number"), FieldPanel("kind")]),
        FieldRowPanel([FieldPanel("category"), FieldPanel("decided_on")]),
        FieldPanel("source_unit"),
        FieldPanel("facts"),
        FieldPanel("evidence"),
        InlinePanel("legal_basis", label=_("法律依据")),
        FieldPanel("discretion"),
        FieldPanel("decision"),
        FieldPanel("penalty_amount"),
        FieldPanel("key_points"),
    ]
    search_fields = segmented_page_search_fields(
        index.FilterField("category"), index.FilterField("kind"), index.FilterField("decided_on")
    )
    parent_page_types = ["content.CaseLibraryPage"]
    subpage_types: list[str] = []
    template = "content/case_page.html"

    class Meta:
        verbose_name = _("案例")

    def search_parts(self) -> list[str]:
        return [self.title, self.facts, self.key_points, self.decision]

    def search_meta_parts(self) -> list[str]:
        # Findable, but never above a hit in the title or the text (a 渣土运输执法中队 case about dog leashes).
        return [
            self.case_number,
            self.category.name if self.category_id else "",
            self.get_kind_display(),
            self.source_unit,
        ]

    def cited_article_ids(self) -> list[int]:
        return [item.article_id for item in self.legal_basis.all() if item.article_id]

    def get_context(self, request, *args, **kwargs):
        from .selectors import article_display, review_notices_for

        context = super().get_context(request, *args, **kwargs)
        context["review_notices"] = review_notices_for(self)
        context["legal_basis"] = [
            {"shown": article_display(article=item.article), "note": item.note}
            for item in self.legal_basis.select_related("article__law").prefetch_related("article__versions")
        ]
        return context


class CaseLegalBasis(Orderable):
    page = ParentalKey(CasePage, on_delete=models.CASCADE, related_name="legal_basis")
    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="+", verbose_name=_("法条"))
    note = models.CharField(_("说明"), max_length=200, blank=True)

    panels = [FieldPanel("article"), FieldPanel("note")]

    class Meta(Orderable.Meta):
        verbose_name = _("法律依据")


class CompilationPage(RoutablePageMixin, SegmentedSearchMixin, Page):
    """案例汇编: a trainer's ordered selection of cases with a foreword, downloadable as PDF."""

    foreword = models.TextField(_("前言"), blank=True)
    compiled_by = models.CharField(_("编印单位"), max_length=120, blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("compiled_by"),
        FieldPanel("foreword"),
        InlinePanel("items", label=_("收录案例")),
    ]
    search_fields = segmented_page_search_fields()
    parent_page_types = ["content.CaseLibraryPage"]
    subpage_types: list[str] = []
    template = "content/compilation_page.html"

    class Meta:
        verbose_name = _("案例汇编")

    def search_parts(self) -> list[str]:
        return [self.title, self.foreword]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["cases"] = self.cases_live()
        return context

    def cases_live(self) -> list[CasePage]:
        items = self.items.select_related("case__category").order_by("sort_order")
        return [item.case for item in items if item.case.live]

    @path("")
    def index(self, request):
        return self.render(request)

    @path("pdf/", name="pdf")
    def pdf(self, request):
        """The compilation as a PDF (table of contents, page numbers, embedded CJK font)."""
        from .pdf import compilation_pdf_bytes

        response = HttpResponse(compilation_pdf_bytes(compilation=self), content_type="application/pdf")
        response["Content-Disposition"] = f"attachment; filename=compilation-{self.pk}.pdf"
        return response


class CompilationItem(Orderable):
    page = ParentalKey(CompilationPage, on_delete=models.CASCADE, related_name="items")
    case = models.ForeignKey(CasePage, on_delete=models.PROTECT, related_name="+", verbose_name=_("案例"))

    panels = [FieldPanel("case")]

    class Meta(Orderable.Meta):
        verbose_name = _("收录案例")

    def clean(self) -> None:
        if self.case_id and not isinstance(self.case, CasePage):
            raise ValidationError(_("只能收录案例页面"))


# Every page of ours uses the form that gives a retried new page a free slug (content/page_forms.py).
def _use_page_form() -> None:
    from .page_forms import ZhifaPageForm

    for model in (
        LearningHomePage,
        CourseIndexPage,
        CoursePage,
        LessonPage,
        CaseLibraryPage,
        CasePage,
        CompilationPage,
    ):
        model.base_form_class = ZhifaPageForm


_use_page_form()

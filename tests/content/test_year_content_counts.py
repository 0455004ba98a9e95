"""content.selectors.year_content_counts: what the content side did in a year (the reports' content figures)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from content import services
from content.models import ArticleCitation, CasePage, CompilationItem, CompilationPage
from content.selectors import year_content_counts
from tests.content.conftest import make_case


def _first_published(page, year: int, month: int = 6) -> None:
    when = dt.datetime(year, month, 1, 10, tzinfo=timezone.get_current_timezone())
    type(page).objects.filter(pk=page.pk).update(first_published_at=when)


def test_cases_compilations_amendments_and_reviews_of_the_year(tree, article):
    this_year = [make_case(tree, title=f"占道经营案{i}", articles=[article]) for i in range(3)]
    old = make_case(tree, title="去年的案例")
    hidden = make_case(tree, title="未发布的案例", publish=False)
    for case in this_year:
        _first_published(case, 2026)
    _first_published(old, 2025)
    # 31 Dec 2025 23:30 in Shanghai is still 2025 (UTC would say 15:30 the same day; the boundary is local)
    late = make_case(tree, title="年末发布的案例")
    CasePage.objects.filter(pk=late.pk).update(
        first_published_at=dt.datetime(2025, 12, 31, 23, 30, tzinfo=timezone.get_current_timezone())
    )
    compilation = CompilationPage(title="2026年典型案例汇编", foreword="法制科精选", compiled_by="法制科")
    compilation.items = [CompilationItem(case=c) for c in this_year]
    tree["cases"].add_child(instance=compilation)
    compilation.save_revision().publish()
    _first_published(compilation, 2026, 9)

    # the article's first version (2021) is not an amendment; a new version in force from 2026 is
    services.article_amend(article=article, text="修订后的条文。", effective_from=dt.date(2026, 3, 1))
    flagged = list(ArticleCitation.objects.filter(needs_review=True))
    assert len(flagged) == 3  # the three cases cite it
    for citation in flagged[:2]:
        services.citation_mark_reviewed(citation=citation, actor=None)

    assert hidden.live is False
    assert year_content_counts(year=2026) == {
        "cases_published": 3,
        "compilations_issued": 1,
        "articles_amended": 1,
        "citations_reviewed": 2,
    }
    counts_2025 = year_content_counts(year=2025)
    assert counts_2025["cases_published"] == 2  # the old one and the one published late on 31 Dec
    assert counts_2025["articles_amended"] == 0 and counts_2025["citations_reviewed"] == 0

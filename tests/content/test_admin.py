"""The Wagtail admin paths: snippets for laws, citations synced when pages are saved in /cms/, amendments
entered in the article snippet flag citing pages."""

import datetime as dt

import pytest
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from content.models import ArticleCitation, ArticleVersion, CasePage, ViolationCategory
from tests.factories import OfficerFactory, grant, unit

from .conftest import make_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def trainer(tree):
    officer = OfficerFactory(unit=unit("测试区城管局/法制科"))
    grant(officer.user, "trainer")
    return officer.user


def test_snippet_admin_access(client, trainer, officer, article):
    urls = [
        "/cms/snippets/content/law/",
        "/cms/snippets/content/article/",
        f"/cms/snippets/content/article/edit/{article.pk}/",
    ]
    assert client.get(urls[0]).status_code == 302  # anonymous
    client.force_login(officer.user)
    for url in urls:
        assert client.get(url).status_code in (302, 403)
    client.force_login(trainer)
    for url in urls:
        r = client.get(url)
        assert r.status_code == 200, url
    assert "行政处罚法" in client.get(urls[1]).content.decode()


def test_case_saved_in_admin_records_its_citations(client, tree, trainer, article):
    client.force_login(trainer)
    data = nested_form_data(
        {
            "title": "后台录入的占道经营案",
            "slug": "admin-case",
            "case_number": "",
            "kind": "typical",
            "category": ViolationCategory.objects.get(code="street_vending").pk,
            "decided_on": "2026-11-01",
            "source_unit": "",
            "facts": "当事人占道经营。",
            "evidence": "",
            "legal_basis": inline_formset([{"article": article.pk, "note": "首违不罚"}]),
            "discretion": "",
            "decision": "",
            "penalty_amount": "",
            "key_points": "",
        }
    )
    r = client.post(f"/cms/pages/add/content/casepage/{tree['cases'].pk}/", data)
    assert r.status_code == 302, r.content.decode()[:2000]
    case = CasePage.objects.get(slug="admin-case")
    assert list(ArticleCitation.objects.filter(object_id=case.pk).values_list("article_id", flat=True)) == [article.pk]


def test_amendment_entered_in_article_snippet_flags_citing_pages(client, tree, trainer, article):
    case = make_case(tree, articles=[article])
    old = article.versions.get()
    client.force_login(trainer)
    data = nested_form_data(
        {
            "law": article.law_id,
            "number": "33",
            "label": "第三十三条",
            "chapter": "",
            "versions": inline_formset(
                [
                    {"id": old.pk, "effective_from": "2021-07-15", "source_note": "", "text": old.text},
                    {"effective_from": "2026-11-01", "source_note": "2026年修正", "text": "修正后的条文。"},
                ],
                initial=1,
                min=1,
            ),
        }
    )
    r = client.post(f"/cms/snippets/content/article/edit/{article.pk}/", data)
    assert r.status_code == 302, r.content.decode()[:3000]
    assert ArticleVersion.objects.filter(article=article).count() == 2
    citation = ArticleCitation.objects.get(object_id=case.pk, article=article)
    assert citation.needs_review and citation.flagged_version.effective_from == dt.date(2026, 11, 1)

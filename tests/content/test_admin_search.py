"""Wagtail's admin page search, page listing search and page chooser (a trainer building a compilation) go
through content.search_backend: Chinese words, synonyms and title-first ranking, like the site search."""

import pytest
from django.urls import reverse
from wagtail.models import Page

from content.models import CasePage, SearchSynonym
from tests.factories import OfficerFactory, grant, unit

from .conftest import make_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def trainer(tree):
    officer = OfficerFactory(unit=unit("测试区城管局/法制科"))
    grant(officer.user, "trainer")
    return officer.user


@pytest.fixture
def cases(tree):
    return {
        "muck": make_case(tree, title="渣土车沿途抛洒案", facts="未密闭运输,沿途抛洒泥土。", category="muck_transport"),
        "dog": make_case(
            tree, title="携犬出户未束犬链案", facts="未束犬链。", category="dog_keeping", source_unit="渣土运输执法中队"
        ),
        "ads": make_case(tree, title="户外广告牌未经审批案", facts="擅自设置户外广告牌。", category="outdoor_ads"),
        "draft": make_case(tree, title="草稿:夜间渣土撒漏案", facts="夜间撒漏。", publish=False),
    }


def test_page_chooser_search_finds_chinese_words(client, trainer, cases):
    client.force_login(trainer)
    url = reverse("wagtailadmin_choose_page_search")
    for query in ("渣土", "抛洒"):
        r = client.get(url, {"q": query, "page_type": "content.casepage"})
        assert r.status_code == 200
        html = r.content.decode()
        assert "渣土车沿途抛洒案" in html, query
        assert "户外广告牌未经审批案" not in html
    html = client.get(url, {"q": "渣土", "page_type": "content.casepage"}).content.decode()
    # trainers compile drafts too; the title hit comes before the case that only has 渣土 in its handling unit
    assert "草稿:夜间渣土撒漏案" in html
    assert html.index("渣土车沿途抛洒案") < html.index("携犬出户未束犬链案")


def test_page_chooser_search_uses_synonyms(client, trainer, cases):
    client.force_login(trainer)
    url = reverse("wagtailadmin_choose_page_search")
    assert "户外广告牌未经审批案" not in client.get(url, {"q": "广告招牌"}).content.decode()
    SearchSynonym.objects.create(term="广告招牌", expansions="户外广告")
    assert "户外广告牌未经审批案" in client.get(url, {"q": "广告招牌"}).content.decode()


def test_admin_page_search_finds_chinese_words_with_facets(client, trainer, cases):
    client.force_login(trainer)
    r = client.get(reverse("wagtailadmin_pages:search"), {"q": "抛洒"})
    assert r.status_code == 200
    html = r.content.decode()
    assert "渣土车沿途抛洒案" in html and "户外广告牌未经审批案" not in html
    assert "案例" in html  # the content-type facet


def test_page_listing_search_inside_the_case_library(client, trainer, tree, cases):
    client.force_login(trainer)
    r = client.get(reverse("wagtailadmin_explore", args=[tree["cases"].pk]), {"q": "渣土"})
    assert r.status_code == 200
    html = r.content.decode()
    assert "渣土车沿途抛洒案" in html and "户外广告牌未经审批案" not in html


def test_officers_cannot_use_the_chooser(client, officer, cases):
    client.force_login(officer.user)
    r = client.get(reverse("wagtailadmin_choose_page_search"), {"q": "渣土"})
    assert r.status_code in (302, 403)


def test_backend_autocomplete_paginates_counts_and_leaves_other_models_alone(cases):
    from wagtail.search.backends import get_search_backend

    backend = get_search_backend()
    results = backend.autocomplete("渣土", CasePage.objects.all())
    assert results.count() == 3 and len(results[:2]) == 2 and results[0].pk == cases["muck"].pk
    live = Page.objects.live().autocomplete("渣土")
    assert {p.pk for p in live} == {cases["muck"].pk, cases["dog"].pk}
    assert backend.autocomplete("", CasePage.objects.all()).count() == 0


def test_trainers_edit_the_synonym_list_in_the_laws_menu(client, trainer, officer, cases):
    url = "/cms/snippets/content/searchsynonym/"
    client.force_login(officer.user)
    assert client.get(url).status_code in (302, 403)
    client.force_login(trainer)
    assert client.get(url).status_code == 200
    r = client.post(url + "add/", {"term": "违建", "expansions": "违法建设\n违章搭建"})
    assert r.status_code == 302, r.content.decode()[:500]
    synonym = SearchSynonym.objects.get(term="违建")
    assert synonym.expansion_list() == ["违法建设", "违章搭建"]
    assert "检索同义词" in client.get("/cms/").content.decode()  # in the 法规与分类 menu

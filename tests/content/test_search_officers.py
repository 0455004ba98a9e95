"""Search finds what officers type (issue #12): title hits rank above text hits, metadata such as the handling
unit never outranks the text, trainer-edited shorthand (违建 → 违法建设) widens a query, and a citation query
("处罚法33条") returns what cites the article, with bank questions shown to trainers only.
Runs on SQLite and, with DATABASE_URL set, on PostgreSQL (both fast paths and Wagtail's generic query)."""

import pytest

from content import selectors
from content.models import CasePage, SearchSynonym
from tests.exams.factories import question
from tests.factories import OfficerFactory, grant, unit

from .conftest import make_case, make_course, make_lesson

pytestmark = pytest.mark.django_db


@pytest.fixture
def ranked(tree):
    """Three cases that all contain 渣土: in the title, only in the facts, only as the handling unit."""
    return {
        "title": make_case(
            tree,
            title="渣土车沿途抛洒案",
            facts="卡口抓拍显示一辆运输车辆未密闭运输,沿途抛洒泥土约三十米,造成路面污染,群众投诉。" * 2,
            category="muck_transport",
            source_unit="执法一中队",
        ),
        "facts": make_case(
            tree,
            title="工地出入口路面污染案",
            facts="某工地出入口未设置车辆冲洗设施,驶出车辆带泥上路,渣土散落路面。" * 3,
            key_points="注意调取工地监控。",
            category="dust",
            source_unit="执法二中队",
        ),
        "unit": make_case(
            tree,
            title="携犬出户未束犬链案",
            facts="养犬人携犬出户未束犬链。",
            category="dog_keeping",
            source_unit="渣土运输执法中队",
        ),
    }


def _ids(pages):
    return [p.pk for p in pages]


def test_title_hits_first_then_text_then_metadata(ranked):
    found = _ids(selectors.search_pages("渣土", model=CasePage))
    assert found == [ranked["title"].pk, ranked["facts"].pk, ranked["unit"].pk]


def test_metadata_alone_is_still_findable(ranked):
    assert ranked["unit"].pk in _ids(selectors.search_pages("渣土运输执法中队", model=CasePage))
    # words split between the text and the metadata: both required, found across the zones
    assert _ids(selectors.search_pages("犬链 渣土", model=CasePage)) == [ranked["unit"].pk]


def test_generic_wagtail_query_ranks_the_segmented_title_first(ranked, monkeypatch):
    """Without a fast path Wagtail's own query reads the title and body columns (not the metadata column)."""
    monkeypatch.setattr(selectors, "_sqlite_ranked_ids", lambda *a, **k: None)
    monkeypatch.setattr(selectors, "_postgres_ranked_ids", lambda *a, **k: None)
    found = _ids(selectors.search_pages("渣土", model=CasePage))
    assert found == [ranked["title"].pk, ranked["facts"].pk]


def test_site_search_lists_title_hit_before_unit_hit(ranked, client, officer):
    client.force_login(officer.user)
    html = client.get(ranked["title"].get_parent().get_parent().url, {"q": "渣土"}).content.decode()
    assert html.index("渣土车沿途抛洒案") < html.index("工地出入口路面污染案") < html.index("携犬出户未束犬链案")


# --- shorthand ------------------------------------------------------------------------------------------


@pytest.fixture
def building(tree):
    return make_case(
        tree, title="楼顶违法建设案", facts="业主在楼顶搭建彩钢板房,构成违法建设。", category="illegal_building"
    )


def test_shorthand_finds_nothing_without_a_synonym_and_the_cases_with_one(building, tree):
    vending = make_case(tree, title="流动摊贩占道经营案", facts="推车占道经营早点。")
    assert selectors.search_pages("违建", model=CasePage) == []
    SearchSynonym.objects.create(term="违建", expansions="违法建设、违章搭建")
    assert _ids(selectors.search_pages("违建", model=CasePage)) == [building.pk]
    # the other words of the query stay required
    assert _ids(selectors.search_pages("违建 彩钢板", model=CasePage)) == [building.pk]
    assert selectors.search_pages("违建 早点", model=CasePage) == []
    # an edit applies to the next query
    SearchSynonym.objects.filter(term="违建").update(expansions="违法建设\n占道经营")
    assert set(_ids(selectors.search_pages("违建", model=CasePage))) == {building.pk, vending.pk}


def test_synonym_expansion_on_the_generic_wagtail_query(building, monkeypatch):
    SearchSynonym.objects.create(term="违建", expansions="违法建设")
    monkeypatch.setattr(selectors, "_sqlite_ranked_ids", lambda *a, **k: None)
    monkeypatch.setattr(selectors, "_postgres_ranked_ids", lambda *a, **k: None)
    assert _ids(selectors.search_pages("违建", model=CasePage)) == [building.pk]


def test_expansion_list_is_split_on_the_separators_trainers_use():
    synonym = SearchSynonym(term="渣土", expansions="建筑垃圾、渣土运输,散体物料\n渣土\n")
    assert synonym.expansion_list() == ["建筑垃圾", "渣土运输", "散体物料"]


def test_case_library_box_uses_synonyms(building, client, officer):
    SearchSynonym.objects.create(term="违建", expansions="违法建设")
    client.force_login(officer.user)
    html = client.get(building.get_parent().url, {"q": "违建"}).content.decode()
    assert "楼顶违法建设案" in html


# --- citations ------------------------------------------------------------------------------------------


@pytest.fixture
def citing(tree, article):
    cited = make_case(tree, title="早餐摊首次占道经营不予处罚案", facts="当事人及时改正。", articles=[article])
    other = make_case(tree, title="户外广告牌未经审批案", facts="擅自设置户外广告牌。", category="outdoor_ads")
    draft = make_case(tree, title="草稿中的首违不罚案", facts="草稿。", articles=[article], publish=False)
    lesson = make_lesson(make_course(tree), title="第一讲 首违不罚", article=article)
    return {"cited": cited, "other": other, "draft": draft, "lesson": lesson}


@pytest.mark.parametrize(
    "query",
    ["行政处罚法第三十三条", "处罚法33条", "《中华人民共和国行政处罚法》第三十三条", "处罚法 第33条", "行政处罚法33条"],
)
def test_citation_query_returns_the_live_pages_citing_the_article(citing, query):
    found = _ids(selectors.search_pages(query))
    assert citing["cited"].pk in found and citing["lesson"].pk in found
    assert citing["other"].pk not in found and citing["draft"].pk not in found
    assert _ids(selectors.search_pages(query, model=CasePage)) == [citing["cited"].pk]


def test_citation_of_an_unknown_article_finds_nothing_by_citation(citing):
    assert selectors.articles_cited_by_query("处罚法99条") == []
    assert selectors.articles_cited_by_query("占道经营") == []


@pytest.fixture
def cited_question(citing, tree):
    return question(stem="当事人初次违法且及时改正的,应当如何处理?", law_refs=["处罚法33条"])


def test_questions_citing_the_article_are_shown_to_trainers_only(citing, cited_question, client, officer):
    home = citing["cited"].get_parent().get_parent()
    client.force_login(officer.user)
    html = client.get(home.url, {"q": "处罚法33条"}).content.decode()
    assert "早餐摊首次占道经营不予处罚案" in html and "第一讲 首违不罚" in html
    assert "当事人初次违法" not in html

    trainer = OfficerFactory(unit=unit("测试区城管局/法制科")).user
    grant(trainer, "trainer")
    client.force_login(trainer)
    html = client.get(home.url, {"q": "处罚法33条"}).content.decode()
    assert "当事人初次违法" in html and "早餐摊首次占道经营不予处罚案" in html


def test_citation_hits_leave_out_questions_unless_asked(citing, cited_question):
    assert selectors.citation_hits_for("处罚法33条", include_non_pages=False).other == []
    hits = selectors.citation_hits_for("处罚法33条", include_non_pages=True)
    assert [label for label, _items in hits.other] == ["试题"]
    assert selectors.citation_hits_for("占道经营", include_non_pages=True) is None

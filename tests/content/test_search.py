"""Chinese search: Wagtail's database backend does not segment Chinese, so pages index a jieba-segmented copy
of their text and queries are segmented the same way. Runs on SQLite and PostgreSQL."""

import pytest

from content import selectors
from content.models import CasePage
from content.text import segment_query

from .conftest import make_case, make_course, make_lesson

pytestmark = pytest.mark.django_db

CASES = {
    "vending": ("某水果摊贩占道经营案", "当事人在人行道上摆摊设点占道经营,经劝导后拒不改正。", "street_vending"),
    "road": ("道路挖掘未经许可案", "某公司未经批准擅自挖掘城市道路铺设管线。", "municipal_facilities"),
    "muck": ("渣土车沿途抛洒案", "渣土运输车辆未密闭运输,沿途抛洒建筑垃圾。", "muck_transport"),
    "ads": ("擅自设置户外广告牌案", "某商户未经审批在外墙设置大型户外广告牌。", "outdoor_ads"),
    "dog": ("饲养犬只未束犬链案", "养犬人携犬出户未束犬链,犬只惊吓路人。", "dog_keeping"),
    "fumes": ("餐饮油烟直排案", "某烧烤店未安装油烟净化设施,油烟直排居民楼。", "cooking_fumes"),
    "dust": ("工地扬尘未覆盖案", "建筑工地裸土未覆盖,大风天气扬尘严重。", "dust"),
    "building": ("楼顶违法建设案", "业主在楼顶违章搭建彩钢板房,构成违法建设。", "illegal_building"),
}

# query -> (keys that must be found, keys that must not be found)
TABLE = [
    ("占道", {"vending"}, {"road", "muck"}),
    ("占道经营", {"vending"}, {"road"}),
    ("占道经营!", {"vending"}, {"road"}),
    ("「占道」,经营。", {"vending"}, {"road"}),
    ("道路", {"road"}, {"vending"}),
    ("渣土 抛洒", {"muck"}, {"vending", "dust"}),
    ("渣土抛洒", {"muck"}, {"dust"}),
    ("户外广告", {"ads"}, {"building"}),
    ("广告牌", {"ads"}, {"building"}),
    ("养犬", {"dog"}, {"vending"}),
    ("犬链", {"dog"}, {"ads"}),
    ("油烟", {"fumes"}, {"dust"}),
    ("油烟净化", {"fumes"}, {"dust"}),
    ("扬尘", {"dust"}, {"fumes"}),
    ("违法建设", {"building"}, {"vending"}),
    ("违章搭建", {"building"}, {"ads"}),
    ("彩钢板", {"building"}, {"dust"}),
    ("建筑垃圾", {"muck"}, {"dust"}),
    ("烧烤", {"fumes"}, {"vending"}),
    ("渣土运输", {"muck"}, {"building"}),  # also the category name
    ("违法停车", set(), set(CASES)),
]


@pytest.fixture
def cases(tree):
    return {
        key: make_case(tree, title=title, facts=facts, category=category)
        for key, (title, facts, category) in CASES.items()
    }


@pytest.mark.parametrize(("query", "must", "must_not"), TABLE)
def test_chinese_case_search_table(cases, query, must, must_not):
    found = {p.pk for p in selectors.search_pages(query, model=CasePage)}
    for key in must:
        assert cases[key].pk in found, f"{query!r} should find {key}"
    for key in must_not:
        assert cases[key].pk not in found, f"{query!r} must not find {key}"


def test_search_across_page_types_and_live_only(tree, cases, article):
    course = make_course(tree, title="城市道路占道管理课程")
    lesson = make_lesson(course, title="第二讲 占道经营的查处", article=article)
    draft = make_case(tree, title="未发布的占道经营案", facts="草稿", publish=False)
    found = {p.pk for p in selectors.search_pages("占道")}
    assert {cases["vending"].pk, course.pk, lesson.pk} <= found
    assert draft.pk not in found
    assert all(hasattr(p, "specific_class") for p in selectors.search_pages("占道"))


def test_query_segmentation_strips_punctuation_and_empty_queries():
    assert segment_query("  ,。!?  ") == ""
    assert selectors.search_pages("!!!") == []
    assert segment_query("占道经营!") == segment_query("占道经营")


def test_law_articles_searchable(article):
    found = selectors.search_laws("轻微")
    assert article in found
    assert selectors.search_laws("燃气") == []


def test_case_library_filters_and_search(tree, cases, client, officer):
    client.force_login(officer.user)
    lib = tree["cases"]
    r = client.get(lib.url, {"q": "占道"})
    assert r.status_code == 200
    html = r.content.decode()
    assert CASES["vending"][0] in html and CASES["road"][0] not in html
    r = client.get(lib.url, {"category": "dust"})
    html = r.content.decode()
    assert CASES["dust"][0] in html and CASES["fumes"][0] not in html
    r = client.get(lib.url, {"category": "dust", "q": "油烟"})
    assert CASES["dust"][0] not in r.content.decode()


@pytest.mark.parametrize(("query", "must", "must_not"), TABLE[:6])
def test_wagtail_generic_search_path_gives_the_same_answers(cases, monkeypatch, query, must, must_not):
    """Without the vendor fast path (e.g. SQLite built without FTS5) Wagtail's own query is used."""
    monkeypatch.setattr(selectors, "_sqlite_ranked_ids", lambda *a, **k: None)
    monkeypatch.setattr(selectors, "_postgres_ranked_ids", lambda *a, **k: None)
    found = {p.pk for p in selectors.search_pages(query, model=CasePage)}
    assert {cases[k].pk for k in must} <= found
    assert not ({cases[k].pk for k in must_not} & found)

"""Search journeys in a real browser (issue #12): an officer types the shorthand 违建 and sees the 违法建设 cases;
a trainer building a compilation finds the 渣土 cases in Wagtail's page chooser."""

import pytest
from playwright.sync_api import expect

from content import services
from content.models import CompilationPage
from tests.content.conftest import make_case
from tests.e2e.conftest import PC
from tests.factories import PASSWORD, OfficerFactory, grant, unit

pytestmark = pytest.mark.e2e


def _library(tree):
    return {
        "building": make_case(
            tree, title="楼顶违法建设案", facts="业主在楼顶搭建彩钢板房,构成违法建设。", category="illegal_building"
        ),
        "shed": make_case(
            tree, title="院内违法建设彩钢棚案", facts="当事人在小区院内违法建设彩钢棚。", category="illegal_building"
        ),
        "muck": make_case(tree, title="渣土车沿途抛洒案", facts="未密闭运输,沿途抛洒泥土。", category="muck_transport"),
        "ads": make_case(tree, title="户外广告牌未经审批案", facts="擅自设置户外广告牌。", category="outdoor_ads"),
    }


def test_officer_types_shorthand_and_sees_the_cases(page, live_server, login):
    tree = services.content_tree_ensure()
    services.search_synonym_ensure(term="违建", expansions=["违法建设", "违章搭建"])
    _library(tree)
    officer = OfficerFactory(unit=unit("测试区城管局/执法一中队/一分队"))

    login(page, live_server, officer.employee_no, PASSWORD)
    page.goto(tree["home"].url)
    box = page.get_by_role("searchbox", name="搜索")
    box.fill("违建")
    box.press("Enter")
    results = page.locator("section.results")
    expect(results.get_by_role("link", name="楼顶违法建设案")).to_be_visible()
    expect(results.get_by_role("link", name="院内违法建设彩钢棚案")).to_be_visible()
    assert "户外广告牌未经审批案" not in results.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_trainer_finds_muck_cases_in_the_page_chooser(page, live_server, login):
    tree = services.content_tree_ensure()
    cases = _library(tree)
    compilation = CompilationPage(title="渣土运输典型案例汇编", foreword="供学习参考。")
    tree["cases"].add_child(instance=compilation)
    compilation.save_revision()
    trainer = OfficerFactory(unit=unit("测试区城管局/法制科")).user
    grant(trainer, "trainer")

    page.set_viewport_size(PC)
    login(page, live_server, trainer.username, PASSWORD)
    page.goto(f"/cms/pages/{compilation.pk}/edit/")
    page.locator("#id_items-ADD").click()
    page.locator("#id_items-0-case-chooser button.chooser__choose-button").click()
    modal = page.locator(".modal-content")
    search = modal.get_by_role("textbox").first
    expect(search).to_be_visible()
    with page.expect_response(lambda r: "/cms/choose-page/search/" in r.url and "q=" in r.url):
        search.fill("渣土")
    expect(modal).not_to_contain_text(cases["ads"].title)  # the browse listing gave way to the search results
    expect(modal.get_by_text(cases["muck"].title)).to_be_visible()
    modal.get_by_text(cases["muck"].title).click()
    expect(page.locator("#id_items-0-case-title")).to_have_text(cases["muck"].title)

"""Issue #12: with the interface in English, taxonomy names (人员类别, 学时类别, 违法行为类别) stayed Chinese. They have an
optional English name now, shown when English is active; units and people keep their names. Also: the 刷题 scope
list showed violation category codes (cooking_fumes ...) instead of names."""

import pytest
from django.urls import reverse
from django.utils import translation

from content.models import CreditCategory, ViolationCategory
from org.models import RoleCategory
from org.naming import display_name
from tests.exams import factories as xf


@pytest.fixture
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_display_name_follows_the_active_language(db):
    enforcer = RoleCategory.objects.get(code="enforcer")
    enforcer.name_en = "Enforcement officer"
    with translation.override("en"):
        assert display_name(enforcer) == "Enforcement officer" and str(enforcer) == "Enforcement officer"
    with translation.override("zh-hans"):
        assert display_name(enforcer) == "执法人员"
    enforcer.name_en = ""
    with translation.override("en"):
        assert display_name(enforcer) == "执法人员"  # blank: the Chinese name


def test_officer_pages_show_the_english_role_name_but_keep_unit_and_person(english, world):
    RoleCategory.objects.filter(pk=world.a1.role_category_id).update(name_en="Enforcement officer")
    english.force_login(world.hr)
    html = english.get(reverse("org:officer_detail", args=[world.a1.pk])).content.decode()
    assert "Enforcement officer" in html
    assert world.a1.name in html and world.a1.unit.full_path in html
    listing = english.get(reverse("org:officer_list")).content.decode()
    assert "Enforcement officer" in listing


def test_chinese_pages_keep_the_chinese_role_name(client, world):
    RoleCategory.objects.filter(pk=world.a1.role_category_id).update(name_en="Enforcement officer")
    client.force_login(world.a1.user)
    html = client.get(reverse("home")).content.decode()
    assert world.a1.role_category.name in html and "Enforcement officer" not in html


def test_unit_hours_in_english_name_roles_and_credit_categories(english, world):
    from learning import services

    RoleCategory.objects.filter(pk=world.a1.role_category_id).update(name_en="Enforcement officer")
    CreditCategory.objects.filter(code="rule_of_law").update(name_en="Rule-of-law education")
    services.hour_rule_set(
        year=2026, role_category=world.a1.role_category, category="rule_of_law", hours=40, actor=None
    )
    english.force_login(world.hr)
    html = english.get(reverse("learning:unit_hours") + "?year=2026").content.decode()
    assert "Rule-of-law education" in html and "Enforcement officer" in html
    assert "法治教育" not in html


def test_demo_seed_sets_english_names_idempotently(db):
    from demo.content_seed import seed_taxonomy_names
    from demo.org_seed import seed_role_names

    for _ in range(2):
        seed_role_names()
        seed_taxonomy_names()
    assert not RoleCategory.objects.filter(name_en="").exists()
    assert not CreditCategory.objects.filter(name_en="").exists()
    assert ViolationCategory.objects.get(code="cooking_fumes").name_en == "Cooking fumes"


def test_practice_scope_list_shows_violation_names_not_codes(client, world):
    xf.question("single", category="市容管理/餐饮油烟", violation_category="cooking_fumes")
    xf.question("single", category="市容管理/渣土", violation_category="muck_transport")
    client.force_login(world.a1.user)
    html = client.get(reverse("exams:practice_home")).content.decode()
    assert "餐饮油烟(1)" in html and "渣土运输(1)" in html
    assert ">cooking_fumes" not in html and 'value="violation:cooking_fumes"' in html  # the code stays the value

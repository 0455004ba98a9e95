"""Credit categories (学时类别) have one home: content.CreditCategory. Learning keeps no copy, so a category content
adds is usable for rules, credits, offline sessions and claims at once, and an unknown one is refused."""

from decimal import Decimal

import pytest
from django.db.models import ProtectedError
from django.urls import reverse

from content import selectors as content_selectors
from content import services as content_services
from content.models import CreditCategory
from learning import selectors, services
from learning.forms import ExternalClaimForm, OfflineSessionForm
from learning.models import CreditEntry, HourRule
from org.models import AuditEntry
from tests.factories import OfficerFactory

pytestmark = pytest.mark.django_db

SEEDED = ["rule_of_law", "business", "political", "law_exam", "mentoring"]


def test_the_five_categories_learning_uses_are_contents_rows():
    codes = [code for code, _name in content_selectors.credit_categories()]
    assert codes[: len(SEEDED)] == SEEDED  # content's seed, then 师徒带教 from learning's data migration
    assert dict(selectors.categories())["mentoring"] == "师徒带教"


def test_a_category_added_in_content_is_immediately_usable_for_rules_and_credits(client, hr, roles):
    content_services.credit_category_ensure(code="safety", name="安全生产", sort_order=60)
    officer = OfficerFactory(role_category=roles["enforcer"])

    rule = services.hour_rule_set(year=2026, role_category=roles["enforcer"], category="safety", hours=8, actor=hr)
    entry, created = services.credit_grant(
        officer=officer, year=2026, category="safety", hours=3, source_kind="offline", source_id="s-safety", actor=None
    )
    assert created and entry.category_id == "safety" and rule.category_id == "safety"
    assert entry.category == CreditCategory.objects.get(code="safety")  # the ledger points at content's row

    summary = selectors.officer_summary(officer=officer, year=2026)
    row = next(r for r in summary["rows"] if r["code"] == "safety")
    assert (row["name"], row["required"], row["earned"], row["shortfall"]) == (
        "安全生产",
        Decimal("8"),
        Decimal("3"),
        Decimal("5"),
    )

    # Forms and HR's rule grid list it without any sync step.
    assert ("safety", "安全生产") in list(OfflineSessionForm().fields["category"].choices)
    assert ("safety", "安全生产") in list(ExternalClaimForm().fields["category"].choices)
    client.force_login(hr)
    page = client.get(reverse("learning:rules") + "?year=2026").content.decode()
    assert "安全生产" in page and f'name="h_{roles["enforcer"].pk}_safety"' in page

    # A rename in content shows everywhere at once: there is no second copy to fall behind.
    content_services.credit_category_ensure(code="safety", name="安全生产培训", sort_order=60)
    assert selectors.officer_summary(officer=officer, year=2026)["rows"][-1]["name"] == "安全生产培训"


def test_an_unknown_category_is_refused_and_nothing_is_written(officer, roles):
    before = (CreditEntry.objects.count(), HourRule.objects.count(), CreditCategory.objects.count())
    with pytest.raises(services.LearningError):
        services.credit_grant(
            officer=officer, year=2026, category="nope", hours=1, source_kind="offline", source_id="x", actor=None
        )
    with pytest.raises(services.LearningError):
        services.hour_rule_set(year=2026, role_category=roles["leader"], category="nope", hours=5, actor=None)
    assert (CreditEntry.objects.count(), HourRule.objects.count(), CreditCategory.objects.count()) == before
    assert not AuditEntry.objects.filter(action__in=["credit.grant", "hour_rule.set"]).exists()


def test_a_category_the_ledger_uses_cannot_be_deleted_in_content(officer):
    content_services.credit_category_ensure(code="safety", name="安全生产", sort_order=60)
    services.credit_grant(
        officer=officer, year=2026, category="safety", hours=1, source_kind="offline", source_id="x", actor=None
    )
    with pytest.raises(ProtectedError):
        CreditCategory.objects.get(code="safety").delete()

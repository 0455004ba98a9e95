from decimal import Decimal

import pandas as pd
import pytest
from django.urls import reverse

from learning import selectors, services
from learning.models import HourRule, TrainingDayRule
from org.models import AuditEntry, Officer
from tests.factories import OfficerFactory, unit


@pytest.fixture
def rules_2026(roles):
    services.hour_rule_set(year=2026, role_category=roles["leader"], category="rule_of_law", hours=60, actor=None)
    services.hour_rule_set(year=2026, role_category=roles["leader"], category="law_exam", hours=40, actor=None)
    services.hour_rule_set(year=2026, role_category=roles["enforcer"], category="rule_of_law", hours=40, actor=None)
    services.hour_rule_set(year=2026, role_category=roles["enforcer"], category="business", hours=24, actor=None)
    services.hour_rule_set(year=2026, role_category=roles["auxiliary"], category="business", hours=16, actor=None)
    services.training_day_rule_set(year=2026, role_category=roles["leader"], min_days=5, actor=None)
    services.training_day_rule_set(year=2026, role_category=roles["recruit"], min_days=30, actor=None)


def credit(officer, category, hours, source="s", year=2026):
    services.credit_grant(
        officer=officer, year=year, category=category, hours=hours, source_kind="offline", source_id=source, actor=None
    )


def test_rule_evaluation_per_role(roles, rules_2026):
    leader = OfficerFactory(role_category=roles["leader"])
    enforcer = OfficerFactory(role_category=roles["enforcer"])
    credit(leader, "rule_of_law", 62)
    credit(leader, "law_exam", 30)
    credit(leader, "business", 8)  # no rule for leaders: shown, never a shortfall
    credit(enforcer, "rule_of_law", 40)
    credit(enforcer, "rule_of_law", 5, year=2025)  # another year does not count

    s = selectors.officer_summary(officer=leader, year=2026)
    by = {r["code"]: r for r in s["rows"]}
    assert by["rule_of_law"]["shortfall"] == 0 and by["law_exam"]["shortfall"] == Decimal("10")
    assert by["business"]["required"] == 0
    assert s["total_required"] == 100 and s["total_shortfall"] == 10
    assert s["days"] == Decimal("12.5") and s["min_days"] == 5 and s["days_short"] == 0

    e = selectors.officer_summary(officer=enforcer, year=2026)
    by = {r["code"]: r for r in e["rows"]}
    assert by["rule_of_law"]["earned"] == 40 and by["business"]["shortfall"] == 24
    assert e["min_days"] is None


def test_requirements_frame_is_set_based(roles, rules_2026, django_assert_max_num_queries):
    officers = [OfficerFactory(role_category=roles["enforcer"]) for _ in range(12)]
    for i, o in enumerate(officers):
        if i:
            credit(o, "rule_of_law", i * 5)
    auxiliary = OfficerFactory(role_category=roles["auxiliary"])
    recruit = OfficerFactory(role_category=roles["recruit"])  # no hour rules, days rule only
    from org.models import Officer

    with django_assert_max_num_queries(3):
        frame = selectors.requirements_frame(year=2026, officers=Officer.objects.all())
    row = frame[(frame.officer_id == officers[3].pk) & (frame.category == "rule_of_law")].iloc[0]
    assert row.required == 40 and row.earned == 15 and row.shortfall == 25
    assert frame[frame.officer_id == auxiliary.pk].iloc[0].shortfall == 16
    assert frame[frame.officer_id == recruit.pk].category.isna().all()

    rows, columns = selectors.unit_status_rows(year=2026, officers=Officer.objects.all())
    assert [c for c, _ in columns] == ["rule_of_law", "business"]
    by_id = {r["officer_id"]: r for r in rows}
    assert by_id[officers[10].pk]["total_shortfall"] == 24 and not by_id[officers[10].pk]["ok"]
    assert by_id[recruit.pk]["days_short"] == 30


def test_rule_changes_are_audited_and_blank_removes(roles, hr):
    services.hour_rule_set(year=2026, role_category=roles["leader"], category="rule_of_law", hours=60, actor=hr)
    services.hour_rule_set(year=2026, role_category=roles["leader"], category="rule_of_law", hours=60, actor=hr)
    assert AuditEntry.objects.filter(action="hour_rule.set").count() == 1
    services.hour_rule_set(year=2026, role_category=roles["leader"], category="rule_of_law", hours=None, actor=hr)
    assert not HourRule.objects.exists()
    with pytest.raises(services.LearningError):
        services.hour_rule_set(year=2026, role_category=roles["leader"], category="rule_of_law", hours=-1, actor=hr)


def test_rules_page_access(client, officer, leader, trainer, hr):
    url = reverse("learning:rules")
    assert client.get(url).status_code == 302
    for user in (officer.user, leader, trainer):
        client.force_login(user)
        assert client.get(url).status_code == 403
    client.force_login(hr)
    assert client.get(url + "?year=2026").status_code == 200


def test_hr_saves_the_rule_grid(client, hr, roles):
    client.force_login(hr)
    leader_id, recruit_id = roles["leader"].pk, roles["recruit"].pk
    response = client.post(
        reverse("learning:rules"),
        {"year": "2026", f"h_{leader_id}_rule_of_law": "60", f"h_{leader_id}_law_exam": "40", f"d_{recruit_id}": "30"},
    )
    assert response.status_code == 302
    assert HourRule.objects.filter(year=2026).count() == 2
    assert TrainingDayRule.objects.get(year=2026, role_category=roles["recruit"]).min_days == 30
    page = client.get(reverse("learning:rules") + "?year=2026").content.decode()
    assert 'value="60"' in page


def test_rule_grid_with_bad_number_writes_nothing(client, hr, roles):
    client.force_login(hr)
    response = client.post(
        reverse("learning:rules"),
        {"year": "2026", f"h_{roles['leader'].pk}_rule_of_law": "60", f"h_{roles['leader'].pk}_law_exam": "四十"},
    )
    assert response.status_code == 400
    assert not HourRule.objects.exists()


def test_unit_scope_of_the_frame(roles, rules_2026, leader):
    inside = OfficerFactory(unit=unit("测试区城管局/执法一中队/二分队"))
    outside = OfficerFactory(unit=unit("测试区城管局/执法三中队"))
    from org.scopes import officers_visible_to

    rows, _ = selectors.unit_status_rows(year=2026, officers=officers_visible_to(leader))
    ids = {r["officer_id"] for r in rows}
    assert inside.pk in ids and outside.pk not in ids


def test_hours_status_is_the_one_rule_for_one_and_for_many(roles, rules_2026):
    """hours_status (objects) and hours_status_frame (vectorised) agree, and officer_summary is built on them."""
    leader = OfficerFactory(role_category=roles["leader"])
    recruit = OfficerFactory(role_category=roles["recruit"])
    nobody_rules = OfficerFactory(role_category=roles["auxiliary"])
    credit(leader, "rule_of_law", 60)
    credit(leader, "law_exam", 40)  # 100 h = 12.5 days ≥ 5
    credit(recruit, "business", 80)  # no hour rule, 10 days < 30
    credit(nobody_rules, "business", 16)
    officers = Officer.objects.filter(pk__in=[leader.pk, recruit.pk, nobody_rules.pk])

    statuses = selectors.hours_status(year=2026, officers=officers)
    assert statuses[leader.pk].met and statuses[leader.pk].has_rules
    assert statuses[leader.pk].total_earned == Decimal("100.00") and statuses[leader.pk].days == Decimal("12.5")
    assert not statuses[recruit.pk].met and statuses[recruit.pk].days_short == Decimal("20.0")
    assert statuses[nobody_rules.pk].met and statuses[nobody_rules.pk].has_rules  # auxiliary: 16 h business rule

    frame = selectors.hours_status_frame(year=2026, officers=officers).set_index("officer_id")
    for officer_id, status in statuses.items():
        row = frame.loc[officer_id]
        assert bool(row["met"]) == status.met
        assert int(row["total_shortfall_c"]) == int(status.total_shortfall * 100)
        assert int(row["days_tenths"]) == int(status.days * 10)
    assert selectors.officer_summary(officer=recruit, year=2026)["days_short"] == Decimal("20.0")


def test_a_year_without_rules_has_nothing_to_meet_and_says_so(roles):
    officer = OfficerFactory(role_category=roles["enforcer"])
    credit(officer, "business", 3, year=2031)
    status = selectors.officer_hours_status(officer=officer, year=2031)
    assert not status.has_rules and status.met and status.total_earned == Decimal("3.00")


def test_credit_ensure_keeps_exactly_one_standing_credit(roles):
    """The source-id scheme of a credit that comes and goes is the ledger's business alone."""
    officer = OfficerFactory(role_category=roles["enforcer"])
    kwargs = dict(officer=officer, year=2026, category="law_exam", hours=10, source_kind="exam", source_key=7, actor=None)
    first = services.credit_ensure(standing=True, **kwargs)
    assert services.credit_ensure(standing=True, **kwargs) == first
    assert services.credit_ensure(standing=False, **kwargs) is None
    again = services.credit_ensure(standing=True, **kwargs)
    assert again.pk != first.pk and again.source_id == "7-2"
    assert selectors.officer_hours_for_year(officer=officer, year=2026) == {"law_exam": Decimal("10.00")}


def test_credit_reverse_by_a_person_needs_hr(roles):
    from django.core.exceptions import PermissionDenied

    from tests.factories import UserFactory, grant

    officer = OfficerFactory(role_category=roles["enforcer"])
    credit(officer, "business", 2)
    entry = officer.credits.get()
    trainer = UserFactory(username="trainer-rev")
    grant(trainer, "trainer")
    with pytest.raises(PermissionDenied):
        services.credit_reverse(entry=entry, actor=trainer, reason="我不是人事")
    hr = UserFactory(username="hr-rev")
    grant(hr, "hr")
    assert services.credit_reverse(entry=entry, actor=hr, reason="录入错误").hours == Decimal("-2.00")


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_hours_status_frame_equals_hours_status_on_random_ledgers(roles, seed, django_assert_max_num_queries):
    """The vectorised frame (one SQL statement, integer hundredths) and the objects agree officer by officer on random
    ledgers: categories with and without a rule, grants and reversals, other years, roles with and without hour or
    day rules, officers without any entry."""
    import random

    rng = random.Random(seed)
    codes = ["rule_of_law", "law_exam", "business", "political"]
    role_list = sorted(roles.values(), key=lambda r: r.pk)
    for role in role_list:
        for code in rng.sample(codes, rng.randint(0, 3)):
            hours = Decimal(rng.randint(0, 4000)) / 100
            services.hour_rule_set(year=2026, role_category=role, category=code, hours=hours, actor=None)
        if rng.random() < 0.6:
            days = Decimal(rng.randint(0, 120)) / 10
            services.training_day_rule_set(year=2026, role_category=role, min_days=days, actor=None)
    officers = [OfficerFactory(role_category=rng.choice(role_list)) for _ in range(24)]
    for n, officer in enumerate(officers):
        for k in range(rng.randint(0, 7)):
            entry, _ = services.credit_grant(
                officer=officer,
                year=rng.choice([2026, 2026, 2026, 2025]),
                category=rng.choice(codes),
                hours=Decimal(rng.randint(1, 2000)) / 100,
                source_kind="offline",
                source_id=f"{n}-{k}",
                actor=None,
            )
            if rng.random() < 0.2:
                services.credit_reverse(entry=entry, actor=None, reason="随机冲销")
    queryset = Officer.objects.filter(pk__in=[o.pk for o in officers])

    objects = selectors.hours_status(year=2026, officers=queryset)
    with django_assert_max_num_queries(3):  # the rules, the day rules, ONE statement for the ledger and the people
        frame = selectors.hours_status_frame(year=2026, officers=queryset).set_index("officer_id")
    assert sorted(frame.index) == sorted(objects)
    for officer_id, status in objects.items():
        row = frame.loc[officer_id]
        assert int(row["total_required_c"]) == int(status.total_required * 100)
        assert int(row["total_earned_c"]) == int(status.total_earned * 100)
        assert int(row["total_shortfall_c"]) == int(status.total_shortfall * 100)
        assert int(row["days_tenths"]) == int(status.days * 10)
        assert int(row["days_short_tenths"]) == int(status.days_short * 10)
        if status.min_days is None:
            assert pd.isna(row["min_days_tenths"])
        else:
            assert int(row["min_days_tenths"]) == int(status.min_days * 10)
        assert bool(row["has_rules"]) == status.has_rules
        assert bool(row["met"]) == status.met
    assert frame["met"].any() and not frame["met"].all()  # the draw exercises both verdicts
    # every officer (an unfiltered queryset: the ledger is summed without the IN (…) over the officers): the same rows
    everyone = selectors.hours_status_frame(year=2026, officers=Officer.objects.all()).set_index("officer_id")
    assert set(everyone.index) == set(Officer.objects.values_list("pk", flat=True))
    assert everyone.loc[frame.index].sort_index().equals(frame.sort_index())

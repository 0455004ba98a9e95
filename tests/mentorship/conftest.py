"""A small bureau for the mentorship tests: two squads with teams, new recruits who need a mentor, certified
veterans who may mentor, a unit leader, HR, and a 2026 programme over the bureau."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from mentorship import services
from mentorship.models import Programme
from org.models import Officer, RoleCategory, Unit, User
from tests.certification.factories import certificate
from tests.factories import OfficerFactory, RoleCategoryFactory, grant, unit

BUREAU = "测试区城管局"
TODAY = dt.date(2026, 3, 10)


@dataclass
class World:
    bureau: Unit
    squad1: Unit
    s1t1: Unit
    s1t2: Unit
    squad2: Unit
    s2t1: Unit
    hr: User
    leader: Officer  # unit leader of 执法一中队, certified veteran
    v1: Officer  # veteran, 一中队/一分队
    v2: Officer  # veteran, 一中队/二分队
    v3: Officer  # veteran, 二中队/一分队
    n1: Officer  # recruit, 一中队/一分队
    n2: Officer  # recruit, 一中队/二分队
    n3: Officer  # recruit, 二中队/一分队
    programme: Programme


def recruit_role() -> RoleCategory:
    return RoleCategory.objects.get_or_create(code="recruit", defaults={"name": "新招录", "sort_order": 40})[0]


def veteran(unit_, name, *, years=8):
    o = OfficerFactory(unit=unit_, name=name, hire_date=TODAY - dt.timedelta(days=int(365.25 * years)))
    certificate(o, issued_on=dt.date(2020, 5, 1))
    return o


def newcomer(unit_, name):
    return OfficerFactory(
        unit=unit_, name=name, role_category=recruit_role(), hire_date=dt.date(2025, 12, 1), enforcement_duty=False
    )


@pytest.fixture
def mworld(db, mfa_user) -> World:
    if not RoleCategory.objects.filter(code="enforcer").exists():
        RoleCategoryFactory()  # transactional (PostgreSQL) tests lose the data migrations' rows
    from content.models import CreditCategory

    for code, name, order in (("business", "业务培训", 20), ("mentoring", "师徒带教", 50)):
        CreditCategory.objects.get_or_create(code=code, defaults={"name": name, "sort_order": order})
    bureau = unit(BUREAU)
    Unit.objects.filter(pk=bureau.pk).update(kind=Unit.Kind.BUREAU)
    squad1 = unit(f"{BUREAU}/执法一中队")
    s1t1 = unit(f"{BUREAU}/执法一中队/一分队")
    s1t2 = unit(f"{BUREAU}/执法一中队/二分队")
    squad2 = unit(f"{BUREAU}/执法二中队")
    s2t1 = unit(f"{BUREAU}/执法二中队/一分队")
    Unit.objects.filter(pk__in=[s1t1.pk, s1t2.pk, s2t1.pk]).update(kind=Unit.Kind.TEAM)
    hr = OfficerFactory(unit=unit(f"{BUREAU}/政治处"), name="周敏", hire_date=dt.date(2024, 1, 1)).user
    grant(hr, "hr")
    mfa_user(hr)
    leader = veteran(squad1, "王建国", years=15)
    grant(leader.user, "unit_leader", squad1)
    world = World(
        bureau=Unit.objects.get(pk=bureau.pk),
        squad1=squad1,
        s1t1=s1t1,
        s1t2=s1t2,
        squad2=squad2,
        s2t1=s2t1,
        hr=hr,
        leader=leader,
        v1=veteran(s1t1, "张伟"),
        v2=veteran(s1t2, "王芳"),
        v3=veteran(s2t1, "刘洋"),
        n1=newcomer(s1t1, "陈静"),
        n2=newcomer(s1t2, "杨磊"),
        n3=newcomer(s2t1, "赵敏"),
        programme=None,
    )
    world.programme = services.programme_save(
        actor=hr,
        year=2026,
        name="2026 年老带新",
        unit=world.bureau,
        starts_on=dt.date(2026, 3, 1),
        ends_on=dt.date(2026, 12, 31),
        default_capacity=1,
    )
    return world

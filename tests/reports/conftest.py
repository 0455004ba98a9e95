"""A small hand-built bureau for the year 2025, whose figures the tests count by hand.

测试区城管局 (root) > 执法一中队, 执法二中队. Hour rule 2025: 执法人员 法治教育 40 h; 协管员 have none.
- 甲 (一中队): 48 h, annual exam passed, certificate of 2024 with the 2025 review passed;
- 乙 (一中队): 20 h, annual exam sat and failed, no certificate;
- 丙: in 一中队 until 30 Jun 2025, in 二中队 from 1 Jul 2025 (transferred): 40 h, did not sit, certificate issued
  in May 2025;
- 丁 (一中队): left on 1 Jul 2025 (not on the roll on 31 Dec 2025, on it on 31 Dec 2024): 30 h in 2025;
- 戊 (二中队, 协管员, not on enforcement duty): 10 h, no rule for the role, no exam;
- 己: joins 二中队 in 2026: not on the 2025 roll.
Offline: a 2025 专题讲座 attended by 甲 and 丙, a 2025 集中学习 attended by 甲 (2 场次, 3 人次).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone

from exams.models import Attempt
from learning.models import Attendance, OfflineSession
from org.models import Officer, RoleCategory
from org.services import placement_record
from tests.certification.factories import certificate, credit, cycle, exam, exam_attempt, hour_rule, review
from tests.factories import OfficerFactory, grant, unit

YEAR = 2025


def _placed(officer: Officer, on: dt.date) -> Officer:
    placement_record(officer=officer, on=on)
    return officer


def _at(day: dt.date, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour))


@pytest.fixture
def bureau(db, mfa_user):
    root = unit("测试区城管局")
    one = unit("测试区城管局/执法一中队")
    two = unit("测试区城管局/执法二中队")
    office = unit("测试区城管局/政治处")
    hr = OfficerFactory(
        unit=office, name="人事", enforcement_duty=False, role_category=RoleCategory.objects.get(code="legal")
    )
    # HR works in 政治处 since 2026 only: not on the 2025 roll (keeps the hand counts to the six below)
    _placed(hr, dt.date(2026, 1, 1))
    grant(hr.user, "hr")
    mfa_user(hr.user)
    start = dt.date(2020, 1, 1)
    a = _placed(OfficerFactory(unit=one, name="甲"), start)
    b = _placed(OfficerFactory(unit=one, name="乙"), start)
    c = _placed(OfficerFactory(unit=one, name="丙"), start)
    c.unit = two
    c.save()
    _placed(c, dt.date(2025, 7, 1))
    d = _placed(OfficerFactory(unit=one, name="丁"), start)
    d.status = Officer.Status.LEFT
    d.save()
    _placed(d, dt.date(2025, 7, 1))
    e = _placed(
        OfficerFactory(
            unit=two, name="戊", enforcement_duty=False, role_category=RoleCategory.objects.get(code="auxiliary")
        ),
        start,
    )
    f = _placed(OfficerFactory(unit=two, name="己"), dt.date(2026, 2, 1))

    hour_rule(YEAR, hours="40")
    for officer, hours in ((a, 48), (b, 20), (c, 40), (d, 30), (e, 10), (f, 12)):
        credit(officer, hours, year=YEAR)
    annual = exam(year=YEAR)
    annual.units.add(root)
    exam_attempt(annual, a, score="90", passed=True)
    exam_attempt(annual, b, score="40", passed=False)

    cycle(YEAR)
    review(certificate(a, issued_on=dt.date(2024, 3, 1)), YEAR, passed=True)
    certificate(c, issued_on=dt.date(2025, 5, 1))

    leader = OfficerFactory(unit=one, name="队长", enforcement_duty=False)
    _placed(leader, dt.date(2026, 1, 1))
    grant(leader.user, "unit_leader", one)
    mfa_user(leader.user)

    def session(kind, day, officers):
        s = OfflineSession.objects.create(
            title=f"{kind}{day}",
            kind=kind,
            category_id="rule_of_law",
            hours=Decimal("2"),
            place="三楼会议室",
            starts_at=_at(day),
            ends_at=_at(day, 11),
            trainer=hr.user,
            secret="s",
        )
        for o in officers:
            Attendance.objects.create(session=s, officer=o, signed_in_at=_at(day), method=Attendance.Method.QR)
        return s

    session(OfflineSession.Kind.LECTURE, dt.date(2025, 4, 10), [a, c])
    session(OfflineSession.Kind.CENTRAL, dt.date(2025, 9, 10), [a])
    session(OfflineSession.Kind.CENTRAL, dt.date(2024, 9, 10), [a, b])  # another year
    assert Attempt.objects.count() == 2
    return SimpleNamespace(
        root=root, one=one, two=two, hr=hr.user, leader=leader.user, a=a, b=b, c=c, d=d, e=e, f=f, year=YEAR
    )

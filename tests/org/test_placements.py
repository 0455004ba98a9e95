"""The placement history: written by org's services, read on a past date by officers_on_roll / placements_on."""

from __future__ import annotations

import datetime as dt

import pytest

from org.models import Officer, OfficerPlacement, RoleCategory
from org.selectors import officers_on_roll, placements_on
from org.services import officer_provision, placement_record
from tests.factories import OfficerFactory, unit

pytestmark = pytest.mark.django_db


def test_a_change_closes_the_open_placement_and_opens_the_next():
    one, two = unit("区局/一中队"), unit("区局/二中队")
    officer = OfficerFactory(unit=one)
    placement_record(officer=officer, on=dt.date(2024, 1, 1))
    officer.unit = two
    officer.save()
    placement_record(officer=officer, on=dt.date(2025, 7, 1))
    rows = list(OfficerPlacement.objects.filter(officer=officer).values_list("unit_id", "valid_from", "valid_to"))
    assert rows == [(one.pk, dt.date(2024, 1, 1), dt.date(2025, 7, 1)), (two.pk, dt.date(2025, 7, 1), None)]
    # nothing changed: nothing written
    placement_record(officer=officer, on=dt.date(2025, 8, 1))
    assert OfficerPlacement.objects.filter(officer=officer).count() == 2


def test_a_same_day_correction_replaces_the_open_placement():
    one, two = unit("区局/一中队"), unit("区局/二中队")
    officer = OfficerFactory(unit=one)
    placement_record(officer=officer, on=dt.date(2025, 3, 1))
    officer.unit = two
    officer.save()
    placement_record(officer=officer, on=dt.date(2025, 3, 1))
    assert list(OfficerPlacement.objects.filter(officer=officer).values_list("unit_id", "valid_to")) == [(two.pk, None)]


def test_officer_provision_records_the_first_placement_from_the_hire_date():
    officer = officer_provision(
        employee_no="P001",
        name="新人",
        unit=unit("区局/一中队"),
        role_category=RoleCategory.objects.get(code="enforcer"),
        hire_date=dt.date(2023, 5, 4),
    )
    placement = OfficerPlacement.objects.get(officer=officer)
    assert (placement.valid_from, placement.valid_to, placement.status) == (dt.date(2023, 5, 4), None, "active")


def test_on_roll_on_a_date_follows_the_placements():
    one, two = unit("区局/一中队"), unit("区局/二中队")
    moved = OfficerFactory(unit=one)
    placement_record(officer=moved, on=dt.date(2020, 1, 1))
    moved.unit = two
    moved.save()
    placement_record(officer=moved, on=dt.date(2025, 7, 1))
    left = OfficerFactory(unit=one)
    placement_record(officer=left, on=dt.date(2020, 1, 1))
    left.status = Officer.Status.LEFT
    left.save()
    placement_record(officer=left, on=dt.date(2025, 7, 1))
    unplaced = OfficerFactory(unit=two)  # no placement rows: counted as it stands now

    def roll(on, units=None):
        return set(officers_on_roll(on=on, units=units).values_list("pk", flat=True))

    assert roll(dt.date(2025, 6, 30), [one]) == {moved.pk, left.pk}
    assert roll(dt.date(2025, 12, 31), [one]) == set()
    assert roll(dt.date(2025, 12, 31), [two]) == {moved.pk, unplaced.pk}
    assert roll(dt.date(2019, 12, 31)) == {unplaced.pk}
    frame = placements_on(on=dt.date(2025, 6, 30)).set_index("officer_id")
    assert frame.loc[moved.pk, "unit_id"] == one.pk
    assert frame.loc[left.pk, "status"] == "active"
    assert frame.loc[unplaced.pk, "unit_id"] == two.pk
    assert bool(frame.loc[moved.pk, "enforcement_duty"]) is moved.enforcement_duty  # a real bool on every backend
    named = placements_on(on=dt.date(2025, 6, 30), names=True).set_index("officer_id")
    assert list(named.columns[:2]) == ["employee_no", "name"]
    for officer in (moved, unplaced):  # a placement row, and none
        assert tuple(named.loc[officer.pk, ["employee_no", "name"]]) == (officer.employee_no, officer.name)
    assert named.drop(columns=["employee_no", "name"]).equals(frame)

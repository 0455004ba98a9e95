"""The shared foundations: the access guard, the unit-subtree rule, the one Audience and the 工号-list field."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.test import RequestFactory

from org.access import access_officer, access_unit, officer_required, require, role_required
from org.audience import Audience, audiences_of
from org.forms import EmployeeNumbersField
from org.models import Officer
from org.units import ancestor_paths, in_subtree, subtree_q
from tests.factories import OfficerFactory, RoleCategoryFactory, UserFactory


def _request(user):
    request = RequestFactory().get("/x/")
    request.user = user
    return request


def test_role_required_sends_anonymous_to_login_and_refuses_the_wrong_role(world):
    from django.contrib.auth.models import AnonymousUser

    view = role_required("hr_pages")(lambda request: HttpResponse("ok"))
    assert view(_request(AnonymousUser())).status_code == 302
    with pytest.raises(PermissionDenied, match="人事和单位负责人"):
        view(_request(world.a1.user))
    assert view(_request(world.leader)).status_code == 200
    assert view(_request(world.hr)).status_code == 200
    with pytest.raises(PermissionDenied):
        require(world.trainer, "hr", "roster")
    require(world.trainer, "hr", "training")  # any one of them is enough


def test_officer_required_hands_the_view_its_officer(world):
    seen = {}

    @officer_required
    def view(request, officer):
        seen["officer"] = officer
        return HttpResponse("ok")

    assert view(_request(world.a1.user)).status_code == 200 and seen["officer"] == world.a1
    with pytest.raises(PermissionDenied, match="执法人员档案"):
        view(_request(UserFactory(username="no-profile")))


def test_access_officer_and_unit_follow_the_scopes(world):
    assert access_officer(world.a1.user, world.a1.pk) == world.a1  # oneself
    assert access_officer(world.leader, world.a2.pk) == world.a2  # inside the leader's subtree
    with pytest.raises(PermissionDenied):
        access_officer(world.leader, world.b1.pk)  # another squad
    with pytest.raises(PermissionDenied):
        access_officer(world.a1.user, world.a2.pk)  # a colleague's file
    with pytest.raises(PermissionDenied):
        access_officer(world.trainer, world.a1.pk)  # trainers do not read personal files
    assert access_officer(world.trainer, world.a1.pk, personal=False) == world.a1
    for bad in (10**9, "x", 2**70):
        with pytest.raises(Http404):
            access_officer(world.hr, bad)
    assert access_unit(world.leader, world.squad1_team2.pk) == world.squad1_team2
    with pytest.raises(PermissionDenied):
        access_unit(world.leader, world.squad2.pk)


def test_the_subtree_rule(world):
    paths = [world.squad1]
    inside = set(Officer.objects.filter(subtree_q(paths)).values_list("pk", flat=True))
    assert {world.a1.pk, world.a2.pk, world.a3.pk, world.leader_officer.pk} <= inside
    assert world.b1.pk not in inside
    assert in_subtree(world.squad1_team1.path, paths) and not in_subtree(world.squad2_team1.path, paths)
    assert ancestor_paths(world.squad1_team1.path) == [world.bureau.path, world.squad1.path, world.squad1_team1.path]
    assert not Officer.objects.filter(subtree_q([])).exists()


def test_audience_query_and_includes_agree(world):
    leaders = RoleCategoryFactory(code="leader", name="领导干部")
    boss = OfficerFactory(unit=world.squad2, role_category=leaders)
    cases = {
        "squad1, any role": Audience.of(units=[world.squad1]),
        "leaders anywhere": Audience.of(role_categories=[leaders]),
        "squad2 leaders + a1": Audience.of(units=[world.squad2], role_categories=[leaders], officers=[world.a1]),
        "named only": Audience.of(officers=[world.b1]),
        "nobody": Audience.of(),
        "everyone when unset": Audience.of(everyone_when_unset=True),
    }
    everyone = list(Officer.objects.all())
    for label, audience in cases.items():
        by_query = set(Officer.objects.filter(audience.q()).values_list("pk", flat=True))
        by_python = {o.pk for o in everyone if audience.includes(o)}
        assert by_query == by_python, label
    assert {o.pk for o in cases["squad2 leaders + a1"].officers()} == {boss.pk, world.a1.pk}
    assert not cases["nobody"].officers().exists()


def test_audiences_of_reads_many_objects_in_three_queries(world, django_assert_num_queries):
    import datetime as dt

    from django.utils import timezone

    from learning.models import OfflineSession
    from learning.services import offline_session_create

    sessions = [
        offline_session_create(
            title=f"讲座{i}", kind="lecture", category="rule_of_law", hours=2, place="三楼会议室",
            starts_at=timezone.now() + dt.timedelta(days=i + 1), ends_at=timezone.now() + dt.timedelta(days=i + 1, hours=2),
            trainer=world.trainer, invited_units=[world.squad1] if i % 2 else [], invited_officers=[world.b1] if i == 2 else [],
        )
        for i in range(6)
    ]
    with django_assert_num_queries(2):  # units and officers (sessions have no role categories)
        audiences = audiences_of(
            sessions, units="invited_units", role_categories=None, officers="invited_officers", everyone_when_unset=True
        )
    assert audiences[sessions[0].pk].is_everyone
    assert audiences[sessions[1].pk].includes(world.a1) and not audiences[sessions[1].pk].includes(world.b1)
    assert audiences[sessions[2].pk].includes(world.b1) and not audiences[sessions[2].pk].includes(world.a1)
    assert OfflineSession.objects.count() == 6


def test_employee_numbers_field_reads_what_people_paste(world):
    field = EmployeeNumbersField(required=False)
    text = f" {world.a1.employee_no}，{world.a2.employee_no}、\n{world.a1.employee_no}; "
    assert field.clean(text) == [world.a1, world.a2]
    full_width = world.b1.employee_no.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789T"})
    assert field.clean(full_width) == [world.b1]
    with pytest.raises(Exception, match="NOPE1、NOPE2"):
        field.clean("NOPE1 NOPE2")
    assert field.clean("") == []

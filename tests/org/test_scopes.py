"""org.scopes is the one access helper: every rule of who sees whom is pinned here."""

from django.contrib.auth.models import AnonymousUser

from org.models import Officer
from org.scopes import (
    may_view_officer,
    may_view_officer_file,
    may_view_unit,
    officers_visible_to,
    roles_of,
    units_visible_to,
)
from tests.factories import OfficerFactory, UserFactory, grant, unit


def _nos(queryset) -> set[str]:
    return set(queryset.values_list("employee_no", flat=True))


def test_anonymous_has_no_roles_and_sees_nothing(world):
    anonymous = AnonymousUser()
    roles = roles_of(anonymous)
    assert not (roles.is_officer or roles.is_hr or roles.is_trainer or roles.is_admin or roles.is_unit_leader)
    assert not roles.may_use_hr_pages
    assert not roles.may_manage_roster
    assert not roles.may_use_cms


def test_officer_sees_only_own_record(world):
    user = world.a1.user
    roles = roles_of(user)
    assert roles.is_officer
    assert not roles.may_use_hr_pages and not roles.may_manage_roster and not roles.may_use_cms
    assert _nos(officers_visible_to(user)) == {world.a1.employee_no}
    assert may_view_officer(user, world.a1)
    assert not may_view_officer(user, world.a2)
    assert not may_view_officer(user, world.b1)
    assert not units_visible_to(user).exists()
    assert not may_view_unit(user, world.a1.unit)


def test_unit_leader_sees_own_subtree_only(world):
    user = world.leader
    roles = roles_of(user)
    assert roles.is_unit_leader and roles.may_use_hr_pages
    assert not roles.may_manage_roster and not roles.sees_everyone
    visible = _nos(officers_visible_to(user))
    assert visible == {
        world.leader_officer.employee_no,
        world.a1.employee_no,
        world.a2.employee_no,
        world.a3.employee_no,
    }
    for inside in (world.a1, world.a2, world.a3):
        assert may_view_officer(user, inside)
    assert not may_view_officer(user, world.b1)
    assert set(units_visible_to(user)) == {world.squad1, world.squad1_team1, world.squad1_team2}
    assert may_view_unit(user, world.squad1_team2)
    assert not may_view_unit(user, world.squad2)
    assert not may_view_unit(user, world.bureau)  # the parent is outside the subtree


def test_leader_of_a_team_does_not_see_the_sibling_team_or_the_squad(world):
    team_leader = OfficerFactory(unit=world.squad1_team1).user
    grant(team_leader, "unit_leader", world.squad1_team1)
    visible = _nos(officers_visible_to(team_leader))
    assert world.a1.employee_no in visible
    assert world.a2.employee_no not in visible
    assert world.a3.employee_no not in visible
    assert not may_view_unit(team_leader, world.squad1)


def test_leader_of_two_units_sees_both_subtrees(world):
    grant(world.leader, "unit_leader", world.squad2)
    user = type(world.leader).objects.get(pk=world.leader.pk)  # roles are cached per user object
    assert world.b1.employee_no in _nos(officers_visible_to(user))
    assert may_view_officer(user, world.b1)


def test_sibling_unit_with_name_prefix_is_not_inside_subtree(world):
    """执法一中队 must not leak into a unit whose name merely starts the same way."""
    lookalike = unit("测试区城管局/执法一中队二部")
    stranger = OfficerFactory(unit=lookalike)
    assert not may_view_officer(world.leader, stranger)
    assert stranger.employee_no not in _nos(officers_visible_to(world.leader))


def test_hr_and_admin_see_everyone(world):
    for user in (world.hr, UserFactory(is_superuser=True)):
        roles = roles_of(user)
        assert roles.sees_everyone and roles.may_manage_roster and roles.may_use_hr_pages and roles.needs_mfa
        assert officers_visible_to(user).count() == Officer.objects.count()
        assert may_view_officer(user, world.b1)
        assert may_view_unit(user, world.squad2)


def test_trainer_reads_training_records_but_gets_no_hr_pages(world):
    roles = roles_of(world.trainer)
    assert roles.is_trainer and roles.may_use_cms
    assert not roles.may_use_hr_pages and not roles.may_manage_roster and not roles.needs_mfa
    assert may_view_officer(world.trainer, world.b1)


def test_roles_are_cached_on_the_user_object(world, django_assert_num_queries):
    user = world.a1.user
    roles_of(user)
    with django_assert_num_queries(0):
        roles_of(user)


def test_officer_file_is_for_the_officer_and_hr_or_leaders_in_scope(world):
    assert may_view_officer_file(world.a1.user, world.a1)
    assert not may_view_officer_file(world.a1.user, world.a2)
    assert may_view_officer_file(world.leader, world.a1)
    assert not may_view_officer_file(world.leader, world.b1)
    assert may_view_officer_file(world.hr, world.b1)
    # Trainers read training records on their own pages, not an officer's personal file.
    assert not may_view_officer_file(world.trainer, world.a1)

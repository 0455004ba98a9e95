"""What every signed-in request pays for who the user is (issue #16): the user row, the officer status and the
role facts in one query; a change of status or role counts from the next request on."""

import pytest
from django.contrib.auth import get_user
from django.test import RequestFactory
from django.urls import reverse

from org.models import Officer, RoleGrant
from org.scopes import roles_of
from tests.factories import OfficerFactory, grant, unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer_client(client):
    officer = OfficerFactory(unit=unit("测试区城管局/执法一中队"))
    client.force_login(officer.user)
    client.get(reverse("home"))  # the session is in the cache from here on (cached_db where Redis is configured)
    return client, officer


def _session_user(client):
    request = RequestFactory().get("/")
    request.session = client.session
    return get_user(request)


def test_a_plain_officer_costs_one_query_for_user_status_and_roles(officer_client, django_assert_num_queries):
    client, officer = officer_client
    request = RequestFactory().get("/")
    request.session = client.session
    assert request.session.get("_auth_user_id")  # the session read (a query, or Redis with cached_db) before
    with django_assert_num_queries(1):  # the user row, with the officer status and the role facts
        user = get_user(request)
        roles = roles_of(user)
    assert user.pk == officer.user.pk and roles.is_officer and not roles.may_use_hr_pages


def test_the_user_carries_the_facts_and_roles_agree_with_the_database(officer_client):
    client, officer = officer_client
    loaded = _session_user(client)
    assert loaded.pk == officer.user.pk
    roles = roles_of(loaded)
    assert roles.is_officer and not roles.is_hr and not roles.is_unit_leader


def test_a_departed_officer_is_signed_out_at_the_next_request(officer_client):
    client, officer = officer_client
    Officer.objects.filter(pk=officer.pk).update(status=Officer.Status.LEFT)
    response = client.get(reverse("home"))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_a_role_granted_counts_from_the_next_request(officer_client):
    client, officer = officer_client
    assert roles_of(_session_user(client)).leader_unit_paths == ()
    grant(officer.user, RoleGrant.Role.UNIT_LEADER, officer.unit)
    assert roles_of(_session_user(client)).leader_unit_paths == (officer.unit.path,)


def test_a_session_naming_no_valid_user_is_anonymous(db):
    from org.auth_backends import EmployeeNoOrPhoneBackend

    backend = EmployeeNoOrPhoneBackend()
    assert backend.get_user("not-a-number") is None
    assert backend.get_user(None) is None
    assert backend.get_user(987_654_321) is None

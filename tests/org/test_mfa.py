"""HR and admin must enrol TOTP before anything else; their login then asks for the code. Officers are not forced."""

import time

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, format_hotp_value, hotp_value
from django.urls import reverse

from tests.factories import PASSWORD, OfficerFactory, UserFactory, grant

ACTIVATE = reverse("mfa_activate_totp")
AUTHENTICATE = reverse("mfa_authenticate")
SECRET = "JBSWY3DPEHPK3PXP"


def totp_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // mfa_settings.TOTP_PERIOD))


@pytest.fixture
def hr(db):
    user = OfficerFactory(employee_no="HR0001", name="周敏").user
    grant(user, "hr")
    return user


@pytest.fixture
def admin(db):
    user = UserFactory(username="admin1")
    grant(user, "admin")
    return user


def _password_login(client, login):
    return client.post(reverse("account_login"), {"login": login, "password": PASSWORD})


@pytest.mark.parametrize("url", ["/", "/me/", "/hr/officers/", "/hr/roster/import/", "/cms/", "/django-admin/"])
@pytest.mark.parametrize("who", ["hr", "admin"])
def test_privileged_user_without_totp_is_sent_to_enrolment(client, db, request, who, url):
    client.force_login(request.getfixturevalue(who))
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == ACTIVATE


def _reauthenticate_for_activation(client):
    """allauth 65 asks for the password again (within 5 minutes) before TOTP can be added, even right after login."""
    response = client.get(ACTIVATE)
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_reauthenticate"))
    done = client.post(response["Location"], {"password": PASSWORD})
    assert done.status_code == 302 and done["Location"] == ACTIVATE


def test_the_redirect_explains_itself_in_chinese(client, hr):
    _password_login(client, "HR0001")
    page = client.get("/hr/officers/", follow=True)
    assert "须先启用两步验证" in page.content.decode()


def test_enrolment_pages_and_logout_stay_reachable(client, hr):
    _password_login(client, "HR0001")
    _reauthenticate_for_activation(client)
    assert client.get(ACTIVATE).status_code == 200
    assert client.get("/healthz").status_code == 200
    assert client.post(reverse("account_logout")).status_code == 302


def test_enrolling_through_the_form_opens_the_hr_pages(client, hr):
    assert _password_login(client, "HR0001").status_code == 302
    _reauthenticate_for_activation(client)
    page = client.get(ACTIVATE)
    assert page.status_code == 200
    secret = client.session[SECRET_SESSION_KEY]
    wrong = client.post(ACTIVATE, {"code": "000000" if totp_code(secret) != "000000" else "111111"})
    assert wrong.status_code == 200 and not Authenticator.objects.filter(user=hr).exists()
    response = client.post(ACTIVATE, {"code": totp_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=hr, type=Authenticator.Type.TOTP).exists()
    officers = client.get(reverse("org:officer_list"))
    assert officers.status_code == 200
    assert "人员名册" in officers.content.decode()


def test_enrolled_hr_reaches_hr_pages(client, hr, mfa_user):
    mfa_user(hr)
    client.force_login(hr)
    assert client.get(reverse("org:officer_list")).status_code == 200


def test_officer_and_trainer_are_not_forced(client, db):
    officer = OfficerFactory()
    trainer = OfficerFactory().user
    grant(trainer, "trainer")
    leader = OfficerFactory().user
    grant(leader, "unit_leader", officer.unit)
    for user in (officer.user, trainer, leader):
        client.force_login(user)
        assert client.get("/").status_code == 200


def test_login_with_totp_asks_for_the_code_and_a_correct_code_completes_it(client, hr, mfa_user):
    mfa_user(hr, SECRET)
    response = _password_login(client, "HR0001")
    assert response.status_code == 302 and response["Location"] == AUTHENTICATE
    assert "_auth_user_id" not in client.session  # not logged in before the second step
    assert client.get(reverse("org:officer_list")).status_code == 302  # still anonymous
    stage = client.get(AUTHENTICATE)
    assert stage.status_code == 200
    wrong = client.post(AUTHENTICATE, {"code": "000000" if totp_code(SECRET) != "000000" else "111111"})
    assert wrong.status_code == 200 and "_auth_user_id" not in client.session
    done = client.post(AUTHENTICATE, {"code": totp_code(SECRET)})
    assert done.status_code == 302
    assert int(client.session["_auth_user_id"]) == hr.pk
    assert client.get(reverse("org:officer_list")).status_code == 200


def test_a_used_code_cannot_be_replayed(client, hr, mfa_user):
    mfa_user(hr, SECRET)
    code = totp_code(SECRET)
    _password_login(client, "HR0001")
    assert client.post(AUTHENTICATE, {"code": code}).status_code == 302
    client.post(reverse("account_logout"))
    _password_login(client, "HR0001")
    replay = client.post(AUTHENTICATE, {"code": code})
    assert replay.status_code == 200 and "_auth_user_id" not in client.session


def test_officer_login_has_no_second_step(client, db):
    OfficerFactory(employee_no="BJ0001")
    response = _password_login(client, "BJ0001")
    assert response["Location"] == reverse("home")

"""Login by 工号, phone or email; Chinese errors; departed officers locked out; rate limit; no public signup."""

import pytest
from django.urls import reverse

from org.models import Officer, User
from tests.factories import PASSWORD, OfficerFactory

LOGIN = reverse("account_login")


@pytest.fixture
def zhang(db):
    officer = OfficerFactory(employee_no="BJ0001", name="张伟", phone="13900000001")
    officer.user.email = "zhangwei@example.com"
    officer.user.save()
    return officer


def _login(client, login, password=PASSWORD):
    return client.post(LOGIN, {"login": login, "password": password})


def _logged_in_as(client) -> int | None:
    value = client.session.get("_auth_user_id")
    return int(value) if value is not None else None


def test_login_page_is_chinese(client, db):
    html = client.get(LOGIN).content.decode()
    assert "工号 / 手机号 / 邮箱" in html and "请输入工号、手机号或邮箱" in html


@pytest.mark.parametrize(
    "login",
    [
        "BJ0001",
        "bj0001 ".upper(),
        " BJ0001 ",
        "ＢＪ０００１",
        "13900000001",
        "１３９００００００01",
        "139 0000 0001",
        "zhangwei@example.com",
        "ZhangWei@Example.com",
    ],
)
def test_login_by_employee_no_phone_or_email(client, zhang, login):
    response = _login(client, login)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == reverse("home")
    assert _logged_in_as(client) == zhang.user.pk
    home = client.get(reverse("home")).content.decode()
    assert "我的学习" in home and "张伟" in home


def test_staff_login_without_officer_record(client, db):
    User.objects.create_user("hr-only", password=PASSWORD)
    assert _login(client, "hr-only").status_code == 302
    assert _logged_in_as(client) == User.objects.get(username="hr-only").pk


@pytest.mark.parametrize("login", ["BJ0001", "13900000001"])
def test_wrong_password_shows_chinese_error(client, zhang, login):
    response = _login(client, login, "wrong-password")
    assert response.status_code == 200
    assert "工号/手机号或密码不正确" in response.content.decode()
    assert _logged_in_as(client) is None


def test_wrong_password_by_email_shows_chinese_error(client, zhang):
    response = _login(client, "zhangwei@example.com", "wrong-password")
    assert response.status_code == 200
    assert "邮箱或密码不正确" in response.content.decode()
    assert _logged_in_as(client) is None


def test_unknown_login_fails(client, zhang):
    response = _login(client, "BJ9999")
    assert response.status_code == 200 and _logged_in_as(client) is None


@pytest.mark.parametrize("status", [Officer.Status.LEFT, Officer.Status.RETIRED])
@pytest.mark.parametrize("login", ["BJ0001", "13900000001", "zhangwei@example.com"])
def test_departed_officer_cannot_log_in(client, zhang, status, login):
    """As the roster import leaves them: status changed and the login deactivated."""
    zhang.status = status
    zhang.save()
    zhang.user.is_active = False
    zhang.user.save()
    _login(client, login)
    assert _logged_in_as(client) is None


@pytest.mark.parametrize("login", ["BJ0001", "13900000001", "zhangwei@example.com"])
def test_departed_officer_cannot_log_in_even_if_account_left_active(client, zhang, login):
    """Status changed by hand (Django admin) without deactivating the login: still no entry."""
    zhang.status = Officer.Status.LEFT
    zhang.save()
    assert zhang.user.is_active
    _login(client, login)
    assert _logged_in_as(client) is None


def test_repeated_failures_lock_the_login_even_with_the_right_password(client, zhang):
    for _ in range(5):
        response = _login(client, "BJ0001", "wrong-password")
        assert "工号/手机号或密码不正确" in response.content.decode()
    response = _login(client, "BJ0001")
    assert response.status_code == 200
    assert "登录失败次数过多" in response.content.decode()
    assert _logged_in_as(client) is None


def test_lockout_is_per_login_not_global(client, zhang):
    OfficerFactory(employee_no="BJ0002", phone="13900000002")
    for _ in range(5):
        _login(client, "BJ0001", "wrong-password")
    assert _login(client, "BJ0002").status_code == 302


def test_four_failures_do_not_lock(client, zhang):
    for _ in range(4):
        _login(client, "BJ0001", "wrong-password")
    assert _login(client, "BJ0001").status_code == 302


def test_no_public_signup(client, db):
    before = User.objects.count()
    page = client.get(reverse("account_signup"))
    assert "<form" not in page.content.decode() or 'name="password1"' not in page.content.decode()
    client.post(
        reverse("account_signup"),
        {
            "username": "intruder",
            "email": "x@example.com",
            "password1": "Zfxt-Pass-2026!",
            "password2": "Zfxt-Pass-2026!",
        },
    )
    assert User.objects.count() == before
    assert not User.objects.filter(username="intruder").exists()
    assert _logged_in_as(client) is None


def test_logout(client, zhang):
    _login(client, "BJ0001")
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert _logged_in_as(client) is None

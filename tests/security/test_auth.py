"""Issue #11 (4, 5): the failed-login limit belongs to the account, not to what was typed; HR cannot take over
privileged accounts; an initial password must be changed at the first login; reset mails go to known addresses only."""

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse

from org.models import AuditEntry, RoleGrant
from tests.factories import PASSWORD, OfficerFactory, grant, unit

pytestmark = pytest.mark.django_db

LOGIN = reverse("account_login")


@pytest.fixture
def zhang():
    officer = OfficerFactory(employee_no="BJ0003", name="张伟", phone="13900000003")
    officer.user.email = "zhang@example.com"
    officer.user.save()
    return officer


def login(client, identifier, password=PASSWORD):
    return client.post(LOGIN, {"login": identifier, "password": password})


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.parametrize("then", ["13900000003", "１３９００００００03", "zhang@example.com", "bj0003"])
def test_five_wrong_by_employee_no_lock_every_identifier_of_the_account(client, zhang, then):
    for _ in range(5):
        assert not logged_in(client) and login(client, "BJ0003", "wrong").status_code == 200
    response = login(client, then)
    assert not logged_in(client)
    assert "登录失败次数过多" in response.content.decode()


def test_wrong_passwords_by_phone_and_email_count_together(client, zhang):
    for identifier in ("13900000003", "zhang@example.com", "ＢＪ0003", "139 0000 0003", "BJ0003"):
        login(client, identifier, "wrong")
    login(client, "BJ0003")
    assert not logged_in(client)


def test_another_account_is_not_locked(client, zhang):
    other = OfficerFactory(employee_no="BJ0004", phone="13900000004")
    for _ in range(5):
        login(client, "BJ0003", "wrong")
    login(client, other.employee_no)
    assert logged_in(client)


# --- initial passwords ------------------------------------------------------------------------------------------


@pytest.fixture
def hr(mfa_user):
    user = OfficerFactory(unit=unit("测试区城管局/政治处"), employee_no="HR01").user
    grant(user, RoleGrant.Role.HR)
    return mfa_user(user)


@pytest.fixture
def admin(mfa_user):
    user = OfficerFactory(unit=unit("测试区城管局/政治处"), employee_no="AD01").user
    grant(user, RoleGrant.Role.ADMIN)
    return mfa_user(user)


def approver():
    officer = OfficerFactory(unit=unit("测试区城管局/法制科"), employee_no="fzk01")
    officer.user.groups.add(Group.objects.get_or_create(name="法制科审核")[0])
    return officer


def privileged(kind):
    if kind == "approver":
        return approver()
    officer = OfficerFactory(employee_no=f"P-{kind}")
    if kind == "staff":
        officer.user.is_staff = True
        officer.user.save()
    else:
        grant(officer.user, kind)
    return officer


def issue(client, officer):
    return client.post(reverse("org:officer_initial_password", args=[officer.pk]))


@pytest.mark.parametrize("kind", ["approver", RoleGrant.Role.TRAINER, RoleGrant.Role.HR, RoleGrant.Role.ADMIN, "staff"])
def test_hr_cannot_issue_a_password_for_a_privileged_account(client, hr, kind):
    target = privileged(kind)
    before = target.user.password
    client.force_login(hr)
    assert issue(client, target).status_code == 403
    target.user.refresh_from_db()
    assert target.user.password == before
    assert 'id="initial-password"' not in client.get(reverse("org:officer_detail", args=[target.pk])).content.decode()
    assert "生成初始密码" not in client.get(reverse("org:officer_detail", args=[target.pk])).content.decode()


def test_admin_may_reset_a_privileged_account_and_the_audit_log_names_them(client, admin):
    target = approver()
    client.force_login(admin)
    response = issue(client, target)
    assert response.status_code == 200 and 'id="initial-password"' in response.content.decode()
    entry = AuditEntry.objects.get(action="officer.initial_password")
    assert entry.actor == admin and entry.data["issued_by"] == "AD01" and entry.target_id == str(target.pk)


def test_unit_leader_is_still_an_ordinary_account_for_hr(client, hr):
    leader = OfficerFactory(employee_no="LD01")
    grant(leader.user, RoleGrant.Role.UNIT_LEADER, leader.unit)
    client.force_login(hr)
    assert issue(client, leader).status_code == 200


def test_initial_password_must_be_changed_at_first_login(client, hr, zhang):
    client.force_login(hr)
    password = issue(client, zhang).context["initial_password"]
    entry = AuditEntry.objects.get(action="officer.initial_password")
    assert entry.actor == hr and entry.data["issued_by"] == "HR01"
    client.logout()

    assert login(client, "BJ0003", password).status_code == 302 and logged_in(client)
    change = reverse("account_change_password")
    for path in ("/", reverse("learning:my"), reverse("exams:my_exams") if _has("exams:my_exams") else "/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"] == change
    assert client.get(change).status_code == 200
    response = client.post(
        change, {"oldpassword": password, "password1": "Xq7-zhifa-2026", "password2": "Xq7-zhifa-2026"}
    )
    assert response.status_code == 302
    zhang.user.refresh_from_db()
    assert not zhang.user.must_change_password
    assert client.get("/").status_code == 200


def _has(name: str) -> bool:
    from django.urls import NoReverseMatch

    try:
        reverse(name)
    except NoReverseMatch:
        return False
    return True


# --- password reset mails ---------------------------------------------------------------------------------------


def test_password_reset_to_an_unknown_address_sends_no_mail(client, zhang):
    response = client.post(reverse("account_reset_password"), {"email": "nobody@example.com"})
    assert response.status_code == 302
    assert mail.outbox == []
    client.post(reverse("account_reset_password"), {"email": "zhang@example.com"})
    assert len(mail.outbox) == 1

"""seed_demo builds the demo bureau, can run again without changing anything, and its logins work."""

import io
import time

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core.management import call_command
from django.urls import reverse

from contest.models import Answer, Contest, LogEntry
from demo.org_seed import BUREAU, DEMO_PASSWORD, DEMO_TOTP_SECRET
from org.models import AuditEntry, Officer, RoleCategory, RoleGrant, Unit, User


def _counts() -> dict[str, int]:
    return {
        "units": Unit.objects.count(),
        "officers": Officer.objects.count(),
        "users": User.objects.count(),
        "grants": RoleGrant.objects.count(),
        "authenticators": Authenticator.objects.count(),
        "audit": AuditEntry.objects.filter(action__in=["officer.create", "role.grant"]).count(),
    }


@pytest.fixture
def seeded(db):
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_seed_builds_the_demo_bureau(seeded):
    assert "演示数据已就绪" in seeded and DEMO_PASSWORD in seeded
    # bureau + 5 departments + 6 squads × (1 + 2 teams)
    assert Unit.objects.filter(full_path__startswith=BUREAU).count() == 1 + 5 + 6 * 3
    assert Officer.objects.filter(employee_no__startswith="BJ").count() == 196
    for code in ("leader", "middle", "enforcer", "recruit", "auxiliary", "legal"):
        assert Officer.objects.filter(role_category__code=code).exists(), code
    assert set(RoleCategory.objects.values_list("code", flat=True)) >= {"leader", "enforcer", "auxiliary"}
    assert RoleGrant.objects.filter(user__username="hr01", role="hr").exists()
    assert RoleGrant.objects.filter(user__username="trainer01", role="trainer").exists()
    leader = RoleGrant.objects.get(user__username="leader01", role="unit_leader")
    assert leader.unit.full_path == f"{BUREAU}/执法一中队"
    assert User.objects.get(username="admin").is_superuser
    # Phones are unique and every demo officer can log in with the demo password.
    phones = list(Officer.objects.exclude(phone=None).values_list("phone", flat=True))
    assert len(phones) == len(set(phones))
    assert not User.objects.filter(password__startswith="!").exists()
    # The contest: one finished with a real record (every seat ranked, the log holding each answer), one in the lobby.
    finished = Contest.objects.get(status=Contest.Status.FINISHED)
    assert finished.seats.count() == 40 and not finished.seats.filter(rank=None).exists()
    assert finished.seats.order_by("rank").first().rank == 1
    assert Answer.objects.filter(contest_question__contest=finished).count() > 300
    assert LogEntry.objects.filter(contest=finished, event=LogEntry.Event.ACCEPTED).count() > 300
    assert Contest.objects.filter(status=Contest.Status.LOBBY, host__username="trainer01").exists()


def test_seed_twice_changes_nothing(seeded):
    before = _counts()
    passwords = dict(User.objects.values_list("username", "password"))
    officers = list(Officer.objects.order_by("employee_no").values_list("employee_no", "name", "unit_id", "phone"))
    call_command("seed_demo", stdout=io.StringIO())
    assert _counts() == before
    assert dict(User.objects.values_list("username", "password")) == passwords
    assert list(Officer.objects.order_by("employee_no").values_list("employee_no", "name", "unit_id", "phone")) == officers


def test_demo_officer_logs_in_with_employee_no_and_phone(seeded, client):
    bj0001 = Officer.objects.get(employee_no="BJ0001")
    response = client.post(reverse("account_login"), {"login": "BJ0001", "password": DEMO_PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    home = client.get(reverse("home")).content.decode()
    assert "我的学习" in home and bj0001.name in home and bj0001.unit.full_path in home
    client.post(reverse("account_logout"))
    response = client.post(reverse("account_login"), {"login": bj0001.phone, "password": DEMO_PASSWORD})
    assert response.status_code == 302 and int(client.session["_auth_user_id"]) == bj0001.user_id


def test_demo_leader_sees_only_his_squad(seeded, client):
    client.post(reverse("account_login"), {"login": "leader01", "password": DEMO_PASSWORD})
    response = client.get(reverse("org:officer_list"))
    assert response.status_code == 200
    squad = f"{BUREAU}/执法一中队"
    expected = Officer.objects.filter(unit__full_path__startswith=squad).count()
    assert response.context["total"] == expected > 0
    other = Officer.objects.filter(unit__full_path__startswith=f"{BUREAU}/执法二中队").first()
    assert client.get(reverse("org:officer_detail", args=[other.pk])).status_code == 403


def test_demo_hr_logs_in_with_the_demo_totp(seeded, client):
    response = client.post(reverse("account_login"), {"login": "hr01", "password": DEMO_PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")
    code = format_hotp_value(hotp_value(DEMO_TOTP_SECRET, int(time.time()) // mfa_settings.TOTP_PERIOD))
    assert client.post(reverse("mfa_authenticate"), {"code": code}).status_code == 302
    response = client.get(reverse("org:officer_list"))
    assert response.status_code == 200
    assert response.context["total"] == Officer.objects.count()


def test_demo_totp_command_prints_the_current_code(seeded, settings):
    settings.DEBUG = True
    out = io.StringIO()
    call_command("demo_totp", stdout=out)
    assert out.getvalue().strip().isdigit() and len(out.getvalue().strip()) == 6

"""Language defaults and the single login entry point (no side door around allauth's MFA and rate limits)."""

import pytest
from django.urls import reverse

from org.models import RoleGrant
from tests.factories import PASSWORD, OfficerFactory, UserFactory, grant


@pytest.mark.django_db
def test_english_browser_still_gets_chinese_until_english_is_chosen(client):
    page = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "密码" in page.content.decode()

    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="zh-CN")
    assert "Password" in page.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/cms/login/", "/django-admin/login/"])
def test_admin_login_forms_redirect_to_the_allauth_login(client, path):
    response = client.get(f"{path}?next=/cms/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.django_db
def test_posting_credentials_to_the_wagtail_login_does_not_log_in(client):
    officer = OfficerFactory()
    grant(officer.user, RoleGrant.Role.TRAINER)
    client.post("/cms/login/", {"username": officer.employee_no, "password": PASSWORD})
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_wagtail_admin_sends_anonymous_people_to_the_allauth_login(client):
    response = client.get("/cms/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.django_db
def test_trainer_reaches_the_wagtail_admin(client):
    officer = OfficerFactory()
    grant(officer.user, RoleGrant.Role.TRAINER)
    client.force_login(officer.user)
    assert client.get("/cms/").status_code == 200


@pytest.mark.django_db
def test_plain_officer_is_kept_out_of_the_wagtail_admin(client):
    officer = OfficerFactory()
    client.force_login(officer.user)
    response = client.get("/cms/")
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.django_db
def test_django_admin_refuses_non_staff_even_when_logged_in(client):
    user = UserFactory()
    client.force_login(user)
    assert client.get("/django-admin/").status_code in (302, 403)


def test_production_settings_pass_the_deploy_check(tmp_path):
    import os
    import secrets
    import subprocess
    import sys

    from django.conf import settings

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "zfxt.example.org",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.django_db
def test_english_is_a_full_translation_of_our_own_pages(client):
    """Our msgids are Chinese: choosing English must switch our pages, not just Django's and allauth's strings."""
    officer = OfficerFactory()
    client.force_login(officer.user)
    assert "我的学习" in client.get("/").content.decode()

    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    english = client.get("/").content.decode()
    assert "My learning" in english
    assert "我的学习" not in english

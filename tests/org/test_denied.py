"""Issue #12: /cms/ looped through the login for people without CMS rights, and every 403 was a bare English page."""

import pytest
from django.urls import reverse

CMS = "/cms/"


@pytest.mark.parametrize("who", ["officer", "leader"])
def test_signed_in_person_without_cms_rights_gets_a_chinese_403_at_cms(client, world, who):
    user = world.a1.user if who == "officer" else world.leader
    client.force_login(user)
    for path in (CMS, "/cms/pages/", "/cms/login/?next=/cms/"):
        response = client.get(path)
        assert response.status_code == 403, path  # not a redirect to the login page and back
        html = response.content.decode()
        assert "无权访问" in html and "没有内容管理权限" in html
        assert 'id="main-nav"' in html and reverse("home") in html  # the navigation and a way home
        assert "403 Forbidden" not in html


def test_anonymous_visitor_is_still_sent_to_login_from_cms(client, db):
    response = client.get(CMS)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_trainer_still_reaches_cms(client, world):
    client.force_login(world.trainer)
    assert client.get(CMS).status_code == 200


def test_every_403_is_the_chinese_page_with_the_view_reason(client, world):
    client.force_login(world.a1.user)
    response = client.get(reverse("org:officer_list"))
    assert response.status_code == 403
    html = response.content.decode()
    assert "无权访问" in html and "只有人事和单位负责人可以查看此页面。" in html  # the capability's reason
    assert 'id="main-nav"' in html


def test_403_without_a_reason_says_so_in_chinese(rf, world):
    from django.core.exceptions import PermissionDenied

    from org.views import permission_denied

    request = rf.get("/hr/officers/")
    request.user = world.a1.user
    response = permission_denied(request, PermissionDenied())
    assert response.status_code == 403
    assert "您没有权限访问这个页面。" in response.content.decode()


def test_a_colleague_file_is_refused_with_the_reason(client, world):
    client.force_login(world.a1.user)
    response = client.get(reverse("org:officer_detail", args=[world.b1.pk]))
    assert response.status_code == 403
    assert "您无权查看该人员的信息。" in response.content.decode()


def test_403_page_is_english_when_english_is_chosen(client, world, settings):
    client.force_login(world.a1.user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(CMS).content.decode()
    assert "Access denied" in html and "Back to home" in html


def test_favicon_is_served(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("favicon.svg")
    assert client.get(response["Location"]).status_code == 200


def test_csrf_failure_is_the_chinese_403_page(world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.hr)
    response = client.post(reverse("org:officer_initial_password", args=[world.a1.pk]))
    assert response.status_code == 403
    html = response.content.decode()
    assert "无权访问" in html and "页面已过期" in html and "Forbidden" not in html

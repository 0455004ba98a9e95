"""Access tests for every org view: anonymous, officer, other officer, unit leader in/out of subtree, trainer, HR."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from org.models import AuditEntry, Officer

LIST = reverse("org:officer_list")
EXPORT = reverse("org:officer_export")
IMPORT = reverse("org:roster_import")


def detail(officer) -> str:
    return reverse("org:officer_detail", args=[officer.pk])


def _login(client, user):
    client.force_login(user)
    return client


def _export_rows(response) -> list[tuple]:
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    return list(sheet.iter_rows(values_only=True))


# --- anonymous -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["home", "org:profile", "org:officer_list", "org:officer_export", "org:roster_import"])
def test_anonymous_is_sent_to_login(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_anonymous_detail_is_sent_to_login(client, world):
    response = client.get(detail(world.a1))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


# --- a plain officer -------------------------------------------------------------------------


def test_officer_reads_own_record_only(client, world):
    _login(client, world.a1.user)
    own = client.get(detail(world.a1))
    assert own.status_code == 200
    assert world.a1.name in own.content.decode()
    assert client.get(detail(world.a2)).status_code == 403  # same squad, other officer
    assert client.get(detail(world.b1)).status_code == 403


@pytest.mark.parametrize("url", [LIST, EXPORT, IMPORT])
def test_officer_gets_no_hr_pages(client, world, url):
    _login(client, world.a1.user)
    assert client.get(url).status_code == 403


def test_officer_home_and_profile_show_own_name(client, world):
    _login(client, world.a1.user)
    home = client.get(reverse("home")).content.decode()
    assert "我的学习" in home and world.a1.name in home and world.a1.unit.full_path in home
    assert "人员名册" not in home  # no HR link in the nav
    profile = client.get(reverse("org:profile"))
    assert profile.status_code == 200 and world.a1.name in profile.content.decode()


def test_officer_cannot_issue_initial_password(client, world):
    _login(client, world.a1.user)
    before = world.a2.user.password
    response = client.post(reverse("org:officer_initial_password", args=[world.a2.pk]))
    assert response.status_code == 403
    world.a2.user.refresh_from_db()
    assert world.a2.user.password == before


# --- a unit leader ---------------------------------------------------------------------------


def test_leader_list_shows_subtree_only(client, world):
    _login(client, world.leader)
    response = client.get(LIST)
    assert response.status_code == 200
    listed = {o.employee_no for o in response.context["page"]}
    assert listed == {
        world.leader_officer.employee_no,
        world.a1.employee_no,
        world.a2.employee_no,
        world.a3.employee_no,
    }
    html = response.content.decode()
    assert world.b1.employee_no not in html
    # The unit tree offers the subtree only.
    assert {node["unit"] for node in response.context["tree"]} == {world.squad1, world.squad1_team1, world.squad1_team2}


def test_leader_filters_inside_subtree(client, world):
    _login(client, world.leader)
    response = client.get(LIST, {"unit": world.squad1_team2.pk})
    assert response.status_code == 200
    assert [o.employee_no for o in response.context["page"]] == [world.a2.employee_no]


@pytest.mark.parametrize("outside", ["squad2", "squad2_team1", "bureau"])
def test_leader_filtering_by_unit_outside_subtree_is_forbidden(client, world, outside):
    _login(client, world.leader)
    unit = getattr(world, outside)
    assert client.get(LIST, {"unit": unit.pk}).status_code == 403
    assert client.get(EXPORT, {"unit": unit.pk}).status_code == 403


def test_filter_by_missing_unit_is_404(client, world):
    _login(client, world.leader)
    assert client.get(LIST, {"unit": 999_999}).status_code == 404


def test_leader_detail_inside_and_outside_subtree(client, world):
    _login(client, world.leader)
    assert client.get(detail(world.a1)).status_code == 200
    assert client.get(detail(world.a3)).status_code == 200
    assert client.get(detail(world.b1)).status_code == 403


def test_leader_export_contains_only_subtree_rows(client, world):
    _login(client, world.leader)
    rows = _export_rows(client.get(EXPORT))
    assert rows[0][:4] == ("工号", "姓名", "单位", "人员类别")
    numbers = {row[0] for row in rows[1:]}
    assert numbers == {
        world.leader_officer.employee_no,
        world.a1.employee_no,
        world.a2.employee_no,
        world.a3.employee_no,
    }


def test_leader_export_with_filter_narrows_further(client, world):
    _login(client, world.leader)
    rows = _export_rows(client.get(EXPORT, {"unit": world.squad1_team1.pk}))
    assert [row[0] for row in rows[1:]] == [world.a1.employee_no]


@pytest.mark.parametrize("method", ["get", "post"])
def test_leader_cannot_import_roster(client, world, method):
    _login(client, world.leader)
    assert getattr(client, method)(IMPORT).status_code == 403


def test_leader_cannot_issue_initial_password(client, world):
    _login(client, world.leader)
    assert client.post(reverse("org:officer_initial_password", args=[world.a1.pk])).status_code == 403


# --- trainer ----------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [LIST, EXPORT, IMPORT])
def test_trainer_gets_no_hr_pages(client, world, url):
    _login(client, world.trainer)
    assert client.get(url).status_code == 403


def test_trainer_cannot_open_another_officers_hr_record(client, world):
    _login(client, world.trainer)
    assert client.get(detail(world.b1)).status_code == 403
    own = world.trainer.officer
    assert client.get(detail(own)).status_code == 200


# --- HR -----------------------------------------------------------------------------------------


def test_hr_sees_everyone(client, world):
    _login(client, world.hr)
    response = client.get(LIST)
    assert response.status_code == 200
    assert response.context["total"] == Officer.objects.count()
    assert client.get(detail(world.b1)).status_code == 200
    rows = _export_rows(client.get(EXPORT))
    assert len(rows) - 1 == Officer.objects.count()
    assert client.get(IMPORT).status_code == 200


def test_hr_filters_by_text_and_status(client, world):
    world.b1.status = Officer.Status.RETIRED
    world.b1.save()
    _login(client, world.hr)
    found = client.get(LIST, {"q": world.a2.employee_no}).context["page"]
    assert [o.pk for o in found] == [world.a2.pk]
    retired = client.get(LIST, {"status": "retired"}).context["page"]
    assert [o.pk for o in retired] == [world.b1.pk]


def test_hr_issues_initial_password_once_and_audits(client, world):
    _login(client, world.hr)
    response = client.post(reverse("org:officer_initial_password", args=[world.a1.pk]))
    assert response.status_code == 200
    password = response.context["initial_password"]
    world.a1.user.refresh_from_db()
    assert world.a1.user.check_password(password)
    entry = AuditEntry.objects.get(action="officer.initial_password")
    assert entry.actor == world.hr and entry.target_id == str(world.a1.pk)
    assert password not in str(entry.data)


def test_hr_initial_password_needs_post(client, world):
    _login(client, world.hr)
    assert client.get(reverse("org:officer_initial_password", args=[world.a1.pk])).status_code == 405


def test_healthz_is_public(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json()["ok"] is True

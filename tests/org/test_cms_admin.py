"""Issue #12, the Wagtail admin as a newcomer met it: a retried new page blocked by its own autosaved draft, English
strings and "localhost" in the Chinese admin, and 法制科's approve action hidden in a dropdown."""

import pytest
from django.contrib.auth.models import Group
from django.test import RequestFactory
from wagtail.admin.action_menu import PageActionMenu
from wagtail.models import Site
from wagtail.test.utils.form_data import rich_text

from content import services as content_services
from content.models import CourseIndexPage, CoursePage
from content.page_forms import ZhifaPageForm
from tests.content.conftest import make_course
from tests.factories import OfficerFactory, grant, unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree(db):
    return content_services.content_tree_ensure()


@pytest.fixture
def trainer(tree):
    user = OfficerFactory(unit=unit("测试区城管局/法制科")).user
    grant(user, "trainer")
    return user


@pytest.fixture
def approver(tree):
    user = OfficerFactory(unit=unit("测试区城管局/法制科")).user
    user.groups.add(Group.objects.get(name=content_services.APPROVER_GROUP))
    return user


def _form(parent, user, *, title, slug):
    form_class = CourseIndexPage.get_edit_handler().get_form_class()
    assert issubclass(form_class, ZhifaPageForm)
    return form_class(
        {
            "title": title,
            "slug": slug,
            "intro": rich_text(""),
            "comments-TOTAL_FORMS": "0",
            "comments-INITIAL_FORMS": "0",
        },
        instance=CourseIndexPage(),
        parent_page=parent,
        for_user=user,
    )


def test_retry_after_an_abandoned_autosaved_draft_gets_a_free_slug(tree, trainer):
    home = tree["home"]
    # What Wagtail 8's first autosave of a new page leaves behind when the editor walks away: a never-published draft.
    abandoned = CourseIndexPage(title="专题课程", slug="zhuanti", live=False)
    home.add_child(instance=abandoned)
    abandoned.save_revision(user=trainer)
    form = _form(home, trainer, title="专题课程", slug="zhuanti")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["slug"] == "zhuanti-2"
    page = form.save(commit=False)
    home.add_child(instance=page)
    assert page.slug == "zhuanti-2"
    assert CourseIndexPage.objects.filter(pk=abandoned.pk).exists()  # nothing anyone wrote is deleted


def test_a_slug_of_a_published_page_is_still_refused_in_chinese(tree, trainer):
    form = _form(tree["home"], trainer, title="法律课程", slug=tree["courses"].slug)
    assert not form.is_valid()
    assert "已被同一上级页面下的另一个已发布页面使用" in str(form.errors["slug"])


def test_default_site_is_named_and_the_admin_home_speaks_chinese(client, tree, trainer):
    site = Site.objects.get(is_default_site=True)
    assert site.site_name == "执法学堂"
    client.force_login(trainer)
    html = client.get("/cms/").content.decode()
    assert "localhost" not in html and "created in" not in html
    assert "个页面" in html and "执法学堂" in html


def test_unnamed_default_site_is_named_on_the_next_ensure(tree):
    Site.objects.filter(is_default_site=True).update(site_name="")
    content_services.content_tree_ensure()
    assert Site.objects.get(is_default_site=True).site_name == "执法学堂"


def test_approve_is_the_main_button_for_the_approver(tree, trainer, approver):
    course = make_course(tree, title="待审核课程", publish=False)
    course.get_workflow().start(course, trainer)
    course.refresh_from_db()
    request = RequestFactory().get(f"/cms/pages/{course.pk}/edit/")
    request.user = approver
    menu = PageActionMenu(request, view="edit", page=CoursePage.objects.get(pk=course.pk), locked_for_user=False)
    assert menu.default_item.name == "approve"
    # The trainer who submitted it keeps "save draft" as the main button (no approve action for them).
    request.user = trainer
    menu = PageActionMenu(request, view="edit", page=CoursePage.objects.get(pk=course.pk), locked_for_user=False)
    assert getattr(menu.default_item, "name", "") != "approve"

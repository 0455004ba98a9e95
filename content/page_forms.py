"""The admin form of our pages: a retry of a page whose first attempt was abandoned gets a free address.

Wagtail 8 autosaves a new page: the first autosave already creates it in the tree as a never-published draft. If
the editor leaves that form and adds the page again, the title gives the same slug, and Wagtail refused it ("The slug
... is already in use") although the editor never saved anything on purpose. When the slug is taken only by a
never-published draft, the new page takes the next free slug (行政处罚法-2) instead; the draft stays, so nothing
anyone wrote is lost. A slug taken by a published page is still refused (in Chinese, see locale/zh_Hans)."""

from __future__ import annotations

from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.models import Page


def free_slug(slug: str, parent_page: Page) -> str:
    taken = set(parent_page.get_children().filter(slug__startswith=slug).values_list("slug", flat=True))
    suffix = 2
    while f"{slug}-{suffix}" in taken:
        suffix += 1
    return f"{slug}-{suffix}"


class ZhifaPageForm(WagtailAdminPageForm):
    def clean(self):
        slug = self.cleaned_data.get("slug", "")  # the field's cleaned value, before the sibling check
        cleaned_data = super().clean()
        if self.instance.pk is None and self.parent_page is not None and "slug" in self.errors and slug:
            taken_by = self.parent_page.get_children().filter(slug=slug)
            if taken_by.exists() and not taken_by.filter(first_published_at__isnull=False).exists():
                # Only a draft nobody ever published holds it: let the new page take the next free slug.
                self._errors.pop("slug")
                cleaned_data["slug"] = free_slug(slug, self.parent_page)
        return cleaned_data

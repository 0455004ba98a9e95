"""What every area of learning's services shares: the error type and credit-category codes."""

from __future__ import annotations

from django.utils.translation import gettext as _

from .. import catalog


class LearningError(Exception):
    """A rule of the domain refused the request; the message is for the user."""


# Content owns the categories (content.CreditCategory, edited as a Wagtail snippet and written only through
# content.services); learning's models point at them by code. Here a category is named by its code.


def _category(category) -> str:
    """The code of a credit category content knows (a code, or anything with a .code); LearningError if not."""
    code = str(getattr(category, "code", category) or "")
    if code not in dict(catalog.credit_categories()):
        raise LearningError(_("未知的学时类别:%(code)s") % {"code": code or "-"})
    return code

"""Which name of a taxonomy row (人员类别, 学时类别, 违法行为类别 ...) the reader sees.

The rows are data, so gettext cannot translate them: each has a ``name`` (Chinese) and an optional ``name_en``.
Units and people keep their own names in every language."""

from __future__ import annotations

from django.utils import translation


def english_active() -> bool:
    return (translation.get_language() or "").startswith("en")


def localized_name(name: str, name_en: str = "") -> str:
    """``name_en`` when the interface is English and it is set, otherwise ``name``."""
    return name_en if name_en and english_active() else name


def display_name(obj: object) -> str:
    """The reader's name of a row with ``name`` / ``name_en``; other objects as str()."""
    if obj is None:
        return ""
    name = getattr(obj, "name", None)
    if name is None:
        return str(obj)
    return localized_name(name, getattr(obj, "name_en", "") or "")

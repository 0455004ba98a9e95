"""The learning sections (法律课程, 案例库) in the site's main navigation, wherever the editors put them."""

from django import template

from content import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def learning_sections(context) -> list[tuple[str, str]]:
    request = context.get("request")
    if request is None:
        return selectors.nav_sections()
    cached = getattr(request, "_content_nav_sections", None)
    if cached is None:
        cached = selectors.nav_sections(request)
        request._content_nav_sections = cached
    return cached

"""The signed-in officer's study progress, for content's course page (content includes
learning/course_progress.html and learning/lesson_progress.html by name, as it does the study widget)."""

from django import template

from org.access import current_officer

from .. import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def course_progress(context, course_id: int) -> dict | None:
    """Progress of the request's officer through one course, computed once per request and course."""
    request = context.get("request")
    if request is None or not getattr(request, "user", None) or not request.user.is_authenticated:
        return None
    cache = request.__dict__.setdefault("_learning_course_progress", {})
    if course_id not in cache:
        officer = current_officer(request.user)
        cache[course_id] = selectors.course_progress_for(officer=officer, course_id=course_id) if officer else None
    return cache[course_id]


@register.simple_tag(takes_context=True)
def lesson_progress(context, course_id: int, lesson_id: int) -> dict | None:
    progress = course_progress(context, course_id)
    return progress["by_lesson"].get(lesson_id) if progress else None

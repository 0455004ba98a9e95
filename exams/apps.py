from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _exams_card_context(request, officer) -> dict:
    """The home card: the exam to act on next (open first, then the nearest upcoming) and the latest result."""
    from django.utils import timezone

    from .selectors.exams import officer_exams

    if officer is None:
        return {"officer": None}
    buckets = officer_exams(officer=officer, now=timezone.now())
    upcoming = sorted(buckets["upcoming"], key=lambda r: r.opens_at)
    following = buckets["open"] or upcoming
    last = next((r for r in buckets["finished"] if r.result is not None), None)
    return {"officer": officer, "next": following[0] if following else None, "last": last}


class ExamsConfig(AppConfig):
    name = "exams"
    verbose_name = _("考试")

    def ready(self) -> None:
        from django.urls import reverse

        from content.citations import register_citing_model
        from org.dashboard import register_card

        from .models import Question

        # Questions cite law articles through content's one citation mechanism: when content amends a cited
        # article, active questions citing the older version are flagged and their author is notified.
        register_citing_model(
            Question,
            label=str(_("试题")),
            title=lambda q: q.title or q.stem[:40],
            admin_url=lambda q: reverse("exams:question_detail", args=[q.pk]),
            editors=lambda q: [q.author] if q.author_id else [],
            is_active=lambda q: q.status == Question.Status.ACTIVE,
        )
        register_card(
            key="exams", order=20, title=_("考试"), template="exams/authoring/card.html", context=_exams_card_context
        )

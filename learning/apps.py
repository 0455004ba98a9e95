from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _hours_card_context(request, officer) -> dict:
    from django.utils import timezone

    from . import selectors

    if officer is None:
        return {"officer": None}
    year = timezone.localdate().year
    return {"officer": officer, "summary": selectors.officer_summary(officer=officer, year=year)}


class LearningConfig(AppConfig):
    name = "learning"
    verbose_name = _("学习")

    def ready(self) -> None:
        from org.dashboard import register_card

        register_card(
            key="hours",
            order=10,
            title=_("本年度学时"),
            template="learning/cards/hours.html",
            context=_hours_card_context,
        )

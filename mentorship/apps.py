from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _mentorship_card_context(request, officer) -> dict:
    from . import selectors

    if officer is None:
        return {"officer": None}
    return {"officer": officer, **selectors.card(officer=officer)}


class MentorshipConfig(AppConfig):
    name = "mentorship"
    verbose_name = _("师徒结对")

    def ready(self) -> None:
        from org.dashboard import register_card
        from org.housekeeping import register_job

        from .reminders import reminders_run_job

        register_card(
            key="mentorship",
            order=40,
            title=_("师徒结对"),
            template="mentorship/cards/mentorship.html",
            context=_mentorship_card_context,
        )
        # Daily in effect: checked hourly; the reminder log's unique keys make every extra run send nothing.
        register_job(name="mentorship.reminders", every_seconds=3600, run=reminders_run_job)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _certificate_card_context(request, officer) -> dict:
    """The officer's home card: status in its colour, the year it is valid for, and what is missing (with links)."""
    from . import selectors

    if officer is None:
        return {"officer": None}
    status = selectors.officer_status(officer=officer)
    eligibility = getattr(status, "eligibility", None)
    unmet = [c for c in (eligibility.conditions if eligibility else []) if c.state != "met"]
    cycle = selectors.cycle_for(eligibility.year) if eligibility is not None else None
    return {"officer": officer, "s": status, "unmet": unmet if status.certificate else [], "cycle": cycle}


class CertificationConfig(AppConfig):
    name = "certification"
    verbose_name = _("执法资格")

    def ready(self) -> None:
        from org.dashboard import register_card
        from org.housekeeping import register_job

        from .reminders import reminders_run_job

        register_card(
            key="certificate",
            order=30,
            title=_("行政执法证"),
            template="certification/cards/certificate.html",
            context=_certificate_card_context,
        )
        # Daily reminders: checked hourly; the reminder log's unique keys make every extra run send nothing.
        register_job(name="certification.reminders", every_seconds=3600, run=reminders_run_job)

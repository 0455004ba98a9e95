from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContestConfig(AppConfig):
    name = "contest"
    verbose_name = _("知识竞赛")

    def ready(self) -> None:
        from org.housekeeping import register_job

        from .jobs import close_overdue_rounds

        # A backstop: the host's pages close a round the moment its time is up; this closes any round left open.
        register_job(name="contest_close_overdue", every_seconds=15, run=close_overdue_rounds)

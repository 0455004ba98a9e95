from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExamsConfig(AppConfig):
    name = "exams"
    verbose_name = _("考试")

    def ready(self) -> None:
        from django.urls import reverse

        from content.citations import register_citing_model

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

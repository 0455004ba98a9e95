from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContentConfig(AppConfig):
    name = "content"
    verbose_name = _("内容")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from .citations import register_content_pages

        register_content_pages()

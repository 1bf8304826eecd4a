from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FilingsConfig(AppConfig):
    name = "filings"
    verbose_name = _("Filings")

    def ready(self) -> None:
        from filings.services.selection import SELECTION
        from publicity.subjects import register

        register(SELECTION)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FilingsConfig(AppConfig):
    name = "filings"
    verbose_name = _("Filings")

    def ready(self) -> None:
        from agencies.links import register_call_links
        from filings.links import call_links
        from filings.services.selection import SELECTION
        from publicity.subjects import register

        register(SELECTION)
        register_call_links(call_links)

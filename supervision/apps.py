from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "supervision"
    verbose_name = _("Supervision")

    def ready(self) -> None:
        from agencies.links import register_organisation_links
        from supervision.links import organisation_links

        register_organisation_links(organisation_links)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal core")

    def ready(self) -> None:
        from portal import checks, signals  # noqa: F401  (the system checks and all signal receivers)
        from portal.lib import formmessages

        formmessages.install()  # the portal's words for a required field left empty, on every form

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = _("Certificates")

    def ready(self) -> None:
        from certificates import checks  # noqa: F401  (registers the system checks)
        from certificates.notices import RESULTS
        from certificates.selectors import removal_consequences
        from publicity.subjects import register
        from supervision.removal import register_removal_consequences

        register(RESULTS)
        register_removal_consequences(removal_consequences)

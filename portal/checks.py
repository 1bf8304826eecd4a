"""System checks of the portal (``manage.py check``; the server runs them on start)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Warning, register

from portal.lib.auditchain import DEVELOPMENT_KEY
from portal.lib.pdf import HARFBUZZ_SUBSET_PACKAGE, harfbuzz_subset_in_use


@register()
def harfbuzz_subset(app_configs, **kwargs) -> list[Warning]:
    if harfbuzz_subset_in_use():
        return []
    return [
        Warning(
            "WeasyPrint subsets the CJK fonts with fontTools: each PDF takes seconds longer to render.",
            hint=f"Install Debian's {HARFBUZZ_SUBSET_PACKAGE} package (apt-get install {HARFBUZZ_SUBSET_PACKAGE}).",
            id="portal.W001",
        )
    ]


# The legal floor of the audit log's retention: six months (网络安全法 art. 21), 184 days at the longest.
AUDIT_MINIMUM_DAYS = 184


@register()
def audit_chain(app_configs, **kwargs) -> list[Error]:
    errors = []
    key = settings.AUDIT_CHAIN_KEY
    try:
        valid = len(bytes.fromhex(key)) >= 32
    except ValueError:
        valid = False
    if not valid:
        errors.append(Error("AUDIT_CHAIN_KEY must be at least 64 hex digits.", id="portal.E002"))
    elif not settings.DEBUG and key == DEVELOPMENT_KEY:
        errors.append(
            Error(
                "AUDIT_CHAIN_KEY is the development key while DEBUG is off.",
                hint="Set AUDIT_CHAIN_KEY to 64 random hex digits (python3 -c 'import secrets; "
                "print(secrets.token_hex(32))') and keep it: the audit chain is verified with it.",
                id="portal.E001",
            )
        )
    if settings.AUDIT_RETENTION_DAYS < AUDIT_MINIMUM_DAYS:
        errors.append(
            Error(f"AUDIT_RETENTION_DAYS must be at least {AUDIT_MINIMUM_DAYS} (six months).", id="portal.E003")
        )
    return errors


LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1", "0.0.0.0"}  # noqa: S104  names compared, nothing bound


@register(deploy=True)
def public_address(app_configs, **kwargs) -> list[Warning]:
    """The address printed in e-mails and in the QR codes of receipts and certificates: a production instance left
    at the laptop's default prints QR codes that lead nowhere for whoever scans them."""
    host = urlsplit(settings.PORTAL_BASE_URL).hostname or ""
    if settings.DEBUG or host not in LOOPBACK_HOSTS:
        return []
    return [
        Warning(
            f"PORTAL_BASE_URL is {settings.PORTAL_BASE_URL}: the QR codes of receipts and certificates and the links "
            "in e-mails would point at this machine's loopback address.",
            hint="Set PORTAL_BASE_URL to the portal's public address, e.g. https://portal.example.gov.cn.",
            id="portal.W002",
        )
    ]

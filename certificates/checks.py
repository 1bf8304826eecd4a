"""System checks of certificates (``manage.py check``; ``migrate`` and ``runserver`` run them on start, so the
production container's ``migrate && gunicorn`` stops before serving).

With DEBUG off, the development keys of ``portal.settings`` are refused: anyone who has read the source could
decrypt the stored ID numbers (SM4 key) or test a guessed ID number against the look-up hashes (HMAC key)."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, register

# The defaults of portal.settings, published with the source: development only.
DEVELOPMENT_ID_KEY = "00112233445566778899aabbccddeeff"
DEVELOPMENT_HASH_KEY = "6465762d6f6e6c792d686d61632d736d332d6b65792d666f722d69642d6e6f73"


@register()
def development_keys(app_configs, **kwargs) -> list[Error]:
    if settings.DEBUG:
        return []
    errors = []
    if settings.CERTIFICATE_ID_KEY.strip().lower() == DEVELOPMENT_ID_KEY:
        errors.append(
            Error(
                "CERTIFICATE_ID_KEY is the development key: the ID numbers would be encrypted with a published key.",
                hint='Set CERTIFICATE_ID_KEY to 32 random hex digits (python3 -c "import secrets; '
                'print(secrets.token_hex(16))") and keep it: a lost key makes the stored ID numbers unreadable.',
                id="certificates.E001",
            )
        )
    if settings.CERTIFICATE_HASH_KEY.strip().lower() == DEVELOPMENT_HASH_KEY:
        errors.append(
            Error(
                "CERTIFICATE_HASH_KEY is the development key: anyone could match a guessed ID number to its hash.",
                hint='Set CERTIFICATE_HASH_KEY to 64 random hex digits (python3 -c "import secrets; '
                'print(secrets.token_hex(32))") and keep it: the look-up hashes are made with it.',
                id="certificates.E002",
            )
        )
    return errors

"""Production refuses to start with the development encryption keys (certificates/checks.py): the SM4 key of the
ID numbers and the HMAC-SM3 key of their look-up hash are published with the source."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings

from certificates.checks import DEVELOPMENT_HASH_KEY, DEVELOPMENT_ID_KEY, development_keys

OWN_ID_KEY = "a1" * 16
OWN_HASH_KEY = "5e" * 32


def ids() -> list[str]:
    return [error.id for error in development_keys(None)]


def test_the_development_keys_are_the_defaults_of_the_settings():
    """The check knows the keys the settings fall back to (read from the settings module's source)."""
    source = (django_settings.BASE_DIR / "portal" / "settings.py").read_text(encoding="utf-8")
    assert f'default="{DEVELOPMENT_ID_KEY}"' in source and f'default="{DEVELOPMENT_HASH_KEY}"' in source


@pytest.mark.parametrize(
    ("id_key", "hash_key", "expected"),
    [
        (DEVELOPMENT_ID_KEY, DEVELOPMENT_HASH_KEY, ["certificates.E001", "certificates.E002"]),
        (DEVELOPMENT_ID_KEY.upper(), OWN_HASH_KEY, ["certificates.E001"]),
        (OWN_ID_KEY, DEVELOPMENT_HASH_KEY, ["certificates.E002"]),
        (OWN_ID_KEY, OWN_HASH_KEY, []),
    ],
)
def test_with_debug_off_each_development_key_is_an_error(settings, id_key, hash_key, expected):
    settings.DEBUG = False
    settings.CERTIFICATE_ID_KEY, settings.CERTIFICATE_HASH_KEY = id_key, hash_key
    assert ids() == expected


def test_with_debug_on_the_development_keys_are_accepted(settings):
    settings.DEBUG = True
    settings.CERTIFICATE_ID_KEY, settings.CERTIFICATE_HASH_KEY = DEVELOPMENT_ID_KEY, DEVELOPMENT_HASH_KEY
    assert ids() == []


def _check(**env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CERTIFICATE_", "AUDIT_"))}
    environment.update(
        DJANGO_DEBUG="False",
        # The audit chain's key of its own (its development key is refused too: tests/portal/test_audit_chain.py).
        AUDIT_CHAIN_KEY="a1" * 32,
        DJANGO_SECRET_KEY="k" * 20 + "Zx9!pQ7#mL2@vB5$nR8&tY4*wE6^uI3(oP1)aS0",
        DJANGO_ALLOWED_HOSTS="portal.example.gov.cn",
        **env,
    )
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=django_settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_with_the_development_keys():
    refused = _check()
    assert refused.returncode != 0
    assert "certificates.E001" in refused.stderr and "certificates.E002" in refused.stderr
    started = _check(CERTIFICATE_ID_KEY=OWN_ID_KEY, CERTIFICATE_HASH_KEY=OWN_HASH_KEY)
    assert started.returncode == 0, started.stderr

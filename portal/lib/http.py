"""Request helpers shared by services that record who did what from where."""

from __future__ import annotations

from axes.helpers import get_client_ip_address
from django.http import HttpRequest


def client_ip(request: HttpRequest | None) -> str | None:
    """The client address, resolved the same way django-axes resolves it for lockouts."""
    if request is None:
        return None
    return get_client_ip_address(request)

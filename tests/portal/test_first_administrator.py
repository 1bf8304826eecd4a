"""The first administrator of a deployment, made with `manage.py createsuperuser` as the README says: it carries
the administrator's role, so the administrator's own pages open, not only the Django admin."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from portal.models import Role, User


def create(monkeypatch, **options) -> None:
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "Ops-first-2026!x")
    call_command(
        "createsuperuser", "--noinput", username="ops", email="ops@example.cn", stdout=io.StringIO(), **options
    )


def test_the_first_administrator_has_the_role_and_reaches_the_audit_log(db, monkeypatch, client_for):
    create(monkeypatch, role="admin")
    admin = User.objects.get(username="ops")
    assert admin.role == Role.ADMIN and admin.is_superuser
    # The first sign-in asks for a password of their own (the one typed in a shell counts as old), then the
    # administrator's pages open.
    assert client_for(admin).get(reverse("audit_list"))["Location"] == reverse("password_change")
    admin.set_password("Ops-own-2026!Qx")
    admin.save()
    assert client_for(admin).get(reverse("audit_list")).status_code == 200


def test_an_administrator_without_a_role_is_not_made(db, monkeypatch):
    with pytest.raises(CommandError, match="--role"):
        create(monkeypatch)
    assert not User.objects.filter(username="ops").exists()

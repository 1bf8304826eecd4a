"""seed_demo refuses to store the demo's texts in English when the translations are not compiled (first-day tester:
a demo seeded before `compilemessages` showed "Filed." and English inbox messages on Chinese pages for good)."""

from __future__ import annotations

import pytest
from asgiref.local import Local
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils.translation import trans_real

from agencies.models import Organisation


@pytest.mark.django_db
def test_seed_demo_is_refused_without_the_compiled_catalogue(settings, monkeypatch):
    settings.DEBUG = True
    # As if no .mo file were found: the catalogue of every language is Django's own and the untranslated msgids.
    # Every cache of catalogues is replaced for the test only, so that none built here outlives it.
    monkeypatch.setattr(trans_real, "_translations", {})
    monkeypatch.setattr(trans_real, "_active", Local())
    monkeypatch.setattr(trans_real, "_default", None)
    monkeypatch.setattr(trans_real.DjangoTranslation, "_add_local_translations", lambda self: None)
    monkeypatch.setattr(trans_real.DjangoTranslation, "_add_installed_apps_translations", lambda self: None)
    with pytest.raises(CommandError, match="compilemessages"):
        call_command("seed_demo")
    assert not Organisation.objects.exists()

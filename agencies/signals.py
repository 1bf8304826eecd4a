"""The agencies' signal receivers (connected in ``AgenciesConfig.ready``)."""

from __future__ import annotations

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from agencies.models import DirectoryEntry, Occupation, Organisation
from agencies.selectors import SEARCH_VOCABULARY_KEY
from portal.lib import publiccache
from portal.models import Region


@receiver(post_save, sender=Organisation)
def directory_name_follows(sender, instance: Organisation, created: bool, **kwargs) -> None:
    """A renamed organisation (in the admin, or by a later service) is sorted and found by its new name."""
    if created:
        return
    if DirectoryEntry.objects.filter(organisation=instance).exclude(name=instance.name).update(name=instance.name):
        publiccache.bump("directory")


@receiver(post_save, sender=Region)
@receiver(post_delete, sender=Region)
@receiver(post_save, sender=Occupation)
@receiver(post_delete, sender=Occupation)
def search_vocabulary_forgotten(sender, **kwargs) -> None:
    """A region or occupation added, renamed or deleted (the reference data, the admin) is read by the directory's
    search box from the next search on (``agencies.selectors.search_vocabulary``)."""
    transaction.on_commit(lambda: cache.delete(SEARCH_VOCABULARY_KEY))

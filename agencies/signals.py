"""The agencies' signal receivers (connected in ``AgenciesConfig.ready``)."""

from __future__ import annotations

from django.db.models.signals import post_save
from django.dispatch import receiver

from agencies.models import DirectoryEntry, Organisation
from portal.lib import publiccache


@receiver(post_save, sender=Organisation)
def directory_name_follows(sender, instance: Organisation, created: bool, **kwargs) -> None:
    """A renamed organisation (in the admin, or by a later service) is sorted and found by its new name."""
    if created:
        return
    if DirectoryEntry.objects.filter(organisation=instance).exclude(name=instance.name).update(name=instance.name):
        publiccache.bump("directory")

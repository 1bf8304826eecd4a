"""Scoped reads of notices and objections: who manages which notice, what the public reads."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Model, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from portal.lib.todo import todo_counted
from portal.lib.tracking import TRACKING_CODE_LENGTH, normalise_tracking_code
from portal.models import User
from publicity.models import Notice, NoticeItem, Objection
from publicity.subjects import Entry, kinds_managed_by, subject_for, unlisted_models

# Codes issued before the short ones (20 mixed-case characters) are still found, exactly as issued.
LEGACY_CODE_LENGTHS = range(16, 33)


def notices_visible_to(user: User) -> QuerySet[Notice]:
    """The notices an official manages: of the kinds their role manages, in their jurisdiction."""
    if not user.is_authenticated or user.jurisdiction is None:
        return Notice.objects.none()
    return Notice.objects.filter(
        kind__in=kinds_managed_by(user.role), region__path__startswith=user.jurisdiction.path
    ).select_related("region")


def notices_public() -> QuerySet[Notice]:
    """What anyone may read: published notices, and closed ones for the record."""
    return Notice.objects.filter(status__in=(Notice.Status.PUBLISHED, Notice.Status.CLOSED)).select_related(
        "region", "created_by__department"
    )


def listed_entries() -> Count:
    """A notice's entries as its public list counts them: an item standing for the whole notice is none of them
    (a results notice on which nobody is proposed as qualified lists 0, not 1)."""
    unlisted = [ContentType.objects.get_for_model(model) for model in unlisted_models()]
    return Count("items", filter=~Q(items__content_type__in=unlisted)) if unlisted else Count("items")


def notice_entries(notice: Notice) -> list[Entry]:
    """The entries of a notice as its subject's handler describes them."""
    return subject_for(notice.kind).entries(list(notice.items.order_by("pk")))


def objections_of(notice: Notice) -> QuerySet[Objection]:
    return notice.objections.select_related("item", "handled_by").prefetch_related("attachments")


def objection_tracked(code: str) -> Objection | None:
    """The objection with this tracking code, or None; anything not shaped like a code finds nothing."""
    objections = Objection.objects.select_related("notice", "item").prefetch_related("attachments")
    typed = code.strip()
    normalised = normalise_tracking_code(typed)
    if len(normalised) == TRACKING_CODE_LENGTH:
        return objections.filter(tracking_code=normalised).first()
    if len(typed) in LEGACY_CODE_LENGTHS:
        return objections.filter(tracking_code=typed).first()
    return None


def notices_only_about(subjects: QuerySet) -> QuerySet[Notice]:
    """The notices that list some of ``subjects`` and nothing else (a demo reset deletes them with their subjects;
    a notice that also lists another subject stays, without the items of ``subjects``)."""
    content_type = ContentType.objects.get_for_model(subjects.model)
    ids = subjects.values("pk")
    about = NoticeItem.objects.filter(content_type=content_type, object_id__in=ids).values("notice")
    other = NoticeItem.objects.exclude(content_type=content_type, object_id__in=ids).values("notice")
    return Notice.objects.filter(pk__in=about).exclude(pk__in=other)


def subjects_on_open_notices(model: type[Model]) -> QuerySet[NoticeItem]:
    """The ids of subjects of the model already on a draft or published notice: they cannot go on another."""
    return NoticeItem.objects.filter(
        content_type=ContentType.objects.get_for_model(model),
        notice__status__in=(Notice.Status.DRAFT, Notice.Status.PUBLISHED),
    ).values("object_id")


def home_panel(user: User) -> dict:
    """Objections waiting for an answer on the notices the user manages, for the home page's to-do list."""
    if not user.is_authenticated or user.jurisdiction is None or not kinds_managed_by(user.role):
        return {}
    pending = Objection.objects.filter(
        status=Objection.Status.PENDING, notice__in=notices_visible_to(user).values("pk")
    )
    return {
        "todo": [
            todo_counted(_("Objections to handle"), pending, reverse("filings:notice_list"), "bi-exclamation-octagon")
        ]
    }

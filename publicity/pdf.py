"""The public notice as a PDF: rendered once when it is published (``publicity.tasks.render_notice_pdf``) and
served from storage after that; what it shows is fixed on publication."""

from __future__ import annotations

from django.conf import settings
from django.db.models.fields.files import FieldFile
from django.utils import timezone, translation

from portal.lib.pdf import chinese_date, render_pdf
from portal.services import document_stored
from publicity.models import Notice
from publicity.selectors import notice_entries
from publicity.subjects import notice_headings


def issuer_of(notice: Notice) -> str:
    return notice.created_by.department.name if notice.created_by.department_id else ""


def notice_pdf(notice: Notice) -> bytes:
    """The notice as it was published (every entry on it), in Chinese as an official document."""
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "notice": notice,
            "paragraphs": [line.strip() for line in notice.body.splitlines() if line.strip()],
            # The rows of its list (an entry standing for the whole notice, ``Entry.listed``, is none).
            "entries": [entry for entry in notice_entries(notice) if entry.listed],
            "issuer": issuer_of(notice),
            "headings": notice_headings(notice),
            "opens_cn": chinese_date(notice.opens_on),
            "closes_cn": chinese_date(notice.closes_on),
            "published_cn": chinese_date(timezone.localtime(notice.published_at).date()),
        }
        return render_pdf("pdf/notice.html", context)


def notice_pdf_file(notice: Notice) -> FieldFile:
    """The stored PDF of a published notice, rendered now if the publication's task has not yet done it."""
    return document_stored(
        kind="notice", object_id=notice.pk, render=lambda: notice_pdf(notice), name=f"notice-{notice.pk}.pdf"
    )

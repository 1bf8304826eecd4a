"""Certificates: issue with national numbers, the electronic certificates, revocation, the audited reading of
an ID number, the candidate's photo."""

from __future__ import annotations

import uuid
from collections import Counter
from functools import partial

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image

from agencies.models import DirectoryEntry
from certificates import crypto
from certificates.models import Candidate, Certificate, Session, Tally
from certificates.numbering import format_number, next_serials
from certificates.pdf import certificate_pdf
from certificates.services.common import Action, _locked, _require_agency_of, counts_add, counts_rebuild
from certificates.tasks import render_certificates
from certificates.verification import cards_forget
from portal.lib.errors import WorkflowError
from portal.lib.uploads import check_upload
from portal.models import User
from portal.services import audit_record, audit_text, notifications_done


def certificates_issue(*, session: Session, by: User, request=None) -> list[Certificate]:
    """Number and issue the certificates of the candidates who passed, once the HR bureau approved the results.
    An agency whose directory entry is suspended or removed issues nothing; nor does a session where nobody is due a
    certificate (nobody passed, or every pass was withheld): its approval is its end, not an empty batch."""
    entry = session.plan.entry
    _require_agency_of(entry, by)
    with transaction.atomic():
        session = _locked(session)
        entry = DirectoryEntry.objects.select_for_update().get(pk=session.plan.entry_id)
        if entry.status != DirectoryEntry.Status.ACTIVE:
            raise WorkflowError(
                _("The agency is %(status)s in the directory and cannot issue certificates.")
                % {"status": entry.get_status_display()}
            )
        if session.status != Session.Status.APPROVED:
            raise WorkflowError(_("Certificates are issued once the HR bureau has approved the results."))
        passed = list(session.candidates.filter(passed=True, withheld=False).order_by("row"))
        if not passed:
            raise WorkflowError(_("Nobody in this evaluation is due a certificate: no certificate is issued."))
        today = timezone.localdate()
        serials = next_serials(entry, today.year, len(passed))
        certificates = [
            Certificate(
                number=format_number(entry, year=today.year, level=candidate.level, serial=serial),
                candidate=candidate,
                entry=entry,
                holder_name=candidate.name,
                id_hash=candidate.id_hash,
                id_masked=candidate.id_masked,
                occupation=session.plan.occupation,
                work_type=candidate.work_type,
                level=candidate.level,
                issued_on=today,
            )
            for candidate, serial in zip(passed, serials, strict=True)
        ]
        try:
            with transaction.atomic():
                Certificate.objects.bulk_create(certificates)
            # A number looked up before it was issued has an empty card: forgotten when this commits.
            cards_forget(certificate.number for certificate in certificates)
        except IntegrityError:
            raise WorkflowError(
                _("A candidate of this session already holds a certificate of this occupation and level.")
            ) from None
        _tally_issued(session, certificates)
        counts_add(session.pk, issued=len(certificates))
        session.status = Session.Status.ISSUED
        session.save(update_fields=["status"])
        # Issued: the agency's “approved, you may now issue the certificates” is no longer a to-do.
        notifications_done(
            users=User.objects.filter(organisation_id=entry.organisation_id),
            link=reverse("certificates:session_detail", args=[session.pk]),
        )
        audit_record(
            action=Action.CERTIFICATES_ISSUE,
            request=request,
            actor=by,
            obj=session,
            detail=audit_text(gettext_lazy("%(count)s certificates"), count=len(certificates)),
        )
        transaction.on_commit(partial(render_certificates.delay, session.pk))
    return certificates


def _tally_issued(session: Session, certificates: list[Certificate]) -> None:
    """Add the certificates just issued to the session's tallies (the statistics page reads those)."""
    counts = Counter((c.occupation_id, c.level, c.issued_on.replace(day=1)) for c in certificates)
    for (occupation_id, level, month), count in counts.items():
        tally, _created = Tally.objects.select_for_update().get_or_create(
            session=session, occupation_id=occupation_id, level=level, month=month
        )
        Tally.objects.filter(pk=tally.pk).update(total=F("total") + count)


def tallies_rebuild(*, session: Session) -> None:
    """The session's tallies and its page's counts (``SessionCounts``) counted again from its candidates and
    certificates (for rows written around the services, as the load harness writes a million of them with SQL)."""
    from django.db.models import Count, Q
    from django.db.models.functions import TruncMonth

    with transaction.atomic():
        session = _locked(session)
        Tally.objects.filter(session=session).delete()
        groups = (
            Certificate.objects.filter(candidate__session=session)
            .annotate(month=TruncMonth("issued_on"))
            .values("occupation_id", "level", "month")
            .annotate(total=Count("pk"), revoked=Count("pk", filter=Q(status=Certificate.Status.REVOKED)))
            .order_by()
        )
        Tally.objects.bulk_create(Tally(session=session, **group) for group in groups)
        counts_rebuild(session.pk)


def certificates_render(*, session_id: int) -> int:
    """Render each certificate of the session that has no PDF yet, saving each as it is done (the page's progress
    bar counts them). Returns how many were rendered."""
    rendered = 0
    pending = Certificate.objects.filter(candidate__session_id=session_id, pdf="")
    for pk in list(pending.order_by("number").values_list("pk", flat=True)):
        # Each certificate claimed under its row lock, skipping those another worker holds: two workers given
        # the same session (a duplicate delivery, a second beat) share it, and each PDF is rendered once.
        with transaction.atomic():
            certificate = (
                Certificate.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("entry__organisation", "occupation", "candidate")
                .filter(pk=pk, pdf="")
                .first()
            )
            if certificate is None:
                continue
            certificate.pdf.save(f"{certificate.number}.pdf", ContentFile(certificate_pdf(certificate)), save=False)
            Certificate.objects.filter(pk=certificate.pk).update(pdf=certificate.pdf.name)
            counts_add(session_id, rendered=1)
        rendered += 1
    return rendered


def certificate_revoke(*, certificate: Certificate, by: User, reason: str, request=None) -> Certificate:
    """Revoke a certificate with a reason; it then verifies as revoked."""
    _require_agency_of(certificate.entry, by)
    if not reason.strip():
        raise ValidationError({"reason": [_("Give the reason for revoking the certificate.")]})
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if certificate.status == Certificate.Status.REVOKED:
            raise WorkflowError(_("The certificate is already revoked."))
        was_rendered = bool(certificate.pdf)
        certificate.status = Certificate.Status.REVOKED
        certificate.revoked_at = timezone.now()
        certificate.revoked_reason = reason.strip()
        certificate.revoked_by = by
        # Rendered again, marked revoked.
        certificate.pdf = ""
        certificate.save(update_fields=["status", "revoked_at", "revoked_reason", "revoked_by", "pdf"])
        cards_forget([certificate.number])  # verifies as revoked from the commit on
        counts_add(certificate.candidate.session_id, rendered=-int(was_rendered))
        Tally.objects.filter(
            session_id=certificate.candidate.session_id,
            occupation_id=certificate.occupation_id,
            level=certificate.level,
            month=certificate.issued_on.replace(day=1),
        ).update(revoked=F("revoked") + 1)
        audit_record(
            action=Action.CERTIFICATE_REVOKE, request=request, actor=by, obj=certificate, detail=reason.strip()
        )
        transaction.on_commit(partial(render_certificates.delay, certificate.candidate.session_id))
    return certificate


def id_number_reveal(*, candidate: Candidate, by: User, request=None) -> str:
    """The candidate's ID number in clear, for a role that needs it; every reading is audited."""
    number = id_number_read(candidate=candidate)
    audit_record(action=Action.ID_NUMBER_VIEW, request=request, actor=by, obj=candidate)
    return number


def id_number_read(*, candidate: Candidate) -> str:
    """The ID number a reading already audited by ``id_number_reveal`` shows again (the page reloaded within
    ``certificates.views.REVEAL_SECONDS``); never a first reading."""
    return crypto.decrypt(candidate.id_cipher)


# A certificate photo is small: a passport-style picture, not a scan.
PHOTO_MAX_BYTES = 2 * 1024 * 1024
PHOTO_TYPES = ("image/jpeg", "image/png")


def _photo_checked(photo) -> str:
    """The photo's extension once it is a readable JPEG or PNG of at most ``PHOTO_MAX_BYTES``, checked by its
    content (``portal.lib.uploads.check_upload``); ``ValidationError`` on the ``photo`` field otherwise."""
    declared = getattr(photo, "size", None)
    if declared is not None and declared > PHOTO_MAX_BYTES:
        # The size as uploaded: the stored image is redrawn (portal.lib.uploads), and smaller.
        raise ValidationError(
            {"photo": [_("A photo may be at most %(max)s MB.") % {"max": PHOTO_MAX_BYTES // (1024 * 1024)}]}
        )
    try:
        info = getattr(photo, "checked_info", None) or check_upload(photo)
    except ValidationError as error:
        raise ValidationError({"photo": error.messages}) from None
    if info.content_type not in PHOTO_TYPES:
        raise ValidationError({"photo": [_("A photo is a JPEG or PNG image.")]})
    if info.size > PHOTO_MAX_BYTES:
        raise ValidationError(
            {"photo": [_("A photo may be at most %(max)s MB.") % {"max": PHOTO_MAX_BYTES // (1024 * 1024)}]}
        )
    try:
        photo.seek(0)
        with Image.open(photo) as image:
            image.verify()
    except Exception:  # Pillow raises many kinds for a damaged image
        raise ValidationError({"photo": [_("The image cannot be read: choose another file.")]}) from None
    finally:
        photo.seek(0)
    return info.extension


def candidate_photo_set(*, candidate: Candidate, photo, by: User, request=None) -> Candidate:
    """Give a candidate the photo printed on their electronic certificate (optional). A certificate already
    rendered is rendered again with it; a revoked one is left as it is."""
    _require_agency_of(candidate.session.plan.entry, by)
    extension = _photo_checked(photo)
    with transaction.atomic():
        candidate = Candidate.objects.select_for_update().select_related("session").get(pk=candidate.pk)
        old = candidate.photo.name
        candidate.photo.save(f"{uuid.uuid4().hex}.{extension}", photo, save=False)
        candidate.save(update_fields=["photo"])
        if old:
            transaction.on_commit(partial(candidate.photo.storage.delete, old))
        certificate = Certificate.objects.filter(candidate=candidate, status=Certificate.Status.VALID).first()
        if certificate is not None:
            # Rendered again with the photo: no longer among those rendered until then.
            counts_add(
                candidate.session_id,
                rendered=-Certificate.objects.filter(pk=certificate.pk).exclude(pdf="").update(pdf=""),
            )
            transaction.on_commit(partial(render_certificates.delay, candidate.session_id))
        audit_record(
            action=Action.CANDIDATE_PHOTO, request=request, actor=by, obj=candidate.session, detail=str(candidate)
        )
    return candidate

"""Writes of the last steps of a filing: the report to the ministry, its result, the institution code, the
directory entry and the filing receipt (备案回执).

The receipt is an outbox. ``ministry_result`` creates the ``Receipt`` row (status "pending", its number and its
verification token) in the same transaction as the filing decision and queues the rendering only after the
commit (``receipt_enqueue``). When the broker is down at that moment nothing is lost: the row stays pending and
``receipts_sweep`` (Celery beat, every minute) queues it again once the broker is back. Rendering
(``receipt_render``) locks the row and does nothing for a receipt already rendered, so a retried or duplicated
task never makes a second PDF, and there is one receipt per application version by a database constraint.

Institution codes are never reused: an ``InstitutionCode`` row is never deleted (its application is PROTECTed),
and the code column is unique, so a code once issued — by the ministry or provisionally — can never be issued
again.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import logging
import re
import secrets
from dataclasses import dataclass

import qrcode
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from qrcode.image.pil import PilImage

from agencies.models import DirectoryEntry, Occupation
from agencies.services import directory_enter
from filings.models import (
    Application,
    ApplicationVersion,
    InstitutionCode,
    MinistryReview,
    Receipt,
    State,
)
from filings.pdf import level_label, scope_label
from filings.services.applications import _locked
from filings.services.review import application_transition, in_jurisdiction
from filings.tasks import render_receipt
from portal.lib import publiccache
from portal.lib.errors import WorkflowError
from portal.lib.http import is_digits
from portal.lib.pdf import chinese_date, render_pdf
from portal.models import Region, Role, User
from portal.services import audit_record

logger = logging.getLogger(__name__)

RECEIPT_TEMPLATE = "pdf/receipt.html"
# A receipt still pending this long after it was queued (or never queued: the broker was down) is queued again.
SWEEP_AFTER = dt.timedelta(seconds=60)
# Publishing to a broker that is down fails after about a second instead of holding the request.
PUBLISH_RETRY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.3, "interval_max": 0.5}
MINISTRY_CODE = re.compile(r"^[A-Z0-9][A-Z0-9-]{3,39}$")
# Province abbreviations of receipt numbers (ISO 3166-2:CN), by the first two digits of the GB/T 2260 code.
PROVINCE_LETTERS = {
    "11": "BJ", "12": "TJ", "13": "HE", "14": "SX", "15": "NM", "21": "LN", "22": "JL", "23": "HL",
    "31": "SH", "32": "JS", "33": "ZJ", "34": "AH", "35": "FJ", "36": "JX", "37": "SD", "41": "HA",
    "42": "HB", "43": "HN", "44": "GD", "45": "GX", "46": "HI", "50": "CQ", "51": "SC", "52": "GZ",
    "53": "YN", "54": "XZ", "61": "SN", "62": "GS", "63": "QH", "64": "NX", "65": "XJ",
}  # fmt: skip
MAX_NUMBER_ATTEMPTS = 50


def _require_centre(by: User, application: Application) -> None:
    if by.role != Role.CENTRE or not in_jurisdiction(by, application):
        raise PermissionDenied


def _require_state(application: Application, state: State) -> None:
    if application.state != state:
        raise WorkflowError(
            _("This action is no longer possible: the application is now “%(state)s”.")
            % {"state": application.get_state_display()}
        )


def _not_in_future(value: dt.date | None, field: str, errors: dict) -> None:
    if value is None:
        errors[field] = _("Enter the date.")
    elif value > timezone.localdate():
        errors[field] = _("The date cannot be in the future.")


# ---------------------------------------------------------------- the ministry


def ministry_report(
    *, application: Application, by: User, reported_on: dt.date | None, request: HttpRequest | None = None
) -> MinistryReview:
    """The centre reports the publicised application to the ministry (人社部审核): 公示通过 → 报部审核中."""
    with transaction.atomic():
        application = _locked(application)
        _require_centre(by, application)
        _require_state(application, State.PUBLICISED)
        errors: dict[str, str] = {}
        _not_in_future(reported_on, "reported_on", errors)
        if errors:
            raise ValidationError(errors)
        with translation.override(settings.LANGUAGE_CODE):
            comment = _("Reported to the ministry on %(date)s.") % {"date": reported_on.isoformat()}
        application_transition(
            application=application,
            by=by,
            name="report_to_ministry",
            text=comment,
            request=request,
            from_service=True,
        )
        review = MinistryReview.objects.create(application=application, reported_on=reported_on, recorded_by=by)
    return review


def ministry_result(
    *,
    application: Application,
    by: User,
    approved: bool,
    result_on: dt.date | None,
    note: str = "",
    code: str = "",
    request: HttpRequest | None = None,
) -> Application:
    """Record the ministry's answer.

    Not approved: the application ends "not approved by the ministry" (``note`` says why, required). Approved:
    the institution code is issued — ``code`` as the ministry assigned it, or, when empty, a provisional one
    from ``settings.INSTITUTION_CODE_PATTERN`` — the application is filed, enters the directory, and its
    receipt is created (pending) and queued for rendering once this transaction has committed.
    """
    note = note.strip()
    code = code.strip().upper()
    with transaction.atomic():
        application = _locked(application)
        _require_centre(by, application)
        _require_state(application, State.MINISTRY_REVIEW)
        review = MinistryReview.objects.select_for_update().get(application=application)
        errors: dict[str, str] = {}
        _not_in_future(result_on, "result_on", errors)
        if result_on and result_on < review.reported_on:
            errors["result_on"] = _("The result cannot come before the report (%(date)s).") % {
                "date": review.reported_on.isoformat()
            }
        if not approved and not note:
            errors["note"] = _("Say why the ministry did not approve the application.")
        if approved and code:
            if not MINISTRY_CODE.match(code):
                errors["code"] = _("An institution code has 4 to 40 letters, digits or hyphens.")
            else:
                holder = InstitutionCode.objects.filter(code=code).select_related("application__organisation").first()
                if holder is not None:
                    errors["code"] = _(
                        "The institution code %(code)s was already issued to %(name)s; a code is never issued twice."
                    ) % {"code": code, "name": holder.application.organisation.name}
        if errors:
            raise ValidationError(errors)
        review.result = MinistryReview.Result.APPROVED if approved else MinistryReview.Result.REJECTED
        review.result_on = result_on
        review.note = note
        review.save(update_fields=["result", "result_on", "note"])
        if not approved:
            with translation.override(settings.LANGUAGE_CODE):
                comment = _("Not approved by the ministry (%(date)s): %(note)s") % {
                    "date": result_on.isoformat(),
                    "note": note,
                }
            return application_transition(
                application=application,
                by=by,
                name="ministry_reject",
                text=comment,
                request=request,
                from_service=True,
            )
        issued = _issue_code(application, code)
        with translation.override(settings.LANGUAGE_CODE):
            comment = _("Approved by the ministry (%(date)s); institution code %(code)s.") % {
                "date": result_on.isoformat(),
                "code": issued.code,
            }
            if note:
                comment = f"{comment}\n{note}"
        application = application_transition(
            application=application, by=by, name="file", text=comment, request=request, from_service=True
        )
        _directory_enter(application, issued, by)
        receipt = _receipt_create(application)
        audit_record(action="receipt_create", request=request, actor=by, obj=receipt, detail=issued.code)
        receipt_id = receipt.pk
        transaction.on_commit(lambda: receipt_enqueue(receipt_id))
    return application


def provisional_code(application: Application, seq: int) -> str:
    return provisional_code_for(application.call.province, seq)


def provisional_code_for(province: Region, seq: int) -> str:
    """The provisional institution code number ``seq`` of the province this year, by
    ``settings.INSTITUTION_CODE_PATTERN``, until the ministry assigns its own (统一赋机构编码). By default in the
    ministry's 13-character layout (S, agency code 0000, the province's 2 digits, a 6-digit sequence made of the
    year's last 2 and the running number's 4: ``S000045260001``), which the certificate numbers begin with
    (``certificates.numbering``): a certificate's number and its agency's receipt show the same code."""
    year = timezone.localdate().year
    try:
        return settings.INSTITUTION_CODE_PATTERN.format(
            province=province.code[:2], province_code=province.code, year=year, yy=f"{year % 100:02d}", seq=seq
        )
    except (KeyError, IndexError, ValueError) as error:
        raise ImproperlyConfigured(
            f"INSTITUTION_CODE_PATTERN {settings.INSTITUTION_CODE_PATTERN!r} may only use {{province}}, "
            f"{{province_code}}, {{year}}, {{yy}} and {{seq}}: {error}"
        ) from error


def _code_taken(code: str) -> bool:
    """Issued to a filing, or held by a directory entry (the directory's column is unique too)."""
    return (
        InstitutionCode.objects.filter(code=code).exists()
        or DirectoryEntry.objects.filter(institution_code=code).exists()
    )


def provisional_code_next(province: Region) -> str:
    """The next free provisional code of the province this year by the one rule: what an agency entered in the
    directory without a filing of its own (the demo's) gets, in the sequence the filings follow."""
    issued = InstitutionCode.objects.filter(
        provisional=True, application__call__province=province, issued_at__year=timezone.localdate().year
    ).count()
    for seq in range(issued + 1, issued + 1 + MAX_NUMBER_ATTEMPTS):
        candidate = provisional_code_for(province, seq)
        if not _code_taken(candidate):
            return candidate
    raise ImproperlyConfigured(f"No free provisional institution code after {MAX_NUMBER_ATTEMPTS} tries.")


def _issue_code(application: Application, code: str) -> InstitutionCode:
    """The ministry's code, or the next provisional one. The unique column settles a race: a code taken by a
    concurrent transaction makes this one try the next number."""
    if code:
        try:
            with transaction.atomic():
                return InstitutionCode.objects.create(code=code, application=application, provisional=False)
        except IntegrityError:
            raise ValidationError(
                {"code": _("The institution code %(code)s has just been issued to another agency.") % {"code": code}}
            ) from None
    issued = InstitutionCode.objects.filter(
        provisional=True,
        application__call__province=application.call.province,
        issued_at__year=timezone.localdate().year,
    ).count()
    for seq in range(issued + 1, issued + 1 + MAX_NUMBER_ATTEMPTS):
        candidate = provisional_code(application, seq)
        if _code_taken(candidate):
            continue
        try:
            with transaction.atomic():
                return InstitutionCode.objects.create(code=candidate, application=application, provisional=True)
        except IntegrityError:
            continue
    raise ImproperlyConfigured(
        f"No free provisional institution code after {MAX_NUMBER_ATTEMPTS} tries: does INSTITUTION_CODE_PATTERN "
        f"({settings.INSTITUTION_CODE_PATTERN!r}) contain {{seq}}?"
    )


def _directory_enter(application: Application, code: InstitutionCode, by: User) -> None:
    entry = directory_enter(
        organisation=application.organisation,
        region=application.region.city,
        scope=application.scope or (latest_version(application).data.get("basic") or {}).get("scope", ""),
        institution_code=code.code,
        code_provisional=code.provisional,
        approvals=[(row.occupation_id, row.level) for row in application.occupation_rows.all()],
        by=by,
    )
    Application.objects.filter(pk=application.pk).update(directory_entry=entry)
    application.directory_entry = entry


def latest_version(application: Application) -> ApplicationVersion:
    return application.versions.order_by("-number").first()


# ---------------------------------------------------------------- the receipt


def _receipt_create(application: Application) -> Receipt:
    """The pending receipt of the application's latest version, with the next number of its province and year
    (e.g. GXBA-2026-00001) and an unguessable verification token."""
    version = latest_version(application)
    province = application.call.province.code
    prefix = f"{PROVINCE_LETTERS.get(province[:2], province[:2])}BA-{timezone.localdate().year}-"
    issued = Receipt.objects.filter(number__startswith=prefix).count()
    for seq in range(issued + 1, issued + 1 + MAX_NUMBER_ATTEMPTS):
        try:
            with transaction.atomic():
                return Receipt.objects.create(
                    application=application,
                    version_number=version.number,
                    number=f"{prefix}{seq:05d}",
                    token=secrets.token_urlsafe(32),
                )
        except IntegrityError:
            if Receipt.objects.filter(application=application, version_number=version.number).exists():
                raise  # one receipt per version: never a second one
    raise RuntimeError(f"No free receipt number after {MAX_NUMBER_ATTEMPTS} tries ({prefix}…)")


def receipt_enqueue(receipt_id: int) -> bool:
    """Queue the rendering of a receipt. When the broker cannot be reached the receipt stays pending for the
    sweeper, and the caller (a request that has already committed) is never failed by it."""

    try:
        render_receipt.apply_async((receipt_id,), queue=settings.RECEIPT_QUEUE, retry_policy=PUBLISH_RETRY)
    except Exception:
        # kombu.exceptions.OperationalError, redis.exceptions.ConnectionError, OSError: the broker is down (or,
        # with eager tasks, the rendering itself failed and the task has marked the receipt).
        logger.warning("Receipt %s not queued; the sweeper will queue it again.", receipt_id, exc_info=True)
        return False
    Receipt.objects.filter(pk=receipt_id, status=Receipt.Status.PENDING).update(queued_at=timezone.now())
    return True


def receipts_sweep() -> int:
    """Queue again every receipt pending for more than a minute or never queued; stop while the broker is down."""
    cutoff = timezone.now() - SWEEP_AFTER
    pending = Receipt.objects.filter(status=Receipt.Status.PENDING).filter(Q(queued_at=None) | Q(queued_at__lt=cutoff))
    queued = 0
    for receipt_id in pending.order_by("pk").values_list("pk", flat=True):
        if not receipt_enqueue(receipt_id):
            break
        queued += 1
    return queued


def receipt_regenerate(*, receipt: Receipt, by: User, request: HttpRequest | None = None) -> Receipt:
    """Render the receipt again (a lost or damaged file, a layout fix): same number, same token, same content."""
    with transaction.atomic():
        receipt = Receipt.objects.select_for_update().get(pk=receipt.pk)
        _require_centre(by, receipt.application)
        receipt.status = Receipt.Status.PENDING
        receipt.queued_at = None
        receipt.last_error = ""
        receipt.save(update_fields=["status", "queued_at", "last_error"])
        publiccache.bump("receipts")  # pending: no longer verifiable until rendered again
        audit_record(action="receipt_regenerate", request=request, actor=by, obj=receipt)
        receipt_id = receipt.pk
        transaction.on_commit(lambda: receipt_enqueue(receipt_id))
    return receipt


def receipt_file_name(receipt: Receipt) -> str:
    return f"receipts/{receipt.number}.pdf"


def receipt_render(receipt: Receipt) -> Receipt:
    """Render the receipt's PDF and store it under its number; idempotent.

    The row lock makes a duplicate delivery of the task wait, then find the receipt ready and return at once.
    """
    Receipt.objects.filter(pk=receipt.pk).update(attempts=F("attempts") + 1)
    with transaction.atomic():
        receipt = Receipt.objects.select_for_update().get(pk=receipt.pk)
        if receipt.status == Receipt.Status.READY and receipt.pdf and default_storage.exists(receipt.pdf.name):
            return receipt
        content = receipt_content(receipt)
        pdf = render_pdf(
            RECEIPT_TEMPLATE,
            {
                "receipt": content,
                "qr": qr_data_uri(content.verify_url),
                "lookup_url": settings.PORTAL_BASE_URL + reverse("public:receipt_lookup"),
            },
        )
        name = receipt_file_name(receipt)
        if default_storage.exists(name):
            default_storage.delete(name)  # regenerating: the same name, never a "_x7Yz" copy beside it
        receipt.pdf.name = default_storage.save(name, ContentFile(pdf))
        receipt.status = Receipt.Status.READY
        receipt.rendered_at = timezone.now()
        receipt.last_error = ""
        receipt.save(update_fields=["pdf", "status", "rendered_at", "last_error"])
        publiccache.bump("receipts")
    logger.info("receipt rendered: %s", receipt.number)  # counted by bench/load/scaleout.py: once per receipt
    return receipt


def receipt_note_error(*, receipt_id: int, error: BaseException, final: bool) -> None:
    """Record a failed rendering; after the last retry the receipt is marked failed (the centre may regenerate)."""
    changes = {"last_error": f"{type(error).__name__}: {error}"[:2000]}
    if final:
        changes["status"] = Receipt.Status.FAILED
    Receipt.objects.filter(pk=receipt_id).exclude(status=Receipt.Status.READY).update(**changes)


# ---------------------------------------------------------------- what a receipt says


@dataclass(frozen=True)
class ReceiptOccupation:
    name: str
    code: str
    levels: list[str]


@dataclass(frozen=True)
class ReceiptContent:
    """Everything a receipt states, from frozen sources (the filed version, the code, the receipt row): the PDF
    and the public verification page both show exactly this."""

    number: str
    issuer: str
    agency: str
    uscc: str
    institution_code: str
    provisional: bool
    scope: str
    occupations: list[ReceiptOccupation]
    issued_on: dt.date
    reference: str
    verify_url: str

    @property
    def issued_on_text(self) -> str:
        return chinese_date(self.issued_on)


def receipt_verify_url(receipt: Receipt) -> str:
    """The absolute address of the receipt's public verification page: what its QR code encodes."""
    return settings.PORTAL_BASE_URL + reverse("public:receipt_verify", args=[receipt.token])


def receipt_content(receipt: Receipt) -> ReceiptContent:
    application = Application.objects.select_related("organisation", "call__province", "institution_code").get(
        pk=receipt.application_id
    )
    version = application.versions.get(number=receipt.version_number)
    basic = version.data.get("basic") or {}
    province = application.call.province.name
    rows = [row for row in version.data.get("occupations") or [] if isinstance(row, dict)]
    codes = list(dict.fromkeys(str(row.get("occupation", "")).strip() for row in rows))
    names = dict(Occupation.objects.filter(code__in=codes).values_list("code", "name"))
    occupations = []
    for code in codes:
        levels = sorted(
            {int(row["level"]) for row in rows if row.get("occupation") == code and is_digits(str(row.get("level")))},
            reverse=True,
        )
        occupations.append(ReceiptOccupation(names.get(code, code), code, [level_label(level) for level in levels]))
    institution_code = application.institution_code
    return ReceiptContent(
        number=receipt.number,
        issuer=f"{province}人力资源和社会保障厅",
        agency=application.organisation.name,  # as registered, never as typed in the form
        uscc=application.organisation.uscc,
        institution_code=institution_code.code,
        provisional=institution_code.provisional,
        scope=scope_label(basic.get("scope") or application.scope, province),
        occupations=occupations,
        issued_on=timezone.localtime(receipt.created).date(),
        reference=application.reference or "",
        verify_url=receipt_verify_url(receipt),
    )


def qr_data_uri(text: str) -> str:
    """A PNG QR code of ``text`` as a data: URI (the PDF fetcher reads these in memory, never from the network)."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=4, border=2)
    code.add_data(text)
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image(image_factory=PilImage).save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")

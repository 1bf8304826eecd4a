"""Writes of agencies. Calls for applications (征集) and their versions:

A call's content lives in numbered versions. A published version is never changed: editing a published call
creates the next version as an unpublished draft, which applicants do not see until it is published. Only the
provincial centre of the call's province (or a system administrator) manages a province's calls.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from agencies.models import (
    Call,
    CallVersion,
    ConditionProfile,
    DirectoryEntry,
    DirectoryOccupation,
    DirectoryStatusChange,
    Organisation,
)
from portal.lib import publiccache
from portal.lib.errors import WorkflowError
from portal.lib.validators import normalise_uscc, uscc_check_character_ok, validate_uscc
from portal.models import AuditEvent, Region, Role, User
from portal.services import audit_record, audit_text

# The fields of a CallVersion that a save may set; everything else (number, publication) is the services' own.
VERSION_FIELDS = frozenset(
    {
        "title",
        "issuer",
        "document_number",
        "workflow",
        "opens_on",
        "closes_on",
        "scopes",
        "offerings",
        "materials",
        "profile",
        "notes",
    }
)
# Copied from the previous version when a published call is edited.
_CARRIED_FIELDS = (*sorted(VERSION_FIELDS), "rules")


def _call_version_text(code: str, number: int) -> str:
    return audit_text(_("Call %(code)s, version %(number)d"), code=code, number=number)


def _check_manager(by: User, province: Region) -> None:
    """The centre whose jurisdiction covers the province, or an administrator."""
    if by.role == Role.ADMIN:
        return
    jurisdiction = by.jurisdiction
    if by.role != Role.CENTRE or jurisdiction is None or not province.path.startswith(jurisdiction.path):
        raise PermissionDenied("Only the provincial centre of this province manages its calls.")


def _apply(version: CallVersion, fields: dict) -> None:
    unknown = set(fields) - VERSION_FIELDS
    if unknown:
        raise TypeError(f"Unknown call version fields: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(version, name, value)
    if "profile" in fields:
        # The rules as they stand today: later edits of the profile do not change this version.
        profile: ConditionProfile | None = fields["profile"]
        version.rules = list(profile.rules) if profile is not None else []
    if version.opens_on and version.closes_on and version.closes_on < version.opens_on:
        message = _("The closing date cannot be before the opening date (%(opens_on)s).")
        raise ValidationError({"closes_on": message % {"opens_on": version.opens_on.isoformat()}})


@transaction.atomic
def call_create(*, by: User, province: Region, code: str, **fields) -> Call:
    """Create a call with version 1 as an unpublished draft."""
    _check_manager(by, province)
    call = Call.objects.create(code=code, province=province)
    version = CallVersion(call=call, number=1, created_by=by)
    _apply(version, fields)
    version.save()
    audit_record(action="call_save", actor=by, obj=version, detail=_call_version_text(call.code, 1))
    return call


@transaction.atomic
def call_version_save(*, call: Call, by: User, **fields) -> CallVersion:
    """Save the call's content: update the latest version while it is a draft, otherwise start the next one.

    Editing a published call never changes the published version; the new draft starts as a copy of it.
    """
    call = Call.objects.select_for_update().select_related("province").get(pk=call.pk)
    _check_manager(by, call.province)
    latest = call.versions.order_by("-number").first()
    if latest is None or latest.published_at is not None:
        version = CallVersion(call=call, number=(latest.number + 1) if latest else 1, created_by=by)
        if latest is not None:
            for name in _CARRIED_FIELDS:
                setattr(version, name, getattr(latest, name))
    else:
        version = latest
    _apply(version, fields)
    version.save()
    audit_record(action="call_save", actor=by, obj=version, detail=_call_version_text(call.code, version.number))
    return version


@transaction.atomic
def call_publish(*, call: Call, by: User) -> CallVersion:
    """Publish the latest version, which must be a draft; from now on applicants see and file under it."""
    call = Call.objects.select_for_update().select_related("province").get(pk=call.pk)
    _check_manager(by, call.province)
    latest = call.versions.order_by("-number").first()
    if latest is None or latest.published_at is not None:
        raise ValidationError(_("There is no draft version to publish."))
    latest.published_at = timezone.now()
    latest.save(update_fields=["published_at"])
    audit_record(action="call_publish", actor=by, obj=latest, detail=_call_version_text(call.code, latest.number))
    return latest


# Registration of an organisation with its first user (自主注册), and the city bureau's confirmation of a code
# that fails the check character.

REGISTRATION_LINK_MAX_AGE = dt.timedelta(days=3)
_REGISTRATION_SALT = "agencies.registration.verify"


def registration_token(user: User) -> str:
    """A signed, timestamped token naming ``user``; ``registration_verify`` accepts it for three days."""
    return signing.TimestampSigner(salt=_REGISTRATION_SALT).sign_object({"user": user.pk})


def _send_verification_mail(*, user: User, organisation: Organisation, request: HttpRequest) -> None:
    """Queue the verification e-mail for after the commit, written in the language of the request."""
    # Built from the configured address, never from the request's Host header.
    link = settings.PORTAL_BASE_URL + reverse("registration_verify", args=[registration_token(user)])
    paragraphs = [
        _("Hello %(name)s,") % {"name": user.display_name},
        _(
            "%(organisation)s has been registered on the evaluation agency filing and supervision portal "
            "with the user name %(username)s and this e-mail address."
        )
        % {"organisation": organisation.name, "username": user.username},
        _("Open this link within 3 days to confirm the address and activate the account:"),
        link,
    ]
    if organisation.uscc_needs_confirmation:
        paragraphs.append(
            _(
                "The unified social credit code you entered fails the check-character test; the HR and "
                "social security bureau of your city will compare it with your certificate."
            )
        )
    paragraphs.append(_("If you did not register, ignore this e-mail: the account stays inactive."))
    # Rendered now, while the request's language is active, not when the callback runs.
    subject = str(_("Confirm your e-mail address to activate your account"))
    body = "\n\n".join(str(p) for p in paragraphs)
    recipient = user.email
    transaction.on_commit(lambda: send_mail(subject, body, None, [recipient]))


@transaction.atomic
def organisation_register(
    *,
    name: str,
    uscc: str,
    region: Region,
    nature: str,
    legal_representative: str,
    address: str = "",
    contact_name: str,
    contact_phone: str,
    email: str,
    username: str,
    password: str,
    full_name: str,
    request: HttpRequest,
) -> User:
    """Create an organisation and its first, inactive agency user, and e-mail them a verification link.

    The code must be well formed; a wrong check character does not refuse it (some genuine codes fail the
    check) but flags the organisation for its city HR bureau to confirm. Raises ``ValidationError`` when
    the name, the code or the user name is already taken.
    """
    uscc = normalise_uscc(uscc)
    validate_uscc(uscc, check_character=False)
    organisation = Organisation(
        name=name,
        uscc=uscc,
        region=region,
        nature=nature,
        legal_representative=legal_representative,
        address=address,
        contact_name=contact_name,
        contact_phone=contact_phone,
        email=email,
        uscc_needs_confirmation=not uscc_check_character_ok(uscc),
    )
    organisation.full_clean()
    # The whole name goes in last_name: get_full_name() puts last_name first, and where a Chinese family
    # name ends (欧阳, 司马…) would be a guess.
    user = User(username=username, last_name=full_name, email=email, role=Role.AGENCY, is_active=False)
    user.set_password(password)
    try:
        with transaction.atomic():
            organisation.save()
            user.organisation = organisation
            user.full_clean()
            user.save()
    except IntegrityError:
        # The same organisation or user name registered by a request that committed between the checks and
        # these rows (a double click, two tabs, two colleagues): the checks, run again, now say which.
        organisation.pk = user.pk = None
        organisation.full_clean()
        user.validate_unique()
        raise ValidationError(
            _("This organisation has just been registered. Sign in, or ask the colleague who registered it.")
        ) from None
    audit_record(
        action=AuditEvent.Action.REGISTER,
        request=request,
        actor=user,
        obj=organisation,
        detail=audit_text(_("The credit code fails the check-character test; the city bureau will confirm it."))
        if organisation.uscc_needs_confirmation
        else "",
    )
    _send_verification_mail(user=user, organisation=organisation, request=request)
    return user


def registration_verify(*, token: str) -> User:
    """Activate the user a verification link names.

    A link that has expired or was not issued here raises ``ValidationError`` (code ``link_expired`` or
    ``link_invalid``). A link already used is accepted again without changing anything, so that an old
    e-mail does not reactivate an account an administrator has since deactivated.
    """
    signer = signing.TimestampSigner(salt=_REGISTRATION_SALT)
    try:
        payload = signer.unsign_object(token, max_age=REGISTRATION_LINK_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise ValidationError(
            _("This link has expired: links are valid for 3 days. Request a new link below."),
            code="link_expired",
        ) from exc
    except (signing.BadSignature, ValueError) as exc:
        raise ValidationError(
            _(
                "This link is not valid. Copy the whole link from the e-mail into the address bar, or "
                "request a new link below."
            ),
            code="link_invalid",
        ) from exc
    user_pk = payload.get("user") if isinstance(payload, dict) else None
    with transaction.atomic():
        user = User.objects.select_for_update().filter(pk=user_pk, role=Role.AGENCY).first()
        if user is None:
            raise ValidationError(
                _("The account this link belongs to no longer exists; register again."), code="link_invalid"
            )
        if user.email_verified_at is None:
            user.email_verified_at = timezone.now()
            user.is_active = True
            user.save(update_fields=["email_verified_at", "is_active"])
            audit_record(action=AuditEvent.Action.EMAIL_VERIFIED, actor=user, obj=user)
    return user


def registration_link_resend(*, email: str, request: HttpRequest) -> int:
    """Send a new verification link to every unverified, inactive agency user with this e-mail address.

    Returns how many were sent; the caller shows the same page either way, so that the form does not
    reveal which addresses are registered.
    """
    users = User.objects.filter(
        email__iexact=email, role=Role.AGENCY, email_verified_at__isnull=True, is_active=False
    ).select_related("organisation")
    for user in users:
        _send_verification_mail(user=user, organisation=user.organisation, request=request)
    return len(users)


@transaction.atomic
def organisation_confirm_uscc(
    *, organisation: Organisation, by: User, request: HttpRequest | None = None
) -> Organisation:
    """Record that the city HR bureau has compared a code that fails the check character with the
    certificate. Only a city HR user whose jurisdiction contains the organisation's region may confirm."""
    organisation = Organisation.objects.select_for_update().select_related("region").get(pk=organisation.pk)
    jurisdiction = by.jurisdiction
    if by.role != Role.CITY_HR or jurisdiction is None or not organisation.region.path.startswith(jurisdiction.path):
        raise PermissionDenied("Only the city HR bureau of the organisation's city confirms its code.")
    if not organisation.uscc_needs_confirmation:
        raise ValidationError(_("The code of this organisation does not await confirmation."), code="not_pending")
    organisation.uscc_needs_confirmation = False
    organisation.uscc_confirmed_by = by
    organisation.uscc_confirmed_at = timezone.now()
    organisation.save(update_fields=["uscc_needs_confirmation", "uscc_confirmed_by", "uscc_confirmed_at"])
    publiccache.bump("directory")
    audit_record(
        action=AuditEvent.Action.USCC_CONFIRMED,
        request=request,
        actor=by,
        obj=organisation,
        detail=organisation.uscc,
    )
    return organisation


# ---------------------------------------------------------------- the directory (目录)


def directory_enter(
    *,
    organisation: Organisation,
    region: Region,
    scope: str,
    institution_code: str,
    approvals: list[tuple[int, int]],
    by: User,
    code_provisional: bool = False,
) -> DirectoryEntry:
    """Enter a filed agency in the public directory, active from today, with its approved (occupation id,
    level) pairs. Called by the filing decision, inside its transaction."""
    today = timezone.localdate()
    entry = DirectoryEntry.objects.create(
        organisation=organisation,
        region=region,
        scope=scope,
        institution_code=institution_code,
        code_provisional=code_provisional,
        filed_on=today,
        status_changed_on=today,
    )
    DirectoryOccupation.objects.bulk_create(
        DirectoryOccupation(entry=entry, occupation_id=occupation_id, level=level) for occupation_id, level in approvals
    )
    with translation.override(settings.LANGUAGE_CODE):
        reason = str(_("Filed."))
    DirectoryStatusChange.objects.create(
        entry=entry, status=DirectoryEntry.Status.ACTIVE, changed_on=today, reason=reason, actor=by
    )
    publiccache.bump("directory")
    return entry


# The directory's status is set by supervision (its sanctions) through these three; each writes the history row
# the public directory shows, and refuses to change a removed entry: removal is permanent for that filing.


def _locked_entry(entry: DirectoryEntry) -> DirectoryEntry:
    locked = DirectoryEntry.objects.select_for_update().get(pk=entry.pk)
    if locked.status == DirectoryEntry.Status.REMOVED:
        raise WorkflowError(_("The agency has been removed from the directory; its status can no longer change."))
    return locked


def _status_change(entry: DirectoryEntry, status: str, *, reason: str, by: User | None, until=None) -> None:
    today = timezone.localdate()
    entry.status, entry.status_changed_on, entry.suspended_until = status, today, until
    entry.save(update_fields=["status", "status_changed_on", "suspended_until"])
    DirectoryStatusChange.objects.create(
        entry=entry, status=status, changed_on=today, until=until, reason=reason, actor=by
    )
    publiccache.bump("directory")


def directory_suspend(*, entry: DirectoryEntry, until: dt.date, reason: str, by: User) -> DirectoryEntry:
    """Suspend a filed agency until ``until`` (its last day suspended): it may not plan, announce or certify.
    A suspended agency's suspension is replaced by the new one (its end date moves)."""
    if until < timezone.localdate():
        raise ValidationError({"until": [_("The end of the suspension cannot be in the past.")]})
    with transaction.atomic():
        entry = _locked_entry(entry)
        _status_change(entry, DirectoryEntry.Status.SUSPENDED, reason=reason, by=by, until=until)
    return entry


def directory_lift(*, entry: DirectoryEntry, reason: str, by: User | None) -> DirectoryEntry:
    """Lift a suspension (early, by a decision, or at its end by the nightly task with ``by=None``)."""
    with transaction.atomic():
        entry = _locked_entry(entry)
        if entry.status != DirectoryEntry.Status.SUSPENDED:
            raise WorkflowError(_("The agency is not suspended."))
        _status_change(entry, DirectoryEntry.Status.ACTIVE, reason=reason, by=by)
    return entry


def directory_remove(*, entry: DirectoryEntry, reason: str, by: User) -> DirectoryEntry:
    """Remove a filed agency from the directory (移出目录). It stays listed as removed; nothing brings it back."""
    with transaction.atomic():
        entry = _locked_entry(entry)
        _status_change(entry, DirectoryEntry.Status.REMOVED, reason=reason, by=by)
    return entry

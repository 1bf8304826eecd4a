"""Writes of supervision: police registrations, evaluation plans, their cross-region reports and announcements.

Each write checks who acts (the agency of the entry, the police or HR bureau whose jurisdiction holds the city),
runs in one transaction with the row locked, writes an audit row and tells the other side through the inbox.
Refusals are ``WorkflowError`` (the state moved on) or ``ValidationError`` by field (what was typed is wrong).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agencies.models import DirectoryEntry, Level, Occupation, Scope
from portal.lib.errors import WorkflowError
from portal.lib.workdays import add_workdays
from portal.models import Department, Region, Role, User
from portal.services import audit_record, audit_text, notifications_done, notify
from supervision.models import CrossRegionReport, Plan, PlanChange, PoliceRegistration, RegistrationEvent
from supervision.selectors import plan_roster

# 桂人社函〔2020〕203号 三（五）: 在开展职业技能等级认定前10个工作日发布评价认定公告.
ANNOUNCEMENT_LEAD_WORKDAYS = 10
# 不相容岗位分离 (四（二）): at least this many examiners per session, none of them its quality supervisor.
MIN_EXAMINERS = 3


def first_allowed_exam_day(announced_on: dt.date) -> dt.date:
    """The first exam day an announcement made on ``announced_on`` allows: ten working days after it, on the
    holiday calendar with its adjusted working weekends."""
    return add_workdays(announced_on, ANNOUNCEMENT_LEAD_WORKDAYS)


def first_allowed_after_consent(asked_on: dt.date) -> dt.date:
    """The first exam day a plan outside the agency's registered city can count on when reported on ``asked_on``:
    that city's HR bureau answers within ``CROSS_REGION_CONSENT_WORKDAYS`` working days, the plan is announced
    only after its consent (``plan_announce``), and ten working days must then pass. Earlier is possible only if
    the bureau answers sooner."""
    return first_allowed_exam_day(add_workdays(asked_on, settings.CROSS_REGION_CONSENT_WORKDAYS))


def _in_jurisdiction(user: User, region: Region) -> bool:
    jurisdiction = user.jurisdiction
    return jurisdiction is not None and region.path.startswith(jurisdiction.path)


def _require_agency_of(entry: DirectoryEntry, by: User) -> None:
    if by.role != Role.AGENCY or by.organisation_id != entry.organisation_id:
        raise PermissionDenied


# ---------------------------------------------------------------- police registration (报备登记)


def _city_named_instead(sites: str, city: Region) -> Region | None:
    """Another city of the province that the sites name while they do not name ``city``: a registration with the
    police of 柳州 listing a site in 南宁 (issue qa5b item 4). Sites written without a city name pass."""
    if city.parent_id is None or city.name.removesuffix("市") in sites:
        return None
    others = Region.objects.filter(parent_id=city.parent_id, level=Region.Level.CITY).exclude(pk=city.pk)
    return next((other for other in others.order_by("code") if other.name.removesuffix("市") in sites), None)


def _registration_errors(responsible: str, phone: str, sites: str, city: Region | None) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not responsible.strip():
        errors["responsible"] = [_("Name the person responsible for the evaluations in this city.")]
    if not phone.strip():
        errors["phone"] = [_("Give a telephone number.")]
    else:
        from portal.lib.validators import validate_phone

        try:
            validate_phone(phone.strip())
        except ValidationError as error:
            errors["phone"] = error.messages
    if not sites.strip():
        errors["sites"] = [_("List the evaluation sites in this city, with their addresses.")]
    elif city is not None and (elsewhere := _city_named_instead(sites, city)) is not None:
        errors["sites"] = [
            _(
                "These sites are in %(other)s: a registration with the police of %(city)s lists the evaluation "
                "sites in %(city)s (register with the police of %(other)s for those)."
            )
            % {"other": elsewhere.name, "city": city.name}
        ]
    return errors


def _police_of(city: Region):
    codes = [code for code in city.path.split("/") if code]
    return User.objects.filter(
        role=Role.POLICE,
        is_active=True,
        department__kind=Department.Kind.PUBLIC_SECURITY,
        department__region__code__in=codes,
    )


def registration_submit(
    *, entry: DirectoryEntry, city: Region | None, by: User, responsible: str, phone: str, sites: str, request=None
) -> PoliceRegistration:
    """Register the agency with the public-security organ of ``city``: its own city, or one where it evaluates."""
    _require_agency_of(entry, by)
    is_city = city is not None and city.level == Region.Level.CITY
    errors = _registration_errors(responsible, phone, sites, city if is_city else None)
    if not is_city:
        errors["city"] = [_("Choose the city whose public-security organ you register with.")]
    if entry.status == DirectoryEntry.Status.REMOVED:
        raise WorkflowError(_("The agency has been removed from the directory; it can no longer register."))
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            registration = PoliceRegistration.objects.create(
                entry=entry,
                city=city,
                home=city.pk == entry.region_id,
                responsible=responsible.strip(),
                phone=phone.strip(),
                sites=sites.strip(),
            )
            RegistrationEvent.objects.create(
                registration=registration, action=RegistrationEvent.Action.SUBMIT, actor=by
            )
            audit_record(action="registration_submit", request=request, actor=by, obj=registration)
            _notify_police(registration)
    except IntegrityError:
        raise ValidationError(
            {
                "city": [
                    _("The agency has already registered with the public-security organ of %(city)s.")
                    % {"city": city.name}
                ]
            }
        ) from None
    return registration


def _notify_police(registration: PoliceRegistration) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        params = {"name": registration.entry.organisation.name, "city": registration.city.name}
        notify(
            users=_police_of(registration.city),
            subject=_("Police registration of %(name)s") % params,
            body=_(
                "%(name)s has registered with the public-security organ of %(city)s as a filed evaluation agency.\n"
                "What to do next: check the registration and confirm it, or return it with your reasons."
            )
            % params,
            link=reverse("supervision:registration_detail", args=[registration.pk]),
            todo=True,
        )


def _locked_registration(registration: PoliceRegistration) -> PoliceRegistration:
    return (
        PoliceRegistration.objects.select_for_update(of=("self",))
        .select_related("city", "entry__organisation")
        .get(pk=registration.pk)
    )


def _require_police_of(registration: PoliceRegistration, by: User) -> None:
    if by.role != Role.POLICE or not _in_jurisdiction(by, registration.city):
        raise PermissionDenied


def registration_confirm(*, registration: PoliceRegistration, by: User, request=None) -> PoliceRegistration:
    with transaction.atomic():
        registration = _locked_registration(registration)
        _require_police_of(registration, by)
        if registration.status != PoliceRegistration.Status.SUBMITTED:
            raise WorkflowError(
                _("This registration is now “%(status)s”; only one awaiting the police can be confirmed.")
                % {"status": registration.get_status_display()}
            )
        registration.status = PoliceRegistration.Status.CONFIRMED
        registration.decided_at, registration.decided_by, registration.reasons = timezone.now(), by, ""
        registration.save(update_fields=["status", "decided_at", "decided_by", "reasons"])
        RegistrationEvent.objects.create(registration=registration, action=RegistrationEvent.Action.CONFIRM, actor=by)
        audit_record(action="registration_confirm", request=request, actor=by, obj=registration)
        _registration_done(registration, _police_of(registration.city))
        _notify_agency(registration.entry, _registration_subject(registration), registration)
    return registration


def registration_return(
    *, registration: PoliceRegistration, by: User, reasons: str, request=None
) -> PoliceRegistration:
    reasons = reasons.strip()
    if not reasons:
        raise ValidationError({"reasons": [_("Say what the agency must correct.")]})
    with transaction.atomic():
        registration = _locked_registration(registration)
        _require_police_of(registration, by)
        if registration.status != PoliceRegistration.Status.SUBMITTED:
            raise WorkflowError(
                _("This registration is now “%(status)s”; only one awaiting the police can be returned.")
                % {"status": registration.get_status_display()}
            )
        registration.status = PoliceRegistration.Status.RETURNED
        registration.decided_at, registration.decided_by, registration.reasons = timezone.now(), by, reasons
        registration.save(update_fields=["status", "decided_at", "decided_by", "reasons"])
        RegistrationEvent.objects.create(
            registration=registration, action=RegistrationEvent.Action.RETURN, actor=by, text=reasons
        )
        audit_record(action="registration_return", request=request, actor=by, obj=registration)
        _registration_done(registration, _police_of(registration.city))
        _notify_agency(registration.entry, _registration_subject(registration), registration)
    return registration


def registration_resubmit(
    *,
    registration: PoliceRegistration,
    by: User,
    answer: str,
    responsible: str,
    phone: str,
    sites: str,
    request=None,
) -> PoliceRegistration:
    """The agency's answer to a returned registration: corrected details and what it changed."""
    _require_agency_of(registration.entry, by)
    errors = _registration_errors(responsible, phone, sites, registration.city)
    if not answer.strip():
        errors["answer"] = [_("Say what you corrected.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        registration = _locked_registration(registration)
        if registration.status != PoliceRegistration.Status.RETURNED:
            raise WorkflowError(_("Only a returned registration can be answered."))
        registration.status = PoliceRegistration.Status.SUBMITTED
        registration.responsible, registration.phone, registration.sites = (
            responsible.strip(),
            phone.strip(),
            sites.strip(),
        )
        registration.submitted_at = timezone.now()
        registration.save(update_fields=["status", "responsible", "phone", "sites", "submitted_at"])
        RegistrationEvent.objects.create(
            registration=registration, action=RegistrationEvent.Action.RESUBMIT, actor=by, text=answer.strip()
        )
        audit_record(action="registration_resubmit", request=request, actor=by, obj=registration)
        _registration_done(registration, _agency_users(registration.entry))
        _notify_police(registration)
    return registration


def _registration_subject(registration: PoliceRegistration) -> str:
    """Which agency's registration, with which city's police, and what they decided."""
    params = {"name": registration.entry.organisation.name, "city": registration.city.name}
    with translation.override(settings.LANGUAGE_CODE):
        if registration.status == PoliceRegistration.Status.CONFIRMED:
            return _("Police registration of %(name)s with %(city)s confirmed") % params
        return _("Police registration of %(name)s with %(city)s returned") % params


def _registration_done(registration: PoliceRegistration, users) -> None:
    """Confirmed or returned (the police's to-do), or answered (the agency's): done for these users."""
    notifications_done(users=users, link=reverse("supervision:registration_detail", args=[registration.pk]))


def _agency_users(entry: DirectoryEntry):
    return User.objects.filter(role=Role.AGENCY, is_active=True, organisation_id=entry.organisation_id)


def _notify_agency(entry: DirectoryEntry, subject: str, obj, *, next_step: str = "") -> None:
    """Tell the agency; ``next_step`` (what it has to do now) makes the message a to-do."""
    users = _agency_users(entry)
    link = (
        reverse("supervision:registration_detail", args=[obj.pk])
        if isinstance(obj, PoliceRegistration)
        else reverse("supervision:plan_detail", args=[obj.pk])
    )
    with translation.override(settings.LANGUAGE_CODE):
        notify(
            users=users,
            subject=str(subject),
            body=str(subject) + "\n" + (str(next_step) or _("Open the portal for the details.")),
            link=link,
            todo=bool(next_step),
        )


# ---------------------------------------------------------------- evaluation plans (认定计划)


PLAN_FIELDS = (
    "city",
    "occupation",
    "work_type",
    "level",
    "first_day",
    "last_day",
    "venue",
    "venue_address",
    "expected_candidates",
    "examiners",
    "supervisor",
    "fee",
    "notes",
)


def _require_active(entry: DirectoryEntry) -> None:
    if entry.status != DirectoryEntry.Status.ACTIVE:
        raise WorkflowError(
            _("The agency is “%(status)s” in the directory: it cannot plan or announce evaluations.")
            % {"status": entry.get_status_display()}
        )


def plan_problems(
    entry: DirectoryEntry, fields: dict, *, today: dt.date, plan: Plan | None = None
) -> dict[str, list[str]]:
    """What is wrong with a plan's fields, by field; the rules of the filing and of the sources. ``plan`` is the
    plan being changed (left out when looking for its examiners' other sessions)."""
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    city: Region | None = fields.get("city")
    if city is None or city.level != Region.Level.CITY:
        add("city", _("Choose the city where the evaluation takes place."))
    elif entry.scope == Scope.CITY and city.pk != entry.region_id:
        add(
            "city",
            _("The agency is filed for %(city)s only; it cannot evaluate elsewhere.") % {"city": entry.region.name},
        )
    elif entry.scope != Scope.NATIONAL and not city.path.startswith(entry.region.path[:7]):
        add("city", _("The agency is filed for its province only."))
    occupation: Occupation | None = fields.get("occupation")
    level = fields.get("level")
    approved = {(row.occupation_id, row.level) for row in entry.occupations.all()}
    if occupation is None:
        add("occupation", _("Choose an occupation of the filing."))
    elif level not in Level.values or (occupation.pk, level) not in approved:
        add("level", _("The filing does not cover this occupation at this level."))
    first_day, last_day = fields.get("first_day"), fields.get("last_day")
    if first_day is None:
        add("first_day", _("Enter the first exam day."))
    else:
        allowed = first_allowed_exam_day(today)
        if first_day < allowed:
            add(
                "first_day",
                _(
                    "The announcement must be published at least %(days)d working days before the first exam day: "
                    "announced today, the first exam day can be %(date)s at the earliest."
                )
                % {"days": ANNOUNCEMENT_LEAD_WORKDAYS, "date": allowed.isoformat()},
            )
    if last_day is None:
        add("last_day", _("Enter the last exam day."))
    elif first_day is not None and last_day < first_day:
        add("last_day", _("The last exam day cannot be before the first."))
    if not (fields.get("venue") or "").strip():
        add("venue", _("Name the venue."))
    if not (fields.get("venue_address") or "").strip():
        add("venue_address", _("Give the venue's address."))
    candidates = fields.get("expected_candidates")
    if not isinstance(candidates, int) or candidates < 1:
        add("expected_candidates", _("Enter the expected number of candidates (at least 1)."))
    try:
        fee = Decimal(str(fields.get("fee", "")).strip())
        if fee < 0 or fee > Decimal("99999"):
            raise InvalidOperation
    except InvalidOperation:
        add("fee", _("Enter the fee per candidate in yuan (0 or more)."))
    roster = plan_roster(entry)
    examiners = [name for name in dict.fromkeys(fields.get("examiners") or []) if name]
    qualified = set(roster["examiners"].get(occupation.name, [])) if occupation else set()
    unknown = [name for name in examiners if name not in qualified]
    if unknown:
        add(
            "examiners",
            _("Not examiners of this occupation on the filed roster: %(names)s.") % {"names": "、".join(unknown)},
        )
    elif len(examiners) < MIN_EXAMINERS:
        add(
            "examiners",
            _("Choose at least %(min)d examiners of this occupation from the roster (%(count)d chosen).")
            % {"min": MIN_EXAMINERS, "count": len(examiners)},
        )
    elif first_day is not None and last_day is not None and last_day >= first_day:
        for other, names in examiners_booked(entry, examiners, first_day, last_day, plan=plan):
            add(
                "examiners",
                _(
                    "%(names)s already examine(s) in the plan %(plan)s (%(first)s – %(last)s): a person cannot "
                    "examine in two sessions on the same day."
                )
                % {
                    "names": "、".join(names),
                    "plan": other.label,
                    "first": other.first_day.isoformat(),
                    "last": other.last_day.isoformat(),
                },
            )
    supervisor = (fields.get("supervisor") or "").strip()
    if not supervisor:
        add("supervisor", _("Choose the internal quality supervisor."))
    elif supervisor not in roster["supervisors"]:
        add("supervisor", _("Not an internal quality supervisor on the filed roster."))
    elif supervisor in examiners:
        # 四（二）: 不相容岗位分离与回避 — one person cannot examine and supervise the same session.
        add(
            "supervisor",
            _("%(name)s is an examiner of this session and cannot also supervise it.") % {"name": supervisor},
        )
    return errors


def examiners_booked(
    entry: DirectoryEntry, examiners: list[str], first_day: dt.date, last_day: dt.date, *, plan: Plan | None = None
) -> list[tuple[Plan, list[str]]]:
    """The agency's other plans (any of its entries, not withdrawn) whose exam days overlap ``first_day`` –
    ``last_day`` and which name some of ``examiners``: each with those names. One examiner, one session a day."""
    others = (
        Plan.objects.filter(
            entry__organisation_id=entry.organisation_id, first_day__lte=last_day, last_day__gte=first_day
        )
        .exclude(status=Plan.Status.WITHDRAWN)
        .select_related("occupation", "city")
        .order_by("first_day", "pk")
    )
    if plan is not None and plan.pk is not None:
        others = others.exclude(pk=plan.pk)
    booked = []
    for other in others:
        names = [name for name in examiners if name in set(other.examiners)]
        if names:
            booked.append((other, names))
    return booked


def plan_save(*, entry: DirectoryEntry, by: User, plan: Plan | None = None, request=None, **fields) -> Plan:
    """Create or change a draft (or refused) plan."""
    _require_agency_of(entry, by)
    _require_active(entry)
    if plan is not None and plan.entry_id != entry.pk:
        raise PermissionDenied
    if plan is not None and plan.status not in (Plan.Status.DRAFT, Plan.Status.REFUSED):
        raise WorkflowError(_("Only a draft or refused plan can be changed."))
    errors = plan_problems(entry, fields, today=timezone.localdate(), plan=plan)
    if errors:
        raise ValidationError(errors)
    values = {name: fields[name] for name in PLAN_FIELDS if name in fields}
    values["examiners"] = list(dict.fromkeys(values.get("examiners", [])))
    values["fee"] = Decimal(str(values["fee"]).strip())
    with transaction.atomic():
        if plan is None:
            plan = Plan.objects.create(entry=entry, created_by=by, **values)
            audit_record(action="plan_create", request=request, actor=by, obj=plan)
        else:
            plan = Plan.objects.select_for_update().get(pk=plan.pk)
            for name, value in values.items():
                setattr(plan, name, value)
            plan.status = Plan.Status.DRAFT
            plan.save()
            audit_record(action="plan_save", request=request, actor=by, obj=plan)
    return plan


def _locked_plan(plan: Plan) -> Plan:
    return (
        Plan.objects.select_for_update(of=("self",))
        .select_related("entry__organisation", "entry__region", "city", "occupation")
        .get(pk=plan.pk)
    )


def _consent_requested(plan: Plan, *, today) -> None:
    """The plan's cross-region report (re)opened: pending with the HR bureau of the evaluation's city, answered
    within ``CROSS_REGION_CONSENT_WORKDAYS`` working days."""
    CrossRegionReport.objects.update_or_create(
        plan=plan,
        defaults={
            "department": _hr_bureau_of(plan.city),
            "status": CrossRegionReport.Status.PENDING,
            "submitted_at": timezone.now(),
            "deadline": add_workdays(today, settings.CROSS_REGION_CONSENT_WORKDAYS),
            "decided_at": None,
            "decided_by": None,
            "reasons": "",
        },
    )


def _hr_bureau_of(city: Region) -> Department | None:
    return Department.objects.filter(kind=Department.Kind.HR_BUREAU, region=city).first()


def plan_submit(*, plan: Plan, by: User, request=None) -> Plan:
    """Make the plan ready: within the registered city at once; elsewhere, reported to that city's HR bureau,
    whose consent it then awaits."""
    with transaction.atomic():
        plan = _locked_plan(plan)
        _require_agency_of(plan.entry, by)
        _require_active(plan.entry)
        if plan.status not in (Plan.Status.DRAFT, Plan.Status.REFUSED):
            raise WorkflowError(_("This plan has already been submitted."))
        errors = plan_problems(plan.entry, _fields_of(plan), today=timezone.localdate(), plan=plan)
        if errors:
            raise ValidationError(errors)
        if plan.status == Plan.Status.REFUSED:
            # Submitted again after a refusal: the agency has acted on it.
            notifications_done(users=_agency_users(plan.entry), link=reverse("supervision:plan_detail", args=[plan.pk]))
        if plan.cross_region:
            if not _consenting_hr(plan).exists():
                # Reported to nobody, the plan would wait for a consent that can never come (first-day finding).
                raise WorkflowError(
                    _(
                        "The HR bureau of %(city)s has no account on the portal yet, so nobody could consent to a "
                        "plan there. Ask that bureau or the provincial centre to open its account first, or choose "
                        "a venue in a city whose bureau is on the portal."
                    )
                    % {"city": plan.city.name}
                )
            _consent_requested(plan, today=timezone.localdate())
            plan.status = Plan.Status.AWAITING_CONSENT
            _notify_hr(plan)
        else:
            plan.status = Plan.Status.READY
        plan.save(update_fields=["status"])
        audit_record(
            action="plan_submit",
            request=request,
            actor=by,
            obj=plan,
            detail=audit_text(gettext_lazy("Now: %(status)s"), status=audit_text(Plan.Status(plan.status).label)),
        )
    return plan


def _fields_of(plan: Plan) -> dict:
    return {name: getattr(plan, name) for name in PLAN_FIELDS}


def _consenting_hr(plan: Plan):
    """The HR bureau officials of the evaluation's city, who consent to a cross-region plan or refuse it."""
    codes = [code for code in plan.city.path.split("/") if code]
    return User.objects.filter(
        role=Role.CITY_HR,
        is_active=True,
        department__kind=Department.Kind.HR_BUREAU,
        department__region__code__in=codes,
    )


def consent_done(plan: Plan) -> None:
    """The report waits for nobody any more (answered, or its plan withdrawn): the bureau's to-do is done."""
    notifications_done(users=_consenting_hr(plan), link=reverse("supervision:plan_detail", args=[plan.pk]))


def _notify_hr(plan: Plan) -> None:
    users = _consenting_hr(plan)
    with translation.override(settings.LANGUAGE_CODE):
        params = {"name": plan.entry.organisation.name, "city": plan.city.name, "day": plan.first_day.isoformat()}
        notify(
            users=users,
            subject=_("Cross-region evaluation report: %(name)s") % params,
            body=_(
                "%(name)s plans an evaluation in %(city)s from %(day)s, outside its registered city.\n"
                "What to do next: consent or refuse with your reasons before the deadline."
            )
            % params,
            link=reverse("supervision:plan_detail", args=[plan.pk]),
            todo=True,
        )


def report_decide(
    *, report: CrossRegionReport, by: User, consent: bool, reasons: str, request=None
) -> CrossRegionReport:
    """The HR bureau of the evaluation's city consents to the plan or refuses it (with reasons)."""
    reasons = reasons.strip()
    if not consent and not reasons:
        raise ValidationError({"reasons": [_("Give the reasons for refusing.")]})
    with transaction.atomic():
        report = CrossRegionReport.objects.select_for_update(of=("self",)).select_related("plan").get(pk=report.pk)
        plan = _locked_plan(report.plan)
        if by.role != Role.CITY_HR or not _in_jurisdiction(by, plan.city):
            raise PermissionDenied
        if report.status != CrossRegionReport.Status.PENDING:
            raise WorkflowError(_("This report has already been answered."))
        change = _pending_venue_change(plan)
        if change is not None:
            # Asked again for a new venue of an announced plan: the plan stays announced either way; consent
            # applies the new venue, a refusal keeps the one consented before.
            _decide_change(change, plan, by=by, consent=consent, reasons=reasons)
            report.status = CrossRegionReport.Status.CONSENTED
            report.decided_at, report.decided_by, report.reasons = timezone.now(), by, "" if consent else reasons
        else:
            report.status = CrossRegionReport.Status.CONSENTED if consent else CrossRegionReport.Status.REFUSED
            report.decided_at, report.decided_by, report.reasons = timezone.now(), by, reasons
            plan.status = Plan.Status.READY if consent else Plan.Status.REFUSED
            plan.save(update_fields=["status"])
        report.save(update_fields=["status", "decided_at", "decided_by", "reasons"])
        audit_record(
            action="report_decide",
            request=request,
            actor=by,
            obj=plan,
            detail=audit_text(CrossRegionReport.Status(report.status).label),
        )
        consent_done(plan)
        with translation.override(settings.LANGUAGE_CODE):
            params = {"city": plan.city.name, "plan": plan.label}
            if change is not None:
                subject = (
                    _("The HR bureau of %(city)s consented to the new venue of %(plan)s")
                    if consent
                    else _("The HR bureau of %(city)s refused the new venue of %(plan)s; the announced venue stands")
                ) % params
            else:
                subject = (
                    _("The HR bureau of %(city)s consented to the plan %(plan)s")
                    if consent
                    else _("The HR bureau of %(city)s refused the plan %(plan)s")
                ) % params
            # Consented to a new plan: the agency publishes the announcement next, a to-do until it does (issue 12).
            next_step = ""
            if change is None and consent:
                next_step = _("Next: publish the announcement (open the plan and choose “Publish the announcement”).")
        _notify_agency(plan.entry, subject, plan, next_step=next_step)
    return report


def plan_announce(*, plan: Plan, by: User, request=None) -> Plan:
    """Publish the announcement on the public site today, if the first exam day is still far enough away."""
    with transaction.atomic():
        plan = _locked_plan(plan)
        _require_agency_of(plan.entry, by)
        _require_active(plan.entry)
        if plan.status == Plan.Status.AWAITING_CONSENT:
            raise WorkflowError(_("The local HR bureau has not consented yet; the plan cannot be announced."))
        if plan.status != Plan.Status.READY:
            raise WorkflowError(_("Only a plan ready to announce can be announced."))
        allowed = first_allowed_exam_day(timezone.localdate())
        if plan.first_day < allowed:
            raise ValidationError(
                {
                    "first_day": [
                        _(
                            "The announcement must be published at least %(days)d working days before the first "
                            "exam day: announced today, the first exam day can be %(date)s at the earliest."
                        )
                        % {"days": ANNOUNCEMENT_LEAD_WORKDAYS, "date": allowed.isoformat()}
                    ]
                }
            )
        plan.status = Plan.Status.ANNOUNCED
        plan.announced_at = timezone.now()
        plan.save(update_fields=["status", "announced_at"])
        audit_record(action="plan_announce", request=request, actor=by, obj=plan)
        # Announced: the consent's "publish the announcement" is done for every user of the agency.
        notifications_done(users=_agency_users(plan.entry), link=reverse("supervision:plan_detail", args=[plan.pk]))
    return plan


def plan_delete(*, plan: Plan, by: User, request=None) -> None:
    """Delete a draft never submitted: it leaves every list. A plan once submitted is withdrawn instead (its
    report, its history stay)."""
    with transaction.atomic():
        plan = _locked_plan(plan)
        _require_agency_of(plan.entry, by)
        if not plan.never_submitted():
            raise WorkflowError(_("Only a draft never submitted can be deleted; withdraw a submitted plan."))
        label = plan.label
        audit_record(
            action="plan_withdraw",
            request=request,
            actor=by,
            obj=plan,
            detail=audit_text(gettext_lazy("Draft deleted (never submitted): %(plan)s"), plan=label),
        )
        try:
            with transaction.atomic():
                plan.delete()
        except ProtectedError:
            raise WorkflowError(
                _("Something already refers to this draft (a complaint or an inspection): withdraw it instead.")
            ) from None


def plan_withdraw(*, plan: Plan, by: User, request=None) -> Plan:
    with transaction.atomic():
        plan = _locked_plan(plan)
        _require_agency_of(plan.entry, by)
        if plan.status == Plan.Status.WITHDRAWN:
            raise WorkflowError(_("This plan has already been withdrawn."))
        if plan.evaluation_begun(timezone.localdate()):
            raise WorkflowError(_("The evaluation has begun; it can no longer be withdrawn."))
        change = _pending_venue_change(plan)
        plan.status = Plan.Status.WITHDRAWN
        plan.save(update_fields=["status"])
        if change is not None:
            # A new venue awaited consent: the question goes with the plan; the consent given before stays on record.
            change.status = PlanChange.Status.CANCELLED
            change.save(update_fields=["status"])
            CrossRegionReport.objects.filter(plan=plan).update(status=CrossRegionReport.Status.CONSENTED)
            consent_done(plan)
        elif CrossRegionReport.objects.filter(plan=plan, status=CrossRegionReport.Status.PENDING).delete()[0]:
            consent_done(plan)
        audit_record(action="plan_withdraw", request=request, actor=by, obj=plan)
        # Withdrawn: nothing is left to announce, so the consent's to-do is done too.
        notifications_done(users=_agency_users(plan.entry), link=reverse("supervision:plan_detail", args=[plan.pk]))
    return plan


# ---------------------------------------------------------------- changes to an announced plan


def plan_changeable(plan: Plan, today: dt.date | None = None) -> bool:
    """An announced plan whose first exam day has not come: its venue and examiners may still change. One rule for
    the button and the service (``plan_change``)."""
    today = today or timezone.localdate()
    return plan.status == Plan.Status.ANNOUNCED and today < plan.first_day


def _pending_venue_change(plan: Plan) -> PlanChange | None:
    return plan.changes.filter(status=PlanChange.Status.AWAITING_CONSENT).first()


def plan_change(
    *, plan: Plan, by: User, venue: str, venue_address: str, examiners: list[str], request=None
) -> list[PlanChange]:
    """Change an announced plan's venue or examiners before its first exam day; its days, occupation and level
    stay (announced to the public at least 10 working days before). Each change is recorded (who, when, from what
    to what) and told to the police and the HR bureau of the evaluation's city. A new venue of a plan outside the
    agency's registered city is asked of that city's HR bureau again and applies once it consents."""
    _require_agency_of(plan.entry, by)
    _require_active(plan.entry)
    venue, venue_address = venue.strip(), venue_address.strip()
    examiners = [name for name in dict.fromkeys(examiners) if name]
    with transaction.atomic():
        plan = _locked_plan(plan)
        today = timezone.localdate()
        if plan.status != Plan.Status.ANNOUNCED:
            raise WorkflowError(_("Only an announced plan is changed this way."))
        if not plan_changeable(plan, today):
            raise WorkflowError(_("The evaluation has begun; its plan can no longer be changed."))
        fields = {**_fields_of(plan), "venue": venue, "venue_address": venue_address, "examiners": examiners}
        problems = plan_problems(plan.entry, fields, today=today, plan=plan)
        errors = {name: problems[name] for name in ("venue", "venue_address", "examiners") if name in problems}
        if "supervisor" in problems:  # the supervisor stays: an examiner chosen who supervises the session
            errors.setdefault("examiners", []).extend(problems["supervisor"])
        if errors:
            raise ValidationError(errors)
        diff = {
            name: {"field": name, "before": getattr(plan, name), "after": value}
            for name, value in (("venue", venue), ("venue_address", venue_address), ("examiners", examiners))
            if getattr(plan, name) != value
        }
        if not diff:
            raise ValidationError(_("Nothing has changed."))
        venue_rows = [diff[name] for name in ("venue", "venue_address") if name in diff]
        needs_consent = bool(venue_rows) and plan.cross_region
        if needs_consent and _pending_venue_change(plan) is not None:
            raise WorkflowError(
                _("A new venue already awaits the consent of the HR bureau of %(city)s; wait for its answer.")
                % {"city": plan.city.name}
            )
        applied_rows = [row for name, row in diff.items() if not (needs_consent and name != "examiners")]
        changes = []
        if applied_rows:
            for row in applied_rows:
                setattr(plan, row["field"], row["after"])
            plan.save(update_fields=[row["field"] for row in applied_rows])
            changes.append(PlanChange.objects.create(plan=plan, by=by, changes=applied_rows))
        if needs_consent:
            changes.append(
                PlanChange.objects.create(
                    plan=plan, by=by, changes=venue_rows, status=PlanChange.Status.AWAITING_CONSENT
                )
            )
            _consent_requested(plan, today=today)
            _notify_hr_of_venue(plan, venue_rows)
        for change in changes:
            audit_record(
                action="plan_save",
                request=request,
                actor=by,
                obj=plan,
                detail=_change_text(change)[:500],
            )
        if applied_rows:
            _notify_watchers(plan, changes[0])
    return changes


def _change_text(change: PlanChange) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        lines = [f"{row['label']}：{row['before']} → {row['after']}" for row in change.rows()]
        if change.status == PlanChange.Status.AWAITING_CONSENT:
            lines.append(str(_("Awaiting the local HR bureau's consent")))
        return "；".join(lines)


def _notify_watchers(plan: Plan, change: PlanChange) -> None:
    """The police and the HR bureau of the evaluation's city: the announced evaluation they watch has changed."""
    _notify_changed(plan, change, users=[*_police_of(plan.city), *_consenting_hr(plan)])


def _notify_changed(plan: Plan, change: PlanChange, *, users) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Announced evaluation changed: %(name)s, %(plan)s") % {
            "name": plan.entry.organisation.name,
            "plan": plan.label,
        }
        notify(
            users=users,
            subject=subject,
            body=subject + "\n" + _change_text(change),
            link=reverse("supervision:plan_detail", args=[plan.pk]),
        )


def _notify_hr_of_venue(plan: Plan, rows: list[dict]) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        params = {"name": plan.entry.organisation.name, "plan": plan.label}
        subject = _("New venue for consent: %(name)s, %(plan)s") % params
        lines = "\n".join(
            f"{Plan._meta.get_field(row['field']).verbose_name}：{row['before']} → {row['after']}" for row in rows
        )
        notify(
            users=_consenting_hr(plan),
            subject=subject,
            body=subject
            + "\n"
            + lines
            + "\n"
            + _(
                "What to do next: consent to the new venue or refuse it with your reasons (the announced venue then "
                "stands)."
            ),
            link=reverse("supervision:plan_detail", args=[plan.pk]),
            todo=True,
        )


def _decide_change(change: PlanChange, plan: Plan, *, by: User, consent: bool, reasons: str) -> None:
    change.decided_by, change.decided_at, change.reasons = by, timezone.now(), reasons
    if consent:
        change.status = PlanChange.Status.CONSENTED
        for row in change.changes:
            setattr(plan, row["field"], row["after"])
        plan.save(update_fields=[row["field"] for row in change.changes])
    else:
        change.status = PlanChange.Status.REFUSED
    change.save(update_fields=["status", "decided_by", "decided_at", "reasons"])
    if consent:  # the police learn of the new venue once it holds; the consenting bureau decided it
        _notify_changed(plan, change, users=list(_police_of(plan.city)))

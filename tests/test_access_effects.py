"""What the role matrix cannot see from status codes alone.

1. Foreign children: a child (attachment, version, review-record photo, panel seat, objection and its file) is
   found only through its parent. The user's OWN parent combined with ANOTHER parent's child id is a 404, and a
   POST of that kind changes nothing.
2. Effects of refused POSTs (Kiwi TCMS's PermissionsTestCase idea): for every POST of the matrix, each person who
   may not take the step posts realistic data; the target's rows and the related counts stay as they were. The
   one person who may take it then posts the same data and the snapshot changes, which proves that the data is
   accepted and the snapshot would have seen a leak.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.db.models import Model, QuerySet
from django.urls import reverse
from django.utils import timezone

from agencies.models import Call, CallVersion, Organisation
from filings.examples import sample_application_data, sample_pdf
from filings.models import (
    Application,
    ApplicationUserObjectPermission,
    ApplicationVersion,
    Attachment,
    MinistryReview,
    PanelMember,
    Receipt,
    ReviewRecord,
    State,
    StateChange,
)
from filings.services import (
    application_create,
    application_save_draft,
    application_submit,
    application_transition,
    application_withdraw,
    attachment_add,
    ministry_report,
    ministry_result,
    panel_assign,
    panel_declare,
    panel_score,
    receipt_render,
    record_add,
    selection_mark,
    selection_notice_create,
)
from portal.models import AuditEvent, User
from publicity.models import Notice, NoticeItem, Objection
from publicity.services import notice_publish, objection_raise
from tests.agencies.factories import CallFactory, CallVersionFactory, gx_call
from tests.agencies.test_calls import form_data as call_form_data
from tests.conftest import ROLE_NAMES, People
from tests.filings.factories import GX_MATERIALS, make_call

SECURITY_MANAGER = [("3-02-02-00", "保卫管理员", level) for level in (3, 2, 1)]
MATRIX_CALL = "matrix-gx"


# ---------------------------------------------------------------- builders (the matrix's services, any agency)


def _call(code: str) -> Call:
    return Call.objects.filter(code=code).first() or make_call(code)


def _agency_of(people: People, organisation: Organisation) -> User:
    return people.agency_nanning if organisation == people.org_nanning else people.agency_liuzhou


def _city_of(people: People, application: Application) -> User:
    return people.city_nanning if application.organisation == people.org_nanning else people.city_liuzhou


def _police_of(people: People, application: Application) -> User:
    return people.police_nanning if application.organisation == people.org_nanning else people.police_liuzhou


def draft(people: People, organisation: Organisation, call_code: str = MATRIX_CALL) -> Application:
    """The organisation's draft, completely filled in, every material of the call attached."""
    agency = _agency_of(people, organisation)
    application = application_create(organisation=organisation, call=_call(call_code), by=agency)
    data = sample_application_data(organisation, occupations=SECURITY_MANAGER)
    application_save_draft(application=application, data=data, by=agency)
    for material in GX_MATERIALS:
        attachment_add(application=application, material=material["code"], uploaded=sample_pdf("scan"), by=agency)
    application.refresh_from_db()
    return application


def submission(people: People, organisation: Organisation, call_code: str = MATRIX_CALL) -> Application:
    """The organisation's application, submitted once (version 1): with its city bureau (city review)."""
    application = draft(people, organisation, call_code)
    application_submit(
        application=application, by=_agency_of(people, organisation), commitment_name="张三", consent=True
    )
    application.refresh_from_db()
    return application


def corrected(people: People, application: Application) -> Application:
    """The city bureau asks for a correction and the agency submits again: the application has version 2."""
    application_transition(
        application=application, by=_city_of(people, application), name="request_correction", sections={"basic": "补充"}
    )
    application.refresh_from_db()
    application_submit(
        application=application, by=_agency_of(people, application.organisation), commitment_name="张三", consent=True
    )
    application.refresh_from_db()
    return application


def in_assessment(people: People, application: Application) -> Application:
    """Recommended, accepted, expert_assigned on the panel (the matrix's ``assigned_application``)."""
    application_transition(application=application, by=_city_of(people, application), name="recommend", text="同意。")
    application_transition(application=application, by=people.centre, name="accept")
    panel_assign(application=application, experts=[people.expert_assigned], by=people.centre)
    application.refresh_from_db()
    return application


def with_photo(people: People, application: Application) -> ReviewRecord:
    """The police of the application's city record their opinion in the assessment, with a photo."""
    return record_add(
        application=application,
        by=_police_of(people, application),
        kind="police_assessment",
        notes="同意。",
        photos=[sample_pdf("photo")],
    )


def assessed(people: People, application: Application) -> Application:
    application_transition(application=application, by=_city_of(people, application), name="recommend", text="同意。")
    application_transition(application=application, by=people.centre, name="accept")
    Application.objects.filter(pk=application.pk).update(state=State.ASSESSED, panel_score=88)
    application.refresh_from_db()
    return application


def selected(people: People, application: Application) -> Application:
    return selection_mark(application=assessed(people, application), by=people.centre, selected=True, reason="靠前。")


def draft_notice(people: People, application: Application) -> Notice:
    return selection_notice_create(
        call=application.call, by=people.centre, title="公示", body="", window_days=5, applications=[application]
    )


def published_notice(people: People, application: Application) -> Notice:
    return notice_publish(notice=draft_notice(people, selected(people, application)), by=people.centre)


def objection_to(notice: Notice) -> Objection:
    return objection_raise(
        notice=notice,
        item=notice.items.get(),
        name="王",
        contact="13977212345",
        content="异议",
        files=[sample_pdf("证明")],
    )


def filed(people: People, application: Application) -> Application:
    """Filed after the ministry's approval, its receipt rendered (the matrix's ``filed_application``)."""
    Application.objects.filter(pk=application.pk).update(state=State.PUBLICISED)
    ministry_report(application=application, by=people.centre, reported_on=timezone.localdate())
    ministry_result(application=application, by=people.centre, approved=True, result_on=timezone.localdate())
    receipt_render(Receipt.objects.get(application=application))
    application.refresh_from_db()
    return application


# ---------------------------------------------------------------- 1. foreign children

# Who reads 南宁's application under assessment (the matrix's ASSIGNED_READERS with 200).
READERS_OF_NANNING = ["agency_nanning", "city_nanning", "centre", "police_nanning", "admin", "expert_assigned"]


@dataclass
class Pair:
    """南宁's application (``own``) and 柳州's (``other``), both under assessment with expert_assigned on the
    panel, each with a police photo; 柳州's has a second version and a signed scan."""

    own: Application
    other: Application
    own_photo: int
    other_photo: int
    other_signed_scan: int


@pytest.fixture
def pair(people) -> Pair:
    own = in_assessment(people, submission(people, people.org_nanning))
    other = in_assessment(people, corrected(people, submission(people, people.org_liuzhou)))
    scan = attachment_add(
        application=other, material="signed_scan", uploaded=sample_pdf("signed"), by=people.agency_liuzhou
    )
    return Pair(
        own=own,
        other=other,
        own_photo=with_photo(people, own).photos.get().pk,
        other_photo=with_photo(people, other).photos.get().pk,
        other_signed_scan=scan.pk,
    )


def _statuses(people, client_for, names, url) -> dict[str, int]:
    return {name: client_for(people.get(name)).get(url).status_code for name in names}


def test_an_attachment_of_another_application_is_404_under_ones_own(pair, people, client_for):
    own_file = pair.own.attachments.first().pk
    foreign = [pair.other.attachments.exclude(material="signed_scan").first().pk, pair.other_signed_scan]
    own_url = reverse("filings:attachment_download", args=[pair.own.pk, own_file])
    assert _statuses(people, client_for, READERS_OF_NANNING, own_url) == dict.fromkeys(READERS_OF_NANNING, 200)
    for attachment_pk in foreign:
        url = reverse("filings:attachment_download", args=[pair.own.pk, attachment_pk])
        assert _statuses(people, client_for, READERS_OF_NANNING, url) == dict.fromkeys(READERS_OF_NANNING, 404)


def test_a_version_only_another_application_has_is_404_under_ones_own(pair, people, client_for):
    assert list(pair.own.versions.values_list("number", flat=True)) == [1]
    assert pair.other.versions.filter(number=2).exists()
    for name in ("filings:version_detail", "filings:version_pdf"):
        assert client_for(people.centre).get(reverse(name, args=[pair.other.pk, 2])).status_code == 200
        assert client_for(people.centre).get(reverse(name, args=[pair.own.pk, 1])).status_code == 200
        url = reverse(name, args=[pair.own.pk, 2])
        assert _statuses(people, client_for, READERS_OF_NANNING, url) == dict.fromkeys(READERS_OF_NANNING, 404)


def test_a_record_photo_of_another_application_is_404_under_ones_own(pair, people, client_for):
    own_url = reverse("filings:record_photo", args=[pair.own.pk, pair.own_photo])
    assert _statuses(people, client_for, READERS_OF_NANNING, own_url) == dict.fromkeys(READERS_OF_NANNING, 200)
    url = reverse("filings:record_photo", args=[pair.own.pk, pair.other_photo])
    assert _statuses(people, client_for, READERS_OF_NANNING, url) == dict.fromkeys(READERS_OF_NANNING, 404)


def _seats() -> list[tuple[int, int]]:
    return sorted(PanelMember.objects.values_list("application_id", "expert_id"))


def _grants() -> list[tuple[int, int]]:
    return sorted(ApplicationUserObjectPermission.objects.values_list("content_object_id", "user_id"))


def test_removing_another_applications_panel_member_is_404_and_removes_nobody(pair, people, client_for):
    client = client_for(people.centre)
    url = reverse("filings:panel", args=[pair.own.pk])
    other_seat = pair.other.panel.get()
    seats, grants = _seats(), _grants()
    assert client.post(url, {"action": "remove", "member": other_seat.pk}).status_code == 404
    assert PanelMember.objects.filter(pk=other_seat.pk).exists()
    assert (_seats(), _grants()) == (seats, grants)
    assert client_for(people.expert_assigned).get(reverse("filings:assess", args=[pair.other.pk])).status_code == 200
    # Through its own application the same kind of post removes the seat: the post above was a real one.
    assert (
        client_for(people.centre).post(url, {"action": "remove", "member": pair.own.panel.get().pk}).status_code == 302
    )
    assert not pair.own.panel.exists()
    assert PanelMember.objects.filter(pk=other_seat.pk).exists()


@dataclass
class Notices:
    own: Notice
    other: Notice
    own_objection: Objection
    other_objection: Objection


@pytest.fixture
def notices(people) -> Notices:
    """Two published notices of the call, one with 南宁's application, one with 柳州's, an objection (with a
    file) to each."""
    own = published_notice(people, submission(people, people.org_nanning))
    other = published_notice(people, submission(people, people.org_liuzhou))
    return Notices(own=own, other=other, own_objection=objection_to(own), other_objection=objection_to(other))


def test_an_objection_attachment_of_another_notice_is_404_under_ones_own(notices, people, client_for):
    client = client_for(people.centre)
    own_file = notices.own_objection.attachments.get().pk
    other_file = notices.other_objection.attachments.get().pk
    assert client.get(reverse("publicity:objection_attachment", args=[notices.own.pk, own_file])).status_code == 200
    assert client.get(reverse("publicity:objection_attachment", args=[notices.other.pk, other_file])).status_code == 200
    assert client.get(reverse("publicity:objection_attachment", args=[notices.own.pk, other_file])).status_code == 404


def _objections() -> list[dict]:
    return _rows(Objection.objects.all()) + _rows(NoticeItem.objects.all()) + _rows(Application.objects.all())


def test_handling_an_objection_of_another_notice_is_404_and_changes_nothing(notices, people, client_for):
    client = client_for(people.centre)
    url = reverse("publicity:notice_detail", args=[notices.own.pk])
    data = {"action": "handle", "decision": "uphold", "reply": "经核查属实。"}
    before, audit = _objections(), _audit()
    assert client.post(url, {**data, "objection": notices.other_objection.pk}).status_code == 404
    assert (_objections(), _audit()) == (before, audit)
    notices.other_objection.refresh_from_db()
    assert notices.other_objection.status == Objection.Status.PENDING
    # The same post with the notice's own objection is taken: the post above was a real one.
    assert client.post(url, {**data, "objection": notices.own_objection.pk}).status_code == 302
    notices.own_objection.refresh_from_db()
    notices.other_objection.refresh_from_db()
    assert (notices.own_objection.status, notices.other_objection.status) == ("upheld", "pending")


@pytest.fixture
def drafts(people) -> dict[str, Application]:
    """南宁's draft, a second 南宁 draft under another call (its own agency may remove its files, so only the
    loader keeps them apart) and 柳州's draft."""
    return {
        "own": draft(people, people.org_nanning),
        "own_other_call": draft(people, people.org_nanning, "effects-other-call"),
        "liuzhou": draft(people, people.org_liuzhou),
    }


def test_removing_a_file_of_another_application_is_404_and_removes_nothing(drafts, people, client_for):
    client = client_for(people.agency_nanning)
    own = drafts["own"]
    for key in ("own_other_call", "liuzhou"):
        foreign = drafts[key].attachments.first()
        before = _rows(Attachment.objects.all())
        response = client.post(reverse("filings:attachment_remove", args=[own.pk, foreign.pk]))
        assert response.status_code == 404, key
        assert _rows(Attachment.objects.all()) == before, key
    foreign = drafts["own_other_call"].attachments.first()
    assert (
        client.post(reverse("filings:attachment_remove", args=[foreign.application_id, foreign.pk])).status_code == 302
    )
    assert Attachment.objects.get(pk=foreign.pk).removed


# ---------------------------------------------------------------- 2. refused POSTs change nothing


def _rows(queryset: QuerySet) -> list[dict]:
    return list(queryset.order_by("pk").values())


def _row(model: type[Model], pk: int) -> list[dict]:
    return _rows(model.objects.filter(pk=pk))


SIGN_INS = (AuditEvent.Action.LOGIN, AuditEvent.Action.LOGOUT, AuditEvent.Action.LOGIN_FAILED)
# The record of a refusal is not an effect of the refused post (tests/portal/test_audit_gaps.py checks it).
REFUSALS_RECORDED = (AuditEvent.Action.ACCESS_DENIED, AuditEvent.Action.UPLOAD_REJECTED)


def _audit() -> list[tuple]:
    events = AuditEvent.objects.exclude(action__in=(*SIGN_INS, *REFUSALS_RECORDED))
    return list(events.order_by("pk").values_list("pk", "action"))


def _application(target: dict) -> dict:
    pk = target["application"].pk
    return {
        "application": _row(Application, pk),
        "history": _rows(StateChange.objects.filter(application_id=pk)),
        "versions": _rows(ApplicationVersion.objects.filter(application_id=pk)),
    }


def _nothing(people: People, target: dict) -> dict:
    return {}


@dataclass
class Effect:
    """A POST of the matrix, what it is posted against, and what it would change.

    ``build`` makes the target (``kwargs`` to reverse the URL, and whatever ``data`` and ``snapshot`` read);
    ``actor`` may take the step (and ``also_allowed``): everyone else is refused, the anonymous sent to sign in
    (302), the signed-in with 403 unless ``expect`` says otherwise."""

    url: str
    build: Callable[[People], dict]
    snapshot: Callable[[dict], object]
    actor: str
    data: Callable[[People, dict], dict] = _nothing
    also_allowed: tuple[str, ...] = ()
    expect: dict[str, int] = field(default_factory=dict)


def _city_review(people) -> dict:
    application = submission(people, people.org_nanning)
    return {"application": application, "kwargs": {"pk": application.pk}}


def _withdrawn(people) -> dict:
    target = _city_review(people)
    application_withdraw(application=target["application"], by=people.agency_nanning)
    return target


def _a_draft(people) -> dict:
    application = draft(people, people.org_nanning)
    return {"application": application, "kwargs": {"pk": application.pk}}


def _a_draft_file(people) -> dict:
    target = _a_draft(people)
    attachment = target["application"].attachments.first()
    return {
        **target,
        "attachment": attachment,
        "kwargs": {"pk": attachment.application_id, "attachment_pk": attachment.pk},
    }


def _an_assessment(people) -> dict:
    application = in_assessment(people, submission(people, people.org_nanning))
    return {"application": application, "seat": application.panel.get(), "kwargs": {"pk": application.pk}}


def _a_scored_assessment(people) -> dict:
    """Both experts on the panel, each with the scores handed in: the centre may conclude."""
    target = _an_assessment(people)
    application = target["application"]
    panel_assign(application=application, experts=[people.expert_other], by=people.centre)
    for expert in (people.expert_assigned, people.expert_other):
        member = application.panel.get(expert=expert)
        panel_declare(member=member, by=expert, has_conflict=False)
        scores = {c["code"]: str(c["max"]) for c in application.call_version.scoring}
        panel_score(member=member, by=expert, scores=scores, comment="", submit=True)
    return target


def _an_assessed(people) -> dict:
    application = assessed(people, submission(people, people.org_nanning))
    return {"application": application, "kwargs": {"call_pk": application.call_id}}


def _a_selected(people) -> dict:
    return {"application": selected(people, submission(people, people.org_nanning)), "kwargs": {}}


def _a_draft_notice(people) -> dict:
    application = selected(people, submission(people, people.org_nanning))
    notice = draft_notice(people, application)
    return {"application": application, "notice": notice, "kwargs": {"pk": notice.pk}}


def _an_objection(people) -> dict:
    application = submission(people, people.org_nanning)
    notice = published_notice(people, application)
    return {
        "application": application,
        "notice": notice,
        "objection": objection_to(notice),
        "kwargs": {"pk": notice.pk},
    }


def _a_notice_due(people) -> dict:
    application = submission(people, people.org_nanning)
    notice = published_notice(people, application)
    Notice.objects.filter(pk=notice.pk).update(closes_on=timezone.localdate() - dt.timedelta(days=1))
    return {"application": application, "notice": notice, "kwargs": {"pk": notice.pk}}


def _publicised(people) -> dict:
    target = _city_review(people)
    Application.objects.filter(pk=target["application"].pk).update(state=State.PUBLICISED)
    return target


def _a_filed(people) -> dict:
    application = filed(people, submission(people, people.org_nanning))
    receipt = application.receipts.get()
    assert receipt.status == Receipt.Status.READY
    return {"application": application, "receipt": receipt, "kwargs": {"pk": application.pk}}


def _the_published_call(people) -> dict:
    return {"call": gx_call(), "kwargs": {"pk": gx_call().pk}}


def _a_draft_call(people) -> dict:
    call = CallVersionFactory(call=CallFactory(code="effects-draft-call"), published_at=None).call
    return {"call": call, "kwargs": {"pk": call.pk}}


def _a_code_to_confirm(people) -> dict:
    Organisation.objects.filter(pk=people.org_nanning.pk).update(uscc_needs_confirmation=True)
    return {"organisation": people.org_nanning, "kwargs": {"pk": people.org_nanning.pk}}


def _an_open_call(people) -> dict:
    return {"call": _call("effects-open-call"), "kwargs": {}}


def _call_rows(target: dict) -> dict:
    call = target.get("call")
    versions = CallVersion.objects.filter(call=call) if call else CallVersion.objects.all()
    return {"calls": _rows(Call.objects.all()), "versions": _rows(versions)}


def _notice(target: dict) -> dict:
    notice = target["notice"]
    return {
        "notice": _row(Notice, notice.pk),
        "items": _rows(notice.items.all()),
        "objections": _rows(notice.objections.all()),
        **_application(target),
    }


TODAY = timezone.localdate().isoformat()

# ---------------------------------------------------------------- supervision targets


def _nanning_filed(people):
    from tests.supervision.factories import filed_agency

    return filed_agency(people.org_nanning, people.agency_nanning, people.centre)


def _a_plan(people, *, city_code: str = "450100", status: str = "draft") -> dict:
    """A plan of 南宁's filed agency, far enough ahead to be submitted and announced today."""
    from supervision.models import CrossRegionReport, Plan
    from supervision.services import first_allowed_exam_day
    from tests.portal.factories import region
    from tests.supervision.factories import plan_fields

    entry = _nanning_filed(people)
    first = first_allowed_exam_day(timezone.localdate()) + dt.timedelta(days=7)
    fields = plan_fields(first_day=first, last_day=first, city=region(city_code))
    plan = Plan.objects.create(entry=entry, created_by=people.agency_nanning, status=status, **fields)
    if status == Plan.Status.AWAITING_CONSENT:
        CrossRegionReport.objects.create(plan=plan, deadline=first)
    return {"plan": plan, "entry": entry, "kwargs": {"pk": plan.pk}}


def _a_plan_to_submit(people) -> dict:
    target = _a_plan(people)
    return {**target, "kwargs": {"pk": target["plan"].pk, "action": "submit"}}


def _a_report_for_liuzhou(people) -> dict:
    return _a_plan(people, city_code="450200", status="awaiting_consent")


def _plan_and_report(target: dict) -> dict:
    from supervision.models import CrossRegionReport, Plan

    pk = target["plan"].pk
    return {"plan": _row(Plan, pk), "report": _rows(CrossRegionReport.objects.filter(plan_id=pk))}


def _a_registration(people) -> dict:
    from supervision.services import registration_submit

    entry = _nanning_filed(people)
    registration = registration_submit(
        entry=entry,
        city=entry.region,
        by=people.agency_nanning,
        responsible="黄晓梅",
        phone="0771-5561234",
        sites="本部",
    )
    return {"registration": registration, "kwargs": {"pk": registration.pk}}


def _registration(target: dict) -> dict:
    from supervision.models import PoliceRegistration, RegistrationEvent

    pk = target["registration"].pk
    return {
        "registration": _row(PoliceRegistration, pk),
        "events": _rows(RegistrationEvent.objects.filter(registration_id=pk)),
    }


def _an_entry(people) -> dict:
    return {"entry": _nanning_filed(people), "kwargs": {}}


def _supervision_rows(target: dict) -> dict:
    from supervision.models import Plan, PoliceRegistration

    entry = target["entry"]
    return {
        "plans": _rows(Plan.objects.filter(entry=entry)),
        "registrations": _rows(PoliceRegistration.objects.filter(entry=entry)),
    }


def _plan_post(people, target: dict) -> dict:
    from supervision.services import first_allowed_exam_day
    from tests.portal.factories import region
    from tests.supervision.factories import plan_fields

    first = first_allowed_exam_day(timezone.localdate()) + dt.timedelta(days=7)
    fields = plan_fields(first_day=first, last_day=first)
    return {
        "entry": target["entry"].pk,
        **{
            name: value for name, value in fields.items() if name not in ("city", "occupation", "first_day", "last_day")
        },
        "city": region("450100").pk,
        "occupation": fields["occupation"].pk,
        "first_day": first.isoformat(),
        "last_day": first.isoformat(),
        "expected_candidates": 80,
    }


# ---------------------------------------------------------------- Supervision II targets

SANCTION_BASIS = "《关于开展社会培训评价组织职业技能等级认定试点工作的通知》四（一）：建立信用档案和退出机制。"


def _an_entry_file(people) -> dict:
    entry = _nanning_filed(people)
    return {"entry": entry, "kwargs": {"pk": entry.pk}}


def _a_suspension(people) -> dict:
    from supervision.services import sanction_decide

    entry = _nanning_filed(people)
    until = timezone.localdate() + dt.timedelta(days=30)
    suspension = sanction_decide(
        entry=entry, kind="suspension", facts="考场监控未开启。", basis=SANCTION_BASIS, until=until, by=people.centre
    )
    return {"entry": entry, "sanction": suspension, "kwargs": {"pk": suspension.pk}}


def _a_complaint(people) -> dict:
    from supervision.services import complaint_submit

    entry = _nanning_filed(people)
    found = complaint_submit(
        entry=entry,
        happened_on=timezone.localdate(),
        content="监考人员离开考场。",
        contact="13877112345",
    )
    return {"entry": entry, "complaint": found, "kwargs": {"pk": found.pk}}


def _complaint_rows(target: dict) -> dict:
    from supervision.models import Complaint, ComplaintEvent, CreditRecord

    pk = target["complaint"].pk
    return {
        "complaint": _row(Complaint, pk),
        "events": _rows(ComplaintEvent.objects.filter(complaint_id=pk)),
        "credit": _rows(CreditRecord.objects.all()),
    }


def _an_inspection(people) -> dict:
    from supervision.services.inspections import inspection_open

    entry = _nanning_filed(people)
    found = inspection_open(entry=entry, by=people.police_nanning)
    return {"entry": entry, "inspection": found, "kwargs": {"pk": found.pk}}


def _an_order(people) -> dict:
    from supervision.services.inspections import finding_add
    from tests.supervision.factories import issued

    target = _an_inspection(people)
    finding = finding_add(
        inspection=target["inspection"], by=people.police_nanning, text="监控未开启。", requirement="开启。"
    )
    issued(target["inspection"], people.police_nanning)  # the order reaches the agency with the completed inspection
    return {**target, "order": finding.rectification, "kwargs": {"pk": finding.rectification.pk}}


def _inspection_rows(target: dict) -> dict:
    from supervision.models import (
        CreditRecord,
        Finding,
        Inspection,
        InspectionPhoto,
        Rectification,
        RectificationEvidence,
    )

    entry = target["entry"]
    return {
        "inspections": _rows(Inspection.objects.filter(entry=entry)),
        "findings": _rows(Finding.objects.all()),
        "photos": _rows(InspectionPhoto.objects.all()),
        "orders": _rows(Rectification.objects.all()),
        "evidence": _rows(RectificationEvidence.objects.all()),
        "credit": _rows(CreditRecord.objects.all()),
    }


def _a_pool(people) -> dict:
    return {"entry": _nanning_filed(people), "kwargs": {}}


def _a_defined_draw(people) -> dict:
    from supervision.services.draws import draw_define

    target = _a_pool(people)
    draw = draw_define(
        by=people.centre,
        title="双随机抽查",
        n=1,
        m=1,
        seed_source="福彩3D开奖号码",
        seed_published_on=timezone.localdate(),
    )
    return {**target, "draw": draw, "kwargs": {"pk": draw.pk}}


def _draw_rows(target: dict) -> dict:
    from supervision.models import Draw, Inspection

    return {"draws": _rows(Draw.objects.all()), "inspections": _rows(Inspection.objects.all())}


def _sanction_rows(target: dict) -> dict:
    from agencies.models import DirectoryEntry, DirectoryStatusChange
    from supervision.models import CreditRecord, Sanction

    entry = target["entry"]
    return {
        "entry": _row(DirectoryEntry, entry.pk),
        "history": _rows(DirectoryStatusChange.objects.filter(entry=entry)),
        "sanctions": _rows(Sanction.objects.filter(entry=entry)),
        "credit": _rows(CreditRecord.objects.filter(entry=entry)),
    }


# ---------------------------------------------------------------- certificates (issue 12): targets and snapshots


def _results_rows(target: dict) -> dict:
    from certificates.models import Candidate, Certificate, ImportAttempt, NumberCounter, Session

    entry = target["entry"]
    return {
        "sessions": _rows(Session.objects.filter(plan__entry=entry)),
        "candidates": _rows(Candidate.objects.filter(session__plan__entry=entry).defer("id_cipher")),
        "imports": _rows(ImportAttempt.objects.filter(session__plan__entry=entry).defer("marked")),
        "certificates": _rows(Certificate.objects.filter(entry=entry)),
        "counters": _rows(NumberCounter.objects.filter(entry=entry)),
    }


def _a_plan_awaiting_results(people) -> dict:
    from tests.certificates.factories import MANAGER, announced_plan

    entry = _nanning_filed(people)
    plan = announced_plan(entry, people.agency_nanning, code=MANAGER, level=3)
    return {"entry": entry, "plan": plan, "kwargs": {}}


def _a_results_session(people) -> dict:
    from certificates.models import Session

    target = _a_plan_awaiting_results(people)
    session = Session.objects.create(plan=target["plan"], created_by=people.agency_nanning)
    return {**target, "session": session, "kwargs": {"pk": session.pk}}


def _an_approved_session(people) -> dict:
    from certificates.models import Session
    from tests.certificates.factories import candidates, id_number

    target = _a_results_session(people)
    candidates(target["session"], [("张小三", id_number(1)), ("李四", id_number(2))])
    Session.objects.filter(pk=target["session"].pk).update(status=Session.Status.APPROVED)
    return target


def _an_issued_certificate(people) -> dict:
    from certificates.services import certificates_issue

    target = _an_approved_session(people)
    certificate = certificates_issue(session=target["session"], by=people.agency_nanning)[0]
    return {**target, "kwargs": {"pk": target["session"].pk, "certificate_pk": certificate.pk}}


def _a_session_with_results(people) -> dict:
    from tests.certificates.factories import candidates, id_number

    target = _a_results_session(people)
    candidates(target["session"], [("张小三", id_number(1))])
    return target


def _publicised_results(people) -> dict:
    from certificates.services import results_publicise
    from publicity.services import notice_close

    target = _a_session_with_results(people)
    session = results_publicise(session=target["session"], by=people.agency_nanning, window_days=5)
    notice_close(notice=session.notice, by=people.agency_nanning, today=session.notice.closes_on + dt.timedelta(1))
    return target


def _reported_results(people) -> dict:
    from certificates.services import results_report

    target = _publicised_results(people)
    results_report(session=target["session"], by=people.agency_nanning)
    return target


def _returned_results(people) -> dict:
    from certificates.services import results_decide

    target = _reported_results(people)
    results_decide(session=target["session"], by=people.city_nanning, approve=False, reasons="请核对技能成绩。")
    return target


def _a_correction(people, target: dict) -> dict:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.certificates.factories import id_number, row, workbook

    corrected = row(name="张小三", id_number=id_number(1), occupation="保卫管理员", level=3, skill_score=91)
    return {"workbook": SimpleUploadedFile("更正.xlsx", workbook(target["session"], [corrected]))}


def _a_photo(people, target: dict) -> dict:
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (66, 96), (40, 60, 110)).save(buffer, format="PNG")
    return {"photo": SimpleUploadedFile("photo.png", buffer.getvalue())}


def _a_candidate(people) -> dict:
    target = _a_session_with_results(people)
    candidate = target["session"].candidates.get()
    return {**target, "kwargs": {"pk": target["session"].pk, "candidate_pk": candidate.pk}}


def _id_readings(target: dict) -> list[tuple]:
    return list(AuditEvent.objects.filter(action="id_number_view").values_list("pk", "actor_id"))


def _results_workbook(people, target: dict) -> dict:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.certificates.factories import ID_A, row, workbook

    data = workbook(target["session"], [row(occupation="保卫管理员", level=3, id_number=ID_A)])
    return {"workbook": SimpleUploadedFile("成绩.xlsx", data)}


# ---------------------------------------------------------------- reports (issue 13)


def _reports(target: dict) -> list:
    from reports.models import Report

    return [
        (r.region_id, r.year, r.quarter, r.status, r.experience, r.difficulties, r.versions.count())
        for r in Report.objects.order_by("pk")
    ]


def _no_report(people) -> dict:
    return {"kwargs": {}}


def _nanning_report(people, *, text: bool = False) -> dict:
    from portal.models import Region
    from reports.models import Report
    from reports.periods import Period
    from reports.services import report_compute

    report = Report.objects.create(
        region=Region.objects.get(code="450100"), year=2025, quarter=2, due_on=Period(2025, 2).due()
    )
    report_compute(report_id=report.pk)
    if text:
        Report.objects.filter(pk=report.pk).update(experience="联合检查。", difficulties="考评员不足。")
    return {"report": report, "kwargs": {"pk": report.pk}}


REPORT_OUTSIDERS = {"city_liuzhou": 404, "police_liuzhou": 404}

EFFECTS: dict[str, Effect] = {
    # 南宁's application, with its city bureau: only the 南宁 bureau recommends it.
    "filings:act recommend": Effect(
        "filings:act",
        lambda people: {**(t := _city_review(people)), "kwargs": {**t["kwargs"], "name": "recommend"}},
        _application,
        actor="city_nanning",
        data=lambda people, target: {"text": "同意推荐。"},
        # The 南宁 police and the centre see it but may not take this step: sent back with a message.
        expect={"city_liuzhou": 404, "police_liuzhou": 404, "centre": 302, "police_nanning": 302},
    ),
    "filings:application_withdraw": Effect(
        "filings:application_withdraw",
        _city_review,
        _application,
        actor="agency_nanning",
        expect={"agency_liuzhou": 404, "city_nanning": 403},
    ),
    "filings:application_reopen": Effect(
        "filings:application_reopen", _withdrawn, _application, actor="agency_nanning", expect={"agency_liuzhou": 404}
    ),
    "filings:application_submit": Effect(
        "filings:application_submit",
        _a_draft,
        _application,
        actor="agency_nanning",
        data=lambda people, target: {"commitment_name": "张三", "consent": "on"},
        expect={"agency_liuzhou": 404},
    ),
    "filings:application_edit": Effect(
        "filings:application_edit",
        _a_draft,
        _application,
        actor="agency_nanning",
        data=lambda people, target: {"basic-address": "被改写的地址"},
        expect={"agency_liuzhou": 404},
    ),
    "filings:application_start": Effect(
        "filings:application_start",
        _an_open_call,
        lambda target: _rows(Application.objects.all()),
        actor="agency_nanning",
        data=lambda people, target: {"call": target["call"].pk},
        also_allowed=("agency_liuzhou",),
    ),
    "filings:attachment_upload": Effect(
        "filings:attachment_upload",
        _a_draft,
        lambda target: _rows(Attachment.objects.all()),
        actor="agency_nanning",
        data=lambda people, target: {"material": "credit_report", "file": sample_pdf("another")},
        expect={"agency_liuzhou": 404},
    ),
    "filings:attachment_remove": Effect(
        "filings:attachment_remove",
        _a_draft_file,
        lambda target: _rows(Attachment.objects.all()),
        actor="agency_nanning",
        expect={"agency_liuzhou": 404, "city_nanning": 403},
    ),
    "filings:panel assign": Effect(
        "filings:panel",
        _an_assessment,
        lambda target: (_seats(), _grants()),
        actor="centre",
        data=lambda people, target: {"action": "assign", "experts": [people.expert_other.pk]},
    ),
    "filings:panel remove": Effect(
        "filings:panel",
        _an_assessment,
        lambda target: (_seats(), _grants()),
        actor="centre",
        data=lambda people, target: {"action": "remove", "member": target["seat"].pk},
    ),
    "filings:panel conclude": Effect(
        "filings:panel",
        _a_scored_assessment,
        _application,
        actor="centre",
        data=lambda people, target: {"action": "conclude", "text": "同意。"},
    ),
    "filings:assess declare": Effect(
        "filings:assess",
        _an_assessment,
        lambda target: _rows(PanelMember.objects.all()),
        actor="expert_assigned",
        data=lambda people, target: {"action": "declare", "conflict": "no", "declaration": "无利害关系。"},
        expect={"expert_other": 404},
    ),
    "filings:record_add": Effect(
        "filings:record_add",
        _an_assessment,
        lambda target: _rows(ReviewRecord.objects.all()),
        actor="police_nanning",
        data=lambda people, target: {"kind": "police_assessment", "notes": "同意。", "photos": [sample_pdf("p")]},
        expect={"police_liuzhou": 404, "expert_other": 404},
    ),
    "filings:selection": Effect(
        "filings:selection",
        _an_assessed,
        _application,
        actor="centre",
        data=lambda people, target: {"application": target["application"].pk, "decision": "select", "reason": "靠前。"},
        expect={"city_nanning": 403},
    ),
    "filings:notice_new": Effect(
        "filings:notice_new",
        _a_selected,
        lambda target: (_rows(Notice.objects.all()), _rows(NoticeItem.objects.all())),
        actor="centre",
        data=lambda people, target: {
            "call": target["application"].call_id,
            "applications": [target["application"].pk],
            "title": "公示",
            "body": "",
            "window_days": "5",
        },
        expect={"city_nanning": 403},
    ),
    "publicity:notice_detail publish": Effect(
        "publicity:notice_detail",
        _a_draft_notice,
        _notice,
        actor="centre",
        data=lambda people, target: {"action": "publish"},
        expect={"city_nanning": 403, "city_liuzhou": 403},
    ),
    "publicity:notice_detail handle": Effect(
        "publicity:notice_detail",
        _an_objection,
        _notice,
        actor="centre",
        data=lambda people, target: {
            "action": "handle",
            "objection": target["objection"].pk,
            "decision": "uphold",
            "reply": "经核查属实。",
        },
        expect={"city_nanning": 403},
    ),
    "publicity:notice_detail close": Effect(
        "publicity:notice_detail",
        _a_notice_due,
        _notice,
        actor="centre",
        data=lambda people, target: {"action": "close"},
        expect={"city_nanning": 403},
    ),
    "filings:ministry": Effect(
        "filings:ministry",
        _publicised,
        lambda target: {**_application(target), "reviews": _rows(MinistryReview.objects.all())},
        actor="centre",
        data=lambda people, target: {"action": "report", "reported_on": TODAY},
        expect={"city_nanning": 403},
    ),
    "filings:receipt_regenerate": Effect(
        "filings:receipt_regenerate",
        _a_filed,
        lambda target: _rows(Receipt.objects.all()),
        actor="centre",
        expect={"police_nanning": 403, "police_liuzhou": 403},
    ),
    "agencies:call_create": Effect(
        "agencies:call_create",
        lambda people: {"kwargs": {}},
        _call_rows,
        actor="centre",
        data=lambda people, target: call_form_data(code="effects-new-call"),
        expect={"city_nanning": 403},
    ),
    "agencies:call_edit": Effect(
        "agencies:call_edit",
        _the_published_call,
        _call_rows,
        actor="centre",
        data=lambda people, target: call_form_data(code=target["call"].code, closes_on="2027-06-30"),
        expect={"city_nanning": 403},
    ),
    "agencies:call_publish": Effect(
        "agencies:call_publish",
        _a_draft_call,
        _call_rows,
        actor="centre",
        expect={"city_nanning": 403, "city_liuzhou": 403},
    ),
    # Supervision: only 南宁's agency plans and registers; the local police confirm; the local HR bureau consents.
    "supervision:plan_act": Effect(
        "supervision:plan_act",
        _a_plan_to_submit,
        _plan_and_report,
        actor="agency_nanning",
        expect={"agency_liuzhou": 404},
    ),
    "supervision:plan_edit": Effect(
        "supervision:plan_edit",
        _a_plan,
        _plan_and_report,
        actor="agency_nanning",
        data=_plan_post,
        expect={"agency_liuzhou": 404},
    ),
    "supervision:plan_new": Effect(
        "supervision:plan_new",
        _an_entry,
        _supervision_rows,
        actor="agency_nanning",
        data=_plan_post,
        # An agency with no filed entry has no plan to make.
        expect={"agency_liuzhou": 404},
    ),
    "supervision:registration_new": Effect(
        "supervision:registration_new",
        _an_entry,
        _supervision_rows,
        actor="agency_nanning",
        data=lambda people, target: {
            "entry": target["entry"].pk,
            "city": target["entry"].region_id,
            "responsible": "黄晓梅",
            "phone": "0771-5561234",
            "sites": "南宁市青秀区民族大道136号",
        },
        expect={"agency_liuzhou": 404},
    ),
    "supervision:registration_detail": Effect(
        "supervision:registration_detail",
        _a_registration,
        _registration,
        actor="police_nanning",
        data=lambda people, target: {"action": "confirm"},
        # Outside 南宁 nobody knows it exists; the agency and 南宁's officials read it but may not confirm it.
        expect={"agency_liuzhou": 404, "city_liuzhou": 404, "police_liuzhou": 404},
    ),
    "supervision:report_decide": Effect(
        "supervision:report_decide",
        _a_report_for_liuzhou,
        _plan_and_report,
        actor="city_liuzhou",
        data=lambda people, target: {"decision": "consent"},
        # 南宁's bureau reads its agency's plan but the report is 柳州's to answer.
        expect={"city_nanning": 404},
    ),
    # Supervision II: 南宁's bureau (and the centre) decide on 南宁's agency; nobody else.
    "supervision:sanction_new": Effect(
        "supervision:sanction_new",
        _an_entry_file,
        _sanction_rows,
        actor="city_nanning",
        also_allowed=("centre",),
        data=lambda people, target: {"kind": "warning", "facts": "考评人员不足3名。", "basis": SANCTION_BASIS},
        expect={"city_liuzhou": 404},
    ),
    "supervision:sanction_lift": Effect(
        "supervision:sanction_lift",
        _a_suspension,
        _sanction_rows,
        actor="city_nanning",
        also_allowed=("centre",),
        data=lambda people, target: {"reason": "整改到位，复查合格。"},
        expect={"city_liuzhou": 404},
    ),
    "supervision:complaint_detail": Effect(
        "supervision:complaint_detail",
        _a_complaint,
        _complaint_rows,
        actor="city_nanning",
        also_allowed=("centre",),
        data=lambda people, target: {"step": "accept"},
        # 柳州's officials do not know it; 南宁's police read it but do not handle it (the service refuses).
        expect={"city_liuzhou": 404, "police_liuzhou": 404},
    ),
    "supervision:inspection_new": Effect(
        "supervision:inspection_new",
        _an_entry_file,
        _inspection_rows,
        actor="city_nanning",
        also_allowed=("police_nanning", "centre"),
        data=lambda people, target: {"confirmed": "yes"},  # the second step (tests/supervision/test_confirmations.py)
        expect={"city_liuzhou": 404, "police_liuzhou": 404},
    ),
    "supervision:inspection_detail": Effect(
        "supervision:inspection_detail",
        _an_inspection,
        _inspection_rows,
        actor="police_nanning",
        also_allowed=("city_nanning", "centre"),
        data=lambda people, target: {"action": "finding", "text": "考评人员不足。", "requirement": "补足。"},
        # The administrator reads the inspection but takes no step in it: sent back to the page. The agency does not
        # see an inspection in progress (404).
        expect={"agency_nanning": 404, "admin": 302, "agency_liuzhou": 404, "city_liuzhou": 404, "police_liuzhou": 404},
    ),
    "supervision:rectification_detail": Effect(
        "supervision:rectification_detail",
        _an_order,
        _inspection_rows,
        actor="agency_nanning",
        data=lambda people, target: {"action": "answer", "answer": "已整改。", "evidence": sample_pdf("证明")},
        # The officials read the order; the answer is the agency's: sent back to the page.
        expect={
            "agency_liuzhou": 404,
            "city_liuzhou": 404,
            "police_liuzhou": 404,
            "city_nanning": 302,
            "police_nanning": 302,
            "centre": 302,
            "admin": 302,
        },
    ),
    # Draws: the HR officials define them in their jurisdiction; only the defining department draws.
    "supervision:draws": Effect(
        "supervision:draws",
        _a_pool,
        _draw_rows,
        actor="centre",
        also_allowed=("city_nanning", "city_liuzhou"),
        data=lambda people, target: {
            "title": "双随机抽查",
            "n": 1,
            "m": 1,
            "seed_source": "福彩3D开奖号码",
            "seed_published_on": timezone.localdate().isoformat(),
            "status": "active",
        },
    ),
    "supervision:draw_detail": Effect(
        "supervision:draw_detail",
        _a_defined_draw,
        _draw_rows,
        actor="centre",
        data=lambda people, target: {"seed_value": "123"},
    ),
    "agencies:organisation_confirm_uscc": Effect(
        "agencies:organisation_confirm_uscc",
        _a_code_to_confirm,
        lambda target: _row(Organisation, target["organisation"].pk),
        actor="city_nanning",
        expect={"city_liuzhou": 404, "centre": 403},
    ),
    # Certificates (issue 12): only 南宁's agency opens, imports, issues and revokes; another agency never finds
    # the session (404); officials read it but may not act (403).
    "certificates:session_create": Effect(
        "certificates:session_create",
        _a_plan_awaiting_results,
        _results_rows,
        actor="agency_nanning",
        data=lambda people, target: {"plan": target["plan"].pk},
        expect={"agency_liuzhou": 404},
    ),
    "certificates:session_import": Effect(
        "certificates:session_import",
        _a_results_session,
        _results_rows,
        actor="agency_nanning",
        data=_results_workbook,
        expect={"agency_liuzhou": 404},
    ),
    # Reading an ID number in clear leaves an audit row; a refused reading leaves none.
    "certificates:candidate_reveal": Effect(
        "certificates:candidate_reveal",
        _a_candidate,
        _id_readings,
        actor="agency_nanning",
        also_allowed=("city_nanning",),
        expect={"agency_liuzhou": 404, "city_liuzhou": 404},
    ),
    "certificates:session_publicise": Effect(
        "certificates:session_publicise",
        _a_session_with_results,
        _results_rows,
        actor="agency_nanning",
        data=lambda people, target: {"window_days": 5, "confirmed": "yes"},  # the second step
        expect={"agency_liuzhou": 404},
    ),
    "certificates:session_report": Effect(
        "certificates:session_report",
        _publicised_results,
        _results_rows,
        actor="agency_nanning",
        expect={"agency_liuzhou": 404},
    ),
    # 南宁's bureau reviews; 柳州's never finds the session; the police and the centre may read but not decide.
    "certificates:session_decide": Effect(
        "certificates:session_decide",
        _reported_results,
        _results_rows,
        actor="city_nanning",
        data=lambda people, target: {"decision": "approve"},
        expect={"city_liuzhou": 404},
    ),
    "certificates:session_issue": Effect(
        "certificates:session_issue",
        _an_approved_session,
        _results_rows,
        actor="agency_nanning",
        expect={"agency_liuzhou": 404},
    ),
    # Answering a return: a correction (queued for its check) or the same results reported again.
    "certificates:session_correct": Effect(
        "certificates:session_correct",
        _returned_results,
        _results_rows,
        actor="agency_nanning",
        data=_a_correction,
        expect={"agency_liuzhou": 404},
    ),
    "certificates:session_resubmit": Effect(
        "certificates:session_resubmit",
        _returned_results,
        _results_rows,
        actor="agency_nanning",
        data=lambda people, target: {"answer": "经核对原始评分记录，成绩无误。"},
        expect={"agency_liuzhou": 404},
    ),
    "certificates:candidate_photo_upload": Effect(
        "certificates:candidate_photo_upload",
        _a_candidate,
        _results_rows,
        actor="agency_nanning",
        data=_a_photo,
        expect={"agency_liuzhou": 404},
    ),
    "certificates:revoke": Effect(
        "certificates:revoke",
        _an_issued_certificate,
        _results_rows,
        actor="agency_nanning",
        data=lambda people, target: {"reason": "考试作弊，经查实撤销。", "confirmed": "yes"},  # the second step
        expect={"agency_liuzhou": 404},
    ),
    # Reports (issue 13): a department generates for its own jurisdiction (each of them: the generation form
    # has no region to choose); only 南宁's departments change 南宁's report, the centre reads it (403 to change).
    "reports:generate": Effect(
        "reports:generate",
        _no_report,
        _reports,
        actor="city_nanning",
        data=lambda people, target: {"year": "2025", "quarter": "2"},
        also_allowed=("city_liuzhou", "centre", "police_nanning", "police_liuzhou"),
    ),
    "reports:regenerate": Effect(
        "reports:regenerate",
        _nanning_report,
        _reports,
        actor="city_nanning",
        also_allowed=("police_nanning",),
        expect=REPORT_OUTSIDERS,
    ),
    "reports:text": Effect(
        "reports:text",
        _nanning_report,
        _reports,
        actor="police_nanning",
        data=lambda people, target: {"experience": "联合检查。", "difficulties": "考评员不足。"},
        also_allowed=("city_nanning",),
        expect=REPORT_OUTSIDERS,
    ),
    "reports:submit": Effect(
        "reports:submit",
        lambda people: _nanning_report(people, text=True),
        _reports,
        actor="city_nanning",
        also_allowed=("police_nanning",),
        expect=REPORT_OUTSIDERS,
    ),
}

# A refusal: the gate (403), the loader (404), the sign-in page for the anonymous, or a service's refusal sent
# back to the page with a message (302) or the form with the error (400).
REFUSALS = {302, 400, 403, 404}


def _everything(effect: Effect, target: dict) -> tuple:
    """The target's snapshot and what any write leaves behind: workflow history and audit events."""
    return effect.snapshot(target), _rows(StateChange.objects.all()), _audit()


@pytest.mark.parametrize("case", sorted(EFFECTS))
def test_a_refused_post_changes_nothing(case, people, client_for):
    effect = EFFECTS[case]
    target = effect.build(people)
    url = reverse(effect.url, kwargs=target["kwargs"])
    before = _everything(effect, target)
    got = {}
    for name in ROLE_NAMES:
        if name == effect.actor or name in effect.also_allowed:
            continue
        response = client_for(people.get(name)).post(url, effect.data(people, target))
        got[name] = response.status_code
        assert response.status_code in REFUSALS, (name, response.status_code)
        if name == "anonymous":
            assert response["Location"].startswith(reverse("login")), response["Location"]
        assert _everything(effect, target) == before, f"{name}'s refused post ({response.status_code}) changed it"
    assert got == {name: 302 if name == "anonymous" else 403 for name in got} | effect.expect
    # The one who may take the step posts the same: it is taken, so the data is real and the snapshot sees it.
    response = client_for(people.get(effect.actor)).post(url, effect.data(people, target))
    assert response.status_code in (200, 302), response.status_code
    assert effect.snapshot(target) != before[0], f"{effect.actor}'s post changed nothing"


def test_every_post_of_the_matrix_has_an_effect_case():
    """Every POST entry of the role matrix that writes for a restricted set of people is covered above."""
    from tests.test_role_matrix import MATRIX

    # Everyone may post these (or they write only the poster's own session or inbox): nobody is refused.
    open_to_all = {"logout", "set_language", "inbox_mark_all_read", "notices:objection_create"}
    # Certificate verification is a public look-up: it writes only its own log row.
    open_to_all |= {"public:api_certificate_verify"}
    # New recovery codes: the poster's own (tests/portal/test_second_factor.py).
    open_to_all |= {"second_factor_recovery_action"}
    # The elder-friendly mode writes nothing on the server: it answers with a cookie for the browser that asked.
    open_to_all |= {"elder_mode"}
    posted = {name for name, case in MATRIX.items() if case.method == "post"} - open_to_all
    # Pages the matrix opens with GET whose forms write on POST.
    forms = {
        "filings:application_edit",
        "filings:application_submit",
        "filings:panel",
        "filings:assess",
        "filings:selection",
        "filings:notice_new",
        "publicity:notice_detail",
        "filings:ministry",
        "agencies:call_create",
        "agencies:call_edit",
        "supervision:plan_new",
        "supervision:plan_edit",
        "supervision:registration_new",
        "supervision:registration_detail",
        "supervision:sanction_new",
        "supervision:complaint_detail",
        "supervision:inspection_detail",
        "supervision:rectification_detail",
        "supervision:draws",
        "supervision:draw_detail",
    }
    assert sorted((posted | forms) - {effect.url for effect in EFFECTS.values()}) == []

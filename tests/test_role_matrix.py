"""Every URL × every named person → the status they get. A URL missing from MATRIX fails the suite."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.contrib import admin
from django.urls import NoReverseMatch, Resolver404, URLPattern, URLResolver, get_resolver, resolve, reverse

from portal.models import Notification
from tests.agencies.factories import gx_call
from tests.conftest import ROLE_NAMES, People
from tests.filings.factories import directory_entry, nanning_submission

SIGNED_IN = [name for name in ROLE_NAMES if name != "anonymous"]


def everyone(status: int) -> dict[str, int]:
    return dict.fromkeys(ROLE_NAMES, status)


def signed_in(status: int = 200, **overrides: int) -> dict[str, int]:
    return {"anonymous": 302, **dict.fromkeys(SIGNED_IN, status), **overrides}


def only(*names: str, denied: int = 403) -> dict[str, int]:
    return {"anonymous": 302, **{n: 200 if n in names else denied for n in SIGNED_IN}}


@dataclass
class Case:
    expect: dict[str, int]
    kwargs: Callable[[People], dict] = field(default=lambda people: {})
    method: str = "get"


OFFICIALS = ("city_nanning", "city_liuzhou", "centre", "police_nanning", "police_liuzhou", "admin")

# Who may read 南宁's submitted application: the agency itself and the officials whose jurisdiction holds it.
NANNING_READERS = {
    **only("agency_nanning", "city_nanning", "centre", "police_nanning", "admin"),
    "agency_liuzhou": 404,
    "city_liuzhou": 404,
    "police_liuzhou": 404,
}
# The same once it is under technical assessment with expert_assigned on the panel: only that expert joins them.
ASSIGNED_READERS = {**NANNING_READERS, "expert_assigned": 200, "expert_other": 404}
# What only 南宁's agency may do to it (outside its state the view redirects with a message).
NANNING_AGENCY_ACTION = {**only(), "agency_nanning": 302, "agency_liuzhou": 404}


def application(people) -> dict:
    return {"pk": nanning_submission(people).pk}


def attachment(people) -> dict:
    submitted = nanning_submission(people)
    return {"pk": submitted.pk, "attachment_pk": submitted.attachments.first().pk}


def version(people) -> dict:
    return {"pk": nanning_submission(people).pk, "number": 1}


def assigned_application(people):
    """南宁's application under technical assessment, with expert_assigned on its panel (a guardian grant)."""
    from filings.models import State
    from filings.services import application_transition, panel_assign

    submitted = nanning_submission(people)
    if submitted.state != State.ASSESSMENT:
        application_transition(application=submitted, by=people.city_nanning, name="recommend", text="同意推荐。")
        application_transition(application=submitted, by=people.centre, name="accept")
        panel_assign(application=submitted, experts=[people.expert_assigned], by=people.centre)
    return submitted


def assigned(people) -> dict:
    return {"pk": assigned_application(people).pk}


def assigned_attachment(people) -> dict:
    submitted = assigned_application(people)
    return {"pk": submitted.pk, "attachment_pk": submitted.attachments.first().pk}


def assigned_version(people) -> dict:
    return {"pk": assigned_application(people).pk, "number": 1}


def record_photo(people) -> dict:
    from filings.examples import sample_pdf
    from filings.services import record_add

    submitted = assigned_application(people)
    record = record_add(
        application=submitted,
        by=people.police_nanning,
        kind="police_assessment",
        notes="同意。",
        photos=[sample_pdf("p")],
    )
    return {"pk": submitted.pk, "photo_pk": record.photos.get().pk}


def directory_entry_of_nanning(people) -> dict:
    return {"pk": directory_entry(people.org_nanning).pk}


def notification_of_city_nanning(people) -> dict:
    return {"pk": Notification.objects.create(recipient=people.city_nanning, subject="s", body="b").pk}


def published_notice(people):
    """A published notice with 南宁's application on it (assessed, then selected by the centre)."""
    from filings.models import Application, State
    from filings.services import application_transition, selection_mark, selection_notice_create
    from publicity.models import Notice
    from publicity.services import notice_publish

    existing = Notice.objects.filter(status=Notice.Status.PUBLISHED).first()
    if existing:
        return existing
    submitted = nanning_submission(people)
    application_transition(application=submitted, by=people.city_nanning, name="recommend", text="同意推荐。")
    application_transition(application=submitted, by=people.centre, name="accept")
    Application.objects.filter(pk=submitted.pk).update(state=State.ASSESSED, panel_score=88)
    selection_mark(application=submitted, by=people.centre, selected=True, reason="得分靠前。")
    notice = selection_notice_create(
        call=submitted.call, by=people.centre, title="公示", body="", window_days=5, applications=[submitted]
    )
    return notice_publish(notice=notice, by=people.centre)


def notice(people) -> dict:
    return {"pk": published_notice(people).pk}


def objection_attachment(people) -> dict:
    from filings.examples import sample_pdf
    from publicity.services import objection_raise

    published = published_notice(people)
    objection = objection_raise(
        notice=published,
        item=published.items.get(),
        name="王",
        contact="13977212345",
        content="异议",
        files=[sample_pdf("证明")],
    )
    return {"pk": published.pk, "attachment_pk": objection.attachments.get().pk}


def filed_application(people):
    """南宁's application filed after the ministry's approval, its receipt rendered (the notice pages are skipped)."""
    from django.utils import timezone

    from filings.models import Application, Receipt, State
    from filings.services import ministry_report, ministry_result, receipt_render

    submitted = nanning_submission(people)
    if submitted.state != State.FILED:
        Application.objects.filter(pk=submitted.pk).update(state=State.PUBLICISED)
        ministry_report(application=submitted, by=people.centre, reported_on=timezone.localdate())
        ministry_result(application=submitted, by=people.centre, approved=True, result_on=timezone.localdate())
        receipt_render(Receipt.objects.get(application=submitted))
    return submitted


def filed(people) -> dict:
    return {"pk": filed_application(people).pk}


def receipt_token(people) -> dict:
    return {"token": filed_application(people).receipts.get().token}


def nanning_entry(people):
    """南宁's directory entry, from its filed application."""
    application = filed_application(people)
    application.refresh_from_db()
    return application.directory_entry


def nanning_registration(people) -> dict:
    """南宁's registration with the police of 南宁 (submitted through the service)."""
    from supervision.models import PoliceRegistration
    from supervision.services import registration_submit

    entry = nanning_entry(people)
    registration = PoliceRegistration.objects.filter(entry=entry).first() or registration_submit(
        entry=entry,
        city=entry.region,
        by=people.agency_nanning,
        responsible="黄晓梅",
        phone="0771-5561234",
        sites="本部",
    )
    return {"pk": registration.pk}


def nanning_plan(people, *, status: str = "draft"):
    """A plan of 南宁's agency in 南宁, written straight into the table (the services' rules have their tests)."""
    import datetime as dt

    from django.utils import timezone

    from supervision.models import Plan

    entry = nanning_entry(people)
    existing = Plan.objects.filter(entry=entry, status=status).first()
    if existing:
        return existing
    first = timezone.localdate() + dt.timedelta(days=40)
    return Plan.objects.create(
        entry=entry,
        city=entry.region,
        occupation=entry.occupations.first().occupation,
        level=entry.occupations.first().level,
        first_day=first,
        last_day=first,
        venue="本部考场",
        venue_address="南宁市青秀区民族大道136号",
        expected_candidates=30,
        examiners=["甲", "乙", "丙"],
        supervisor="丁",
        fee="300",
        status=status,
        announced_at=timezone.now() if status == "announced" else None,
        created_by=people.agency_nanning,
    )


def plan(people) -> dict:
    return {"pk": nanning_plan(people).pk}


def plan_action(people) -> dict:
    return {"pk": nanning_plan(people).pk, "action": "submit"}


def announced_plan(people) -> dict:
    return {"pk": nanning_plan(people, status="announced").pk}


def agency_with_entry(people) -> dict:
    nanning_entry(people)
    return {}


# ---------------------------------------------------------------- certificates (issue 12): helpers


def nanning_session(people):
    """The results session of an announced 南宁 evaluation whose exam day has passed (tables written directly)."""
    from certificates.models import Session
    from tests.certificates.factories import MANAGER, announced_plan

    entry = nanning_entry(people)
    existing = Session.objects.filter(plan__entry=entry).first()
    if existing:
        return existing
    plan = announced_plan(entry, people.agency_nanning, code=MANAGER, level=3)
    return Session.objects.create(plan=plan, created_by=people.agency_nanning)


def results_session(people) -> dict:
    return {"pk": nanning_session(people).pk}


def refused_import(people) -> dict:
    from certificates.models import ImportAttempt

    session = nanning_session(people)
    attempt = ImportAttempt.objects.create(
        session=session,
        uploaded_by=people.agency_nanning,
        filename="成绩.xlsx",
        status=ImportAttempt.Status.REFUSED,
        error_count=1,
        marked=b"PK\x03\x04 marked",
    )
    return {"pk": session.pk, "attempt_pk": attempt.pk}


def issued_certificate(people) -> dict:
    from certificates import crypto
    from certificates.models import Candidate, Certificate

    session = nanning_session(people)
    candidate = Candidate.objects.create(
        session=session,
        row=2,
        name="张小三",
        id_cipher=crypto.encrypt("450102199003071238"),
        id_hash=crypto.lookup_hash("450102199003071238"),
        id_masked="4501**********1238",
        gender="M",
        level=3,
        theory_score=80,
        skill_score=80,
        passed=True,
    )
    certificate = Certificate.objects.create(
        number="S000045000001263000001",
        candidate=candidate,
        entry=session.plan.entry,
        holder_name=candidate.name,
        id_hash=candidate.id_hash,
        id_masked=candidate.id_masked,
        occupation=session.plan.occupation,
        level=3,
        issued_on=session.plan.first_day,
    )
    return {"pk": session.pk, "certificate_pk": certificate.pk}


def results_candidate(people) -> dict:
    kwargs = issued_certificate(people)
    from certificates.models import Certificate

    return {"pk": kwargs["pk"], "candidate_pk": Certificate.objects.get(pk=kwargs["certificate_pk"]).candidate_id}


def rendered_certificate(people) -> dict:
    """An issued certificate whose PDF is stored (a stand-in file: rendering has its own tests)."""
    from django.core.files.base import ContentFile

    from certificates.models import Certificate

    kwargs = issued_certificate(people)
    certificate = Certificate.objects.get(pk=kwargs["certificate_pk"])
    certificate.pdf.save(f"{certificate.number}.pdf", ContentFile(b"%PDF-1.4 stand-in"))
    return {"pk": kwargs["pk"]}


def rendered_certificate_pdf(people) -> dict:
    """One rendered certificate of 南宁's session: its session and itself."""
    from certificates.models import Certificate

    kwargs = rendered_certificate(people)
    return {"pk": kwargs["pk"], "certificate_pk": Certificate.objects.get(candidate__session_id=kwargs["pk"]).pk}


def issued_session(people) -> dict:
    return {"pk": issued_certificate(people)["pk"]}


def photographed_candidate(people) -> dict:
    """A candidate of 南宁's session with a photo (a stand-in file: photos have their own tests)."""
    from django.core.files.base import ContentFile

    from certificates.models import Candidate

    kwargs = results_candidate(people)
    candidate = Candidate.objects.get(pk=kwargs["candidate_pk"])
    candidate.photo.save("photo.png", ContentFile(b"\x89PNG\r\n\x1a\n stand-in"))
    return kwargs


NANNING_AGENCY_ONLY = {**only("agency_nanning"), "agency_liuzhou": 404}


# Who reads 南宁's registrations and plans: the agency and the officials whose jurisdiction holds 南宁.
NANNING_SUPERVISION_READERS = {**NANNING_READERS, "expert_assigned": 403, "expert_other": 403}
MONITORS = ("city_nanning", "city_liuzhou", "centre", "police_nanning", "police_liuzhou", "admin")


# ---------------------------------------------------------------- Supervision II: fixtures


def nanning_suspension(people):
    """A suspension of 南宁's agency decided by 南宁's bureau (through the service)."""
    import datetime as dt

    from django.utils import timezone

    from supervision.models import Sanction
    from supervision.services import sanction_decide

    entry = nanning_entry(people)
    return Sanction.objects.filter(entry=entry).first() or sanction_decide(
        entry=entry,
        kind="suspension",
        facts="考场视频监控未开启。",
        basis="《关于开展社会培训评价组织职业技能等级认定试点工作的通知》四（一）：建立信用档案和退出机制。",
        until=timezone.localdate() + dt.timedelta(days=30),
        by=people.city_nanning,
    )


def entry_pk(people) -> dict:
    return {"pk": nanning_entry(people).pk}


def sanction_report_file(people) -> dict:
    """The PDF of 南宁's agency's rectification report on an order to rectify (through the services)."""
    import datetime as dt

    from django.utils import timezone

    from filings.examples import sample_pdf
    from supervision.models import Sanction
    from supervision.services import sanction_decide
    from supervision.services.sanctions import sanction_report_submit

    entry = nanning_entry(people)
    order = Sanction.objects.filter(entry=entry, kind="rectification").first()
    if order is None:
        order = sanction_decide(
            entry=entry,
            kind="rectification",
            facts="考场视频监控未开启。",
            basis="《关于开展社会培训评价组织职业技能等级认定试点工作的通知》四（一）：建立信用档案和退出机制。",
            rectify_by=timezone.localdate() + dt.timedelta(days=20),
            by=people.city_nanning,
        )
        sanction_report_submit(sanction=order, by=people.agency_nanning, text="已开启。", file=sample_pdf("整改报告"))
    return {"pk": order.pk, "file_pk": order.report_files.get().pk}


def sanction(people) -> dict:
    return {"pk": nanning_suspension(people).pk}


def nanning_complaint(people):
    """A complaint about 南宁's agency with an attachment (through the service)."""
    import datetime as dt

    from django.utils import timezone

    from filings.examples import sample_pdf
    from supervision.models import Complaint
    from supervision.services import complaint_submit

    entry = nanning_entry(people)
    return Complaint.objects.filter(entry=entry).first() or complaint_submit(
        entry=entry,
        happened_on=timezone.localdate() - dt.timedelta(days=1),
        content="监考人员离开考场。",
        contact="13877112345",
        files=[sample_pdf("照片")],
    )


def complaint(people) -> dict:
    return {"pk": nanning_complaint(people).pk}


def complaint_attachment(people) -> dict:
    found = nanning_complaint(people)
    return {"pk": found.pk, "attachment_pk": found.attachments.first().pk}


def nanning_inspection(people):
    """A completed inspection of 南宁's agency by 南宁's police, with a photo and a finding whose rectification
    order the agency answered with evidence (through the services)."""
    from filings.examples import sample_pdf
    from supervision.models import Inspection
    from supervision.services.inspections import (
        finding_add,
        inspection_open,
        inspection_photos_add,
        rectification_answer,
    )
    from tests.supervision.factories import issued

    entry = nanning_entry(people)
    found = Inspection.objects.filter(entry=entry).first()
    if found:
        return found
    inspection = inspection_open(entry=entry, by=people.police_nanning)
    inspection_photos_add(inspection=inspection, by=people.police_nanning, files=[sample_pdf("现场")])
    finding = finding_add(inspection=inspection, by=people.police_nanning, text="监控未开启。", requirement="开启。")
    issued(inspection, people.police_nanning)  # the agency sees it only once completed
    rectification_answer(
        rectification=finding.rectification, by=people.agency_nanning, answer="已开启。", files=[sample_pdf("证明")]
    )
    return inspection


def inspection(people) -> dict:
    return {"pk": nanning_inspection(people).pk}


def inspection_photo(people) -> dict:
    found = nanning_inspection(people)
    return {"pk": found.pk, "photo_pk": found.photos.first().pk}


def rectification(people) -> dict:
    return {"pk": nanning_inspection(people).findings.get().rectification.pk}


def rectification_evidence(people) -> dict:
    order = nanning_inspection(people).findings.get().rectification
    return {"pk": order.pk, "file_pk": order.evidence.first().pk}


def guangxi_draw(people) -> dict:
    """A draw defined by the centre over the province (through the service), drawn."""
    from django.utils import timezone

    from supervision.models import Draw
    from supervision.services.draws import draw_define, draw_perform

    nanning_entry(people)
    found = Draw.objects.first()
    if found is None:
        found = draw_define(
            by=people.centre,
            title="双随机抽查",
            n=1,
            m=1,
            seed_source="福彩3D开奖号码",
            seed_published_on=timezone.localdate(),
        )
        draw_perform(draw=found, by=people.centre, seed_value="123")
    return {"pk": found.pk}


# Complaints about 南宁's agency: its city's officials and the centre; agencies never see complaints.
NANNING_COMPLAINT_READERS = {**NANNING_SUPERVISION_READERS, "agency_nanning": 403, "agency_liuzhou": 403}
# 南宁's bureau and the centre decide on 南宁's agency; 柳州's bureau does not see it; others may not decide.
NANNING_DECIDERS = {**only("city_nanning", "centre"), "city_liuzhou": 404}


# ---------------------------------------------------------------- reports (issue 13): helpers


def nanning_report(people) -> dict:
    """南宁's report for the second quarter of 2025, generated once (version 1)."""
    from portal.models import Region
    from reports.models import Report
    from reports.periods import Period
    from reports.services import report_compute

    period = Period(2025, 2)
    report, created = Report.objects.get_or_create(
        region=Region.objects.get(code="450100"), year=2025, quarter=2, defaults={"due_on": period.due()}
    )
    if created:
        report_compute(report_id=report.pk)
    return {"pk": report.pk}


REPORT_READERS = {
    **only("city_nanning", "centre", "police_nanning", "admin"),
    "city_liuzhou": 404,
    "police_liuzhou": 404,
}
# Changing a report: the departments of its own jurisdiction; the province reads a city's report but may not
# change it (403); another city never sees it (404); an administrator reads only.
REPORT_WRITERS = {**only(), "city_nanning": 302, "police_nanning": 302, "city_liuzhou": 404, "police_liuzhou": 404}


AGENCIES_302 = {"agency_nanning": 302, "agency_liuzhou": 302}


MATRIX: dict[str, Case] = {
    # Anyone: the signed-in user's home, or the public front page (calls, notices, directory, verification, sign-in).
    "home": Case(everyone(200)),
    "healthz": Case(everyone(200)),
    "login": Case({"anonymous": 200, **dict.fromkeys(SIGNED_IN, 302)}),
    "logout": Case(everyone(302), method="post"),
    "password_change": Case(signed_in()),
    "set_language": Case(everyone(302), method="post"),
    # The forgotten password: public pages; a forged link shows the "expired or used" page.
    "password_reset": Case(everyone(200)),
    "password_reset_done": Case(everyone(200)),
    "password_reset_confirm": Case(everyone(200), kwargs=lambda people: {"uidb64": "MQ", "token": "forged-token"}),
    "password_reset_complete": Case(everyone(200)),
    # The second factor's pages (a verified official here: force_login passes the second step, tests/conftest.py);
    # an agency has none and is sent home, or gets 404 for the QR code.
    "second_step": Case(signed_in(302)),
    "second_factor_enrol": Case(signed_in(200, **AGENCIES_302)),
    "second_factor_qr": Case(signed_in(200, agency_nanning=404, agency_liuzhou=404)),
    "second_factor_recovery": Case(signed_in(200, **AGENCIES_302)),
    "second_factor_recovery_action": Case(signed_in(302), method="post"),
    # The public forms' pictures: an unknown or spent key is gone (410) for everyone.
    "captcha-image": Case(everyone(410), kwargs=lambda people: {"key": "0" * 40}),
    "elder_mode": Case(everyone(302), method="post"),
    "inbox": Case(signed_in()),
    # Opening one's own message redirects to its link (here the inbox); nobody else knows it exists.
    "notification_open": Case(
        {"anonymous": 302, **dict.fromkeys(SIGNED_IN, 404), "city_nanning": 302}, kwargs=notification_of_city_nanning
    ),
    "inbox_mark_all_read": Case(signed_in(302), method="post"),
    "audit_list": Case(only("admin")),
    "audit_export": Case(only("admin")),
    "agencies:organisation_list": Case(only(*OFFICIALS)),
    "agencies:organisation_detail": Case(
        {
            **only("agency_nanning", "city_nanning", "centre", "police_nanning", "admin"),
            "agency_liuzhou": 404,
            "city_liuzhou": 404,
            "police_liuzhou": 404,
        },
        kwargs=lambda people: {"pk": people.org_nanning.pk},
    ),
    "register": Case(everyone(200)),
    "registration_resend": Case(everyone(200)),
    # A forged token: the same explanation page for everyone.
    "registration_verify": Case(everyone(400), kwargs=lambda people: {"token": "forged-token"}),
    "agencies:organisation_confirm_uscc": Case(
        {**only(denied=403), "city_nanning": 302, "city_liuzhou": 404},
        kwargs=lambda people: {"pk": people.org_nanning.pk},
        method="post",
    ),
    # Calls: a published Guangxi call; experts have no province, so they see no call.
    "agencies:call_list": Case(only("agency_nanning", "agency_liuzhou", *OFFICIALS)),
    # Someone not signed in is sent on to the call's public page (302), not to the sign-in.
    "agencies:call_detail": Case(
        signed_in(expert_assigned=404, expert_other=404), kwargs=lambda people: {"pk": gx_call().pk}
    ),
    # A call for applications is a public document: its current version and the list, for anyone.
    "public_calls:list": Case(everyone(200)),
    "public_calls:detail": Case(everyone(200), kwargs=lambda people: {"pk": gx_call().pk}),
    "agencies:call_create": Case(only("centre")),
    "agencies:call_edit": Case(only("centre"), kwargs=lambda people: {"pk": gx_call().pk}),
    "agencies:call_publish": Case({**only(), "centre": 302}, kwargs=lambda people: {"pk": gx_call().pk}, method="post"),
    "filings:queue": Case(only("city_nanning", "city_liuzhou", "centre", "police_nanning", "police_liuzhou")),
    "filings:queue_export": Case(only("city_nanning", "city_liuzhou", "centre", "police_nanning", "police_liuzhou")),
    # Recommending without an opinion: the Nanning bureau gets the form back with the error (400); officials
    # who may see it but not take this step are told so (302 with a message); other cities never see it.
    "filings:act": Case(
        {
            **only(),
            "city_nanning": 400,
            "centre": 302,
            "police_nanning": 302,
            "city_liuzhou": 404,
            "police_liuzhou": 404,
        },
        kwargs=lambda people: {**application(people), "name": "recommend"},
        method="post",
    ),
    "filings:application_list": Case(only("agency_nanning", "agency_liuzhou", *OFFICIALS)),
    "filings:application_export": Case(only("agency_nanning", "agency_liuzhou", *OFFICIALS)),
    "filings:application_start": Case(
        {**only(denied=403), "agency_nanning": 404, "agency_liuzhou": 404}, method="post"
    ),
    "filings:application_detail": Case(ASSIGNED_READERS, kwargs=assigned),
    "filings:application_edit": Case(NANNING_AGENCY_ACTION, kwargs=application),
    "filings:application_submit": Case(NANNING_AGENCY_ACTION, kwargs=application),
    "filings:application_withdraw": Case(NANNING_AGENCY_ACTION, kwargs=application, method="post"),
    "filings:application_reopen": Case(NANNING_AGENCY_ACTION, kwargs=application, method="post"),
    "filings:draft_pdf": Case({**only("agency_nanning"), "agency_liuzhou": 404}, kwargs=application),
    "filings:attachment_upload": Case(NANNING_AGENCY_ACTION, kwargs=application, method="post"),
    "filings:attachment_download": Case(ASSIGNED_READERS, kwargs=assigned_attachment),
    "filings:attachment_remove": Case(NANNING_AGENCY_ACTION, kwargs=attachment, method="post"),
    "filings:version_detail": Case(ASSIGNED_READERS, kwargs=assigned_version),
    "filings:version_pdf": Case(ASSIGNED_READERS, kwargs=assigned_version),
    "filings:version_compare": Case(ASSIGNED_READERS, kwargs=assigned),
    # The technical assessment: the centre's panel page, the expert's workspace, the review records.
    "filings:panel": Case(only("centre"), kwargs=application),
    "filings:assessments": Case(only("expert_assigned", "expert_other")),
    "filings:assess": Case({**only("expert_assigned"), "expert_other": 404}, kwargs=assigned),
    # An empty form: the expert sees it again with the error, the police officer is sent back with a message.
    "filings:record_add": Case(
        {**only(), "expert_assigned": 400, "expert_other": 404, "police_nanning": 302, "police_liuzhou": 404},
        kwargs=assigned,
        method="post",
    ),
    "filings:record_photo": Case(ASSIGNED_READERS, kwargs=record_photo),
    # Selection and public notices: the centre's pages.
    "filings:selection": Case(only("centre"), kwargs=lambda people: {"call_pk": nanning_submission(people).call_id}),
    "filings:notice_list": Case(only("centre")),
    "filings:notice_export": Case(only("centre")),
    "filings:notice_new": Case(only("centre")),
    "publicity:notice_detail": Case(only("centre"), kwargs=notice),
    "publicity:objection_attachment": Case(only("centre"), kwargs=objection_attachment),
    # The public notice, its PDF, objections and their tracking: the same for everyone, signed in or not. An
    # empty objection fails the check question (400); the tracking page is a form.
    "notices:notice_list": Case(everyone(200)),
    "notices:notice_detail": Case(everyone(200), kwargs=notice),
    "notices:notice_pdf": Case(everyone(200), kwargs=notice),
    "notices:objection_create": Case(everyone(400), kwargs=notice, method="post"),
    "notices:objection_track": Case(everyone(200)),
    # After an objection or a complaint (post-redirect-get): the tracking code for the browser that sent it, a
    # page saying there is none to show for anyone else.
    "notices:objection_received": Case(everyone(200)),
    # The public directory and its JSON API: the same for everyone, signed in or not.
    "directory:search": Case(everyone(200)),
    "directory:export": Case(everyone(200)),
    "directory:entry": Case(everyone(200), kwargs=directory_entry_of_nanning),
    "public:api_directory": Case(everyone(200)),
    "public:api_directory_entry": Case(
        everyone(200), kwargs=lambda people: {"id": directory_entry_of_nanning(people)["pk"]}
    ),
    # Without a token, or a number and a name, there is nothing to verify.
    "public:api_receipt_verify": Case(everyone(400)),
    "public:api_openapi": Case(everyone(200)),
    "public:api_docs": Case(everyone(200)),
    # The ministry's result and the filing receipt: the centre records them; the agency and the officials of its
    # jurisdiction follow and download the receipt; anyone verifies it, by QR token or by number and name.
    "filings:ministry": Case(only("centre"), kwargs=filed),
    "filings:receipt_status": Case(NANNING_READERS, kwargs=filed),
    "filings:receipt_download": Case(NANNING_READERS, kwargs=filed),
    "filings:receipt_regenerate": Case({**only(), "centre": 302}, kwargs=filed, method="post"),
    "public:receipt_verify": Case(everyone(200), kwargs=receipt_token),
    "public:receipt_lookup": Case(everyone(200)),
    # Supervision: the agency's registrations and plans; the jurisdiction workspace; the public announcements.
    "supervision:agency_home": Case(only("agency_nanning", "agency_liuzhou")),
    # An agency with no filed entry has no registration or plan to make: 404.
    "supervision:registration_new": Case({**only("agency_nanning"), "agency_liuzhou": 404}, kwargs=agency_with_entry),
    "supervision:registration_detail": Case(NANNING_SUPERVISION_READERS, kwargs=nanning_registration),
    "supervision:plan_new": Case({**only("agency_nanning"), "agency_liuzhou": 404}, kwargs=agency_with_entry),
    "supervision:plan_detail": Case(NANNING_SUPERVISION_READERS, kwargs=plan),
    "supervision:plan_edit": Case({**only("agency_nanning"), "agency_liuzhou": 404}, kwargs=plan),
    "supervision:plan_act": Case(NANNING_AGENCY_ACTION, kwargs=plan_action, method="post"),
    # The plan is in 南宁, the agency's own city: there is no cross-region report for anyone to decide.
    "supervision:report_decide": Case({**only(), "city_nanning": 404, "city_liuzhou": 404}, kwargs=plan, method="post"),
    "supervision:reports": Case(only("city_nanning", "city_liuzhou")),
    "supervision:workspace": Case(only(*MONITORS)),
    "supervision:workspace_export": Case(only(*MONITORS), kwargs=lambda people: {"tab": "agencies"}),
    # ---- Supervision II: the agency's file, sanctions (complaints, inspections and draws below) ----
    "supervision:agency_file": Case(NANNING_SUPERVISION_READERS, kwargs=entry_pk),
    "supervision:sanction_new": Case(NANNING_DECIDERS, kwargs=entry_pk),
    "supervision:sanction_detail": Case(NANNING_SUPERVISION_READERS, kwargs=sanction),
    "supervision:sanction_pdf": Case(NANNING_SUPERVISION_READERS, kwargs=sanction),
    "supervision:sanction_report_file": Case(NANNING_SUPERVISION_READERS, kwargs=sanction_report_file),
    # An empty POST is refused beside its field (400): the reason is required.
    "supervision:sanction_lift": Case(
        {**only(), "city_nanning": 400, "centre": 400, "city_liuzhou": 404}, kwargs=sanction, method="post"
    ),
    "complaints:new": Case(everyone(200)),
    "complaints:track": Case(everyone(200)),
    "complaints:received": Case(everyone(200)),
    "supervision:complaints": Case(only(*MONITORS)),
    "supervision:complaint_detail": Case(NANNING_COMPLAINT_READERS, kwargs=complaint),
    "supervision:complaint_attachment": Case(NANNING_COMPLAINT_READERS, kwargs=complaint_attachment),
    # A bare POST answers the confirmation page (200): only its button, posting confirmed=yes, opens one.
    "supervision:inspection_new": Case(
        {
            **only(),
            "city_nanning": 200,
            "police_nanning": 200,
            "centre": 200,
            "city_liuzhou": 404,
            "police_liuzhou": 404,
        },
        kwargs=entry_pk,
        method="post",
    ),
    "supervision:inspection_detail": Case(NANNING_SUPERVISION_READERS, kwargs=inspection),
    "supervision:inspection_photo": Case(NANNING_SUPERVISION_READERS, kwargs=inspection_photo),
    "supervision:rectification_detail": Case(NANNING_SUPERVISION_READERS, kwargs=rectification),
    "supervision:rectification_evidence": Case(NANNING_SUPERVISION_READERS, kwargs=rectification_evidence),
    "supervision:draws": Case(only(*MONITORS)),
    "supervision:draw_detail": Case(only(*MONITORS), kwargs=guangxi_draw),
    "draws:list": Case(everyone(200)),
    "draws:detail": Case(everyone(200), kwargs=guangxi_draw),
    "draws:inputs": Case(everyone(200), kwargs=guangxi_draw),
    "draws:script": Case(everyone(200)),
    # ---- end of Supervision II ----
    "evaluations:list": Case(everyone(200)),
    "evaluations:detail": Case(everyone(200), kwargs=announced_plan),
    # ---------------------------------------------------------------- certificates (issue 12)
    # Sessions of results: the agency that evaluated, and the officials whose jurisdiction holds it, read them;
    # only that agency imports, issues and revokes (another agency: 404). Refused steps redirect with a message.
    "certificates:session_list": Case(only("agency_nanning", "agency_liuzhou", *OFFICIALS)),
    "certificates:statistics": Case(only(*OFFICIALS)),
    # No plan posted: there is no such evaluation awaiting results.
    "certificates:session_create": Case({**only(), "agency_nanning": 404, "agency_liuzhou": 404}, method="post"),
    "certificates:session_detail": Case(NANNING_SUPERVISION_READERS, kwargs=results_session),
    "certificates:session_template": Case(NANNING_AGENCY_ONLY, kwargs=results_session),
    # An ID number in clear, audited: the agency that evaluated and the HR bureau that reviews (then sent on to
    # GET the same address, post-redirect-get); other readers 403.
    "certificates:candidate_reveal": Case(
        {**only(), "agency_nanning": 302, "city_nanning": 302, "agency_liuzhou": 404, "city_liuzhou": 404},
        kwargs=results_candidate,
        method="post",
    ),
    # No file posted: the form comes back with the error.
    "certificates:session_import": Case(
        {**NANNING_AGENCY_ONLY, "agency_nanning": 400}, kwargs=results_session, method="post"
    ),
    "certificates:import_marked": Case(NANNING_AGENCY_ONLY, kwargs=refused_import),
    # The progress of the session's jobs (import check, rendering), polled by the page: whoever reads the session.
    "certificates:session_progress": Case(NANNING_SUPERVISION_READERS, kwargs=results_session),
    # Answering a return. No file posted: the form comes back with the error; no explanation: the same.
    "certificates:session_correct": Case(
        {**NANNING_AGENCY_ONLY, "agency_nanning": 400}, kwargs=results_session, method="post"
    ),
    "certificates:session_resubmit": Case(
        {**NANNING_AGENCY_ONLY, "agency_nanning": 400}, kwargs=results_session, method="post"
    ),
    # A candidate's photo (personal data): the agency that evaluated and the HR bureau that reviews, as for the ID
    # number; only the agency gives one (nothing posted: the form comes back with the error).
    "certificates:candidate_photo": Case(
        {**only("agency_nanning", "city_nanning"), "agency_liuzhou": 404, "city_liuzhou": 404},
        kwargs=photographed_candidate,
    ),
    "certificates:candidate_photo_upload": Case(
        {**NANNING_AGENCY_ONLY, "agency_nanning": 400}, kwargs=results_candidate, method="post"
    ),
    "certificates:session_zip": Case(NANNING_AGENCY_ONLY, kwargs=rendered_certificate),
    # One certificate's PDF: the agency that issued it and the HR bureau that reviews (cert9 item 2).
    "certificates:certificate_pdf": Case(
        {**only("agency_nanning", "city_nanning"), "agency_liuzhou": 404, "city_liuzhou": 404},
        kwargs=rendered_certificate_pdf,
    ),
    # The session's results pre-filled in the template, ID numbers in clear (audited): its agency only.
    "certificates:session_results_workbook": Case(NANNING_AGENCY_ONLY, kwargs=issued_session),
    # Publicity, report, review. With nothing posted: the agency's form comes back (400, no notice period); the
    # report is refused with a message (the results are not publicised); 南宁's bureau gets the form back (a
    # return needs reasons), 柳州's never sees the session.
    "certificates:session_publicise": Case(
        {**NANNING_AGENCY_ONLY, "agency_nanning": 400}, kwargs=results_session, method="post"
    ),
    "certificates:session_report": Case(NANNING_AGENCY_ACTION, kwargs=results_session, method="post"),
    "certificates:session_decide": Case(
        {**only(), "city_nanning": 400, "city_liuzhou": 404}, kwargs=results_session, method="post"
    ),
    # Not approved yet: refused with a message.
    "certificates:session_issue": Case(NANNING_AGENCY_ACTION, kwargs=results_session, method="post"),
    # No reason given: refused with a message.
    "certificates:revoke": Case(NANNING_AGENCY_ACTION, kwargs=issued_certificate, method="post"),
    # Public verification: the page, and the API (nothing posted: 400).
    "certificate_check:verify": Case(everyone(200)),
    "public:api_certificate_verify": Case(everyone(400), method="post"),
    # ---------------------------------------------------------------- reports (issue 13)
    "reports:list": Case(only(*OFFICIALS)),
    # Nothing posted: the form comes back with its errors (400); the administrator makes no report.
    "reports:generate": Case(
        {
            **only(),
            **dict.fromkeys(("city_nanning", "city_liuzhou", "centre", "police_nanning", "police_liuzhou"), 400),
        },
        method="post",
    ),
    "reports:detail": Case(REPORT_READERS, kwargs=nanning_report),
    "reports:progress": Case(REPORT_READERS, kwargs=nanning_report),
    "reports:xlsx": Case(REPORT_READERS, kwargs=nanning_report),
    "reports:pdf": Case(REPORT_READERS, kwargs=nanning_report),
    "reports:regenerate": Case(REPORT_WRITERS, kwargs=nanning_report, method="post"),
    "reports:text": Case(REPORT_WRITERS, kwargs=nanning_report, method="post"),
    # The free text is empty: refused with a message.
    "reports:submit": Case(REPORT_WRITERS, kwargs=nanning_report, method="post"),
    # ---------------------------------------------------------------- end of reports
    # ---------------------------------------------------------------- end of certificates
}


# ---------------------------------------------------------------- the URL walk: every pattern, named or not


@dataclass(frozen=True)
class Route:
    """One URL pattern of the project: its full name (None when it has none), its full route and its view."""

    name: str | None
    route: str
    view: object
    converters: dict = field(default_factory=dict, compare=False, hash=False)


def _every_pattern(resolver: URLResolver, namespace: str = "", prefix: str = "", converters=None) -> list[Route]:
    """Every URL pattern of the project, named or not, with its view, except the Django admin's own (tested
    below). A pattern without a name cannot be reversed, so it cannot be in the matrix: the walk keeps it (with
    ``name=None``) for the tests to refuse, rather than skipping it."""
    found: list[Route] = []
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        known = {**(converters or {}), **getattr(pattern.pattern, "converters", {})}
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            found += _every_pattern(pattern, inner, route, known)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}{pattern.name}" if pattern.name else None
            found.append(Route(name, route, pattern.callback, known))
        else:  # anything else Django would resolve: not in the matrix, and refused like an unnamed pattern
            found.append(Route(None, route, pattern))
    return found


def _gates(view) -> list[str]:
    """The gates stacked on a view, outermost first. ``functools.wraps`` copies a gate onto every wrapper above
    it (``require_POST`` over ``roles``), so a layer counts only when its gate is not the one it wraps."""
    gates, layer = [], view
    while layer is not None:
        gate = layer.__dict__.get("gate") if hasattr(layer, "__dict__") else None
        inner = getattr(layer, "__wrapped__", None)
        if gate and getattr(inner, "gate", None) != gate:
            gates.append(gate)
        layer = inner
    return gates


def _is_a_gate(gate: str) -> bool:
    return gate in ("public", "signed_in") or (gate.startswith("roles:") and len(gate) > len("roles:"))


def _sample_kwargs(route: Route) -> dict:
    """Values for the route's parameters that its converters accept, to reverse it without a database."""
    samples = {}
    for key, converter in route.converters.items():
        for value in (1, "x", uuid.UUID(int=1)):
            try:
                text = converter.to_url(value)
            except (TypeError, ValueError):
                continue
            if re.fullmatch(converter.regex, str(text)):
                samples[key] = value
                break
    return samples


def test_every_url_has_an_entry_in_the_role_matrix():
    routes = _every_pattern(get_resolver())
    assert [route.route for route in routes if route.name is None] == [], (
        "URL patterns without a name: the role matrix cannot reach them; name them and add an entry"
    )
    names = [route.name for route in routes if route.name]
    assert sorted({name for name in names if names.count(name) > 1}) == [], (
        "URL names used twice: reverse() reaches only one of the patterns"
    )
    assert sorted(set(names) - set(MATRIX)) == [], "URLs without a role-matrix entry"
    assert sorted(set(MATRIX) - set(names)) == [], "role-matrix entries for URLs that no longer exist"


def test_every_view_declares_one_gate():
    """Every resolvable view, named or not, carries exactly one of ``portal.lib.access``'s gates."""
    gates = {route.name or route.route: _gates(route.view) for route in _every_pattern(get_resolver())}
    assert {where: found for where, found in gates.items() if not found} == {}, "views without a gate"
    assert {where: found for where, found in gates.items() if len(found) > 1} == {}, "views with stacked gates"
    assert {where: found for where, found in gates.items() if not _is_a_gate(found[0])} == {}, "unknown gates"


def test_every_named_url_reaches_its_own_view():
    """What the matrix requests (``reverse(name)``) resolves to that very pattern, not to one earlier in the
    URL conf that matches the same address."""
    wrong = {}
    for route in _every_pattern(get_resolver()):
        if not route.name:
            continue
        try:
            match = resolve(reverse(route.name, kwargs=_sample_kwargs(route)))
        except (NoReverseMatch, Resolver404) as error:
            wrong[route.name] = repr(error)
            continue
        if match.view_name != route.name or match.func is not route.view:
            wrong[route.name] = match.view_name
    assert wrong == {}


def test_every_entry_names_every_person():
    incomplete = {name: sorted(set(ROLE_NAMES) - set(case.expect)) for name, case in MATRIX.items()}
    assert {name: missing for name, missing in incomplete.items() if missing} == {}


@pytest.mark.parametrize("url_name", sorted(MATRIX))
def test_role_matrix(url_name, people, client_for):
    case = MATRIX[url_name]
    url = reverse(url_name, kwargs=case.kwargs(people))
    got = {}
    for person_name in ROLE_NAMES:
        client = client_for(people.get(person_name))
        response = getattr(client, case.method)(url)
        got[person_name] = response.status_code
    assert got == case.expect


def test_admin_site_is_only_for_the_admin_role(people, client_for):
    urls = [reverse("admin:index")] + [
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist") for model in admin.site._registry
    ]
    for person_name in ROLE_NAMES:
        client = client_for(people.get(person_name))
        statuses = {url: client.get(url).status_code for url in urls}
        expected = 200 if person_name == "admin" else 302
        assert set(statuses.values()) == {expected}, (person_name, statuses)

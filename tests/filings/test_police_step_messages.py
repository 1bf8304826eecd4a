"""Who is told what when the public security give their filing opinion in the police-first workflow (陕公通字〔2023〕
64号 三（一）), and when they confirm an agency's registration: each recipient reads its own next step — the
police theirs when the application reaches them, the city bureau its review once the police have given their
opinion, the agency that it waits — and nobody else is told (mutation M23: the police were told the city's next
step). The texts are written out here, not read from the code, so that swapping texts or recipients fails."""

from __future__ import annotations

from agencies.models import Workflow
from filings.models import Application, State
from filings.services import application_transition
from portal.models import Notification
from supervision.services import registration_confirm, registration_submit
from tests.filings.factories import GX_MATERIALS, make_call
from tests.portal.factories import region


def _submitted_to_the_police(people) -> Application:
    from filings.examples import sample_application_data, sample_pdf
    from filings.services import application_create, application_save_draft, application_submit, attachment_add

    agency = people.agency_nanning
    call = make_call("police-first", workflow=Workflow.POLICE_FIRST)
    application = application_create(organisation=people.org_nanning, call=call, by=agency)
    occupations = [("3-02-02-00", "保卫管理员", level) for level in (3, 2, 1)]
    application_save_draft(
        application=application, data=sample_application_data(people.org_nanning, occupations=occupations), by=agency
    )
    for material in GX_MATERIALS:
        attachment_add(application=application, material=material["code"], uploaded=sample_pdf("scan"), by=agency)
    application_submit(application=application, by=agency, commitment_name="张三", consent=True)
    application.refresh_from_db()
    return application


def _messages() -> dict[str, list[tuple[str, str]]]:
    told: dict[str, list[tuple[str, str]]] = {}
    for n in Notification.objects.order_by("id").select_related("recipient"):
        told.setdefault(n.recipient.username, []).append((n.subject, n.body))
    return told


AGENCY = "南宁市安盾职业技能培训学校"


def test_an_application_submitted_to_the_police_tells_the_police_their_step_and_the_agency_it_waits(
    people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        application = _submitted_to_the_police(people)
    assert application.state == State.POLICE_REVIEW
    ref = application.reference
    assert _messages() == {
        "police_nanning": [
            (
                f"新的待审核备案申请：{AGENCY}",
                f"{AGENCY} 已提交备案申请 {ref} 第 1 版。\n后续办理：请登录平台评估，出具公安机关备案意见或要求补正。",
            )
        ],
        "agency_nanning": [
            (
                f"备案申请 {ref} 已收到（第 1 版）",
                f"我们已收到贵单位备案申请 {ref} 第 1 版，现由南宁市公安局审核。\n"
                "后续办理：暂无需操作。审核完成后将通过站内消息和电子邮件通知您；在审核人员处理之前，您仍可撤回申请。",
            )
        ],
    }


def test_the_police_opinion_tells_the_city_to_review_and_the_agency_to_wait_and_not_the_police(
    people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        application = _submitted_to_the_police(people)
    Notification.objects.exclude(recipient=people.police_nanning).delete()
    with django_capture_on_commit_callbacks(execute=True):
        application_transition(application=application, by=people.police_nanning, name="give_opinion", text="同意。")
    application.refresh_from_db()
    assert application.state == State.CITY_REVIEW
    ref, deadline = application.reference, application.deadline.isoformat()
    told = _messages()
    # The police's own message is the one of the submission, and it is no longer a to-do: their step is taken.
    assert [subject for subject, _body in told.pop("police_nanning")] == [f"新的待审核备案申请：{AGENCY}"]
    assert not people.police_nanning.notifications.filter(read_at=None).exists()
    assert told == {
        "city_nanning": [
            (
                f"{AGENCY}：备案申请 {ref} 待您办理",
                f"南宁市公安局 已将 {AGENCY} 的备案申请 {ref} 转入“市级审核中”环节。\n"
                f"后续办理：请在 20 个工作日内（{deadline} 前）登录平台审核。",
            )
        ],
        "agency_nanning": [
            (
                f"公安机关已对 {ref} 出具意见",
                f"南宁市公安局 已对 {ref} 出具备案意见，申请已转至人力资源和社会保障部门。\n后续办理：暂无需操作。",
            )
        ],
    }


def test_a_confirmed_registration_tells_the_agency_only_and_is_no_longer_the_polices_to_do(people, db):
    from tests.supervision.factories import filed_agency

    entry = filed_agency(people.org_nanning, people.agency_nanning, people.centre)
    Notification.objects.all().delete()
    registration = registration_submit(
        entry=entry,
        city=region("450100"),
        by=people.agency_nanning,
        responsible="黄建华",
        phone="13877112345",
        sites="南宁市青秀区民族大道136号 理论考场、实操考场",
    )
    police_told = _messages()
    assert list(police_told) == ["police_nanning"]
    assert police_told["police_nanning"] == [
        (
            f"{AGENCY}的公安报备登记",
            f"{AGENCY}作为已备案评价机构，已向南宁市公安机关报备登记。\n"
            "后续办理：请核查报备登记信息并予以确认，或说明理由后退回。",
        )
    ]
    Notification.objects.all().update(read_at=None)
    registration_confirm(registration=registration, by=people.police_nanning)
    told = {user: messages for user, messages in _messages().items() if user != "police_nanning"}
    assert told == {
        "agency_nanning": [
            (
                f"{AGENCY}向南宁市公安机关的报备登记已确认",
                f"{AGENCY}向南宁市公安机关的报备登记已确认\n详情请登录平台查看。",
            )
        ]
    }
    assert not people.police_nanning.notifications.filter(read_at=None).exists()

"""What the last first-day tester still found, as the user sees it (issue qa4): links from the call and the
organisation pages to what the apps above keep about them, the removal confirmation's wording with the decision's
number, the revoke confirmation's way back with the reason as typed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from agencies.models import DirectoryEntry
from certificates.models import Certificate
from certificates.services import certificates_issue
from portal.models import AuditEvent
from supervision.models import Sanction
from supervision.services.sanctions import PILOT_EXIT_CLAUSE, sanction_decide
from tests.certificates.factories import approved_session, filed_entry
from tests.supervision.factories import SECURITY_GUARD, SECURITY_MANAGER, filed_agency, today_is

pytestmark = pytest.mark.django_db

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


@pytest.fixture
def nanning_entry(people):
    return filed_agency(
        people.org_nanning,
        people.agency_nanning,
        people.centre,
        occupations=((*SECURITY_MANAGER, (3, 2, 1)), (*SECURITY_GUARD, (5, 4, 3))),
    )


# ---------------------------------------------------------------- 3. the removal confirmation names the decision

REMOVAL_FACTS = "2026年10月12日现场督导发现该机构伪造考试记录，经约谈仍未整改。"


def _removal_confirmation(people, entry, client_for) -> str:
    url = reverse("supervision:sanction_new", args=[entry.pk])
    typed = {"kind": "removal", "facts": REMOVAL_FACTS, "basis": PILOT_EXIT_CLAUSE}
    response = client_for(people.centre).post(url, typed, **ZH)
    assert response.status_code == 200
    return response.content.decode()


def test_the_removal_confirmation_reads_as_an_official_writes_with_the_decisions_number(
    people, nanning_entry, client_for
):
    with today_is(dt.date(2026, 11, 4)):
        html = _removal_confirmation(people, nanning_entry, client_for)
    assert "编号的处理决定" not in html
    # The centre's first decision of 2026: its own name, the year in 〔〕, 1号.
    assert (
        "将制发处理决定书（文号：广西壮族自治区职业技能鉴定中心督〔2026〕1号，以确认时编定的文号为准），"
        "记入该机构信用记录和审计日志，并送达该机构。"
    ) in html
    # Nothing decided by asking.
    assert not Sanction.objects.exists()
    nanning_entry.refresh_from_db()
    assert nanning_entry.status == DirectoryEntry.Status.ACTIVE


def test_the_number_announced_is_the_one_the_removal_then_carries(people, nanning_entry, client_for):
    with today_is(dt.date(2026, 11, 4)):
        sanction_decide(
            entry=nanning_entry, kind="warning", facts="考场秩序混乱。", basis=PILOT_EXIT_CLAUSE, by=people.centre
        )
        html = _removal_confirmation(people, nanning_entry, client_for)
        assert "广西壮族自治区职业技能鉴定中心督〔2026〕2号" in html
        url = reverse("supervision:sanction_new", args=[nanning_entry.pk])
        typed = {"kind": "removal", "facts": REMOVAL_FACTS, "basis": PILOT_EXIT_CLAUSE, "confirmed": "yes"}
        assert client_for(people.centre).post(url, typed).status_code == 302
    removal = Sanction.objects.get(kind="removal")
    assert removal.number == "广西壮族自治区职业技能鉴定中心督〔2026〕2号"


def test_the_removal_confirmation_in_english_names_the_number(people, nanning_entry, client_for):
    url = reverse("supervision:sanction_new", args=[nanning_entry.pk])
    typed = {"kind": "removal", "facts": REMOVAL_FACTS, "basis": PILOT_EXIT_CLAUSE}
    client = client_for(people.centre)
    client.cookies["django_language"] = "en"
    with today_is(dt.date(2026, 11, 4)), translation.override("en"):
        html = client.post(url, typed).content.decode()
    assert "The decision document 广西壮族自治区职业技能鉴定中心督〔2026〕1号 (its number is fixed" in html


# ---------------------------------------------------------------- 6. back from the revoke confirmation

REASON = "考生冒名顶替参加考试，经查实撤销。"


@pytest.fixture
def certificate(people):
    entry = filed_entry(people.org_nanning, institution_code="S000045000001")
    session = approved_session(entry, people.agency_nanning, 2)
    first, _second = certificates_issue(session=session, by=people.agency_nanning)
    return first


def _revoke_url(certificate) -> str:
    return reverse("certificates:revoke", args=[certificate.candidate.session_id, certificate.pk])


def test_the_revoke_confirmation_goes_back_to_the_form_with_the_reason_as_typed(certificate, people, client_for):
    agency = client_for(people.agency_nanning)
    confirm = agency.post(_revoke_url(certificate), {"reason": REASON}, **ZH).content.decode()
    assert '<button class="btn btn-outline-secondary" type="submit" name="confirmed" value="back">' in confirm
    assert "返回修改（不做任何变更，保留已填写的内容）" in confirm
    assert "放弃" not in confirm

    back = agency.post(_revoke_url(certificate), {"reason": REASON, "confirmed": "back"}, **ZH)
    html = back.content.decode()
    assert back.status_code == 200
    assert back.templates[0].name == "certificates/session_detail.html"
    # This certificate's revoke form open, the reason in it as typed; the other certificate's form closed and empty.
    assert (
        f'<textarea class="form-control form-control-sm" id="reason-{certificate.pk}" name="reason" rows="2" '
        f"required autofocus>{REASON}</textarea>"
    ) in html
    assert html.count("<details class=\"d-inline\" open>") == 1
    assert html.count(REASON) == 1
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.VALID and certificate.revoked_reason == ""
    assert not AuditEvent.objects.filter(action="certificate_revoke").exists()


def test_after_going_back_the_reason_as_typed_revokes_when_confirmed(certificate, people, client_for):
    agency = client_for(people.agency_nanning)
    agency.post(_revoke_url(certificate), {"reason": REASON, "confirmed": "back"})
    assert agency.post(_revoke_url(certificate), {"reason": REASON, "confirmed": "yes"}).status_code == 302
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.REVOKED and certificate.revoked_reason == REASON


def test_another_agency_going_back_sees_nothing_and_changes_nothing(certificate, people, client_for):
    response = client_for(people.agency_liuzhou).post(_revoke_url(certificate), {"reason": REASON, "confirmed": "back"})
    assert response.status_code == 404
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.VALID

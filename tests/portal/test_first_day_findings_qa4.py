"""What the last first-day tester still found, as the user sees it (issue qa4): links from the call and the
organisation pages to what the apps above keep about them, the removal confirmation's wording with the decision's
number, the revoke confirmation's way back with the reason as typed."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
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
    return _unwrapped(response.content.decode())


def _unwrapped(html: str) -> str:
    """The page's words: the decision number is kept on one line by a span (qa8b item 4)."""
    return re.sub(r'<span class="text-nowrap">(.*?)</span>', r"\1", html)


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
        html = _unwrapped(client.post(url, typed).content.decode())
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

    # Back by post-redirect-get (qa5 item 9): the session's page by GET, not the revoke address in the address bar.
    back = agency.post(_revoke_url(certificate), {"reason": REASON, "confirmed": "back"}, follow=True, **ZH)
    html = back.content.decode()
    session_url = reverse("certificates:session_detail", args=[certificate.candidate.session_id])
    assert back.redirect_chain == [(f"{session_url}#reason-{certificate.pk}", 302)]
    assert back.status_code == 200
    assert back.templates[0].name == "certificates/session_detail.html"
    # This certificate's revoke form open, the reason in it as typed; the other certificate's form closed and empty.
    assert (
        f'<textarea class="form-control form-control-sm" id="reason-{certificate.pk}" name="reason" rows="2" '
        f"required autofocus>{REASON}</textarea>"
    ) in html
    assert html.count('<details class="d-inline" open>') == 1
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


# ---------------------------------------------------------------- 1. the call's page leads to its selection


def _assessed(people, score: int = 88):
    from filings.models import Application, State
    from filings.services import application_transition
    from tests.filings.factories import nanning_submission

    application = nanning_submission(people)
    application_transition(application=application, by=people.city_nanning, name="recommend", text="同意推荐。")
    application_transition(application=application, by=people.centre, name="accept")
    Application.objects.filter(pk=application.pk).update(state=State.ASSESSED, panel_score=score)
    application.refresh_from_db()
    return application


def _call_page(client, call) -> str:
    response = client.get(reverse("agencies:call_detail", args=[call.pk]), **ZH)
    assert response.status_code == 200
    return response.content.decode()


def test_the_centre_finds_the_calls_selection_on_its_page_once_an_application_is_assessed(people, client_for):
    from tests.filings.factories import nanning_submission

    call = nanning_submission(people).call
    selection = reverse("filings:selection", args=[call.pk])
    centre = client_for(people.centre)
    assert f'href="{selection}"' not in _call_page(centre, call)  # nothing ranked yet: no selection to open

    _assessed(people)
    html = _call_page(centre, call)
    assert f'<a class="list-group-item list-group-item-action" href="{selection}">' in html
    assert "排名与遴选" in html and "遴选与公示" in html
    assert centre.get(selection).status_code == 200  # the link opens


@pytest.mark.parametrize("role", ["agency_nanning", "city_nanning", "police_nanning"])
def test_who_may_not_open_the_selection_is_not_offered_it(people, client_for, role):
    application = _assessed(people)
    client = client_for(getattr(people, role))
    selection = reverse("filings:selection", args=[application.call_id])
    assert f'href="{selection}"' not in _call_page(client, application.call)
    assert client.get(selection).status_code in (403, 404)


def test_everyone_reading_the_call_finds_its_published_selection_notice(people, client_for):
    from filings.services import selection_mark, selection_notice_create
    from publicity.services import notice_publish

    application = _assessed(people)
    selection_mark(application=application, by=people.centre, selected=True, reason="得分靠前，布局合理。")
    notice = selection_notice_create(
        call=application.call,
        by=people.centre,
        title="保卫管理员评价机构遴选结果公示",
        body="现予以公示。",
        window_days=5,
        applications=[application],
    )
    public = reverse("notices:notice_detail", args=[notice.pk])
    agency = client_for(people.agency_liuzhou)
    assert f'href="{public}"' not in _call_page(agency, application.call)  # a draft is nobody's to read yet
    notice_publish(notice=notice, by=people.centre)
    for user in (people.agency_liuzhou, people.city_nanning, people.police_liuzhou, people.centre):
        html = _call_page(client_for(user), application.call)
        assert (
            f'href="{public}"><i class="bi bi-megaphone" aria-hidden="true"></i> '
            "遴选公示：保卫管理员评价机构遴选结果公示</a>" in html
        )
    assert agency.get(public).status_code == 200


# ---------------------------------------------------------------- 2. the organisation's page leads to its file


def _organisation_page(client, organisation) -> str:
    response = client.get(reverse("agencies:organisation_detail", args=[organisation.pk]), **ZH)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("role", ["city_nanning", "police_nanning", "centre", "admin", "agency_nanning"])
def test_who_may_read_the_supervision_file_finds_it_on_the_organisations_page(people, nanning_entry, client_for, role):
    client = client_for(getattr(people, role))
    file = reverse("supervision:agency_file", args=[nanning_entry.pk])
    html = _organisation_page(client, people.org_nanning)
    assert f'<a class="btn btn-outline-primary" href="{file}">' in html
    assert f"监管档案（{nanning_entry.institution_code}，正常）" in html
    assert client.get(file).status_code == 200


def test_the_directory_entry_leads_a_signed_in_official_to_the_file_and_a_visitor_nowhere(
    people, nanning_entry, client_for
):
    file = reverse("supervision:agency_file", args=[nanning_entry.pk])
    entry_page = reverse("directory:entry", args=[nanning_entry.pk])
    assert f'href="{file}"' in client_for(people.city_nanning).get(entry_page, **ZH).content.decode()
    visitor = Client().get(entry_page, **ZH)
    assert visitor.status_code == 200 and f'href="{file}"' not in visitor.content.decode()


def test_an_organisation_never_filed_has_no_file_to_link(people, client_for):
    html = _organisation_page(client_for(people.city_nanning), people.org_nanning)
    assert "/supervision/agencies/" not in html and "监管档案" not in html


def test_another_citys_bureau_opens_neither_the_organisation_nor_its_file(people, nanning_entry, client_for):
    liuzhou = client_for(people.city_liuzhou)
    assert liuzhou.get(reverse("agencies:organisation_detail", args=[people.org_nanning.pk])).status_code == 404
    assert liuzhou.get(reverse("supervision:agency_file", args=[nanning_entry.pk])).status_code == 404

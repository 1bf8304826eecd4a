"""Submitting: problems listed with links, the commitment, frozen versions, withdrawal, what changed."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from filings.models import ApplicationVersion, State
from filings.services import (
    application_reopen,
    application_save_draft,
    application_submit,
    application_withdraw,
)
from portal.lib.errors import WorkflowError


def test_submitting_an_empty_draft_lists_every_problem_with_a_link(draft, people, client_for):
    page = client_for(people.agency_nanning).get(reverse("filings:application_submit", args=[draft.pk])).content
    page = page.decode()
    assert "提交前须解决" in page
    assert "#id_basic-registration_authority" in page
    assert "开展认定的职业（工种）：请至少填写一行。" in page
    assert "#material-credit_report" in page


def test_a_complete_application_is_submitted_as_version_one(complete_draft, people, client_for, mailoutbox):
    client = client_for(people.agency_nanning)
    url = reverse("filings:application_submit", args=[complete_draft.pk])
    legal = complete_draft.data["basic"]["legal_representative"]
    response = client.post(url, {"commitment_name": legal, "consent": "on"}, REMOTE_ADDR="10.9.8.7")
    assert response.status_code == 302
    complete_draft.refresh_from_db()
    assert complete_draft.state == State.CITY_REVIEW
    assert complete_draft.reference.startswith("BA452")
    version = complete_draft.versions.get()
    assert (version.number, version.commitment_name, version.commitment_ip) == (1, legal, "10.9.8.7")
    assert set(version.attachments) >= {"credit_report", "work_plan"}
    assert complete_draft.history.get().to_state == State.CITY_REVIEW


def test_the_commitment_needs_the_legal_representatives_name_and_consent(complete_draft, people, client_for):
    client = client_for(people.agency_nanning)
    url = reverse("filings:application_submit", args=[complete_draft.pk])
    page = client.post(url, {"commitment_name": "别人", "consent": ""}).content.decode()
    assert "须由法定代表人（张三）输入本人姓名并同意承诺书" in page
    assert 'value="别人"' in page
    complete_draft.refresh_from_db()
    assert complete_draft.state == State.DRAFT


def test_submitted_versions_cannot_be_changed(complete_draft, people):
    version = application_submit(
        application=complete_draft, by=people.agency_nanning, commitment_name="张三", consent=True
    )
    version.data = {}
    with pytest.raises(ValidationError):
        version.save()
    assert ApplicationVersion.objects.get(pk=version.pk).data["basic"]["name"]


def test_a_city_scope_application_at_level_two_is_not_refused_by_a_rule_its_call_does_not_have(complete_draft, people):
    """The security-manager call (附件1) sets no level ceiling for a city scope; the 2020 pilot's "原则上三级及以下"
    is its own profile's ``max_level`` rule, a check the reviewer weighs."""
    complete_draft.data["basic"]["scope"] = "city"
    complete_draft.save()
    assert {row["level"] for row in complete_draft.data["occupations"]} >= {"2", "1"}
    version = application_submit(
        application=complete_draft, by=people.agency_nanning, commitment_name="张三", consent=True
    )
    assert version.number == 1


def test_withdraw_then_resubmit_makes_version_two_and_shows_what_changed(complete_draft, people, client_for):
    agency = people.agency_nanning
    application_submit(application=complete_draft, by=agency, commitment_name="张三", consent=True)
    application_withdraw(application=complete_draft, by=agency)
    complete_draft.refresh_from_db()
    assert complete_draft.state == State.WITHDRAWN
    application_reopen(application=complete_draft, by=agency)
    data = dict(complete_draft.data)
    data["site"] = {**data["site"], "standard_seats": "90"}
    application_save_draft(application=complete_draft, data={"site": data["site"]}, by=agency)
    application_submit(application=complete_draft, by=agency, commitment_name="张三", consent=True)
    page = client_for(people.agency_nanning).get(reverse("filings:version_compare", args=[complete_draft.pk]))
    text = page.content.decode()
    assert "标准考场单人单桌座位数" in text
    assert "<del>60</del>" in text and "<ins>90</ins>" in text


def test_withdrawal_is_refused_once_a_reviewer_has_acted(complete_draft, people):
    from filings.models import StateChange

    application_submit(application=complete_draft, by=people.agency_nanning, commitment_name="张三", consent=True)
    StateChange.objects.create(
        application=complete_draft,
        from_state="city_review",
        to_state="city_review",
        actor=people.city_nanning,
        role="city_hr",
    )
    with pytest.raises(WorkflowError):
        application_withdraw(application=complete_draft, by=people.agency_nanning)


def test_after_a_correction_request_only_flagged_sections_change(complete_draft, people):
    application_submit(application=complete_draft, by=people.agency_nanning, commitment_name="张三", consent=True)
    complete_draft.refresh_from_db()
    complete_draft.state, complete_draft.flagged_sections = State.CORRECTION, ["site"]
    complete_draft.return_state = State.CITY_REVIEW
    complete_draft.save()
    new_site = {**complete_draft.data["site"], "smart_seats": "80"}
    new_basic = {**complete_draft.data["basic"], "name": "改名"}
    application_save_draft(
        application=complete_draft, data={"site": new_site, "basic": new_basic}, by=people.agency_nanning
    )
    complete_draft.refresh_from_db()
    assert complete_draft.data["site"]["smart_seats"] == "80"
    assert complete_draft.data["basic"]["name"] != "改名"
    application_submit(application=complete_draft, by=people.agency_nanning, commitment_name="张三", consent=True)
    complete_draft.refresh_from_db()
    assert complete_draft.state == State.CITY_REVIEW
    assert complete_draft.versions.count() == 2


def test_the_condition_page_says_every_condition_is_shown_and_none_blocks(draft, people, client_for):
    client = client_for(people.agency_nanning)
    form = client.get(reverse("filings:application_edit", args=[draft.pk])).content.decode()
    assert "每一项条件（无论是否满足）都会连同此处的核查结果展示给审核人员，且均不影响提交" in form
    submit = client.get(reverse("filings:application_submit", args=[draft.pk])).content.decode()
    assert "以下条件均不阻止提交" in submit


def test_a_declared_exclusion_does_not_block_and_the_city_reviewer_sees_it(complete_draft, people, client_for):
    data = {"declarations": {**complete_draft.data["declarations"], "not_government_body": "no"}}
    application_save_draft(application=complete_draft, data=data, by=people.agency_nanning)
    legal = complete_draft.data["basic"]["legal_representative"]
    application_submit(application=complete_draft, by=people.agency_nanning, commitment_name=legal, consent=True)
    complete_draft.refresh_from_db()
    assert complete_draft.state == State.CITY_REVIEW
    page = client_for(people.city_nanning).get(reverse("filings:application_detail", args=[complete_draft.pk]))
    checks = page.content.decode().split('class="list-group list-group-flush checks"')[1].split("</ul>")[0]
    excluded = next(item for item in checks.split("<li") if "政府及其所属事业单位" in item)
    assert "不符合" in excluded
    assert "申请人对以下声明答“否”：本机构不是政府及其所属事业单位" in excluded
    assert "实际情况" not in excluded and "声明：否" not in excluded

"""The technical assessment: the centre's expert panel, the expert's workspace, the review records."""

from __future__ import annotations

import re
import struct
import zlib

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from filings.examples import sample_application_data, sample_pdf
from filings.models import ExpertProfile, PanelMember, ReviewRecord, State
from filings.selectors import applications_visible_to
from filings.services import (
    application_create,
    application_save_draft,
    application_submit,
    application_transition,
    attachment_add,
    panel_assign,
    panel_declare,
    panel_score,
)
from portal.models import Region
from tests.filings.factories import GX_MATERIALS, ExpertFactory, make_call, nanning_submission

SECURITY_MANAGER = "3-02-02-00"
# Totals 80 and 90 on the default sheet (15, 20, 20, 15, 15, 15).
SHEET_80 = {"basic": 12, "personnel": 16, "sites": 16, "process": 12, "systems": 12, "quality": 12}
SHEET_90 = {"basic": 14, "personnel": 18, "sites": 18, "process": 13, "systems": 13, "quality": 14}


@pytest.fixture(autouse=True)
def _english(settings):
    """The pages in English, so that the assertions read the msgids (the Chinese is the translators' work)."""
    settings.LANGUAGE_CODE = "en"


def png(name: str = "site.png") -> SimpleUploadedFile:
    """A valid 1×1 PNG, as a phone photo stands in for in the tests."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    body = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
    body += chunk(b"IDAT", zlib.compress(b"\x00\xff\xff\xff")) + chunk(b"IEND", b"")
    return SimpleUploadedFile(name, body, content_type="image/png")


def in_assessment(people):
    """南宁's application, recommended by the city and accepted by the centre: under technical assessment."""
    application = nanning_submission(people)
    application_transition(application=application, by=people.city_nanning, name="recommend", text="同意推荐。")
    application_transition(application=application, by=people.centre, name="accept")
    application.refresh_from_db()
    assert application.state == State.ASSESSMENT
    return application


def liuzhou_submission(people):
    agency = people.agency_liuzhou
    application = application_create(organisation=people.org_liuzhou, call=make_call("panel-lz"), by=agency)
    data = sample_application_data(people.org_liuzhou, occupations=[(SECURITY_MANAGER, "保卫管理员", 3)])
    application_save_draft(application=application, data=data, by=agency)
    for material in GX_MATERIALS:
        attachment_add(application=application, material=material["code"], uploaded=sample_pdf("scan"), by=agency)
    legal = data["basic"]["legal_representative"]
    application_submit(application=application, by=agency, commitment_name=legal, consent=True)
    return application


@pytest.fixture
def experts(people):
    """expert_assigned and expert_other in the pool, and two more experts of the security-manager occupation."""
    people.expert_assigned.last_name, people.expert_assigned.first_name = "陈", "志远"
    people.expert_assigned.save()
    people.expert_other.last_name, people.expert_other.first_name = "蒙", "丽萍"
    people.expert_other.save()
    third = ExpertFactory(username="expert_third", last_name="韦", first_name="国庆")
    fourth = ExpertFactory(username="expert_fourth", last_name="覃", first_name="春梅")
    return [people.expert_assigned, people.expert_other, third, fourth]


@pytest.fixture
def assessed(people, experts):
    """The application under assessment, with expert_assigned on its panel."""
    application = in_assessment(people)
    panel_assign(application=application, experts=[people.expert_assigned], by=people.centre)
    return application


def declared(application, expert) -> PanelMember:
    member = PanelMember.objects.get(application=application, expert=expert)
    return panel_declare(member=member, by=expert, has_conflict=False)


def scored(application, expert, sheet: dict) -> PanelMember:
    member = declared(application, expert)
    scores = {code: str(points) for code, points in sheet.items()}
    return panel_score(member=member, by=expert, scores=scores, comment="", submit=True)


def test_assignment_grants_access_and_the_expert_sees_only_that_application(people, client_for, assessed):
    other = liuzhou_submission(people)
    assert list(applications_visible_to(people.expert_assigned)) == [assessed]
    client = client_for(people.expert_assigned)
    attachment = assessed.attachments.first()
    for url in (
        reverse("filings:assess", args=[assessed.pk]),
        reverse("filings:application_detail", args=[assessed.pk]),
        reverse("filings:version_detail", args=[assessed.pk, 1]),
        reverse("filings:version_pdf", args=[assessed.pk, 1]),
        reverse("filings:attachment_download", args=[assessed.pk, attachment.pk]),
    ):
        assert client.get(url).status_code == 200, url
    for url in (
        reverse("filings:assess", args=[other.pk]),
        reverse("filings:application_detail", args=[other.pk]),
        reverse("filings:version_pdf", args=[other.pk, 1]),
    ):
        assert client.get(url).status_code == 404, url
    listing = client.get(reverse("filings:assessments")).content.decode()
    assert assessed.organisation.name in listing and other.organisation.name not in listing
    home = client.get(reverse("home")).content.decode()
    assert assessed.organisation.name in home and reverse("filings:assessments") in home


def test_expert_other_sees_nothing(people, client_for, assessed):
    client = client_for(people.expert_other)
    attachment = assessed.attachments.first()
    for url in (
        reverse("filings:assess", args=[assessed.pk]),
        reverse("filings:application_detail", args=[assessed.pk]),
        reverse("filings:version_pdf", args=[assessed.pk, 1]),
        reverse("filings:attachment_download", args=[assessed.pk, attachment.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert "陈志远" not in client.get(reverse("filings:assessments")).content.decode()


def test_a_role_wide_permission_does_not_open_applications_to_an_expert(people, assessed):
    people.expert_other.user_permissions.add(Permission.objects.get(codename="assess_application"))
    assert list(applications_visible_to(people.expert_other)) == []


def test_an_expert_employed_by_the_applicant_is_not_offered_and_cannot_be_assigned(people, client_for, assessed):
    ExpertProfile.objects.filter(user=people.expert_other).update(employer=people.org_nanning, employer_name="")
    client = client_for(people.centre)
    url = reverse("filings:panel", args=[assessed.pk])
    page = client.get(url).content.decode()
    assert f'name="experts" value="{people.expert_other.pk}"' not in page
    assert "蒙丽萍" in page and "employed by the applicant" in page
    response = client.post(url, {"action": "assign", "experts": [people.expert_other.pk]})
    assert response.status_code == 400
    assert "蒙丽萍 cannot assess this application: employed by the applicant." in response.content.decode()
    assert not PanelMember.objects.filter(expert=people.expert_other).exists()


def test_the_centre_assigns_experts_ticked_from_the_pool(people, client_for, assessed, experts):
    client = client_for(people.centre)
    url = reverse("filings:panel", args=[assessed.pk])
    assert client.post(url, {"action": "assign"}).status_code == 400
    response = client.post(url, {"action": "assign", "experts": [experts[2].pk, experts[3].pk]}, follow=True)
    assert "Assigned: 韦国庆、覃春梅." in response.content.decode()
    assert set(assessed.panel.values_list("expert__username", flat=True)) == {
        "expert_assigned",
        "expert_third",
        "expert_fourth",
    }
    assert experts[2].has_perm("filings.assess_application", assessed)


def test_random_draw_excludes_conflicts_and_respects_the_count(people, client_for, experts):
    application = in_assessment(people)
    ExpertProfile.objects.filter(user=people.expert_other).update(employer=people.org_nanning)
    client = client_for(people.centre)
    url = reverse("filings:panel", args=[application.pk])
    response = client.post(url, {"action": "draw", "count": "3", "by_specialty": "on"})
    assert response.status_code == 302
    drawn = set(application.panel.values_list("expert__username", flat=True))
    assert drawn == {"expert_assigned", "expert_third", "expert_fourth"}
    response = client.post(url, {"action": "draw", "count": "1", "by_specialty": "on"})
    assert response.status_code == 400
    assert (
        "The pool has only 0 experts of the application&#x27;s occupations who can be drawn; this draw needs 1."
        in response.content.decode()
    )
    assert client.post(url, {"action": "draw", "count": "zero"}).status_code == 400
    assert application.panel.count() == 3


def test_the_centre_removes_an_expert_and_the_access_goes_with_it(people, client_for, assessed):
    member = PanelMember.objects.get(application=assessed, expert=people.expert_assigned)
    client = client_for(people.centre)
    response = client.post(reverse("filings:panel", args=[assessed.pk]), {"action": "remove", "member": member.pk})
    assert response.status_code == 302
    assert list(applications_visible_to(people.expert_assigned)) == []
    assert client_for(people.expert_assigned).get(reverse("filings:assess", args=[assessed.pk])).status_code == 404


def test_the_expert_declares_first_and_a_conflict_removes_access(people, client_for, assessed):
    client = client_for(people.expert_assigned)
    url = reverse("filings:assess", args=[assessed.pk])
    page = client.get(url).content.decode()
    assert 'name="conflict"' in page and 'name="score_basic"' not in page
    response = client.post(url, {"action": "declare", "conflict": "yes", "declaration": ""})
    assert response.status_code == 400
    assert "Describe the conflict of interest." in response.content.decode()
    response = client.post(url, {"action": "declare", "conflict": "yes", "declaration": "曾在该校兼职授课。"})
    assert response.headers["Location"] == reverse("filings:assessments")
    assert client.get(url).status_code == 404
    assert client.get(reverse("filings:application_detail", args=[assessed.pk])).status_code == 404
    # The centre sees why, and is not offered the expert again.
    panel_page = client_for(people.centre).get(reverse("filings:panel", args=[assessed.pk])).content.decode()
    assert "曾在该校兼职授课。" in panel_page
    assert f'name="experts" value="{people.expert_assigned.pk}"' not in panel_page


def test_no_conflict_opens_the_scoring_sheet_of_the_call(people, client_for, assessed):
    client = client_for(people.expert_assigned)
    url = reverse("filings:assess", args=[assessed.pk])
    client.post(url, {"action": "declare", "conflict": "no"})
    page = client.get(url).content.decode()
    for criterion in assessed.call_version.scoring:
        assert f'name="score_{criterion["code"]}"' in page and criterion["label"] in page
    assert reverse("filings:version_pdf", args=[assessed.pk, 1]) in page


def test_scores_are_validated_beside_each_criterion_and_the_typed_values_kept(people, client_for, assessed):
    declared(assessed, people.expert_assigned)
    client = client_for(people.expert_assigned)
    posted = {f"score_{code}": str(points) for code, points in SHEET_80.items()}
    posted.update({"score_basic": "99", "score_personnel": "abc", "comment": "场地整洁。", "action": "submit"})
    response = client.post(reverse("filings:assess", args=[assessed.pk]), posted)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Between 0 and 15 points." in page and "Enter a whole number of points." in page
    assert 'value="99"' in page and 'value="abc"' in page and "场地整洁。" in page
    member = PanelMember.objects.get(expert=people.expert_assigned)
    assert member.scores == {} and member.scores_submitted_at is None


def test_scores_can_be_saved_then_submitted(people, client_for, assessed):
    declared(assessed, people.expert_assigned)
    client = client_for(people.expert_assigned)
    url = reverse("filings:assess", args=[assessed.pk])
    assert client.post(url, {"action": "save", "score_basic": "10"}).status_code == 302
    member = PanelMember.objects.get(expert=people.expert_assigned)
    assert member.scores == {"basic": 10} and member.scores_submitted_at is None
    response = client.post(url, {"action": "submit", "score_basic": "10"})
    assert response.status_code == 400 and "Give a score." in response.content.decode()
    posted = {f"score_{code}": str(points) for code, points in SHEET_80.items()}
    assert client.post(url, {**posted, "action": "submit"}).status_code == 302
    member.refresh_from_db()
    assert member.total == 80


def test_scores_change_until_the_panel_concludes_and_not_after(people, client_for, assessed, experts):
    panel_assign(application=assessed, experts=[experts[2]], by=people.centre)
    scored(assessed, people.expert_assigned, SHEET_80)
    scored(assessed, experts[2], SHEET_80)
    client = client_for(people.expert_assigned)
    url = reverse("filings:assess", args=[assessed.pk])
    changed = {f"score_{code}": str(points) for code, points in SHEET_90.items()}
    assert client.post(url, {**changed, "action": "submit"}).status_code == 302
    assert PanelMember.objects.get(expert=people.expert_assigned).total == 90
    response = client_for(people.centre).post(
        reverse("filings:panel", args=[assessed.pk]), {"action": "conclude", "text": "符合条件，建议遴选。"}
    )
    assert response.status_code == 302
    assessed.refresh_from_db()
    assert assessed.state == State.ASSESSED and str(assessed.panel_score) == "85.00"
    client = client_for(people.expert_assigned)
    response = client.post(url, {**{f"score_{c}": "1" for c in SHEET_80}, "action": "submit"}, follow=True)
    assert "The panel has concluded; scores can no longer change." in response.content.decode()
    assert PanelMember.objects.get(expert=people.expert_assigned).total == 90
    assert 'name="action" value="submit"' not in client.get(url).content.decode()


def test_panel_page_shows_each_total_the_mean_and_the_spread(people, client_for, assessed, experts):
    panel_assign(application=assessed, experts=[experts[2], experts[3]], by=people.centre)
    scored(assessed, people.expert_assigned, SHEET_80)
    scored(assessed, experts[2], SHEET_90)
    declared(assessed, experts[3])
    page = client_for(people.centre).get(reverse("filings:panel", args=[assessed.pk])).content.decode()
    assert ">80</td>" in page and ">90</td>" in page
    assert '<td class="text-end fw-bold" id="panel-mean">85.00</td>' in page
    assert '<div class="stat-value">10</div>' in page
    assert "Not handed in yet" in page


def test_the_conclusion_needs_two_submitted_score_sheets(people, client_for, assessed, experts):
    panel_assign(application=assessed, experts=[experts[2]], by=people.centre)
    scored(assessed, people.expert_assigned, SHEET_80)
    declared(assessed, experts[2])
    client = client_for(people.centre)
    response = client.post(reverse("filings:panel", args=[assessed.pk]), {"action": "conclude", "text": "结论。"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "At least two experts must have handed in their scores." in page and "结论。" in page
    assessed.refresh_from_db()
    assert assessed.state == State.ASSESSMENT


def test_the_panel_page_is_read_only_outside_the_assessment(people, client_for, experts):
    application = nanning_submission(people)
    client = client_for(people.centre)
    url = reverse("filings:panel", args=[application.pk])
    page = client.get(url).content.decode()
    assert 'value="assign"' not in page and 'value="conclude"' not in page
    response = client.post(url, {"action": "assign", "experts": [people.expert_assigned.pk]}, follow=True)
    assert "The panel can only be changed during the technical assessment" in response.content.decode()
    assert not application.panel.exists()


def test_the_expert_records_the_site_visit_with_photos(people, client_for, assessed):
    declared(assessed, people.expert_assigned)
    client = client_for(people.expert_assigned)
    url = reverse("filings:record_add", args=[assessed.pk])
    response = client.post(
        url, {"kind": "site_visit", "notes": "理论考场30座，间距符合要求。", "photos": [png(), sample_pdf("台账")]}
    )
    assert response.status_code == 302
    record = ReviewRecord.objects.get(application=assessed)
    assert record.kind == ReviewRecord.Kind.SITE_VISIT and record.photos.count() == 2
    photo = record.photos.get(content_type="image/png")
    download = client.get(reverse("filings:record_photo", args=[assessed.pk, photo.pk]))
    assert download.status_code == 200 and download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Disposition"].startswith("attachment")
    assert (
        client_for(people.expert_other).get(reverse("filings:record_photo", args=[assessed.pk, photo.pk])).status_code
        == 404
    )
    # The application page shows the record to those who may read the application.
    detail = client_for(people.agency_nanning).get(reverse("filings:application_detail", args=[assessed.pk]))
    assert "理论考场30座" in detail.content.decode()


def test_a_record_with_a_disguised_file_is_refused_and_the_notes_kept(people, client_for, assessed):
    declared(assessed, people.expert_assigned)
    client = client_for(people.expert_assigned)
    fake = SimpleUploadedFile("photo.jpg", b"<html><script>alert(1)</script></html>", content_type="image/jpeg")
    response = client.post(
        reverse("filings:record_add", args=[assessed.pk]),
        {"kind": "interview", "notes": "访谈负责人。", "photos": [fake]},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "is not a PDF, JPEG or PNG file" in page and "访谈负责人。" in page
    assert not ReviewRecord.objects.exists()


def test_an_expert_cannot_add_a_police_record(people, client_for, assessed):
    declared(assessed, people.expert_assigned)
    response = client_for(people.expert_assigned).post(
        reverse("filings:record_add", args=[assessed.pk]), {"kind": "police_assessment", "notes": "意见。"}
    )
    assert response.status_code == 403


def test_police_of_nanning_record_an_assessment_opinion_and_police_of_liuzhou_get_404(people, client_for, assessed):
    detail = reverse("filings:application_detail", args=[assessed.pk])
    client = client_for(people.police_nanning)
    assert 'value="police_assessment"' in client.get(detail).content.decode()
    response = client.post(
        reverse("filings:record_add", args=[assessed.pk]),
        {"kind": "police_assessment", "notes": "场地技防设施符合要求，同意。", "photos": [png("监控室.png")]},
    )
    assert response.status_code == 302
    record = ReviewRecord.objects.get(kind=ReviewRecord.Kind.POLICE_ASSESSMENT)
    assert record.author == people.police_nanning and record.photos.count() == 1
    assert "场地技防设施符合要求" in client_for(people.centre).get(detail).content.decode()
    liuzhou = client_for(people.police_liuzhou)
    response = liuzhou.post(
        reverse("filings:record_add", args=[assessed.pk]), {"kind": "police_assessment", "notes": "x"}
    )
    assert response.status_code == 404
    photo = record.photos.get()
    assert liuzhou.get(reverse("filings:record_photo", args=[assessed.pk, photo.pk])).status_code == 404


def test_police_cannot_give_the_assessment_opinion_before_the_assessment(people, client_for):
    application = nanning_submission(people)
    client = client_for(people.police_nanning)
    assert (
        'value="police_assessment"'
        not in client.get(reverse("filings:application_detail", args=[application.pk])).content.decode()
    )
    response = client.post(
        reverse("filings:record_add", args=[application.pk]),
        {"kind": "police_assessment", "notes": "意见。"},
        follow=True,
    )
    assert "This record cannot be added while the application is" in response.content.decode()
    assert not ReviewRecord.objects.exists()


def test_the_centre_finds_the_panel_from_the_application_page(people, client_for, assessed):
    page = client_for(people.centre).get(reverse("filings:application_detail", args=[assessed.pk])).content.decode()
    assert reverse("filings:panel", args=[assessed.pk]) in page
    page = client_for(people.city_nanning).get(reverse("filings:application_detail", args=[assessed.pk]))
    assert reverse("filings:panel", args=[assessed.pk]) not in page.content.decode()


def test_experts_have_my_assessments_in_the_navigation(people, client_for, assessed):
    page = client_for(people.expert_other).get(reverse("home")).content.decode()
    assert reverse("filings:assessments") in page
    assert "No applications have been assigned to you." in page


def test_the_pool_and_the_draw_take_only_experts_of_the_calls_province(people, client_for, experts):
    """First-day finding: Guangxi's panel page listed Shaanxi's experts (薛文博 of 陕西警官职业学院)."""
    application = in_assessment(people)
    assert application.call.province.code == "450000"
    ExpertProfile.objects.filter(user__in=experts[2:]).update(
        province=Region.objects.get(code="610000"), employer_name="陕西警官职业学院"
    )
    client = client_for(people.centre)
    url = reverse("filings:panel", args=[application.pk])
    page = client.get(url).content.decode()
    assert f'name="experts" value="{people.expert_other.pk}"' in page
    for shaanxi in experts[2:]:
        assert f'name="experts" value="{shaanxi.pk}"' not in page
        assert shaanxi.display_name not in page
    # Two experts of Guangxi in the pool: a draw of three is refused, a draw of two takes them.
    response = client.post(url, {"action": "draw", "count": "3", "by_specialty": "on"})
    assert response.status_code == 400
    assert (
        "The pool has only 2 experts of the application&#x27;s occupations who can be drawn; this draw needs 3."
        in response.content.decode()
    )
    assert not application.panel.exists()
    assert client.post(url, {"action": "draw", "count": "2", "by_specialty": "on"}).status_code == 302
    assert set(application.panel.values_list("expert__username", flat=True)) == {"expert_assigned", "expert_other"}
    # Nor can a Shaanxi expert be ticked by a forged form.
    response = client.post(url, {"action": "assign", "experts": [experts[2].pk]})
    assert response.status_code == 400
    assert "is in another province&#x27;s pool" in response.content.decode()
    assert application.panel.count() == 2


def test_a_refused_declaration_keeps_the_choice_and_the_text_with_the_message_beside_the_field(
    people, client_for, assessed
):
    """First-day test, round 12: "I have a conflict" with no explanation showed the message at the top of the
    card and cleared the choice, and the explanation box was not marked."""
    client = client_for(people.expert_assigned)
    url = reverse("filings:assess", args=[assessed.pk])
    response = client.post(url, {"action": "declare", "conflict": "yes", "declaration": "  "})
    assert response.status_code == 400
    page = response.content.decode()
    assert re.search(
        r'<input class="form-check-input[^"]*" type="radio" name="conflict" value="yes"[^>]* checked', page
    )
    assert not re.search(r'value="no"[^>]* checked', page)
    # The message follows the explanation box, which is marked, and nothing is said above the choice.
    box = re.search(
        r'<textarea class="([^"]*)" id="declaration-text"[^>]*>(.*?)</textarea>\s*<div ([^>]*)>([^<]*)</div>',
        page,
        re.S,
    )
    assert box and "is-invalid" in box.group(1).split()
    assert 'id="declaration-error"' in box.group(3) and "d-block" in box.group(3)
    assert box.group(4) == "Describe the conflict of interest."
    assert page.count("Describe the conflict of interest.") == 1
    assert PanelMember.objects.get(application=assessed, expert=people.expert_assigned).has_conflict is None

    # No choice at all: said under the two choices, and the explanation typed is kept.
    page = client.post(url, {"action": "declare", "declaration": "曾在该校兼职授课。"}).content.decode()
    choices_end = page.index('for="conflict-yes"')
    said = page.index("Say whether you have a conflict of interest.")
    assert choices_end < said < page.index('id="declaration-text"')
    assert 'class="invalid-feedback d-block" id="conflict-error"' in page
    assert ">曾在该校兼职授课。</textarea>" in page
    assert "checked" not in page[page.index('name="conflict"') - 200 : choices_end]

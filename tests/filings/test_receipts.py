"""The ministry review, institution codes, the filing receipt (备案回执) and its public verification.

Celery runs eagerly here, whatever the environment says (CI sets a broker): these tests are about behaviour;
tests/filings/test_worker.py runs a real worker against Redis.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from agencies.models import DirectoryEntry
from filings import tasks
from filings.models import (
    Application,
    InstitutionCode,
    MinistryReview,
    Receipt,
    State,
    StateChange,
)
from filings.services import filing as filing_service
from filings.services import (
    ministry_report,
    ministry_result,
    receipt_regenerate,
    receipt_render,
    receipts_sweep,
)
from filings.services.filing import receipt_verify_url
from portal.lib.errors import WorkflowError
from tests.agencies.factories import OrganisationFactory
from tests.filings.factories import make_call, nanning_submission
from tests.portal.factories import region


@pytest.fixture(autouse=True)
def _eager_tasks_and_private_media(settings, tmp_path):
    settings.CELERY_TASK_ALWAYS_EAGER = True  # portal.celery reads the Django settings on every access
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PORTAL_BASE_URL = "https://portal.example.gov.cn"


def publicised(application: Application) -> Application:
    """As if its public notice had passed (the notice pages have tests of their own)."""
    Application.objects.filter(pk=application.pk).update(state=State.PUBLICISED)
    application.refresh_from_db()
    return application


def reported(people, application=None) -> Application:
    application = publicised(application or nanning_submission(people))
    ministry_report(application=application, by=people.centre, reported_on=timezone.localdate())
    application.refresh_from_db()
    return application


def after_commit():
    """Run the on-commit callbacks (the receipt's queueing) when the block ends, as a real commit would."""
    return TestCase.captureOnCommitCallbacks(execute=True)


def filed(people, application=None, code: str = "") -> Application:
    application = reported(people, application)
    with after_commit():
        ministry_result(
            application=application, by=people.centre, approved=True, result_on=timezone.localdate(), code=code
        )
    application.refresh_from_db()
    return application


def other_submission(people, name: str, uscc: str) -> Application:
    """A second Nanning agency's submitted application (another organisation, the same call)."""
    from filings.examples import sample_application_data, sample_pdf
    from filings.services import application_create, application_save_draft, application_submit, attachment_add
    from portal.models import Role
    from tests.filings.factories import GX_MATERIALS
    from tests.portal.factories import UserFactory

    organisation = OrganisationFactory(name=name, uscc=uscc, region=region("450102"))
    agency = UserFactory(username=f"agency_{uscc[-4:]}", role=Role.AGENCY, organisation=organisation)
    call = make_call(f"gx-{uscc[-4:]}")
    application = application_create(organisation=organisation, call=call, by=agency)
    occupations = [("3-02-02-00", "保卫管理员", 3)]
    application_save_draft(
        application=application, data=sample_application_data(organisation, occupations=occupations), by=agency
    )
    for material in GX_MATERIALS:
        attachment_add(application=application, material=material["code"], uploaded=sample_pdf("s"), by=agency)
    application_submit(application=application, by=agency, commitment_name="张三", consent=True)
    application.refresh_from_db()
    return application


def pdf_text(receipt: Receipt) -> str:
    path = default_storage.path(receipt.pdf.name)
    return subprocess.run(["pdftotext", "-layout", path, "-"], capture_output=True, text=True, check=True).stdout


# ---------------------------------------------------------------- the ministry


def test_the_centre_reports_to_the_ministry_and_records_its_approval(people):
    application = reported(people)
    assert application.state == State.MINISTRY_REVIEW
    review = MinistryReview.objects.get(application=application)
    assert review.result == MinistryReview.Result.PENDING and review.reported_on == timezone.localdate()

    with after_commit():
        ministry_result(
            application=application, by=people.centre, approved=True, result_on=timezone.localdate(), code="GX-0451"
        )
    application.refresh_from_db()
    assert application.state == State.FILED
    review.refresh_from_db()
    assert review.result == MinistryReview.Result.APPROVED
    assert application.institution_code.code == "GX-0451" and not application.institution_code.provisional
    entry = DirectoryEntry.objects.get(application=application)
    assert entry.institution_code == "GX-0451" and entry.status == DirectoryEntry.Status.ACTIVE
    assert entry.region.code == "450100"  # the city of the agency
    assert sorted(entry.occupations.values_list("level", flat=True)) == [1, 2, 3]
    assert entry.history.get().status == DirectoryEntry.Status.ACTIVE
    assert list(StateChange.objects.filter(application=application).values_list("to_state", flat=True))[-2:] == [
        State.MINISTRY_REVIEW,
        State.FILED,
    ]
    receipt = Receipt.objects.get(application=application)
    assert receipt.status == Receipt.Status.READY  # rendered after the commit (eagerly here)
    assert receipt.version_number == 1 and receipt.number == f"GXBA-{timezone.localdate().year}-00001"


def test_a_rejection_needs_the_ministrys_reasons_and_ends_without_code_or_receipt(people):
    application = reported(people)
    with pytest.raises(ValidationError) as error:
        ministry_result(application=application, by=people.centre, approved=False, result_on=timezone.localdate())
    assert "note" in error.value.message_dict
    ministry_result(
        application=application,
        by=people.centre,
        approved=False,
        result_on=timezone.localdate(),
        note="考评人员资质材料不全。",
    )
    application.refresh_from_db()
    assert application.state == State.MINISTRY_REJECTED
    assert not InstitutionCode.objects.filter(application=application).exists()
    assert not Receipt.objects.exists() and not DirectoryEntry.objects.exists()
    assert "考评人员资质材料不全" in application.history.last().comment


def test_only_the_centre_of_the_province_records_the_ministry_steps_and_only_in_their_state(people):
    application = publicised(nanning_submission(people))
    for person in (people.city_nanning, people.agency_nanning, people.police_nanning):
        with pytest.raises(PermissionDenied):
            ministry_report(application=application, by=person, reported_on=timezone.localdate())
    with pytest.raises(WorkflowError):
        ministry_result(application=application, by=people.centre, approved=True, result_on=timezone.localdate())
    with pytest.raises(ValidationError):
        ministry_report(
            application=application, by=people.centre, reported_on=timezone.localdate() + dt.timedelta(days=1)
        )
    reported(people, application)
    with pytest.raises(WorkflowError):
        ministry_report(application=application, by=people.centre, reported_on=timezone.localdate())


def test_provisional_codes_follow_the_configured_pattern_and_count_up(people, settings):
    settings.INSTITUTION_CODE_PATTERN = "LS{province}-{year}-{seq:03d}"
    first = filed(people)
    second = filed(people, other_submission(people, "南宁市青秀区安保培训学校", "91450100MA5L2X3Y4P"))
    year = timezone.localdate().year
    assert first.institution_code.code == f"LS45-{year}-001" and first.institution_code.provisional
    assert second.institution_code.code == f"LS45-{year}-002"


def test_the_default_provisional_code_pattern(people):
    application = filed(people)
    # The ministry's 13-character layout (S, agency code 0000, province 45, sequence: the year's 2 digits and 4 of
    # the running number), which certificate numbers begin with.
    assert application.institution_code.code == f"S000045{timezone.localdate().year % 100:02d}0001"


def test_a_code_already_issued_is_refused_with_a_message(people):
    filed(people, code="GX-0451")
    other = reported(people, other_submission(people, "南宁市青秀区安保培训学校", "91450100MA5L2X3Y4P"))
    with pytest.raises(ValidationError) as error:
        ministry_result(
            application=other, by=people.centre, approved=True, result_on=timezone.localdate(), code="gx-0451"
        )
    message = " ".join(error.value.message_dict["code"])
    assert "GX-0451" in message and "南宁市安盾职业技能培训学校" in message
    other.refresh_from_db()
    assert other.state == State.MINISTRY_REVIEW  # nothing happened


def test_codes_are_never_reused_even_after_a_rejected_application(people, settings):
    first = filed(people)
    rejected = reported(people, other_submission(people, "南宁市青秀区安保培训学校", "91450100MA5L2X3Y4P"))
    ministry_result(
        application=rejected, by=people.centre, approved=False, result_on=timezone.localdate(), note="不予通过。"
    )
    third = filed(people, other_submission(people, "南宁市西乡塘区保安培训中心", "91450100MA5L2X3Y5Q"))
    codes = list(InstitutionCode.objects.order_by("pk").values_list("code", flat=True))
    assert len(codes) == len(set(codes)) == 2
    assert third.institution_code.code != first.institution_code.code
    # A ministry code that equals a provisional code already issued is refused too.
    fourth = reported(people, other_submission(people, "南宁市江南区护卫培训学校", "91450100MA5L2X3Y6R"))
    with pytest.raises(ValidationError):
        ministry_result(
            application=fourth,
            by=people.centre,
            approved=True,
            result_on=timezone.localdate(),
            code=first.institution_code.code,
        )
    # An issued code cannot be taken away with its application.
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        Application.objects.filter(pk=first.pk).delete()


# ---------------------------------------------------------------- the receipt


def test_the_receipt_is_idempotent_under_retries(people):
    application = filed(people)
    receipt = Receipt.objects.get(application=application)
    rendered_at = receipt.rendered_at
    with mock.patch.object(filing_service, "render_pdf", wraps=filing_service.render_pdf) as render:
        tasks.render_receipt.delay(receipt.pk)
        tasks.render_receipt.apply(args=[receipt.pk])
        receipt_render(receipt)
    assert render.call_count == 0  # already ready: nothing rendered again
    assert Receipt.objects.filter(application=application).count() == 1
    receipt.refresh_from_db()
    assert receipt.rendered_at == rendered_at and receipt.status == Receipt.Status.READY
    assert default_storage.listdir("receipts")[1] == [f"{receipt.number}.pdf"]


def test_a_second_receipt_for_the_same_version_is_impossible(people):
    from django.db import IntegrityError, transaction

    application = filed(people)
    receipt = Receipt.objects.get(application=application)
    with pytest.raises(IntegrityError), transaction.atomic():
        Receipt.objects.create(
            application=application, version_number=receipt.version_number, number="GXBA-X", token="t"
        )


def test_a_receipt_left_pending_is_rendered_once_by_the_sweeper(people):
    with mock.patch.object(filing_service, "receipt_enqueue", return_value=False):
        application = filed(people)  # the broker was down: nothing queued
    receipt = Receipt.objects.get(application=application)
    assert receipt.status == Receipt.Status.PENDING and receipt.queued_at is None
    assert receipts_sweep() == 1
    receipt.refresh_from_db()
    assert receipt.status == Receipt.Status.READY
    assert receipts_sweep() == 0
    assert Receipt.objects.count() == 1


def test_the_sweeper_leaves_a_recently_queued_receipt_alone(people):
    with mock.patch.object(filing_service, "receipt_enqueue", return_value=False):
        application = filed(people)
    Receipt.objects.filter(application=application).update(queued_at=timezone.now())
    assert receipts_sweep() == 0
    Receipt.objects.filter(application=application).update(queued_at=timezone.now() - dt.timedelta(seconds=61))
    assert receipts_sweep() == 1


def test_a_broker_that_is_down_never_fails_the_approval(people):
    from kombu.exceptions import OperationalError

    with mock.patch.object(tasks.render_receipt, "apply_async", side_effect=OperationalError("connection refused")):
        application = filed(people)
    assert application.state == State.FILED
    assert Receipt.objects.get(application=application).status == Receipt.Status.PENDING


def test_a_rendering_that_keeps_failing_marks_the_receipt_failed(people, settings):
    settings.CELERY_TASK_EAGER_PROPAGATES = False  # or apply() raises the first Retry instead of retrying
    with mock.patch.object(filing_service, "receipt_enqueue", return_value=False):
        application = filed(people)
    receipt = Receipt.objects.get(application=application)
    with mock.patch.object(filing_service, "render_pdf", side_effect=RuntimeError("no fonts")):
        # As a worker runs it: each failure is retried (here at once), the last one marks the receipt.
        tasks.render_receipt.apply(args=[receipt.pk])
    receipt.refresh_from_db()
    assert receipt.status == Receipt.Status.FAILED
    assert "no fonts" in receipt.last_error and receipt.attempts == 6  # the first try and 5 retries


def test_regenerating_keeps_the_number_and_the_token(people):
    application = filed(people)
    receipt = Receipt.objects.get(application=application)
    number, token, first_render = receipt.number, receipt.token, receipt.rendered_at
    with after_commit():
        receipt_regenerate(receipt=receipt, by=people.centre)
    receipt.refresh_from_db()
    assert (receipt.number, receipt.token) == (number, token)
    assert receipt.status == Receipt.Status.READY and receipt.rendered_at > first_render
    assert default_storage.listdir("receipts")[1] == [f"{number}.pdf"]
    assert Receipt.objects.count() == 1
    with pytest.raises(PermissionDenied):
        receipt_regenerate(receipt=receipt, by=people.city_nanning)


def test_the_receipt_pdf_states_the_filing_with_an_embedded_chinese_font_and_a_qr_code(people):
    application = filed(people, code="GX-0451")
    receipt = Receipt.objects.get(application=application)
    text = "".join(pdf_text(receipt).split())  # the title is letter-spaced
    for expected in ("备案回执", "南宁市安盾职业技能培训学校", "GX-0451", receipt.number, "保卫管理员", "二级/技师"):
        assert expected in text, expected
    assert "广西壮族自治区人力资源和社会保障厅" in text
    assert application.organisation.uscc in text
    path = default_storage.path(receipt.pdf.name)
    fonts = subprocess.run(["pdffonts", path], capture_output=True, text=True, check=True).stdout
    cjk = [line for line in fonts.splitlines() if "CJK" in line]
    assert cjk and all(" yes " in line for line in cjk)  # embedded
    pages = subprocess.run(["pdfinfo", path], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Pages:\s+1$", pages, re.MULTILINE)  # one A4 page
    images = subprocess.run(["pdfimages", "-list", path], capture_output=True, text=True, check=True).stdout
    assert len(images.strip().splitlines()) == 3  # two header lines, then one image: the QR code


def test_the_qr_code_opens_the_verification_page_of_the_token(people, settings):
    application = filed(people)
    receipt = Receipt.objects.get(application=application)
    assert receipt_verify_url(receipt) == "https://portal.example.gov.cn" + reverse(
        "public:receipt_verify", args=[receipt.token]
    )
    assert len(receipt.token) >= 43  # 32 random bytes


# ---------------------------------------------------------------- pages


def test_the_centre_records_report_and_result_on_the_ministry_page(people, client_for):
    application = publicised(nanning_submission(people))
    client = client_for(people.centre)
    url = reverse("filings:ministry", args=[application.pk])
    assert client.get(url).status_code == 200
    today = timezone.localdate().isoformat()
    response = client.post(url, {"action": "report", "reported_on": today})
    assert response.status_code == 302
    response = client.post(
        url, {"action": "result", "result": "rejected", "result_on": today, "code_source": "ministry"}
    )
    assert response.status_code == 400  # no reasons given
    with after_commit():
        response = client.post(
            url, {"action": "result", "result": "approved", "result_on": today, "code_source": "provisional"}
        )
    assert response.status_code == 302
    page = client.get(url).content.decode()
    application.refresh_from_db()
    assert application.institution_code.code in page
    assert Receipt.objects.get(application=application).number in page


def test_the_agency_follows_the_receipt_and_downloads_it(people, client_for):
    application = filed(people)
    receipt = Receipt.objects.get(application=application)
    for person in (people.agency_nanning, people.city_nanning, people.centre):
        client = client_for(person)
        detail = client.get(reverse("filings:application_detail", args=[application.pk])).content.decode()
        assert receipt.number in detail and reverse("filings:receipt_download", args=[application.pk]) in detail
        status = client.get(reverse("filings:receipt_status", args=[application.pk])).json()
        assert status["status"] == "ready" and status["number"] == receipt.number
        response = client.get(reverse("filings:receipt_download", args=[application.pk]))
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content).startswith(b"%PDF")
    for person in (people.agency_liuzhou, people.city_liuzhou, people.police_liuzhou):
        client = client_for(person)
        assert client.get(reverse("filings:receipt_download", args=[application.pk])).status_code == 404
        assert client.get(reverse("filings:receipt_status", args=[application.pk])).status_code == 404


def test_a_pending_receipt_shows_its_progress_and_cannot_be_downloaded_yet(people, client_for):
    with mock.patch.object(filing_service, "receipt_enqueue", return_value=False):
        application = filed(people)
    client = client_for(people.agency_nanning)
    detail = client.get(reverse("filings:application_detail", args=[application.pk])).content.decode()
    assert "receipt-status.js" in detail and 'data-status="pending"' in detail
    assert client.get(reverse("filings:receipt_status", args=[application.pk])).json()["download"] is None
    assert client.get(reverse("filings:receipt_download", args=[application.pk])).status_code == 404


def test_anyone_verifies_a_receipt_by_its_qr_token(people, client):
    application = filed(people, code="GX-0451")
    receipt = Receipt.objects.get(application=application)
    page = client.get(reverse("public:receipt_verify", args=[receipt.token])).content.decode()
    expected = [receipt.number, "南宁市安盾职业技能培训学校", "GX-0451", application.organisation.uscc, "保卫管理员"]
    assert all(text in page for text in expected)
    # Only what the receipt says: no contact data, no application internals.
    assert application.organisation.contact_phone not in page
    assert application.reference not in page


def test_a_forged_token_is_not_found(people, client):
    filed(people)
    response = client.get(reverse("public:receipt_verify", args=["forged-token-0123456789abcdefghijklmnopqrstu"]))
    assert response.status_code == 404
    assert "Not found" in response.content.decode() or "未找到" in response.content.decode()


def test_anyone_verifies_a_receipt_by_number_and_agency_name_without_hints(people, client):
    application = filed(people)
    receipt = Receipt.objects.get(application=application)
    url = reverse("public:receipt_lookup")
    assert client.get(url).status_code == 200
    found = client.get(url, {"number": receipt.number, "agency": "南宁市安盾职业技能培训学校"})
    assert found.status_code == 200 and "南宁市安盾职业技能培训学校" in found.content.decode()
    wrong_name = client.get(url, {"number": receipt.number, "agency": "南宁市安盾"})
    wrong_number = client.get(url, {"number": "GXBA-2026-99999", "agency": "南宁市安盾职业技能培训学校"})
    assert wrong_name.status_code == wrong_number.status_code == 404
    # The same answer whichever half is wrong.
    assert _alert(wrong_name) == _alert(wrong_number)


def test_a_receipt_number_is_found_as_people_type_it(people, client):
    """Lower case, full-width characters from a Chinese input method and spaces around still find the receipt;
    the agency's name must still be whole."""
    application = filed(people)
    number = Receipt.objects.get(application=application).number
    full_width = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in number)
    url = reverse("public:receipt_lookup")
    for typed in (f"  {number.lower()} ", full_width):
        found = client.get(url, {"number": typed, "agency": " 南宁市安盾职业技能培训学校 "})
        assert found.status_code == 200, typed
    assert client.get(url, {"number": number.lower(), "agency": "南宁市安盾"}).status_code == 404


def _alert(response) -> str:
    html = response.content.decode()
    start = html.index('class="alert alert-danger"')
    return html[start : html.index("</div>", start)]

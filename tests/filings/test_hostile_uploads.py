"""The hostile corpus (tests/portal/hostile_files.py) on the filings' upload surfaces: an application's
materials and the review records' photos. Each item is refused with its reason beside the field, and nothing
is stored; the ordinary PDF, JPEG and PNG still pass."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from filings.models import ReviewRecord
from tests.filings.test_panel import assessed, declared, experts  # noqa: F401  (fixtures)
from tests.portal.hostile_files import CORPUS, image, plain_pdf


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def hostile(item: str) -> SimpleUploadedFile:
    name, make = CORPUS[item]
    return SimpleUploadedFile(name, make())


def upload(client, application, file):
    return client.post(
        reverse("filings:attachment_upload", args=[application.pk]),
        {"material": "credit_report", "file": file},
        headers={"X-Requested-With": "fetch"},
    )


@pytest.mark.parametrize("item", sorted(CORPUS))
def test_each_hostile_file_is_refused_as_a_material(people, client_for, draft, item):
    response = upload(client_for(people.agency_nanning), draft, hostile(item))
    assert response.status_code == 400
    answer = response.json()
    assert answer["ok"] is False and CORPUS[item][0] in answer["error"]
    assert not draft.attachments.exists()


@pytest.mark.parametrize(
    ("name", "content"), [("a.pdf", plain_pdf()), ("a.jpg", image("JPEG")), ("a.png", image("PNG"))]
)
def test_ordinary_materials_still_pass(people, client_for, draft, name, content):
    response = upload(client_for(people.agency_nanning), draft, SimpleUploadedFile(name, content))
    assert response.json()["ok"] is True
    assert draft.attachments.count() == 1


def test_a_right_to_left_override_never_reaches_a_stored_name(people, client_for, draft):
    """Django's multipart parser drops unprintable characters from a sent name before any check sees it (the
    override is gone, so what is shown is what the name is); ``check_upload`` refuses such a name from any other
    path (tests/portal/test_upload_depth.py)."""
    response = upload(
        client_for(people.agency_nanning), draft, SimpleUploadedFile("报告\u202efdp.exe.pdf", plain_pdf())
    )
    assert response.json()["ok"] is True
    assert draft.attachments.get().original_name == "报告fdp.exe.pdf"


@pytest.mark.parametrize("item", sorted(CORPUS))
def test_each_hostile_file_is_refused_as_a_record_photo_and_the_notes_kept(people, client_for, assessed, item):  # noqa: F811
    declared(assessed, people.expert_assigned)
    response = client_for(people.expert_assigned).post(
        reverse("filings:record_add", args=[assessed.pk]),
        {"kind": "interview", "notes": "访谈负责人。", "photos": [hostile(item)]},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "cannot be accepted" in page or "is not a PDF, JPEG or PNG file" in page
    assert "访谈负责人。" in page
    assert not ReviewRecord.objects.exists()

"""The hostile corpus on supervision's upload surfaces: inspection photos, rectification evidence and the
anonymous complaint form's attachments. Each item is refused by field and nothing is stored."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from supervision.models import Complaint
from supervision.services.inspections import finding_add, inspection_open, inspection_photos_add, rectification_answer
from tests.portal.hostile_files import CORPUS, image
from tests.supervision.factories import issued, today_is
from tests.supervision.test_complaints import _post, submit


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def hostile(item: str) -> SimpleUploadedFile:
    name, make = CORPUS[item]
    return SimpleUploadedFile(name, make())


@pytest.mark.parametrize("item", sorted(CORPUS))
def test_each_hostile_file_is_refused_as_an_inspection_photo(people, nanning_entry, item):
    inspection = inspection_open(entry=nanning_entry, by=people.city_nanning)
    with pytest.raises(ValidationError) as raised:
        inspection_photos_add(inspection=inspection, by=people.city_nanning, files=[hostile(item)])
    assert CORPUS[item][0] in " ".join(raised.value.message_dict["photos"])
    assert not inspection.photos.exists()


def test_an_ordinary_photo_is_stored_drawn_again(people, nanning_entry):
    inspection = inspection_open(entry=nanning_entry, by=people.city_nanning)
    original = image("JPEG", (64, 48))
    inspection_photos_add(inspection=inspection, by=people.city_nanning, files=[SimpleUploadedFile("a.jpg", original)])
    photo = inspection.photos.get()
    stored = photo.file.read()
    assert stored.startswith(b"\xff\xd8") and photo.size == len(stored)


@pytest.mark.parametrize("item", sorted(CORPUS))
def test_each_hostile_file_is_refused_as_rectification_evidence(people, nanning_entry, item):
    with today_is(dt.date(2026, 9, 30)):
        inspection = inspection_open(entry=nanning_entry, by=people.city_nanning)
        finding = finding_add(inspection=inspection, by=people.city_nanning, text="问题", requirement="整改")
        order = finding.rectification
        issued(inspection, people.city_nanning)
        with pytest.raises(ValidationError) as raised:
            rectification_answer(
                rectification=order, by=people.agency_nanning, answer="已整改。", files=[hostile(item)]
            )
    assert "evidence" in raised.value.message_dict
    order.refresh_from_db()
    assert order.status == "open" and not order.evidence.exists()


@pytest.mark.parametrize("item", sorted(CORPUS))
def test_each_hostile_file_is_refused_with_a_complaint(people, nanning_entry, item):
    with today_is(dt.date(2026, 9, 25)), pytest.raises(ValidationError) as raised:
        submit(nanning_entry, files=[hostile(item)])
    assert CORPUS[item][0] in " ".join(raised.value.message_dict["files"])
    assert not Complaint.objects.exists()


def test_the_public_complaint_form_says_why_beside_the_files_and_keeps_what_was_typed(people, nanning_entry, client):
    with today_is(dt.date(2026, 9, 25)):
        response = _post(client, nanning_entry, files=[hostile("pdf_openaction_javascript")])
    page = response.content.decode()
    assert response.status_code == 400
    assert "it runs an action when opened" in page
    assert "13877112345" in page and "李明" in page
    assert not Complaint.objects.exists()

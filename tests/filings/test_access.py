"""One agency cannot see, edit or download another's application or attachments; drafts stay private."""

import pytest
from django.urls import reverse

from filings.selectors import current_attachments
from filings.services import application_submit


@pytest.fixture
def submitted(complete_draft, people):
    application_submit(application=complete_draft, by=people.agency_nanning, commitment_name="张三", consent=True)
    complete_draft.refresh_from_db()
    return complete_draft


def urls_of(application):
    attachment = next(iter(current_attachments(application).values()))[0]
    return [
        reverse("filings:application_detail", args=[application.pk]),
        reverse("filings:version_detail", args=[application.pk, 1]),
        reverse("filings:version_pdf", args=[application.pk, 1]),
        reverse("filings:attachment_download", args=[application.pk, attachment.pk]),
    ]


def test_another_agency_and_another_city_get_404_everywhere(submitted, people, client_for):
    for outsider in (people.agency_liuzhou, people.city_liuzhou, people.police_liuzhou):
        client = client_for(outsider)
        for url in urls_of(submitted):
            assert client.get(url).status_code == 404, (outsider.username, url)
        assert client.get(reverse("filings:application_edit", args=[submitted.pk])).status_code in (403, 404)


def test_the_own_agency_and_its_city_can_read_and_download(submitted, people, client_for):
    for insider in (people.agency_nanning, people.city_nanning, people.centre, people.police_nanning):
        client = client_for(insider)
        for url in urls_of(submitted):
            assert client.get(url).status_code == 200, (insider.username, url)


def test_downloads_are_attachments_never_rendered_inline(submitted, people, client_for):
    response = client_for(people.city_nanning).get(urls_of(submitted)[3])
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"


def test_drafts_are_invisible_to_officials(draft, people, client_for):
    for official in (people.city_nanning, people.centre, people.admin):
        assert client_for(official).get(reverse("filings:application_detail", args=[draft.pk])).status_code == 404


def test_another_agency_cannot_edit_upload_or_submit(draft, people, client_for):
    client = client_for(people.agency_liuzhou)
    assert client.post(reverse("filings:application_edit", args=[draft.pk]), {}).status_code == 404
    assert client.post(reverse("filings:attachment_upload", args=[draft.pk]), {}).status_code == 404
    assert client.post(reverse("filings:application_submit", args=[draft.pk]), {}).status_code == 404
    assert client.get(reverse("filings:draft_pdf", args=[draft.pk])).status_code == 404


def test_uploads_are_checked_by_content(draft, people, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(people.agency_nanning)
    fake = SimpleUploadedFile("report.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf")
    response = client.post(
        reverse("filings:attachment_upload", args=[draft.pk]),
        {"material": "credit_report", "file": fake},
        headers={"X-Requested-With": "fetch"},
    )
    assert response.status_code == 400
    assert "PDF" in response.json()["error"]
    assert not current_attachments(draft)

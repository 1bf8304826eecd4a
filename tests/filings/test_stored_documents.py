"""Documents that never change are rendered once and served from storage: a submitted version (as its
reviewers' opinions stand), a published notice, a receipt; WeasyPrint subsets fonts with HarfBuzz."""

from unittest import mock

from django.core.checks import run_checks
from django.urls import reverse

from filings import pdf as filing_pdfs
from filings.services import application_transition
from portal.lib import pdf as portal_pdf
from portal.models import RenderedDocument
from publicity import pdf as notice_pdfs
from tests.filings.factories import nanning_submission


def counting(module, name):
    real = getattr(module, name)
    return mock.patch.object(module, name, side_effect=real)


def test_a_submitted_version_is_rendered_once_per_opinion_and_then_served_from_storage(people, client_for):
    from filings.views import applications as views

    application = nanning_submission(people)
    url = reverse("filings:version_pdf", args=[application.pk, 1])
    with counting(views, "application_pdf") as render:
        first = client_for(people.city_nanning).get(url).getvalue()
        again = client_for(people.agency_nanning).get(url).getvalue()
        assert render.call_count == 1 and first == again and first.startswith(b"%PDF-")
        # The city bureau's opinion is printed on it: a new document, rendered once.
        application_transition(application=application, by=people.city_nanning, name="recommend", text="同意推荐。")
        client_for(people.centre).get(url)
        client_for(people.centre).get(url)
        assert render.call_count == 2
    assert RenderedDocument.objects.filter(kind="application_version").count() == 2


def test_a_published_notice_is_rendered_on_publication_and_downloads_read_the_stored_file(
    people, client_for, django_capture_on_commit_callbacks
):
    from tests.test_access_effects import published_notice

    with counting(notice_pdfs, "render_pdf") as render:
        application = nanning_submission(people)
        with django_capture_on_commit_callbacks(execute=True):
            notice = published_notice(people, application)
        assert render.call_count == 1  # by the task queued on publication (run inline in the tests)
        for _ in range(3):
            response = client_for(None).get(reverse("notices:notice_pdf", args=[notice.pk]))
            assert response.status_code == 200 and response.getvalue().startswith(b"%PDF-")
        assert render.call_count == 1
    assert RenderedDocument.objects.filter(kind="notice", object_id=str(notice.pk)).count() == 1


def test_a_draft_is_rendered_on_every_download_and_never_stored(people, client_for, draft):
    url = reverse("filings:draft_pdf", args=[draft.pk])
    with counting(filing_pdfs, "render_pdf") as render:
        client_for(people.agency_nanning).get(url)
        client_for(people.agency_nanning).get(url)
    assert render.call_count == 2
    assert not RenderedDocument.objects.exists()


def test_weasyprint_subsets_the_fonts_with_harfbuzz():
    assert portal_pdf.harfbuzz_subset_in_use(), "install Debian's libharfbuzz-subset0"
    assert not [m for m in run_checks() if m.id == "portal.W001"]


def test_the_system_check_says_what_to_install_without_harfbuzz_subset(monkeypatch):
    from portal import checks

    monkeypatch.setattr(checks, "harfbuzz_subset_in_use", lambda: False)
    [warning] = [m for m in run_checks() if m.id == "portal.W001"]
    assert "libharfbuzz-subset0" in warning.hint

"""Reading a candidate's ID number in clear is a POST followed to a GET (post-redirect-get): reloading the page
shows the same reading again for a few minutes without a second audit row, never a 405; later, or in another
session, the page comes back masked and says how to read it again."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.models import AuditEvent
from tests.certificates.factories import ID_A, candidates, filed_entry, session_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def candidate(people):
    session = session_of(filed_entry(people.org_nanning), people.agency_nanning)
    (found,) = candidates(session, [("张小三", ID_A)])
    return found


def _url(candidate) -> str:
    return reverse("certificates:candidate_reveal", args=[candidate.session_id, candidate.pk])


def _readings() -> int:
    return AuditEvent.objects.filter(action="id_number_view").count()


def test_the_reading_is_followed_to_a_page_that_survives_a_reload_audited_once(candidate, people, client_for):
    client = client_for(people.agency_nanning)
    posted = client.post(_url(candidate))
    assert posted.status_code == 302 and posted["Location"] == _url(candidate)
    assert _readings() == 1
    for _reload in range(3):
        page = client.get(_url(candidate))
        assert page.status_code == 200
        assert ID_A in page.content.decode()
        assert page["Cache-Control"] == "no-store"
    assert _readings() == 1


def test_a_reload_after_five_minutes_shows_the_page_masked_and_says_why(candidate, people, client_for):
    client = client_for(people.agency_nanning)
    client.post(_url(candidate))
    later = timezone.now() + dt.timedelta(seconds=301)
    with mock.patch("django.utils.timezone.now", return_value=later):
        page = client.get(_url(candidate), follow=True)
    body = page.content.decode()
    assert page.status_code == 200
    assert page.redirect_chain[-1][0] == reverse("certificates:session_detail", args=[candidate.session_id])
    assert ID_A not in body and "4501**********1238" in body
    assert "身份证号已重新隐藏" in body
    assert _readings() == 1


def test_just_before_five_minutes_the_reading_is_still_shown(candidate, people, client_for):
    client = client_for(people.agency_nanning)
    client.post(_url(candidate))
    later = timezone.now() + dt.timedelta(seconds=299)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert ID_A in client.get(_url(candidate)).content.decode()


def test_opening_the_address_without_a_reading_shows_nothing_in_clear_and_records_nothing(
    candidate, people, client_for
):
    page = client_for(people.city_nanning).get(_url(candidate), follow=True)
    assert page.status_code == 200 and ID_A not in page.content.decode()
    assert _readings() == 0


def test_another_users_reading_is_not_shown_to_someone_else(candidate, people, client_for):
    client_for(people.agency_nanning).post(_url(candidate))
    page = client_for(people.city_nanning).get(_url(candidate), follow=True)
    assert ID_A not in page.content.decode()


def test_a_refused_reader_gets_no_number_and_leaves_no_reading(candidate, people, client_for):
    assert client_for(people.police_nanning).get(_url(candidate)).status_code == 403
    assert client_for(people.agency_liuzhou).post(_url(candidate)).status_code == 404
    assert _readings() == 0

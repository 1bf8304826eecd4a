"""Signing out says so on the sign-in page it lands on (issue acct9)."""

from django.urls import reverse

from tests.portal.factories import PASSWORD
from tests.portal.test_signin import sign_in

SIGNED_OUT = "您已安全退出。"


def test_signing_out_shows_the_message_once_on_the_sign_in_page(people, client):
    sign_in(client, "agency_nanning", PASSWORD)
    response = client.post(reverse("logout"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("login")
    page = response.content.decode()
    assert SIGNED_OUT in page and 'name="username"' in page
    assert not response.wsgi_request.user.is_authenticated
    assert SIGNED_OUT not in client.get(reverse("login")).content.decode()


def test_signing_out_an_official_shows_it_too(people, client):
    sign_in(client, "city_nanning", PASSWORD)
    assert SIGNED_OUT in client.post(reverse("logout"), follow=True).content.decode()


def test_no_message_when_nobody_was_signed_in(db, client):
    assert SIGNED_OUT not in client.post(reverse("logout"), follow=True).content.decode()

import datetime as dt
import time

import pytest
from django.conf import settings
from django.contrib.sessions.backends import cached_db
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.urls import reverse
from django.utils import timezone

from portal.middleware import RENEWED
from portal.models import AuditEvent, User
from portal.second_factor.services import authenticator_of, authenticator_set, needs_second_factor
from tests.conftest import TEST_TOTP_SECRET, totp_code
from tests.portal.factories import PASSWORD


def sign_in(client, username, password):
    """The password step's answer; an official then passes the second step with an enrolled authenticator."""
    response = client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR="10.1.2.3")
    user = User.objects.filter(username=username).first()
    if response.status_code == 302 and needs_second_factor(user):
        if authenticator_of(user) is None:
            authenticator_set(user=user, secret=TEST_TOTP_SECRET)
        client.post(reverse("second_step"), {"code": totp_code(username, TEST_TOTP_SECRET)}, REMOTE_ADDR="10.1.2.3")
    return response


def test_sign_in_lands_on_the_home_page_and_is_audited(people, client):
    response = sign_in(client, "city_nanning", PASSWORD)
    assert response.status_code == 302 and response.url == reverse("home")
    event = AuditEvent.objects.get(action="login")
    assert (event.username, event.role, event.ip, event.result) == (
        "city_nanning",
        "city_hr",
        "10.1.2.3",
        "success",
    )


def test_wrong_password_shows_a_chinese_message_and_keeps_the_user_name(people, client):
    response = sign_in(client, "city_nanning", "wrong")
    assert response.status_code == 200
    page = response.content.decode()
    assert "请输入一个正确的用户名和密码" in page
    assert 'value="city_nanning"' in page
    event = AuditEvent.objects.get(action="login_failed")
    assert (event.username, event.result) == ("city_nanning", "failure")


def test_five_failures_lock_the_account_for_thirty_minutes(people, client):
    for _ in range(5):
        sign_in(client, "agency_nanning", "wrong")
    response = sign_in(client, "agency_nanning", PASSWORD)  # even the right password is refused now
    assert response.status_code == 429
    assert "该账号已被锁定 30 分钟" in response.content.decode()
    assert AuditEvent.objects.filter(action="lockout", username="agency_nanning").exists()
    # Another account is not affected.
    assert sign_in(client, "agency_liuzhou", PASSWORD).status_code == 302


def test_sign_out_is_audited(people, client):
    sign_in(client, "centre", PASSWORD)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="logout", username="centre").exists()
    # Signed out: a signed-in page asks for the sign-in again (the home is public since qa5: the front page).
    assert client.get(reverse("inbox")).status_code == 302


def test_password_change_is_audited_and_the_new_password_works(people, client):
    sign_in(client, "expert_other", PASSWORD)
    new = "Another-pass-2027"
    response = client.post(
        reverse("password_change"), {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    )
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="password_change", username="expert_other").exists()
    client.post(reverse("logout"))
    assert sign_in(client, "expert_other", new).status_code == 302


def test_password_change_errors_are_in_chinese_beside_the_field(people, client):
    sign_in(client, "expert_other", PASSWORD)
    response = client.post(
        reverse("password_change"), {"old_password": "nope", "new_password1": "a", "new_password2": "b"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "你的旧密码不正确" in page
    assert "输入的两个密码不一致" in page


def test_session_expires_after_thirty_idle_minutes(people, client):
    sign_in(client, "centre", PASSWORD)
    assert client.get(reverse("home")).status_code == 200
    session = Session.objects.get(session_key=client.session.session_key)
    assert session.expire_date - timezone.now() > dt.timedelta(minutes=29)  # renewed on every request
    session.expire_date = timezone.now() - dt.timedelta(seconds=1)  # 30 idle minutes later
    session.save()
    # With Redis the session is also cached (cached_db), for as long as it lives: 30 minutes later that copy is
    # gone too.
    caches[settings.SESSION_CACHE_ALIAS].delete(f"{cached_db.KEY_PREFIX}{session.session_key}")
    assert client.get(reverse("inbox")).status_code == 302


@pytest.mark.parametrize("name", ["audit_list", "audit_export"])
def test_audit_pages_are_for_admins_only(name, people, client_for):
    assert client_for(people.city_nanning).get(reverse(name)).status_code == 403
    assert client_for(people.admin).get(reverse(name)).status_code == 200


def test_behind_a_trusted_proxy_the_forwarded_client_address_is_recorded(people, client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    client.post(
        reverse("login"),
        {"username": "centre", "password": "wrong"},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9",
    )
    assert AuditEvent.objects.get(action="login_failed").ip == "203.0.113.9"


def _expiry(client) -> dt.datetime:
    return Session.objects.get(session_key=client.session.session_key).expire_date


def _renewed(client, seconds_ago: int) -> None:
    session = client.session
    session[RENEWED] = int(time.time()) - seconds_ago
    session.save()


def test_a_request_within_a_minute_of_the_last_renewal_writes_nothing(people, client):
    sign_in(client, "centre", PASSWORD)
    _renewed(client, seconds_ago=10)
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() + dt.timedelta(minutes=20)
    )
    before = _expiry(client)
    assert client.get(reverse("home")).status_code == 200
    assert _expiry(client) == before


def test_a_request_over_a_minute_after_the_last_renewal_renews_the_thirty_minutes(people, client):
    sign_in(client, "centre", PASSWORD)
    _renewed(client, seconds_ago=61)
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() + dt.timedelta(minutes=20)
    )
    assert client.get(reverse("home")).status_code == 200
    assert _expiry(client) - timezone.now() > dt.timedelta(minutes=29)

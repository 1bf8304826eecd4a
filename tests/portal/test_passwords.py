"""Password rules (length 12, three classes, unlike the names, not guessable), the officials' password age and
the lockout per user name at an address and per address."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from agencies.models import Organisation
from portal.lib.passwords import password_expired
from portal.models import Role, User
from tests.agencies.test_registration import field_errors, form_data
from tests.conftest import DEMO_PASSWORD
from tests.portal.factories import PASSWORD, UserFactory


def registration(client, password: str):
    return client.post(reverse("register"), form_data(password1=password, password2=password))


@pytest.mark.parametrize(
    ("password", "message"),
    [
        (" " * 10, "密码长度太短。密码必须包含至少 12 个字符。"),
        ("Portal-demo", "密码长度太短。密码必须包含至少 12 个字符。"),
        ("Nanning2026", "密码长度太短。密码必须包含至少 12 个字符。"),
        ("guangxi2026", "密码须至少包含小写字母、大写字母、数字、符号这四类字符中的 3 类。"),
        ("zhangsan123", "密码须至少包含小写字母、大写字母、数字、符号这四类字符中的 3 类。"),
        # Long enough and of three classes, but a place name or a name with digits around it.
        ("Nanning2026!", "密码不能是常见单词或地名加上数字或符号的组合"),
        ("Guangxi@2026", "密码不能是常见单词或地名加上数字或符号的组合"),
        ("Zhangsan-123", "密码不能是常见单词或地名加上数字或符号的组合"),
        ("Password2026!", "密码不能是常见单词或地名加上数字或符号的组合"),
        # The user name (form_data's "dingxin") inside a longer password.
        ("dingxin-Pass-2026", "密码不能包含或近似于您的用户名、姓名或单位名称。"),
    ],
)
def test_registration_refuses_weak_passwords_beside_the_field_and_keeps_the_rest(db, client, password, message):
    response = registration(client, password)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in field_errors(page, "password1")
    assert 'value="南宁市鼎信职业技能评价中心"' in page and 'value="dingxin"' in page and 'value="黄丽"' in page
    assert not User.objects.filter(username="dingxin").exists()
    assert not Organisation.objects.filter(name="南宁市鼎信职业技能评价中心").exists()


def test_a_password_made_of_the_organisation_name_is_refused(db):
    user = User(username="someone", organisation=Organisation(name="Dingxin Training", uscc="52450100MJ12345678"))
    with pytest.raises(ValidationError):
        validate_password("dingxin training!1A", user)


@pytest.mark.parametrize(
    ("password", "accepted"),
    [
        ("Kq7#mPz2vLw", False),  # 11 characters
        ("Kq7#mPz2vLwx", True),  # 12
        ("Kq7#mPz2vLwxy", True),  # 13
        ("kq7mpz2vlwxb", False),  # two classes
        ("kq7mpz2vlwX", False),  # three classes, 11 characters
        ("kq7mpz2vlwXb", True),  # three classes, 12 characters
        (DEMO_PASSWORD, True),  # the demo password: 16 characters, four classes
    ],
)
def test_length_and_classes_on_and_around_their_thresholds(db, password, accepted):
    official = User(username="city_test", role=Role.CITY_HR)
    try:
        validate_password(password, official)
    except ValidationError:
        assert not accepted
    else:
        assert accepted


def test_the_password_change_page_applies_the_same_rules(people, client_for):
    client = client_for(people.city_nanning)
    data = {"old_password": PASSWORD, "new_password1": "Nanning2026!", "new_password2": "Nanning2026!"}
    response = client.post(reverse("password_change"), data)
    assert response.status_code == 200 and "地名" in response.content.decode()
    people.city_nanning.refresh_from_db()
    assert people.city_nanning.check_password(PASSWORD)


# ---------------------------------------------------------------- password age


@pytest.mark.parametrize(
    ("age", "expired"),
    [
        (dt.timedelta(days=90) - dt.timedelta(seconds=1), False),
        (dt.timedelta(days=90), True),
        (dt.timedelta(days=91), True),
    ],
)
def test_a_password_expires_at_ninety_days(settings, age, expired):
    settings.PASSWORD_MAX_AGE_DAYS = 90
    now = timezone.now()
    assert password_expired(User(password_changed_at=now - age), now=now) is expired


def _aged(user: User, days: float) -> None:
    User.objects.filter(pk=user.pk).update(password_changed_at=timezone.now() - dt.timedelta(days=days))


def test_an_official_with_an_expired_password_is_sent_to_change_it(people, client_for, settings):
    settings.PASSWORD_MAX_AGE_DAYS = 90
    _aged(people.city_nanning, 90.01)
    client = client_for(people.city_nanning)
    response = client.get(reverse("agencies:organisation_list"))
    assert response.status_code == 302 and response.url == reverse("password_change")
    assert "您的密码已使用 90 天或更久" in client.get(reverse("password_change")).content.decode()
    new = "Lantern-2026-river"
    response = client.post(
        reverse("password_change"), {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    )
    assert response.status_code == 302
    assert client.get(reverse("agencies:organisation_list")).status_code == 200


def test_below_the_age_or_for_an_agency_nothing_is_asked(people, client_for, settings):
    settings.PASSWORD_MAX_AGE_DAYS = 90
    _aged(people.city_nanning, 89.99)
    assert client_for(people.city_nanning).get(reverse("agencies:organisation_list")).status_code == 200
    _aged(people.agency_nanning, 400)
    assert client_for(people.agency_nanning).get(reverse("home")).status_code == 200


def test_the_age_is_a_setting(people, client_for, settings):
    settings.PASSWORD_MAX_AGE_DAYS = 30
    _aged(people.city_nanning, 31)
    assert client_for(people.city_nanning).get(reverse("home")).url == reverse("password_change")


# ---------------------------------------------------------------- lockout


def sign_in(client, username: str, password: str, ip: str):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_thirty_six_wrong_passwords_over_nine_accounts_from_one_address_are_refused(people, client):
    names = [
        UserFactory(username=f"agency_{n}", role=Role.AGENCY, organisation=people.org_nanning).username
        for n in range(9)
    ]
    statuses = [sign_in(client, name, "wrong-password", "10.0.0.66").status_code for name in names for _ in range(4)]
    # The address is locked at its 20th failure, whatever the names: the 20th answer is the lockout page.
    assert statuses[:19] == [200] * 19
    assert set(statuses[19:]) == {429}
    response = sign_in(client, "agency_nanning", PASSWORD, "10.0.0.66")  # even a right password from there
    assert response.status_code == 429 and "此网络地址已暂停登录" in response.content.decode()
    assert sign_in(client, "agency_nanning", PASSWORD, "10.0.0.67").status_code == 302  # another address


def test_nineteen_failures_from_one_address_do_not_lock_it(people, client):
    names = [
        UserFactory(username=f"agency_{n}", role=Role.AGENCY, organisation=people.org_nanning).username
        for n in range(5)
    ]
    for index in range(19):
        assert sign_in(client, names[index % 5], "wrong-password", "10.0.0.66").status_code == 200
    assert sign_in(client, "agency_nanning", PASSWORD, "10.0.0.66").status_code == 302


def test_a_stranger_cannot_lock_the_centre_out_from_another_address(people, client):
    statuses = [sign_in(client, "centre", "wrong-password", "203.0.113.5").status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 200, 429]
    page = sign_in(client, "centre", PASSWORD, "203.0.113.5").content.decode()
    assert "该账号已被锁定 30 分钟" in page  # from the stranger's address: locked
    client.logout()
    response = sign_in(client, "centre", PASSWORD, "10.45.1.20")  # the centre's office
    assert response.status_code == 302
    assert re.search("second-(step|factor)", client.get(reverse("home")).url)  # on to its second step

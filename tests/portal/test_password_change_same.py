"""The password change refuses the current password as the new one (issue acct9), also for the officials'
forced change after 90 days."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from portal.models import User
from tests.agencies.test_registration import field_errors
from tests.portal.factories import PASSWORD

SAME = "新密码不能与当前密码相同"


def _change(client, new, old=PASSWORD):
    return client.post(reverse("password_change"), {"old_password": old, "new_password1": new, "new_password2": new})


def test_the_current_password_is_refused_beside_the_new_password_field(people, client_for):
    before = User.objects.get(pk=people.agency_nanning.pk).password_changed_at
    response = _change(client_for(people.agency_nanning), PASSWORD)
    assert response.status_code == 200
    assert SAME in field_errors(response.content.decode(), "new_password1")
    user = User.objects.get(pk=people.agency_nanning.pk)
    assert user.check_password(PASSWORD) and user.password_changed_at == before


def test_a_password_differing_by_one_character_is_accepted(people, client_for):
    response = _change(client_for(people.agency_nanning), PASSWORD + "x")
    assert response.status_code == 302
    assert User.objects.get(pk=people.agency_nanning.pk).check_password(PASSWORD + "x")


def test_an_official_forced_to_change_cannot_reuse_the_password(people, client_for, settings):
    settings.PASSWORD_MAX_AGE_DAYS = 90
    User.objects.filter(pk=people.city_nanning.pk).update(password_changed_at=timezone.now() - dt.timedelta(days=91))
    client = client_for(people.city_nanning)
    response = _change(client, PASSWORD)
    assert response.status_code == 200 and SAME in field_errors(response.content.decode(), "new_password1")
    # Still sent to the change: the old password did not count as a new one.
    blocked = client.get(reverse("agencies:organisation_list"))
    assert blocked.status_code == 302 and blocked.url == reverse("password_change")

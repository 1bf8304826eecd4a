"""First-day findings on the reset link's page: the current password was accepted as the new one (so an official
past the 90-day age could reset to the same password and sign in as if changed), and a weak password's messages
sat under the confirmation while the field typed into stayed unmarked."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from portal.models import User
from tests.agencies.test_registration import field_errors
from tests.portal.factories import PASSWORD
from tests.portal.test_password_change_same import SAME
from tests.portal.test_password_reset import NEW_PASSWORD, _ask, _link, with_email  # noqa: F401  a fixture


def _reset(client, mailoutbox, new: str):
    _ask(client, "agency_nanning@example.cn")
    form_page = client.get(_link(mailoutbox[-1]).removeprefix("http://127.0.0.1:8000"), follow=True)
    return client.post(form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})


def test_the_current_password_is_refused_beside_the_new_password(with_email, client, mailoutbox, people):  # noqa: F811
    aged = timezone.now() - dt.timedelta(days=120)
    User.objects.filter(pk=people.agency_nanning.pk).update(password_changed_at=aged)
    response = _reset(client, mailoutbox, PASSWORD)
    assert response.status_code == 200
    assert SAME in field_errors(response.content.decode(), "new_password1")
    user = User.objects.get(pk=people.agency_nanning.pk)
    assert user.check_password(PASSWORD) and user.password_changed_at == aged  # nothing changed


def test_another_password_is_set(with_email, client, mailoutbox, people):  # noqa: F811
    assert _reset(client, mailoutbox, NEW_PASSWORD).status_code == 302
    assert User.objects.get(pk=people.agency_nanning.pk).check_password(NEW_PASSWORD)


def test_a_weak_password_is_told_beside_the_new_password_field(with_email, client, mailoutbox, people):  # noqa: F811
    response = _reset(client, mailoutbox, "12345678")
    assert response.status_code == 200
    errors = field_errors(response.content.decode(), "new_password1")
    assert errors, "the field typed into carries the messages"
    assert User.objects.get(pk=people.agency_nanning.pk).check_password(PASSWORD)

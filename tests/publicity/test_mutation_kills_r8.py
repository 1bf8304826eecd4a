"""Mutation kills of round 8 (publicity): an objection answered by one official of the centre is no longer a
to-do for a colleague of the centre either."""

from __future__ import annotations

import pytest

from portal.models import Role
from publicity.models import Objection
from publicity.services import objection_handle
from tests.portal.factories import UserFactory
from tests.portal.inbox_page import todo_subjects
from tests.publicity.test_notices import _publish, field, object_to  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db


def test_an_objection_answered_by_one_official_leaves_the_colleagues_to_do(people, field, client_for):  # noqa: F811
    colleague = UserFactory(username="centre_2", role=Role.CENTRE, department=people.centre.department)
    notice = _publish(people, field, field.a, field.b)
    object_to(client_for(None), notice, field.a)
    assert any(s.endswith("的异议") for s in todo_subjects(client_for, colleague))
    objection_handle(
        objection=Objection.objects.get(item__object_id=field.a.pk), by=people.centre, upheld=False, reply="不属实。"
    )
    assert not any(s.endswith("的异议") for s in todo_subjects(client_for, colleague))

"""The centre's message “Objection to …” leaves the to-do part of its inbox once that objection is answered, and
only that one (first-day tester, round 8)."""

from __future__ import annotations

import pytest

from publicity.models import Objection
from publicity.services import objection_handle
from tests.portal.inbox_page import todo_subjects
from tests.publicity.test_notices import _publish, field, object_to  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db


def test_an_answered_objection_leaves_the_centres_to_do_and_the_other_stays(people, field, client_for):  # noqa: F811
    notice = _publish(people, field, field.a, field.b)
    public = client_for(None)
    object_to(public, notice, field.a)
    object_to(public, notice, field.b, content="该机构考评人员不足。")
    subjects = todo_subjects(client_for, people.centre)
    objections = [s for s in subjects if s.startswith("关于") and s.endswith("的异议")]
    assert len(objections) == 2
    objection_handle(
        objection=Objection.objects.get(item__object_id=field.a.pk), by=people.centre, upheld=False, reply="不属实。"
    )
    left = [s for s in todo_subjects(client_for, people.centre) if s.endswith("的异议")]
    assert left == [f"关于{Objection.objects.get(item__object_id=field.b.pk).item.label}的异议"]

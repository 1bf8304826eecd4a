"""我的待办 counts the objections waiting for an answer on the notices the centre manages, and an objection leaves
the list once it is answered, upheld or dismissed (first-day finding qa5 item 1: the work leaves the list once
done)."""

from __future__ import annotations

import pytest

from publicity.models import Objection
from publicity.services import objection_handle
from tests.publicity.test_notices import _publish, field, object_to  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db

OBJECTIONS = "Objections to handle"


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def todo_of(client) -> dict[str, int]:
    response = client.get("/")
    assert response.status_code == 200
    return {str(item.label): item.count for item in response.context["todo"]}


def test_an_objection_leaves_the_centres_list_once_answered(people, field, client_for):  # noqa: F811
    notice = _publish(people, field, field.a, field.b)
    assert OBJECTIONS not in todo_of(client_for(people.centre))
    public = client_for(None)
    object_to(public, notice, field.a)
    object_to(public, notice, field.b, content="该机构考评人员不足。")
    assert todo_of(client_for(people.centre))[OBJECTIONS] == 2

    objection_handle(
        objection=Objection.objects.get(item__object_id=field.a.pk), by=people.centre, upheld=True, reply="经核查属实。"
    )
    assert todo_of(client_for(people.centre))[OBJECTIONS] == 1
    objection_handle(
        objection=Objection.objects.get(item__object_id=field.b.pk),
        by=people.centre,
        upheld=False,
        reply="经核查，不属实。",
    )
    assert OBJECTIONS not in todo_of(client_for(people.centre))

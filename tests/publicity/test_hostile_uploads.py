"""The hostile corpus on the anonymous objection form's attachments: refused by field, nothing stored."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from publicity.models import Objection
from publicity.services import objection_raise
from tests.portal.hostile_files import CORPUS
from tests.publicity.test_notices import _publish, field, item_of, object_to  # noqa: F401  (field: a fixture)


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.mark.parametrize("item", sorted(CORPUS))
def test_each_hostile_file_is_refused_with_an_objection(people, field, item):  # noqa: F811
    notice = _publish(people, field, field.a)
    name, make = CORPUS[item]
    with pytest.raises(ValidationError) as raised:
        objection_raise(
            notice=notice,
            item=item_of(notice, field.a),
            name="王",
            contact="13977212345",
            content="异议",
            files=[SimpleUploadedFile(name, make())],
        )
    assert name in " ".join(raised.value.message_dict["files"])
    assert not Objection.objects.exists()


def test_the_objection_form_says_why_beside_the_files_and_keeps_what_was_typed(people, field, client_for):  # noqa: F811
    notice = _publish(people, field, field.a)
    name, make = CORPUS["pdf_zip_polyglot"]
    response = object_to(client_for(None), notice, field.a, files=[SimpleUploadedFile(name, make())])
    page = response.content.decode()
    assert response.status_code == 400
    assert "a ZIP archive is hidden in it" in page and "该机构的考核场地面积不足。" in page
    assert not Objection.objects.exists()

"""A refused results upload (errors to correct) is on the agency's home page's to-do, opening the session where
the errors are, until an upload is imported (qa9c item 3: the agency learnt of it only on the session page)."""

from __future__ import annotations

import re

from django.urls import reverse

from certificates.models import ImportAttempt
from tests.certificates.factories import filed_entry, row, session_of
from tests.certificates.test_import import upload

LABEL = "认定结果上传未通过，待更正"


def _todo(client) -> dict[str, tuple[int, str]]:
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    rows = re.findall(r'href="([^"]+)">\s*<span><i[^>]*></i> ([^<]+)</span>\s*<span[^>]*>(\d+)</span>', page)
    return {label.strip(): (int(count), url) for url, label, count in rows}


def test_a_refused_upload_is_the_agencys_to_do_until_an_upload_is_imported(people, client_for):
    session = session_of(filed_entry(people.org_nanning), people.agency_nanning)

    def agency():  # one test client, signed in again as the agency before each reading
        return client_for(people.agency_nanning)

    assert LABEL not in _todo(agency())

    refused = upload(session, people, [row(id_number="450102199003071230")])
    assert refused.status == ImportAttempt.Status.REFUSED
    assert _todo(agency())[LABEL] == (1, reverse("certificates:session_detail", args=[session.pk]))
    assert LABEL not in _todo(client_for(people.agency_liuzhou))
    assert LABEL not in _todo(client_for(people.city_nanning))

    assert upload(session, people, [row()]).status == ImportAttempt.Status.IMPORTED
    assert LABEL not in _todo(agency())


def test_an_imported_upload_then_a_refused_one_is_still_to_correct(people, client_for):
    session = session_of(filed_entry(people.org_nanning), people.agency_nanning)
    assert upload(session, people, [row()]).status == ImportAttempt.Status.IMPORTED
    assert LABEL not in _todo(client_for(people.agency_nanning))
    upload(session, people, [row(id_number="450102199003071230")])
    assert _todo(client_for(people.agency_nanning))[LABEL][0] == 1

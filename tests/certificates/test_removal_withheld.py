"""The removal's confirmation counts the candidates who passed and would have got a certificate: one withheld by
an upheld objection gets none anyway, removal or not (round 7's mutation run: withheld candidates counted)."""

from __future__ import annotations

import re

import pytest

from certificates.models import Candidate
from certificates.selectors import removal_consequences
from tests.certificates.factories import ID_A, ID_B, candidates, filed_entry, session_of

pytestmark = pytest.mark.django_db


def test_a_withheld_candidate_is_not_counted_as_waiting_for_a_certificate(people):
    entry = filed_entry(people.org_nanning, institution_code="S000045000001")
    session = session_of(entry, people.agency_nanning)
    passed = candidates(session, [("张小三", ID_A), ("李丽", ID_B)])
    Candidate.objects.filter(pk=passed[1].pk).update(withheld=True)
    waiting_line = removal_consequences(entry)[2]
    assert int(re.search(r"\d+", waiting_line).group()) == 1

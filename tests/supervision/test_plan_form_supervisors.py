"""The evaluation plan form offers every internal quality supervisor of the filed roster (附件2's 内部质量督导员
section) — one who is also an examiner included: the filing allows both roles, a plan keeps them apart when it
is saved (不相容岗位分离), not by hiding the person from the list. An examiner who is not a supervisor is not
offered. (The first-day finding that one eligible supervisor was missing did not reproduce: see the report.)"""

from __future__ import annotations

from django.urls import reverse

from supervision.forms import PlanForm
from tests.supervision.factories import SUPERVISORS


def test_every_filed_supervisor_is_offered_and_no_one_else(people, nanning_entry):
    offered = [value for value, _label in PlanForm(entry=nanning_entry).fields["supervisor"].choices if value]
    assert offered == ["潘国庆", "黄建华"] == SUPERVISORS
    assert "陈春梅" not in offered  # an examiner only


def test_the_page_lists_the_supervisor_who_is_also_an_examiner(people, nanning_entry, client_for):
    html = client_for(people.agency_nanning).get(reverse("supervision:plan_new")).content.decode()
    assert '<option value="黄建华">黄建华</option>' in html
    assert '<option value="潘国庆">潘国庆</option>' in html

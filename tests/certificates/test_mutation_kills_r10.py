"""Round 10's mutation run over the week's merged work (todo9's to-dos): each test here failed with a planted bug
the existing tests let through, and passes on the product as it is."""

from __future__ import annotations

import pytest
from django.urls import reverse

from certificates.services import results_decide
from portal.models import Notification
from tests.certificates.test_inbox_done import APPROVED, RETURNED
from tests.portal.inbox_page import read_subjects, todo_subjects


@pytest.mark.parametrize("approve", [True, False])
def test_the_agencys_opened_decision_stays_its_to_do_until_it_acts(people, reported, client_for, approve):
    """Mutation: the bureau's decision sent to the agency not as a to-do: opened once, “issue the certificates”
    (or “report again”) left 待办 though nothing was issued or reported."""
    results_decide(session=reported, by=people.city_nanning, approve=approve, reasons="" if approve else "成绩有误。")
    agency = people.agency_nanning
    message = Notification.objects.get(recipient=agency, subject__contains=APPROVED if approve else RETURNED)
    assert client_for(agency).get(reverse("notification_open", args=[message.pk])).status_code == 302
    message.refresh_from_db()
    assert message.read_at is not None and message.done_at is None
    assert message.subject in todo_subjects(client_for, agency)
    assert message.subject not in read_subjects(client_for, agency)

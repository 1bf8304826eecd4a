"""Issue qa6 item 4: the to-do's 待办理的投诉举报 opens the complaints list filtered to the same open complaints
(``supervision.selectors.complaints_to_handle``): the list's total is the to-do's number."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from supervision.models import Complaint
from supervision.selectors import home_panel
from supervision.services.complaints import complaint_submit

pytestmark = pytest.mark.django_db


def _todo(user):
    return next(item for item in home_panel(user)["todo"] if item.url.startswith(reverse("supervision:complaints")))


def test_the_complaints_to_do_opens_as_many_complaints_as_it_counts(people, nanning_entry, client_for):
    day = timezone.localdate() - dt.timedelta(days=3)
    for text in ("考场无视频监控。", "考评员缺席。", "收费未公示。"):
        complaint_submit(entry=nanning_entry, happened_on=day, content=text, anonymous=True)
    closed = Complaint.objects.order_by("pk").last()
    Complaint.objects.filter(pk=closed.pk).update(status=Complaint.Status.DECLINED)

    item = _todo(people.city_nanning)
    assert item.count == 2 and item.url.endswith("?open=1")
    client = client_for(people.city_nanning)
    listed = client.get(item.url).context["page"].paginator.count
    assert listed == item.count == 2
    assert client.get(reverse("supervision:complaints")).context["page"].paginator.count == 3

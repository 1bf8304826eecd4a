"""Issue complaint10 item 1: a complaint's to-do in its handlers' inbox names the complaint (its number and the
agency) and says the reply date the complaint's page says — also for the demo's complaint received a month ago
(entered back-dated, which left its message with a reply date a month later than the page's)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from supervision.demo_oversight import _complaints
from supervision.models import Complaint
from supervision.services.complaints import complaint_deadline, complaint_submit
from tests.portal.inbox_page import todo_subjects

pytestmark = pytest.mark.django_db


def _page_due(client, complaint) -> tuple[str, bool]:
    """The reply date the complaint's page shows (答复期限), and whether it flags it overdue."""
    page = client.get(reverse("supervision:complaint_detail", args=[complaint.pk])).content.decode()
    line = re.search(r"答复期限 (\d{4}-\d\d-\d\d)(.*?)</div>", page, re.S)
    return line.group(1), "逾期" in line.group(2)


def test_each_complaint_to_do_names_its_complaint_and_agency(people, nanning_entry, client_for):
    day = timezone.localdate() - dt.timedelta(days=2)
    first = complaint_submit(entry=nanning_entry, happened_on=day, content="考场无视频监控。", anonymous=True)
    second = complaint_submit(entry=nanning_entry, happened_on=day, content="考评员缺席。", anonymous=True)

    subjects = todo_subjects(client_for, people.city_nanning)
    name = nanning_entry.organisation.name
    due = first.deadline.isoformat()
    assert f"收到投诉{second.pk}（关于{name}），答复期限{due}" in subjects
    assert f"收到投诉{first.pk}（关于{name}），答复期限{due}" in subjects
    assert len({s for s in subjects if "投诉" in s}) == 2  # two lines, told apart


def test_a_complaint_received_a_month_ago_is_due_in_its_message_when_its_page_says(people, liuzhou_entry, client_for):
    received = timezone.now() - dt.timedelta(days=30)
    complaint = complaint_submit(
        entry=liuzhou_entry,
        happened_on=timezone.localdate() - dt.timedelta(days=31),
        content="考场门口有人兜售资料。",
        anonymous=True,
        received=received,
    )
    assert complaint.deadline == complaint_deadline(timezone.localdate(received)) < timezone.localdate()

    client = client_for(people.city_liuzhou)
    due, overdue = _page_due(client, complaint)
    assert overdue and due == complaint.deadline.isoformat()
    [subject] = [s for s in todo_subjects(client_for, people.city_liuzhou) if f"投诉{complaint.pk}" in s]
    assert subject.endswith(f"答复期限{due}")


def test_the_demo_overdue_complaint_message_says_the_page_deadline(people, liuzhou_entry, client_for):
    _complaints(liuzhou_entry, people.city_liuzhou)
    client = client_for(people.city_liuzhou)
    pages = {c.pk: _page_due(client, c) for c in Complaint.objects.filter(entry=liuzhou_entry) if c.open}
    assert sum(overdue for _due, overdue in pages.values()) == 1  # the one received a month ago

    # The reply dates the to-dos say are the ones the pages say, the overdue one's too.
    said = {
        re.search(r"答复期限(\S+)$", s).group(1) for s in todo_subjects(client_for, people.city_liuzhou) if "投诉" in s
    }
    assert said == {due for due, _overdue in pages.values()}

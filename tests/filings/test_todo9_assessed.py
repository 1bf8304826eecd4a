"""Issue todo9 item 4: an assessed application waits for the centre's selection. The centre has the to-do (home and
inbox) until it selects it or not; the application's page links to its call's ranking and selection page and says
the stage has no statutory time limit (not a bare “—”)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from filings.models import State
from filings.selectors import home_panel
from filings.services import panel_assign, panel_conclude
from filings.services.selection import selection_mark
from portal.models import Notification
from tests.filings.test_panel import SHEET_80, assessed, experts, scored  # noqa: F401 (the fixtures)
from tests.portal.inbox_page import read_subjects, todo_subjects

WAITS = "待择优遴选"


@pytest.fixture
def concluded(people, assessed, experts, django_capture_on_commit_callbacks):  # noqa: F811
    panel_assign(application=assessed, experts=[experts[2]], by=people.centre)
    scored(assessed, people.expert_assigned, SHEET_80)
    scored(assessed, experts[2], SHEET_80)
    with django_capture_on_commit_callbacks(execute=True):
        panel_conclude(application=assessed, by=people.centre, conclusion="符合条件，建议遴选。")
    assessed.refresh_from_db()
    assert assessed.state == State.ASSESSED
    return assessed


def test_the_centre_has_the_to_do_until_it_decides(people, client_for, concluded, django_capture_on_commit_callbacks):
    subject = f"南宁市安盾职业技能培训学校：备案申请 {concluded.reference} {WAITS}"
    assert subject in todo_subjects(client_for, people.centre)
    assert Notification.objects.get(subject=subject).link == reverse("filings:application_detail", args=[concluded.pk])
    assert concluded.pk in {a.pk for a in home_panel(people.centre)["queue"]}
    assert sum(item.count for item in home_panel(people.centre)["todo"]) == 1
    queue = client_for(people.centre).get(reverse("filings:queue") + "?state=mine").content.decode()
    assert concluded.reference in queue and "待遴选（无法定时限）" in queue
    # Not the city bureau's nor the police's work.
    assert not Notification.objects.filter(subject=subject).exclude(recipient=people.centre).exists()
    assert concluded.pk not in {a.pk for a in home_panel(people.city_nanning).get("queue", [])}
    with django_capture_on_commit_callbacks(execute=True):
        selection_mark(application=concluded, by=people.centre, selected=True, reason="得分靠前。")
    assert subject not in todo_subjects(client_for, people.centre)
    assert subject in read_subjects(client_for, people.centre)
    assert concluded.pk not in {a.pk for a in home_panel(people.centre)["queue"]}


def test_the_application_page_links_to_the_ranking_and_selection(people, client_for, concluded):
    url = reverse("filings:application_detail", args=[concluded.pk])
    selection = reverse("filings:selection", args=[concluded.call_id])
    page = client_for(people.centre).get(url).content.decode()
    assert f'href="{selection}" id="selection-link"' in page and "排名与遴选" in page
    assert "已评估：待鉴定中心择优遴选（无法定时限）" in page
    assert client_for(people.centre).get(selection).status_code == 200
    # The agency and the city bureau do not get the centre's link.
    for user in (people.agency_nanning, people.city_nanning):
        assert 'id="selection-link"' not in client_for(user).get(url).content.decode()
    # Once decided, the link and the waiting line go.
    selection_mark(application=concluded, by=people.centre, selected=False, reason="名额已满。")
    page = client_for(people.centre).get(url).content.decode()
    assert 'id="selection-link"' not in page and "无法定时限" not in page

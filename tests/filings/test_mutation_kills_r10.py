"""Round 10's mutation run over the week's merged work (todo9: the police's opinion, the centre's selection): each
test here failed with a planted bug the existing tests let through, and passes on the product as it is."""

from __future__ import annotations

from django.urls import reverse

from filings.models import State
from filings.services import panel_assign, panel_conclude
from portal.models import Notification, Role
from tests.filings.test_panel import SHEET_80, experts, in_assessment, scored  # noqa: F401 (experts: a fixture)
from tests.filings.test_police_opinion_waiting import _in_assessment
from tests.portal.factories import UserFactory
from tests.portal.inbox_page import read_subjects, todo_subjects

OPINION_NEEDED = "{name}：备案申请 {reference} 待出具公安机关意见"


def _opinion_subject(application) -> str:
    return OPINION_NEEDED.format(name=application.organisation.name, reference=application.reference)


def test_the_request_for_the_police_opinion_leaves_their_to_dos_when_the_assessment_ends_without_it(
    people,
    client_for,
    experts,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    """Mutation: the police's request not marked done when the assessment is concluded: it waited in their inbox
    for an opinion the form no longer takes."""
    with django_capture_on_commit_callbacks(execute=True):
        application = in_assessment(people)
    subject = _opinion_subject(application)
    assert subject in todo_subjects(client_for, people.police_nanning)
    panel_assign(application=application, experts=[people.expert_assigned, experts[2]], by=people.centre)
    scored(application, people.expert_assigned, SHEET_80)
    scored(application, experts[2], SHEET_80)
    # Still under assessment: the request still waits.
    assert subject in todo_subjects(client_for, people.police_nanning)
    with django_capture_on_commit_callbacks(execute=True):
        panel_conclude(application=application, by=people.centre, conclusion="符合条件，建议遴选。")
    application.refresh_from_db()
    assert application.state == State.ASSESSED
    assert subject not in todo_subjects(client_for, people.police_nanning)
    assert subject in read_subjects(client_for, people.police_nanning)


def test_the_city_police_are_asked_for_the_opinion_on_an_agency_of_one_of_its_counties(
    people, client_for, django_capture_on_commit_callbacks
):
    """Mutation: only the police of the application's own region asked: an agency registered in 城中区 (a county
    of 柳州) had nobody asked, the city police's jurisdiction holding it."""
    with django_capture_on_commit_callbacks(execute=True):
        application = _in_assessment(people, "柳州市城中区安平职业技能培训学校", "450202", people.city_liuzhou)
    application.refresh_from_db()
    assert application.region.code == "450202"
    subject = _opinion_subject(application)
    assert subject in todo_subjects(client_for, people.police_liuzhou)
    assert subject not in todo_subjects(client_for, people.police_nanning)


def test_the_opinion_given_by_one_officer_is_done_for_the_colleague_told_with_them(
    people, client_for, django_capture_on_commit_callbacks
):
    """Mutation: only the author's request marked done: the colleague of the same department, told at the same
    time, kept a to-do for an opinion their department had given. (The existing test made the colleague after
    the message was sent, so the colleague had no copy to check.)"""
    colleague = UserFactory(role=Role.POLICE, department=people.police_liuzhou.department)
    with django_capture_on_commit_callbacks(execute=True):
        application = _in_assessment(people, "柳州市平安卫士职业技能培训学校", "450200", people.city_liuzhou)
    application.refresh_from_db()
    subject = _opinion_subject(application)
    assert subject in todo_subjects(client_for, colleague)
    response = client_for(people.police_liuzhou).post(
        reverse("filings:record_add", args=[application.pk]), {"kind": "police_assessment", "notes": "同意。"}
    )
    assert response.status_code == 302
    assert subject not in todo_subjects(client_for, colleague)
    assert subject in read_subjects(client_for, colleague)
    assert Notification.objects.get(recipient=colleague, subject=subject).done_at is not None


def test_no_selection_link_while_the_application_is_still_under_assessment(people, client_for, experts):  # noqa: F811
    """Mutation: the ranking-and-selection link shown from the assessment on: the centre was sent to select an
    application no panel had concluded."""
    application = in_assessment(people)
    url = reverse("filings:application_detail", args=[application.pk])
    page = client_for(people.centre).get(url).content.decode()
    assert 'id="selection-link"' not in page
    assert reverse("filings:panel", args=[application.pk]) in page  # the panel's link is there, as it should be

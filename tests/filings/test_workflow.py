"""The review workflow: the transition tables × roles, jurisdiction, corrections, deadlines, overdue notices."""

import datetime as dt
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from agencies.models import Workflow
from filings import workflow
from filings.models import Application, State
from filings.services import application_save_draft, application_submit, application_transition
from filings.services.applications import enter_state
from filings.services.review import overdue_notify
from portal.lib.errors import WorkflowError
from portal.models import Notification
from tests.filings.factories import nanning_submission

# The steps taken through the generic decision form; the others have tests of their own pages.
OFFICIAL_TRANSITIONS = sorted(
    {
        t.name
        for table in workflow.TABLES.values()
        for t in table
        if t.target is not None and t.needs not in workflow.SERVICE_PAGES
    }
)
ACTORS = ["city_nanning", "centre", "police_nanning", "expert_assigned", "admin"]


def put(application: Application, state: State, variant: Workflow) -> Application:
    Application.objects.filter(pk=application.pk).update(state=state)
    application.call_version.workflow = variant
    application.call_version.save()
    application.refresh_from_db()
    return application


def take(application, person, name):
    return application_transition(
        application=application, by=person, name=name, text="意见", sections={"site": "请补充租赁合同"}
    )


@pytest.mark.parametrize("variant", list(Workflow))
def test_each_transition_is_allowed_exactly_for_its_role_and_states(variant, people):
    application = nanning_submission(people)
    states = [s for s in State if s != State.DRAFT]
    for state in states:
        for name in OFFICIAL_TRANSITIONS:
            for actor in ACTORS:
                put(application, state, variant)
                person = people.get(actor)
                allowed = workflow.find(variant, name, state)
                expected = allowed is not None and allowed.role == person.role
                try:
                    take(application, person, name)
                except (WorkflowError, PermissionDenied):
                    assert not expected, (variant, state, name, actor)
                else:
                    assert expected, (variant, state, name, actor)
                    application.refresh_from_db()
                    assert application.state == allowed.target
                    assert application.history.order_by("-id").first().actor == person


def test_another_city_cannot_act_even_on_a_matching_state(people):
    application = nanning_submission(people)
    with pytest.raises(PermissionDenied):
        take(application, people.city_liuzhou, "recommend")


def test_a_liuzhou_reviewer_gets_404_on_the_nanning_application_everywhere(people, client_for):
    application = nanning_submission(people)
    client = client_for(people.city_liuzhou)
    attachment = application.attachments.first()
    for url in (
        reverse("filings:application_detail", args=[application.pk]),
        reverse("filings:version_pdf", args=[application.pk, 1]),
        reverse("filings:attachment_download", args=[application.pk, attachment.pk]),
        reverse("filings:version_compare", args=[application.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("filings:act", args=[application.pk, "recommend"]), {"text": "x"}).status_code == 404
    queue = client.get(reverse("filings:queue"), {"state": "all"}).content.decode()
    assert application.organisation.name not in queue


def test_opinion_and_reasons_are_required_with_a_message_beside_the_field(people, client_for):
    application = nanning_submission(people)
    response = client_for(people.city_nanning).post(
        reverse("filings:act", args=[application.pk, "recommend"]), {"action": "recommend", "text": " "}
    )
    assert response.status_code == 400
    assert "请先填写内容再确认" in response.content.decode()
    with pytest.raises(ValidationError):
        application_transition(application=application, by=people.city_nanning, name="not_recommend", text="")


def test_correction_round_trip_goes_back_to_the_same_reviewer(people, client_for):
    application = nanning_submission(people)
    city = client_for(people.city_nanning)
    city.post(
        reverse("filings:act", args=[application.pk, "request_correction"]),
        {"action": "request_correction", "sections": ["site"], "note_site": "请补充租赁合同期限"},
    )
    application.refresh_from_db()
    assert application.state == State.CORRECTION and application.flagged_sections == ["site"]
    agency = client_for(people.agency_nanning)
    assert (
        "请补充租赁合同期限"
        in agency.get(reverse("filings:application_detail", args=[application.pk])).content.decode()
    )
    site = {**application.data["site"], "lease_years": "10"}
    application_save_draft(application=application, data={"site": site}, by=people.agency_nanning)
    application_submit(application=application, by=people.agency_nanning, commitment_name="张三", consent=True)
    application.refresh_from_db()
    assert application.state == State.CITY_REVIEW
    assert application.versions.count() == 2


def test_recommendation_prints_in_the_city_box_of_the_pdf(people, client_for):
    import shutil
    import subprocess

    if not shutil.which("pdftotext"):
        pytest.skip("poppler-utils is not installed")
    application = nanning_submission(people)
    application_transition(
        application=application, by=people.city_nanning, name="recommend", text="同意推荐，材料齐全。"
    )
    pdf = client_for(people.centre).get(reverse("filings:version_pdf", args=[application.pk, 1])).getvalue()
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert "同意推荐，材料齐全。" in text


@pytest.mark.parametrize(
    ("today", "state", "deadline"),
    [
        # 10 working days from 30 September 2026 skip the National Day week and count Saturday 10 October.
        (dt.date(2026, 9, 30), State.ACCEPTANCE, dt.date(2026, 10, 20)),
        # From Friday 18 September: Sunday 20 September is an adjusted working day, Friday 25 September is
        # the Mid-Autumn Festival, then the National Day week.
        (dt.date(2026, 9, 18), State.ACCEPTANCE, dt.date(2026, 10, 9)),
        # Into 2027, which the holiday package does not know: weekdays count less 元旦 (Friday 1 January),
        # nothing crashes.
        (dt.date(2026, 12, 28), State.ACCEPTANCE, dt.date(2027, 1, 12)),
    ],
)
def test_stage_deadlines_follow_the_working_day_calendar(people, today, state, deadline):
    application = nanning_submission(people)
    with mock.patch("django.utils.timezone.localdate", return_value=today):
        enter_state(application, state)
    assert application.deadline == deadline


def test_overdue_applications_are_notified_once_a_day(people, django_capture_on_commit_callbacks):
    application = nanning_submission(people)
    Application.objects.filter(pk=application.pk).update(deadline=dt.date(2026, 11, 2))
    with django_capture_on_commit_callbacks(execute=True):
        assert overdue_notify(today=dt.date(2026, 11, 23)) == 1
        assert overdue_notify(today=dt.date(2026, 11, 23)) == 0
    assert (
        Notification.objects.filter(recipient=people.city_nanning, subject__contains=application.reference).count() == 1
    )
    assert overdue_notify(today=dt.date(2026, 11, 24)) == 1


def test_each_step_notifies_the_agency_with_what_to_do_next(people, django_capture_on_commit_callbacks):
    application = nanning_submission(people)
    with django_capture_on_commit_callbacks(execute=True):
        application_transition(application=application, by=people.city_nanning, name="recommend", text="同意推荐")
    note = Notification.objects.filter(recipient=people.agency_nanning).order_by("-id").first()
    assert application.reference in note.subject
    assert note.link == reverse("filings:application_detail", args=[application.pk])
    centre_note = Notification.objects.filter(recipient=people.centre).order_by("-id").first()
    assert centre_note is not None and application.reference in centre_note.subject


def test_steps_of_their_own_pages_are_refused_through_the_generic_form(people):
    application = put(nanning_submission(people), State.ASSESSMENT, Workflow.CITY_FIRST)
    with pytest.raises(WorkflowError):
        application_transition(application=application, by=people.centre, name="conclude", text="通过")

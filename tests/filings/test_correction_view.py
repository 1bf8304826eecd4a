"""What the agency sees of a correction request and of its application's clock: the reviewer's general remarks
(总体意见), the flagged sections marked in the form's section list, and the current deadline."""

import re

from django.urls import reverse
from django.utils import timezone

from filings.services import application_transition
from portal.lib.workdays import add_workdays
from tests.filings.factories import nanning_submission

REMARKS = "材料总体较完整，请按下列意见补正后重新提交。"


def corrected(people):
    application = nanning_submission(people)
    application_transition(
        application=application,
        by=people.city_nanning,
        name="request_correction",
        text=REMARKS,
        sections={"site": "请补充租赁合同年限。", "materials": "信用报告已过期。"},
    )
    application.refresh_from_db()
    return application


def test_the_agency_reads_the_general_remarks_on_its_application_and_its_form(people, client_for):
    application = corrected(people)
    client = client_for(people.agency_nanning)
    detail = client.get(reverse("filings:application_detail", args=[application.pk])).content.decode()
    assert REMARKS in detail.split('id="correction-request"')[1].split("</ul>")[0]
    form = client.get(reverse("filings:application_edit", args=[application.pk])).content.decode()
    assert REMARKS in form.split('id="correction-remarks"')[1]


def test_the_flagged_sections_are_marked_in_the_forms_section_list(people, client_for):
    application = corrected(people)
    form = client_for(people.agency_nanning).get(reverse("filings:application_edit", args=[application.pk]))
    overview = form.content.decode().split('id="section-overview"')[1].split("</ul>")[0]
    flagged = re.findall(r'<li class="[^"]*flagged-section[^"]*"[^>]*>\s*<a href="#([a-z_-]+)"', overview)
    assert flagged == ["section-site", "materials"]


def test_a_draft_marks_no_section(people, client_for, draft):
    form = client_for(people.agency_nanning).get(reverse("filings:application_edit", args=[draft.pk]))
    assert "flagged-section" not in form.content.decode()


def test_the_agency_sees_the_current_deadline_of_its_application(people, client_for):
    application = nanning_submission(people)  # with the city bureau: 20 working days
    due = add_workdays(timezone.localdate(), 20).strftime("%Y-%m-%d")
    assert application.deadline.strftime("%Y-%m-%d") == due
    client = client_for(people.agency_nanning)
    detail = client.get(reverse("filings:application_detail", args=[application.pk])).content.decode()
    assert due in detail.split('id="current-deadline"')[1].split("</div>")[0]
    listing = client.get(reverse("filings:application_list")).content.decode()
    assert due in listing

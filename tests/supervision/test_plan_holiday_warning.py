"""An evaluation plan whose exam days include a public holiday is saved, with a warning beside the dates — on
the form and on the plan's page (first-day finding: a public exam announced for 元旦 2027)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from portal.models import WorkdayOverride
from supervision.models import Plan
from tests.supervision.factories import new_plan, plan_fields, today_is

WARNING = "考评日期中有法定节假日"


def _post(fields: dict) -> dict:
    data = {key: getattr(value, "pk", value) for key, value in fields.items()}
    data["first_day"] = fields["first_day"].isoformat()
    data["last_day"] = fields["last_day"].isoformat()
    return data


def test_the_form_warns_beside_the_dates_when_an_exam_day_is_new_years_day(people, nanning_entry, client_for):
    client = client_for(people.agency_nanning)
    with today_is(dt.date(2026, 12, 1)):
        fields = plan_fields(first_day=dt.date(2026, 12, 31), last_day=dt.date(2027, 1, 1), venue="")
        html = client.post(reverse("supervision:plan_new"), _post(fields)).content.decode()
        assert 'id="hint-holiday"' in html and WARNING in html and "2027-01-01 元旦" in html
        fields = plan_fields(first_day=dt.date(2026, 12, 30), last_day=dt.date(2026, 12, 31), venue="")
        html = client.post(reverse("supervision:plan_new"), _post(fields)).content.decode()
        assert WARNING not in html
        assert WARNING not in client.get(reverse("supervision:plan_new")).content.decode()


def test_a_plan_on_a_holiday_is_saved_and_its_page_warns(people, nanning_entry, client_for):
    client = client_for(people.agency_nanning)
    with today_is(dt.date(2026, 12, 1)):
        response = client.post(
            reverse("supervision:plan_new"),
            _post(plan_fields(first_day=dt.date(2027, 1, 1), last_day=dt.date(2027, 1, 1))),
        )
        plan = Plan.objects.get(entry=nanning_entry)
        assert response.status_code == 302
        html = client.get(reverse("supervision:plan_detail", args=[plan.pk])).content.decode()
        assert WARNING in html and "2027-01-01 元旦" in html
        html = client.get(reverse("supervision:plan_edit", args=[plan.pk])).content.decode()
        assert 'id="hint-holiday"' in html


def test_the_holidays_are_listed_with_chinese_punctuation(people, nanning_entry, client_for):
    """First-day finding: "2027-10-01 国庆节, 2027-10-02 国庆节." with ASCII punctuation."""
    client = client_for(people.agency_nanning)
    with today_is(dt.date(2026, 12, 1)):
        fields = plan_fields(first_day=dt.date(2027, 10, 1), last_day=dt.date(2027, 10, 2), venue="")
        html = client.post(reverse("supervision:plan_new"), _post(fields)).content.decode()
    assert "2027-10-01 国庆节、2027-10-02 国庆节。" in html


def test_no_warning_on_a_working_day_nor_on_a_holiday_the_admin_made_a_working_day(people, nanning_entry, client_for):
    client = client_for(people.agency_nanning)
    with today_is(dt.date(2026, 12, 1)):
        plan = new_plan(
            nanning_entry, people.agency_nanning, first_day=dt.date(2027, 1, 4), last_day=dt.date(2027, 1, 5)
        )
        assert WARNING not in client.get(reverse("supervision:plan_detail", args=[plan.pk])).content.decode()
        WorkdayOverride.objects.create(date=dt.date(2027, 1, 1), is_workday=True, note="test")
        plan = new_plan(
            nanning_entry, people.agency_nanning, first_day=dt.date(2027, 1, 1), last_day=dt.date(2027, 1, 1)
        )
        assert WARNING not in client.get(reverse("supervision:plan_detail", args=[plan.pk])).content.decode()

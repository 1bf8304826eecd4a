"""Filling the application in the browser's terms: drafts, errors beside fields, rows, nothing lost."""

from django.db import connection
from django.forms.renderers import DjangoTemplates
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from filings.drafts import build_sections
from filings.examples import sample_application_data
from filings.forms import WidgetRenderer
from filings.models import Application
from filings.services import application_save_draft
from filings.templatetags.filings_tags import compact_field
from tests.filings.conftest import SECURITY_MANAGER


def form_post(data: dict) -> dict:
    """The POST a browser sends for ``data`` (the page's field names)."""
    post = {}
    for key, value in data.items():
        if isinstance(value, list):
            post[f"{key}-TOTAL_FORMS"] = str(len(value))
            for index, row in enumerate(value):
                post.update({f"{key}-{index}-{name}": v for name, v in row.items()})
        else:
            post.update({f"{key}-{name}": v for name, v in value.items()})
    return post


def test_a_new_draft_is_prefilled_from_the_registration(draft, people):
    assert draft.data["basic"]["name"] == people.org_nanning.name
    assert draft.data["basic"]["uscc"] == people.org_nanning.uscc


def test_saving_keeps_invalid_input_and_shows_chinese_errors_beside_the_field(draft, people, client_for):
    client = client_for(people.agency_nanning)
    data = sample_application_data(people.org_nanning, occupations=SECURITY_MANAGER)
    data["basic"]["contact_phone"] = "12345"
    data["basic"]["uscc"] = "52450100mja7k3q8x0"  # read-only in the page; a tampered value is ignored
    data["occupations"][0]["person_times"] = "-5"
    data["occupations"][1]["start_date"] = "2099-01-01"
    url = reverse("filings:application_edit", args=[draft.pk])
    response = client.post(url, form_post(data), follow=True)
    page = response.content.decode()
    assert "草稿已保存" in page
    assert 'value="12345"' in page and 'value="-5"' in page and 'value="2099-01-01"' in page
    assert "请输入 11 位手机号码（例如 13877112345）或带区号的固定电话号码" in page
    assert "统一社会信用代码中的字母须大写" not in page
    assert "数值不能为负数" in page or "不能为负数" in page
    assert "晚于今天" in page
    draft.refresh_from_db()
    assert draft.data["basic"]["contact_phone"] == "12345"
    assert draft.data["basic"]["uscc"] == people.org_nanning.uscc


def test_rows_can_be_added_and_removed_without_losing_the_others(draft, people, client_for):
    client = client_for(people.agency_nanning)
    data = sample_application_data(people.org_nanning, occupations=SECURITY_MANAGER)
    data["managers"] = [data["managers"][0], {"name": ""}, *data["managers"][1:]]  # an emptied row is dropped
    client.post(reverse("filings:application_edit", args=[draft.pk]), form_post(data))
    draft.refresh_from_db()
    assert [row["name"] for row in draft.data["managers"]] == [row["name"] for row in data["managers"] if row["name"]]


def test_autosave_answers_json_with_the_section_overview(draft, people, client_for):
    client = client_for(people.agency_nanning)
    data = {"basic": sample_application_data(people.org_nanning, occupations=SECURITY_MANAGER)["basic"]}
    response = client.post(
        reverse("filings:application_edit", args=[draft.pk]), form_post(data), headers={"X-Autosave": "1"}
    )
    body = response.json()
    assert body["ok"] is True
    overview = {item["key"]: item for item in body["overview"]}
    assert overview["basic"]["complete"] is True
    assert overview["occupations"]["complete"] is False


def test_an_expired_session_does_not_lose_the_draft_on_the_server(draft, people, client_for):
    client = client_for(None)
    response = client.post(reverse("filings:application_edit", args=[draft.pk]), {"basic-name": "x"})
    assert response.status_code == 302 and "/accounts/login/" in response.url
    draft.refresh_from_db()
    assert draft.data["basic"]["name"] == people.org_nanning.name


def test_levels_beyond_the_call_are_refused_beside_the_field(draft, people, client_for):
    client = client_for(people.agency_nanning)
    data = sample_application_data(people.org_nanning, occupations=SECURITY_MANAGER)
    data["occupations"][0]["level"] = "5"
    page = client.post(reverse("filings:application_edit", args=[draft.pk]), form_post(data), follow=True)
    assert "选择一个有效的选项" in page.content.decode()


def test_the_form_page_needs_the_same_number_of_queries_for_one_row_or_fifty(draft, people, client_for):
    client = client_for(people.agency_nanning)
    url = reverse("filings:application_edit", args=[draft.pk])

    def queries_with(occupations: int, rows: int) -> int:
        data = sample_application_data(
            people.org_nanning,
            occupations=SECURITY_MANAGER * occupations,
            people=rows,
            examiners_per_occupation=rows,
        )
        application_save_draft(application=Application.objects.get(pk=draft.pk), data=data, by=people.agency_nanning)
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        return len(context.captured_queries)

    queries_with(1, 1)  # the first save of the draft also writes its audit row (then one per ten minutes)
    assert queries_with(1, 1) == queries_with(17, 30)


def test_saving_the_form_needs_the_same_number_of_queries_for_one_row_or_many(draft, people, client_for):
    client = client_for(people.agency_nanning)
    url = reverse("filings:application_edit", args=[draft.pk])

    def queries_with(occupations: int, rows: int) -> tuple[int, int]:
        data = sample_application_data(
            people.org_nanning,
            occupations=SECURITY_MANAGER * occupations,
            people=rows,
            examiners_per_occupation=rows,
        )
        with CaptureQueriesContext(connection) as save:
            assert client.post(url, form_post(data)).status_code == 302
        with CaptureQueriesContext(connection) as autosave:
            assert client.post(url, form_post(data), headers={"X-Autosave": "1"}).json()["ok"] is True
        return len(save.captured_queries), len(autosave.captured_queries)

    queries_with(1, 1)  # the first save of the draft also writes its audit row (then one per ten minutes)
    assert queries_with(1, 1) == queries_with(17, 30)


def test_a_large_application_can_be_saved_from_the_page(draft, people, client_for):
    client = client_for(people.agency_nanning)
    data = sample_application_data(
        people.org_nanning, occupations=SECURITY_MANAGER * 17, people=30, examiners_per_occupation=30
    )
    response = client.post(reverse("filings:application_edit", args=[draft.pk]), form_post(data))
    assert response.status_code == 302


def test_the_section_forms_render_widgets_exactly_as_django_templates_do(draft, people):
    data = sample_application_data(people.org_nanning, occupations=SECURITY_MANAGER)
    data["basic"]["name"] = "<b>“安盾” & 'A\"B'</b>"
    data["basic"]["contact_phone"] = "12345"
    data["advantages"]["text"] = "第一行\n<script>alert(1)</script> &amp;"
    data["occupations"][0]["person_times"] = "-5"
    data["occupations"][1]["level"] = "9"
    data["systems"]["other_established"] = ""
    context = {"call_version": draft.call_version, "organisation": draft.organisation}
    compared = 0
    for states in (build_sections(draft, data=data), build_sections(draft, data={}, validate_all=True)):
        for state in states:
            for form in [*state.forms, state.template]:
                if form is None:
                    continue
                assert isinstance(form.renderer, WidgetRenderer)
                reference = type(form)(
                    form.data if form.is_bound else None, prefix=form.prefix, renderer=DjangoTemplates(), **context
                )
                for field in form:
                    assert str(compact_field(field)) == str(compact_field(reference[field.name])), field.html_name
                    compared += 1
    assert compared > 200

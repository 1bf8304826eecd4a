"""The 附件2 form for a screen reader (issue 15): every cell of a repeating table is named by its row and its
column, and a field in error says so and points at its message."""

import re

from django.urls import reverse

from filings.examples import sample_application_data
from tests.filings.conftest import SECURITY_MANAGER
from tests.filings.test_application_form import form_post


def tag(page: str, name: str) -> str:
    """The opening tag of the control named ``name``."""
    return re.search(rf'<(?:input|select|textarea)[^>]*\bname="{re.escape(name)}"[^>]*>', page).group(0)


def text_of(page: str, element_id: str) -> str:
    """The text of the element with this id (tags dropped)."""
    match = re.search(rf'<(\w+)[^>]*\bid="{re.escape(element_id)}"[^>]*>(.*?)</\1>', page, re.S)
    assert match, element_id
    return re.sub(r"<[^>]+>", "", match.group(2)).strip()


def test_each_cell_is_labelled_by_its_row_and_its_column(draft, people, client_for):
    page = client_for(people.agency_nanning).get(reverse("filings:application_edit", args=[draft.pk]))
    page = page.content.decode()
    cell = tag(page, "occupations-0-person_times")
    assert 'aria-labelledby="occupations-0-rowhead occupations-col-person_times"' in cell
    assert text_of(page, "occupations-0-rowhead") == "第 1 行1"  # hidden "第 1 行" for the reader, "1" shown
    assert text_of(page, "occupations-col-person_times") == "培训评价人次*"  # the star is hidden from a reader
    # The empty row the page copies when a row is added carries the same references, renumbered by the script.
    assert 'aria-labelledby="managers-__prefix__-rowhead managers-col-name"' in page
    system = tag(page, "systems-equipment_attachment")
    assert 'aria-labelledby="id_systems-equipment_established-rowhead systems-col-attachment"' in system
    assert text_of(page, "systems-col-attachment") == "附件编号"


def test_a_field_in_error_is_marked_invalid_and_described_by_its_message(draft, people, client_for):
    data = sample_application_data(people.org_nanning, occupations=SECURITY_MANAGER)
    data["basic"]["contact_phone"] = "12345"
    data["occupations"][0]["person_times"] = "-5"
    url = reverse("filings:application_edit", args=[draft.pk])
    page = client_for(people.agency_nanning).post(url, form_post(data), follow=True).content.decode()

    phone = tag(page, "basic-contact_phone")
    assert 'aria-invalid="true"' in phone
    assert 'aria-describedby="id_basic-contact_phone_error"' in phone
    assert text_of(page, "id_basic-contact_phone_error").startswith("请输入 11 位手机号码")
    count = tag(page, "occupations-0-person_times")
    assert 'aria-invalid="true"' in count
    assert 'aria-describedby="id_occupations-0-person_times_error"' in count
    assert "不能为负数" in text_of(page, "id_occupations-0-person_times_error")
    valid = tag(page, "basic-contact_name")
    assert "aria-invalid" not in valid and "aria-describedby" not in valid

import pytest

from filings.examples import sample_application_data, sample_pdf
from filings.services import application_create, application_save_draft, attachment_add
from tests.filings.factories import make_call

SECURITY_MANAGER = [("3-02-02-00", "保卫管理员", level) for level in (3, 2, 1)]


@pytest.fixture
def gx_call(db):
    return make_call()


@pytest.fixture
def draft(people, gx_call):
    """南宁's draft, with nothing but the prefilled basic information."""
    return application_create(organisation=people.org_nanning, call=gx_call, by=people.agency_nanning)


@pytest.fixture
def complete_draft(people, draft):
    """南宁's draft, completely and validly filled in, with every required material attached."""
    data = sample_application_data(people.org_nanning, occupations=SECURITY_MANAGER)
    application_save_draft(application=draft, data=data, by=people.agency_nanning)
    for code in ("legal_registration", "work_plan", "credit_report", "lease_contract", "external_agreements"):
        attachment_add(application=draft, material=code, uploaded=sample_pdf(code), by=people.agency_nanning)
    draft.refresh_from_db()
    return draft

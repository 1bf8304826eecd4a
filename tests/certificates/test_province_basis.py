"""Guangxi screens cite Guangxi's documents, not Shaanxi's 陕公通字〔2023〕64号: registering with the police is worded
as the portal's rule (only Shaanxi's document sets it, and only Shaanxi's agencies read that citation), and the
results template's 保卫管理员 pass rule cites Guangxi's notice and the national standard. The rule rows keep their
exact source (tests/certificates/test_pass_rules.py)."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from certificates.models import PassRule
from certificates.reference import GUANGXI_MANAGER_BASIS, SHAANXI, pass_rule_basis
from portal.models import Role
from tests.agencies.factories import OrganisationFactory
from tests.certificates.factories import MANAGER, filed_entry, session_of
from tests.portal.factories import UserFactory, region

SHAANXI_DOCUMENT = "陕公通字〔2023〕64号"
pytestmark = pytest.mark.django_db


def _instructions(client, session) -> str:
    response = client.get(reverse("certificates:session_template", args=[session.pk]))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    return "\n".join(str(row[0].value) for row in book.worksheets[1].iter_rows())


def test_a_guangxi_agency_registers_under_the_portals_rule_without_shaanxis_citation(people, client_for):
    filed_entry(people.org_nanning)
    page = client_for(people.agency_nanning).get(
        reverse("supervision:registration_new"), HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert SHAANXI_DOCUMENT not in html
    assert 'data-basis="portal"' in html


def test_a_shaanxi_agency_reads_its_own_document_as_the_basis(client_for):
    organisation = OrganisationFactory(
        name="西安市测试职业技能培训学校", uscc="52610100TEST0001XA", region=region("610100")
    )
    agency = UserFactory(username="agency_xian_basis", role=Role.AGENCY, organisation=organisation)
    filed_entry(organisation)
    html = client_for(agency).get(reverse("supervision:registration_new")).content.decode()
    assert f"{SHAANXI_DOCUMENT} 三（一）" in html
    assert 'data-basis="portal"' not in html


def test_the_guangxi_results_template_cites_guangxis_notice_for_the_security_manager(people, client_for):
    session = session_of(filed_entry(people.org_nanning), people.agency_nanning, code=MANAGER, level=3)
    text = _instructions(client_for(people.agency_nanning), session)
    assert SHAANXI_DOCUMENT not in text
    assert "关于开展保卫管理员职业技能等级认定有关事项的通知》二" in text
    assert "《保卫管理员国家职业技能标准》（2020年版）" in text
    # The rule's row is untouched: its source stays the document that sets it.
    assert PassRule.objects.get(occupation__code=MANAGER, level=3).source == SHAANXI


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("610100", SHAANXI),  # 西安: Shaanxi's own document
        ("450200", GUANGXI_MANAGER_BASIS),  # 柳州: Guangxi's notice and the national standard
        ("320100", "《保卫管理员国家职业技能标准》（2020年版）"),  # 南京: the national standard alone
    ],
)
def test_the_basis_follows_the_province_of_the_evaluation(code, expected):
    assert pass_rule_basis(SHAANXI, region(code)) == expected


def test_other_sources_are_shown_as_they_are():
    jiangsu = "江苏省公安厅、人社厅《关于开展保安员职业技能鉴定工作的通知》三"
    assert pass_rule_basis(jiangsu, region("450100")) == jiangsu
